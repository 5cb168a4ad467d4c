"""Message catalogs shipped in the package: ``observatory/locale/<lang>/LC_MESSAGES/*.po``.

The catalogs are gettext ``.po`` files read with Babel when a language is first used, so
there is no compiled ``.mo`` file to keep in step with its source.
"""

from __future__ import annotations

import io
from importlib import resources

from babel.messages.pofile import read_po

DOMAIN = "observatory"


def catalog_languages() -> list[str]:
    """The language codes that have a catalog in the package."""
    folder = resources.files("observatory").joinpath("locale")
    return sorted(
        entry.name
        for entry in folder.iterdir()
        if entry.joinpath("LC_MESSAGES").joinpath(f"{DOMAIN}.po").is_file()
    )


def read_catalog(language: str) -> dict[str | tuple[str, str], str | tuple[str, ...]]:
    """The translations of ``language``: msgid (or (singular, plural)) → translation.

    Untranslated (empty) and fuzzy entries are left out, so a caller falls back to the
    English source text for them.
    """
    source = resources.files("observatory").joinpath("locale").joinpath(language)
    text = source.joinpath("LC_MESSAGES").joinpath(f"{DOMAIN}.po").read_bytes()
    catalog = read_po(io.BytesIO(text), locale=language)
    messages: dict[str | tuple[str, str], str | tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or message.fuzzy:
            continue
        translated = message.string
        if isinstance(translated, tuple | list):
            if all(translated):
                messages[tuple(message.id)] = tuple(translated)
        elif translated:
            messages[message.id] = translated
    return messages
