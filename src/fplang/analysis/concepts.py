"""Concepts over time: counts per sentence, rates with intervals, concordances.

Every count is made per sentence with the counting engine
(:func:`fplang.counting.engine.count_concepts`), so that a document's count is the sum
of its sentences', each count traces back to its sentences (the concordance),
and rates by period can be bootstrapped over sentences.

Two forms of the same counts: :func:`sentence_counts`, one row per sentence and
concept with the zeros (small corpora, tests), and :func:`count_sentences`, a
:class:`SentenceCounts` that keeps only the sentences' tokens and the non-zero
counts.  The zeros are nearly all of the first: all 10,952 UN General Debate
speeches have about 1.3 million sentences, 46 million rows with 35 concepts,
of which some 2 % are not zero.  :func:`document_rates`, :func:`period_rates`
and :func:`dispersion` take either and give the same tables.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from fplang.analysis.rates import bootstrap_rates, poisson_rate_ci, rate_per_1000
from fplang.counting import count_concepts, count_matrix, find_matches
from fplang.counting.lexicon import Lexicon
from fplang.errors import StatsInputError

SENTENCE_KEYS = ["doc_id", "sentence_id"]
GROUP_COLUMNS = ["published_year", "period_id", "spoken_start"]
"""Sentence columns the counts carry along when present, to group rates by."""


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
    keep = [c for c in [*SENTENCE_KEYS, *GROUP_COLUMNS] if c in sentences]
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


@dataclass(frozen=True)
class SentenceCounts:
    """Each concept's count in each sentence, the zeros left implicit.

    Attributes
    ----------
    sentences
        One row a sentence: doc_id, sentence_id, any of :data:`GROUP_COLUMNS`
        present in the counted sentences, and ``tokens`` (the counting
        engine's token total, the rates' denominator).
    hits
        One row a sentence and concept whose count is not zero: ``row`` (the
        sentence's position in ``sentences``), ``concept`` (lexicon key) and
        ``count``; sentence-major, concepts in lexicon order.
    concepts
        The lexicon's concepts in order: concept, label, family.
    """

    sentences: pd.DataFrame
    hits: pd.DataFrame
    concepts: pd.DataFrame

    @property
    def total(self) -> int:
        """Every match counted, over all sentences and concepts."""
        return int(self.hits["count"].sum())

    def hit_rows(self) -> pd.DataFrame:
        """The rows of :func:`sentence_counts` whose count is not zero, in its columns and order."""
        rows = self.hits["row"].to_numpy()
        base = self.sentences.drop(columns="tokens").iloc[rows].reset_index(drop=True)
        labels = self.concepts.set_index("concept")
        concept = self.hits["concept"].to_numpy(dtype=object)
        return base.assign(
            concept=concept,
            label=labels["label"].reindex(concept).to_numpy(),
            family=labels["family"].reindex(concept).to_numpy(),
            count=self.hits["count"].to_numpy(),
            tokens=self.sentences["tokens"].to_numpy()[rows],
        )


def count_sentences(sentences: pd.DataFrame, lexicon: Lexicon) -> SentenceCounts:
    """The counts :func:`sentence_counts` gives, without its rows of zeros (:class:`SentenceCounts`).

    The counting engine's matrix (sentences x concepts) is read once for its
    non-zero cells; no row is made for a concept a sentence does not use.
    """
    matrix, n_tokens = count_matrix(sentences["text"].reset_index(drop=True), lexicon)
    keep = [c for c in [*SENTENCE_KEYS, *GROUP_COLUMNS] if c in sentences]
    counted = sentences[keep].reset_index(drop=True).assign(tokens=np.asarray(n_tokens, dtype=np.int64))
    row, column = np.nonzero(matrix)
    keys = np.asarray(lexicon.concept_keys, dtype=object)
    hits = pd.DataFrame(
        {"row": row.astype(np.int64), "concept": keys[column], "count": matrix[row, column].astype(np.int64)}
    )
    return SentenceCounts(counted, hits, concept_table(lexicon)[["concept", "label", "family"]])


def _as_sentence_counts(counts: pd.DataFrame | SentenceCounts) -> SentenceCounts:
    """``counts`` as :class:`SentenceCounts`; a frame of :func:`sentence_counts` (zeros included) is converted."""
    if isinstance(counts, SentenceCounts):
        return counts
    row = counts.groupby(SENTENCE_KEYS, sort=False).ngroup().to_numpy()
    first = counts.drop_duplicates(SENTENCE_KEYS)
    keep = [c for c in [*SENTENCE_KEYS, *GROUP_COLUMNS, "tokens"] if c in counts]
    is_hit = (counts["count"] > 0).to_numpy()
    hits = pd.DataFrame(
        {
            "row": row[is_hit].astype(np.int64),
            "concept": counts["concept"].to_numpy(dtype=object)[is_hit],
            "count": counts["count"].to_numpy()[is_hit].astype(np.int64),
        }
    )
    concepts = counts.drop_duplicates("concept")[["concept", "label", "family"]].reset_index(drop=True)
    return SentenceCounts(first[keep].reset_index(drop=True), hits, concepts)


def document_rates(counts: pd.DataFrame | SentenceCounts, documents: pd.DataFrame) -> pd.DataFrame:
    """Per document and concept: count, tokens, rate per 1,000 tokens and its exact Poisson interval.

    ``counts`` is :func:`sentence_counts` or :func:`count_sentences`; every
    document with a sentence gets a row for every concept, zeros included, in
    the order of the sentences, then of the lexicon.  ``documents`` supplies
    tokens, published and published_year.  The interval treats a document as
    one Poisson draw (Garwood's exact interval), so a zero count still gets an
    honest upper bound.
    """
    counted = _as_sentence_counts(counts)
    doc_of_hit = counted.sentences["doc_id"].to_numpy(dtype=object)[counted.hits["row"].to_numpy()]
    summed = counted.hits.assign(doc_id=doc_of_hit).groupby(["doc_id", "concept"], sort=False)["count"].sum()
    doc_ids = pd.unique(counted.sentences["doc_id"].to_numpy(dtype=object))
    concepts = counted.concepts["concept"].to_numpy(dtype=object)
    grid = pd.MultiIndex.from_product([doc_ids, concepts], names=["doc_id", "concept"])
    per_doc = summed.reindex(grid, fill_value=0).astype("int64").reset_index()
    labels = counted.concepts.set_index("concept")
    per_doc.insert(2, "label", labels["label"].reindex(per_doc["concept"]).to_numpy())
    per_doc.insert(3, "family", labels["family"].reindex(per_doc["concept"]).to_numpy())
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
    counts: pd.DataFrame | SentenceCounts,
    group: str,
    n_boot: int = 2000,
    seed: int = 20260121,
    *,
    min_sentences: int = MIN_SENTENCES_PER_CELL,
    unit: str = "sentence",
) -> pd.DataFrame:
    """Rates per 1,000 tokens by ``group`` (e.g. period_id) with bootstrap intervals.

    ``counts`` is :func:`sentence_counts` or :func:`count_sentences` (the same
    rates).  ``unit`` is what the bootstrap resamples: ``"sentence"`` (the
    seeds, where five documents are too few to resample) or ``"document"`` (a
    speech, for the UN record, where sentences of one speech are not
    independent draws).  Sentences with a missing ``group`` (a multi-era span)
    are left out.

    A group with fewer than ``min_sentences`` sentences gets no rate and no
    interval (``NaN``) and ``too_few`` True: a rate from four sentences, or a
    bootstrap interval of [0, 0] from them, tells the reader nothing.

    Returns the ``group`` column, then those of
    :func:`fplang.analysis.rates.bootstrap_rates` (every concept of the
    lexicon), plus ``n_sentences``, ``too_few``, label and family.
    """
    if unit not in ("sentence", "document"):
        raise StatsInputError(f"period_rates: unit must be 'sentence' or 'document', not {unit!r}")
    if min_sentences < 1:
        raise StatsInputError(f"period_rates: min_sentences must be at least 1, not {min_sentences}")
    counted = _as_sentence_counts(counts)
    sentences = counted.sentences
    in_group = sentences[group].notna().to_numpy()
    # a sentence's unit id is its row: the bootstrap's draws depend on what a group's units hold, not on their ids
    units = sentences.assign(unit=np.arange(len(sentences)))[in_group]
    n_sentences = units.groupby(group).size()
    hits = counted.hits[in_group[counted.hits["row"].to_numpy()]]
    hit_units = units.loc[hits["row"].to_numpy()]
    if unit == "document":
        located = hits.assign(doc_id=hit_units["doc_id"].to_numpy(), **{group: hit_units[group].to_numpy()})
        frame = _per_document(units, located, group)
    else:
        # one row per non-zero count, and one (no concept, count 0) per sentence for its tokens
        frame = pd.concat(
            [
                pd.DataFrame(
                    {group: hit_units[group].to_numpy(), "unit": hit_units["unit"].to_numpy(),
                     "concept": hits["concept"].to_numpy(dtype=object), "count": hits["count"].to_numpy(),
                     "tokens": hit_units["tokens"].to_numpy()}
                ),
                pd.DataFrame(
                    {group: units[group].to_numpy(), "unit": units["unit"].to_numpy(), "concept": None, "count": 0,
                     "tokens": units["tokens"].to_numpy()}
                ),
            ],
            ignore_index=True,
        )  # fmt: skip
    rates = bootstrap_rates(
        frame, [group], "concept", "count", "tokens", n_boot=n_boot, seed=seed, unit_col="unit",
        concepts=counted.concepts["concept"].tolist(),
    )  # fmt: skip
    rates["n_sentences"] = rates[group].map(n_sentences).astype("int64")
    rates["too_few"] = rates["n_sentences"] < min_sentences
    rates.loc[rates["too_few"], ["rate_per_1000", "ci_low", "ci_high"]] = float("nan")
    labels = counted.concepts.set_index("concept")[["label", "family"]]
    return rates.join(labels, on="concept")


def _per_document(units: pd.DataFrame, hits: pd.DataFrame, group: str) -> pd.DataFrame:
    """Counts summed to one row per (group, document, concept), tokens the document's total in the group.

    Each (group, document) also gets one row with no concept and count 0, so a
    document with no counts is still drawn with its tokens.
    """
    tokens = units.groupby([group, "doc_id"], sort=False)["tokens"].sum().rename("tokens").reset_index()
    summed = hits.groupby([group, "doc_id", "concept"], sort=False)["count"].sum().reset_index()
    summed = summed.join(tokens.set_index([group, "doc_id"])["tokens"], on=[group, "doc_id"])
    present = tokens.assign(concept=None, count=0)
    frame = pd.concat([summed, present[summed.columns]], ignore_index=True)
    return frame.assign(unit=frame["doc_id"].astype(str))


def concordance(
    sentences: pd.DataFrame, lexicon: Lexicon, width: int = 60, doc_ids: Sequence[str] | None = None
) -> pd.DataFrame:
    """A keyword-in-context line for every counted match, so every count traces to its sentence.

    Columns: doc_id, sentence_id, concept, pattern, left, match, right
    (``width`` characters of context each side, within the sentence).
    """
    chosen = sentences[[*SENTENCE_KEYS, "text"]]  # only what a line needs: copying every column costs seconds
    if doc_ids is not None:
        chosen = chosen[chosen["doc_id"].isin(list(doc_ids))]
    chosen = chosen.reset_index(drop=True)
    matches = find_matches(chosen["text"], lexicon)
    position = matches["doc_id"].to_numpy(dtype=np.int64)
    starts, ends = matches["start"].tolist(), matches["end"].tolist()
    of_match = chosen["text"].take(position).tolist()  # Python strings for the matched sentences only
    return pd.DataFrame(
        {
            "doc_id": chosen["doc_id"].to_numpy(dtype=object)[position],
            "sentence_id": chosen["sentence_id"].to_numpy(dtype=np.int64)[position],
            "concept": matches["concept"].astype(str).to_numpy(dtype=object),
            "pattern": matches["pattern"].to_numpy(dtype=object),
            "left": [text[max(0, start - width) : start] for text, start in zip(of_match, starts, strict=True)],
            "match": [text[start:end] for text, start, end in zip(of_match, starts, ends, strict=True)],
            "right": [text[end : end + width] for text, end in zip(of_match, ends, strict=True)],
        },
        columns=["doc_id", "sentence_id", "concept", "pattern", "left", "match", "right"],
    )


def dispersion(counts: pd.DataFrame | SentenceCounts, sentences: pd.DataFrame, concepts: Sequence[str]) -> pd.DataFrame:
    """Where in each document the chosen concepts occur: one row per hit sentence.

    ``position`` is the sentence's place in its document as a fraction (0 =
    first sentence, 1 = last), for a lexical dispersion ("x-ray") chart.
    """
    counted = _as_sentence_counts(counts)
    chosen = counted.hits[counted.hits["concept"].isin(list(concepts)).to_numpy()]
    hits = _hit_frame(counted, chosen)
    length = sentences.groupby("doc_id")["sentence_id"].max().clip(lower=1)
    hits = hits.assign(position=hits["sentence_id"] / hits["doc_id"].map(length))
    text = sentences[[*SENTENCE_KEYS, "text"]].drop_duplicates(SENTENCE_KEYS)
    text = text.assign(excerpt=text["text"].str.slice(0, 160)).drop(columns="text")
    hits = hits.merge(text, on=SENTENCE_KEYS, how="left", sort=False)
    hits["excerpt"] = hits["excerpt"].astype(object).where(hits["excerpt"].notna(), "")
    return hits[["doc_id", "sentence_id", "position", "concept", "label", "count", "excerpt"]]


def _hit_frame(counted: SentenceCounts, hits: pd.DataFrame) -> pd.DataFrame:
    """Some of ``counted.hits`` as rows of :func:`sentence_counts` (keys, concept, label, count)."""
    rows = hits["row"].to_numpy()
    concept = hits["concept"].to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "doc_id": counted.sentences["doc_id"].to_numpy(dtype=object)[rows],
            "sentence_id": counted.sentences["sentence_id"].to_numpy()[rows],
            "concept": concept,
            "label": counted.concepts.set_index("concept")["label"].reindex(concept).to_numpy(),
            "count": hits["count"].to_numpy(),
        }
    )


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
