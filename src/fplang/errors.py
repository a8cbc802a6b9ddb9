"""The errors fplang raises on purpose, and the problems an input check reports.

Every exception fplang raises for a reason a user can act on derives from
:class:`FplangError`, so the command line catches the family once.  Bad input
is an :class:`InputError`: it carries every :class:`Problem` found, each naming
the file, where in it (a row number or a key), the column and what is wrong,
so a user fixes an input in one pass.  The validators (``validate_manifest``,
``validate_lexicon``, ``validate_periods``, ``validate_formulas``) return the
same problems without raising.

Each error class also derives from the built-in exception it refines
(``ValueError``, ``TypeError``, ``RuntimeError``), so code that catches those
keeps working.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input, located precisely enough to fix it.

    Attributes
    ----------
    file : the file's name (or what the input is, e.g. ``"parameters"``).
    where : a row number (from 1, the first data row) or a key
        (``"concept 'peace', pattern 2"``); ``None`` for the file as a whole.
    column : the column (or field) at fault, if any.
    message : what is wrong, in words a user can act on.
    detail : what the row is, printed after its number in parentheses
        (``"doc_id 'x'"``, ``"line 5"``).
    """

    file: str
    where: int | str | None = None
    column: str | None = None
    message: str = ""
    detail: str | None = None

    def __str__(self) -> str:
        text = self.file
        if isinstance(self.where, int):
            text += f" row {self.where}"
            if self.detail:
                text += f" ({self.detail})"
        elif self.where:
            text += f", {self.where}"
        if self.column:
            text += f", column {self.column}"
        return f"{text}: {self.message}"


def problem_order(problem: Problem) -> tuple[int, str, int, str, str]:
    """A sort key: file-wide problems first, then by row, column and message."""
    row = problem.where if isinstance(problem.where, int) else 0
    key = problem.where if isinstance(problem.where, str) else ""
    return (row, key, 0 if problem.column is None else 1, problem.column or "", problem.message)


class FplangError(Exception):
    """Base of every error fplang raises on purpose; the message says what to fix."""


class InputError(FplangError, ValueError):
    """An input cannot be used; ``problems`` lists every reason, each located.

    Subclasses name the input (:attr:`what`) in the message's first line.
    """

    what: str = "the input"

    def __init__(self, problems: Iterable[Problem], source: str | None = None) -> None:
        self.problems: list[Problem] = list(problems)
        self.source = source
        count = len(self.problems)
        where = f"{source}: " if source else ""
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"{where}{count} problem{'s' if count != 1 else ''} in {self.what}:\n{lines}")


class StatsInputError(FplangError, ValueError):
    """An argument to a statistic cannot be used; the message names it and says why."""


class SeriesTooShortError(StatsInputError):
    """A series has too few points for the requested analysis."""


class MissingValueError(StatsInputError):
    """A value the statistic needs is missing (NaN); the message names where."""


def shorten(text: object, limit: int = 80) -> str:
    """``text`` (or its ``str``) cut to ``limit`` characters, with ``…`` and the full length when cut.

    Messages quote the value at fault so a user can find it; a value read from a
    hostile file may be megabytes long, and a message must stay one line.
    """
    text = str(text)
    if len(text) <= limit:
        return text
    return f"{text[: max(limit - 1, 1)]}… ({len(text):,} characters)"


def shown_path(path: object, limit: int = 200) -> str:
    """A path as a message shows it: whole, or ``…`` and its last ``limit`` characters (the file's name is last)."""
    text = str(path)
    return text if len(text) <= limit else "\u2026" + text[-(limit - 1) :]


def quoted(value: object, limit: int = 80) -> str:
    """``repr(value)`` shortened (:func:`shorten`), for quoting a user's value in a message.

    The ``repr`` of a large structure is built only up to what is shown.
    """
    if isinstance(value, (list, tuple, dict, set)) and len(value) > limit:
        return f"a {type(value).__name__} of {len(value):,} items"
    return shorten(repr(value), limit)


def format_problems(problems: Iterable[Problem | str]) -> str:
    """Problems as the command line prints them: a count, then one indented line each."""
    listed = [str(problem) for problem in problems]
    return f"{len(listed)} problem(s):\n" + "\n".join(f"  - {line}" for line in listed)
