"""Observatory: territorial indicators for regional observatories."""

from observatory.__about__ import __version__

__all__ = ["__version__"]
