"""Which past does each sentence speak about?  The book's two time axes.

Most of the book's sources look back: a 2026 report on the 14th Congress
recalls the Geneva Agreement of 1954, a 2025 article reviews "eight decades"
of diplomacy.  Every sentence therefore carries two dates:

* **published** -- when the text appeared (``published_year``);
* **spoken about** -- the span of years the sentence itself names
  (``spoken_start`` .. ``spoken_end``, inclusive) and the era it falls in
  (``period_id``).

The periodisation is a table (:mod:`fplang.periods.table`, ``data/periods.csv``).
Attribution (:func:`attribute_periods`) uses explicit evidence only: each rule
of :mod:`fplang.periods.rules` is a named regular expression plus a small
function turning its match into a ``(start, end)`` year span.  Sentences
without evidence inherit the publication year.

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
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from fplang.collector import collector_paused
from fplang.errors import FplangError
from fplang.periods.evidence import candidate_matrix, matches_by_row
from fplang.periods.rules import ATTRIBUTION_RULES, AttributionRule
from fplang.periods.table import PeriodFacts, period_facts

SENTENCE_COLUMNS: tuple[str, ...] = ("doc_id", "sentence_id", "text", "published")
"""Columns :func:`attribute_periods` needs in its sentence table."""

CHART_EXCERPT_CHARS: int = 120
"""Longest excerpt :func:`period_chart_data` keeps of a sentence."""

DATE_COLUMNS: tuple[tuple[str, str], ...] = (
    ("spoken_start", "int64"),
    ("spoken_end", "int64"),
    ("period_id", "object"),
    ("multi_era", "bool"),
    ("eras", "object"),
    ("evidence", "object"),
    ("rule", "object"),
    ("inherited", "bool"),
)
"""The columns (and pandas dtypes) :func:`attribute_periods` adds after ``published_year``.

The corpus build stores exactly these (:data:`fplang.build.stages.DATE_COLUMNS`),
so a chapter reading the build's dates sees what ``attribute_periods`` gives.
"""


class SentenceTableError(FplangError, ValueError):
    """The sentence table given to :func:`attribute_periods` is unusable."""


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


def find_evidence(
    text: str, published_year: int, facts: PeriodFacts, rules: Sequence[AttributionRule] = ATTRIBUTION_RULES
) -> list[Evidence]:
    """All time evidence in ``text``, in the order it appears.

    Rules are tried in the order of :data:`ATTRIBUTION_RULES`; a match that
    overlaps text an earlier rule already claimed is skipped, so "the Geneva
    Agreement of 1954" is one named event, not an event and a year, and
    "since 1960" is not also the year 1960.  ``rules`` may leave out rules
    that cannot match ``text`` (:func:`candidate_rules`); the result is the same.
    """
    matches = ((rule, match) for rule in rules for match in rule.pattern.finditer(text))
    return _claimed(matches, published_year, facts)


def _claimed(
    matches: Iterable[tuple[AttributionRule, re.Match[str]]], published_year: int, facts: PeriodFacts
) -> list[Evidence]:
    """The evidence among one text's matches, given in rule priority order and, within a rule, in text order.

    A match overlapping one already claimed is skipped; a match whose span
    function reads nothing claims nothing.  Shared by :func:`find_evidence`
    (one text) and :func:`attribute_periods` (all texts, :mod:`fplang.periods.evidence`).
    """
    found: list[Evidence] = []
    claimed: list[tuple[int, int]] = []
    for rule, match in matches:
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
            the one era containing the whole spoken span; ``None`` when the
            span covers more than one era (``multi_era``) or reaches outside
            every era.
        ``multi_era`` (bool)
            True when the spoken span reaches beyond one era: "over the past
            eight decades" (2025: 1945-2025), "since 1960", "40 years of
            renewal", "over a century" (2025: 1925-2025).
        ``eras`` (str)
            the eras the spoken span overlaps, in time order, ``'; '``-joined
            (``''`` when it overlaps none).
        ``evidence`` (str)
            every matched string, in text order, ``'; '``-joined; ``''`` if none.
        ``rule`` (str)
            the rule behind ``spoken_start`` (see below), or ``'inherited'``.
        ``inherited`` (bool)
            True when the sentence has no evidence.

    Notes
    -----
    **The dating rule.**  A sentence is given to an era only when everything
    it speaks about lies inside that era.  A span that covers several eras is
    marked ``multi_era`` and given to none: it is kept out of every era's
    cell rather than credited to the era where it starts.  So "over the past
    eight decades" in a 2025 text (1945-2025) does not make the August
    Revolution speak of the new era's wording, and "40 years of renewal" in
    2026 (1986-2026) is not the 6th Congress's term.  Sharing such a sentence
    among its eras in proportion to the years covered was the alternative;
    it was not chosen because a sentence on "eight decades of diplomacy"
    says nothing about 1950 in particular, and a share would put words in
    every era it spans.

    **Several pieces of evidence.**  All are kept in ``evidence``; the spoken
    span is the span covering all of them (earliest start to latest end), and
    ``rule`` names the rule whose evidence starts earliest (the first in the
    text on a tie).  A sentence that names "the Geneva Agreement of 1954 and
    the Paris Peace Accords of 1973" speaks about 1954-1973, which reaches
    from the resistance against France into the war for reunification: it is
    multi-era, though each event alone would date to one era.

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
    facts = period_facts(periods)
    years = _published_years(sentences["published"])
    columns = date_columns(_texts(sentences["text"]), years, facts)
    attributed = sentences.copy()
    attributed["published_year"] = pd.Series(years, index=sentences.index, dtype="int64")
    for column, dtype in DATE_COLUMNS:
        attributed[column] = pd.Series(columns[column], index=sentences.index, dtype=dtype)
    return attributed


def date_columns(texts: Sequence[str] | pa.Array, years: np.ndarray, facts: PeriodFacts) -> dict[str, np.ndarray]:
    """The columns of :data:`DATE_COLUMNS` (numpy arrays, in that order) for texts published in ``years``.

    The core of :func:`attribute_periods`, without a DataFrame: the corpus build
    passes its Arrow column of texts (only the sentences a rule may match become
    Python strings) and the years it already holds.
    """
    columns = _inherited(years, facts)
    # the search makes tens of thousands of match objects, tuples and lists a partition, none in a cycle
    # (the collector's walks over them took 0.15 of 1.7 CPU s on the quarter UN corpus)
    with collector_paused():
        found = _found_evidence(matches_by_row(texts, ATTRIBUTION_RULES), years, facts)
    if found is None:
        return columns
    rows, starts, ends, rules, evidence = found
    spans, span_of = np.unique(np.stack([starts, ends], axis=1), axis=0, return_inverse=True)
    span_of = span_of.reshape(-1)
    looked_up = [_span_eras(int(start), int(end), facts) for start, end in spans.tolist()]
    columns["spoken_start"][rows] = starts
    columns["spoken_end"][rows] = ends
    columns["period_id"][rows] = _objects([single for _, single, _ in looked_up])[span_of]
    columns["multi_era"][rows] = np.array([multi for _, _, multi in looked_up], dtype=bool)[span_of]
    columns["eras"][rows] = _objects([named for named, _, _ in looked_up])[span_of]
    columns["evidence"][rows] = _objects(evidence)
    columns["rule"][rows] = _objects(rules)
    columns["inherited"][rows] = False
    return columns


_Found = tuple[np.ndarray, np.ndarray, np.ndarray, list[str], list[str]]
"""Rows with evidence, and each one's spoken start and end, deciding rule and ``'; '``-joined evidence."""


def _found_evidence(
    by_row: dict[int, list[tuple[AttributionRule, re.Match[str]]]], years: np.ndarray, facts: PeriodFacts
) -> _Found | None:
    """What :func:`_claimed` and the dating rule make of each row's matches, as columns (None: no row has evidence).

    Most rows have one match, which claims its text when its span function reads
    a span: that span, its rule and its text, with no overlap to check.  A row
    with several matches goes through :func:`_claimed`, as :func:`find_evidence` does.
    """
    rows: list[int] = []
    starts: list[int] = []
    ends: list[int] = []
    rules: list[str] = []
    evidence: list[str] = []
    year_of = years.tolist()
    for row, matches in by_row.items():
        if len(matches) == 1:
            rule, match = matches[0]
            span = rule.to_span(match, year_of[row], facts)
            if span is None:
                continue
            start, end, deciding, text = span[0], span[1], rule.name, match.group().strip()
        else:
            claimed = _claimed(matches, year_of[row], facts)
            if not claimed:
                continue
            first = min(claimed, key=lambda item: (item.start, item.position))
            start, end, deciding = first.start, max(item.end for item in claimed), first.rule
            text = "; ".join(item.text for item in claimed)
        rows.append(row)
        starts.append(start)
        ends.append(end)
        rules.append(deciding)
        evidence.append(text)
    if not rows:
        return None
    as_int = functools.partial(np.array, dtype=np.int64)
    return as_int(rows), as_int(starts), as_int(ends), rules, evidence


def _span_eras(start: int, end: int, facts: PeriodFacts) -> tuple[str, str | None, bool]:
    """The ``eras``, ``period_id`` and ``multi_era`` of a sentence that speaks about ``start``-``end``."""
    eras = facts.eras_between(start, end)
    single = facts.era_of(start)
    within_one = len(eras) == 1 and single is not None and facts.era_of(end) == single
    return "; ".join(eras), single if within_one else None, len(eras) > 1


def _objects(values: Sequence[object]) -> np.ndarray:
    """``values`` as a one-dimensional object array (never a two-dimensional one, whatever the values)."""
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def _inherited(years: np.ndarray, facts: PeriodFacts) -> dict[str, np.ndarray]:
    """The date columns of sentences without evidence: the publication year and its era.

    The era is looked up once per distinct year (a corpus has a few dozen), then spread with numpy.
    """
    distinct, position = np.unique(years, return_inverse=True)
    era = np.array([facts.era_of(int(year)) for year in distinct.tolist()], dtype=object)
    named = np.array([name or "" for name in era.tolist()], dtype=object)
    position = position.reshape(-1)
    return {
        "spoken_start": years.astype(np.int64, copy=True),
        "spoken_end": years.astype(np.int64, copy=True),
        "period_id": era[position],
        "multi_era": np.zeros(len(years), dtype=bool),
        "eras": named[position],
        "evidence": np.full(len(years), "", dtype=object),
        "rule": np.full(len(years), "inherited", dtype=object),
        "inherited": np.ones(len(years), dtype=bool),
    }


def candidate_rules(texts: Sequence[str]) -> list[tuple[int, tuple[AttributionRule, ...]]]:
    """For each text that may hold time evidence, the rules that may match it, in priority order.

    A rule is a candidate for a text only if the text holds the literals its
    pattern cannot match without (:func:`fplang.literals.required_literals`:
    "geneva" for the Geneva Agreement, "19" or "20" for a year); a text no
    rule may match is left out.  All texts are searched at once
    (:func:`fplang.periods.evidence.candidate_matrix`).
    """
    if not len(texts):
        return []
    may = candidate_matrix(texts, ATTRIBUTION_RULES)
    rows = np.flatnonzero(may.any(axis=1))
    kinds, kind_of = np.unique(_row_keys(may[rows]), return_inverse=True)  # texts with the same candidate rules
    chosen = [tuple(rule for bit, rule in enumerate(ATTRIBUTION_RULES) if kind >> bit & 1) for kind in kinds.tolist()]
    return [(row, chosen[kind]) for row, kind in zip(rows.tolist(), kind_of.ravel().tolist(), strict=True)]


def _row_keys(may: np.ndarray) -> np.ndarray:
    """Each row of a boolean matrix (at most 63 columns) as one integer: bit ``k`` is column ``k``."""
    if may.shape[1] > 63:
        raise ValueError(f"at most 63 attribution rules can be grouped by candidate set, not {may.shape[1]}")
    return may.astype(np.int64) @ (np.int64(1) << np.arange(may.shape[1], dtype=np.int64))


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


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


def _check_sentence_columns(sentences: pd.DataFrame) -> None:
    missing = [column for column in SENTENCE_COLUMNS if column not in sentences.columns]
    if missing:
        raise SentenceTableError(
            f"sentence table lacks column(s) {', '.join(missing)}; "
            f"attribute_periods needs {', '.join(SENTENCE_COLUMNS)}"
        )


def _texts(texts: pd.Series) -> list[str]:
    values = texts.tolist()
    if pd.api.types.infer_dtype(values, skipna=False) in ("string", "empty"):
        return values
    bad = [f"row {label!r}: {value!r}" for label, value in texts.items() if not isinstance(value, str)]
    if bad:
        raise SentenceTableError("sentence table, column text: not a string in " + "; ".join(bad[:10]))
    return values


def _published_years(published: pd.Series) -> np.ndarray:
    """Year of each ``'YYYY-MM-DD'``, ``'YYYY-MM'`` or ``'YYYY'`` value (int64); every bad row is reported."""
    codes, values = pd.factorize(published, use_na_sentinel=False)  # a document's sentences share one date
    texts = ["" if pd.isna(value) else str(value).strip() for value in values]
    return _years_of(codes, texts, lambda row: f"row {published.index[row]!r}: {published.iloc[row]!r}")


def published_years(published: pa.Array | pa.ChunkedArray) -> np.ndarray:
    """:func:`_published_years` of an Arrow column (the corpus build's sentences), each distinct value read once."""
    values = pc.unique(published)
    codes = pc.index_in(published, value_set=values).to_numpy(zero_copy_only=False).astype(np.int64)
    texts = ["" if value is None else value.strip() for value in values.to_pylist()]
    return _years_of(codes, texts, lambda row: f"row {row}: {published[row].as_py()!r}")


def _years_of(codes: np.ndarray, values: list[str], label: Callable[[int], str]) -> np.ndarray:
    """The year of ``values[codes[row]]`` for each row; the rows whose value is not a date, labelled, in the error."""
    year_of = [_published_year(value) for value in values]
    if None in year_of:
        unusable = np.flatnonzero(np.array([year is None for year in year_of], dtype=bool)[codes])
        bad = [label(row) for row in unusable.tolist()]
        raise SentenceTableError(
            "sentence table, column published: not a date of the form YYYY-MM-DD, YYYY-MM or YYYY in "
            + "; ".join(bad[:10])
            + (f" (and {len(bad) - 10} more)" if len(bad) > 10 else "")
        )
    return np.array(year_of, dtype=np.int64)[codes] if len(codes) else np.zeros(0, dtype=np.int64)


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


def _excerpt(text: object) -> str:
    flat = " ".join(str(text).split())
    if len(flat) <= CHART_EXCERPT_CHARS:
        return flat
    cut = flat[:CHART_EXCERPT_CHARS].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
