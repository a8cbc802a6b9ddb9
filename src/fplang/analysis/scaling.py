"""Scaling texts on one dimension: Wordscores and Wordfish.

Two classic text-scaling models, written here in numpy so that the book needs
no R and every step can be read:

* **Wordscores** (Laver, Benoit & Garry 2003) is supervised.  Reference texts
  with known positions give each word a score, the mean of the reference
  positions weighted by how much more often the word appears in each
  reference text; a new ("virgin") text scores the mean of its words' scores.
  :func:`wordscores` follows quanteda.textmodels' ``textmodel_wordscores``
  (version 0.9.10) line for line, rescalings included, so its output can be
  checked against that package's published example (the book's tests do).
* **Wordfish** (Slapin & Proksch 2008) is unsupervised: a Poisson model
  ``y_ij ~ Poisson(exp(alpha_i + psi_j + beta_j * theta_i))`` in which each
  document's position ``theta_i`` and each word's weight ``beta_j`` are
  estimated together.  :func:`wordfish` ports the algorithm of
  quanteda.textmodels' ``wordfish.cpp`` (Poisson case): starting values from
  a correspondence analysis, alternating penalised Newton steps for the word
  and the document parameters, ``theta`` re-standardised every iteration.
  Each Newton step here updates all words (or all documents) at once instead
  of one after another; since a word's step depends only on the document
  parameters, the result is the same.

Why both: Wordfish gives the chapter its positions; Wordscores is the check
that the book's scaling code reproduces a published worked example, and a
second, supervised reading of the same dimension.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np
import pandas as pd

from fplang.errors import StatsInputError

__all__ = [
    "ScalingInputError",
    "WordfishFit",
    "WordscoresFit",
    "simulate_wordfish_counts",
    "wordfish",
    "wordscores",
    "wordscores_predict",
]

Z_95: float = 1.959963984540054
"""The standard normal's 97.5 % quantile: the multiplier of a 95 % interval."""


class ScalingInputError(StatsInputError):
    """A count matrix or a set of reference scores the models cannot use (the message says why)."""


# --------------------------------------------------------------------------- Wordscores


@dataclass(frozen=True)
class WordscoresFit:
    """Word scores learnt from reference texts.

    Attributes
    ----------
    word_scores
        Score of each feature seen in the reference texts (index = feature).
    reference_scores
        The known positions of the reference texts (index = document).
    reference_raw
        The reference texts' own raw scores (their words' mean score), used by
        the Martin–Vanberg rescaling.
    """

    word_scores: pd.Series
    reference_scores: pd.Series
    reference_raw: pd.Series


def wordscores(counts: pd.DataFrame, reference_scores: pd.Series, *, smooth: float = 0.0) -> WordscoresFit:
    """Word scores from the reference texts of ``counts`` (Laver, Benoit & Garry 2003).

    With :math:`F_{wr}` the relative frequency of word *w* in reference text
    *r* and :math:`A_r` the text's known position,

    .. math:: P(r \\mid w) = F_{wr} / \\sum_r F_{wr}, \\qquad S_w = \\sum_r P(r \\mid w) A_r .

    Parameters
    ----------
    counts
        Documents (rows) by features (columns), non-negative counts.
    reference_scores
        Known position of each reference text, indexed by document; documents
        of ``counts`` not in it (or NaN) are not used to learn the scores.
    smooth
        Added to every count of the reference texts before scoring (0 follows
        LBG 2003; quanteda's default too).

    Raises
    ------
    ScalingInputError
        Fewer than two reference texts, a reference text not in ``counts``, or
        a negative count.
    """
    matrix = _count_frame(counts)
    known = reference_scores.dropna()
    missing = [doc for doc in known.index if doc not in matrix.index]
    if missing:
        raise ScalingInputError(f"reference texts not in the count matrix: {', '.join(map(str, missing))}")
    if len(known) < 2:
        raise ScalingInputError(f"Wordscores needs at least two reference texts, got {len(known)}")
    reference = matrix.loc[known.index].to_numpy(dtype=np.float64) + smooth
    lengths = reference.sum(axis=1, keepdims=True)
    if (lengths == 0).any():
        raise ScalingInputError("a reference text has no tokens")
    relative = reference / lengths
    totals = relative.sum(axis=0)
    seen = totals > 0  # a word absent from every reference text has no score (quanteda drops it)
    probabilities = relative[:, seen] / totals[seen]
    scores = pd.Series(probabilities.T @ known.to_numpy(dtype=np.float64), index=matrix.columns[seen], name="score")
    fit = WordscoresFit(word_scores=scores, reference_scores=known.astype(float), reference_raw=pd.Series(dtype=float))
    raw = _raw_text_scores(fit, matrix.loc[known.index])[0]
    return WordscoresFit(
        word_scores=scores, reference_scores=known.astype(float), reference_raw=pd.Series(raw, index=known.index)
    )


def wordscores_predict(
    fit: WordscoresFit,
    counts: pd.DataFrame,
    *,
    rescaling: Literal["none", "lbg", "mv"] = "none",
    ci: float = 0.95,
) -> pd.DataFrame:
    """Score texts with the fitted word scores, with standard errors and intervals.

    Raw score: :math:`S_v = \\sum_w F_{wv} S_w`, where :math:`F_{wv}` is word
    *w*'s share of **all** the text's tokens among the scored words (the text
    is first reduced to the words that have a score).  Its standard error is
    :math:`\\sqrt{\\sum_w F_{wv} (S_w - S_v)^2} / \\sqrt{N_v}`, with
    :math:`N_v` the text's count of scored words (LBG 2003; quanteda).

    Rescalings, as in quanteda.textmodels:

    * ``"lbg"`` (LBG 2003): :math:`S^*_v = (S_v - \\bar S)(SD_r / SD_v) + \\bar S`,
      with the mean and SD taken over *the texts scored in this call* — so the
      result depends on which texts are scored together (Martin & Vanberg's
      criticism);
    * ``"mv"`` (Martin & Vanberg 2008): the raw scores of the lowest- and
      highest-placed reference texts are mapped back onto their known
      positions, a linear map fixed by the references alone.

    Returns
    -------
    pandas.DataFrame
        Indexed by document: ``score``, ``se``, ``low``, ``high`` (a normal
        interval of level ``ci``: for ``"mv"`` the ends are the rescaled ends
        of the raw interval and ``se`` is their half-width over z; for
        ``"lbg"`` the raw interval's ends rescaled, ``se`` the raw SE times the
        scale factor).
    """
    from scipy.special import ndtri

    z = float(ndtri(0.5 + ci / 2))
    matrix = _count_frame(counts)
    raw, se = _raw_text_scores(fit, matrix)
    if rescaling == "none":
        score, low, high, out_se = raw, raw - z * se, raw + z * se, se
    elif rescaling == "lbg":
        if len(raw) < 2:
            raise ScalingInputError("LBG rescaling needs at least two texts scored together")
        centre = raw.mean()
        factor = fit.reference_scores.std(ddof=1) / raw.std(ddof=1)
        score = (raw - centre) * factor + centre
        low, high = (raw - z * se - centre) * factor + centre, (raw + z * se - centre) * factor + centre
        out_se = se * factor
    elif rescaling == "mv":
        score = _mv(fit, raw)
        low, high = _mv(fit, raw - z * se), _mv(fit, raw + z * se)
        out_se = (high - score) / z
    else:
        raise ScalingInputError(f"rescaling must be 'none', 'lbg' or 'mv', got {rescaling!r}")
    return pd.DataFrame({"score": score, "se": out_se, "low": low, "high": high}, index=matrix.index)


def _raw_text_scores(fit: WordscoresFit, matrix: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    scored = matrix.reindex(columns=fit.word_scores.index, fill_value=0).to_numpy(dtype=np.float64)
    lengths = scored.sum(axis=1)
    if (lengths == 0).any():
        empty = matrix.index[lengths == 0]
        raise ScalingInputError(f"texts with no scored word: {', '.join(map(str, empty))}")
    shares = scored / lengths[:, None]
    word_scores = fit.word_scores.to_numpy()
    raw = shares @ word_scores
    spread = (shares * (raw[:, None] - word_scores[None, :]) ** 2).sum(axis=1)
    return raw, np.sqrt(spread) / np.sqrt(lengths)


def _mv(fit: WordscoresFit, raw: np.ndarray) -> np.ndarray:
    """Martin–Vanberg: map the extreme reference texts' raw scores onto their known positions."""
    low_doc, high_doc = fit.reference_scores.idxmin(), fit.reference_scores.idxmax()
    raw_low, raw_high = fit.reference_raw[low_doc], fit.reference_raw[high_doc]
    known_low, known_high = fit.reference_scores[low_doc], fit.reference_scores[high_doc]
    return (raw - raw_low) * (known_high - known_low) / (raw_high - raw_low) + known_low


# --------------------------------------------------------------------------- Wordfish


@dataclass(frozen=True)
class WordfishFit:
    """A fitted Wordfish model.

    Attributes
    ----------
    theta, se
        Document positions (mean 0, SD 1) and their standard errors: the
        square root of the (theta, theta) element of the inverse negative
        Hessian of the document's own (alpha, theta) — conditional on the word
        parameters, as in quanteda (no bootstrap).
    alpha
        Document effects (verbosity), mean 0.
    beta, psi
        Word weights (discrimination) and word effects (frequency).
    iterations
        Outer iterations run; ``converged`` whether the log-posterior stopped
        rising by more than the tolerance before ``max_iterations``.
    log_posterior
        The penalised log-likelihood at the estimates (without the log y! constant).
    """

    theta: np.ndarray
    se: np.ndarray
    alpha: np.ndarray
    beta: np.ndarray
    psi: np.ndarray
    iterations: int
    converged: bool
    log_posterior: float


def wordfish(
    counts: np.ndarray,
    *,
    direction: tuple[int, int] = (0, 1),
    priors: tuple[float, float, float, float] = (np.inf, np.inf, 3.0, 1.0),
    tol: tuple[float, float] = (1e-6, 1e-8),
    max_iterations: int = 100,
    relative_tol: bool = False,
    start_theta: np.ndarray | None = None,
) -> WordfishFit:
    """Fit Wordfish (Slapin & Proksch 2008) to a documents × features count matrix.

    Parameters
    ----------
    counts
        Non-negative counts, documents in rows; every document and every
        feature must have at least one count.
    direction
        Row indexes ``(low, high)`` (0-based) of two documents: the sign of
        the dimension is set so that ``theta[low] < theta[high]``.  (The scale
        has no sign of its own; this anchor pair gives it one.)
    priors
        Prior standard deviations of (alpha, psi, beta, theta); quanteda's
        defaults leave alpha and psi free, shrink beta with SD 3 (Slapin and
        Proksch's own regularisation) and theta with SD 1.
    tol
        (outer, inner): stop when the log-posterior rises by no more than
        ``tol[0]`` (relative to its size when ``relative_tol``), and end each
        Newton loop when no parameter moves more than ``tol[1]`` (at most ten
        Newton steps per loop, as in quanteda).
    start_theta
        Starting positions; by default the first correspondence-analysis
        dimension of the chi-square residuals (quanteda's start).  Used to
        check that the estimates do not depend on where the search starts.

    Raises
    ------
    ScalingInputError
        A negative count, an empty document or feature, a bad anchor pair.
    """
    y = np.asarray(counts, dtype=np.float64)
    _check_wordfish_input(y, direction)
    precision = 1.0 / np.square(np.asarray(priors, dtype=np.float64))
    p_alpha, p_psi, p_beta, p_theta = precision
    n_docs, n_features = y.shape
    row_sums, column_sums = y.sum(axis=1), y.sum(axis=0)

    theta = _ca_start(y, row_sums, column_sums) if start_theta is None else np.asarray(start_theta, float).copy()
    if theta.shape != (n_docs,):
        raise ScalingInputError(f"start_theta must have one value per document ({n_docs}), got shape {theta.shape}")
    theta = (theta - theta.mean()) / theta.std(ddof=1)
    beta = np.zeros(n_features)
    alpha = np.log(row_sums) - np.log(row_sums.mean())
    psi = np.log(column_sums / n_docs)

    def log_posterior() -> float:
        linear = alpha[:, None] + psi[None, :] + np.outer(theta, beta)
        penalty = 0.5 * (
            _weighted_square_sum(alpha, p_alpha)
            + _weighted_square_sum(psi, p_psi)
            + _weighted_square_sum(beta, p_beta)
            + _weighted_square_sum(theta, p_theta)
        )
        return float(np.sum(linear * y - np.exp(linear)) - penalty)

    def settled(gain: float, level: float) -> bool:
        # As in quanteda, a fall in the log-posterior also stops the search.
        return gain <= (tol[0] * abs(level) if relative_tol else tol[0])

    last, current = -np.inf, log_posterior()
    iteration = 0
    while iteration < max_iterations and not (iteration > 0 and settled(current - last, current)):
        iteration += 1
        psi, beta = _newton_rows(y.T, alpha, theta, psi, beta, p_psi, p_beta, tol[1], first=iteration == 1)
        alpha, theta = _newton_rows(y, psi, beta, alpha, theta, p_alpha, p_theta, tol[1], first=iteration == 1)
        alpha = alpha - alpha.mean()
        theta = (theta - theta.mean()) / theta.std(ddof=1)
        last, current = current, log_posterior()
    converged = settled(current - last, current)

    low, high = direction
    if theta[low] > theta[high]:
        theta, beta = -theta, -beta
    rates = np.exp(alpha[:, None] + psi[None, :] + np.outer(theta, beta))
    h00 = -rates.sum(axis=1) - p_alpha
    h01 = -(rates * beta[None, :]).sum(axis=1)
    h11 = -(rates * np.square(beta)[None, :]).sum(axis=1) - p_theta
    se = np.sqrt(-h00 / (h00 * h11 - h01 * h01))
    return WordfishFit(
        theta=theta,
        se=se,
        alpha=alpha,
        beta=beta,
        psi=psi,
        iterations=iteration,
        converged=bool(converged),
        log_posterior=current,
    )


def _newton_rows(
    y: np.ndarray,
    other_fixed: np.ndarray,
    other_slope: np.ndarray,
    intercept: np.ndarray,
    slope: np.ndarray,
    p_intercept: float,
    p_slope: float,
    inner_tol: float,
    *,
    first: bool,
) -> tuple[np.ndarray, np.ndarray]:
    """Penalised Newton–Raphson on (intercept_r, slope_r) for every row r of ``y`` at once.

    For the word step, rows are features: intercept = psi, slope = beta, and
    the fixed document parameters are alpha (``other_fixed``) and theta
    (``other_slope``).  For the document step the roles swap.  Each row keeps
    stepping until its own parameters move by at most ``inner_tol`` (or ten
    steps), exactly as the one-row-at-a-time loop of quanteda's C++; the
    first step of the first outer iteration is halved, as there.
    """
    intercept, slope = intercept.copy(), slope.copy()
    active = np.ones(y.shape[0], dtype=bool)
    for step in range(10):
        rows = np.flatnonzero(active)
        if rows.size == 0:
            break
        a, b = intercept[rows], slope[rows]
        rates = np.exp(a[:, None] + other_fixed[None, :] + b[:, None] * other_slope[None, :])
        residual = y[rows] - rates
        g0 = residual.sum(axis=1) - a * p_intercept
        g1 = residual @ other_slope - b * p_slope
        h00 = -rates.sum(axis=1) - p_intercept
        h01 = -(rates @ other_slope)
        h11 = -(rates @ np.square(other_slope)) - p_slope
        determinant = h00 * h11 - h01 * h01
        size = 0.5 if (first and step == 0) else 1.0
        new_a = a - size * (h11 * g0 - h01 * g1) / determinant
        new_b = b - size * (h00 * g1 - h01 * g0) / determinant
        change = np.maximum(np.abs(new_a - a), np.abs(new_b - b))
        intercept[rows], slope[rows] = new_a, new_b
        active[rows] = change > inner_tol
    return intercept, slope


def _ca_start(y: np.ndarray, row_sums: np.ndarray, column_sums: np.ndarray) -> np.ndarray:
    """First correspondence-analysis row coordinate of the chi-square residuals (quanteda's start)."""
    total = row_sums.sum()
    expected = np.outer(row_sums, column_sums) / total
    residuals = (y - expected) / np.sqrt(expected)
    u, _, _ = np.linalg.svd(residuals, full_matrices=False)
    return (row_sums / total) ** -0.5 * u[:, 0]


def _weighted_square_sum(values: np.ndarray, precision: float) -> float:
    return 0.0 if precision == 0 else float(precision * np.square(values).sum())


def _check_wordfish_input(y: np.ndarray, direction: tuple[int, int]) -> None:
    if y.ndim != 2 or min(y.shape) < 2:
        raise ScalingInputError(f"Wordfish needs a documents x features matrix of at least 2 x 2, got shape {y.shape}")
    if not np.isfinite(y).all() or (y < 0).any():
        raise ScalingInputError("counts must be finite and non-negative")
    empty_docs = np.flatnonzero(y.sum(axis=1) == 0)
    if empty_docs.size:
        raise ScalingInputError(f"documents with no counts (rows {empty_docs[:10].tolist()}); drop them first")
    empty_features = np.flatnonzero(y.sum(axis=0) == 0)
    if empty_features.size:
        raise ScalingInputError(f"features with no counts (columns {empty_features[:10].tolist()}); drop them first")
    low, high = direction
    if low == high or not (0 <= low < y.shape[0] and 0 <= high < y.shape[0]):
        raise ScalingInputError(
            f"direction must name two different rows of the {y.shape[0]} documents, got {direction}"
        )


def simulate_wordfish_counts(
    n_docs: int, n_features: int, *, seed: int, mean_length: float = 5000.0
) -> dict[str, np.ndarray]:
    """A corpus drawn from the Wordfish model itself, with its true parameters.

    Positions ``theta ~ N(0, 1)`` (standardised), word weights
    ``beta ~ N(0, 0.5)``, word effects ``psi`` from a Zipf-like decay so a
    few words are common and most rare, document effects ``alpha`` giving
    documents of about ``mean_length`` tokens; counts are Poisson draws.
    The test that Wordfish recovers ``theta`` from such counts is the
    model's basic check: if it fails, nothing it says about real speeches
    can be trusted.
    """
    rng = np.random.default_rng(seed)
    theta = rng.normal(size=n_docs)
    theta = (theta - theta.mean()) / theta.std(ddof=1)
    beta = rng.normal(scale=0.5, size=n_features)
    psi = -np.log(np.arange(1, n_features + 1))
    psi = psi - np.log(np.exp(psi).sum())
    alpha = np.log(mean_length) + rng.normal(scale=0.3, size=n_docs)
    rates = np.exp(alpha[:, None] + psi[None, :] + np.outer(theta, beta))
    return {"counts": rng.poisson(rates), "theta": theta, "beta": beta, "psi": psi, "alpha": alpha}


def _count_frame(counts: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(counts, pd.DataFrame):
        raise ScalingInputError("counts must be a DataFrame of documents (rows) by features (columns)")
    values = counts.to_numpy(dtype=np.float64)
    if not np.isfinite(values).all() or (values < 0).any():
        raise ScalingInputError("counts must be finite and non-negative")
    return counts
