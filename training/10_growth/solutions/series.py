"""Exercise three_year_series: a model answer.

Growth rates of a series of years, as Observatory plans them.

From a series {year: value} (years in any order), the periods are each pair of CONSECUTIVE
years, then, from three years on, the WHOLE SPAN from the first year to the last; never
every pair. Each period is named "START_END" and divided by its own length:

    rate = 100 × ln(value_t2 / value_t1) / (t2 − t1)      (% per year, log form)

Hand check: 100, 110 and 121 people in 2000, 2005 and 2015 give 2000_2005 = 1.906,
2005_2015 = 0.953 and 2000_2015 = 1.271 % per year. Source: docs/methods/change.md (the SDG
11.3.1 metadata use the log form). Check with:
    observatory training check three_year_series
"""

import itertools
import math


def growth_rates(series: dict[int, float]) -> dict[str, float]:
    """{"START_END": rate in % per year}: consecutive periods in time order, then the span."""
    years = sorted(series)  # the dict may list the years in any order
    periods = list(itertools.pairwise(years))
    if len(years) >= 3:
        periods.append((years[0], years[-1]))
    return {
        f"{start}_{end}": 100 * math.log(series[end] / series[start]) / (end - start)
        for start, end in periods
    }
