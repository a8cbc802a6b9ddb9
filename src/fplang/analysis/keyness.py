"""Keyness and collocations: which words a corpus uses more than another, and which go together.

Both rest on the same statistic, the signed four-cell log-likelihood G² of a
2×2 table (:func:`keyness` for a term in two corpora, :func:`collocations` for
two words side by side), with Hardie's log ratio or pointwise mutual
information as the effect size.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np
import pandas as pd
from scipy import special

# scipy.stats is imported where it is used: it is slow to import and most chapters need none of it.
from fplang.analysis.rates import _plain, rate_per_1000
from fplang.errors import StatsInputError

__all__ = ["COLLOCATION_COLUMNS", "KEYNESS_COLUMNS", "collocations", "keyness"]

KEYNESS_COLUMNS: tuple[str, ...] = (
    "term",
    "target_count",
    "reference_count",
    "target_per_1000",
    "reference_per_1000",
    "g2",
    "log_ratio",
    "p_value",
    "p_adjusted",
    "significant",
)
"""Columns of the frame :func:`keyness` returns, in order."""

COLLOCATION_COLUMNS: tuple[str, ...] = ("ngram", "count", "n_sentences", "g2", "pmi")
"""Columns of the frame :func:`collocations` returns, in order."""

LOG_RATIO_PSEUDO_COUNT: float = 0.5
"""Count put in place of a zero when computing the log ratio (Hardie 2014)."""


# ------------------------------------------------------------------------- keyness


def keyness(
    target_counts: pd.Series,
    reference_counts: pd.Series,
    target_total: int,
    reference_total: int,
    min_frequency: int = 5,
    *,
    correction: Literal["bh", "bonferroni"] = "bh",
    alpha: float = 0.05,
) -> pd.DataFrame:
    r"""Which terms a target corpus uses more (or less) than a reference corpus.

    For each term the 2×2 contingency table is

    ==========  ======================  ==========================
    \           target                  reference
    ==========  ======================  ==========================
    term        :math:`a`               :math:`b`
    all others  :math:`c = T - a`       :math:`d = R - b`
    ==========  ======================  ==========================

    with :math:`T` and :math:`R` the token totals, :math:`N = T + R`, and
    expected counts :math:`E_{ij} = \text{row}_i \cdot \text{col}_j / N`.  The
    log-likelihood statistic is the full four-cell form

    .. math:: G^2 = 2 \sum_{ij} O_{ij} \ln(O_{ij} / E_{ij})

    (cells with :math:`O_{ij} = 0` contribute 0).  It equals the two-cell form
    popularised by UCREL's calculator (which sums only the term's row) plus the
    small contribution of the "all other words" row, and it is exactly the
    statistic of ``scipy.stats.chi2_contingency(table, correction=False,
    lambda_="log-likelihood")``.  The sign of ``g2`` is set positive when the
    term's relative frequency is higher in the target (:math:`a/T > b/R`),
    negative when lower.

    The effect size is Hardie's log ratio,

    .. math:: \text{LR} = \log_2 \frac{a' / T}{b' / R}

    where :math:`a' = a` and :math:`b' = b` except that a zero count is replaced
    by 0.5 (:data:`LOG_RATIO_PSEUDO_COUNT`), so a term absent from one corpus
    gets a finite, conservative value instead of infinity.  Each unit of log
    ratio is a doubling: 1 means twice as frequent in the target.

    Parameters
    ----------
    target_counts, reference_counts : pandas.Series
        Occurrences per term (index = term, values = non-negative integers).  A
        term missing from one Series counts 0 there.
    target_total, reference_total : int
        Token totals of the two corpora (the denominators; each must be at least
        every count of its corpus).
    min_frequency : int, default 5
        Terms whose combined count :math:`a + b` is below this are not tested:
        G² is unreliable for very small expected counts and testing them only
        inflates the multiple-testing correction.
    correction : {"bh", "bonferroni"}, default "bh"
        Multiple-testing correction across the terms tested:
        Benjamini–Hochberg false-discovery rate (``scipy.stats.
        false_discovery_control``) or Bonferroni (:math:`\min(1, m p)`).
    alpha : float, default 0.05
        Threshold applied to ``p_adjusted`` for the ``significant`` column.

    Returns
    -------
    pandas.DataFrame
        One row per tested term, sorted by ``g2`` (most over-used first), ties by
        term, with the columns of :data:`KEYNESS_COLUMNS`:

        - ``term``: the index label of the input Series;
        - ``target_count``, ``reference_count``: :math:`a`, :math:`b`;
        - ``target_per_1000``, ``reference_per_1000``: rates per 1,000 tokens;
        - ``g2``: signed four-cell log-likelihood;
        - ``log_ratio``: Hardie's log ratio (base 2, 0.5 for zero counts);
        - ``p_value``: upper tail of χ² with 1 degree of freedom at :math:`|G^2|`;
        - ``p_adjusted``: ``p_value`` after ``correction``;
        - ``significant``: ``p_adjusted < alpha``.

        ``DataFrame.attrs`` records the test: ``n_tested``, ``n_dropped`` (terms
        below ``min_frequency``, not tested and not in the frame),
        ``min_frequency``, ``correction`` and ``alpha``.  (pandas carries
        ``attrs`` through copies and most row selections; read them first.)

    Raises
    ------
    StatsInputError
        If a count is negative, non-integral or missing, a term appears twice, a
        total is not positive or is smaller than one of its counts, or a
        parameter is out of range.

    Examples
    --------
    >>> table = keyness(pd.Series({"peace": 52}), pd.Series({"peace": 57}), 50_000, 75_000)
    >>> round(float(table.loc[0, "g2"]), 2), table.attrs["n_dropped"]
    (2.65, 0)
    """
    if correction not in ("bh", "bonferroni"):
        raise StatsInputError(f"correction must be 'bh' or 'bonferroni', got {correction!r}")
    if not 0 < alpha < 1:
        raise StatsInputError(f"alpha must lie strictly between 0 and 1, got {alpha!r}")
    if min_frequency < 1:
        raise StatsInputError(f"min_frequency must be at least 1, got {min_frequency!r}")
    target_total = _positive_int(target_total, "target_total")
    reference_total = _positive_int(reference_total, "reference_total")
    target = _as_term_counts(target_counts, "target_counts", target_total)
    reference = _as_term_counts(reference_counts, "reference_counts", reference_total)

    terms = target.index.union(reference.index, sort=False)
    a = target.reindex(terms, fill_value=0).to_numpy(dtype=np.int64)
    b = reference.reindex(terms, fill_value=0).to_numpy(dtype=np.int64)
    tested = (a + b) >= min_frequency
    terms, a, b = terms[tested], a[tested], b[tested]

    g2 = _signed_g2(a, b, target_total - a, reference_total - b)
    p_value = special.chdtrc(1, np.abs(g2))  # chi-squared survival function, one degree of freedom
    p_adjusted = _adjust_p_values(p_value, correction)
    a_adjusted = np.where(a == 0, LOG_RATIO_PSEUDO_COUNT, a)
    b_adjusted = np.where(b == 0, LOG_RATIO_PSEUDO_COUNT, b)
    log_ratio = np.log2((a_adjusted / target_total) / (b_adjusted / reference_total))

    table = pd.DataFrame(
        {
            "term": np.asarray(terms, dtype=object),
            "target_count": a,
            "reference_count": b,
            "target_per_1000": rate_per_1000(a, target_total),
            "reference_per_1000": rate_per_1000(b, reference_total),
            "g2": g2,
            "log_ratio": log_ratio,
            "p_value": p_value,
            "p_adjusted": p_adjusted,
            "significant": p_adjusted < alpha,
        },
        columns=list(KEYNESS_COLUMNS),
    )
    table = _sort_descending_then_by_label(table, "g2", "term")
    table.attrs.update(
        n_tested=int(tested.sum()),
        n_dropped=int((~tested).sum()),
        min_frequency=min_frequency,
        correction=correction,
        alpha=alpha,
    )
    return table


# ---------------------------------------------------------------------- collocations


def collocations(
    token_lists: Iterable[Sequence[str]],
    n: int = 2,
    min_count: int = 3,
    stopwords: frozenset[str] = frozenset(),
    measure: Literal["g2", "pmi", "count"] | None = None,
) -> pd.DataFrame:
    r"""Recurring n-grams (multi-word formulas), counted within sentences.

    n-grams never cross a sentence boundary: each element of ``token_lists`` is
    one sentence.  For bigrams :math:`(w_1, w_2)` the association of the two
    words is scored on the 2×2 table of all bigram positions :math:`N`:
    :math:`O_{11}` = the bigram, :math:`O_{12}` = :math:`w_1` followed by
    another word, :math:`O_{21}` = another word followed by :math:`w_2`,
    :math:`O_{22}` = the rest; expected counts from the margins.

    - ``g2`` = :math:`2 \sum O \ln(O/E)`, signed positive when the words
      attract (:math:`O_{11} > E_{11}`), the same statistic as :func:`keyness`;
    - ``pmi`` = :math:`\log_2(O_{11} / E_{11})`, pointwise mutual information,
      which favours rare pairs — read it with the count.

    Parameters
    ----------
    token_lists : iterable of sequences of str
        Tokenised sentences, e.g. ``map(fplang.corpus.tokens.tokenize, sentences)``.
    n : int, default 2
        n-gram length (at least 2).
    min_count : int, default 3
        Keep n-grams occurring at least this many times.
    stopwords : frozenset of str, default empty
        n-grams that begin or end with one of these tokens are dropped (after
        the association table is built from all bigrams); a stopword inside an
        n-gram is kept, so "peace and cooperation" survives a stopword "and".
        Compare in lower case, as tokens are.
    measure : {"g2", "pmi", "count"} or None, default None
        Sort key, descending (ties by count, then n-gram).  None means ``"g2"``
        for bigrams and ``"count"`` for longer n-grams; g2 and pmi exist only
        for bigrams.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLLOCATION_COLUMNS`: ``ngram`` (tokens joined by one
        space), ``count`` (occurrences), ``n_sentences`` (sentences containing
        it), ``g2`` and ``pmi`` (bigrams only; NaN for longer n-grams).

    Raises
    ------
    StatsInputError
        If a sentence is a plain string instead of a token list, or ``n``,
        ``min_count`` or ``measure`` is invalid.
    """
    if n < 2:
        raise StatsInputError(f"n must be at least 2 (an n-gram of two or more tokens), got {n!r}")
    if min_count < 1:
        raise StatsInputError(f"min_count must be at least 1, got {min_count!r}")
    measure = measure or ("g2" if n == 2 else "count")
    if measure not in ("g2", "pmi", "count"):
        raise StatsInputError(f"measure must be 'g2', 'pmi' or 'count', got {measure!r}")
    if n != 2 and measure != "count":
        raise StatsInputError(
            f"measure={measure!r} is defined for bigrams only; use measure='count' for n={n}"
        )

    ngram_counts: Counter[tuple[str, ...]] = Counter()
    sentence_counts: Counter[tuple[str, ...]] = Counter()
    for position, sentence in enumerate(token_lists):
        if isinstance(sentence, str):
            raise StatsInputError(
                f"token_lists item {position} is a string; pass lists of tokens (fplang.corpus.tokens.tokenize)"
            )
        grams = list(zip(*(sentence[offset:] for offset in range(n)), strict=False))
        ngram_counts.update(grams)
        sentence_counts.update(set(grams))

    kept = [
        gram
        for gram, count in ngram_counts.items()
        if count >= min_count and gram[0] not in stopwords and gram[-1] not in stopwords
    ]
    table = pd.DataFrame(
        {
            "ngram": [" ".join(gram) for gram in kept],
            "count": np.array([ngram_counts[gram] for gram in kept], dtype=np.int64),
            "n_sentences": np.array([sentence_counts[gram] for gram in kept], dtype=np.int64),
            "g2": np.nan,
            "pmi": np.nan,
        },
        columns=list(COLLOCATION_COLUMNS),
    )
    if n == 2 and kept:
        first_counts: Counter[str] = Counter()
        second_counts: Counter[str] = Counter()
        for (first, second), count in ngram_counts.items():
            first_counts[first] += count
            second_counts[second] += count
        total = sum(ngram_counts.values())
        o11 = table["count"].to_numpy(dtype=np.float64)
        row_total = np.array([first_counts[gram[0]] for gram in kept], dtype=np.float64)
        column_total = np.array([second_counts[gram[1]] for gram in kept], dtype=np.float64)
        o12, o21 = row_total - o11, column_total - o11
        table["g2"] = _signed_g2(o11, o12, o21, total - o11 - o12 - o21)
        table["pmi"] = np.log2(o11 * total / (row_total * column_total))
    return table.sort_values(
        [measure, "count", "ngram"] if measure != "count" else ["count", "ngram"],
        ascending=[False, False, True] if measure != "count" else [False, True],
        kind="mergesort",
        ignore_index=True,
    )


# --------------------------------------------------------------------------- helpers


def _signed_g2(o11, o12, o21, o22) -> np.ndarray:
    """Four-cell G² of 2×2 tables (vectorised), positive when o11·o22 > o12·o21."""
    observed = np.stack([np.asarray(cell, dtype=np.float64) for cell in (o11, o12, o21, o22)])
    row_1, row_2 = observed[0] + observed[1], observed[2] + observed[3]
    column_1, column_2 = observed[0] + observed[2], observed[1] + observed[3]
    total = row_1 + row_2
    expected = np.stack([row_1 * column_1, row_1 * column_2, row_2 * column_1, row_2 * column_2]) / total
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(observed > 0, observed * np.log(observed / expected), 0.0)
    g2 = 2.0 * terms.sum(axis=0)
    sign = np.sign(observed[0] * observed[3] - observed[1] * observed[2])
    return sign * np.maximum(g2, 0.0)


def _adjust_p_values(p_values: np.ndarray, correction: str) -> np.ndarray:
    if p_values.size == 0:
        return p_values.copy()
    if correction == "bonferroni":
        return np.minimum(p_values * p_values.size, 1.0)
    from scipy import stats as scipy_stats

    return scipy_stats.false_discovery_control(p_values, method="bh")


def _positive_int(value, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value <= 0:
        raise StatsInputError(f"{name} must be a positive integer number of tokens, got {value!r}")
    return int(value)


def _as_term_counts(counts: pd.Series, name: str, total: int) -> pd.Series:
    if not isinstance(counts, pd.Series):
        raise StatsInputError(f"{name} must be a pandas Series (index = term), got {type(counts).__name__}")
    if counts.index.has_duplicates:
        duplicated = counts.index[counts.index.duplicated()].unique().tolist()[:5]
        raise StatsInputError(f"{name} lists these terms more than once: {duplicated}")
    values = pd.to_numeric(counts, errors="coerce").astype(np.float64)
    problems = values.isna() | (values < 0) | (values % 1 != 0) | (values > total)
    if problems.any():
        term = _plain(counts.index[problems.to_numpy()][0])
        raise StatsInputError(
            f"{name}[{term!r}] = {_plain(counts[term])!r}: counts must be whole numbers from 0 to the "
            f"corpus total ({total})"
        )
    return values.astype(np.int64)


def _sort_descending_then_by_label(frame: pd.DataFrame, value: str, label: str) -> pd.DataFrame:
    return frame.sort_values([value, label], ascending=[False, True], kind="mergesort", ignore_index=True)
