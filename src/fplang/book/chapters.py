"""What the chapters glue into their prose, computed once: values, the keys they fill, whether a chapter applies.

A chapter's prose names glue keys (``{glue:text}`un_first_partner```).  When a
chapter cannot apply to a run's inputs it still has to glue every one of them
("n/a"), so the list of keys and the function that fills them live side by
side here, and a test holds each function to its list.  A value shown in two
chapters (the year the UN speeches first state a rung, in chapters 4 and 7)
comes from one function, under one key.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fplang.book.numbers import format_int, format_rate
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
    "not_found_list",
    "n_rungs_ahead",
    "active_lead_years",
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
    """Chapter 4's numbers: the rungs, the Congress rows, the seeds' statements, the ladder at the UN.

    ``not_found_list`` names the documents whose wording was not found; ``n_rungs_ahead``
    and ``active_lead_years`` compare the UN's first statement of each rung with the first
    Party wording of it (:func:`fplang.analysis.formulas.congress_and_source_firsts`).
    """
    from fplang.analysis.formulas import congress_and_source_firsts, first_last_by_rung, ladder_timeline

    values: dict[str, object] = {
        "n_rungs": number_word(len(rungs)),
        "n_congress_rows": len(formula_table),
        "n_congress_sourced": number_word(int(formula_table["has_source"].sum())),
        "n_congress_unsourced": number_word(int((~formula_table["has_source"]).sum())),
        "n_seed_statements": len(seed_statements),
        "n_seed_docs": number_word(seed_statements["doc_id"].nunique()),
        "un_iso3": NOT_GIVEN,
        "un_n_statements": NOT_GIVEN,
        "un_n_speeches": NOT_GIVEN,
        "not_found_list": "; ".join(formula_table.loc[~formula_table["has_source"], "document"]) or "none",
        "n_rungs_ahead": NOT_GIVEN,
        "active_lead_years": NOT_GIVEN,
    }
    first_last = None
    if un_statements is not None and un_documents is not None:
        first_last = first_last_by_rung(un_statements)
        values |= {"un_iso3": un_iso3, "un_n_statements": len(un_statements), "un_n_speeches": len(un_documents)}
        firsts = congress_and_source_firsts(ladder_timeline(formula_table, seed_statements.iloc[0:0], un_statements))
        lead = firsts.at["active_responsible_member", "lead_years"]
        values |= {
            "n_rungs_ahead": counted(int((firsts["lead_years"] > 0).sum()), "rung"),
            "active_lead_years": "n/a" if pd.isna(lead) else int(lead),
        }
    return values | un_ladder_values(first_last)


def formulas_as_markdown(formula_table: pd.DataFrame) -> str:
    """The Party's formulas as a list a reader can read: one entry per document.

    Each entry gives the year and the document, the Vietnamese original (when
    found), the English rendering, the highest rung it states, the citation
    and the note; a document without a wording says why.  Seven columns of
    long text do not fit a table in the text column.
    """
    from fplang.analysis.rungs import RUNGS

    label = {rung.id: rung.label.lower() for rung in RUNGS}
    entries = []
    for row in formula_table.to_dict("records"):
        head = f"**{row['year']} — {row['document']}.**"
        if not row["has_source"]:
            entries.append(f"- {head} *No wording found.* {row['source_note']}.")
            continue
        parts = [head]
        if row["wording_vi"]:
            parts.append(f"*{row['wording_vi']}*")
        parts.append(f"“{row['wording']}”")
        if row["rung"]:
            parts.append(f"(highest rung: {label.get(row['rung'], row['rung'])}).")
        parts.append(f"Source: {row['citation']}, <{row['source_url']}>.")
        if row["source_note"]:
            parts.append(f"Note: {row['source_note']}.")
        entries.append("- " + " ".join(parts))
    return "\n".join(entries)


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
    "n_changes_expected",
    "changes_p_value",
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
    baseline: dict[str, float] | None = None,
) -> dict[str, object]:
    """Chapter 6's numbers: the record, the focus state's speeches, change points near a landmark, the world.

    The focus state is named as prose names it (``focus_name``, e.g. "Viet Nam"; its
    code when none is given); small counts read in words; ``partial_decades`` lists the
    decades the focus state's speeches cover only in part, as the charts label them.
    ``baseline`` is :func:`fplang.analysis.un.change_point_baseline` of ``changes``: how many
    change years chance would put near a landmark, and how often as many or more.
    """
    focus = documents[documents["iso3"] == focus_iso3]
    chance = baseline or {}
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
        "n_changes_expected": f"{chance['expected']:.1f}" if "expected" in chance else "n/a",
        "changes_p_value": f"{100 * chance['p_value']:.0f}" if "p_value" in chance else "n/a",
        "partial_decades": listed(partial) or "none",
        "n_rung_statements": len(statements),
        "world_speeches": int(world.groupby("year")["speeches"].first().sum())
        if world is not None
        else "(no world reference)",
    }


PRECISION_KEYS: tuple[str, ...] = (
    "n_precision_concepts",
    "n_precision_lines",
    "n_precision_dropped",
    "lowest_precision_concept",
    "lowest_precision",
    "n_interval_under_80",
    "interval_under_80",
    "indep_n",
    "indep_own_pct",
    "indep_liberation_pct",
    "indep_other_states_pct",
    "indep_rate_before",
    "indep_rate_after",
    "indep_own_before",
    "indep_own_after",
    "indep_liberation_share_of_fall",
)
"""Every key of chapter 6's section on the dictionary's precision."""


def precision_values(table: pd.DataFrame, dropped: int, labels: pd.Series, senses: pd.DataFrame) -> dict[str, object]:
    """The precision section's numbers, from :func:`fplang.analysis.precision.precision_table` and
    :func:`~fplang.analysis.precision.senses_by_era` (two eras: before and after the renewal).

    ``labels`` maps a concept to its label.  Shares and precisions are whole percentages;
    rates per 10,000 tokens to one decimal; small counts in words.
    """
    lowest = table.sort_values(["precision", "ci_low"], kind="stable").iloc[0]
    under = table[table["may_be_under_threshold"]]
    before, after = senses.iloc[0], senses.iloc[-1]
    total = senses[["own_policy", "national_liberation", "other_states", "all"]].sum()
    fall = before["all_per_10k"] - after["all_per_10k"]
    liberation_fall = before["national_liberation_per_10k"] - after["national_liberation_per_10k"]
    return {
        "n_precision_concepts": len(table),
        "n_precision_lines": int(table["n"].sum()),
        "n_precision_dropped": number_word(dropped),
        "lowest_precision_concept": labels.get(lowest["concept"], lowest["concept"]),
        "lowest_precision": f"{100 * lowest['precision']:.0f}",
        "n_interval_under_80": number_word(len(under)),
        "interval_under_80": listed([str(labels.get(c, c)).lower() for c in under["concept"]]) or "none",
        "indep_n": int(total["all"]),
        "indep_own_pct": f"{100 * total['own_policy'] / total['all']:.0f}",
        "indep_liberation_pct": f"{100 * total['national_liberation'] / total['all']:.0f}",
        "indep_other_states_pct": f"{100 * total['other_states'] / total['all']:.0f}",
        "indep_rate_before": f"{before['all_per_10k']:.1f}",
        "indep_rate_after": f"{after['all_per_10k']:.1f}",
        "indep_own_before": f"{before['own_policy_per_10k']:.1f}",
        "indep_own_after": f"{after['own_policy_per_10k']:.1f}",
        "indep_liberation_share_of_fall": f"{100 * liberation_fall / fall:.0f}" if fall > 0 else "n/a",
    }


INDEPENDENCE_ERAS: tuple[tuple[str, int, int], ...] = (("1978-1986", 1978, 1986), ("1987-2024", 1987, 2024))
"""The two eras "independence" is compared across: Viet Nam's UN speeches before and after the renewal."""


def precision_results(
    precision_dir: str | Path, kwic: pd.DataFrame, documents: pd.DataFrame, labels: pd.Series
) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, object]]:
    """The precision table, independence by sense and era, and the values the prose glues.

    ``kwic`` is the concordance of the speeches the sample was drawn from, under the
    current lexicon; ``documents`` their documents table; ``labels`` concept -> label.
    The labelled lines the current lexicon no longer counts for their concept are left
    out (:func:`fplang.analysis.precision.still_counted`).
    """
    from fplang.analysis.precision import precision_table, senses_by_era, still_counted

    folder = Path(precision_dir)
    labelled = pd.read_csv(folder / "labels.csv", keep_default_na=False)
    kept = labelled[still_counted(labelled, kwic)]
    design = pd.read_csv(folder / "design.csv")
    population = design["concept"].map(kwic["concept"].value_counts()).fillna(0).astype(int)
    table = precision_table(kept, design.assign(population=population)).assign(
        label=lambda t: t["concept"].map(labels)
    )
    census = pd.read_csv(folder / "independence_senses.csv", keep_default_na=False)
    senses = senses_by_era(census, documents, INDEPENDENCE_ERAS, ["own_policy", "national_liberation", "other_states"])
    return table, senses, precision_values(table, len(labelled) - len(kept), labels, senses)


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


_RATE_FINDING = re.compile(r"(?P<concept>.+)_rate_(?P<side>target|reference)$")
_CHANGE_NAMES = {
    "pct_looking_back": "the share of sentences that speak of a time more than ten years before publication",
    "top_keyword": "the most over-used term",
    "top5_keywords": "the five most over-used terms",
    "n_significant_keywords": "the number of terms significant after adjustment",
}


def sensitivity_changes(compared: pd.DataFrame, concept_labels: Mapping[str, str]) -> str:
    """The measures that changed without some documents, in words, each with its two values.

    ``compared`` is :func:`fplang.analysis.findings.sensitivity`'s table and
    ``concept_labels`` the lexicon's names by concept key.  A rate reads "the
    rate of international integration in the reference documents, from 2.0 to
    3.2 per 1,000 tokens", a term "the most over-used term, from “integration”
    to “era”"; "none" when nothing changed.  It replaces a list of the table's
    row labels, which told the reader which rows to look up, not what changed.
    """
    items = [_change_in_words(row, concept_labels) for row in compared[compared["changed"]].itertuples()]
    if len(items) < 2:
        return items[0] if items else "none"
    return "; ".join(items[:-1]) + "; and " + items[-1]


def _change_in_words(row: Any, concept_labels: Mapping[str, str]) -> str:
    before, after = _in_words(row.value_all), _in_words(row.value_without)
    rate = _RATE_FINDING.match(str(row.finding))
    if rate:
        label = concept_labels.get(rate["concept"], rate["concept"].replace("_", " "))
        label = label[:1].lower() + label[1:] if label[1:2].islower() else label  # "UN Charter" keeps its capitals
        return f"the rate of {label} in the {rate['side']} documents, from {before} to {after} per 1,000 tokens"
    name = _CHANGE_NAMES.get(str(row.finding), str(row.description))
    if str(row.finding).startswith("pct_"):
        return f"{name}, from {before} % to {after} %"
    if isinstance(row.value_all, str) or isinstance(row.value_without, str):
        return f"{name}, from \u201c{before}\u201d to \u201c{after}\u201d"  # glue:text prints no markdown
    return f"{name}, from {before} to {after}"


def _in_words(value: object) -> str:
    """A finding's value as prose prints it: a count, a rate to one decimal, a term, or "none"."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "none"
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return format_int(value)
    if isinstance(value, float | np.floating):
        return format_rate(value)
    return str(value)
