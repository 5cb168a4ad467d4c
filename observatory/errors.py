"""The one exception hierarchy of Observatory.

Every mistake a user can make (a missing file, a layer without CRS, a wrong field name, grids
that do not line up, an output that already exists) raises a subclass of
:class:`ObservatoryError`. The command line turns these into ``Error: ...`` and exit code 1;
any other exception is a bug and keeps its traceback.

Each subclass also derives from the matching built-in exception, so library users can catch
``FileNotFoundError`` or ``ValueError`` as they are used to.

Messages name the file, the key or value at fault and the fix, in one sentence or two.
"""

from __future__ import annotations


class ObservatoryError(Exception):
    """Base class of every error caused by the user's input or settings."""


class ProjectFileError(ObservatoryError, ValueError):
    """The project file cannot be read or does not follow the schema."""


class InputFileNotFoundError(ObservatoryError, FileNotFoundError):
    """An input path does not exist or cannot be opened."""


class InputDataError(ObservatoryError, ValueError):
    """An input exists but its content cannot be used (field, layer, value, geometry)."""


class CRSError(ObservatoryError, ValueError):
    """A layer has no CRS, or a CRS that cannot be used for the operation."""


class GridMismatchError(ObservatoryError, ValueError):
    """Rasters that must share a grid (CRS, resolution, alignment) do not."""


class ParameterError(ObservatoryError, ValueError):
    """A parameter, rule set or option value is not valid."""


class IndicatorOutputError(ObservatoryError, TypeError):
    """An indicator's function returned something the engine cannot add up.

    A plugin's mistake: not a DataFrame, a column missing, rows not indexed by unit id.
    """


class OutputExistsError(ObservatoryError, FileExistsError):
    """An output already exists and ``--overwrite`` was not given."""


class UnknownIndicatorError(ObservatoryError, KeyError):
    """An indicator id is not in the catalogue."""

    def __str__(self) -> str:  # KeyError quotes its message; keep it readable.
        return str(self.args[0]) if self.args else ""


class OutputLocationError(ObservatoryError, OSError):
    """An output cannot be written where it was asked.

    A file or an input is in the way, permission is denied, the disk is full, or another run
    is writing there.
    """


class DistributedError(ObservatoryError, RuntimeError):
    """Work sent to other processes could not be done there.

    Dask is not installed, its scheduler cannot be reached, or a piece of work failed on a
    worker.
    """


def error_message(error: ObservatoryError) -> str:
    """The message of ``error``, a :class:`~observatory.messages.Text` when raised with one.

    A Text is translated where it is shown; any other message is its plain text.
    """
    if len(error.args) == 1 and isinstance(error.args[0], str) and str(error) == error.args[0]:
        return error.args[0]
    return str(error)
