"""The bootstrap's replicate sampler draws exactly what the plain resampler draws, in distribution.

The references are worked out independently of the sampler: every one of the
``n ** n`` equally likely sequences of draws of a small group, enumerated
(the exact law of a replicate's totals), and a plain resampler that draws
every unit index.  Fixed seeds make each statistical test deterministic; its
threshold (p < 0.001) is what a sampler with another law fails.
"""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
import pytest
from scipy import sparse
from scipy import stats as scipy_stats

from fplang.analysis import resampling
from fplang.analysis.resampling import resampled_totals

# Six units, two concepts: two kinds of two units each (a count-free 5-token
# sentence; a 4-token sentence with one of concept 0) and two units of their own.
COUNTS = np.array([[0, 0], [0, 0], [1, 0], [1, 0], [2, 1], [0, 1]])
TOKENS = np.array([5, 5, 4, 4, 9, 3])


def _exact_law(counts: np.ndarray, tokens: np.ndarray) -> dict[tuple[float, ...], float]:
    """The probability of each (count of concept 0, count of concept 1, tokens) over all n**n draws."""
    n = len(tokens)
    outcomes: Counter[tuple[float, ...]] = Counter()
    for draw in itertools.product(range(n), repeat=n):
        picked = list(draw)
        outcomes[(*counts[picked].sum(axis=0).astype(float), float(tokens[picked].sum()))] += 1
    return {outcome: times / n**n for outcome, times in outcomes.items()}


def _chi_square_p(law: dict[tuple[float, ...], float], totals: np.ndarray, tokens: np.ndarray) -> float:
    """Goodness of fit of the drawn replicates to ``law``, outcomes expected fewer than 5 times pooled."""
    drawn = Counter(map(tuple, np.column_stack([totals, tokens]).tolist()))
    assert set(drawn) <= set(law), "a replicate the exact law gives probability 0"
    n_boot = len(tokens)
    outcomes = sorted(law, key=law.get, reverse=True)
    observed, expected = [], []
    for outcome in outcomes:
        if law[outcome] * n_boot >= 5:
            observed.append(drawn.get(outcome, 0))
            expected.append(law[outcome] * n_boot)
    observed.append(n_boot - sum(observed))
    expected.append(n_boot - sum(expected))
    return float(scipy_stats.chisquare(observed, expected).pvalue)


@pytest.mark.parametrize("min_kind_units", [1, 2, 100])
def test_replicates_follow_the_exact_law_of_resampling(monkeypatch, min_kind_units):
    # 1: every kind by the multinomial; 2: the two-unit kinds by it, the rest
    # from the pool; 100: every unit from the pool.
    monkeypatch.setattr(resampling, "MIN_KIND_UNITS", min_kind_units)
    law = _exact_law(COUNTS, TOKENS)
    assert sum(law.values()) == pytest.approx(1.0)
    totals, tokens = resampled_totals(sparse.csr_matrix(COUNTS), TOKENS, 20_000, np.random.default_rng(7))
    assert _chi_square_p(law, totals, tokens) > 0.001


def test_the_exact_law_rejects_a_sampler_that_ignores_how_many_draws_have_a_count():
    # The check has power: always draw 4 of the 6 from the 4 units with a count
    # (their expected share; in truth Binomial(6, 4/6) of them) and 2 from the
    # rest: the totals lose part of their spread, and the test says so.
    law = _exact_law(COUNTS, TOKENS)
    rng = np.random.default_rng(7)
    hit_rows = np.flatnonzero(COUNTS.any(axis=1))
    other_rows = np.flatnonzero(~COUNTS.any(axis=1))
    picks = np.hstack([rng.choice(hit_rows, (20_000, 4)), rng.choice(other_rows, (20_000, 2))])
    totals, tokens = COUNTS[picks].sum(axis=1).astype(float), TOKENS[picks].sum(axis=1).astype(float)
    assert _chi_square_p(law, totals, tokens) < 1e-6


def test_replicates_match_a_plain_resampler_on_a_larger_group():
    # 400 sentences, three concepts, lengths 3..40: the rate of each concept and
    # the token totals, 20,000 replicates each way, two-sample Kolmogorov-Smirnov.
    rng = np.random.default_rng(3)
    n = 400
    counts = np.where(rng.random((n, 3)) < [0.05, 0.2, 0.5], rng.integers(1, 4, (n, 3)), 0)
    tokens = rng.integers(3, 41, n)
    totals, drawn_tokens = resampled_totals(sparse.csr_matrix(counts), tokens, 20_000, np.random.default_rng(4))
    plain_totals, plain_tokens = np.empty((20_000, 3)), np.empty(20_000)
    for start in range(0, 20_000, 1000):
        picks = rng.integers(0, n, (1000, n))
        plain_totals[start : start + 1000] = counts[picks].sum(axis=1)
        plain_tokens[start : start + 1000] = tokens[picks].sum(axis=1)
    assert scipy_stats.ks_2samp(drawn_tokens, plain_tokens).pvalue > 0.001
    for concept in range(3):
        rate, plain_rate = totals[:, concept] / drawn_tokens, plain_totals[:, concept] / plain_tokens
        assert scipy_stats.ks_2samp(rate, plain_rate).pvalue > 0.001
        assert np.quantile(rate, [0.025, 0.975]) == pytest.approx(np.quantile(plain_rate, [0.025, 0.975]), rel=0.05)


def test_replicates_do_not_depend_on_the_order_of_the_units():
    rng = np.random.default_rng(5)
    counts = np.where(rng.random((300, 4)) < 0.2, rng.integers(1, 3, (300, 4)), 0)
    tokens = rng.integers(2, 12, 300)
    order = rng.permutation(300)
    first = resampled_totals(sparse.csr_matrix(counts), tokens, 500, np.random.default_rng(1))
    again = resampled_totals(sparse.csr_matrix(counts[order]), tokens[order], 500, np.random.default_rng(1))
    np.testing.assert_array_equal(first[0], again[0])
    np.testing.assert_array_equal(first[1], again[1])


def test_a_group_with_no_count_or_only_counts_draws_only_tokens_or_only_kinds():
    no_count = resampled_totals(sparse.csr_matrix((5, 2)), np.array([1, 2, 3, 4, 5]), 200, np.random.default_rng(0))
    assert not no_count[0].any()
    assert no_count[1].min() >= 5 and no_count[1].max() <= 25
    every_unit_counts = resampled_totals(sparse.csr_matrix(np.ones((4, 1))), np.full(4, 10), 50, np.random.default_rng(0))
    np.testing.assert_array_equal(every_unit_counts[0], np.full((50, 1), 4.0))
    np.testing.assert_array_equal(every_unit_counts[1], np.full(50, 40.0))
