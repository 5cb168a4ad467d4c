"""Exercise three_year_series: growth rates of a series of years, as Observatory plans them.

From a series {year: value} (years in any order), the periods are each pair of CONSECUTIVE
years, then, from three years on, the WHOLE SPAN from the first year to the last; never
every pair. Each period is named "START_END" and divided by its own length:

    rate = 100 × ln(value_t2 / value_t1) / (t2 − t1)      (% per year, log form)

Hand check: 100, 110 and 121 people in 2000, 2005 and 2015 give 2000_2005 = 1.906,
2005_2015 = 0.953 and 2000_2015 = 1.271 % per year. Source: docs/methods/change.md (the SDG
11.3.1 metadata use the log form). Check with:
    observatory training check three_year_series
"""

import math  # noqa: F401  (math.log is the natural logarithm ln)


def growth_rates(series: dict[int, float]) -> dict[str, float]:
    """{"START_END": rate in % per year}: consecutive periods in time order, then the span."""
    # TODO 1: years = sorted(series)
    # TODO 2: one rate per pair of consecutive years (zip(years, years[1:]))
    # TODO 3: with three years or more, the whole span years[0]_years[-1], computed from its
    #         two ends (not the average of the steps' rates)
    raise NotImplementedError("TODO: write the periods and their rates")
