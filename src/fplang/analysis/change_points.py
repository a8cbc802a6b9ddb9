"""Change points: the years where a yearly series (a concept's rate) starts a new level.

PELT (``ruptures``) with a modified-BIC penalty by default; see :func:`change_points`.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

# ruptures is imported where it is used: it is slow to import and most chapters need none of it.
from fplang.errors import MissingValueError, SeriesTooShortError, StatsInputError

__all__ = ["change_points", "landmark_permutation_test", "poisson_change_points"]

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


def _robust_noise_sd(values: np.ndarray) -> float:
    differences = np.diff(values)
    mad = np.median(np.abs(differences - np.median(differences)))
    sigma = mad / (0.6745 * math.sqrt(2))
    if sigma == 0:
        sigma = differences.std() / math.sqrt(2)
    return float(sigma)


def poisson_change_points(
    counts: pd.Series, tokens: pd.Series, min_size: int = 3, penalty: float | None = None
) -> list[int]:
    r"""Years where a concept's rate starts a new level, for sparse counts in speeches of unequal length.

    Each speech's count is modelled as Poisson with mean :math:`\lambda_s t_i`,
    where :math:`t_i` is the speech's tokens and :math:`\lambda_s` the rate of
    its segment.  A segment's cost is its negative maximised log-likelihood
    (:math:`\hat\lambda_s = \sum c_i / \sum t_i`; the :math:`\log c_i!` terms
    are the same for every segmentation and are dropped), and the segmentation
    minimising total cost plus ``penalty`` per change is found exactly by
    optimal partitioning (Jackson et al. 2005; a few dozen speeches make the
    quadratic search instant).  This replaces a Gaussian mean-shift model,
    which fits mostly-zero rates of speeches of different lengths badly.

    The default penalty is :math:`\ln n` per change on the log-likelihood
    scale, i.e. BIC with two parameters per change (its year and the new
    rate) on the :math:`-2 \log L` scale.

    Parameters
    ----------
    counts, tokens
        Index = year (integers, unique), one speech (or one pooled year) per
        year; counts whole numbers >= 0, tokens > 0.
    min_size
        Fewest years in a segment.

    Returns
    -------
    list of int
        The first year of each segment after the first, ascending.
    """
    if not counts.index.equals(tokens.index):
        raise StatsInputError("counts and tokens must have the same years")
    if counts.index.has_duplicates or not pd.api.types.is_integer_dtype(counts.index):
        raise StatsInputError("counts must be indexed by unique integer years")
    if min_size < 1:
        raise StatsInputError(f"min_size must be at least 1, got {min_size!r}")
    order = np.argsort(counts.index.to_numpy())
    years = counts.index.to_numpy()[order]
    c = pd.to_numeric(counts, errors="coerce").to_numpy(dtype=np.float64)[order]
    t = pd.to_numeric(tokens, errors="coerce").to_numpy(dtype=np.float64)[order]
    if np.isnan(c).any() or np.isnan(t).any():
        raise MissingValueError("counts or tokens have missing values; drop or fill them")
    if (c < 0).any() or (t <= 0).any():
        raise StatsInputError("counts must be >= 0 and tokens > 0")
    n = len(c)
    if n < 2 * min_size:
        raise SeriesTooShortError(
            f"series has {n} years; with min_size={min_size} a change needs at least {2 * min_size}"
        )
    beta = math.log(n) if penalty is None else penalty
    cum_c = np.concatenate([[0.0], np.cumsum(c)])
    cum_t = np.concatenate([[0.0], np.cumsum(t)])
    cum_clogt = np.concatenate([[0.0], np.cumsum(c * np.log(t))])

    def cost(start: int, end: int) -> float:
        """Negative log-likelihood of speeches start..end-1 under one rate (constants dropped)."""
        total_c, total_t = cum_c[end] - cum_c[start], cum_t[end] - cum_t[start]
        loglik = total_c * math.log(total_c / total_t) - total_c if total_c > 0 else 0.0
        return -(loglik + (cum_clogt[end] - cum_clogt[start]))

    best = np.full(n + 1, np.inf)
    best[0] = -beta
    last = np.zeros(n + 1, dtype=int)
    for end in range(min_size, n + 1):
        for start in range(0, end - min_size + 1):
            if start != 0 and start < min_size:
                continue
            if not np.isfinite(best[start]):
                continue
            value = best[start] + cost(start, end) + beta
            if value < best[end] - 1e-12:
                best[end], last[end] = value, start
    changes = []
    position = n
    while position > 0:
        position = last[position]
        if position > 0:
            changes.append(int(years[position]))
    return sorted(changes)


def landmark_permutation_test(
    change_years: list[int],
    candidate_years: list[int],
    landmarks: list[int],
    window: int = 2,
    n_permutations: int = 10_000,
    seed: int = 20260121,
    groups: list[str] | None = None,
) -> dict[str, float]:
    """How many change points lie near a landmark, against change points placed at random.

    The baseline chance gives a claim like "7 of 9 change points lie within two
    years of a landmark": each series' change years are redrawn (without
    replacement within a series, independently between series, as
    ``groups`` names them: one series when ``None``) from the years where a
    change could have been found, ``n_permutations`` times, and each draw is
    scored the same way.  With landmarks chosen after the fact the baseline
    is generous to the claim, so a small p-value says the hits are more than
    chance would give, not that the landmarks caused them.

    Returns
    -------
    dict
        ``observed`` (change years within ``window`` of a landmark),
        ``n_changes``, ``share_near`` (share of candidate years near a
        landmark), ``expected`` (``n_changes * share_near``), ``p_value``
        (share of draws with at least ``observed`` hits).
    """
    if not change_years:
        return {"observed": 0, "n_changes": 0, "share_near": float("nan"), "expected": 0.0, "p_value": 1.0}
    labels = groups if groups is not None else ["all"] * len(change_years)
    if len(labels) != len(change_years):
        raise StatsInputError("groups must name the series of every change year")
    candidates = np.array(sorted(set(candidate_years)))
    marks = np.array(landmarks)
    near = np.array([np.abs(marks - year).min() <= window for year in candidates])
    observed = sum(int(np.abs(marks - year).min() <= window) for year in change_years)
    sizes = pd.Series(labels).value_counts(sort=False)
    if int(sizes.max()) > len(candidates):
        raise StatsInputError("a series has more change points than candidate years")
    rng = np.random.default_rng(seed)
    hits = np.zeros(n_permutations, dtype=int)
    for size in sizes:
        picks = rng.random((n_permutations, len(candidates))).argsort(axis=1)[:, : int(size)]
        hits += near[picks].sum(axis=1)
    return {
        "observed": observed,
        "n_changes": len(change_years),
        "share_near": float(near.mean()),
        "expected": float(len(change_years) * near.mean()),
        "p_value": float((hits >= observed).mean()),
    }
