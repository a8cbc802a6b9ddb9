"""The formula ladder: how Viet Nam names itself, Congress by Congress.

Party Congresses since the renewal have each restated a formula for the
country's place in the world.  Seed 001 tells the sequence in the Party's own
words: "from aspiring to be a friend, to being ready to be a friend, to
becoming a friend, a trusted partner, and an active, responsible member of the
international community; from economic integration to proactive and
comprehensive international integration; ... to assuming a more core and
leading role in multilateral mechanisms".  This module makes each step of that
sequence a **rung** (:data:`RUNGS`): an id, a label, its position on the ladder
and the regular expressions that recognise it in cleaned English text, so that
three records can be set side by side:

* what each Congress said (``data/formulas.csv``, read with :func:`load_formulas`);
* what the seeds claim was said, dated by the period each sentence speaks about;
* what Viet Nam said at the UN General Assembly, dated by the speech.

The ladder's order follows seed 001's sentence above, then the two terms the
14th Congress (2026) adds: strategic autonomy, and external relations as a
"key and regular task".

Matching rules
--------------
* Patterns run over the cleaned sentence text, case-insensitively.  Cleaning
  writes "Viet Nam" as "Vietnam" and quotes as straight quotes; the patterns
  allow an article or not ("a friend, a reliable partner" / "a friend and
  reliable partner") and a comma or "and" between the parts.
* **A sentence may state several rungs** ("a friend, a reliable partner and a
  responsible member" states ``friend_and_reliable_partner`` and
  ``responsible_member``).
* **A match inside a longer match does not count**: "an active, responsible
  member" is ``active_responsible_member`` only, not also
  ``responsible_member``; "ready to be a friend and reliable partner" (the 9th
  Congress) is ``ready_to_be_friend`` only, because that rung's pattern reaches
  over the partner.  Matches that merely overlap both count: in "aspiring to
  be a friend and reliable partner", "aspiring to be a friend"
  (``friends_with_all``) and "a friend and reliable partner"
  (``friend_and_reliable_partner``) share words but neither holds the other.

Known limits, kept because each pattern must stay explicit and checkable:

* the patterns cannot tell who is named: the 2022 UN speech calls *the United
  Nations* "a trusted friend and reliable partner" of Viet Nam, and that
  sentence counts;
* in the English record "willing to be" stands both for "wants to" and for
  "ready to", so it counts as ``ready_to_be_friend`` only with the partner
  attached (the 9th Congress's "ready to be a friend and reliable partner");
  "willing to be the friend of all nations" (UN 1995) is ``friends_with_all``;
* "pioneering role" is not ``core_leading_role``: in the seeds it is the role of
  diplomacy at home (seed 002), and at the UN the role of "major Powers"
  (2023), never Viet Nam's place in multilateral bodies;
* ``active_responsible_member`` lets up to three adjectives stand between
  "active" and "responsible member" ("an active, constructive, cooperative
  and responsible member", UN 2007), so it is found earlier than the strict
  "active and responsible member" (UN 2012).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from fplang.files import read_text_table

# --------------------------------------------------------------------------
# The rungs
# --------------------------------------------------------------------------

_ARTICLE = r"(?:(?:a|an|the)\s+)?"
_TRUSTED = r"(?:reliable|trustworthy|trusted)"
_LIST_SEPARATOR = r"(?:\s*,\s*(?:and\s+)?|\s+(?:to\s+)?and\s+)"
"""Between the parts of a formula: ", ", ", and ", " and ", and "friend to and reliable partner" (UN 2004)."""
_AND_PARTNER = rf"{_LIST_SEPARATOR}{_ARTICLE}{_TRUSTED}\s+partners?\b"
_QUOTE = r"[\"'\u2018\u2019\u201c\u201d]?"
"""An optional quotation mark, for formulas quoted inside a sentence ('a "key and regular" task')."""
_INTEGRATION_QUALIFIER = r"(?:comprehensive|extensive|deep|deeper|intensive)(?:ly)?"
_FURTHER_QUALIFIER = r"(?:comprehensive|extensive|deep|deeper|intensive|broad|flexible|effective|full)(?:ly)?|flexibly"


@dataclass(frozen=True)
class Rung:
    """One step of the ladder.

    Attributes
    ----------
    id
        snake_case key used in every table.
    label
        What the book prints.
    order
        Position on the ladder, from 1 (lowest, earliest).
    patterns
        Regular expressions over cleaned sentence text, matched
        case-insensitively; a rung is stated when any of them matches.
    note
        Where the wording comes from and what the patterns leave out.
    """

    id: str
    label: str
    order: int
    patterns: tuple[str, ...]
    note: str


RUNGS: tuple[Rung, ...] = (
    Rung(
        id="friends_with_all",
        label="Wants to be a friend of all countries",
        order=1,
        patterns=(
            rf"\b(?:(?:be|become|becoming|being)\s+)?{_ARTICLE}friends?\s+(?:of|with|to)\s+all\b",
            r"\bhand\s+of\s+friendship\s+to\s+all\b",
            rf"\baspir\w*\s+to\s+(?:be|become)\s+{_ARTICLE}friends?\b",
        ),
        note=(
            "Ho Chi Minh 1947 'friends with all democratic countries'; 7th Congress 1991 'a friend of all "
            "countries'; UN 1991 'extend the hand of friendship to all countries', 1994 'become the friend of "
            "all countries'; seed 001 'aspiring to be a friend'. 'friendly relations with all countries' is "
            "not the formula (it is also said of Cambodia)."
        ),
    ),
    Rung(
        id="ready_to_be_friend",
        label="Ready to be a friend (and reliable partner)",
        order=2,
        patterns=(
            rf"\bready\s+to\s+(?:be|become)\s+{_ARTICLE}friends?(?:{_AND_PARTNER})?",
            rf"\b(?:willing|prepared)\s+to\s+(?:be|become)\s+{_ARTICLE}friends?{_AND_PARTNER}",
        ),
        note=(
            "9th Congress 2001 'ready to be a friend and reliable partner' (2003 restatement); seed 001 'being "
            "ready to be a friend'; UN 2004-2005 'willing to be a friend and (a) reliable partner'. The "
            "partner is part of the match, so it is not counted again as friend_and_reliable_partner."
        ),
    ),
    Rung(
        id="friend_and_reliable_partner",
        label="A friend and reliable partner",
        order=3,
        patterns=(
            rf"\b{_ARTICLE}friends?{_AND_PARTNER}",
            rf"\b{_ARTICLE}{_TRUSTED}\s+friends?\s+and\s+partners?\b",
            rf"\bfriendship\s+and\s+{_TRUSTED}\s+partnerships?\b",
        ),
        note=(
            "10th Congress 2006 'a friend and reliable partner of all countries' (seed 003); 12th 'a friend, a "
            "trustworthy partner'; seed 001 'a friend, a trusted partner'; UN 2011 'a reliable friend and "
            "partner', 2001 'friendship and trusted partnership with all countries'. Not counted: 'a reliable "
            "partner' without the friend (UN 2013, 2020), 'a sincere friend and constructive companion' (UN "
            "1997), 'a sincere and reliable cooperation partner' (UN 1993)."
        ),
    ),
    Rung(
        id="responsible_member",
        label="A responsible member of the international community",
        order=4,
        patterns=(r"\bresponsible\s+members?\b",),
        note=(
            "11th Congress 2011 (2012 restatement) and 12th 2016 'a responsible member of the international "
            "community'; also 'a responsible Member State' (UN 2003) and 'a constructive and responsible "
            "member' (UN 2008). 'An active member' without 'responsible' (UN 1997, 1998) is not counted."
        ),
    ),
    Rung(
        id="active_responsible_member",
        label="An active and responsible member",
        order=5,
        patterns=(rf"\bactive(?:\s*,\s*[a-z]+){{0,3}}(?:\s*,)?\s+(?:and\s+)?responsible\s+members?\b",),
        note=(
            "13th Congress 2021 'an active and responsible member'; UN 2023 'an active, responsible member'; up "
            "to three adjectives may stand between ('an active, constructive, cooperative and responsible "
            "member', UN 2007). Contains responsible_member, which then does not count."
        ),
    ),
    Rung(
        id="proactive_integration",
        label="Proactive, comprehensive and deep international integration",
        order=6,
        patterns=(
            r"\bproactive(?:ly)?\b(?:\W+\w+){0,6}?\W+integrat\w*",
            rf"\b{_INTEGRATION_QUALIFIER}(?:\s*(?:,|and)\s*(?:and\s+)?(?:{_FURTHER_QUALIFIER}))*"
            r"\s+(?:(?:international|global|regional|economic)\s+)*integrat\w*",
            r"\bintegrat\w*\s+(?:more\s+)?(?:deeply|extensively|comprehensively)\b",
        ),
        note=(
            "'proactive(ly)' up to six words before 'integrat…' (seed 003 'Proactively and actively engage in "
            "international economic integration'; UN 2012 'proactive international integration'); "
            "'comprehensive', 'extensive', 'deep' or 'intensive' (international) integration (seeds 001, 004); "
            "'integrate more deeply' (seed 003). Plain 'international integration' and 'actively integrating' "
            "are not counted."
        ),
    ),
    Rung(
        id="core_leading_role",
        label="A core and leading role in multilateral mechanisms",
        order=7,
        patterns=(
            r"\bcore\s*(?:,|and|or)\s*(?:(?:a|the)\s+)?leading\b(?:\s*(?:,|and|or)\s*mediating)?\s+roles?\b",
            r"\bleading\s*(?:,|and)\s*core\s+roles?\b",
        ),
        note=(
            "Seed 001 'assuming a more core and leading role in multilateral mechanisms'. 'Pioneering role' is "
            "left out (see the module notes)."
        ),
    ),
    Rung(
        id="strategic_autonomy",
        label="Strategic autonomy",
        order=8,
        patterns=(r"\bstrategic\s+autonomy\b",),
        note="14th Congress 2026 (seeds 001, 004; the Foreign Minister's restatement).",
    ),
    Rung(
        id="key_regular_task",
        label="External relations a key and regular task",
        order=9,
        patterns=(
            rf"\b(?:key|critical|crucial|core|important|vital){_QUOTE}(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s+){_QUOTE}"
            rf"(?:regular|routine|ongoing|constant|permanent|continuous){_QUOTE}\s+(?:tasks?|missions?)\b",
        ),
        note=(
            "14th Congress 2026: 'a key and regular task' (seed 001), 'key, regular tasks', 'critical and regular "
            "tasks' and 'a core, ongoing mission' (seed 004), 'key routine task' (the paper's published title)."
        ),
    ),
)
"""The ladder, lowest rung first; ``order`` counts from 1 in this sequence."""

RUNG_IDS: tuple[str, ...] = tuple(rung.id for rung in RUNGS)

STATEMENT_COLUMNS: tuple[str, ...] = (
    "doc_id",
    "sentence_id",
    "rung",
    "rung_label",
    "rung_order",
    "matched",
    "match_start",
    "match_end",
    "text",
)
"""First columns of :func:`find_formula_statements`; pass-through columns follow."""

PASS_THROUGH_COLUMNS: tuple[str, ...] = (
    "published",
    "published_year",
    "spoken_start",
    "spoken_end",
    "period_id",
    "inherited",
)
"""Sentence columns copied to each statement when the input has them."""

SUMMARY_COLUMNS: tuple[str, ...] = (
    "rung",
    "label",
    "order",
    "first_year",
    "last_year",
    "n_statements",
    "n_documents",
)
"""Columns of :func:`first_last_by_rung`."""

TIMELINE_COLUMNS: tuple[str, ...] = (
    "source",
    "year",
    "rung",
    "rung_label",
    "rung_order",
    "text",
    "doc_id",
    "published_year",
    "note",
)
"""Columns of :func:`ladder_timeline`."""

TIMELINE_SOURCES: tuple[str, ...] = ("Congress wording", "seed claim", "UN record")
"""Values of ``source`` in :func:`ladder_timeline`, in the order rows of one year are listed."""

EXCERPT_CONTEXT_CHARS: int = 60
"""Characters kept either side of the matched formula in a timeline excerpt."""

FORMULA_COLUMNS: tuple[str, ...] = (
    "congress",
    "year",
    "wording",
    "rung",
    "source_url",
    "source_note",
    "has_source",
)
"""Columns of ``data/formulas.csv``, in file order."""

EARLIEST_FORMULA_YEAR: int = 1900
LATEST_FORMULA_YEAR: int = 2035


class FormulasError(ValueError):
    """A formulas table is unusable; ``problems`` lists every problem found.

    Each problem names the file, the row (and file line) and the column, and
    says what is wrong, so one run shows everything that needs fixing.
    """

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = list(problems)
        count = len(self.problems)
        header = f"{source}: {count} problem{'s' if count != 1 else ''} in the formulas table"
        super().__init__("\n".join([header, *(f"  - {problem}" for problem in self.problems)]))


class StatementTableError(ValueError):
    """A sentence or statement table lacks a column the function needs, or names an unknown rung."""


@dataclass(frozen=True)
class RungMatch:
    """One rung stated in a text: the rung id and the matched characters ``text[start:end]``."""

    rung: str
    start: int
    end: int
    matched: str


# --------------------------------------------------------------------------
# Finding the rungs in text
# --------------------------------------------------------------------------


def rung_table() -> pd.DataFrame:
    """The ladder as a table for the method notes.

    Returns
    -------
    pandas.DataFrame
        One row per rung in ladder order: ``rung``, ``label``, ``order``,
        ``patterns`` (the regular expressions joined by ``" | "``) and ``note``.
    """
    return pd.DataFrame(
        {
            "rung": [rung.id for rung in RUNGS],
            "label": [rung.label for rung in RUNGS],
            "order": pd.array([rung.order for rung in RUNGS], dtype="int64"),
            "patterns": [" | ".join(rung.patterns) for rung in RUNGS],
            "note": [rung.note for rung in RUNGS],
        }
    )


def find_rungs(text: str) -> list[RungMatch]:
    """Every rung ``text`` states, with the span of each match.

    All patterns of all rungs are matched; then a match lying inside a
    strictly longer match is dropped: of another rung ("responsible member"
    inside "active, responsible member"), or of the same rung ("extensive
    international integration" inside "proactive and engages actively in
    extensive international integration").  Matches that only overlap both
    stay, so one phrase may state two rungs.

    Returns
    -------
    list of RungMatch
        Sorted by start, then ladder order, then end; the same rung may appear
        more than once when the text states it twice.
    """
    found: set[tuple[int, int, int, str]] = set()
    for rung in RUNGS:
        for pattern in rung.patterns:
            for match in _compiled(pattern).finditer(text):
                if match.end() > match.start():
                    found.add((match.start(), rung.order, match.end(), rung.id))
    kept = [
        (start, order, end, rung_id)
        for start, order, end, rung_id in found
        if not any(
            other_start <= start and end <= other_end and other_end - other_start > end - start
            for other_start, _, other_end, _ in found
        )
    ]
    return [RungMatch(rung_id, start, end, text[start:end]) for start, _, end, rung_id in sorted(kept)]


def find_formula_statements(sentences: pd.DataFrame) -> pd.DataFrame:
    """One row per (sentence, rung) for every rung a sentence states.

    Parameters
    ----------
    sentences
        Needs ``doc_id``, ``sentence_id`` and ``text`` (cleaned text, as from
        :func:`fplang.corpus.prepare.prepare_corpus`); any of
        :data:`PASS_THROUGH_COLUMNS` it has are copied to the output.  A
        missing text counts as empty.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`STATEMENT_COLUMNS` then the pass-through columns present:

        ``rung``, ``rung_label``, ``rung_order``
            the rung (:data:`RUNGS`).
        ``matched``, ``match_start``, ``match_end``
            the first match of that rung in the sentence and its character
            offsets in ``text`` (a sentence stating a rung twice gives one row).
        ``text``
            the whole sentence.

        Sorted by ``doc_id``, ``sentence_id``, ``rung_order``; the index runs
        from 0.  No statements gives an empty frame with these columns.

    Raises
    ------
    StatementTableError
        If ``doc_id``, ``sentence_id`` or ``text`` is missing.
    """
    _require_columns(sentences, ("doc_id", "sentence_id", "text"), "find_formula_statements")
    by_id = {rung.id: rung for rung in RUNGS}
    rows: list[dict[str, object]] = []
    positions: list[int] = []
    for position, (doc_id, sentence_id, text) in enumerate(
        zip(sentences["doc_id"], sentences["sentence_id"], sentences["text"], strict=True)
    ):
        text = "" if _is_missing(text) else str(text)
        first_by_rung: dict[str, RungMatch] = {}
        for match in find_rungs(text):
            first_by_rung.setdefault(match.rung, match)
        for match in sorted(first_by_rung.values(), key=lambda match: by_id[match.rung].order):
            rung = by_id[match.rung]
            rows.append(
                {
                    "doc_id": doc_id,
                    "sentence_id": sentence_id,
                    "rung": rung.id,
                    "rung_label": rung.label,
                    "rung_order": rung.order,
                    "matched": match.matched,
                    "match_start": match.start,
                    "match_end": match.end,
                    "text": text,
                }
            )
            positions.append(position)
    statements = pd.DataFrame(rows, columns=list(STATEMENT_COLUMNS))
    for column in ("rung_order", "match_start", "match_end"):
        statements[column] = statements[column].astype("int64")
    if statements.empty:
        statements["sentence_id"] = statements["sentence_id"].astype(sentences["sentence_id"].dtype)
    for column in PASS_THROUGH_COLUMNS:
        if column in sentences.columns:
            statements[column] = sentences[column].iloc[positions].reset_index(drop=True)
    order = statements.sort_values(["doc_id", "sentence_id", "rung_order"], kind="stable").index
    return statements.loc[order].reset_index(drop=True)


# --------------------------------------------------------------------------
# Summaries and the timeline
# --------------------------------------------------------------------------


def first_last_by_rung(statements: pd.DataFrame, year_col: str = "published_year") -> pd.DataFrame:
    """When each rung is first and last stated, and how often.

    Parameters
    ----------
    statements
        Needs ``rung``, ``doc_id`` and ``year_col`` (whole years; missing years
        are counted but do not set first or last), as from
        :func:`find_formula_statements`.
    year_col
        The date to use: ``published_year`` (when it was said) or
        ``spoken_start`` (the period the sentence speaks about).

    Returns
    -------
    pandas.DataFrame
        One row per rung of :data:`RUNGS`, in ladder order, also for rungs never
        stated (then ``first_year``/``last_year`` are ``<NA>`` and the counts 0).
        Columns :data:`SUMMARY_COLUMNS`: ``first_year``, ``last_year``
        (``Int64``), ``n_statements`` (rows), ``n_documents`` (distinct
        ``doc_id``).

    Raises
    ------
    StatementTableError
        If a column is missing, a year is not a whole number, or a rung is not in
        :data:`RUNGS`.
    """
    _require_columns(statements, ("rung", "doc_id", year_col), "first_last_by_rung")
    _require_known_rungs(statements["rung"], "first_last_by_rung")
    years = _whole_years(statements[year_col], year_col, "first_last_by_rung")
    frame = pd.DataFrame(
        {"rung": statements["rung"].to_numpy(), "doc_id": statements["doc_id"].to_numpy(), "year": years}
    )
    rows = []
    for rung in RUNGS:
        of_rung = frame[frame["rung"] == rung.id]
        dated = of_rung["year"].dropna()
        rows.append(
            {
                "rung": rung.id,
                "label": rung.label,
                "order": rung.order,
                "first_year": dated.min() if len(dated) else pd.NA,
                "last_year": dated.max() if len(dated) else pd.NA,
                "n_statements": len(of_rung),
                "n_documents": of_rung["doc_id"].nunique(),
            }
        )
    summary = pd.DataFrame(rows, columns=list(SUMMARY_COLUMNS))
    summary["first_year"] = summary["first_year"].astype("Int64")
    summary["last_year"] = summary["last_year"].astype("Int64")
    for column in ("order", "n_statements", "n_documents"):
        summary[column] = summary[column].astype("int64")
    return summary


def ladder_timeline(
    formulas_table: pd.DataFrame,
    seed_statements: pd.DataFrame,
    un_statements: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The three records of the ladder as one tidy table for a chart.

    Parameters
    ----------
    formulas_table
        From :func:`load_formulas`.  Each row with a source gives one row per
        rung its wording states (the 11th Congress's wording gives
        ``friend_and_reliable_partner`` and ``responsible_member``).
    seed_statements
        From :func:`find_formula_statements` on sentences that went through
        :func:`fplang.periods.attribution.attribute_periods`: needs ``spoken_start`` and
        ``published_year``.  A seed sentence is placed at the *start of the
        period it speaks about* (seed 001's 2026 account of "the renewal era"
        stands at 1986), with its publication year kept beside it.
    un_statements
        Optional, from :func:`find_formula_statements` on the UN speeches:
        needs ``published_year`` (the year of the speech).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`TIMELINE_COLUMNS`:

        ``source``
            one of :data:`TIMELINE_SOURCES`.
        ``year`` (Int64)
            the Congress's year, the seed sentence's ``spoken_start``, or the speech's year.
        ``rung``, ``rung_label``, ``rung_order``
            the rung.
        ``text``
            the matched formula with up to :data:`EXCERPT_CONTEXT_CHARS`
            characters of context either side, cut at word boundaries.
        ``doc_id``
            ``congress_<n>`` (``formula_<year>`` for a row without a Congress),
            or the sentence's document.
        ``published_year`` (Int64)
            when the text was published (``<NA>`` for the Congress rows).
        ``note``
            the row's ``source_note``; for seeds, when published and the span spoken about.

        Sorted by ``year``, ``rung_order``, ``source`` (in the order above),
        ``doc_id``, then sentence.

    Raises
    ------
    StatementTableError
        If a needed column is missing.
    """
    _require_columns(formulas_table, FORMULA_COLUMNS, "ladder_timeline (formulas_table)")
    _require_columns(
        seed_statements, (*STATEMENT_COLUMNS, "spoken_start", "published_year"), "ladder_timeline (seed_statements)"
    )
    rows = _congress_rows(formulas_table)
    rows += _statement_rows(seed_statements, source="seed claim", year_col="spoken_start")
    if un_statements is not None:
        _require_columns(un_statements, (*STATEMENT_COLUMNS, "published_year"), "ladder_timeline (un_statements)")
        rows += _statement_rows(un_statements, source="UN record", year_col="published_year")
    timeline = pd.DataFrame(rows, columns=[*TIMELINE_COLUMNS, "_source_rank", "_sentence"])
    for column in ("year", "published_year"):
        timeline[column] = timeline[column].astype("Int64")
    timeline["rung_order"] = timeline["rung_order"].astype("int64")
    timeline = timeline.sort_values(
        ["year", "rung_order", "_source_rank", "doc_id", "_sentence"], kind="stable", na_position="last"
    )
    return timeline[list(TIMELINE_COLUMNS)].reset_index(drop=True)


def rungs_ahead_of_congress(timeline: pd.DataFrame, source: str = "UN record") -> list[str]:
    """Rungs that ``source`` states before any Congress wording of them, in ladder order.

    The check behind the claim "the UN record climbs the ladder earlier than
    the Congress wording suggests": a rung counts when its first year in
    ``source`` precedes its first year in the Congress rows (a rung with no
    Congress row does not count).
    """
    first = timeline.dropna(subset=["year"]).groupby(["rung", "source"])["year"].min().unstack()
    congress, stated = TIMELINE_SOURCES[0], source
    if congress not in first or stated not in first:
        return []
    ahead = first[first[stated] < first[congress]].index
    order = rung_table().set_index("rung")["order"]
    return sorted(ahead, key=lambda rung: order[rung])


def excerpt_around(text: str, start: int, end: int, context: int = EXCERPT_CONTEXT_CHARS) -> str:
    """``text[start:end]`` with up to ``context`` characters either side, cut at word boundaries.

    White space is collapsed; "…" marks a cut.  A context of 0 gives the match alone.
    """
    before = text[max(0, start - context) : start]
    after = text[end : end + context]
    cut_before = start - context > 0
    cut_after = end + context < len(text)
    if cut_before and " " in before:
        before = before.split(" ", 1)[1]
    if cut_after and " " in after:
        after = after.rsplit(" ", 1)[0]
    excerpt = " ".join(f"{before}{text[start:end]}{after}".split())
    return f"{'…' if cut_before else ''}{excerpt}{'…' if cut_after else ''}"


# --------------------------------------------------------------------------
# The Congress formulas table
# --------------------------------------------------------------------------


def load_formulas(path: str | Path) -> pd.DataFrame:
    """Read and validate the table of Congress formulas (``data/formulas.csv``).

    Columns (:data:`FORMULA_COLUMNS`):

    ``congress``
        the Congress ordinal, or empty for a formula outside a Congress
        (Ho Chi Minh, 1947); unique.
    ``year``
        the year of the Congress (or of the statement), 1900-2035; rows in
        chronological order.
    ``wording``
        the English formula as quoted in the sources; empty when none was found.
    ``rung``
        the highest rung (largest ``order``) the wording states; the wording
        must state it (checked with :func:`find_rungs`).  Empty with the wording.
    ``source_url``
        an ``http(s)://`` address, required with a wording.
    ``source_note``
        what the source is ("2012 restatement") or why there is none; required
        when ``has_source`` is false.
    ``has_source``
        ``true`` or ``false``: whether a sourced wording is given.

    Returns
    -------
    pandas.DataFrame
        One row per line in file order: ``congress`` as ``Int64``, ``year`` as
        ``int64``, ``has_source`` as ``bool``, the rest as ``str`` (empty
        string where the cell is empty).

    Raises
    ------
    FormulasError
        Listing *every* problem at once, each with file, row and column.
    """
    path = Path(path)
    table, problems = read_text_table(path)
    if table is not None:
        problems += _formula_table_problems(table, path.name)
    if problems:
        raise FormulasError(str(path), problems)
    assert table is not None
    return _typed_formulas(table)


def validate_formulas(path: str | Path) -> list[str]:
    """Every problem :func:`load_formulas` would report, without raising (empty when usable)."""
    path = Path(path)
    table, problems = read_text_table(path)
    if table is not None:
        problems += _formula_table_problems(table, path.name)
    return problems


# --------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------


@functools.lru_cache(maxsize=None)
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


def _require_columns(frame: pd.DataFrame, columns: Iterable[str], caller: str) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise StatementTableError(
            f"{caller}: missing column(s) {', '.join(missing)}; the table has {', '.join(map(str, frame.columns))}"
        )


def _require_known_rungs(rungs: pd.Series, caller: str) -> None:
    unknown = sorted({str(rung) for rung in rungs if rung not in RUNG_IDS})
    if unknown:
        raise StatementTableError(f"{caller}: unknown rung(s) {', '.join(unknown)}; known: {', '.join(RUNG_IDS)}")


def _whole_years(values: pd.Series, column: str, caller: str) -> pd.Series:
    years = pd.to_numeric(values, errors="coerce")
    bad = values[(years.isna() & values.notna()) | (years.notna() & (years % 1 != 0))]
    if len(bad):
        raise StatementTableError(f"{caller}: column {column} holds {bad.iloc[0]!r}, which is not a whole year")
    return years.astype("Int64").reset_index(drop=True)


def _is_missing(value: object) -> bool:
    return value is None or (not isinstance(value, str) and bool(pd.isna(value)))


def _congress_rows(formulas_table: pd.DataFrame) -> list[dict[str, object]]:
    by_id = {rung.id: rung for rung in RUNGS}
    rows: list[dict[str, object]] = []
    for record in formulas_table.to_dict("records"):
        if not record["has_source"] or not str(record["wording"]).strip():
            continue
        wording = str(record["wording"])
        congress = record["congress"]
        doc_id = f"formula_{record['year']}" if _is_missing(congress) else f"congress_{int(congress)}"
        first_by_rung: dict[str, RungMatch] = {}
        for match in find_rungs(wording):
            first_by_rung.setdefault(match.rung, match)
        for match in first_by_rung.values():
            rung = by_id[match.rung]
            rows.append(
                {
                    "source": TIMELINE_SOURCES[0],
                    "year": int(record["year"]),
                    "rung": rung.id,
                    "rung_label": rung.label,
                    "rung_order": rung.order,
                    "text": excerpt_around(wording, match.start, match.end),
                    "doc_id": doc_id,
                    "published_year": pd.NA,
                    "note": str(record["source_note"]),
                    "_source_rank": 0,
                    "_sentence": -1,
                }
            )
    return rows


def _statement_rows(statements: pd.DataFrame, source: str, year_col: str) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    for record in statements.to_dict("records"):
        year = record[year_col]
        published_year = record["published_year"]
        note = ""
        if source == "seed claim":
            spoken = f"{record['spoken_start']}"
            spoken_end = record.get("spoken_end")
            if not _is_missing(spoken_end) and spoken_end != record["spoken_start"]:
                spoken += f"-{spoken_end}"
            note = f"published {published_year}; speaks about {spoken}"
        rows.append(
            {
                "source": source,
                "year": pd.NA if _is_missing(year) else int(year),
                "rung": record["rung"],
                "rung_label": record["rung_label"],
                "rung_order": record["rung_order"],
                "text": excerpt_around(str(record["text"]), int(record["match_start"]), int(record["match_end"])),
                "doc_id": record["doc_id"],
                "published_year": pd.NA if _is_missing(published_year) else int(published_year),
                "note": note,
                "_source_rank": TIMELINE_SOURCES.index(source),
                "_sentence": record["sentence_id"],
            }
        )
    return rows


def _cell(value: object) -> str:
    return "" if _is_missing(value) else str(value).strip()


def _whole_number(text: str) -> int | None:
    return int(text) if re.fullmatch(r"[+-]?\d+", text) else None


def _formula_table_problems(table: pd.DataFrame, name: str) -> list[str]:
    """Every problem in a formulas table whose cells are still text.

    Rows count from 1 for the first data row; the file line (header = line 1)
    is given too.  Problems come in row order, within a row in column order,
    then the problems between rows.
    """
    problems = [
        f"{name}: missing column {column!r} (the table needs {', '.join(FORMULA_COLUMNS)})"
        for column in FORMULA_COLUMNS
        if column not in table.columns
    ]
    problems += [
        f"{name}: unknown column {column!r} (the table has exactly {', '.join(FORMULA_COLUMNS)})"
        for column in table.columns
        if column not in FORMULA_COLUMNS
    ]
    congress_rows: dict[int, int] = {}
    previous_year: tuple[int, int] | None = None
    for position, record in enumerate(table.to_dict("records")):
        cells = {column: _cell(record[column]) for column in FORMULA_COLUMNS if column in table.columns}
        where = f"{name} row {position + 1} (line {position + 2}), column"
        row_problems, congress, year = _formula_row_problems(cells)
        problems += [f"{where} {problem}" for problem in row_problems]
        if congress is not None:
            if congress in congress_rows:
                first = congress_rows[congress]
                problems.append(
                    f"{where} congress: {congress} repeats row {first + 1} (line {first + 2}); one row per Congress"
                )
            else:
                congress_rows[congress] = position
        if year is not None:
            if previous_year is not None and year < previous_year[1]:
                problems.append(
                    f"{where} year: {year} comes after {previous_year[1]} in row {previous_year[0] + 1}; "
                    "list the rows in chronological order"
                )
            previous_year = (position, year)
    return problems


def _formula_row_problems(cells: Mapping[str, str]) -> tuple[list[str], int | None, int | None]:
    """Problems within one row, each starting with the column name; also the usable congress and year."""
    problems: list[str] = []
    congress: int | None = None
    congress_text = cells.get("congress", "")
    if congress_text:
        congress = _whole_number(congress_text)
        if congress is None or congress < 1:
            problems.append(f"congress: {congress_text!r} is not a Congress ordinal (a whole number from 1, or empty)")
            congress = None
    year: int | None = None
    if "year" in cells:
        year = _whole_number(cells["year"])
        if year is None:
            problems.append(f"year: {cells['year']!r} is not a whole year")
        elif not EARLIEST_FORMULA_YEAR <= year <= LATEST_FORMULA_YEAR:
            problems.append(f"year: {year} is outside {EARLIEST_FORMULA_YEAR}-{LATEST_FORMULA_YEAR}")
            year = None
    wording = cells.get("wording", "")
    rung = cells.get("rung", "")
    has_source_text = cells.get("has_source", "")
    has_source = {"true": True, "false": False}.get(has_source_text.lower())
    if "has_source" in cells and has_source is None:
        problems.append(f"has_source: {has_source_text!r} is not true or false")
    if "rung" in cells and rung and rung not in RUNG_IDS:
        problems.append(f"rung: {rung!r} is not a rung id (known: {', '.join(RUNG_IDS)})")
    if has_source is True:
        if "wording" in cells and not wording:
            problems.append("wording: empty, but has_source is true; quote the formula or set has_source to false")
        if "rung" in cells and not rung:
            problems.append("rung: empty; name the highest rung the wording states")
        url = cells.get("source_url", "")
        if "source_url" in cells and not re.match(r"https?://\S+$", url):
            problems.append(f"source_url: {url!r} is not an http(s) address; has_source is true")
    if has_source is False:
        if wording:
            problems.append("wording: given, but has_source is false; a wording needs its source")
        if rung:
            problems.append("rung: given, but has_source is false; a rung needs a sourced wording")
        if "source_note" in cells and not cells["source_note"]:
            problems.append(
                "source_note: empty; say why no wording is given (e.g. 'Congress wording not found with a source')"
            )
    if wording and rung in RUNG_IDS:
        problems += _wording_rung_problems(wording, rung)
    return problems, congress, year


def _wording_rung_problems(wording: str, rung: str) -> list[str]:
    by_id = {each.id: each for each in RUNGS}
    stated = sorted({match.rung for match in find_rungs(wording)}, key=lambda rung_id: by_id[rung_id].order)
    if rung not in stated:
        return [f"rung: the wording does not state {rung!r} (it states {', '.join(stated) or 'no rung'})"]
    if stated[-1] != rung:
        return [
            f"rung: {rung!r} is not the highest rung the wording states; it also states {stated[-1]!r} "
            f"(order {by_id[stated[-1]].order})"
        ]
    return []


def _typed_formulas(table: pd.DataFrame) -> pd.DataFrame:
    formulas = pd.DataFrame({column: table[column].map(_cell) for column in FORMULA_COLUMNS})
    formulas["congress"] = pd.array(
        [int(value) if value else pd.NA for value in formulas["congress"]], dtype="Int64"
    )
    formulas["year"] = formulas["year"].astype("int64")
    formulas["has_source"] = formulas["has_source"].str.lower().eq("true").astype(bool)
    return formulas.reset_index(drop=True)
