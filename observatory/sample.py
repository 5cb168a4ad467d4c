"""The bundled sample projects: where they are and how to copy them out.

Two samples are bundled. ``rsk`` (Rabat-Salé-Kénitra, Morocco) is the ``sample_data``
folder itself; ``brussels`` (Brussels-Capital and Flanders, Belgium) is its subfolder
``brussels``, left out of the RSK copy. In an installed wheel the samples sit in
``observatory/_bundled/sample_data``; in a source checkout (editable install) it is the
repository's ``sample_data/`` folder.
"""

from __future__ import annotations

from pathlib import Path

from observatory.errors import InputFileNotFoundError, ParameterError
from observatory.io.files import copy_tree

PACKAGE_ROOT = Path(__file__).resolve().parent
#: The bundled samples, by the name ``--region`` takes: their folder under ``sample_data``.
SAMPLE_REGIONS = {"rsk": ".", "brussels": "brussels"}
#: Files of the sample folder that are not part of the RSK project a user gets: the
#: generator of its synthetic layers, and the Brussels sample beside it.
NOT_COPIED = ("build.py", "generator", "__pycache__", "brussels")


def bundled_folder(name: str) -> Path:
    """The bundled folder ``name`` (``sample_data`` or ``training``)."""
    for candidate in (PACKAGE_ROOT / "_bundled" / name, PACKAGE_ROOT.parent / name):
        if (candidate / "README.md").is_file():
            return candidate
    raise InputFileNotFoundError(
        f"the bundled {name} folder is missing from this installation; reinstall observatory."
    )


def sample_folder(region: str) -> Path:
    """The folder of the bundled sample ``region`` (a key of :data:`SAMPLE_REGIONS`)."""
    if region not in SAMPLE_REGIONS:
        raise ParameterError(
            f"there is no sample region '{region}'; use one of {', '.join(SAMPLE_REGIONS)}."
        )
    folder = (bundled_folder("sample_data") / SAMPLE_REGIONS[region]).resolve()
    if not (folder / "observatory.toml").is_file():
        raise InputFileNotFoundError(
            f"the bundled {region} sample is missing from this installation; reinstall observatory."
        )
    return folder


def write_sample_project(
    directory: Path | str, *, region: str = "rsk", overwrite: bool = False
) -> Path:
    """Copy the sample project ``region`` into ``directory``; return its project file."""
    target = Path(directory)
    ignored = NOT_COPIED if region == "rsk" else ("__pycache__",)
    copy_tree(sample_folder(region), target, ignore=ignored, overwrite=overwrite)
    return target / "observatory.toml"
