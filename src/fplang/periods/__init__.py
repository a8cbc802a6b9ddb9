"""Periods: date every sentence twice, by publication and by the past it speaks about.

A per-corpus stage below the analysis: the periodisation is data (``data/periods.csv``).

- :mod:`~fplang.periods.attribution`: the periods table, the attribution rules and ``attribute_periods``.
"""

from fplang.periods.attribution import (
    PeriodsError,
    SentenceTableError,
    attribute_periods,
    describe_rules,
    load_periods,
    period_chart_data,
    unanchored_rules,
    validate_periods,
)

__all__ = [
    "PeriodsError",
    "SentenceTableError",
    "attribute_periods",
    "describe_rules",
    "load_periods",
    "period_chart_data",
    "unanchored_rules",
    "validate_periods",
]
