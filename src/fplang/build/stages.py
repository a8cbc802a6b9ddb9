"""The per-document stages of the corpus build, each a pure function of one partition of documents.

Every stage takes a partition (a few hundred documents, in manifest order) and
returns tables for it alone; :mod:`fplang.build.parallel` runs them as Dask
tasks and :mod:`fplang.build.corpus_build` concatenates the partitions in
order.  Nothing here depends on which other documents share a partition, so
the tables are the same whatever the partitioning and wherever a task runs.

Stages, in order: **clean** (decode the raw bytes, apply the cleaning rules),
**segment** (sentences, with their token counts), **count** (each concept's
count in each sentence, and every match), **date** (the two dates of every
sentence, :mod:`fplang.periods.attribution`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from fplang.corpus.clean import clean_corpus
from fplang.corpus.segment import segment_corpus
from fplang.counting import Lexicon, count_matrix, find_matches
from fplang.periods import attribute_periods

COUNT_COLUMNS = ["doc_id", "sentence_id", "concept", "count"]
"""Columns of the sentence counts: one row per sentence and concept that occurs in it (no zeros)."""

MATCH_COLUMNS = ["doc_id", "sentence_id", "concept", "pattern", "start", "end", "text"]
"""Columns of the matches: ``start``/``end`` are character offsets in the sentence's text."""

DATE_COLUMNS = ["spoken_start", "spoken_end", "period_id", "evidence", "rule", "inherited"]
"""Columns the date stage adds to each sentence (:func:`fplang.periods.attribute_periods`)."""


@dataclass(frozen=True)
class Cleaned:
    """One partition after cleaning: the texts (indexed by doc_id), the removed spans, raw lengths in characters."""

    texts: pd.Series
    report: pd.DataFrame
    chars_raw: np.ndarray


def clean(manifest: pd.DataFrame, raw: list[bytes]) -> Cleaned:
    """Decode each document's bytes (checked against their sha256 before) and clean it."""
    decoded = [data.decode("utf-8") for data in raw]
    texts = pd.Series(decoded, index=manifest["doc_id"].to_numpy(), dtype="string").rename_axis("doc_id")
    cleaned, report = clean_corpus(manifest, texts)
    return Cleaned(cleaned, report, np.fromiter(map(len, decoded), dtype=np.int64, count=len(decoded)))


def segment(cleaned: pd.Series, published: pd.Series) -> pd.DataFrame:
    """Sentences of the cleaned texts (:func:`fplang.corpus.segment.segment_corpus`) with their document's date."""
    sentences = segment_corpus(cleaned)
    dates = pd.DataFrame({"published": published.to_numpy()}, index=cleaned.index.to_numpy())
    sentences["published"] = sentences["doc_id"].map(dates["published"]).astype(object)
    sentences["published_year"] = sentences["published"].str.slice(0, 4).astype("int64")
    return sentences


def count(sentences: pd.DataFrame, lexicon: Lexicon) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each concept's count in each sentence (zeros left out) and every match, traceable to its sentence.

    Sentences are counted one by one, as the chapters always have: a pattern
    never matches across a sentence boundary, also where no punctuation marks it.
    """
    texts = sentences["text"].reset_index(drop=True)
    counts, _ = count_matrix(texts, lexicon)
    row, column = np.nonzero(counts)
    concepts = np.array(lexicon.concept_keys, dtype=object)
    counted = pd.DataFrame(
        {
            "doc_id": sentences["doc_id"].to_numpy()[row],
            "sentence_id": sentences["sentence_id"].to_numpy()[row],
            "concept": concepts[column] if len(concepts) else np.empty(0, dtype=object),
            "count": counts[row, column].astype(np.int64),
        },
        columns=COUNT_COLUMNS,
    )
    found = find_matches(texts, lexicon)
    position = found["doc_id"].to_numpy().astype(np.int64)
    matches = pd.DataFrame(
        {
            "doc_id": sentences["doc_id"].to_numpy()[position],
            "sentence_id": sentences["sentence_id"].to_numpy()[position],
            "concept": found["concept"].astype(str).to_numpy(dtype=object),
            "pattern": found["pattern"].to_numpy(dtype=object),
            "start": found["start"].to_numpy(),
            "end": found["end"].to_numpy(),
            "text": found["text"].to_numpy(dtype=object),
        },
        columns=MATCH_COLUMNS,
    )
    return counted, matches


def date(sentences: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
    """The date columns of each sentence (:data:`DATE_COLUMNS`), in the sentences' order."""
    dated = attribute_periods(sentences[["doc_id", "sentence_id", "text", "published"]], periods)
    return dated[DATE_COLUMNS].reset_index(drop=True)
