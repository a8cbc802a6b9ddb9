"""Whom Viet Nam sounds like: cosine similarity of states' vocabularies, decade by decade.

Each state's speeches of a decade are pooled into one document (a state that
spoke ten times weighs no more than one that spoke once: each row is
L2-normalised).  Its content words (:func:`fplang.analysis.vocabulary.
content_words`) used by at least :data:`MIN_STATES` states in that decade are
weighted by TF-IDF — sublinear term frequency ``1 + ln(tf)``, so a word
repeated throughout one long speech does not dominate, and smoothed inverse
document frequency ``ln((1 + n) / (1 + df)) + 1`` over the decade's states,
so words every state uses count for little — and each state is compared with
every other by the cosine of their vectors (0: no shared weighted word; 1:
the same profile).

What it measures: shared *agenda and phrasing* (what a state talks about and
in which words), not agreement — two states that argue about the same
conflict use its names and sound alike.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import sparse

from fplang.analysis.vocabulary import TermMatrix, content_words

__all__ = ["MIN_STATES", "NEIGHBOUR_COLUMNS", "decade_of", "similarity_by_decade"]

MIN_STATES: int = 5
"""A word enters a decade's vocabulary when at least this many states used it in that decade."""

NEIGHBOUR_COLUMNS: tuple[str, ...] = ("decade", "iso3", "cosine", "rank", "n_speeches")
"""Columns of :func:`similarity_by_decade`: ``rank`` 1 is the focus state's nearest neighbour."""


def decade_of(years: pd.Series) -> pd.Series:
    """The decade of each year, as its first year (1978 -> 1970)."""
    return (years.astype("int64") // 10) * 10


def similarity_by_decade(
    matrix: TermMatrix, speeches: pd.DataFrame, focus: str = "VNM", *, min_states: int = MIN_STATES
) -> pd.DataFrame:
    """Cosine similarity of every state to ``focus``, in each decade the focus state spoke.

    ``speeches`` gives ``iso3`` and ``year`` for each row of ``matrix`` (same
    order).  Returns columns :data:`NEIGHBOUR_COLUMNS`, one row per decade
    and other state that spoke in it, sorted by decade then rank.
    """
    from sklearn.feature_extraction.text import TfidfTransformer

    if len(speeches) != matrix.counts.shape[0]:
        raise ValueError(f"{len(speeches)} speeches for a matrix of {matrix.counts.shape[0]} rows")
    words = content_words(matrix.terms)
    decades = decade_of(speeches["year"]).to_numpy()
    tables = []
    for decade in sorted(set(decades[speeches["iso3"].to_numpy() == focus])):
        rows = np.flatnonzero(decades == decade)
        states, state_codes = np.unique(speeches["iso3"].to_numpy()[rows], return_inverse=True)
        pooling = sparse.csr_matrix(
            (np.ones(rows.size), (state_codes, np.arange(rows.size))), shape=(states.size, rows.size)
        )
        pooled = (pooling @ matrix.counts[rows][:, words]).tocsc()
        used_by = np.asarray((pooled > 0).sum(axis=0)).ravel()
        pooled = pooled[:, used_by >= min_states].tocsr()
        weights = TfidfTransformer(sublinear_tf=True, smooth_idf=True, norm="l2").fit_transform(pooled)
        focus_row = int(np.flatnonzero(states == focus)[0])
        cosine = np.asarray((weights @ weights[focus_row].T).todense()).ravel()
        speeches_per_state = np.bincount(state_codes, minlength=states.size)
        table = pd.DataFrame(
            {
                "decade": int(decade),
                "iso3": states,
                "cosine": np.clip(cosine, 0.0, 1.0),
                "n_speeches": speeches_per_state,
            }
        )
        table = table[table["iso3"] != focus].sort_values(["cosine", "iso3"], ascending=[False, True], kind="stable")
        table["rank"] = np.arange(1, len(table) + 1)
        tables.append(table)
    result = pd.concat(tables, ignore_index=True) if tables else pd.DataFrame(columns=list(NEIGHBOUR_COLUMNS))
    return result[list(NEIGHBOUR_COLUMNS)].astype({"decade": "int64", "rank": "int64", "n_speeches": "int64"})
