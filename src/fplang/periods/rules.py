"""The attribution rules: each kind of explicit time evidence a sentence may carry.

Each entry of :data:`ATTRIBUTION_RULES` is a named regular expression plus a
small function turning its match into a ``(start, end)`` year span, some of
them relative to the publication year, some looked up in the periods table
(:class:`~fplang.periods.table.PeriodFacts`): named events, the National Day
count, the renewal and the "new era" take their years from the table's rows
and read nothing when the table lacks them (:func:`unanchored_rules`).
:func:`fplang.periods.attribution.attribute_periods` applies them.
"""

from __future__ import annotations

import functools
import re
import re._parser as sre_parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import pandas as pd

from fplang.periods.table import PeriodFacts, period_facts

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
    needs_period_id, needs_congress
        The periods-table row the rule takes its years from (a ``period_id``,
        or the ordinal of a Congress row), if any: without it the rule reads
        nothing (:meth:`is_anchored`).
    """

    name: str
    pattern: re.Pattern[str]
    to_span: SpanFunction
    example: str
    needs_period_id: str | None = None
    needs_congress: int | None = None

    def is_anchored(self, facts: PeriodFacts) -> bool:
        """Whether the periods table has the row this rule takes its years from."""
        if self.needs_period_id is not None and self.needs_period_id not in facts.spans:
            return False
        return self.needs_congress is None or self.needs_congress in facts.congress_years


def describe_rules(periods: pd.DataFrame | None = None) -> pd.DataFrame:
    """The attribution rules as a table for the method notes.

    With ``periods``, only the rules that can date something with that table
    are listed (a rule whose row the table lacks reads nothing), so a re-run on
    another periodisation does not list the book's named events.

    Returns
    -------
    pandas.DataFrame
        One row per rule in priority order: ``priority`` (1 = tried first),
        ``rule`` (as in the ``rule`` column) and ``example`` (a phrase it reads).
    """
    facts = period_facts(periods) if periods is not None else None
    table = pd.DataFrame(
        {
            "priority": range(1, len(ATTRIBUTION_RULES) + 1),
            "rule": [rule.name for rule in ATTRIBUTION_RULES],
            "example": [rule.example for rule in ATTRIBUTION_RULES],
        }
    )
    if facts is None:
        return table
    anchored = [rule.is_anchored(facts) for rule in ATTRIBUTION_RULES]
    return table[anchored].reset_index(drop=True)


def unanchored_rules(periods: pd.DataFrame) -> list[str]:
    """The attribution rules that cannot date anything with this periods table, and why.

    Named events, the National Day count and the renewal and new-era rules take
    their years from rows of the table.  A periodisation of another country or
    genre may not have those rows; the rules then stay silent instead of
    borrowing the book's dates, and a chapter can say which rules were off.
    The book's own table anchors every rule (a test checks).
    """
    facts = period_facts(periods)
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

_LABEL_WORDS = (
    r"(?:resolutions?|decisions?|decrees?|directives?|nos?\.?|numbers?|pages?|paragraphs?|paras?\.?|"
    r"articles?|US\$|USD|VND|EUR)"
)
_LABEL_BEFORE_NUMBER = re.compile(rf"{_LABEL_WORDS}\s*$", re.IGNORECASE)
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

_NOT_FROM_NOW_WORDS = r"(?:next|coming|following|upcoming|future|first|initial|further|another|additional)"
_DURATION_NOT_FROM_NOW = re.compile(rf"\b{_NOT_FROM_NOW_WORDS}\s+$", re.IGNORECASE)
_DURATION_RELATIVE_TO_OTHER = re.compile(
    r"\s++(?:after|before|later|earlier|old|from|ahead|hence|into|on)\b", re.IGNORECASE
)
_OF_FOLLOWS = re.compile(r"\s++of\b")


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


def _before(match: re.Match[str], group: str | int = 0) -> str:
    """The few characters before a match (or one of its groups), where a label or a qualifier stands.

    Only a short tail is read, never the whole text before the match: a
    sentence with many matches would otherwise cost its length squared.
    """
    start = match.start(group)
    return match.string[max(0, start - _CONTEXT_CHARS) : start]


_CONTEXT_CHARS = 64
"""How far before a match the label and qualifier patterns look (their words are at most a dozen letters)."""


def _ends_tail(pattern: re.Pattern[str], words: str, tail: str) -> bool:
    """``pattern.search(tail)`` for ``pattern`` = ``words`` then spaces to the end (``\\s*$`` or ``\\s+$``).

    Such a match ends its words where the tail's trailing spaces begin, so it starts at most the
    words' longest length before that: the search begins there instead of at every character of the
    tail (it still reads the character before, for ``\\b``).  Same answer, a few positions tried.
    """
    reach = _longest(words)
    return pattern.search(tail, max(0, len(tail.rstrip()) - reach)) is not None


@functools.lru_cache(maxsize=8)
def _longest(words: str) -> int:
    """The most characters a match of ``words`` can take (a pattern without unbounded repeats)."""
    return int(sre_parse.parse(words, re.IGNORECASE).getwidth()[1])


def _span_single_year(match: re.Match[str], published_year: int, facts: PeriodFacts) -> tuple[int, int] | None:
    if _ends_tail(_LABEL_BEFORE_NUMBER, _LABEL_WORDS, _before(match)):
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
    if _ends_tail(_DURATION_NOT_FROM_NOW, _NOT_FROM_NOW_WORDS, _before(match, "count")):
        return None
    if _DURATION_RELATIVE_TO_OTHER.match(match.string, match.end()):
        return None
    count = _cardinal_value(match.group("count"))
    unit = match.group("unit").lower()
    if count is None or (count == 1 and unit.startswith("year") and not match.group("count").isdigit()):
        return None  # "a year" is too vague ("once a year", "a year later")
    years = round(count * next(size for stem, size in _DURATION_UNITS.items() if unit.startswith(stem)))
    qualifiers = set(match.group("qualifiers").lower().split())
    is_ago = match.group("ago") is not None
    if not (qualifiers & _DURATION_ANCHORS or is_ago or _OF_FOLLOWS.match(match.string, match.end())):
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
        "named_event",
        pattern,
        functools.partial(_span_named_event, period_id=period_id),
        example,
        needs_period_id=period_id,
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
        needs_congress=RENEWAL_CONGRESS,
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
        needs_period_id=NATIONAL_DAY_PERIOD_ID,
    ),
    *(_named_event_rule(period_id, names, example) for period_id, names, example in NAMED_EVENTS),
    AttributionRule(
        "renewal_period",
        _compile(
            r"\b(?:national\s+)?(?:renewal|renovation)\s+(?:period|era|process|cause|policy|path|drive)\b"
            r"|\bdoi\s+moi\b|\bđổi\s+mới\b"
        ),
        _span_renewal,
        "the renewal period",
        needs_congress=RENEWAL_CONGRESS,
    ),
    AttributionRule(
        "new_era",
        _compile(r"\bnew\s+(?:development\s+)?era\b|\bera\s+of\s+(?:the\s+)?nation(?:'s|’s|al)\s+ris(?:e|ing)\b"),
        _span_new_era,
        "the new era",
        needs_congress=NEW_ERA_CONGRESS,
    ),
    AttributionRule(
        "decades_ago",
        _compile(
            # At most six qualifiers ("over the past", "for more than"): unbounded, a run of "the the …"
            # would be scanned again from each of its words, its length squared.
            r"(?P<qualifiers>\b(?:(?:over|for|during|throughout|after|in|the|past|last|more\s+than|nearly|almost"
            r"|some|about|around|roughly|barely|just|only|all)\s+){0,6})"
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
