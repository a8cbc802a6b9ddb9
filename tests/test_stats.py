"""Tests for fplang.analysis.rates.

Expected values come from hand computation (written out with ``math``), from
published examples (UCREL's log-likelihood page, Garwood's Poisson table) or
from scipy / numpy reference implementations — never from the code's own output.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats as scipy_stats
from scipy.stats.contingency import expected_freq

from fplang.analysis.change_points import change_points
from fplang.analysis.keyness import KEYNESS_COLUMNS, collocations, keyness
from fplang.analysis.rates import BOOTSTRAP_COLUMNS, bootstrap_rate_ci, bootstrap_rates, poisson_rate_ci, rate_per_1000
from fplang.analysis.similarity import tfidf_similarity
from fplang.book.numbers import format_int, format_rate
from fplang.errors import MissingValueError, SeriesTooShortError, StatsInputError

# ------------------------------------------------------------------ rate_per_1000


def test_rate_per_1000_of_scalars_is_a_float():
    assert rate_per_1000(3, 1500) == 2.0
    assert isinstance(rate_per_1000(3, 1500), float)


def test_rate_per_1000_with_zero_tokens_is_nan_not_inf():
    assert math.isnan(rate_per_1000(0, 0))
    rates = rate_per_1000(np.array([1, 2, 0]), np.array([500, 0, 0]))
    np.testing.assert_array_equal(rates, [2.0, np.nan, np.nan])
    assert not np.isinf(rates).any()


def test_rate_per_1000_aligns_series_on_index():
    counts = pd.Series({"a": 1, "b": 4})
    tokens = pd.Series({"b": 2000, "a": 0})
    rates = rate_per_1000(counts, tokens)
    assert rates["b"] == 2.0
    assert math.isnan(rates["a"])


def test_rate_per_1000_rejects_negative_tokens():
    with pytest.raises(StatsInputError, match="tokens"):
        rate_per_1000(1, -10)


# ------------------------------------------------------------------------ keyness


def _four_cell_g2(a: int, b: int, target_total: int, reference_total: int) -> float:
    """G² by hand: 2 Σ O ln(O/E) over the term row and the all-other-words row."""
    c, d = target_total - a, reference_total - b
    total = target_total + reference_total
    observed_expected = [
        (a, target_total * (a + b) / total),
        (b, reference_total * (a + b) / total),
        (c, target_total * (c + d) / total),
        (d, reference_total * (c + d) / total),
    ]
    return 2 * sum(o * math.log(o / e) for o, e in observed_expected if o > 0)


def test_g2_matches_ucrel_example():
    # UCREL log-likelihood calculator example: 52 in 50,000 tokens vs 57 in 75,000.
    table = keyness(pd.Series({"word": 52}), pd.Series({"word": 57}), 50_000, 75_000)
    g2 = table.loc[0, "g2"]
    # UCREL's two-cell value, by hand: E1 = 43.6, E2 = 65.4.
    two_cell = 2 * (52 * math.log(52 / 43.6) + 57 * math.log(57 / 65.4))
    assert round(two_cell, 2) == 2.65
    assert round(g2, 2) == 2.65
    assert g2 == pytest.approx(_four_cell_g2(52, 57, 50_000, 75_000), rel=1e-12)
    # The other-words row adds a small positive amount (second order in O - E).
    assert 0 < g2 - two_cell < 0.01


def test_g2_agrees_with_scipy_log_likelihood_on_random_tables():
    rng = np.random.default_rng(20240501)
    for _ in range(25):
        target_total, reference_total = (int(x) for x in rng.integers(1_000, 200_000, size=2))
        a = int(rng.integers(0, 300))
        b = int(rng.integers(0 if a else 1, 300))
        table = np.array([[a, b], [target_total - a, reference_total - b]])
        result = keyness(
            pd.Series({"t": a}), pd.Series({"t": b}), target_total, reference_total, min_frequency=1
        )
        statistic, p_value, _, _ = scipy_stats.chi2_contingency(
            table, correction=False, lambda_="log-likelihood"
        )
        divergence = scipy_stats.power_divergence(
            table.ravel(), expected_freq(table).ravel(), ddof=2, lambda_="log-likelihood"
        )
        assert abs(result.loc[0, "g2"]) == pytest.approx(statistic, rel=1e-9, abs=1e-9)
        assert abs(result.loc[0, "g2"]) == pytest.approx(divergence.statistic, rel=1e-9, abs=1e-9)
        assert result.loc[0, "p_value"] == pytest.approx(p_value, rel=1e-9, abs=1e-12)


def test_g2_is_positive_when_overused_in_target_and_negative_when_underused():
    target = pd.Series({"peace": 100, "war": 10})
    reference = pd.Series({"peace": 50, "war": 40})
    table = keyness(target, reference, 10_000, 10_000).set_index("term")
    assert table.loc["peace", "g2"] > 0
    assert table.loc["war", "g2"] < 0
    assert table.loc["peace", "log_ratio"] == pytest.approx(math.log2(2))
    assert table.loc["war", "log_ratio"] == pytest.approx(math.log2(0.25))


def test_keyness_rates_are_per_1000_tokens_of_each_corpus():
    table = keyness(pd.Series({"w": 52}), pd.Series({"w": 57}), 50_000, 75_000)
    assert table.loc[0, "target_per_1000"] == pytest.approx(1.04)
    assert table.loc[0, "reference_per_1000"] == pytest.approx(0.76)
    assert table.loc[0, "log_ratio"] == pytest.approx(math.log2(1.04 / 0.76))


def test_log_ratio_replaces_a_zero_count_by_half():
    table = keyness(pd.Series({"doi moi": 10}), pd.Series({"doi moi": 0}), 1_000, 2_000).set_index("term")
    assert table.loc["doi moi", "log_ratio"] == pytest.approx(math.log2((10 / 1000) / (0.5 / 2000)))
    assert table.loc["doi moi", "reference_count"] == 0


def test_term_missing_from_one_series_counts_zero_there():
    table = keyness(pd.Series({"a": 20}), pd.Series({"b": 30}), 1_000, 1_000).set_index("term")
    assert table.loc["a", "reference_count"] == 0
    assert table.loc["b", "target_count"] == 0
    assert table.loc["b", "g2"] < 0


def test_terms_below_min_frequency_are_dropped_and_counted():
    target = pd.Series({"common": 40, "rare": 2, "rarer": 1})
    reference = pd.Series({"common": 35, "rare": 2})
    table = keyness(target, reference, 10_000, 12_000, min_frequency=5)
    assert table["term"].tolist() == ["common"]
    assert table.attrs["n_dropped"] == 2
    assert table.attrs["n_tested"] == 1
    assert list(table.columns) == list(KEYNESS_COLUMNS)


def test_keyness_is_sorted_by_signed_g2_descending():
    target = pd.Series({"x": 10, "y": 60, "z": 30})
    reference = pd.Series({"x": 40, "y": 20, "z": 30})
    table = keyness(target, reference, 5_000, 5_000)
    assert table["term"].tolist() == ["y", "z", "x"]


def _hand_benjamini_hochberg(p_values: np.ndarray) -> np.ndarray:
    m = len(p_values)
    order = np.argsort(p_values)
    scaled = p_values[order] * m / np.arange(1, m + 1)
    adjusted_sorted = np.minimum(np.minimum.accumulate(scaled[::-1])[::-1], 1.0)
    adjusted = np.empty(m)
    adjusted[order] = adjusted_sorted
    return adjusted


def _many_terms() -> tuple[pd.Series, pd.Series]:
    rng = np.random.default_rng(7)
    terms = [f"term{i}" for i in range(40)]
    target = pd.Series(rng.integers(5, 200, size=40), index=terms)
    reference = pd.Series(rng.integers(5, 200, size=40), index=terms)
    return target, reference


def test_bh_adjusted_p_values_match_scipy_false_discovery_control():
    target, reference = _many_terms()
    table = keyness(target, reference, 100_000, 120_000)
    p_values = table["p_value"].to_numpy()
    np.testing.assert_allclose(table["p_adjusted"], scipy_stats.false_discovery_control(p_values), rtol=1e-12)
    np.testing.assert_allclose(table["p_adjusted"], _hand_benjamini_hochberg(p_values), rtol=1e-12)


def test_bonferroni_multiplies_by_number_tested_and_caps_at_one():
    target, reference = _many_terms()
    table = keyness(target, reference, 100_000, 120_000, correction="bonferroni")
    expected = np.minimum(table["p_value"].to_numpy() * 40, 1.0)
    np.testing.assert_allclose(table["p_adjusted"], expected, rtol=1e-12)
    assert table.attrs["correction"] == "bonferroni"


def test_significant_marks_adjusted_p_below_alpha():
    target, reference = _many_terms()
    table = keyness(target, reference, 100_000, 120_000, alpha=0.01)
    assert (table["significant"] == (table["p_adjusted"] < 0.01)).all()
    assert table["significant"].any() and not table["significant"].all()


def test_keyness_with_no_term_above_min_frequency_is_empty_with_columns():
    table = keyness(pd.Series({"a": 1}), pd.Series({"a": 1}), 100, 100)
    assert table.empty
    assert list(table.columns) == list(KEYNESS_COLUMNS)
    assert table.attrs["n_dropped"] == 1


@pytest.mark.parametrize(
    ("target", "target_total", "message"),
    [
        (pd.Series({"a": -1}), 100, "target_counts\\['a'\\]"),
        (pd.Series({"a": 1.5}), 100, "whole numbers"),
        (pd.Series({"a": 101}), 100, "corpus total"),
        (pd.Series([1, 2], index=["a", "a"]), 100, "more than once"),
        (pd.Series({"a": 1}), 0, "target_total"),
    ],
)
def test_keyness_rejects_unusable_counts_naming_the_problem(target, target_total, message):
    with pytest.raises(StatsInputError, match=message):
        keyness(target, pd.Series({"a": 1}), target_total, 100)


def test_keyness_rejects_unknown_correction():
    with pytest.raises(StatsInputError, match="correction"):
        keyness(pd.Series({"a": 10}), pd.Series({"a": 10}), 100, 100, correction="holm")


# ---------------------------------------------------------------------- bootstrap


def _sentence_units(seed: int, n_units: int = 300, mean_count: float = 0.4) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    return pd.DataFrame({"hits": rng.poisson(mean_count, n_units), "tokens": rng.integers(5, 60, n_units)})


def test_bootstrap_rate_is_ratio_of_sums():
    units = pd.DataFrame({"hits": [1, 0, 3], "tokens": [100, 300, 600]})
    rate, low, high = bootstrap_rate_ci(units, "hits", "tokens", n_boot=200)
    assert rate == pytest.approx(4.0)  # 1000 * 4 / 1000
    assert low <= rate <= high


def test_bootstrap_rate_ci_matches_a_plain_resampling_loop():
    # Reference: 20,000 replicates of the plain resampler (draw every unit index,
    # sum the drawn units' counts and tokens).  The sampler draws the same
    # replicates in distribution from another random stream, so each end of its
    # interval must sit at the 2.5 % or 97.5 % point of the plain replicates'
    # distribution, within Monte Carlo error: two quantile estimates from 20,000
    # draws each differ in level by at most 4 standard errors, 4 * sqrt(2 p (1 - p) / N).
    units = _sentence_units(seed=3, n_units=120)
    n_boot = 20_000
    rng = np.random.default_rng(11)
    hits, tokens = units["hits"].to_numpy(), units["tokens"].to_numpy()
    plain = np.empty(n_boot)
    for start in range(0, n_boot, 1000):
        indices = rng.integers(0, len(units), size=(1000, len(units)))
        plain[start : start + 1000] = 1000 * hits[indices].sum(axis=1) / tokens[indices].sum(axis=1)

    _, low, high = bootstrap_rate_ci(units, "hits", "tokens", n_boot=n_boot, seed=11)
    tolerance = 4 * math.sqrt(2 * 0.025 * 0.975 / n_boot)
    assert np.mean(plain <= low) == pytest.approx(0.025, abs=tolerance)
    assert np.mean(plain <= high) == pytest.approx(0.975, abs=tolerance)


def test_bootstrap_interval_width_is_close_to_normal_approximation():
    # Equal-length sentences: the rate is 1000/20 × the mean count, whose
    # standard error is sd/√n, so the 95 % interval is about ±1.96 SE.
    rng = np.random.default_rng(5)
    n_units = 400
    units = pd.DataFrame({"hits": rng.poisson(2.0, n_units), "tokens": np.full(n_units, 20)})
    standard_error = 1000 / 20 * units["hits"].std(ddof=0) / math.sqrt(n_units)
    rate, low, high = bootstrap_rate_ci(units, "hits", "tokens", n_boot=2000, seed=1)
    assert (high - low) == pytest.approx(2 * 1.959964 * standard_error, rel=0.1)
    assert (rate - low) == pytest.approx(high - rate, rel=0.25)


def test_bootstrap_is_reproducible_with_the_same_seed_only():
    units = _sentence_units(seed=8)
    first = bootstrap_rate_ci(units, "hits", "tokens", n_boot=300, seed=42)
    again = bootstrap_rate_ci(units, "hits", "tokens", n_boot=300, seed=42)
    other = bootstrap_rate_ci(units, "hits", "tokens", n_boot=300, seed=43)
    assert first == again
    assert first[1:] != other[1:]


def test_bootstrap_interval_collapses_to_zero_for_zero_count():
    units = pd.DataFrame({"hits": [0, 0, 0, 0], "tokens": [10, 20, 30, 40]})
    assert bootstrap_rate_ci(units, "hits", "tokens", n_boot=100) == (0.0, 0.0, 0.0)


def test_bootstrap_rate_ci_names_a_missing_column_and_a_bad_row():
    units = pd.DataFrame({"hits": [1, -2], "tokens": [10, 20]})
    with pytest.raises(StatsInputError, match="missing column"):
        bootstrap_rate_ci(units, "count", "tokens")
    with pytest.raises(StatsInputError, match="row 1, column 'hits'"):
        bootstrap_rate_ci(units, "hits", "tokens")


def _long_sentences() -> pd.DataFrame:
    """Two periods; period A has 3 sentences, B has 2; concepts peace and war.

    Sentence a3 has no hits at all and appears once with a missing concept;
    "war" never occurs in period B.
    """
    rows = [
        ("A", "a1", "peace", 2, 10),
        ("A", "a1", "war", 1, 10),
        ("A", "a2", "peace", 1, 20),
        ("A", "a3", None, 0, 70),
        ("B", "b1", "peace", 0, 40),
        ("B", "b2", "peace", 4, 60),
    ]
    return pd.DataFrame(rows, columns=["period", "sentence", "concept", "n", "tokens"])


def test_bootstrap_rates_totals_are_counted_by_hand():
    result = bootstrap_rates(
        _long_sentences(), ["period"], "concept", "n", "tokens", n_boot=200, unit_col="sentence"
    )
    assert list(result.columns) == ["period", *BOOTSTRAP_COLUMNS]
    table = result.set_index(["period", "concept"])
    assert table.loc[("A", "peace"), ["count", "tokens", "n_units"]].tolist() == [3, 100, 3]
    assert table.loc[("A", "war"), ["count", "tokens"]].tolist() == [1, 100]
    assert table.loc[("A", "peace"), "rate_per_1000"] == pytest.approx(30.0)
    assert table.loc[("B", "peace"), ["count", "tokens", "n_units"]].tolist() == [4, 100, 2]
    assert table.loc[("B", "peace"), "rate_per_1000"] == pytest.approx(40.0)


def test_bootstrap_rates_gives_absent_concept_a_collapsed_zero_interval():
    result = bootstrap_rates(
        _long_sentences(), ["period"], "concept", "n", "tokens", n_boot=200, unit_col="sentence"
    ).set_index(["period", "concept"])
    war_in_b = result.loc[("B", "war")]
    assert war_in_b["count"] == 0
    assert (war_in_b["ci_low"], war_in_b["ci_high"]) == (0.0, 0.0)
    assert bool(war_in_b["ci_collapsed"])
    assert not bool(result.loc[("A", "peace"), "ci_collapsed"])


def test_bootstrap_rates_intervals_bracket_the_rate():
    result = bootstrap_rates(
        _long_sentences(), ["period"], "concept", "n", "tokens", n_boot=500, unit_col="sentence"
    )
    assert (result["ci_low"] <= result["rate_per_1000"]).all()
    assert (result["rate_per_1000"] <= result["ci_high"]).all()


def _many_groups(seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    units = pd.DataFrame(
        {
            "year": np.repeat(np.arange(1990, 2000), 50),
            "sentence": np.tile(np.arange(50), 10),
            "tokens": rng.integers(5, 50, 500),
        }
    )
    long = units.loc[units.index.repeat(3)].reset_index(drop=True)
    long["concept"] = np.tile(["c1", "c2", "c3"], 500)
    long["n"] = rng.poisson(0.3, len(long))
    return long


def test_bootstrap_rates_do_not_depend_on_row_order_or_other_groups():
    long = _many_groups()
    arguments = dict(group_cols=["year"], concept_col="concept", count_col="n", tokens_col="tokens")
    result = bootstrap_rates(long, **arguments, n_boot=300, seed=5, unit_col="sentence")
    shuffled = long.sample(frac=1.0, random_state=1)
    from_shuffled = bootstrap_rates(shuffled, **arguments, n_boot=300, seed=5, unit_col="sentence")
    pd.testing.assert_frame_equal(result, from_shuffled)
    one_year = bootstrap_rates(
        long[long["year"] == 1995], **arguments, n_boot=300, seed=5, unit_col="sentence"
    )
    pd.testing.assert_frame_equal(one_year, result[result["year"] == 1995].reset_index(drop=True))


def test_bootstrap_rates_reads_units_from_the_index_when_unit_col_is_none():
    long = _many_groups()
    arguments = dict(
        group_cols=["year"], concept_col="concept", count_col="n", tokens_col="tokens", n_boot=200
    )
    with_column = bootstrap_rates(long, **arguments, unit_col="sentence")
    from_index = bootstrap_rates(long.set_index("sentence"), **arguments)
    pd.testing.assert_frame_equal(with_column, from_index)


def test_bootstrap_rates_rejects_a_unit_with_two_token_totals():
    long = _long_sentences()
    long.loc[1, "tokens"] = 11  # a1's second row disagrees with its first
    with pytest.raises(StatsInputError, match="different 'tokens'"):
        bootstrap_rates(long, ["period"], "concept", "n", "tokens", n_boot=10, unit_col="sentence")


def test_bootstrap_rates_rejects_a_missing_group_key():
    long = _long_sentences()
    long.loc[4, "period"] = None
    with pytest.raises(MissingValueError, match="row 4: group column 'period'"):
        bootstrap_rates(long, ["period"], "concept", "n", "tokens", n_boot=10, unit_col="sentence")


# ------------------------------------------------------------------------ poisson


def test_poisson_interval_for_zero_count_has_upper_bound_minus_log_0025():
    low, high = poisson_rate_ci(0, 1000)
    assert low == 0.0
    assert high == pytest.approx(-math.log(0.025), rel=1e-9)  # 3.6889


def test_poisson_interval_matches_garwood_table():
    # Garwood (1936) exact 95 % limits: k=1 → (0.0253, 5.5716); k=10 → (4.7954, 18.3904).
    low, high = poisson_rate_ci(np.array([1, 10]), np.array([1000, 1000]))
    assert low[0] == pytest.approx(-math.log(0.975), rel=1e-9)
    np.testing.assert_allclose(low, [0.0253, 4.7954], atol=1e-4)
    np.testing.assert_allclose(high, [5.5716, 18.3904], atol=1e-4)


def test_poisson_interval_scales_with_tokens_and_keeps_series_index():
    counts = pd.Series({"peace": 0, "war": 0})
    low, high = poisson_rate_ci(counts, pd.Series({"peace": 2000, "war": 0}))
    assert high["peace"] == pytest.approx(-math.log(0.025) / 2)
    assert math.isnan(high["war"])
    assert list(low.index) == ["peace", "war"]


# ------------------------------------------------------------------ change points


def _step_series(seed: int = 0) -> pd.Series:
    rng = np.random.default_rng(seed)
    values = np.r_[np.full(10, 1.0), np.full(10, 5.0)] + rng.normal(0, 0.2, 20)
    return pd.Series(values, index=np.arange(2001, 2021))


def test_change_point_found_at_first_year_of_new_level():
    assert change_points(_step_series()) == [2011]


def test_change_points_find_two_steps():
    rng = np.random.default_rng(1)
    values = np.r_[np.full(8, 2.0), np.full(8, 6.0), np.full(8, 3.0)] + rng.normal(0, 0.2, 24)
    series = pd.Series(values, index=np.arange(1975, 1999))
    assert change_points(series) == [1983, 1991]


def test_change_points_rarely_find_a_change_in_pure_noise():
    # The default penalty's documented false-alarm rate at 40 years is about 1 in 16.
    years = np.arange(1980, 2020)
    found = [
        change_points(pd.Series(3.0 + np.random.default_rng(seed).normal(0, 0.3, 40), index=years))
        for seed in range(60)
    ]
    assert sum(bool(points) for points in found) <= 9


def test_change_points_of_constant_series_is_empty():
    assert change_points(pd.Series(np.full(12, 2.5), index=np.arange(2000, 2012))) == []


def test_large_penalty_suppresses_change_points():
    assert change_points(_step_series(), penalty=1e6) == []


def test_change_points_sort_the_years_first():
    series = _step_series()
    assert change_points(series.sample(frac=1.0, random_state=0)) == [2011]


def test_change_points_reject_missing_values_naming_the_year():
    series = _step_series()
    series[2005] = np.nan
    with pytest.raises(MissingValueError, match="2005"):
        change_points(series)


def test_change_points_reject_a_series_too_short_for_min_size():
    with pytest.raises(SeriesTooShortError, match="5 years"):
        change_points(pd.Series([1.0, 1.0, 1.0, 5.0, 5.0], index=range(2000, 2005)), min_size=3)


def test_change_points_need_explicit_penalty_for_other_models():
    with pytest.raises(StatsInputError, match="penalty"):
        change_points(_step_series(), model="l1")
    assert change_points(_step_series(), model="l1", penalty=5.0) == [2011]


def test_change_points_reject_duplicate_years():
    with pytest.raises(StatsInputError, match="duplicate"):
        change_points(pd.Series(np.ones(8), index=[2000, 2000, 2001, 2002, 2003, 2004, 2005, 2006]))


# ------------------------------------------------------------------- collocations

SENTENCES = [
    ["peace", "and", "cooperation"],
    ["peace", "and", "development"],
    ["peace", "and", "cooperation", "for", "development"],
    ["cooperation", "peace"],
]
# Bigrams by hand (9 positions, none across sentences):
#   peace and ×3, and cooperation ×2, and development ×1, cooperation for ×1,
#   for development ×1, cooperation peace ×1.
# Across boundaries "cooperation peace" would have been 2 and
# "development peace" / "development cooperation" would exist.


def test_collocation_counts_stay_within_sentences():
    table = collocations(SENTENCES, n=2, min_count=1, measure="count").set_index("ngram")
    assert table["count"].to_dict() == {
        "peace and": 3,
        "and cooperation": 2,
        "and development": 1,
        "cooperation for": 1,
        "cooperation peace": 1,
        "for development": 1,
    }


def test_bigram_g2_and_pmi_match_hand_computed_table():
    table = collocations(SENTENCES, n=2, min_count=1).set_index("ngram")
    # "peace and": O11 = 3, "peace" first in 3 bigrams, "and" second in 3, N = 9.
    # O12 = 0, O21 = 0, O22 = 6; E11 = 1, E22 = 4.
    expected_g2 = 2 * (3 * math.log(3 / 1) + 6 * math.log(6 / 4))
    assert table.loc["peace and", "g2"] == pytest.approx(expected_g2)
    assert table.loc["peace and", "pmi"] == pytest.approx(math.log2(3))
    # "cooperation peace": O11 = 1, "cooperation" first in 2, "peace" second in 1.
    observed = np.array([[1, 1], [0, 7]])
    statistic = scipy_stats.chi2_contingency(observed, correction=False, lambda_="log-likelihood")[0]
    assert table.loc["cooperation peace", "g2"] == pytest.approx(statistic)
    assert table.loc["cooperation peace", "pmi"] == pytest.approx(math.log2(1 * 9 / (2 * 1)))
    assert table.index[0] == "peace and"  # sorted by g2


def test_collocations_drop_ngrams_starting_or_ending_with_stopword():
    bigrams = collocations(SENTENCES, n=2, min_count=1, stopwords=frozenset({"and", "for"}))
    assert bigrams["ngram"].tolist() == ["cooperation peace"]
    trigrams = collocations(SENTENCES, n=3, min_count=2, stopwords=frozenset({"and", "for"}))
    assert trigrams["ngram"].tolist() == ["peace and cooperation"]
    assert trigrams["count"].tolist() == [2]
    assert trigrams["g2"].isna().all()


def test_collocations_count_sentences_separately_from_occurrences():
    table = collocations([["viet", "nam", "viet", "nam"], ["viet", "nam"]], min_count=1).set_index("ngram")
    assert table.loc["viet nam", "count"] == 3
    assert table.loc["viet nam", "n_sentences"] == 2
    assert table.loc["nam viet", "count"] == 1


def test_collocations_apply_min_count():
    table = collocations(SENTENCES, n=2, min_count=2)
    assert set(table["ngram"]) == {"peace and", "and cooperation"}


def test_collocations_reject_plain_strings_and_bigram_measures_for_trigrams():
    with pytest.raises(StatsInputError, match="item 0 is a string"):
        collocations(["peace and cooperation"])
    with pytest.raises(StatsInputError, match="bigrams only"):
        collocations(SENTENCES, n=3, measure="g2")


# -------------------------------------------------------------------- similarity


def test_tfidf_similarity_of_identical_documents_is_one():
    similarity = tfidf_similarity({"a": "Self-reliance and peace.", "b": "self reliance AND peace"})
    assert similarity.loc["a", "b"] == pytest.approx(1.0)


def test_tfidf_similarity_of_disjoint_vocabularies_is_zero():
    similarity = tfidf_similarity({"a": "peace cooperation", "b": "war struggle"})
    assert similarity.loc["a", "b"] == 0.0


def test_tfidf_similarity_is_symmetric_with_unit_diagonal_and_hand_value():
    texts = pd.Series({"x": "a b", "y": "a c", "z": "b c c"})
    similarity = tfidf_similarity(texts)
    assert list(similarity.index) == ["x", "y", "z"]
    np.testing.assert_allclose(similarity.to_numpy(), similarity.to_numpy().T)
    np.testing.assert_array_equal(np.diag(similarity), [1.0, 1.0, 1.0])
    # Smoothed idf with n = 3 documents, every term in 2: ln(4/3) + 1 for each,
    # so x = (1, 1, 0) and y = (1, 0, 1) up to the same factor: cosine 1/2.
    assert similarity.loc["x", "y"] == pytest.approx(0.5)


def test_tfidf_similarity_marks_documents_without_terms_as_nan():
    similarity = tfidf_similarity({"a": "peace", "b": "peace now", "empty": "— ..."})
    assert similarity["empty"].isna().all()
    assert similarity.loc["a", "b"] > 0


def test_tfidf_similarity_rejects_duplicate_ids_and_empty_vocabulary():
    with pytest.raises(StatsInputError, match="duplicate"):
        tfidf_similarity(pd.Series(["a", "b"], index=["d1", "d1"]))
    with pytest.raises(StatsInputError, match="no terms"):
        tfidf_similarity({"a": "...", "b": "!!!"})


# -------------------------------------------------------------------- formatting


def test_format_int_uses_thousands_separators():
    assert format_int(1234) == "1,234"
    assert format_int(np.int64(32_104_567)) == "32,104,567"
    assert format_int(7.0) == "7"


def test_format_int_rejects_fractions():
    with pytest.raises(StatsInputError):
        format_int(2.5)


def test_format_rate_rounds_to_one_decimal():
    assert format_rate(1.234) == "1.2"
    assert format_rate(1234.56) == "1,234.6"
    assert format_rate(-0.04) == "0.0"
    assert format_rate(0.456, digits=2) == "0.46"


def test_format_rate_rejects_nan():
    with pytest.raises(StatsInputError):
        format_rate(float("nan"))
