"""The UN chapter's tables on small hand-made inputs."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import ROOT
from fplang.analysis.change_points import landmark_permutation_test, poisson_change_points
from fplang.analysis.un import (
    ASEAN_GROUP,
    DEMOCRATIC_KAMPUCHEA_GROUP,
    book_headline_checks,
    change_point_baseline,
    change_point_table,
    documents_outpace_speeches,
    falls_then_rises,
    genre_comparison,
    peer_groups_at_speech,
    pooled_before_after,
    pooled_rates,
    rungs_by_decade,
    rungs_first_stated_between,
    rungs_never_stated,
    share_of_periods_led,
    yearly_series,
)


def speech_counts() -> pd.DataFrame:
    rows = []
    for year in range(1980, 2000):
        level = 1 if year < 1990 else 6  # a step in 1990, by construction
        rows.append({"iso3": "VNM", "year": year, "concept": "x", "count": level, "tokens": 1000})
        rows.append({"iso3": "LAO", "year": year, "concept": "x", "count": 2, "tokens": 500})
    return pd.DataFrame(rows)


def test_pooled_rates_sum_counts_and_tokens_by_group_and_decade():
    world = pd.DataFrame({"year": [1985, 1995, 1950], "concept": ["x", "x", "x"], "count": [10, 30, 99], "tokens": [10_000, 10_000, 10_000]})
    pooled = pooled_rates(speech_counts(), {"VNM": "Viet Nam", "LAO": "Other ASEAN"}, world, ["x"])
    table = pooled.set_index(["group", "period"])
    assert table.at[("Viet Nam", 1980), "count"] == 10 and table.at[("Viet Nam", 1980), "tokens"] == 10_000
    assert table.at[("Viet Nam", 1990), "rate_per_1000"] == pytest.approx(6.0)
    assert table.at[("Other ASEAN", 1990), "rate_per_1000"] == pytest.approx(4.0)
    assert table.at[("World (all speeches)", 1990), "rate_per_1000"] == pytest.approx(3.0)
    assert ("World (all speeches)", 1950) not in table.index  # outside the countries' years
    # every Viet Nam speech of the 1990s has the same rate, so resampling speeches cannot move it:
    # the interval is [6, 6], where an interval over tokens (Poisson) would claim about 5.5-6.5
    assert (table.at[("Viet Nam", 1990), "ci_low"], table.at[("Viet Nam", 1990), "ci_high"]) == (6.0, 6.0)
    assert table.at[("Viet Nam", 1990), "n_units"] == 10
    # the world reference has one year in the 1990s here: one unit, no interval
    assert table.at[("World (all speeches)", 1990), "n_units"] == 1
    assert pd.isna(table.at[("World (all speeches)", 1990), "ci_low"])


def test_pooled_intervals_come_from_resampling_whole_speeches():
    # two speeches: 0 hits in 1,000 tokens and 10 in 1,000.  Pooled 5 per 1,000.  Drawing two
    # speeches with replacement gives 0, 5 or 10 with probabilities 1/4, 1/2, 1/4, so the 95 %
    # interval is [0, 10]; the exact Poisson interval for 10 in 2,000 tokens would be [2.4, 9.2]
    counts = pd.DataFrame(
        {"doc_id": ["a", "b"], "iso3": ["VNM", "VNM"], "year": [1990, 1991], "concept": "x", "count": [0, 10], "tokens": 1000}
    )
    row = pooled_rates(counts, {"VNM": "Viet Nam"}, None, ["x"], n_boot=400).iloc[0]
    assert row["rate_per_1000"] == pytest.approx(5.0)
    assert (row["ci_low"], row["ci_high"]) == (0.0, 10.0)
    assert row["interval_unit"] == "speech"


def test_peers_are_grouped_by_membership_at_the_time_of_the_speech():
    documents = pd.DataFrame(
        {
            "doc_id": ["v", "l96", "l97", "k80", "k95", "k99", "t10", "b85"],
            "iso3": ["VNM", "LAO", "LAO", "KHM", "KHM", "KHM", "TLS", "BRN"],
            "year": [1990, 1996, 1997, 1980, 1995, 1999, 2010, 1985],
            "group": ["focus", "asean", "asean", "asean", "asean", "asean", "asean", "asean"],
            "asean_member_at_speech": [False, False, True, False, False, True, False, True],
        }
    )
    groups = peer_groups_at_speech(documents, {"VNM": "Viet Nam"}).astype(object).where(lambda g: g.notna(), None)
    assert groups.to_dict() == {
        "v": "Viet Nam",
        "l96": None,  # Laos joined in July 1997
        "l97": ASEAN_GROUP,
        "k80": DEMOCRATIC_KAMPUCHEA_GROUP,  # the Khmer Rouge delegation held Cambodia's seat
        "k95": None,
        "k99": ASEAN_GROUP,  # Cambodia joined on 30 April 1999
        "t10": None,  # Timor-Leste joined in October 2025
        "b85": ASEAN_GROUP,
    }


def test_change_points_find_the_constructed_step_and_its_landmark():
    table = change_point_table(speech_counts()[lambda f: f["iso3"] == "VNM"], ["x"], {1991: "7th Congress"})
    assert table["change_year"].tolist() == [1990]
    row = table.iloc[0]
    assert row["rate_before"] == pytest.approx(1.0) and row["rate_after"] == pytest.approx(6.0)
    assert row["years_from_landmark"] == -1


def test_the_poisson_change_point_weighs_the_likelihood_gain_against_the_penalty():
    # six speeches of 1,000 tokens: 0, 0, 0, 3, 3, 3 hits.  One rate: 9 in 6,000; two: 0 in 3,000
    # and 9 in 3,000.  The split gains 9 ln(9/3000) - 9 ln(9/6000) = 9 ln 2 = 6.24 in log-likelihood,
    # more than the default penalty ln 6 = 1.79, less than a penalty of 7
    years = pd.Index(range(2000, 2006))
    counts, tokens = pd.Series([0, 0, 0, 3, 3, 3], index=years), pd.Series([1000] * 6, index=years)
    assert poisson_change_points(counts, tokens) == [2003]
    assert poisson_change_points(counts, tokens, penalty=6.2) == [2003]
    assert poisson_change_points(counts, tokens, penalty=6.3) == []
    # a constant rate in speeches of different lengths is no change: 2 hits per 1,000 throughout
    assert poisson_change_points(pd.Series([1, 4, 2, 6, 1, 3], index=years), pd.Series([500, 2000, 1000, 3000, 500, 1500], index=years)) == []


def test_the_landmark_baseline_is_the_chance_of_as_many_hits_at_random():
    # 20 candidate years 1980-1999, one landmark 1990, window 2: 1988-1992 are near, 5 of 20.
    # Two change years, both near: by chance C(5,2) / C(20,2) = 10 / 190 = 0.0526; expected hits 2 x 0.25
    result = landmark_permutation_test([1989, 1991], list(range(1980, 2000)), [1990], window=2, n_permutations=100_000)
    assert result["observed"] == 2 and result["share_near"] == pytest.approx(0.25)
    assert result["expected"] == pytest.approx(0.5)
    assert result["p_value"] == pytest.approx(10 / 190, abs=0.004)


def test_change_point_baseline_draws_only_years_where_a_change_can_be_found():
    table = pd.DataFrame({"change_year": [1990]})
    # years 1980-1999 with min_size 3: a change can start from 1983 to 1997 (15 years);
    # 1988-1992 near 1990: 5 of 15
    result = change_point_baseline(table, list(range(1980, 2000)), {1990: "x"}, window=2, min_size=3, n_permutations=2000)
    assert result["share_near"] == pytest.approx(5 / 15)
    assert result["p_value"] == pytest.approx(5 / 15, abs=0.03)


def test_yearly_series_is_a_rate_per_1000_by_year():
    series = yearly_series(speech_counts(), "x")
    assert series[1980] == pytest.approx(1000 * (1 + 2) / 1500)


def test_rungs_by_decade_count_speeches_not_statements():
    statements = pd.DataFrame(
        {
            "doc_id": ["a", "a", "b", "c"],
            "rung": ["r"] * 4,
            "rung_label": ["R"] * 4,
            "rung_order": [1] * 4,
            "published_year": [1991, 1991, 1994, 2003],
        }
    )
    table = rungs_by_decade(statements).set_index("decade")["speeches"]
    assert table.to_dict() == {1990: 2, 2000: 1}


def test_genre_comparison_stacks_seeds_and_speeches():
    columns = {"concept": ["x"], "label": ["X"], "count": [1], "tokens": [100], "rate_per_1000": [10.0], "ci_low": [0.2], "ci_high": [55.0]}
    seeds = pd.DataFrame({"doc_id": ["s"], "published_year": [2026], **columns})
    speeches = pd.DataFrame({"doc_id": ["u"], "year": [1991], **columns})
    both = genre_comparison(seeds, speeches, ["x"])
    assert both[["source", "doc_id", "year"]].values.tolist() == [["seed", "s", 2026], ["UN speech", "u", 1991]]


def test_pooled_before_after_weighs_speeches_by_their_tokens():
    rates = pd.DataFrame(
        {
            "concept": ["x", "x", "x", "y"],
            "year": [1980, 1985, 1990, 1980],
            "count": [1, 9, 2, 5],
            "tokens": [1000, 2000, 4000, 1000],
        }
    )
    # before 1986: (1 + 9) / 3,000 tokens = 3.33 per 1,000; from 1986: 2 / 4,000 = 0.5
    before, after = pooled_before_after(rates, "x", 1986)
    assert before == pytest.approx(10 / 3)
    assert after == pytest.approx(0.5)
    assert pd.isna(pooled_before_after(rates, "y", 1986)[1])


def test_share_of_periods_led_counts_periods_where_the_group_tops_the_others():
    pooled = pd.DataFrame(
        {
            "group": ["A", "B", "A", "B", "A", "B", "B"],
            "period": [1980, 1980, 1990, 1990, 2000, 2000, 2010],
            "concept": ["x"] * 7,
            "rate_per_1000": [2.0, 1.0, 1.0, 3.0, 5.0, 4.0, 9.0],
        }
    )
    # A leads in 1980 and 2000, not in 1990; 2010 has no A and does not count
    assert share_of_periods_led(pooled, "A", "x") == pytest.approx(2 / 3)
    assert share_of_periods_led(pooled, "A", "z") == 0.0


def _rates(rows: list[tuple[str, int, int, int]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["concept", "year", "count", "tokens"])


def test_falls_then_rises_compares_pooled_rates_on_each_side_of_the_years():
    rates = _rates([("a", 1980, 5, 1000), ("a", 1990, 1, 1000), ("b", 1985, 1, 1000), ("b", 1995, 4, 1000)])
    assert falls_then_rises(rates, ["a"], 1986, ["b"], 1991)  # a: 5 -> 1 per 1,000; b: 1 -> 4
    assert not falls_then_rises(rates, ["b"], 1986, [], 1991)  # b rises instead
    assert not falls_then_rises(rates, ["a"], 1986, ["a"], 1991)


FIRST_LAST = pd.DataFrame(
    {"rung": ["p", "r", "s"], "first_year": pd.array([2001, 2003, pd.NA], dtype="Int64"), "n_statements": [4, 9, 0]}
)


def test_rungs_first_stated_between_needs_every_rung_inside_the_years():
    assert rungs_first_stated_between(FIRST_LAST, ["p", "r"], 2000, 2009)
    assert not rungs_first_stated_between(FIRST_LAST, ["p", "r"], 2002, 2009)  # p came in 2001
    assert not rungs_first_stated_between(FIRST_LAST, ["s"], 2000, 2009)  # s was never stated


def test_rungs_never_stated_counts_a_rung_missing_from_the_table_as_never():
    assert rungs_never_stated(FIRST_LAST, ["s", "t"])
    assert not rungs_never_stated(FIRST_LAST, ["s", "p"])


def test_documents_outpace_speeches_by_the_factor():
    genres = pd.DataFrame(
        {
            "source": ["seed", "seed", "UN speech", "UN speech"],
            "concept": ["x"] * 4,
            "rate_per_1000": [9.3, 1.0, 1.7, 0.5],
        }
    )
    assert documents_outpace_speeches(genres, "x")  # 9.3 > 2 * 1.7
    assert not documents_outpace_speeches(genres, "x", factor=6)  # 9.3 < 6 * 1.7
    assert not documents_outpace_speeches(genres, "y")  # no rows


def test_book_headline_checks_name_each_chart_claim():
    focus = _rates([
        ("independence", 1980, 9, 1000), ("independence", 1990, 2, 1000),
        ("imperialism", 1980, 5, 1000), ("imperialism", 1990, 0, 1000),
        ("international_integration", 1985, 0, 1000), ("international_integration", 1995, 3, 1000),
    ])  # fmt: skip
    first_last = pd.DataFrame(
        {"rung": ["friend_and_reliable_partner", "active_responsible_member"], "first_year": [2001, 2007], "n_statements": [5, 7]}
    )
    peers = pd.DataFrame(
        {"group": ["V", "W"], "period": [1980, 1980], "concept": ["independence"] * 2, "rate_per_1000": [3.0, 1.0]}
    )
    genres = pd.DataFrame({"source": ["seed", "UN speech"], "concept": ["international_integration"] * 2, "rate_per_1000": [5.0, 1.0]})
    assert book_headline_checks(focus, first_last, peers, genres, "V") == {
        "trend": True, "rungs": True, "peers": True, "genres": True
    }  # fmt: skip
    assert book_headline_checks(focus, first_last, peers, genres, "W")["peers"] is False


def test_change_points_without_landmarks_leave_the_landmark_columns_empty():
    table = change_point_table(speech_counts()[lambda f: f["iso3"] == "VNM"], ["x"], {})
    assert table["change_year"].tolist() == [1990]
    assert table["nearest_landmark"].isna().all() and table["years_from_landmark"].isna().all()
    assert table["landmark"].tolist() == [""]


def test_the_books_landmarks_come_from_its_periods_table():
    """The four years chapter 6 sets change points against, as data/periods.csv labels them.

    The 6th Congress met in December 1986, after that year's General Debate speech; the 7th's
    label no longer names normalisation with China, which no source in the table dates.
    """
    from fplang.periods import landmarks, load_periods

    assert landmarks(load_periods(ROOT / "data" / "periods.csv")) == {
        1986: "6th Congress, December 1986: the renewal (the 1986 speech came before it)",
        1991: "7th Congress (June 1991)",
        1995: "ASEAN membership; normalisation with the United States",
        2007: "WTO membership",
    }
    assert landmarks(load_periods(ROOT / "data" / "examples" / "arcadia" / "periods.csv")) == {}


def test_change_points_of_different_concepts_are_redrawn_independently():
    # two concepts, each changing once, both in 1990: each redraw is near with chance 5/20, so both
    # are near with chance 0.25 ** 2 = 0.0625 (not 10 / 190: two concepts may change in one year)
    result = landmark_permutation_test(
        [1990, 1990], list(range(1980, 2000)), [1990], window=2, n_permutations=100_000, groups=["a", "b"]
    )
    assert result["p_value"] == pytest.approx(0.0625, abs=0.004)
