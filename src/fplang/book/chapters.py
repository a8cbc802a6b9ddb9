"""What the chapters glue into their prose, computed once: values, the keys they fill, whether a chapter applies.

A chapter's prose names glue keys (``{glue:text}`un_first_partner```).  When a
chapter cannot apply to a run's inputs it still has to glue every one of them
("n/a"), so the list of keys and the function that fills them live side by
side here, and a test holds each function to its list.  A value shown in two
chapters (the year the UN speeches first state a rung, in chapters 4 and 7)
comes from one function, under one key.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from fplang.book.report import counted, decade_label, document_labels, listed, number_word, times, year

NOT_GIVEN = "(no UN corpus given)"
"""What a UN value reads when a run names no UN corpus."""

UN_LADDER_KEYS: tuple[str, ...] = (
    "un_first_friends",
    "un_first_partner",
    "un_first_responsible",
    "un_first_active",
    "un_n_never",
    "un_never_phrase",
)
"""The formula ladder at the UN, as chapters 4 and 7 state it."""


def un_ladder_values(first_last: pd.DataFrame | None) -> dict[str, object]:
    """The years a state's UN speeches first state four rungs, and how many rungs they never state.

    ``first_last`` is :func:`fplang.analysis.formulas.first_last_by_rung` of the
    speeches' statements; ``None`` (no UN corpus) gives :data:`NOT_GIVEN` for each key.
    """
    if first_last is None:
        return dict.fromkeys(UN_LADDER_KEYS, NOT_GIVEN)
    first = first_last.set_index("rung")
    never = int((first["n_statements"] == 0).sum())
    return {
        "un_first_friends": year(first.at["friends_with_all", "first_year"]),
        "un_first_partner": year(first.at["friend_and_reliable_partner", "first_year"]),
        "un_first_responsible": year(first.at["responsible_member", "first_year"]),
        "un_first_active": year(first.at["active_responsible_member", "first_year"]),
        "un_n_never": never,
        "un_never_phrase": counted(never, "rung"),  # as prose says it: "three rungs"
    }


FORMULA_CHAPTER_KEYS: tuple[str, ...] = (
    "n_rungs",
    "n_congress_rows",
    "n_congress_sourced",
    "n_congress_unsourced",
    "n_seed_statements",
    "n_seed_docs",
    "un_iso3",
    "un_n_statements",
    "un_n_speeches",
    *UN_LADDER_KEYS,
)
"""Every key chapter 4's prose names."""


def formula_chapter_values(
    rungs: pd.DataFrame,
    formula_table: pd.DataFrame,
    seed_statements: pd.DataFrame,
    un_statements: pd.DataFrame | None,
    un_documents: pd.DataFrame | None,
    un_iso3: str,
) -> dict[str, object]:
    """Chapter 4's numbers: the rungs, the Congress rows, the seeds' statements, the ladder at the UN."""
    from fplang.analysis.formulas import first_last_by_rung

    values: dict[str, object] = {
        "n_rungs": number_word(len(rungs)),
        "n_congress_rows": len(formula_table),
        "n_congress_sourced": int(formula_table["has_source"].sum()),
        "n_congress_unsourced": int((~formula_table["has_source"]).sum()),
        "n_seed_statements": len(seed_statements),
        "n_seed_docs": number_word(seed_statements["doc_id"].nunique()),
        "un_iso3": NOT_GIVEN,
        "un_n_statements": NOT_GIVEN,
        "un_n_speeches": NOT_GIVEN,
    }
    first_last = None
    if un_statements is not None and un_documents is not None:
        first_last = first_last_by_rung(un_statements)
        values |= {"un_iso3": un_iso3, "un_n_statements": len(un_statements), "un_n_speeches": len(un_documents)}
    return values | un_ladder_values(first_last)


KEYNESS_CHAPTER_KEYS: tuple[str, ...] = (
    "n_target",
    "n_reference",
    "target_names",
    "target_tokens",
    "reference_tokens",
    "n_tested",
    "n_dropped",
    "n_significant_phrase",
    "top_term",
    "top_g2",
    "top_target",
    "top_reference",
    "next_terms",
    "era_target",
    "era_reference",
    "min_frequency",
)
"""Every key of chapter 5's keyness prose."""


def significant_terms(n: int) -> str:
    """How many terms reach significance, with the verb agreeing: "no term reaches", "two terms reach"."""
    return "no term reaches" if n == 0 else counted(n, "term") + (" reaches" if n == 1 else " reach")


def keyness_chapter_values(
    documents: pd.DataFrame,
    keyness: pd.DataFrame,
    target_ids: Sequence[str],
    reference_ids: Sequence[str],
    min_frequency: int,
) -> dict[str, object]:
    """Chapter 5's numbers, as its prose says them: the two sides, what was tested, the top terms, "era".

    Small counts read in words ("two documents", "nine times", "never"), the
    target's documents by outlet and year, and how many terms reach
    significance with its verb ("no term reaches", "three terms reach").
    """
    top = keyness.iloc[0]
    terms = keyness.set_index("term")
    names = document_labels(documents)
    significant = int(keyness["significant"].sum())
    over_used = keyness[keyness["g2"] > 0]["term"].tolist()
    return {
        "n_target": number_word(len(target_ids)),
        "n_reference": number_word(len(reference_ids)),
        "target_names": ", ".join(names.get(doc_id, doc_id) for doc_id in target_ids),
        "target_tokens": int(documents.loc[documents["doc_id"].isin(target_ids), "tokens"].sum()),
        "reference_tokens": int(documents.loc[documents["doc_id"].isin(reference_ids), "tokens"].sum()),
        "n_tested": keyness.attrs["n_tested"],
        "n_dropped": keyness.attrs["n_dropped"],
        "n_significant_phrase": significant_terms(significant),
        "top_term": top["term"],
        "top_g2": float(top["g2"]),
        "top_target": times(int(top["target_count"])),
        "top_reference": times(int(top["reference_count"])),
        "next_terms": listed([f"\u201c{term}\u201d" for term in over_used[1:4]]) or "no other",
        "era_target": times(int(terms.at["era", "target_count"]) if "era" in terms.index else 0),
        "era_reference": times(int(terms.at["era", "reference_count"]) if "era" in terms.index else 0),
        "min_frequency": min_frequency,
    }


UN_CHAPTER_KEYS: tuple[str, ...] = (
    "un_n_speeches",
    "un_n_countries",
    "un_tokens",
    "focus",
    "focus_n",
    "focus_tokens",
    "focus_first",
    "focus_last",
    "n_changes",
    "n_changes_near",
    "n_rung_statements",
    "world_speeches",
    "partial_decades",
)
"""Every key chapter 6's prose names."""

LANDMARK_WINDOW_YEARS = 2
"""A change point within this many years of a landmark counts as near it."""


def why_un_chapter_does_not_apply(un_corpus: str | Path | None, focus_iso3: str) -> str | None:
    """Why chapter 6 cannot run on these inputs, or ``None`` when it can.

    It needs a UN corpus whose manifest has ``iso3`` and ``year`` columns and
    at least one speech by ``focus_iso3``.
    """
    if not un_corpus:
        return "no UN corpus was given (parameter un_corpus)"
    from fplang.corpus.manifest import load_manifest

    manifest = load_manifest(un_corpus)
    if "iso3" not in manifest or "year" not in manifest:
        return "the UN corpus's manifest has no iso3 and year columns"
    if not (manifest["iso3"] == focus_iso3).any():
        return f"the UN corpus has no speech by {focus_iso3}"
    return None


def un_chapter_values(
    documents: pd.DataFrame,
    focus_iso3: str,
    changes: pd.DataFrame,
    statements: pd.DataFrame,
    world: pd.DataFrame | None,
    focus_name: str | None = None,
) -> dict[str, object]:
    """Chapter 6's numbers: the record, the focus state's speeches, change points near a landmark, the world.

    The focus state is named as prose names it (``focus_name``, e.g. "Viet Nam"; its
    code when none is given); small counts read in words; ``partial_decades`` lists the
    decades the focus state's speeches cover only in part, as the charts label them.
    """
    focus = documents[documents["iso3"] == focus_iso3]
    near = changes[pd.to_numeric(changes["years_from_landmark"], errors="coerce").abs() <= LANDMARK_WINDOW_YEARS]
    partial: list[str] = []
    if len(focus):
        first, last = int(focus["year"].min()), int(focus["year"].max())
        labels = [decade_label(decade, first, last) for decade in range(first // 10 * 10, last + 1, 10)]
        partial = [label for label in labels if not label.endswith("s")]
    return {
        "un_n_speeches": len(documents),
        "un_n_countries": documents["iso3"].nunique(),
        "un_tokens": int(documents["tokens"].sum()),
        "focus": focus_name or focus_iso3,
        "focus_n": len(focus),
        "focus_tokens": int(focus["tokens"].sum()),
        "focus_first": year(focus["year"].min()),
        "focus_last": year(focus["year"].max()),
        "n_changes": number_word(len(changes)),
        "n_changes_near": number_word(len(near)),
        "partial_decades": listed(partial) or "none",
        "n_rung_statements": len(statements),
        "world_speeches": int(world.groupby("year")["speeches"].first().sum())
        if world is not None
        else "(no world reference)",
    }


FINDINGS_KEYS: tuple[str, ...] = (
    "pct_looking_back",
    "strategic_autonomy_rate_target",
    "strategic_autonomy_rate_reference",
    "new_era_rate_target",
    "new_era_rate_reference",
    "international_integration_rate_target",
    "international_integration_rate_reference",
    "top_keyword",
    "top5_keywords",
    "n_significant_keywords",
    "top_keyword_without",
    "pct_looking_back_without",
)
"""The findings chapter (8)'s prose names; a finding this run cannot compute reads "n/a"."""

UN_FINDINGS_KEYS: tuple[str, ...] = (*UN_LADDER_KEYS, "un_integration_max", "un_speeches")
"""The findings chapter's UN values: the ladder at the UN (as in chapter 4) and the highest integration rate."""


def un_findings_values(
    first_last: pd.DataFrame | None, speech_rates: pd.DataFrame | None, n_speeches: int, concept: str
) -> dict[str, object]:
    """The findings chapter's UN values, or :data:`NOT_GIVEN` for each when no UN corpus was given.

    ``speech_rates`` is :func:`fplang.analysis.concepts.document_rates` of the
    ``n_speeches`` speeches; ``concept`` the one whose highest speech rate
    finding 3 quotes.
    """
    if first_last is None or speech_rates is None:
        return dict.fromkeys(UN_FINDINGS_KEYS, NOT_GIVEN)
    rates = speech_rates[speech_rates["concept"] == concept]["rate_per_1000"]
    return un_ladder_values(first_last) | {"un_integration_max": float(rates.max()), "un_speeches": n_speeches}
