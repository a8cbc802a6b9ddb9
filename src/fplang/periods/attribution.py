"""Which past does each sentence speak about?  The book's two time axes.

Most of the book's sources look back: a 2026 report on the 14th Congress
recalls the Geneva Agreement of 1954, a 2025 article reviews "eight decades"
of diplomacy.  Every sentence therefore carries two dates:

* **published** -- when the text appeared (``published_year``);
* **spoken about** -- the span of years the sentence itself names
  (``spoken_start`` .. ``spoken_end``, inclusive) and the era it falls in
  (``period_id``).

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

The 6th Congress met in December 1986 and launched the renewal (Doi Moi).
Because the table works in whole years, 1986 belongs to the era
``congress_6`` rather than to ``postwar_isolation`` (1976-1985): a sentence
that names 1986 almost always names the renewal.

Attribution (:func:`attribute_periods`) uses explicit evidence only: each
entry of :data:`ATTRIBUTION_RULES` is a named regular expression plus a small
function turning its match into a ``(start, end)`` year span, some of them
relative to the publication year.  Sentences without evidence inherit the
publication year.

Known limits, kept because each rule must stay explicit and checkable:

* a duration counts back from publication ("over a century" in 2025 is
  1925-2025), even where the writer meant a past stretch (colonial rule);
* an event named before it happened keeps its own date (a 2006 text on
  "our accession to the WTO" speaks about 2007);
* a bare "the Geneva agreements" is read as 1954, also when a 1988 speech
  means the Geneva accords on Afghanistan;
* adjectival durations ("the 80-year development", "a five-year plan") and
  dates written day/month/year ("21/01/2026") are not read, because
  "5-year" plans look forward and slashes mostly belong to UN document symbols
  ("S/2020/123").
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from fplang.files import read_text_table

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

PERIOD_KINDS: tuple[str, ...] = ("era", "congress", "event")
"""Allowed values of ``kind``."""

SENTENCE_COLUMNS: tuple[str, ...] = ("doc_id", "sentence_id", "text", "published")
"""Columns :func:`attribute_periods` needs in its sentence table."""

EARLIEST_PLAUSIBLE_YEAR: int = 1900
LATEST_PLAUSIBLE_YEAR: int = 2035
"""Four-digit numbers outside 1900-2035 are never read as years."""

RENEWAL_CONGRESS: int = 6
"""The Congress that launched the renewal (Doi Moi); its year starts "the renewal"."""

NEW_ERA_CONGRESS: int = 14
"""The Congress whose term the Party calls "the new era" (2026-2030)."""

NEW_ERA_SINCE_YEAR: int = 2024
"""From 2024 (General Secretary To Lam's "era of the nation's rise") "new era" is
the Party's name for the period opened by the 14th Congress.  In earlier texts
"a new era" is a commonplace and is not read as evidence."""

NATIONAL_DAY_PERIOD_ID: str = "august_revolution"
"""National Day (2 September) counts its anniversaries from this period's start year."""

CHART_EXCERPT_CHARS: int = 120
"""Longest excerpt :func:`period_chart_data` keeps of a sentence."""


class PeriodsError(ValueError):
    """A periods table is unusable; ``problems`` lists every problem found.

    Each problem names the file (or table), the row and the column, and says what
    is wrong, so one run shows everything that needs fixing.
    """

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = list(problems)
        count = len(self.problems)
        header = f"{source}: {count} problem{'s' if count != 1 else ''} in the periods table"
        super().__init__("\n".join([header, *(f"  - {problem}" for problem in self.problems)]))


class SentenceTableError(ValueError):
    """The sentence table given to :func:`attribute_periods` is unusable."""


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
    path = Path(path)
    table, problems = read_text_table(path)
    if table is not None:
        problems += _period_table_problems(table, path.name)
    if problems:
        raise PeriodsError(str(path), problems)
    return _typed_periods(table)


def validate_periods(path: str | Path) -> list[str]:
    """Every problem in the periods table at ``path``; an empty list means valid.

    The messages are those :class:`PeriodsError` carries from :func:`load_periods`.
    """
    path = Path(path)
    table, problems = read_text_table(path)
    if table is not None:
        problems += _period_table_problems(table, path.name)
    return problems


# --------------------------------------------------------------------------
# Attribution
# --------------------------------------------------------------------------


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


SpanFunction = Callable[[re.Match[str], int, PeriodFacts], "tuple[int, int] | None"]


@dataclass(frozen=True)
class AttributionRule:
    """One kind of explicit time evidence.

    Attributes
    ----------
    name
        Reported in the ``rule`` column (several named-event rules share
        ``"named_event"``).
    pattern
        Compiled, case-insensitive regular expression.
    to_span
        ``(match, published_year, facts) -> (start, end)`` in inclusive years,
        or ``None`` when the match turns out not to be evidence (then it claims
        no text and later rules may use the same words).
    example
        A phrase the rule reads, for the method notes.
    """

    name: str
    pattern: re.Pattern[str]
    to_span: SpanFunction
    example: str


@dataclass(frozen=True)
class Evidence:
    """One piece of time evidence found in a sentence.

    ``text`` is the matched string, ``position`` its character offset,
    ``start``/``end`` the inclusive years it speaks about.
    """

    text: str
    rule: str
    start: int
    end: int
    position: int


def find_evidence(text: str, published_year: int, facts: PeriodFacts) -> list[Evidence]:
    """All time evidence in ``text``, in the order it appears.

    Rules are tried in the order of :data:`ATTRIBUTION_RULES`; a match that
    overlaps text an earlier rule already claimed is skipped, so "the Geneva
    Agreement of 1954" is one named event, not an event and a year, and
    "since 1960" is not also the year 1960.
    """
    found: list[Evidence] = []
    claimed: list[tuple[int, int]] = []
    for rule in ATTRIBUTION_RULES:
        for match in rule.pattern.finditer(text):
            begin, finish = match.span()
            if any(begin < taken_end and taken_begin < finish for taken_begin, taken_end in claimed):
                continue
            span = rule.to_span(match, published_year, facts)
            if span is None:
                continue
            claimed.append((begin, finish))
            found.append(Evidence(match.group().strip(), rule.name, span[0], span[1], begin))
    return sorted(found, key=lambda evidence: evidence.position)


def attribute_periods(sentences: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
    """Date each sentence twice: when it was published and which past it speaks about.

    Parameters
    ----------
    sentences
        Columns ``doc_id``, ``sentence_id`` (order within the document),
        ``text`` and ``published`` (``'YYYY-MM-DD'``, ``'YYYY-MM'`` or ``'YYYY'``, as in a manifest).
    periods
        A periods table as :func:`load_periods` returns it.

    Returns
    -------
    pandas.DataFrame
        The input (same index and order) plus

        ``published_year`` (int)
            year of ``published``.
        ``spoken_start``, ``spoken_end`` (int)
            inclusive span of years the sentence speaks about.
        ``period_id`` (str or None)
            the era containing ``spoken_start``; ``None`` when that year lies
            outside every era (e.g. "over a century" in 2025 reaches 1925).
        ``evidence`` (str)
            every matched string, in text order, ``'; '``-joined; ``''`` if none.
        ``rule`` (str)
            the rule behind ``spoken_start`` (see below), or ``'inherited'``.
        ``inherited`` (bool)
            True when the sentence has no evidence.

    Notes
    -----
    **Several pieces of evidence.**  All are kept in ``evidence``; the spoken
    span is the span covering all of them (earliest start to latest end), its
    era is the one containing the earliest start, and ``rule`` names the rule
    whose evidence starts earliest (the first in the text on a tie).  A
    sentence that names "the Geneva Agreement of 1954 and the Paris Peace
    Accords of 1973" speaks about 1954-1973 and reaches back to 1954; the book
    asks how far back its sources reach, so the earliest start decides the
    era, and the covering span keeps the later evidence visible in the chart's
    ``spoken_mid``.

    **No evidence.**  The sentence inherits the publication year:
    ``spoken_start == spoken_end == published_year``, ``rule == 'inherited'``.

    Raises
    ------
    SentenceTableError
        A column is missing, a text is not a string, or a ``published`` value
        is not ``YYYY-MM-DD`` / ``YYYY-MM`` / ``YYYY`` (every bad row is listed).
    PeriodsError
        ``periods`` fails validation.  A table without the rows some rules
        need (named events, the 6th and 14th Congresses) is not an error:
        those rules read nothing (see :func:`unanchored_rules`).
    """
    _check_sentence_columns(sentences)
    facts = _facts_for_rules(periods)
    published_years = _published_years(sentences["published"])
    rows = [
        _attribute_one(text, year, facts)
        for text, year in zip(_texts(sentences["text"]), published_years, strict=True)
    ]
    attributed = sentences.copy()
    attributed["published_year"] = pd.Series(published_years, index=sentences.index, dtype="int64")
    for column, dtype in (
        ("spoken_start", "int64"),
        ("spoken_end", "int64"),
        ("period_id", "object"),
        ("evidence", "object"),
        ("rule", "object"),
        ("inherited", "bool"),
    ):
        attributed[column] = pd.Series([row[column] for row in rows], index=sentences.index, dtype=dtype)
    return attributed


def period_chart_data(attributed: pd.DataFrame) -> pd.DataFrame:
    """One row per sentence for the chart of publication date against period spoken about.

    Parameters
    ----------
    attributed
        Output of :func:`attribute_periods`.

    Returns
    -------
    pandas.DataFrame
        Sorted by ``published``, ``doc_id``, ``sentence_id``, with columns

        ``doc_id``, ``sentence_id``
            as given.
        ``published`` (datetime64)
            the publication date; a year-only date is placed at 1 July, the
            middle of its year, and a year-and-month date on the 15th.
        ``published_precision`` (str)
            ``'day'``, ``'month'`` or ``'year'``, so the chart can say which dates are approximate.
        ``spoken_start``, ``spoken_end`` (int), ``spoken_mid`` (float)
            the spoken span and its midpoint in years (1954-1973 -> 1963.5).
        ``period_id``, ``rule``, ``evidence``, ``inherited``
            as given.
        ``excerpt`` (str)
            the sentence with whitespace collapsed, cut at a word boundary to at
            most :data:`CHART_EXCERPT_CHARS` characters plus an ellipsis.
    """
    needed = (*SENTENCE_COLUMNS, "spoken_start", "spoken_end", "period_id", "rule", "evidence", "inherited")
    missing = [column for column in needed if column not in attributed.columns]
    if missing:
        raise SentenceTableError(
            f"period_chart_data needs the output of attribute_periods; missing column(s): {', '.join(missing)}"
        )
    published_text = attributed["published"].map(lambda value: str(value).strip())
    precision = published_text.map(_date_precision)
    middle = {"year": "-07-01", "month": "-15", "day": ""}
    chart = pd.DataFrame(
        {
            "doc_id": attributed["doc_id"],
            "sentence_id": attributed["sentence_id"],
            "published": pd.to_datetime(published_text + precision.map(middle), format="%Y-%m-%d"),
            "published_precision": precision,
            "spoken_start": attributed["spoken_start"].astype("int64"),
            "spoken_end": attributed["spoken_end"].astype("int64"),
            "spoken_mid": (attributed["spoken_start"] + attributed["spoken_end"]) / 2.0,
            "period_id": attributed["period_id"],
            "rule": attributed["rule"],
            "evidence": attributed["evidence"],
            "inherited": attributed["inherited"].astype(bool),
            "excerpt": attributed["text"].map(_excerpt),
        }
    )
    return chart.sort_values(["published", "doc_id", "sentence_id"], kind="stable").reset_index(drop=True)


def describe_rules() -> pd.DataFrame:
    """The attribution rules as a table for the method notes.

    Returns
    -------
    pandas.DataFrame
        One row per rule in priority order: ``priority`` (1 = tried first),
        ``rule`` (as in the ``rule`` column) and ``example`` (a phrase it reads).
    """
    return pd.DataFrame(
        {
            "priority": range(1, len(ATTRIBUTION_RULES) + 1),
            "rule": [rule.name for rule in ATTRIBUTION_RULES],
            "example": [rule.example for rule in ATTRIBUTION_RULES],
        }
    )


# --------------------------------------------------------------------------
# The rules
# --------------------------------------------------------------------------

_YEAR = r"(?:19\d\d|20[0-2]\d|203[0-5])"
"""A plausible year, 1900-2035 (see EARLIEST/LATEST_PLAUSIBLE_YEAR)."""

_COUNTED_NOUNS = (
    r"people|persons|delegates|members|participants|troops|soldiers|workers|students|children|"
    r"refugees|victims|deaths|lives|households|families|companies|enterprises|projects|units|"
    r"cases|tons|tonnes|hectares|km|kilometres|kilometers|metres|meters|dollars|USD"
)
_NOT_YEAR_BEFORE = r"(?<![\w$£€/])(?<!\d[.,])(?<!\d-)"
"""No letter, digit, currency sign or slash glued on the left ("US$2000", "A/2000")."""

_NOT_YEAR_AFTER = (
    r"(?![\w%/]|[.,]\d|-[^\W\d_]"
    rf"|\s+(?:Agenda|per\s*cent|percent|{_COUNTED_NOUNS})\b)"
)
"""Not "2000s", "2000%", "2,0001", "2000-strong", "2000 people" or "the 2030 Agenda"
(a document's name, not a date)."""

_LABEL_BEFORE_NUMBER = re.compile(
    r"(?:resolutions?|decisions?|decrees?|directives?|nos?\.?|numbers?|pages?|paragraphs?|paras?\.?|"
    r"articles?|US\$|USD|VND|EUR)\s*$",
    re.IGNORECASE,
)
"""A number right after these words ("resolution 1973", "No. 2000") is a label, not a year."""

_SMALL_NUMBERS: dict[str, int] = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}  # fmt: skip
_TENS: dict[str, int] = {
    "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
    "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}  # fmt: skip
_ORDINAL_WORDS: dict[str, int] = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7,
    "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13,
    "fourteenth": 14, "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18,
    "nineteenth": 19, "twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50,
    "sixtieth": 60, "seventieth": 70, "eightieth": 80, "ninetieth": 90,
}  # fmt: skip
_UNIT_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth")


def _longest_first(words: Mapping[str, int] | tuple[str, ...]) -> str:
    return "|".join(sorted(words, key=len, reverse=True))


_CARDINAL = (
    rf"(?:half\s+a|an?|\d{{1,3}}|(?:{_longest_first(_TENS)})(?:[-\s](?:{_longest_first(_SMALL_NUMBERS)}))?"
    rf"|{_longest_first(_SMALL_NUMBERS)})"
)
"""A count in digits (1-999) or words ("eight", "forty-five", "a", "half a")."""

_ORDINAL = (
    rf"(?<![\w-])(?:\d{{1,3}}(?:st|nd|rd|th)|(?:{_longest_first(_TENS)})[-\s](?:{_longest_first(_UNIT_ORDINALS)})"
    rf"|{_longest_first(_ORDINAL_WORDS)})"
)
"""An ordinal in digits ("13th") or words ("sixth", "twenty-sixth"); never the tail
of a hyphenated word, so "twenty-sixth Congress" is not read as the 6th."""

_DURATION_UNITS: dict[str, int] = {"year": 1, "decade": 10, "centur": 100}
_DURATION_ANCHORS = frozenset({"over", "for", "during", "throughout", "after", "past", "last"})
"""A duration counts back from publication only after one of these words
("over the past eight decades", "for 30 years") or when followed by "of" or
"ago" ("eight decades of diplomacy", "20 years ago")."""

_DURATION_NOT_FROM_NOW = re.compile(
    r"\b(?:next|coming|following|upcoming|future|first|initial|further|another|additional)\s+$",
    re.IGNORECASE,
)
_DURATION_RELATIVE_TO_OTHER = re.compile(
    r"\s+(?:after|before|later|earlier|old|from|ahead|hence|into|on)\b", re.IGNORECASE
)


def _compile(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _cardinal_value(words: str) -> float | None:
    """``'eight'`` -> 8, ``'forty-five'`` -> 45, ``'80'`` -> 80, ``'a'`` -> 1, ``'half a'`` -> 0.5."""
    normal = re.sub(r"[\s-]+", " ", words.strip().lower())
    if normal.isdigit():
        return float(normal)
    if normal in ("a", "an"):
        return 1.0
    if normal == "half a":
        return 0.5
    parts = normal.split()
    if all(part in _TENS or part in _SMALL_NUMBERS for part in parts):
        return float(sum(_TENS.get(part, 0) + _SMALL_NUMBERS.get(part, 0) for part in parts))
    return None


def _ordinal_value(words: str) -> int | None:
    """``'13th'`` -> 13, ``'Sixth'`` -> 6."""
    normal = re.sub(r"[\s-]+", " ", words.strip().lower())
    digits = re.match(r"\d+", normal)
    if digits:
        return int(digits.group())
    tens, _, unit = normal.rpartition(" ")
    if tens:
        return _TENS[tens] + _ORDINAL_WORDS[unit] if tens in _TENS and unit in _UNIT_ORDINALS else None
    return _ORDINAL_WORDS.get(normal)


def _in_plausible_range(year: int) -> bool:
    return EARLIEST_PLAUSIBLE_YEAR <= year <= LATEST_PLAUSIBLE_YEAR


def _span_single_year(match: re.Match[str], published_year: int, facts: PeriodFacts) -> tuple[int, int] | None:
    if _LABEL_BEFORE_NUMBER.search(match.string[: match.start()]):
        return None
    year = int(match.group("year"))
    return year, year


def _span_from_to(match: re.Match[str], published_year: int, facts: PeriodFacts) -> tuple[int, int] | None:
    start = int(match.group("between_start") or match.group("start"))
    end_text = match.group("between_end") or match.group("end")
    end = int(end_text) if len(end_text) == 4 else start // 100 * 100 + int(end_text)
    if end <= start or not _in_plausible_range(end):
        return None
    return start, end


def _span_since(match: re.Match[str], published_year: int, facts: PeriodFacts) -> tuple[int, int] | None:
    start = int(match.group("year") or match.group("decade"))
    return start, max(start, published_year)


def _span_until(match: re.Match[str], published_year: int, facts: PeriodFacts) -> tuple[int, int] | None:
    target = int(match.group("year"))
    return min(published_year, target), max(published_year, target)


def _span_decade(match: re.Match[str], published_year: int, facts: PeriodFacts) -> tuple[int, int] | None:
    start = int(match.group("decade"))
    return start, start + 9


def _span_duration(match: re.Match[str], published_year: int, facts: PeriodFacts) -> tuple[int, int] | None:
    preceding = match.string[: match.start("count")]
    following = match.string[match.end() :]
    if _DURATION_NOT_FROM_NOW.search(preceding) or _DURATION_RELATIVE_TO_OTHER.match(following):
        return None
    count = _cardinal_value(match.group("count"))
    unit = match.group("unit").lower()
    if count is None or (count == 1 and unit.startswith("year") and not match.group("count").isdigit()):
        return None  # "a year" is too vague ("once a year", "a year later")
    years = round(count * next(size for stem, size in _DURATION_UNITS.items() if unit.startswith(stem)))
    qualifiers = set(match.group("qualifiers").lower().split())
    is_ago = match.group("ago") is not None
    if not (qualifiers & _DURATION_ANCHORS or is_ago or re.match(r"\s+of\b", following)):
        return None
    if is_ago:
        return published_year - years, published_year - years
    return published_year - years, published_year


_ORDINAL_GROUPS = frozenset({"term_of", "term", "ordinal"})


def _span_congress_term(match: re.Match[str], published_year: int, facts: PeriodFacts) -> tuple[int, int] | None:
    written = next(value for name, value in match.groupdict().items() if value and name in _ORDINAL_GROUPS)
    ordinal = _ordinal_value(written)
    return None if ordinal is None else facts.congress_term(ordinal)


def _span_national_day(match: re.Match[str], published_year: int, facts: PeriodFacts) -> tuple[int, int] | None:
    ordinal = _ordinal_value(match.group("ordinal"))
    if ordinal is None:
        return None
    anchor = facts.spans.get(NATIONAL_DAY_PERIOD_ID)
    if anchor is None:
        return None
    year = anchor[0] + ordinal
    return year, year


def _span_named_event(
    match: re.Match[str], published_year: int, facts: PeriodFacts, *, period_id: str
) -> tuple[int, int] | None:
    if period_id not in facts.spans:
        return None
    start, end = facts.spans[period_id]
    stated = match.group("year_before") or match.group("year_after")
    if stated is not None and int(stated) != start:
        return None  # "the 1962 Geneva Agreements" name another event
    return start, end


def _span_renewal(match: re.Match[str], published_year: int, facts: PeriodFacts) -> tuple[int, int] | None:
    start = facts.congress_years.get(RENEWAL_CONGRESS)
    if start is None:
        return None
    return start, max(start, published_year)


def _span_new_era(match: re.Match[str], published_year: int, facts: PeriodFacts) -> tuple[int, int] | None:
    if published_year < NEW_ERA_SINCE_YEAR:
        return None
    return facts.congress_term(NEW_ERA_CONGRESS)


def _span_present(match: re.Match[str], published_year: int, facts: PeriodFacts) -> tuple[int, int] | None:
    return published_year, published_year


def _named_event_rule(period_id: str, names: str, example: str) -> AttributionRule:
    """A rule for an event dated by the ``period_id`` row of the periods table.

    A year written next to the name ("the 1954 Geneva Agreements", "Paris Peace
    Accords of 1973") becomes part of the evidence; a different year there means
    another event of that name, and the rule does not fire.
    """
    pattern = _compile(
        rf"(?:\b(?P<year_before>{_YEAR})\s+)?\b(?:{names})"
        rf"(?:,?\s+(?:of|in)\s+(?P<year_after>{_YEAR})\b)?"
    )
    return AttributionRule(
        "named_event", pattern, functools.partial(_span_named_event, period_id=period_id), example
    )


_RENEWAL_WORDS = r"(?:renewal|renovation|reform|doi\s+moi|đổi\s+mới)"

NAMED_EVENTS: tuple[tuple[str, str, str], ...] = (
    ("august_revolution", r"August\s+Revolution", "the 1945 August Revolution"),
    (
        "geneva_agreements_1954",
        r"Geneva\s+(?:International\s+)?(?:Agreements?|Accords?)\b(?!\s+on\s+(?!Indo-?china|Viet\s*Nam))"
        r"|Geneva\s+(?:International\s+)?Conference\s+on\s+Indo-?china",
        "the Geneva Agreement of 1954",
    ),
    (
        "paris_peace_accords_1973",
        r"Paris\s+Peace\s+(?:Accords?|Agreements?|Conference|Talks)"
        r"|Paris\s+(?:International\s+)?(?:Agreements?|Accords?|Conference)\s+on\s+(?:ending\s+the\s+war\s+"
        r"(?:and\s+restoring\s+peace\s+)?in\s+)?Viet\s*Nam",
        "the Paris Peace Accords of 1973",
    ),
    (
        "us_normalisation_1995",
        r"normali[sz](?:ation|ed|ing)\s+(?:of\s+)?(?:diplomatic\s+)?(?:relations|ties)\s+with\s+the\s+"
        r"(?:United\s+States|US|U\.S\.)",
        "normalisation of relations with the United States",
    ),
    (
        "asean_accession_1995",
        r"(?:accession|admission)\s+to\s+ASEAN|(?:joined|joining)\s+ASEAN",
        "accession to ASEAN",
    ),
    (
        "wto_accession_2007",
        r"(?:accession|admission)\s+to\s+the\s+(?:World\s+Trade\s+Organi[sz]ation|WTO)(?:\s*\(WTO\))?"
        r"|(?:joined|joining)\s+the\s+(?:World\s+Trade\s+Organi[sz]ation|WTO)|WTO\s+(?:accession|membership)",
        "our accession to the World Trade Organization (WTO)",
    ),
)
"""Named events as ``(period_id, phrase regex, example)``: the phrase is here, the
date in the periods table's ``period_id`` row ("Paris Peace Accords" -> 1973).
The Paris phrase needs "Peace" or "on Viet Nam" so that the 2015 Paris Agreement
on climate is not read as 1973; the Geneva phrase leaves out the Geneva
Conventions, the 1962 Conference on Laos and the "Geneva Agreements on
Afghanistan" (1988); a bare "the Geneva agreements" is still read as 1954."""

ATTRIBUTION_RULES: tuple[AttributionRule, ...] = (
    AttributionRule(
        "years_of_renewal",
        _compile(rf"\b(?P<count>{_CARDINAL})\s+years\s+of\s+(?:the\s+|national\s+)?{_RENEWAL_WORDS}\b"),
        _span_renewal,
        "40 years of renewal",
    ),
    AttributionRule(
        "year_span",
        _compile(
            rf"\bbetween\s+(?P<between_start>{_YEAR})\s+and\s+(?P<between_end>{_YEAR})\b"
            rf"|{_NOT_YEAR_BEFORE}(?:\bfrom\s+)?(?P<start>{_YEAR})"
            r"\s*(?:[-–—]|\bto\b|\buntil\b|\btill\b|\bthrough\b)"
            rf"\s*(?P<end>{_YEAR}|\d\d)(?![\w%])"
        ),
        _span_from_to,
        "from 1975 to 1986",
    ),
    AttributionRule(
        "since_year",
        _compile(
            r"\b(?:ever\s+)?since\s+(?:the\s+(?:year\s+|early\s+|mid-?|late\s+|end\s+of\s+the\s+)?)?"
            rf"(?:(?P<year>{_YEAR}){_NOT_YEAR_AFTER}|(?P<decade>(?:19|20)\d0)s\b)"
        ),
        _span_since,
        "since 1960",
    ),
    AttributionRule(
        "until_year",
        _compile(rf"\b(?:till|until|up\s+to|through|by|to)\s+(?:the\s+year\s+)?(?P<year>{_YEAR}){_NOT_YEAR_AFTER}"),
        _span_until,
        "till 2010",
    ),
    AttributionRule(
        "decade",
        _compile(r"\b(?:(?:early|mid|late)[-\s]+)?(?P<decade>(?:19|20)\d0)s\b"),
        _span_decade,
        "the 1980s",
    ),
    AttributionRule(
        "congress_term",
        _compile(
            rf"\bterm\s+of\s+the\s+(?P<term_of>{_ORDINAL})\s+(?:National\s+)?(?:Party\s+)?Congress\b"
            r"|\b(?P<term>\d{1,2}(?:st|nd|rd|th))\s+(?:Party\s+)?(?:Congress\s+)?term\b"
            r"(?!\s+of\s+the\s+National\s+Assembly)"
            rf"|\b(?P<ordinal>{_ORDINAL})\s+(?:Party\s+)?(?:Central\s+Committee|Politburo)\b"
        ),
        _span_congress_term,
        "the 13th term",
    ),
    AttributionRule(
        "congress_ordinal",
        _compile(rf"\b(?P<ordinal>{_ORDINAL})\s+(?:National\s+)?(?:Party\s+)?Congress\b"),
        _span_congress_term,
        "the 10th National Party Congress",
    ),
    AttributionRule(
        "national_day",
        _compile(rf"\b(?P<ordinal>{_ORDINAL})\s+(?:anniversary\s+of\s+(?:the\s+)?)?National\s+Day\b"),
        _span_national_day,
        "the 80th National Day",
    ),
    *(_named_event_rule(period_id, names, example) for period_id, names, example in NAMED_EVENTS),
    AttributionRule(
        "renewal_period",
        _compile(
            rf"\b(?:national\s+)?(?:renewal|renovation)\s+(?:period|era|process|cause|policy|path|drive)\b"
            r"|\bdoi\s+moi\b|\bđổi\s+mới\b"
        ),
        _span_renewal,
        "the renewal period",
    ),
    AttributionRule(
        "new_era",
        _compile(r"\bnew\s+(?:development\s+)?era\b|\bera\s+of\s+(?:the\s+)?nation(?:'s|’s|al)\s+ris(?:e|ing)\b"),
        _span_new_era,
        "the new era",
    ),
    AttributionRule(
        "decades_ago",
        _compile(
            r"(?P<qualifiers>\b(?:(?:over|for|during|throughout|after|in|the|past|last|more\s+than|nearly|almost"
            r"|some|about|around|roughly|barely|just|only|all)\s+)*)"
            rf"(?<![\d,.])\b(?P<count>{_CARDINAL})\s+(?P<unit>years?|decades?|centur(?:y|ies))\b"
            r"(?P<ago>\s+ago\b)?"
        ),
        _span_duration,
        "over the past eight decades",
    ),
    AttributionRule(
        "present_marker",
        _compile(r"\b(?:nowadays|at\s+the\s+present\s+time|at\s+present|today|currently|these\s+days)\b"),
        _span_present,
        "nowadays",
    ),
    AttributionRule(
        "year",
        _compile(rf"{_NOT_YEAR_BEFORE}(?P<year>{_YEAR}){_NOT_YEAR_AFTER}"),
        _span_single_year,
        "in 1954",
    ),
)
"""Every rule, in priority order: where two matches overlap, the earlier rule wins."""


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def _attribute_one(text: str, published_year: int, facts: PeriodFacts) -> dict[str, object]:
    evidence = find_evidence(text, published_year, facts)
    if not evidence:
        return {
            "spoken_start": published_year,
            "spoken_end": published_year,
            "period_id": facts.era_of(published_year),
            "evidence": "",
            "rule": "inherited",
            "inherited": True,
        }
    deciding = min(evidence, key=lambda item: (item.start, item.position))
    spoken_end = max(item.end for item in evidence)
    return {
        "spoken_start": deciding.start,
        "spoken_end": spoken_end,
        "period_id": facts.era_of(deciding.start),
        "evidence": "; ".join(item.text for item in evidence),
        "rule": deciding.rule,
        "inherited": False,
    }


def _check_sentence_columns(sentences: pd.DataFrame) -> None:
    missing = [column for column in SENTENCE_COLUMNS if column not in sentences.columns]
    if missing:
        raise SentenceTableError(
            f"sentence table lacks column(s) {', '.join(missing)}; "
            f"attribute_periods needs {', '.join(SENTENCE_COLUMNS)}"
        )


def _texts(texts: pd.Series) -> list[str]:
    bad = [f"row {label!r}: {value!r}" for label, value in texts.items() if not isinstance(value, str)]
    if bad:
        raise SentenceTableError("sentence table, column text: not a string in " + "; ".join(bad[:10]))
    return texts.tolist()


def _published_years(published: pd.Series) -> list[int]:
    """Year of each ``'YYYY-MM-DD'``, ``'YYYY-MM'`` or ``'YYYY'`` value; every bad row is reported."""
    years = [_published_year("" if pd.isna(value) else str(value).strip()) for value in published]
    bad = [f"row {label!r}: {value!r}" for (label, value), year in zip(published.items(), years) if year is None]
    if bad:
        raise SentenceTableError(
            "sentence table, column published: not a date of the form YYYY-MM-DD, YYYY-MM or YYYY in "
            + "; ".join(bad[:10])
            + (f" (and {len(bad) - 10} more)" if len(bad) > 10 else "")
        )
    return [int(year) for year in years if year is not None]


def _date_precision(text: str) -> str:
    """``'year'`` for ``YYYY``, ``'month'`` for ``YYYY-MM``, else ``'day'``."""
    return {4: "year", 7: "month"}.get(len(text), "day")


def _published_year(text: str) -> int | None:
    if re.fullmatch(r"\d{4}", text):
        return int(text)
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text):
        return int(text[:4])
    if re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        try:
            return dt.date.fromisoformat(text).year
        except ValueError:
            return None
    return None


def _facts_for_rules(periods: pd.DataFrame) -> PeriodFacts:
    """Validate ``periods`` and collect the dates the rules look up.

    A rule whose anchor row is missing (another state's periodisation has no
    Geneva Agreements) reads nothing; :func:`unanchored_rules` names them.
    """
    missing_columns = [column for column in PERIOD_COLUMNS if column not in periods.columns]
    if missing_columns:
        raise PeriodsError("periods table", [f"missing column {column!r}" for column in missing_columns])
    problems = _period_table_problems(periods.astype(object), "periods table")
    if problems:
        raise PeriodsError("periods table", problems)
    return PeriodFacts.from_periods(_typed_periods(periods))


def unanchored_rules(periods: pd.DataFrame) -> list[str]:
    """The attribution rules that cannot date anything with this periods table, and why.

    Named events, the National Day count and the renewal and new-era rules take
    their years from rows of the table.  A periodisation of another country or
    genre may not have those rows; the rules then stay silent instead of
    borrowing the book's dates, and a chapter can say which rules were off.
    The book's own table anchors every rule (a test checks).
    """
    facts = _facts_for_rules(periods)
    needed_ids = [("national_day", NATIONAL_DAY_PERIOD_ID)] + [
        (f"named_event ({example})", period_id) for period_id, _, example in NAMED_EVENTS
    ]
    off = [
        f"{rule}: no row with period_id {period_id!r}"
        for rule, period_id in needed_ids
        if period_id not in facts.spans
    ]
    off += [
        f"{rule}: no Congress row (kind congress) with congress {ordinal}"
        for ordinal, rule in ((RENEWAL_CONGRESS, "renewal_period"), (NEW_ERA_CONGRESS, "new_era"))
        if ordinal not in facts.congress_years
    ]
    return off


def _excerpt(text: object) -> str:
    flat = " ".join(str(text).split())
    if len(flat) <= CHART_EXCERPT_CHARS:
        return flat
    cut = flat[:CHART_EXCERPT_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"


def _cell(value: object) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(value).strip()


def _whole_number(text: str) -> int | None:
    return int(text) if re.fullmatch(r"[+-]?\d+", text) else None


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


def _period_table_problems(table: pd.DataFrame, name: str) -> list[str]:
    """Every problem in a periods table whose cells may still be text.

    Rows are counted from 1 for the first data row; the file line (header =
    line 1) is given too, so the message can be followed in an editor.
    Problems come in row order, and within a row in column order, followed by
    the problems between rows (overlapping or gapped eras, Congress ordinals).
    """
    problems = [
        f"{name}: missing column {column!r} (the table needs {', '.join(PERIOD_COLUMNS)})"
        for column in PERIOD_COLUMNS
        if column not in table.columns
    ]
    rows: list[_CheckedRow] = []
    first_row_of_id: dict[str, int] = {}
    for position, record in enumerate(table.to_dict("records")):
        cells = {column: _cell(record[column]) for column in PERIOD_COLUMNS if column in table.columns}
        row, row_problems = _check_row(cells, position, first_row_of_id)
        problems += [f"{name} row {position + 1} (line {position + 2}), column {problem}" for problem in row_problems]
        rows.append(row)
        first_row_of_id.setdefault(row.period_id, position)
    return problems + [f"{name}: {problem}" for problem in _between_row_problems(rows)]


def _check_row(
    cells: Mapping[str, str], position: int, first_row_of_id: Mapping[str, int]
) -> tuple[_CheckedRow, list[str]]:
    """Problems within one row, each starting with the column name."""
    problems: list[str] = []
    period_id = cells.get("period_id", "")
    if "period_id" in cells:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", period_id):
            problems.append(
                f"period_id: {period_id!r} is not snake_case "
                "(lower-case letters, digits and underscores, starting with a letter)"
            )
        elif period_id in first_row_of_id:
            first = first_row_of_id[period_id]
            problems.append(
                f"period_id: {period_id!r} repeats row {first + 1} (line {first + 2}); period ids must be unique"
            )
    if "label" in cells and not cells["label"]:
        problems.append("label: empty; give the name the book prints")
    years: dict[str, int | None] = {}
    for column in ("start_year", "end_year"):
        years[column] = _whole_number(cells[column]) if column in cells else None
        if column in cells and years[column] is None:
            problems.append(f"{column}: {cells[column]!r} is not a whole year")
    start, end = years["start_year"], years["end_year"]
    if start is not None and end is not None and end < start:
        problems.append(f"end_year: {end} precedes start_year {start}")
    kind = cells.get("kind", "")
    if "kind" in cells and kind not in PERIOD_KINDS:
        problems.append(f"kind: {kind!r} is not one of {', '.join(PERIOD_KINDS)}")
    if kind in ("congress", "event") and start is not None and end is not None and start != end:
        problems.append(f"end_year: a {kind} row is a single year, but start_year {start} and end_year {end} differ")
    congress_text = cells.get("congress", "")
    congress = _whole_number(congress_text) if congress_text else None
    if congress_text and (congress is None or congress < 1):
        problems.append(f"congress: {congress_text!r} is not a Congress ordinal (a whole number from 1)")
        congress = None
    elif kind == "congress" and "congress" in cells and not congress_text:
        problems.append("congress: empty; a congress row needs its ordinal")
    elif kind == "event" and congress_text:
        problems.append("congress: an event row takes no Congress ordinal")
    if "source" in cells and not cells["source"]:
        problems.append("source: empty; give a citation or URL for the dates")
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
            "period_id": table["period_id"].map(_cell),
            "label": table["label"].map(_cell),
            "start_year": table["start_year"].map(lambda value: int(_cell(value))).astype("int64"),
            "end_year": table["end_year"].map(lambda value: int(_cell(value))).astype("int64"),
            "kind": table["kind"].map(_cell),
            "congress": pd.array(
                [int(_cell(value)) if _cell(value) else pd.NA for value in table["congress"]], dtype="Int64"
            ),
            "source": table["source"].map(_cell),
        }
    )
    return typed.reset_index(drop=True)
