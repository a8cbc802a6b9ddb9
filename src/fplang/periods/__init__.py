"""Periods: date every sentence twice, by publication and by the past it speaks about.

A per-corpus stage below the analysis; the periodisation itself is data (``data/periods.csv``).

- :mod:`~fplang.periods.table`: load and validate the periods table.
- :mod:`~fplang.periods.rules`: the attribution rules, each a kind of explicit time evidence.
- :mod:`~fplang.periods.attribution`: ``attribute_periods``, the two dates of every sentence.
"""

from fplang.periods.attribution import (
    DATE_COLUMNS,
    SentenceTableError,
    attribute_periods,
    find_evidence,
    period_chart_data,
)
from fplang.periods.rules import ATTRIBUTION_RULES, describe_rules, unanchored_rules
from fplang.periods.table import PeriodFacts, PeriodsError, landmarks, load_periods, validate_periods

__all__ = [
    "ATTRIBUTION_RULES",
    "DATE_COLUMNS",
    "PeriodFacts",
    "PeriodsError",
    "SentenceTableError",
    "attribute_periods",
    "describe_rules",
    "find_evidence",
    "landmarks",
    "load_periods",
    "period_chart_data",
    "unanchored_rules",
    "validate_periods",
]
