"""Exercise air_quality_11_6_2: SDG 11.6.2, the population-weighted mean of fine particulate
matter (PM2.5), by province, written by hand.

    PM2.5_w = Σ_k P_k × C_k / Σ_k P_k

over the cells k of the province, P_k the people of cell k in the year of the concentration
(2024), C_k its annual mean PM2.5 (µg/m³). A cell without a concentration (empty in the
table) counts in neither sum. A province is weighted by all its people: it is not the mean
of its communes' values, nor of its cells' concentrations.

The cells are in 09_environment/pm25_cells.csv (columns cell, commune, province,
population_2014, population_2024, pm25_2024; synthetic figures, for training only).
Source: UN-Habitat and WHO, SDG indicator 11.6.2 metadata. Check with:
    observatory training check air_quality_11_6_2
"""

import pandas as pd


def pm25_by_province(cells: pd.DataFrame) -> pd.Series:
    """Population-weighted mean PM2.5 of 2024 (µg/m³), one value per province code."""
    # TODO 1: keep the cells that have a concentration (cells["pm25_2024"].notna())
    # TODO 2: people × concentration, with the people of 2024 (the year of the PM2.5)
    # TODO 3: sum both by province (groupby("province")) and divide
    raise NotImplementedError("TODO: weight the PM2.5 by the population")


if __name__ == "__main__":
    table = pd.read_csv("09_environment/pm25_cells.csv", dtype={"commune": str, "province": str})
    print(pm25_by_province(table))
