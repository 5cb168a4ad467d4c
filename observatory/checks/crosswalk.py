"""Checks of a census crosswalk (``[census.crosswalk]``): its columns, codes and shares.

A crosswalk is never guessed from: a ``from`` code with several rows (a split) needs a
share on each, the shares of one ``from`` code add up to 1 (within
:data:`SHARE_TOLERANCE`), and a share is a number from 0 to 1. Each mistake is an error
naming the codes.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from observatory.census_spec import Crosswalk
from observatory.checks.describe import examples, field_names, rows
from observatory.io.tables import codes_as_text, shares_as_numbers
from observatory.messages import _, ngettext
from observatory.problems import Problem

#: The shares of one ``from`` code must add up to 1 within this.
SHARE_TOLERANCE = 0.001


def check_crosswalk(walk: Crosswalk, table: pd.DataFrame, project_file: str) -> list[Problem]:
    """Columns, codes and shares of the crosswalk ``table`` declared by ``walk``."""
    source = walk.path.name
    columns = {"from": walk.source, "to": walk.target}
    if walk.share is not None:
        columns["share"] = walk.share
    missing = {key: column for key, column in columns.items() if column not in table.columns}
    if missing:
        return [
            Problem(
                "error",
                walk.key,
                _(
                    "column '{column}' ({key}) not found in {source}; its columns are: {columns}.",
                    column=column,
                    key=f"{walk.key}.{key}",
                    source=source,
                    columns=field_names(table),
                ),
                _(
                    "set {key} in {file} to one of these column names.",
                    key=f"{walk.key}.{key}",
                    file=project_file,
                ),
            )
            for key, column in missing.items()
        ]
    links = pd.DataFrame(
        {
            "source": codes_as_text(table[walk.source]).to_numpy(),
            "target": codes_as_text(table[walk.target]).to_numpy(),
        }
    )
    problems = _empty_codes(walk, links)
    links = links.assign(row=np.arange(len(links)) + 2).dropna(subset=["source", "target"])
    repeated = links[links.duplicated(["source", "target"], keep="first")]
    if not repeated.empty:
        pairs = [
            f"{a!r} → {b!r}" for a, b in zip(repeated["source"], repeated["target"], strict=True)
        ]
        problems.append(
            _error(
                walk,
                ngettext(
                    "{source} gives {count} pair(s) of codes twice: {pairs}.",
                    "{source} gives {count} pair(s) of codes twice: {pairs}.",
                    len(repeated),
                    source=source,
                    count=len(repeated),
                    pairs=examples(pairs, quote=False),
                ),
                _("keep one row per pair of codes (with the share of the pair)."),
            )
        )
    if walk.share is None:
        return problems + _splits_without_shares(walk, links)
    shares = pd.Series(shares_as_numbers(table[walk.share]), index=np.arange(len(table)) + 2)
    return problems + _shares(walk, table[walk.share], shares, links)


def _error(walk: Crosswalk, message: str, fix: str) -> Problem:
    return Problem("error", walk.key, message, fix)


def _empty_codes(walk: Crosswalk, links: pd.DataFrame) -> list[Problem]:
    problems = []
    for key, column in (("from", "source"), ("to", "target")):
        empty = links[column].isna().to_numpy()
        if empty.any():
            problems.append(
                _error(
                    walk,
                    ngettext(
                        "{source}: {count} row(s) have no code in '{column}' ({key}): rows {rows}.",
                        "{source}: {count} row(s) have no code in '{column}' ({key}): rows {rows}.",
                        int(empty.sum()),
                        source=walk.path.name,
                        count=int(empty.sum()),
                        column=getattr(walk, column),
                        key=f"{walk.key}.{key}",
                        rows=examples([row + 1 for row in rows(empty)]),
                    ),
                    _("give both codes on every row, or remove the empty rows."),
                )
            )
    return problems


def _split_text(links: pd.DataFrame, codes) -> list[str]:
    """``'A' → 'X', 'Y'`` for each code of ``codes``."""
    targets = links.groupby("source")["target"].agg(lambda found: ", ".join(map(repr, found)))
    return [f"{code!r} → {targets[code]}" for code in codes]


def _splits_without_shares(walk: Crosswalk, links: pd.DataFrame) -> list[Problem]:
    counts = links["source"].value_counts()
    split = counts.index[counts > 1]
    if split.empty:
        return []
    return [
        _error(
            walk,
            ngettext(
                "{source} splits {count} code(s) among several units without saying how: {splits}.",
                "{source} splits {count} code(s) among several units without saying how: {splits}.",
                len(split),
                source=walk.path.name,
                count=len(split),
                splits=examples(_split_text(links, split), quote=False),
            ),
            _(
                "add a column with the share of the people of each '{source}' code that goes "
                "to each '{target}' code (shares of one code adding up to 1) and name it in "
                "{key}.share; the tool never guesses how people are shared.",
                source=walk.source,
                target=walk.target,
                key=walk.key,
            ),
        )
    ]


def _shares(
    walk: Crosswalk, written: pd.Series, shares: pd.Series, links: pd.DataFrame
) -> list[Problem]:
    problems = []
    values = shares.loc[links["row"]].to_numpy()
    text = written.to_numpy()[links["row"].to_numpy() - 2]
    given = pd.notna(text)
    bad = given & (np.isnan(values) | (values < 0) | (values > 1))
    if bad.any():
        cells = [
            _("row {row} ({code!r}): {cell!r}", row=row, code=code, cell=cell)
            for row, code, cell in zip(
                links["row"][bad], links["source"][bad], text[bad], strict=True
            )
        ]
        problems.append(
            _error(
                walk,
                ngettext(
                    "{source}: column '{column}' has {count} share(s) that are not numbers from 0 "
                    "to 1: {cells}.",
                    "{source}: column '{column}' has {count} share(s) that are not numbers from 0 "
                    "to 1: {cells}.",
                    int(bad.sum()),
                    source=walk.path.name,
                    column=walk.share,
                    count=int(bad.sum()),
                    cells=examples(cells, quote=False),
                ),
                _("write each share as a number from 0 to 1 (0.25, or 0,25), without '%'."),
            )
        )
    counts = links["source"].value_counts()
    split = links["source"].map(counts).to_numpy() > 1
    unshared = split & ~given
    if unshared.any():
        codes = list(dict.fromkeys(links["source"][unshared]))
        problems.append(
            _error(
                walk,
                ngettext(
                    "{source} splits {count} code(s) among several units with an empty "
                    "'{column}': {splits}.",
                    "{source} splits {count} code(s) among several units with an empty "
                    "'{column}': {splits}.",
                    len(codes),
                    source=walk.path.name,
                    count=len(codes),
                    column=walk.share,
                    splits=examples(_split_text(links, codes), quote=False),
                ),
                _("give the share of every row of a split code; the tool never guesses it."),
            )
        )
    usable = pd.Series(np.where(given, values, 1.0), index=links.index)
    sums = usable.groupby(links["source"]).sum()
    off = sums[(sums - 1).abs() > SHARE_TOLERANCE]
    if not (bad.any() or unshared.any()) and not off.empty:
        listed = [f"{code!r} {total:.4g}" for code, total in off.items()]
        problems.append(
            _error(
                walk,
                ngettext(
                    "{source}: the shares of {count} '{column}' code(s) do not add up to 1 "
                    "(± {tolerance:g}): {listed}.",
                    "{source}: the shares of {count} '{column}' code(s) do not add up to 1 "
                    "(± {tolerance:g}): {listed}.",
                    len(off),
                    source=walk.path.name,
                    count=len(off),
                    column=walk.source,
                    tolerance=SHARE_TOLERANCE,
                    listed=examples(listed, quote=False),
                ),
                _("correct the shares so that each code gives away all its people, no more."),
            )
        )
    return problems
