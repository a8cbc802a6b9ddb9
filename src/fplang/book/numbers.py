"""The book's number formats for prose: ``1,234`` and ``1.2``, formatted once, here."""

from __future__ import annotations

import math

import numpy as np

from fplang.errors import StatsInputError


def format_int(n) -> str:
    """An integer with thousands separators, for prose: ``1234 -> '1,234'``.

    Accepts Python and numpy integers and integral floats; raises
    :class:`StatsInputError` for a fractional or missing value, which in glued
    prose is a bug to catch, not to print.
    """
    if isinstance(n, bool) or n is None or not isinstance(n, int | float | np.integer | np.floating):
        raise StatsInputError(f"format_int needs an integer, got {n!r}")
    if not (math.isfinite(n) and float(n).is_integer()):
        raise StatsInputError(f"format_int needs an integer, got {n!r}")
    return f"{int(n):,}"


def format_rate(x, digits: int = 1) -> str:
    """A rate for prose, to ``digits`` decimals with thousands separators: ``1.234 -> '1.2'``.

    Negative zero is printed as ``0.0``; NaN (a rate with no tokens) raises
    :class:`StatsInputError` rather than printing "nan" in a sentence.
    """
    if isinstance(x, bool) or x is None or not isinstance(x, int | float | np.integer | np.floating):
        raise StatsInputError(f"format_rate needs a number, got {x!r}")
    if not math.isfinite(x):
        raise StatsInputError(f"format_rate needs a finite number, got {x!r}")
    text = f"{float(x):,.{digits}f}"
    return text[1:] if text.startswith("-") and float(text.replace(",", "")) == 0 else text
