"""The checks every table shares: required columns, a cell as text, a whole number.

One set of helpers for the input tables (periods, formulas, the UN source) and
for the frames functions take as arguments (sentences, statements, bootstrap
units), so a missing column is reported the same way everywhere.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

from fplang.errors import FplangError, Problem

_WHOLE_NUMBER = re.compile(r"[+-]?\d+")


def missing_columns(frame: pd.DataFrame, columns: Iterable[str]) -> list[str]:
    """The ``columns`` that ``frame`` lacks, in the order given."""
    return [column for column in columns if column not in frame.columns]


def require_columns(
    frame: object, columns: Iterable[str], what: str, error: type[FplangError]
) -> None:
    """Raise ``error`` naming ``what`` and its missing columns, unless ``frame`` has them all.

    ``frame`` must be a DataFrame (anything else raises ``error`` too): the
    message reads ``"sentences: missing column(s) text; it has doc_id, sentence_id"``.
    """
    if not isinstance(frame, pd.DataFrame):
        raise error(f"{what} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = missing_columns(frame, columns)
    if missing:
        present = ", ".join(map(str, frame.columns)) or "no columns"
        raise error(f"{what}: missing column(s) {', '.join(missing)}; it has {present}")


def row_problem(file: str, position: int, column_and_message: str) -> Problem:
    """A problem in data row ``position`` (from 0) of a CSV file, written ``"column: message"``.

    Rows count from 1 for the first data row, and the file's line (the header
    is line 1) is given too, so the problem can be followed in an editor:
    ``periods.csv row 2 (line 3), column end_year: 1950 precedes start_year 1954``.
    """
    column, _, message = column_and_message.partition(": ")
    return Problem(file, position + 1, column, message, detail=f"line {position + 2}")


def is_missing(value: object) -> bool:
    """Whether a cell is empty: ``None``, NaN or ``pd.NA`` (an empty string is text, not missing)."""
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def cell(value: object) -> str:
    """A table cell as stripped text; a missing cell is ``""``."""
    return "" if is_missing(value) else str(value).strip()


def whole_number(text: str) -> int | None:
    """``text`` as an integer when it is one (``"12"``, ``"-3"``), else ``None`` (``"1.5"``, ``"x"``)."""
    return int(text) if _WHOLE_NUMBER.fullmatch(text) else None


WEAK_SOURCE_DOMAINS: tuple[str, ...] = (
    "vietnamtheartofwar.com",
    "historysnacks.io",
    "historyrise.com",
    "wikipedia.org",
    "self.gutenberg.org",
    "enacademic.com",
    "gcsehistory.com",
    "123docz.net",
    "blogspot.com",
)
"""Hosts a specialist would not accept as the source of a date or a formula: popular
history sites, Wikipedia and its mirrors, a student-paper repository and personal blogs.
The formulas and periods tables are refused if a source names one."""


def weak_domains_in(text: str) -> list[str]:
    """The hosts of :data:`WEAK_SOURCE_DOMAINS` that ``text`` names, alone or after a sub-domain.

    "https://en.wikipedia.org/wiki/X" names ``wikipedia.org``; "notwikipedia.org" does not.
    """
    lowered = text.lower()
    return [domain for domain in WEAK_SOURCE_DOMAINS if re.search(rf"(?<![\w-]){re.escape(domain)}\b", lowered)]
