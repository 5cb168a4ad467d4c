"""Write export files (Open SDG folders, SDMX-CSV): all checked first, each one atomic.

An export folder may be a data repository that holds other files: only the files of the
export are written, each through a temporary file renamed into place, after checking that
none of them exists (unless ``overwrite``), so a refused export writes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from observatory.io.atomic import atomic_path, check_writable


def write_export_files(
    directory: Path, files: dict[str, pd.DataFrame | str], *, overwrite: bool
) -> list[Path]:
    """Write ``files`` (path relative to ``directory`` → table or text) and list them.

    Tables are UTF-8 CSV without byte-order mark (the first header stays ``Year`` for the
    tools that read them), ``,`` separated, ``.`` decimal mark; texts are UTF-8.
    """
    targets = {Path(directory) / name: content for name, content in files.items()}
    for target in targets:
        check_writable(target, overwrite=overwrite)
    for target, content in targets.items():
        write_export_file(target, content, overwrite=overwrite)
    return list(targets)


def write_export_file(path: Path, content: pd.DataFrame | str, *, overwrite: bool) -> None:
    """Write one table (CSV, UTF-8 without BOM) or text file atomically."""
    with atomic_path(path, overwrite=overwrite) as temporary:
        if isinstance(content, pd.DataFrame):
            content.to_csv(temporary, index=False, encoding="utf-8")
        else:
            temporary.write_text(content, encoding="utf-8")
