"""The UN chapter's tables on small hand-made inputs."""

from __future__ import annotations

import pandas as pd
import pytest

from fplang.un import (
    change_point_table,
    genre_comparison,
    pooled_before_after,
    pooled_rates,
    rungs_by_decade,
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
    low, high = table.at[("Viet Nam", 1990), "ci_low"], table.at[("Viet Nam", 1990), "ci_high"]
    assert low < 6.0 < high


def test_change_points_find_the_constructed_step_and_its_landmark():
    table = change_point_table(speech_counts()[lambda f: f["iso3"] == "VNM"], ["x"], {1991: "7th Congress"})
    assert table["change_year"].tolist() == [1990]
    row = table.iloc[0]
    assert row["mean_before"] == pytest.approx(1.0) and row["mean_after"] == pytest.approx(6.0)
    assert row["years_from_landmark"] == -1


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
