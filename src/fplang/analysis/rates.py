"""Statistics behind the book's numbers: rates, keyness, intervals, change points.

Every function here is pure: pandas or numpy in, pandas or numpy out, no I/O,
and every random draw comes from a :class:`numpy.random.Generator` seeded from
an explicit ``seed`` argument, so a rerun gives identical numbers.

The unit of every rate is "per 1,000 tokens", with tokens as defined once in
:mod:`fplang.corpus.tokens`.

Public functions
----------------
rate_per_1000
    Occurrences per 1,000 tokens, vectorised; zero tokens give NaN.
keyness
    Signed log-likelihood (G²), log ratio and corrected p-values for the terms
    of a target corpus against a reference corpus.
bootstrap_rate_ci, bootstrap_rates
    Rates with percentile-bootstrap intervals from resampling sentences.
poisson_rate_ci
    Exact (Garwood) Poisson interval for a rate, for a text taken as a whole.
change_points
    Years where a yearly rate series starts a new level (PELT, via ruptures).
collocations
    Recurring n-grams within sentences, with G² and PMI for bigrams.
tfidf_similarity
    Cosine similarity of TF-IDF vectors between documents.
format_int, format_rate
    The book's number formats for prose (``1,234`` and ``1.2``).
"""

from __future__ import annotations

import math
import zlib
from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd
from scipy import sparse, special

# ruptures, scikit-learn and scipy.stats are imported where they are used: they
# are slow to import, most chapters need none of them, and every chapter starts
# in a fresh kernel that imports this module.

from fplang.corpus.tokens import tokenize

__all__ = [
    "BOOTSTRAP_COLUMNS",
    "COLLOCATION_COLUMNS",
    "KEYNESS_COLUMNS",
    "MissingValueError",
    "SeriesTooShortError",
    "StatsInputError",
    "bootstrap_rate_ci",
    "bootstrap_rates",
    "change_points",
    "collocations",
    "format_int",
    "format_rate",
    "keyness",
    "poisson_rate_ci",
    "rate_per_1000",
    "tfidf_similarity",
]

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

BOOTSTRAP_COLUMNS: tuple[str, ...] = (
    "concept",
    "count",
    "tokens",
    "rate_per_1000",
    "ci_low",
    "ci_high",
    "n_units",
    "ci_collapsed",
)
"""Columns of :func:`bootstrap_rates` after the group columns, in order."""

COLLOCATION_COLUMNS: tuple[str, ...] = ("ngram", "count", "n_sentences", "g2", "pmi")
"""Columns of the frame :func:`collocations` returns, in order."""

LOG_RATIO_PSEUDO_COUNT: float = 0.5
"""Count put in place of a zero when computing the log ratio (Hardie 2014)."""

_CHUNK_ELEMENTS: int = 1 << 22
"""Resample indices drawn per block in the bootstrap (bounds memory to ~32 MB)."""


class StatsInputError(ValueError):
    """An argument to a statistic cannot be used; the message names it and says why."""


class SeriesTooShortError(StatsInputError):
    """A series has too few points for the requested analysis."""


class MissingValueError(StatsInputError):
    """A value the statistic needs is missing (NaN); the message names where."""


# --------------------------------------------------------------------------- rates


def rate_per_1000(count, tokens):
    """Occurrences per 1,000 tokens: ``1000 * count / tokens``.

    Parameters
    ----------
    count, tokens : number, array-like or pandas.Series
        Occurrence counts and token totals, broadcast against each other (Series
        align on their index, as in any pandas arithmetic).

    Returns
    -------
    float, numpy.ndarray or pandas.Series
        The rate, a float for scalar input.  Where ``tokens`` is 0 the rate is
        NaN, not infinity: a text with no tokens has no rate, and NaN is skipped
        by means and charts where ``inf`` would poison them.

    Raises
    ------
    StatsInputError
        If a count or a token total is negative.

    Examples
    --------
    >>> rate_per_1000(3, 1500)
    2.0
    >>> rate_per_1000(np.array([1, 2]), np.array([500, 0]))
    array([ 2., nan])
    """
    _reject_negative(count, "count")
    _reject_negative(tokens, "tokens")
    rate = 1000.0 * count / _zero_to_nan(tokens)
    if np.ndim(rate) == 0 and not isinstance(rate, pd.Series | pd.DataFrame):
        return float(rate)
    return rate


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


# ------------------------------------------------------------------------ intervals


def bootstrap_rate_ci(
    units: pd.DataFrame,
    count_col: str,
    tokens_col: str,
    n_boot: int = 2000,
    ci: float = 0.95,
    seed: int = 0,
) -> tuple[float, float, float]:
    """A rate per 1,000 tokens with a percentile bootstrap interval.

    The rate is the ratio ``1000 * sum(count) / sum(tokens)`` over all units
    (sentences).  The interval resamples whole units with replacement
    ``n_boot`` times, recomputes the ratio each time and takes the central
    ``ci`` share of those ratios.  Resampling sentences rather than treating
    each token as independent keeps the clustering of words within sentences
    (a formula repeated in one sentence is one draw, not several), so the
    interval is honest about how uneven the text is.

    With only a handful of occurrences the interval is wide and lopsided; with
    zero occurrences every resample has rate 0 and the interval collapses to
    [0, 0] — that says nothing about how rare the term might be.  Use
    :func:`poisson_rate_ci` for an upper bound in that case.

    Parameters
    ----------
    units : pandas.DataFrame
        One row per unit (e.g. sentence).
    count_col, tokens_col : str
        Columns holding each unit's occurrence count and token count
        (non-negative numbers; total tokens must be positive).
    n_boot : int, default 2000
        Number of bootstrap resamples.
    ci : float, default 0.95
        Coverage of the interval, strictly between 0 and 1.
    seed : int, default 0
        Seed of the :class:`numpy.random.Generator`; equal seeds give equal
        intervals.

    Returns
    -------
    tuple of float
        ``(rate, low, high)`` per 1,000 tokens.

    Raises
    ------
    StatsInputError
        If a column is missing, a value is negative or missing, ``units`` is
        empty, the tokens sum to zero or a parameter is out of range.
    """
    _check_bootstrap_parameters(n_boot, ci)
    _require_columns(units, [count_col, tokens_col], "units")
    if units.empty:
        raise StatsInputError("units is empty: a bootstrap needs at least one unit")
    counts = _non_negative_column(units, count_col, "units")
    tokens = _non_negative_column(units, tokens_col, "units")
    if tokens.sum() == 0:
        raise StatsInputError(f"units column {tokens_col!r} sums to 0: no tokens, so no rate")
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    rate, low, high = _bootstrap_one_group(sparse.csr_matrix(counts[:, None]), tokens, n_boot, ci, rng)
    return float(rate[0]), float(low[0]), float(high[0])


def bootstrap_rates(
    sentences: pd.DataFrame,
    group_cols: Sequence[str],
    concept_col: str,
    count_col: str,
    tokens_col: str,
    n_boot: int = 2000,
    seed: int = 0,
    *,
    ci: float = 0.95,
    unit_col: str | None = None,
) -> pd.DataFrame:
    """Rates per 1,000 tokens with bootstrap intervals, per group and concept.

    The input is long: one row per sentence (unit) and concept, holding the
    sentence's count for that concept and its token total.  A sentence is one
    resampling unit for all concepts at once: within a group, each bootstrap
    replicate draws the group's sentences with replacement once and recomputes
    every concept's rate from that draw, the method of :func:`bootstrap_rate_ci`
    applied to all concepts at once.  A group's resample indices are drawn in
    large blocks with one call to the generator, turned into per-sentence
    weights with ``bincount`` and multiplied into the (sparse) sentence ×
    concept count matrix, so there is no Python loop over replicates or
    concepts.  The cost grows with ``n_boot`` × number of sentences: 300 groups
    of 200 sentences × 30 concepts take about 3 s on one core.

    Each group gets its own generator, seeded from ``seed`` and the group's key,
    so a group's interval does not change when other groups are added or
    removed, or when the rows are reordered.

    Parameters
    ----------
    sentences : pandas.DataFrame
        Long table of units × concepts.  A unit with no hits for any concept
        still belongs in the table (it adds tokens): give it one row with a
        missing (NaN/None) concept and count 0.  Rows repeating the same unit
        and concept are summed.
    group_cols : sequence of str
        Columns defining the groups (e.g. ``["period"]`` or ``["iso3", "year"]``);
        they must not be missing.
    concept_col, count_col, tokens_col : str
        Columns holding the concept label, the unit's count of that concept and
        the unit's token total (the same on every row of a unit).
    n_boot : int, default 2000
        Number of bootstrap replicates per group.
    seed : int, default 0
        Base seed; see above.
    ci : float, default 0.95
        Coverage of the percentile interval.
    unit_col : str or None, default None
        Column identifying the unit (sentence id) within a group.  None uses the
        frame's index labels, e.g. after ``frame.melt(..., ignore_index=False)``.

    Returns
    -------
    pandas.DataFrame
        One row for every group × concept (concepts seen anywhere in the table;
        a concept absent from a group gets count 0), sorted by group then
        concept, with the group columns followed by :data:`BOOTSTRAP_COLUMNS`:

        - ``concept``: concept label;
        - ``count``, ``tokens``: totals over the group's units;
        - ``rate_per_1000``: ``1000 * count / tokens``;
        - ``ci_low``, ``ci_high``: percentile bootstrap interval;
        - ``n_units``: number of distinct units in the group;
        - ``ci_collapsed``: True where the interval has zero width (always when
          ``count`` is 0): the bootstrap cannot express uncertainty there; see
          :func:`poisson_rate_ci` for an upper bound.

    Raises
    ------
    StatsInputError
        If a column is missing, a group key, count or token total is missing
        or negative, a unit's rows disagree on its token total, or a parameter
        is out of range.
    """
    group_cols = list(group_cols)
    _check_bootstrap_parameters(n_boot, ci)
    if not group_cols:
        raise StatsInputError("group_cols is empty: name at least one grouping column")
    needed = [*group_cols, concept_col, count_col, tokens_col]
    if unit_col is not None:
        needed.append(unit_col)
    _require_columns(sentences, needed, "sentences")
    for column in group_cols:
        if sentences[column].isna().any():
            row = _plain(sentences.index[sentences[column].isna().to_numpy()][0])
            raise MissingValueError(f"sentences row {row!r}: group column {column!r} is missing")
    counts = _non_negative_column(sentences, count_col, "sentences")
    tokens = _non_negative_column(sentences, tokens_col, "sentences")

    units = _unit_table(sentences, group_cols, unit_col, tokens, tokens_col)
    concept_labels = sentences[concept_col]
    concepts = sorted(concept_labels.dropna().unique().tolist())
    concept_codes = pd.Categorical(concept_labels, categories=concepts).codes
    is_hit = (concept_codes >= 0) & (counts > 0)
    count_matrix = sparse.csr_matrix(
        (counts[is_hit], (units.row_unit[is_hit], concept_codes[is_hit])),
        shape=(len(units.tokens), len(concepts)),
    )

    columns = [*group_cols, *BOOTSTRAP_COLUMNS]
    if not concepts:
        return pd.DataFrame(columns=columns)
    pieces: dict[str, list[np.ndarray]] = {name: [] for name in ("group", "count", "rate", "low", "high")}
    for group_number, (key, positions) in enumerate(units.groups):
        rng = np.random.default_rng(np.random.SeedSequence([seed, _stable_key_hash(key)]))
        group_counts = count_matrix[positions]
        rate, low, high = _bootstrap_one_group(group_counts, units.tokens[positions], n_boot, ci, rng)
        pieces["group"].append(np.full(len(concepts), group_number))
        pieces["count"].append(np.asarray(group_counts.sum(axis=0)).ravel())
        pieces["rate"].append(rate)
        pieces["low"].append(low)
        pieces["high"].append(high)
    group_of_row = np.concatenate(pieces["group"])
    group_tokens = np.array([units.tokens[positions].sum() for _, positions in units.groups])
    group_sizes = np.array([positions.stop - positions.start for _, positions in units.groups])
    result = units.group_keys.iloc[group_of_row].reset_index(drop=True)
    result["concept"] = np.tile(np.asarray(concepts, dtype=object), len(units.groups))
    result["count"] = np.rint(np.concatenate(pieces["count"])).astype(np.int64)
    result["tokens"] = np.rint(group_tokens[group_of_row]).astype(np.int64)
    result["rate_per_1000"] = np.concatenate(pieces["rate"])
    result["ci_low"] = np.concatenate(pieces["low"])
    result["ci_high"] = np.concatenate(pieces["high"])
    result["n_units"] = group_sizes[group_of_row]
    result["ci_collapsed"] = result["ci_high"] == result["ci_low"]
    return result[columns]


def poisson_rate_ci(count, tokens, ci: float = 0.95):
    r"""Exact (Garwood) Poisson interval for a rate per 1,000 tokens.

    Treats the ``count`` occurrences in a text of ``tokens`` tokens as one
    Poisson draw, the usual model when a document is taken as a whole rather
    than resampled by sentence.  With :math:`k` the count and
    :math:`\alpha = 1 - ci`, the bounds on the expected count are

    .. math:: \tfrac12 \chi^2_{2k}(\alpha/2) \quad\text{and}\quad
              \tfrac12 \chi^2_{2k+2}(1 - \alpha/2)

    (lower bound 0 when :math:`k = 0`), scaled by ``1000 / tokens``.  Unlike the
    bootstrap it gives a useful upper bound for a zero count: at 95 % that bound
    is :math:`-\ln 0.025 \approx 3.689` occurrences.

    Parameters
    ----------
    count, tokens : number, array-like or pandas.Series
        Non-negative integer counts and token totals (broadcast together).
    ci : float, default 0.95
        Coverage, strictly between 0 and 1.

    Returns
    -------
    tuple
        ``(low, high)`` per 1,000 tokens, each a float for scalar input, else an
        array or Series shaped like the broadcast input; NaN where ``tokens`` is 0.

    Examples
    --------
    >>> low, high = poisson_rate_ci(0, 1000)
    >>> low, round(high, 3)
    (0.0, 3.689)
    """
    if not 0 < ci < 1:
        raise StatsInputError(f"ci must lie strictly between 0 and 1, got {ci!r}")
    _reject_negative(count, "count")
    tail = (1.0 - ci) / 2.0
    count_array = np.asarray(count, dtype=np.float64)
    # chi-squared quantiles: chdtri(df, p) is the x whose upper tail is p, i.e. the (1 - p) quantile
    low_events = np.where(count_array > 0, special.chdtri(2 * count_array, 1 - tail) / 2, 0.0)
    high_events = special.chdtri(2 * count_array + 2, tail) / 2
    if isinstance(count, pd.Series):
        low_events = pd.Series(low_events, index=count.index)
        high_events = pd.Series(high_events, index=count.index)
    return rate_per_1000(low_events, tokens), rate_per_1000(high_events, tokens)


# --------------------------------------------------------------------- change points


def change_points(
    series: pd.Series,
    penalty: float | None = None,
    model: str = "l2",
    min_size: int = 3,
) -> list[int]:
    r"""Years where a yearly series (e.g. a rate) starts a new level.

    Uses PELT (``ruptures.Pelt``, Killick et al. 2012) rather than binary
    segmentation: PELT finds the segmentation that exactly minimises cost +
    ``penalty`` × number of changes, where binary segmentation is a greedy
    approximation that can miss changes close together; on a series of a few
    dozen years exactness costs nothing.  Every year is a candidate
    (``jump=1``).  The series is treated as equally spaced: a missing year is
    simply absent, not interpolated — reindex first if gaps matter.

    With ``penalty=None`` and ``model="l2"`` (cost = sum of squared deviations
    from each segment's mean) the penalty is :math:`3 \hat\sigma^2 \ln n` per
    change, the leading term of the modified BIC (Zhang & Siegmund 2007) that the
    R ``changepoint`` package uses by default for mean shifts in Gaussian noise.
    The plain BIC, :math:`2 \hat\sigma^2 \ln n`, finds a spurious change in
    about 1 in 5 pure-noise series of 20–40 years; this one in about 1 in 8 at
    20 years and 1 in 16 at 40 (simulated), while placing a step of two noise
    standard deviations at exactly the right year about half the time at 20
    years and 3 times in 5 at 40 (larger steps are found more reliably).  :math:`\hat\sigma` is estimated from
    year-to-year differences by the median absolute deviation,
    :math:`\hat\sigma = \text{MAD}(\Delta y) / (0.6745 \sqrt 2)`, which the
    level shifts themselves barely move; if that is 0 (most differences
    exactly 0) the standard deviation of the differences over :math:`\sqrt 2`
    is used instead.  A constant series has no change points.

    Parameters
    ----------
    series : pandas.Series
        Index = year (integers, unique; sorted here), values = the measure.
        No missing values.
    penalty : float or None, default None
        Cost of one extra change point, in the units of the cost function; higher
        means fewer changes.  Required for models other than ``"l2"``.
    model : str, default "l2"
        A ruptures cost model: ``"l2"`` (mean shifts), ``"l1"`` (median shifts,
        robust to outliers), ``"normal"`` (mean and variance), ``"rbf"``, ...
    min_size : int, default 3
        Fewest years in a segment; guards against one-year blips being called a
        new period.

    Returns
    -------
    list of int
        The first year of each segment after the first, ascending; empty when no
        change is found.

    Raises
    ------
    SeriesTooShortError
        If the series has fewer than ``2 * min_size`` years (no change possible).
    MissingValueError
        If a value is NaN (the message lists the years).
    StatsInputError
        If the index has duplicate or non-integer years, or a parameter is
        invalid.
    """
    if not isinstance(series, pd.Series):
        raise StatsInputError(f"series must be a pandas Series (index = year), got {type(series).__name__}")
    if min_size < 1:
        raise StatsInputError(f"min_size must be at least 1, got {min_size!r}")
    if penalty is None and model != "l2":
        raise StatsInputError(
            "penalty=None derives a default (modified BIC) penalty only for model='l2'; "
            f"pass penalty= for model={model!r}"
        )
    if penalty is not None and not (math.isfinite(penalty) and penalty >= 0):
        raise StatsInputError(f"penalty must be a finite number >= 0, got {penalty!r}")
    if series.index.has_duplicates:
        duplicated = sorted(set(series.index[series.index.duplicated()].tolist()))
        raise StatsInputError(f"series index has duplicate years: {duplicated}")
    if not pd.api.types.is_integer_dtype(series.index):
        raise StatsInputError(f"series index must hold integer years, got dtype {series.index.dtype}")
    series = series.sort_index()
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=np.float64)
    if np.isnan(values).any():
        missing = series.index[np.isnan(values)].tolist()
        raise MissingValueError(
            f"series has missing or non-numeric values in years {missing}; drop or fill them"
        )
    if len(values) < 2 * min_size:
        raise SeriesTooShortError(
            f"series has {len(values)} years; with min_size={min_size} a change needs at least {2 * min_size}"
        )
    if penalty is None:
        sigma = _robust_noise_sd(values)
        if sigma == 0:
            return []
        penalty = 3.0 * sigma**2 * math.log(len(values))
    import ruptures

    detector = ruptures.Pelt(model=model, min_size=min_size, jump=1).fit(values.reshape(-1, 1))
    breakpoints = detector.predict(pen=penalty)
    return [int(series.index[position]) for position in breakpoints[:-1]]


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


# ------------------------------------------------------------------------ similarity


def tfidf_similarity(
    texts: Mapping[Hashable, str] | pd.Series,
    *,
    sublinear_tf: bool = False,
    min_df: int | float = 1,
    max_df: int | float = 1.0,
) -> pd.DataFrame:
    """Cosine similarity between documents' TF-IDF vectors.

    Documents are tokenised with the book's own tokenizer
    (:func:`fplang.corpus.tokens.tokenize`: lower-cased, hyphens split words), so the
    vocabulary is the one every count in the book uses.  Weights are
    scikit-learn's defaults otherwise: smoothed idf
    ``ln((1 + n) / (1 + df)) + 1`` and L2-normalised rows, so the similarity of
    two documents is the dot product of their rows, from 0 (no shared term)
    to 1 (same term proportions).

    Parameters
    ----------
    texts : mapping or pandas.Series
        Document id → text.  Ids must be unique.
    sublinear_tf : bool, default False
        Use ``1 + ln(tf)`` instead of raw term frequency, damping long speeches
        that repeat their key words.
    min_df, max_df : int or float
        Ignore terms in fewer than ``min_df`` / more than ``max_df`` documents
        (an int is a number of documents, a float a proportion), as in
        :class:`sklearn.feature_extraction.text.TfidfVectorizer`.

    Returns
    -------
    pandas.DataFrame
        Square, symmetric matrix indexed and labelled by document id (in input
        order), values in [0, 1], diagonal 1 — NaN on the row and column of a
        document left with no terms after filtering.

    Raises
    ------
    StatsInputError
        If there are no documents, ids repeat, a text is not a string, or no
        document has any term.
    """
    ids, documents = _documents(texts)
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(
        tokenizer=tokenize,
        lowercase=False,
        token_pattern=None,
        sublinear_tf=sublinear_tf,
        min_df=min_df,
        max_df=max_df,
    )
    try:
        matrix = vectorizer.fit_transform(documents)
    except ValueError as error:
        raise StatsInputError(
            f"texts: no terms left to compare ({error}); check the texts and min_df/max_df"
        ) from error
    similarity = np.clip((matrix @ matrix.T).toarray(), 0.0, 1.0)
    has_terms = matrix.getnnz(axis=1) > 0
    np.fill_diagonal(similarity, 1.0)
    similarity[~has_terms, :] = np.nan
    similarity[:, ~has_terms] = np.nan
    index = pd.Index(ids, name="document")
    return pd.DataFrame(similarity, index=index, columns=index.rename(None))


# ------------------------------------------------------------------------ formatting


def format_int(n) -> str:
    """An integer with thousands separators, for prose: ``1234 -> '1,234'``.

    Accepts Python and numpy integers and integral floats; raises
    :class:`StatsInputError` for a fractional or missing value, which in glued
    prose is a bug to catch, not to print.
    """
    if isinstance(n, bool) or n is None or not isinstance(n, int | float | np.integer | np.floating):
        raise StatsInputError(f"format_int needs an integer, got {n!r}")
    if not (math.isfinite(n) and float(n).is_integer()):
        raise StatsInputError(f"format_int needs an integer, got {n!r}")
    return f"{int(n):,}"


def format_rate(x, digits: int = 1) -> str:
    """A rate for prose, to ``digits`` decimals with thousands separators: ``1.234 -> '1.2'``.

    Negative zero is printed as ``0.0``; NaN (a rate with no tokens) raises
    :class:`StatsInputError` rather than printing "nan" in a sentence.
    """
    if isinstance(x, bool) or x is None or not isinstance(x, int | float | np.integer | np.floating):
        raise StatsInputError(f"format_rate needs a number, got {x!r}")
    if not math.isfinite(x):
        raise StatsInputError(f"format_rate needs a finite number, got {x!r}")
    text = f"{float(x):,.{digits}f}"
    return text[1:] if text.startswith("-") and float(text.replace(",", "")) == 0 else text


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


def _bootstrap_one_group(
    counts: sparse.csr_matrix, tokens: np.ndarray, n_boot: int, ci: float, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ratio rate and percentile interval for each column of ``counts`` (units × concepts).

    Each replicate draws ``n_units`` unit indices with replacement; the draws
    are turned into per-unit weights (how often each unit was drawn) with
    ``bincount``, and the replicate's totals are weights @ counts and
    weights @ tokens.  Draws are made in blocks whose size depends only on the
    number of units, so results do not depend on memory or machine.
    """
    n_units, n_concepts = counts.shape
    total_tokens = tokens.sum()
    rate = rate_per_1000(
        np.asarray(counts.sum(axis=0), dtype=np.float64).ravel(), np.full(n_concepts, total_tokens)
    )
    if n_concepts == 0 or n_units == 0 or total_tokens == 0:
        nan = np.full(n_concepts, np.nan)
        return rate, nan, nan.copy()
    counts_by_concept = counts.T.tocsr()
    resampled_counts = np.empty((n_boot, n_concepts))
    resampled_tokens = np.empty(n_boot)
    block = max(1, min(n_boot, _CHUNK_ELEMENTS // n_units))
    for start in range(0, n_boot, block):
        size = min(block, n_boot - start)
        draws = rng.integers(0, n_units, size=(size, n_units))
        draws += (np.arange(size) * n_units)[:, None]
        weights = np.bincount(draws.ravel(), minlength=size * n_units).reshape(size, n_units)
        weights = weights.astype(np.float64)
        resampled_tokens[start : start + size] = weights @ tokens
        resampled_counts[start : start + size] = (counts_by_concept @ weights.T).T
    with np.errstate(divide="ignore", invalid="ignore"):
        rates = 1000.0 * resampled_counts / resampled_tokens[:, None]
    rates[resampled_tokens == 0] = np.nan
    tail = (1.0 - ci) / 2.0
    low, high = _quantiles_by_column(rates, [tail, 1.0 - tail])
    return rate, low, high


def _quantiles_by_column(values: np.ndarray, probabilities: Sequence[float]) -> np.ndarray:
    """``np.quantile(values, probabilities, axis=0)`` (linear method), via one sort.

    Sorting once and interpolating is several times faster than ``np.quantile``
    along axis 0 for the bootstrap's tall, narrow matrices.  Replicates with no
    tokens (NaN) are ignored, as ``np.nanquantile`` would.
    """
    if np.isnan(values).any():
        return np.nanquantile(values, probabilities, axis=0)
    ordered = np.sort(values, axis=0)
    positions = np.asarray(probabilities) * (len(ordered) - 1)
    below = np.floor(positions).astype(np.int64)
    above = np.minimum(below + 1, len(ordered) - 1)
    fraction = (positions - below)[:, None]
    return ordered[below] + fraction * (ordered[above] - ordered[below])


@dataclass(frozen=True)
class _Units:
    """Resampling units of a long table, sorted by group then unit id."""

    tokens: np.ndarray
    """Token total of each unit."""
    row_unit: np.ndarray
    """For each input row, the position of its unit in ``tokens``."""
    groups: list[tuple[tuple, slice]]
    """Each group's key and the slice of its units in ``tokens``."""
    group_keys: pd.DataFrame
    """The group columns, one row per group, in the order of ``groups``."""


def _unit_table(
    sentences: pd.DataFrame, group_cols: list[str], unit_col: str | None, tokens: np.ndarray, tokens_col: str
) -> _Units:
    unit_ids = sentences.index if unit_col is None else sentences[unit_col]
    if pd.isna(unit_ids).any():
        where = "index" if unit_col is None else f"column {unit_col!r}"
        raise MissingValueError(
            f"sentences {where} has missing unit ids; every row needs its unit (sentence) id"
        )
    keys = pd.DataFrame(
        {**{column: sentences[column].to_numpy() for column in group_cols}, "__unit__": unit_ids}
    )
    row_unit = keys.groupby([*group_cols, "__unit__"], sort=True, observed=True).ngroup().to_numpy()
    token_range = pd.Series(tokens).groupby(row_unit).agg(["min", "max"])
    inconsistent = np.flatnonzero(token_range["min"].to_numpy() != token_range["max"].to_numpy())
    first_rows = pd.Series(np.arange(len(row_unit))).groupby(row_unit).first().to_numpy()
    if inconsistent.size:
        row = _plain(sentences.index[first_rows[inconsistent[0]]])
        raise StatsInputError(
            f"sentences row {row!r}: its unit (same group and unit id) has different {tokens_col!r} "
            "values on different rows; a unit's token total must be the same on every row"
        )
    unit_groups = keys.iloc[first_rows][group_cols]
    group_codes = unit_groups.groupby(group_cols, sort=False, observed=True).ngroup().to_numpy()
    starts = np.flatnonzero(np.diff(group_codes, prepend=-1))
    ends = np.append(starts[1:], len(group_codes))
    groups = [
        (tuple(unit_groups.iloc[start].tolist()), slice(int(start), int(end)))
        for start, end in zip(starts, ends, strict=True)
    ]
    return _Units(
        tokens=token_range["min"].to_numpy(dtype=np.float64),
        row_unit=row_unit,
        groups=groups,
        group_keys=unit_groups.iloc[starts].reset_index(drop=True),
    )


def _stable_key_hash(key: tuple) -> int:
    """A hash of a group key that is the same in every Python process."""
    return zlib.crc32(repr(tuple(_plain(value) for value in key)).encode("utf-8"))


def _plain(value):
    """A numpy scalar as the Python scalar it holds (for messages and hashing)."""
    return value.item() if isinstance(value, np.generic) else value


def _robust_noise_sd(values: np.ndarray) -> float:
    differences = np.diff(values)
    mad = np.median(np.abs(differences - np.median(differences)))
    sigma = mad / (0.6745 * math.sqrt(2))
    if sigma == 0:
        sigma = differences.std() / math.sqrt(2)
    return float(sigma)


def _documents(texts) -> tuple[list, list[str]]:
    if isinstance(texts, pd.Series):
        ids, documents = texts.index.tolist(), texts.tolist()
    elif isinstance(texts, Mapping):
        ids, documents = list(texts.keys()), list(texts.values())
    else:
        raise StatsInputError(f"texts must be a mapping or Series of id -> text, got {type(texts).__name__}")
    if not ids:
        raise StatsInputError("texts is empty: give at least one document")
    duplicated = pd.Index(ids)[pd.Index(ids).duplicated()].unique().tolist()
    if duplicated:
        raise StatsInputError(f"texts has duplicate document ids: {duplicated}")
    for doc_id, text in zip(ids, documents, strict=True):
        if not isinstance(text, str):
            raise StatsInputError(f"texts[{doc_id!r}] is {type(text).__name__}, not a string")
    return ids, documents


def _zero_to_nan(tokens):
    if isinstance(tokens, pd.Series | pd.DataFrame):
        return tokens.astype(np.float64).where(tokens != 0)
    tokens_array = np.asarray(tokens, dtype=np.float64)
    if tokens_array.ndim == 0:
        return np.nan if tokens_array == 0 else float(tokens_array)
    return np.where(tokens_array == 0, np.nan, tokens_array)


def _reject_negative(values, name: str) -> None:
    array = np.asarray(values, dtype=np.float64)
    if (array < 0).any():
        raise StatsInputError(f"{name} must not be negative; found {array[array < 0].ravel()[0]!r}")


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


def _check_bootstrap_parameters(n_boot: int, ci: float) -> None:
    if isinstance(n_boot, bool) or not isinstance(n_boot, int | np.integer) or n_boot < 1:
        raise StatsInputError(f"n_boot must be a positive integer, got {n_boot!r}")
    if not 0 < ci < 1:
        raise StatsInputError(f"ci must lie strictly between 0 and 1, got {ci!r}")


def _require_columns(frame: pd.DataFrame, columns: Sequence[str], name: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise StatsInputError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise StatsInputError(f"{name} has no column(s) {missing}; it has {list(frame.columns)}")


def _non_negative_column(frame: pd.DataFrame, column: str, name: str) -> np.ndarray:
    values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=np.float64)
    bad = np.isnan(values) | (values < 0)
    if bad.any():
        row = _plain(frame.index[bad][0])
        value = _plain(frame[column].iloc[int(np.flatnonzero(bad)[0])])
        raise StatsInputError(
            f"{name} row {row!r}, column {column!r}: {value!r} is not a non-negative number"
        )
    return values


def _sort_descending_then_by_label(frame: pd.DataFrame, value: str, label: str) -> pd.DataFrame:
    return frame.sort_values([value, label], ascending=[False, True], kind="mergesort", ignore_index=True)
