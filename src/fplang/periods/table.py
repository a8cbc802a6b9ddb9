"""The periods table: eras, Party Congresses and dated events, each with the source of its dates.

The periodisation lives in ``data/periods.csv`` (read with :func:`load_periods`):

``period_id``
    snake_case, unique.
``label``
    what the book prints.
``start_year``, ``end_year``
    inclusive calendar years.
``kind``
    ``era`` -- the eras partition the years without gaps or overlaps, so every
    year belongs to exactly one era (1945-2030 in the shipped table; from 1986
    on, each era is one Party Congress term, ``congress_10`` = 2006-2010);
    ``congress`` -- a Party Congress meeting, a single year;
    ``event`` -- a dated event (Geneva 1954, WTO 2007), a single year.
``congress``
    the Congress ordinal for Congress meetings and Congress-term eras, else empty.
``source``
    a citation or URL for the dates.
``landmark`` (optional)
    a short label when the row's year is a landmark that chapter 6 sets its
    change points against ("WTO membership"); empty otherwise.  Landmarks are
    the periodisation's, so a re-run on another state's periods table measures
    its change points against that state's landmarks (:func:`landmarks`).

The 6th Congress met in December 1986 and launched the renewal (Doi Moi).
Because the table works in whole years, 1986 belongs to the era
``congress_6`` rather than to ``postwar_isolation`` (1976-1985): a sentence
that names 1986 almost always names the renewal.
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from fplang.errors import InputError, Problem, quoted
from fplang.files import read_text_table
from fplang.tables import cell, row_problem, weak_domains_in, whole_number

PERIOD_COLUMNS: tuple[str, ...] = (
    "period_id",
    "label",
    "start_year",
    "end_year",
    "kind",
    "congress",
    "source",
)
"""Columns of the periods table, in file order."""

OPTIONAL_COLUMNS: tuple[str, ...] = ("landmark",)
"""Columns a periods table may add after :data:`PERIOD_COLUMNS`."""

PERIOD_KINDS: tuple[str, ...] = ("era", "congress", "event")
"""Allowed values of ``kind``."""

YEAR_RANGE: tuple[int, int] = (1, 9999)
"""The years a period may start and end in (four digits at most; there is no year 0)."""

MAX_CONGRESS = 1000
"""The largest Congress ordinal the table accepts (the Party has held 14)."""


class PeriodsError(InputError):
    """A periods table is unusable; ``problems`` lists every problem found.

    Each problem names the file (or table), the row and the column, and says what
    is wrong, so one run shows everything that needs fixing.
    """

    what = "the periods table"


# --------------------------------------------------------------------------
# Loading and validating the periods table
# --------------------------------------------------------------------------


def load_periods(path: str | Path) -> pd.DataFrame:
    """Read and validate a periods table (see the module docstring for columns).

    Parameters
    ----------
    path
        CSV file with the columns of :data:`PERIOD_COLUMNS`.

    Returns
    -------
    pandas.DataFrame
        One row per period in file order: ``start_year``/``end_year`` as
        ``int64``, ``congress`` as nullable ``Int64``, the rest as ``str``.

    Raises
    ------
    PeriodsError
        Listing *every* problem at once: a missing column, a year that is not a
        whole number, an end before its start, a repeated ``period_id``,
        overlapping or gapped eras, an unknown ``kind``, a missing source, ...
    """
    problems = validate_periods(path)
    if problems:
        raise PeriodsError(problems, str(path))
    table, _ = read_text_table(path)
    assert table is not None  # validated above
    return _typed_periods(table)


def validate_periods(path: str | Path) -> list[Problem]:
    """Every problem in the periods table at ``path``; an empty list means valid.

    The messages are those :class:`PeriodsError` carries from :func:`load_periods`.
    """
    path = Path(path)
    table, problems = read_text_table(path, PERIOD_COLUMNS, "periods table")
    if table is not None:
        problems += _period_table_problems(table, path.name)
        if not problems and not (table["kind"].map(cell) == "era").any():
            what = "no rows" if table.empty else "no era row"
            message = f"the table has {what}; every sentence is placed in an era, so give at least one"
            problems.append(Problem(path.name, message=message))
    return problems


@dataclass(frozen=True)
class PeriodFacts:
    """The dates the rules look up, taken once from a validated periods table.

    Attributes
    ----------
    eras
        ``(start_year, end_year, period_id)`` of every era, sorted by start.
    spans
        ``period_id -> (start_year, end_year)`` for every row.
    congress_years
        Congress ordinal -> year of the Congress meeting.
    congress_term_ends
        Congress ordinal -> last year of the era that is that Congress's term.
    """

    eras: tuple[tuple[int, int, str], ...]
    spans: Mapping[str, tuple[int, int]]
    congress_years: Mapping[int, int]
    congress_term_ends: Mapping[int, int]

    @classmethod
    def from_periods(cls, periods: pd.DataFrame) -> PeriodFacts:
        """Collect the facts from a table :func:`load_periods` returned."""
        eras = periods[periods["kind"] == "era"].sort_values("start_year", kind="stable")
        meetings = periods[(periods["kind"] == "congress") & periods["congress"].notna()]
        term_eras = eras[eras["congress"].notna()]
        return cls(
            eras=tuple(
                (int(row.start_year), int(row.end_year), str(row.period_id))
                for row in eras.itertuples(index=False)
            ),
            spans={
                str(row.period_id): (int(row.start_year), int(row.end_year))
                for row in periods.itertuples(index=False)
            },
            congress_years={
                int(row.congress): int(row.start_year) for row in meetings.itertuples(index=False)
            },
            congress_term_ends={
                int(row.congress): int(row.end_year) for row in term_eras.itertuples(index=False)
            },
        )

    def era_of(self, year: int) -> str | None:
        """The era containing ``year``, or ``None`` if the table has none."""
        for start, end, period_id in self.eras:
            if start <= year <= end:
                return period_id
        return None

    def eras_between(self, start: int, end: int) -> list[str]:
        """Every era overlapping the inclusive span ``start``-``end``, in time order."""
        return [period_id for first, last, period_id in sorted(self.eras) if first <= end and start <= last]

    def congress_term(self, ordinal: int) -> tuple[int, int] | None:
        """First and last year of the ``ordinal``-th Congress's term.

        The term starts in the Congress's year and ends where its era row ends;
        for Congresses without an era row (the 1st to 5th), the year before the
        next Congress met.  ``None`` when the table does not know the Congress.
        """
        start = self.congress_years.get(ordinal)
        if start is None:
            return None
        if ordinal in self.congress_term_ends:
            return start, self.congress_term_ends[ordinal]
        next_meeting = self.congress_years.get(ordinal + 1)
        if next_meeting is not None:
            return start, max(start, next_meeting - 1)
        return None


def landmarks(periods: pd.DataFrame) -> dict[int, str]:
    """The landmark years of a periods table: year -> label, years ascending.

    A row is a landmark when its ``landmark`` cell is not empty; its year is
    the row's ``start_year``.  Two landmarks of one year are joined with "; "
    in table order.  A table without the column, or with no landmark, gives
    an empty mapping: nothing is set against a landmark the table does not name.
    """
    if "landmark" not in periods:
        return {}
    labelled = periods[periods["landmark"].map(cell) != ""]
    by_year: dict[int, list[str]] = {}
    for year, label in zip(labelled["start_year"], labelled["landmark"], strict=True):
        by_year.setdefault(int(year), []).append(cell(label))
    return {year: "; ".join(labels) for year, labels in sorted(by_year.items())}


def period_facts(periods: pd.DataFrame) -> PeriodFacts:
    """Validate ``periods`` and collect the dates the rules look up.

    A rule whose anchor row is missing (another state's periodisation has no
    Geneva Agreements) reads nothing; :func:`unanchored_rules` names them.

    The facts of a table already read in this process are given again without
    validating it again (about 10 ms, paid by every task of the corpus build):
    the table is known by its pickled bytes, so any change to a cell, a column
    or a dtype reads it afresh.
    """
    key = pickle.dumps(periods, protocol=pickle.HIGHEST_PROTOCOL)
    known = _FACTS.get(key)
    if known is None:
        known = _read_facts(periods)
        if len(_FACTS) >= _FACTS_KEPT:
            _FACTS.clear()
        _FACTS[key] = known
    return known


_FACTS: dict[bytes, PeriodFacts] = {}
_FACTS_KEPT = 8
"""Periods tables whose facts :func:`period_facts` keeps (a run reads one or two)."""


def _read_facts(periods: pd.DataFrame) -> PeriodFacts:
    """:func:`period_facts` without the memory: validate and collect."""
    missing_columns = [column for column in PERIOD_COLUMNS if column not in periods.columns]
    if missing_columns:
        raise PeriodsError(
            [Problem("periods table", message=f"missing column {column!r}") for column in missing_columns]
        )
    problems = _period_table_problems(periods.astype(object), "periods table")
    if problems:
        raise PeriodsError(problems, "periods table")
    return PeriodFacts.from_periods(_typed_periods(periods))


@dataclass(frozen=True)
class _CheckedRow:
    """A periods-table row after its own checks; unusable cells are ``None``."""

    position: int
    period_id: str
    kind: str
    start: int | None
    end: int | None
    congress: int | None

    @property
    def ref(self) -> str:
        return f"row {self.position + 1} (line {self.position + 2}) {self.period_id!r}"

    @property
    def is_dated(self) -> bool:
        return self.start is not None and self.end is not None and self.end >= self.start


def _period_table_problems(table: pd.DataFrame, name: str) -> list[Problem]:
    """Every problem in a periods table whose cells may still be text.

    Rows are counted from 1 for the first data row; the file line (header =
    line 1) is given too, so the message can be followed in an editor.
    Problems come in row order, and within a row in column order, followed by
    the problems between rows (overlapping or gapped eras, Congress ordinals).
    """
    problems = [
        Problem(name, message=f"missing column {column!r} (the table needs {', '.join(PERIOD_COLUMNS)})")
        for column in PERIOD_COLUMNS
        if column not in table.columns
    ]
    rows: list[_CheckedRow] = []
    first_row_of_id: dict[str, int] = {}
    for position, record in enumerate(table.to_dict("records")):
        cells = {column: cell(record[column]) for column in PERIOD_COLUMNS if column in table.columns}
        row, row_problems = _check_row(cells, position, first_row_of_id)
        problems += [row_problem(name, position, problem) for problem in row_problems]
        rows.append(row)
        first_row_of_id.setdefault(row.period_id, position)
    return problems + [Problem(name, message=problem) for problem in _between_row_problems(rows)]


def _check_row(
    cells: Mapping[str, str], position: int, first_row_of_id: Mapping[str, int]
) -> tuple[_CheckedRow, list[str]]:
    """Problems within one row, each starting with the column name."""
    problems: list[str] = []
    period_id = cells.get("period_id", "")
    if "period_id" in cells:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", period_id):
            problems.append(
                f"period_id: {quoted(period_id)} is not snake_case "
                "(lower-case letters, digits and underscores, starting with a letter)"
            )
        elif period_id in first_row_of_id:
            first = first_row_of_id[period_id]
            problems.append(
                f"period_id: {quoted(period_id)} repeats row {first + 1} (line {first + 2}); period ids must be unique"
            )
    if "label" in cells and not cells["label"]:
        problems.append("label: empty; give the name the book prints")
    years: dict[str, int | None] = {}
    for column in ("start_year", "end_year"):
        years[column] = whole_number(cells[column]) if column in cells else None
        if column in cells and years[column] is None:
            problems.append(f"{column}: {quoted(cells[column])} is not a whole year")
        elif years[column] is not None and not YEAR_RANGE[0] <= years[column] <= YEAR_RANGE[1]:  # type: ignore[operator]
            first, last = YEAR_RANGE
            problems.append(f"{column}: {quoted(cells[column])} is outside the years {first} to {last}")
            years[column] = None
    start, end = years["start_year"], years["end_year"]
    if start is not None and end is not None and end < start:
        problems.append(f"end_year: {end} precedes start_year {start}")
    kind = cells.get("kind", "")
    if "kind" in cells and kind not in PERIOD_KINDS:
        problems.append(f"kind: {quoted(kind)} is not one of {', '.join(PERIOD_KINDS)}")
    if kind in ("congress", "event") and start is not None and end is not None and start != end:
        problems.append(f"end_year: a {kind} row is a single year, but start_year {start} and end_year {end} differ")
    congress_text = cells.get("congress", "")
    congress = whole_number(congress_text) if congress_text else None
    if congress_text and (congress is None or not 1 <= congress <= MAX_CONGRESS):
        problems.append(
            f"congress: {quoted(congress_text)} is not a Congress ordinal (a whole number from 1 to {MAX_CONGRESS:,})"
        )
        congress = None
    elif kind == "congress" and "congress" in cells and not congress_text:
        problems.append("congress: empty; a congress row needs its ordinal")
    elif kind == "event" and congress_text:
        problems.append("congress: an event row takes no Congress ordinal")
    if "source" in cells and not cells["source"]:
        problems.append("source: empty; give a citation or URL for the dates")
    problems += [
        f"source: cites {domain}, which a specialist would not accept; find a Party, State or scholarly source"
        for domain in weak_domains_in(cells.get("source", ""))
    ]
    return _CheckedRow(position, period_id, kind, start, end, congress), problems


def _between_row_problems(rows: list[_CheckedRow]) -> list[str]:
    """Eras must neither overlap nor leave gaps; Congress ordinals must be unique and agree."""
    problems: list[str] = []
    eras = sorted(
        (row for row in rows if row.kind == "era" and row.is_dated), key=lambda row: (row.start, row.position)
    )
    reaching_furthest: _CheckedRow | None = None
    for era in eras:
        assert era.start is not None and era.end is not None  # is_dated
        if reaching_furthest is not None and reaching_furthest.end is not None:
            if era.start <= reaching_furthest.end:
                problems.append(
                    f"eras {reaching_furthest.ref} and {era.ref} overlap in "
                    f"{era.start}-{min(era.end, reaching_furthest.end)}; each year must belong to one era"
                )
            elif era.start > reaching_furthest.end + 1:
                problems.append(
                    f"no era covers {reaching_furthest.end + 1}-{era.start - 1} "
                    f"(between {reaching_furthest.ref} and {era.ref})"
                )
        if reaching_furthest is None or era.end > (reaching_furthest.end or era.end):
            reaching_furthest = era
    meetings: dict[int, _CheckedRow] = {}
    term_eras: dict[int, _CheckedRow] = {}
    for row in rows:
        by_ordinal = {"congress": meetings, "era": term_eras}.get(row.kind)
        if by_ordinal is None or row.congress is None:
            continue
        if row.congress in by_ordinal:
            problems.append(
                f"{row.ref} repeats congress {row.congress} of the {row.kind} {by_ordinal[row.congress].ref}"
            )
        else:
            by_ordinal[row.congress] = row
    for ordinal, era in term_eras.items():
        meeting = meetings.get(ordinal)
        if meeting is not None and meeting.start is not None and era.start is not None and meeting.start != era.start:
            problems.append(
                f"era {era.ref} is the term of Congress {ordinal} but starts in {era.start}, "
                f"while that Congress ({meeting.ref}) met in {meeting.start}"
            )
    return problems


def _typed_periods(table: pd.DataFrame) -> pd.DataFrame:
    """Cast a validated table: years to int64, congress to nullable Int64, text to str."""
    typed = pd.DataFrame(
        {
            "period_id": table["period_id"].map(cell),
            "label": table["label"].map(cell),
            "start_year": table["start_year"].map(lambda value: int(cell(value))).astype("int64"),
            "end_year": table["end_year"].map(lambda value: int(cell(value))).astype("int64"),
            "kind": table["kind"].map(cell),
            "congress": pd.array(
                [int(cell(value)) if cell(value) else pd.NA for value in table["congress"]], dtype="Int64"
            ),
            "source": table["source"].map(cell),
            "landmark": table["landmark"].map(cell) if "landmark" in table else "",
        }
    )
    return typed.reset_index(drop=True)
