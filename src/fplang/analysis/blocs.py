"""Who was speaking, and when: the speaking state's alignment and the era of each General Debate.

The world chapter reads others' words about Viet Nam by the speaker's camp
and by era.  Both are study facts, so both live in committed tables with a
source for every row (``data/world/alignment.csv`` and ``data/world/eras.csv``,
described in ``data/world/README.md``), and this module only reads, checks
and applies them:

* **alignment**: membership of NATO, of the Warsaw Pact and of the
  Non-Aligned Movement, each from its year of joining (and, where sourced, to
  its year of leaving).  A state in none of them in a given year is "other".
  The Non-Aligned rows cover only the Belgrade (1961) and Cairo (1964)
  participants and Viet Nam (1976): no source a specialist would accept was
  found for the states that joined from 1970 on, so they count as "other"
  and the category is named for what it holds.
* **eras**: consecutive ranges of debate years.  A debate belongs to the era
  in force when it was held; since the General Debate opens each session in
  the autumn, an event of a given year starts the era at that year's debate
  only if it came before the autumn (the table's ``begins`` column says which
  way each boundary falls and why).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from fplang.errors import InputError, Problem
from fplang.files import read_text_table

__all__ = [
    "ALIGNMENT_COLUMNS",
    "BLOC_LABELS",
    "ERA_COLUMNS",
    "WorldInputError",
    "assign_blocs",
    "assign_eras",
    "load_alignment",
    "load_eras",
]

ALIGNMENT_COLUMNS: tuple[str, ...] = ("iso3", "bloc", "from_year", "to_year", "source", "source_url", "note")
"""Columns of the alignment table; ``to_year`` may be empty (no end recorded)."""

ERA_COLUMNS: tuple[str, ...] = ("era_id", "label", "first_year", "last_year", "begins", "source", "source_url")
"""Columns of the era table; each era is the debates from ``first_year`` to ``last_year``."""

BLOC_LABELS: dict[str, str] = {
    "nato": "NATO",
    "warsaw_pact": "Warsaw Pact",
    "nam": "Non-Aligned (1961 and 1964 members)",
    "other": "Other",
}
"""How each bloc reads in the book, in the order charts list them."""

FIRST_DEBATE, LAST_DEBATE = 1946, 2100


class WorldInputError(InputError):
    """An alignment or era table is unusable; ``problems`` lists every problem (file, row, column, what)."""

    what = "the world chapter's input table"


@dataclass(frozen=True)
class _Row:
    number: int
    cells: dict[str, str]

    def problem(self, path: Path, column: str, message: str) -> Problem:
        # Row 1 is the first data row; the header is line 1, so row n is line n + 1.
        return Problem(path.name, self.number, column, message, detail=f"line {self.number + 1}")


def load_alignment(path: str | Path) -> pd.DataFrame:
    """The alignment table, checked: every row a known bloc, whole years, a source.

    Returns columns :data:`ALIGNMENT_COLUMNS` with ``from_year`` as int and
    ``to_year`` as a nullable Int64 (missing = no end recorded).

    Raises
    ------
    WorldInputError
        Listing every bad row: an unknown bloc, a year that is not a whole
        number in 1900–2100, an end before the start, an empty source, or two
        rows putting one state in two blocs in the same year.
    """
    path = Path(path)
    table = _read_with_columns(path, ALIGNMENT_COLUMNS)
    problems: list[Problem] = []
    for row in _rows(table):
        cells = row.cells
        if cells["bloc"] not in BLOC_LABELS or cells["bloc"] == "other":
            problems.append(row.problem(path, "bloc", f"{cells['bloc']!r} is not one of nato, warsaw_pact, nam"))
        if len(cells["iso3"]) != 3 or not cells["iso3"].isupper():
            problems.append(row.problem(path, "iso3", f"{cells['iso3']!r} is not an ISO 3166 alpha-3 code"))
        start = _year(cells["from_year"], row, "from_year", path, problems, required=True)
        end = _year(cells["to_year"], row, "to_year", path, problems, required=False)
        if start is not None and end is not None and end < start:
            problems.append(row.problem(path, "to_year", f"{end} is before from_year {start}"))
        if not cells["source"].strip():
            problems.append(row.problem(path, "source", "every membership needs a source"))
    if problems:
        raise WorldInputError(problems, str(path))
    frame = table[list(ALIGNMENT_COLUMNS)].copy()
    frame["from_year"] = frame["from_year"].astype("int64")
    frame["to_year"] = pd.to_numeric(frame["to_year"].replace("", None)).astype("Int64")
    overlaps = _overlapping_memberships(frame)
    if overlaps:
        raise WorldInputError([Problem(path.name, message=overlap) for overlap in overlaps], str(path))
    return frame


def _read_with_columns(path: Path, columns: tuple[str, ...]) -> pd.DataFrame:
    """The table at ``path``, read as text; an error naming the file if it cannot be read or lacks a column."""
    table, problems = read_text_table(path)
    if table is None:
        raise WorldInputError(problems, str(path))
    problems = _missing_columns(table, columns, path)
    if problems:
        raise WorldInputError(problems, str(path))
    return table


def load_eras(path: str | Path) -> pd.DataFrame:
    """The era table, checked: consecutive, non-overlapping ranges of debate years, each with a source."""
    path = Path(path)
    table = _read_with_columns(path, ERA_COLUMNS)
    problems: list[Problem] = []
    for row in _rows(table):
        first = _year(row.cells["first_year"], row, "first_year", path, problems, required=True)
        last = _year(row.cells["last_year"], row, "last_year", path, problems, required=True)
        if first is not None and last is not None and last < first:
            problems.append(row.problem(path, "last_year", f"{last} is before first_year {first}"))
        if not row.cells["source"].strip():
            problems.append(row.problem(path, "source", "every era boundary needs a source"))
    if problems:
        raise WorldInputError(problems, str(path))
    frame = table[list(ERA_COLUMNS)].copy().astype({"first_year": "int64", "last_year": "int64"})
    for (_, before), (position, after) in zip(frame.iloc[:-1].iterrows(), frame.iloc[1:].iterrows(), strict=True):
        if after["first_year"] != before["last_year"] + 1:
            problems.append(
                Problem(
                    path.name,
                    int(position) + 1,
                    "first_year",
                    f"era {after['era_id']!r} starts in {after['first_year']}, but the era before it ends in "
                    f"{before['last_year']} (eras must follow each other year by year)",
                )
            )
    if frame["era_id"].duplicated().any():
        repeated = sorted(set(frame.loc[frame["era_id"].duplicated(), "era_id"]))
        problems.append(Problem(path.name, column="era_id", message=f"era ids repeat: {repeated}"))
    if problems:
        raise WorldInputError(problems, str(path))
    return frame


def assign_blocs(speeches: pd.DataFrame, alignment: pd.DataFrame) -> pd.Series:
    """The bloc id (``nato``, ``warsaw_pact``, ``nam`` or ``other``) of each speech's state in its year.

    ``speeches`` needs columns ``iso3`` and ``year``.  A membership counts in
    every year from ``from_year`` to ``to_year`` inclusive (to the end of the
    data when ``to_year`` is missing).
    """
    blocs = pd.Series("other", index=speeches.index, dtype=object)
    for membership in alignment.itertuples(index=False):
        end = LAST_DEBATE if pd.isna(membership.to_year) else int(membership.to_year)
        member = (
            (speeches["iso3"] == membership.iso3)
            & (speeches["year"] >= membership.from_year)
            & (speeches["year"] <= end)
        )
        blocs[member] = membership.bloc
    return blocs


def assign_eras(years: pd.Series, eras: pd.DataFrame) -> pd.Series:
    """The era id of each debate year; a year outside every era is an error, not a silent gap."""
    bins = pd.IntervalIndex.from_arrays(eras["first_year"], eras["last_year"], closed="both")
    positions = bins.get_indexer(years.astype("int64"))
    if (positions < 0).any():
        outside = sorted(set(years[positions < 0].astype(int)))
        raise WorldInputError([Problem("eras", message=f"debate years outside every era: {outside[:10]}")])
    return pd.Series(eras["era_id"].to_numpy()[positions], index=years.index)


def _missing_columns(table: pd.DataFrame, columns: tuple[str, ...], path: Path) -> list[Problem]:
    missing = [column for column in columns if column not in table.columns]
    return [Problem(path.name, message=f"missing column(s) {', '.join(missing)}")] if missing else []


def _rows(table: pd.DataFrame) -> list[_Row]:
    return [
        _Row(number, {k: str(v).strip() for k, v in row.items()})
        for number, row in enumerate(table.to_dict("records"), 1)
    ]


def _year(text: str, row: _Row, column: str, path: Path, problems: list[Problem], *, required: bool) -> int | None:
    if not text:
        if required:
            problems.append(row.problem(path, column, "a year is required"))
        return None
    if not text.isdigit() or not 1900 <= int(text) <= LAST_DEBATE:
        problems.append(row.problem(path, column, f"{text!r} is not a year (a whole number, 1900-{LAST_DEBATE})"))
        return None
    return int(text)


def _overlapping_memberships(frame: pd.DataFrame) -> list[str]:
    """States put in two blocs (or twice in one) in the same year."""
    problems = []
    for iso3, rows in frame.groupby("iso3"):
        spans = [
            (row.bloc, row.from_year, LAST_DEBATE if pd.isna(row.to_year) else int(row.to_year))
            for row in rows.itertuples(index=False)
        ]
        for i, (bloc_a, start_a, end_a) in enumerate(spans):
            for bloc_b, start_b, end_b in spans[i + 1 :]:
                if start_a <= end_b and start_b <= end_a:
                    problems.append(
                        f"{iso3} is in {bloc_a} ({start_a}-{end_a}) and {bloc_b} ({start_b}-{end_b}) in the same years"
                    )
    return problems
