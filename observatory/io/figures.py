"""Write a matplotlib figure as PNG, SVG or PDF, atomically (see :mod:`observatory.io.atomic`).

SVG keeps its texts as text (searchable, selectable, translatable by a viewer's font); no
output carries the date it was written, so the same map gives the same file.
"""

from __future__ import annotations

from pathlib import Path

from observatory.errors import ParameterError
from observatory.io.atomic import atomic_path

FORMATS = ("png", "svg", "pdf")
#: Resolution of PNG maps: sharp when printed at the figure's size.
PNG_DPI = 200


def figure_format(path: Path) -> str:
    """``png``, ``svg`` or ``pdf`` from the suffix of ``path``; ParameterError otherwise."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise ParameterError(
            f"-o {path}: a map is written as {', '.join('.' + f for f in FORMATS)}; "
            "give a file name with one of these suffixes."
        )
    return suffix


def write_figure(figure, path: Path, *, overwrite: bool) -> Path:
    """Save ``figure`` to ``path`` in the format of its suffix; return ``path``."""
    import matplotlib

    path = Path(path)
    fmt = figure_format(path)
    metadata = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}
    with (
        atomic_path(path, overwrite=overwrite) as temporary,
        matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "observatory"}),
    ):
        figure.savefig(temporary, format=fmt, dpi=PNG_DPI, metadata=metadata[fmt])
    return path
