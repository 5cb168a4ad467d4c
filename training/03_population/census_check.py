"""Exercise census_check: the grid against the census, province by province.

Write province_table: the check runs it on the sample, for 2024 and 2014, and on a census it
makes up afresh at each check (other counts), so the table must be computed from what the
function is given, never typed in. Then answer the questions of answers.toml.

Check with: observatory training check census_check

Exercice census_check : écrivez province_table ; la vérification la lance sur l'exemple
(2024 et 2014) et sur un recensement inventé à chaque fois : le tableau doit être calculé à
partir de ce que reçoit la fonction, jamais recopié.
"""

import pandas as pd


def province_table(communes, grid: pd.Series, census: pd.DataFrame, year: int) -> pd.DataFrame:
    """One row per province (indexed by province code), three columns:

    - ``grid``: the people of the grid (the sum of its communes in ``grid``);
    - ``census``: the people of the census of ``year`` (the sum of its communes);
    - ``gap_percent``: 100 × (grid − census) / census.

    communes : the communes layer (columns ``code`` and ``province_code``).
    grid : people per commune from the grid (a Series indexed by commune code).
    census : the census table as read by observatory.io.tables.read_table (columns
        ``code``, ``population_2014``, ``population_2024``, all as text).
    """
    # TODO 1: province_of = pd.Series(communes["province_code"].to_numpy(), index=communes["code"])
    # TODO 2: the census counts of the year, as numbers, indexed by commune code
    #         (pd.to_numeric on the column f"population_{year}")
    # TODO 3: sum both by province (groupby(province_of)) and compute gap_percent
    raise NotImplementedError("TODO: build the table of the provinces")
