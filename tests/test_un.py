"""The UN chapter's tables on small hand-made inputs."""

from __future__ import annotations

import pandas as pd
import pytest

from conftest import ROOT
from fplang.analysis.un import (
    book_headline_checks,
    change_point_table,
    documents_outpace_speeches,
    falls_then_rises,
    genre_comparison,
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
        {"rung": ["friend_and_reliable_partner", "responsible_member"], "first_year": [2001, 2003], "n_statements": [5, 7]}
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
    """The four years chapter 6 measured change points against before they moved into data/periods.csv."""
    from fplang.periods import landmarks, load_periods

    assert landmarks(load_periods(ROOT / "data" / "periods.csv")) == {
        1986: "6th Congress: Đổi Mới",
        1991: "7th Congress; normalisation with China",
        1995: "ASEAN membership; normalisation with the United States",
        2007: "WTO membership",
    }
    assert landmarks(load_periods(ROOT / "data" / "examples" / "arcadia" / "periods.csv")) == {}
