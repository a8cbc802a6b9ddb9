"""The formula ladder: how Viet Nam names itself, Congress by Congress, in three records.

Party Congresses since the renewal have each restated a formula for the
country's place in the world; :mod:`fplang.analysis.rungs` makes each step of
it a rung with the patterns that find it.  This module sets three records side
by side:

* what each Congress said (``data/formulas.csv``, :mod:`fplang.analysis.formula_table`);
* what the seeds claim was said, dated by the period each sentence speaks about;
* what Viet Nam said at the UN General Assembly, dated by the speech.
"""

from __future__ import annotations

import pandas as pd

from fplang.analysis.formula_table import FORMULA_COLUMNS
from fplang.analysis.rungs import RUNG_IDS, RUNGS, RungMatch, find_rungs, rung_matches
from fplang.counting.lexicon import Lexicon
from fplang.errors import FplangError
from fplang.tables import is_missing, require_columns

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
    "multi_era",
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

TIMELINE_SOURCES: tuple[str, ...] = ("Party wording", "seed claim", "UN record")
"""Values of ``source`` in :func:`ladder_timeline`, in the order rows of one year are listed."""

EXCERPT_CONTEXT_CHARS: int = 60
"""Characters kept either side of the matched formula in a timeline excerpt."""

class StatementTableError(FplangError, ValueError):
    """A sentence or statement table lacks a column the function needs, or names an unknown rung."""


def find_formula_statements(sentences: pd.DataFrame, lexicon: Lexicon | None = None) -> pd.DataFrame:
    """One row per (sentence, rung) for every rung a sentence states.

    The rungs are found by counting their lexicon concepts (the book's
    lexicon unless ``lexicon`` is given), so these statements are chapter
    3's concordance lines of the same concepts.

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
    require_columns(sentences, ("doc_id", "sentence_id", "text"), "find_formula_statements", StatementTableError)
    by_id = {rung.id: rung for rung in RUNGS}
    texts = ["" if is_missing(text) else str(text) for text in sentences["text"]]
    found = rung_matches(pd.Series(texts), lexicon)
    found = found.assign(order=found["rung"].map(lambda rung_id: by_id[rung_id].order))
    first = found.sort_values(["position", "order", "start"], kind="stable").drop_duplicates(["position", "rung"])
    doc_ids, sentence_ids = sentences["doc_id"].to_numpy(), sentences["sentence_id"].to_numpy()
    rows: list[dict[str, object]] = []
    positions: list[int] = []
    for position, rung_id, start, end, matched in zip(
        first["position"], first["rung"], first["start"], first["end"], first["matched"], strict=True
    ):
        rung = by_id[rung_id]
        rows.append(
            {
                "doc_id": doc_ids[position],
                "sentence_id": sentence_ids[position],
                "rung": rung.id,
                "rung_label": rung.label,
                "rung_order": rung.order,
                "matched": matched,
                "match_start": int(start),
                "match_end": int(end),
                "text": texts[position],
            }
        )
        positions.append(int(position))
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
    require_columns(statements, ("rung", "doc_id", year_col), "first_last_by_rung", StatementTableError)
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
        ``published_year``.  A seed sentence is placed at the year it speaks
        about when that lies in one era (``spoken_start``); a sentence whose
        span covers several eras (``multi_era``, e.g. seed 001's 2026 account
        of the whole ascent "over 40 years of renewal") cannot be dated to the
        start of its span and stands at its publication year, its span kept
        in the note.
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
            the row's ``document_id`` (``congress_11``, ``politburo_22_2013``),
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
    require_columns(formulas_table, FORMULA_COLUMNS, "ladder_timeline (formulas_table)", StatementTableError)
    require_columns(
        seed_statements,
        (*STATEMENT_COLUMNS, "spoken_start", "published_year"),
        "ladder_timeline (seed_statements)",
        StatementTableError,
    )
    rows = _congress_rows(formulas_table)
    rows += _statement_rows(seed_statements, source="seed claim", year_col="spoken_start")
    if un_statements is not None:
        needed = (*STATEMENT_COLUMNS, "published_year")
        require_columns(un_statements, needed, "ladder_timeline (un_statements)", StatementTableError)
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
    """Rungs that ``source`` states before any Party wording of them, in ladder order.

    The Party's wording is every sourced row of the formulas table: a
    Congress, a Politburo resolution, or Hồ Chí Minh's statement of 1947.

    The check behind a claim that "the UN record climbs the ladder earlier
    than the Party wording": a rung counts when its first year in
    ``source`` precedes its first year in the Congress rows (a rung with no
    Congress row does not count).  A Congress row stating a rung also states
    the rungs that rung ``includes`` (the 9th Congress's "willing to be a
    friend and a reliable partner" states "a friend and reliable partner").
    """
    first = congress_and_source_firsts(timeline, source)
    ahead = first[first["source_first"] < first["congress_first"]].index
    order = {rung.id: rung.order for rung in RUNGS}
    return sorted(ahead, key=lambda rung: order[rung])


def congress_and_source_firsts(timeline: pd.DataFrame, source: str = "UN record") -> pd.DataFrame:
    """Per rung, the first year a Congress row states it and the first year ``source`` does.

    Returns a frame indexed by rung (ladder order) with ``congress_first`` and
    ``source_first`` (``Int64``, ``<NA>`` when never) and ``lead_years``
    (Congress year minus ``source`` year: positive when ``source`` is earlier).
    """
    dated = timeline.dropna(subset=["year"])
    congress_rows = dated[dated["source"] == TIMELINE_SOURCES[0]]
    includes = {rung.id: rung.includes for rung in RUNGS}
    congress_years: dict[str, int] = {}
    for rung_id, year in zip(congress_rows["rung"], congress_rows["year"], strict=True):
        for stated in (rung_id, *includes.get(rung_id, ())):
            congress_years[stated] = min(int(year), congress_years.get(stated, int(year)))
    stated_years = dated[dated["source"] == source].groupby("rung")["year"].min()
    frame = pd.DataFrame(
        {
            "congress_first": pd.array([congress_years.get(r.id, pd.NA) for r in RUNGS], dtype="Int64"),
            "source_first": pd.array([stated_years.get(r.id, pd.NA) for r in RUNGS], dtype="Int64"),
        },
        index=pd.Index([rung.id for rung in RUNGS], name="rung"),
    )
    frame["lead_years"] = frame["congress_first"] - frame["source_first"]
    return frame


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
# Helpers
# --------------------------------------------------------------------------


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


def _congress_rows(formulas_table: pd.DataFrame) -> list[dict[str, object]]:
    by_id = {rung.id: rung for rung in RUNGS}
    rows: list[dict[str, object]] = []
    for record in formulas_table.to_dict("records"):
        if not record["has_source"] or not str(record["wording"]).strip():
            continue
        wording = str(record["wording"])
        doc_id = str(record["document_id"])
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
        if source == "seed claim" and bool(record.get("multi_era", False)):
            year = published_year
        note = ""
        if source == "seed claim":
            spoken = f"{record['spoken_start']}"
            spoken_end = record.get("spoken_end")
            if not is_missing(spoken_end) and spoken_end != record["spoken_start"]:
                spoken += f"-{spoken_end}"
            note = f"published {published_year}; speaks about {spoken}"
            if bool(record.get("multi_era", False)):
                note += " (several eras: placed at its publication year)"
        rows.append(
            {
                "source": source,
                "year": pd.NA if is_missing(year) else int(year),
                "rung": record["rung"],
                "rung_label": record["rung_label"],
                "rung_order": record["rung_order"],
                "text": excerpt_around(str(record["text"]), int(record["match_start"]), int(record["match_end"])),
                "doc_id": record["doc_id"],
                "published_year": pd.NA if is_missing(published_year) else int(published_year),
                "note": note,
                "_source_rank": TIMELINE_SOURCES.index(source),
                "_sentence": record["sentence_id"],
            }
        )
    return rows
