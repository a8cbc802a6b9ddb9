"""A document-term matrix of the whole General Debate, and the rule that picks its words.

Two of the world chapter's measures compare whole vocabularies: TF-IDF
similarity between states (:mod:`~fplang.analysis.neighbours`) and Wordfish
positions (:mod:`~fplang.analysis.positions`).  Both start from one sparse
matrix of token counts, speeches by word types, built once from each speech's
counts (:func:`term_matrix`); both keep only *content words*
(:func:`content_words`): alphabetic types of at least three letters that are
not in scikit-learn's English stop list (318 function words, from the
Glasgow Information Retrieval group's list).  Function words are dropped
because they make every speech look like every other (the book's own finding
for its seeds: removing them drops pairwise cosines from about 0.6-0.8 to
0.16-0.41) and, in Wordfish, carry style rather than position.

Tokens are the book's (:mod:`fplang.corpus.tokens`): lower-cased runs of
letters and digits, so "Viet Nam" is one token only because cleaning wrote it
"Vietnam", and "nation's" is a type of its own, dropped here as not alphabetic.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse

__all__ = ["MIN_WORD_LENGTH", "STOP_WORDS", "TermMatrix", "content_words", "term_matrix"]

MIN_WORD_LENGTH: int = 3
"""Shortest content word, in letters: drops initials, OCR debris ("th", "ot") and most abbreviations."""


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


STOP_WORDS: frozenset[str] = _stop_words()
"""scikit-learn's English stop list (318 words), the function words removed before comparing vocabularies."""


@dataclass(frozen=True)
class TermMatrix:
    """Token counts: one row per document, one column per word type.

    Attributes
    ----------
    counts
        ``scipy.sparse.csr_matrix`` of int64, documents × terms.
    terms
        The column labels (word types), in first-seen order.
    doc_ids
        The row labels, in input order.
    """

    counts: sparse.csr_matrix
    terms: np.ndarray
    doc_ids: np.ndarray

    def rows(self, mask: np.ndarray | pd.Series) -> TermMatrix:
        """The documents where ``mask`` is true, with every column kept."""
        keep = np.asarray(mask, dtype=bool)
        return TermMatrix(self.counts[keep], self.terms, self.doc_ids[keep])

    def column_totals(self) -> pd.Series:
        """Occurrences of each term over all rows (index = term)."""
        return pd.Series(np.asarray(self.counts.sum(axis=0)).ravel(), index=self.terms)


def term_matrix(token_counts: Sequence[Mapping[str, int]], doc_ids: Sequence[str]) -> TermMatrix:
    """Stack per-document token counts into one sparse matrix.

    The vocabulary is every type seen, numbered in order of first appearance
    (documents in input order), so the same input always gives the same
    matrix.
    """
    if len(token_counts) != len(doc_ids):
        raise ValueError(f"{len(token_counts)} count tables for {len(doc_ids)} document ids")
    sizes = np.fromiter((len(counts) for counts in token_counts), dtype=np.int64, count=len(token_counts))
    keys = np.empty(int(sizes.sum()), dtype=object)
    values = np.empty(int(sizes.sum()), dtype=np.int64)
    position = 0
    for counts in token_counts:
        size = len(counts)
        keys[position : position + size] = list(counts.keys())
        values[position : position + size] = list(counts.values())
        position += size
    codes, terms = pd.factorize(keys, sort=False)
    rows = np.repeat(np.arange(len(token_counts)), sizes)
    matrix = sparse.csr_matrix((values, (rows, codes)), shape=(len(token_counts), len(terms)), dtype=np.int64)
    matrix.sum_duplicates()
    return TermMatrix(matrix, np.asarray(terms, dtype=object), np.asarray(doc_ids, dtype=object))


def content_words(terms: np.ndarray, stop_words: frozenset[str] = STOP_WORDS) -> np.ndarray:
    """Boolean mask of the terms kept as content words (see the module docstring)."""
    return np.fromiter(
        (term.isalpha() and len(term) >= MIN_WORD_LENGTH and term not in stop_words for term in terms),
        dtype=bool,
        count=len(terms),
    )
