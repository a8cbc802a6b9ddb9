"""Concepts over time: counts per sentence, rates with intervals, concordances.

Every count is made per sentence with the counting engine
(:func:`fplang.counting.engine.count_concepts`), so that a document's count is the sum
of its sentences', each count traces back to its sentences (the concordance),
and rates by period can be bootstrapped over sentences.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from fplang.analysis.rates import bootstrap_rates, poisson_rate_ci, rate_per_1000
from fplang.counting import count_concepts, find_matches
from fplang.counting.lexicon import Lexicon
from fplang.errors import StatsInputError

SENTENCE_KEYS = ["doc_id", "sentence_id"]


def concept_table(lexicon: Lexicon) -> pd.DataFrame:
    """The lexicon as a table: concept, label, family, patterns (joined by ' | ')."""
    return pd.DataFrame(
        [
            {
                "concept": concept.key,
                "label": concept.label,
                "family": concept.family,
                "patterns": " | ".join(pattern.text for pattern in concept.patterns),
            }
            for concept in lexicon.concepts
        ]
    )


def sentence_counts(sentences: pd.DataFrame, lexicon: Lexicon) -> pd.DataFrame:
    """Each concept's count in each sentence, zeros included.

    Returns the sentence keys (doc_id, sentence_id), any of ``published_year``,
    ``period_id``, ``spoken_start`` present in ``sentences``, then concept,
    label, family, count and tokens (the sentence's token total, the same on
    each of its rows).
    """
    counted = count_concepts(sentences["text"].reset_index(drop=True), lexicon)
    position = counted["doc_id"].to_numpy()
    keep = [c for c in [*SENTENCE_KEYS, "published_year", "period_id", "spoken_start"] if c in sentences]
    base = sentences[keep].reset_index(drop=True).iloc[position].reset_index(drop=True)
    labels = concept_table(lexicon).set_index("concept")
    concept = counted["concept"].astype(str).to_numpy()
    frame = base.assign(
        concept=concept,
        label=labels["label"].reindex(concept).to_numpy(),
        family=labels["family"].reindex(concept).to_numpy(),
        count=counted["count"].to_numpy(),
        tokens=counted["n_tokens"].to_numpy(),
    )
    return frame


def document_rates(counts: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Per document and concept: count, tokens, rate per 1,000 tokens and its exact Poisson interval.

    ``documents`` supplies published and published_year.  The interval treats
    a document as one Poisson draw (Garwood's exact interval), so a zero
    count still gets an honest upper bound.
    """
    per_doc = counts.groupby(["doc_id", "concept", "label", "family"], sort=False, observed=True)["count"].sum()
    per_doc = per_doc.reset_index()
    tokens = documents.set_index("doc_id")["tokens"]
    per_doc["tokens"] = per_doc["doc_id"].map(tokens).astype("int64")
    per_doc["rate_per_1000"] = rate_per_1000(per_doc["count"], per_doc["tokens"])
    low, high = poisson_rate_ci(per_doc["count"].to_numpy(), per_doc["tokens"].to_numpy())
    per_doc["ci_low"], per_doc["ci_high"] = low, high
    dates = documents.set_index("doc_id")[["published", "published_year"]]
    return per_doc.join(dates, on="doc_id")


MIN_SENTENCES_PER_CELL: int = 10
"""A group (an era, a year) shows a rate only with at least this many sentences behind it."""


def period_rates(
    counts: pd.DataFrame,
    group: str,
    n_boot: int = 2000,
    seed: int = 20260121,
    *,
    min_sentences: int = MIN_SENTENCES_PER_CELL,
    unit: str = "sentence",
) -> pd.DataFrame:
    """Rates per 1,000 tokens by ``group`` (e.g. period_id) with bootstrap intervals.

    ``unit`` is what the bootstrap resamples: ``"sentence"`` (the seeds, where
    five documents are too few to resample) or ``"document"`` (a speech, for
    the UN record, where sentences of one speech are not independent draws).
    Sentences with a missing ``group`` (a multi-era span) are left out.

    A group with fewer than ``min_sentences`` sentences gets no rate and no
    interval (``NaN``) and ``too_few`` True: a rate from four sentences, or a
    bootstrap interval of [0, 0] from them, tells the reader nothing.

    Returns the ``group`` column, then those of
    :func:`fplang.analysis.rates.bootstrap_rates`, plus ``n_sentences``,
    ``too_few``, label and family.
    """
    if unit not in ("sentence", "document"):
        raise StatsInputError(f"period_rates: unit must be 'sentence' or 'document', not {unit!r}")
    if min_sentences < 1:
        raise StatsInputError(f"period_rates: min_sentences must be at least 1, not {min_sentences}")
    sentence_key = counts["doc_id"].astype(str) + "#" + counts["sentence_id"].astype(str)
    frame = counts.assign(unit=sentence_key, sentence_key=sentence_key)
    frame = frame[frame[group].notna()]
    n_sentences = frame.groupby(group)["sentence_key"].nunique()
    if unit == "document":
        frame = _per_document(frame, group)
    rates = bootstrap_rates(
        frame, [group], "concept", "count", "tokens", n_boot=n_boot, seed=seed, unit_col="unit"
    )
    rates["n_sentences"] = rates[group].map(n_sentences).astype("int64")
    rates["too_few"] = rates["n_sentences"] < min_sentences
    rates.loc[rates["too_few"], ["rate_per_1000", "ci_low", "ci_high"]] = float("nan")
    labels = counts.drop_duplicates("concept").set_index("concept")[["label", "family"]]
    return rates.join(labels, on="concept")


def _per_document(frame: pd.DataFrame, group: str) -> pd.DataFrame:
    """Sentence rows summed to one row per (group, document, concept), tokens the document's total in the group."""
    sentence_tokens = frame.drop_duplicates("sentence_key").groupby([group, "doc_id"])["tokens"].sum()
    summed = frame.groupby([group, "doc_id", "concept"], sort=False, observed=True)["count"].sum().reset_index()
    summed["tokens"] = [sentence_tokens[(g, d)] for g, d in zip(summed[group], summed["doc_id"], strict=True)]
    return summed.assign(unit=summed["doc_id"].astype(str))


def concordance(
    sentences: pd.DataFrame, lexicon: Lexicon, width: int = 60, doc_ids: Sequence[str] | None = None
) -> pd.DataFrame:
    """A keyword-in-context line for every counted match, so every count traces to its sentence.

    Columns: doc_id, sentence_id, concept, pattern, left, match, right
    (``width`` characters of context each side, within the sentence).
    """
    chosen = sentences if doc_ids is None else sentences[sentences["doc_id"].isin(list(doc_ids))]
    chosen = chosen.reset_index(drop=True)
    matches = find_matches(chosen["text"], lexicon)
    rows = []
    for sentence, concept, pattern, start, end in zip(
        matches["doc_id"],
        matches["concept"].astype(str),
        matches["pattern"],
        matches["start"],
        matches["end"],
        strict=True,
    ):
        text = chosen.at[sentence, "text"]
        rows.append(
            {
                "doc_id": chosen.at[sentence, "doc_id"],
                "sentence_id": int(chosen.at[sentence, "sentence_id"]),
                "concept": concept,
                "pattern": pattern,
                "left": text[max(0, start - width) : start],
                "match": text[start:end],
                "right": text[end : end + width],
            }
        )
    return pd.DataFrame(rows, columns=["doc_id", "sentence_id", "concept", "pattern", "left", "match", "right"])


def dispersion(counts: pd.DataFrame, sentences: pd.DataFrame, concepts: Sequence[str]) -> pd.DataFrame:
    """Where in each document the chosen concepts occur: one row per hit sentence.

    ``position`` is the sentence's place in its document as a fraction (0 =
    first sentence, 1 = last), for a lexical dispersion ("x-ray") chart.
    """
    hits = counts[(counts["count"] > 0) & counts["concept"].isin(list(concepts))]
    length = sentences.groupby("doc_id")["sentence_id"].max().clip(lower=1)
    hits = hits.assign(position=hits["sentence_id"] / hits["doc_id"].map(length))
    text = sentences.set_index(SENTENCE_KEYS)["text"]
    excerpt = [text.get((d, s), "")[:160] for d, s in zip(hits["doc_id"], hits["sentence_id"], strict=True)]
    return hits.assign(excerpt=excerpt)[["doc_id", "sentence_id", "position", "concept", "label", "count", "excerpt"]]


def occurs_only_where(
    by_document: pd.DataFrame, documents: pd.DataFrame, concepts: Sequence[str], variable: str, value: object
) -> bool:
    """Whether every one of ``concepts`` occurs, and only in documents whose ``variable`` equals ``value``.

    The claim a chart title makes ("the 14th-Congress texts alone speak of
    strategic autonomy"), checked on the data: false when a concept is not in
    the lexicon, never occurs, occurs elsewhere, or the documents lack the
    variable.
    """
    if variable not in documents or not concepts:
        return False
    in_group = set(documents.loc[documents[variable].astype(object) == value, "doc_id"])
    for concept in concepts:
        found = set(by_document.loc[(by_document["concept"] == concept) & (by_document["count"] > 0), "doc_id"])
        if not found or not found <= in_group:
            return False
    return True


def leading_concepts(by_period: pd.DataFrame, period_ids: Sequence[str], n: int = 2) -> list[str]:
    """The ``n`` concepts counted most often over ``period_ids`` (ties in concept order), zero counts left out."""
    chosen = by_period[by_period["period_id"].isin(period_ids)]
    totals = chosen.groupby("concept", sort=False)["count"].sum()
    totals = totals[totals > 0].sort_values(ascending=False, kind="stable")
    return totals.index[:n].tolist()
