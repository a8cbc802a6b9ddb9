"""Tests for fplang.periods: the periods table and the two time axes of each sentence.

Expected spans are worked out by hand from the sentence and the dates in
data/periods.csv (e.g. "eight decades" in a 2025 article: 2025 - 80 = 1945, so
1945-2025, era august_revolution).  Sentences quoted from a seed carry the
seed number; sentences from Viet Nam's UN General Debate statements carry the
year.  Both are copied verbatim so the tests do not depend on those files.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from fplang.periods import (
    PeriodsError,
    SentenceTableError,
    attribute_periods,
    describe_rules,
    load_periods,
    period_chart_data,
    unanchored_rules,
    validate_periods,
)

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "periods"
PERIODS_CSV = HERE.parent / "data" / "periods.csv"


@pytest.fixture(scope="module")
def periods() -> pd.DataFrame:
    return load_periods(PERIODS_CSV)


def attribute_one(text: str, published: str, periods: pd.DataFrame) -> pd.Series:
    sentences = pd.DataFrame({"doc_id": ["d"], "sentence_id": [0], "text": [text], "published": [published]})
    return attribute_periods(sentences, periods).iloc[0]


def assert_attribution(
    row: pd.Series, *, start: int, end: int, period_id: str | None, rule: str, evidence: str
) -> None:
    assert (row["spoken_start"], row["spoken_end"]) == (start, end)
    assert row["period_id"] == period_id
    assert row["rule"] == rule
    assert row["evidence"] == evidence
    assert not row["inherited"]


# --------------------------------------------------------------------------
# The shipped periods table
# --------------------------------------------------------------------------


def test_shipped_periods_table_is_valid():
    assert validate_periods(PERIODS_CSV) == []


def test_shipped_eras_cover_each_year_1945_to_2030_exactly_once(periods):
    eras = periods[periods["kind"] == "era"]
    covering = {year: 0 for year in range(1945, 2031)}
    for row in eras.itertuples():
        for year in range(row.start_year, row.end_year + 1):
            covering[year] = covering.get(year, 0) + 1
    assert set(covering) == set(range(1945, 2031))
    assert all(count == 1 for count in covering.values())


def test_shipped_congress_terms_are_eras_from_1986(periods):
    terms = periods[(periods["kind"] == "era") & periods["congress"].notna()].set_index("period_id")
    assert terms.loc["congress_6", ["start_year", "end_year"]].tolist() == [1986, 1990]
    assert terms.loc["congress_10", ["start_year", "end_year"]].tolist() == [2006, 2010]
    assert terms.loc["congress_14", ["start_year", "end_year"]].tolist() == [2026, 2030]
    assert sorted(terms["congress"].astype(int)) == list(range(6, 15))


def test_shipped_events_are_single_years(periods):
    events = periods[periods["kind"] == "event"].set_index("period_id")
    expected = {
        "geneva_agreements_1954": 1954,
        "paris_peace_accords_1973": 1973,
        "us_normalisation_1995": 1995,
        "asean_accession_1995": 1995,
        "wto_accession_2007": 2007,
    }
    for period_id, year in expected.items():
        assert events.loc[period_id, ["start_year", "end_year"]].tolist() == [year, year]


def test_every_shipped_row_has_a_source(periods):
    assert (periods["source"].str.len() > 10).all()


def test_load_periods_types_the_columns():
    table = load_periods(FIXTURES / "good_small.csv")
    assert table["start_year"].dtype == "int64"
    assert table["congress"].dtype == "Int64"
    assert table["congress"].isna().tolist() == [True, True, False, False, True]


# --------------------------------------------------------------------------
# Bad periods tables: each fixture's name says what is wrong
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fixture", "expected_fragment"),
    [
        ("bad_missing_column_kind.csv", "missing column 'kind'"),
        ("bad_year_not_integer.csv", "row 1 (line 2), column start_year: '19x5' is not a whole year"),
        ("bad_year_not_integer.csv", "row 2 (line 3), column end_year: '1975.5' is not a whole year"),
        ("bad_end_before_start.csv", "row 2 (line 3), column end_year: 1950 precedes start_year 1954"),
        ("bad_duplicate_period_id.csv", "row 3 (line 4), column period_id: 'independence' repeats row 1 (line 2)"),
        ("bad_overlapping_eras.csv", "overlap in 1955-1956"),
        ("bad_gap_between_eras.csv", "no era covers 1955-1956"),
        ("bad_unknown_kind.csv", "column kind: 'epoch' is not one of era, congress, event"),
        ("bad_empty_source.csv", "column source: empty; give a citation or URL"),
        ("bad_weak_source.csv", "column source: cites enacademic.com, which a specialist would not accept"),
        ("bad_event_spans_years.csv", "a event row is a single year, but start_year 1954 and end_year 1955 differ"),
        ("bad_congress_term_starts_before_its_congress.csv", "starts in 1986, while that Congress"),
    ],
)
def test_bad_period_table_is_reported_with_its_message(fixture, expected_fragment):
    path = FIXTURES / fixture
    problems = [str(problem) for problem in validate_periods(path)]
    assert any(expected_fragment in problem for problem in problems), problems
    with pytest.raises(PeriodsError) as raised:
        load_periods(path)
    assert expected_fragment in str(raised.value)
    assert fixture in str(raised.value)


def test_every_problem_in_a_table_is_reported_at_once():
    problems = [str(problem) for problem in validate_periods(FIXTURES / "bad_many_problems.csv")]
    expected = [
        "row 2 (line 3), column period_id: 'War Years' is not snake_case",
        "row 3 (line 4), column end_year: 'nineteen' is not a whole year",
        "row 4 (line 5), column period_id: 'independence' repeats row 1 (line 2)",
        "row 5 (line 6), column end_year: 1986 precedes start_year 1990",
        "row 6 (line 7), column kind: 'treaty' is not one of era, congress, event",
        "row 6 (line 7), column source: empty",
    ]
    assert len(problems) == len(expected)
    for fragment, problem in zip(expected, problems, strict=True):
        assert fragment in problem
    with pytest.raises(PeriodsError) as raised:
        load_periods(FIXTURES / "bad_many_problems.csv")
    assert [str(problem) for problem in raised.value.problems] == problems
    assert "6 problems" in str(raised.value)


def test_missing_periods_file_is_named():
    with pytest.raises(PeriodsError, match="no_such_periods.csv: file not found"):
        load_periods(FIXTURES / "no_such_periods.csv")


def test_the_book_table_anchors_every_rule(periods):
    assert unanchored_rules(periods) == []


def test_a_table_without_an_event_row_silences_that_rule_instead_of_borrowing_its_date(periods):
    without_geneva = periods[periods["period_id"] != "geneva_agreements_1954"]
    assert unanchored_rules(without_geneva) == [
        "named_event (the Geneva Agreement of 1954): no row with period_id 'geneva_agreements_1954'"
    ]
    row = attribute_one("The Geneva Agreements were signed.", "2025", without_geneva)
    assert (row["spoken_start"], row["rule"], row["inherited"]) == (2025, "inherited", True)
    dated = attribute_one("The Geneva Agreements were signed.", "2025", periods)
    assert (dated["spoken_start"], dated["rule"]) == (1954, "named_event")


def test_another_states_periodisation_keeps_the_general_rules_and_drops_the_book_specific_ones():
    small = pd.DataFrame(
        {
            "period_id": ["cold_war_end", "new_century"],
            "label": ["End of the Cold War", "The new century"],
            "start_year": [1989, 2000],
            "end_year": [1999, 2030],
            "kind": ["era", "era"],
            "congress": [pd.NA, pd.NA],
            "source": ["s", "s"],
        }
    )
    off = unanchored_rules(small)
    assert len(off) == 1 + 6 + 2  # National Day, six named events, renewal and new era
    assert "renewal_period: no Congress row (kind congress) with congress 6" in off
    text = "In 1990 we joined; the renewal period and the new era and the 80th National Day came later."
    row = attribute_one(text, "2026", small)
    assert (row["spoken_start"], row["spoken_end"], row["rule"], row["evidence"]) == (1990, 1990, "year", "1990")
    assert row["period_id"] == "cold_war_end"


# --------------------------------------------------------------------------
# One rule at a time, on real sentences
# --------------------------------------------------------------------------


def test_year_rule_reads_a_bare_year(periods):
    # seed 001, published 2026-01-21
    row = attribute_one(
        "As early as 1946, in a letter to the Secretary-General of the United Nations, he affirmed "
        "Vietnam's desire to pursue a policy of openness and cooperation across all fields.",
        "2026-01-21",
        periods,
    )
    assert_attribution(row, start=1946, end=1946, period_id="resistance_against_france", rule="year", evidence="1946")


def test_named_event_absorbs_the_year_written_with_it(periods):
    # seed 000: "1945 August Revolution" is one piece of evidence, not a year and an event
    row = attribute_one(
        "After the success of the 1945 August Revolution, President Ho Chi Minh considered the expansion "
        "of international relations.",
        "2023-05-19",
        periods,
    )
    assert_attribution(
        row, start=1945, end=1945, period_id="august_revolution", rule="named_event", evidence="1945 August Revolution"
    )


def test_year_span_from_to(periods):
    # Viet Nam at the UN, 1994
    row = attribute_one(
        "The average annual growth rate of our gross national product for the three years from 1991 to 1993 was 7.",
        "1994",
        periods,
    )
    assert_attribution(
        row, start=1991, end=1993, period_id="congress_7", rule="year_span", evidence="from 1991 to 1993"
    )


def test_year_span_with_dash_and_two_digit_end(periods):
    # Viet Nam at the UN, 1983: "in 1954" and "1971-72" together span 1954-1972
    row = attribute_one(
        "On two occasions China has negotiated, first with France in 1954 for a solution to the Indo-Chinese war, "
        "at the expense of the three Indo-Chinese countries; and in 1971-72 with the United States for a solution "
        "to the Viet Nam war, again at the expense of the same three countries.",
        "1983",
        periods,
    )
    assert_attribution(
        row, start=1954, end=1972, period_id=None, rule="year", evidence="1954; 1971-72"
    )


def test_since_year_runs_to_publication(periods):
    # seed 002, published 2025 (year only)
    row = attribute_one(
        "One of the key achievements is the establishment and maintenance of long-standing diplomatic ties "
        "with countries like Cuba since 1960.",
        "2025",
        periods,
    )
    assert_attribution(
        row, start=1960, end=2025, period_id=None, rule="since_year", evidence="since 1960"
    )


def test_eight_decades_counts_back_from_publication(periods):
    # seed 002: 2025 - 80 = 1945
    row = attribute_one(
        "Vietnam's diplomacy has made significant strides over the past eight decades, marked by consistent "
        "pursuit of an independent, self-reliant, multilateral, and diversified foreign policy.",
        "2025",
        periods,
    )
    assert_attribution(
        row,
        start=1945,
        end=2025,
        period_id=None,
        rule="decades_ago",
        evidence="over the past eight decades",
    )


def test_eighty_years_in_digits_counts_back_from_publication(periods):
    # seed 002
    row = attribute_one(
        "In conclusion, Vietnam's diplomacy over 80 years reflects consistent advancement in international "
        "cooperation.",
        "2025",
        periods,
    )
    assert_attribution(
        row, start=1945, end=2025, period_id=None, rule="decades_ago", evidence="over 80 years"
    )


def test_over_a_century_reaches_before_the_first_era(periods):
    # seed 002: 2025 - 100 = 1925, before the table's first era, so no era
    row = attribute_one(
        "Vietnam's diplomacy played a crucial role in ending over a century of subjugation under colonialism "
        "and imperialism, according to Sơn.",
        "2025",
        periods,
    )
    assert_attribution(row, start=1925, end=2025, period_id=None, rule="decades_ago", evidence="over a century")


def test_forty_years_of_renewal_starts_in_1986(periods):
    # seed 004, Xu Ningning's quotation; published 2026
    row = attribute_one(
        "“After 40 years of national renewal, Vietnam has made a remarkable leap in its international standing, "
        "becoming one of the countries with the most extensive diplomatic networks in Southeast Asia.",
        "2026",
        periods,
    )
    assert_attribution(
        row,
        start=1986,
        end=2026,
        period_id=None,
        rule="years_of_renewal",
        evidence="40 years of national renewal",
    )


def test_renewal_period_starts_in_1986(periods):
    # seed 001
    row = attribute_one(
        "Entering the renewal period, external relations spearheaded efforts to break isolation.",
        "2026-01-21",
        periods,
    )
    assert_attribution(
        row, start=1986, end=2026, period_id=None, rule="renewal_period", evidence="renewal period"
    )


def test_congress_ordinal_gives_that_congress_term(periods):
    # seed 000: the 10th Congress met in 2006; its term ran to 2010
    row = attribute_one(
        "The 10th National Party Congress affirmed the policy of actively integrating into the world.",
        "2023-05-19",
        periods,
    )
    assert_attribution(
        row,
        start=2006,
        end=2010,
        period_id="congress_10",
        rule="congress_ordinal",
        evidence="10th National Party Congress",
    )


def test_congress_ordinal_in_words(periods):
    # Viet Nam at the UN, 1996: the 8th Congress met in 1996
    row = attribute_one(
        "Last June, the Eighth Congress of the Communist Party of Viet Nam was successfully concluded.",
        "1996",
        periods,
    )
    assert_attribution(
        row, start=1996, end=2000, period_id="congress_8", rule="congress_ordinal", evidence="Eighth Congress"
    )


def test_congress_term_phrase(periods):
    # seed 001: the 13th Congress term is 2021-2025
    row = attribute_one(
        "Notably, during the term of the 13th National Party Congress, despite complex and unpredictable global "
        "developments, external relations and international integration achieved many important results.",
        "2026-01-21",
        periods,
    )
    assert_attribution(
        row,
        start=2021,
        end=2025,
        period_id="congress_13",
        rule="congress_term",
        evidence="term of the 13th National Party Congress",
    )


def test_short_congress_term_phrase(periods):
    row = attribute_one("Results achieved in the 13th term were remarkable.", "2026", periods)
    assert_attribution(row, start=2021, end=2025, period_id="congress_13", rule="congress_term", evidence="13th term")


def test_national_day_ordinal_counts_from_1945(periods):
    # seed 002: the 80th National Day is 2 September 2025
    row = attribute_one(
        "Invitations to military contingents from countries such as Russia, China, Laos, Cambodia, Cuba, Belarus, "
        "Kazakhstan, and Azerbaijan to attend the 80th National Day celebrations reflect Vietnam’s efforts.",
        "2025",
        periods,
    )
    assert_attribution(
        row, start=2025, end=2025, period_id="congress_13", rule="national_day", evidence="80th National Day"
    )


def test_wto_accession_is_2007_even_when_still_ahead(periods):
    # seed 003, a 2006 Congress document looking ahead to WTO membership (January 2007)
    row = attribute_one(
        "Consolidate and develop reliable bilateral cooperation with strategic partners; effectively take advantage "
        "of opportunities and minimize challenges and risks following our accession to the World Trade "
        "Organization (WTO).",
        "2006",
        periods,
    )
    assert_attribution(
        row,
        start=2007,
        end=2007,
        period_id="congress_10",
        rule="named_event",
        evidence="accession to the World Trade Organization (WTO)",
    )


def test_till_2010_and_the_2020_vision(periods):
    # seed 003, published 2006: "till 2010" is 2006-2010, "the 2020 vision" the year 2020
    row = attribute_one(
        "Proactively and actively engage in international economic integration following a roadmap in conformity "
        "with the national development strategy till 2010 and the 2020 vision.",
        "2006",
        periods,
    )
    assert_attribution(
        row, start=2006, end=2020, period_id=None, rule="until_year", evidence="till 2010; 2020"
    )


def test_new_era_is_the_14th_congress_term(periods):
    # seed 004
    row = attribute_one(
        "The new strategic orientation set out in the Resolution, particularly in foreign affairs and international "
        "integration, is shaped by profound changes globally and Vietnam’s development requirements in the new era.",
        "2026",
        periods,
    )
    assert_attribution(row, start=2026, end=2030, period_id="congress_14", rule="new_era", evidence="new era")


def test_new_era_before_2024_is_not_evidence(periods):
    row = attribute_one("The end of the cold war opened a new era of cooperation.", "1995", periods)
    assert row["inherited"]
    assert row["rule"] == "inherited"


def test_present_marker_is_the_publication_year(periods):
    # seed 000, published 2023-05-19
    row = attribute_one(
        "Nowadays, Vietnam has built a foreign policy matching the domestic and international situations.",
        "2023-05-19",
        periods,
    )
    assert_attribution(
        row, start=2023, end=2023, period_id="congress_13", rule="present_marker", evidence="Nowadays"
    )


def test_decade_covers_its_ten_years(periods):
    # Viet Nam at the UN, 1980
    row = attribute_one("However, we are setting out with confidence into the 1980s.", "1980", periods)
    assert_attribution(row, start=1980, end=1989, period_id=None, rule="decade", evidence="1980s")


# --------------------------------------------------------------------------
# Numbers that are not years
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        # seed 002
        "Vietnam's diplomacy has also leveraged humanitarian and legal policies, as demonstrated by nearly 40 rounds "
        "of national amnesty, including for foreign prisoners.",
        "The Communist Party of Vietnam has formed relations with 259 official political parties across 119 countries.",
        "The conference on the 80-year development of Vietnam's diplomatic affairs was held in Hanoi.",
        "Some 2,000 delegates attended.",
        "A 2000-strong contingent and 2000 troops were sent.",
        "Security Council resolution 1973 was adopted.",
        "We support the 2030 Agenda for Sustainable Development.",
        "Growth reached 7 per cent, against a target of US$2000 million.",
        "In the next five years we will double our exports.",
        "The 15th National Assembly term has begun.",
        "The Soviet leader spoke at the twenty-sixth Congress of his party.",
        "The Paris Agreement on climate change entered into force.",
    ],
)
def test_numbers_that_are_not_years_are_not_attributed(text, periods):
    row = attribute_one(text, "2025", periods)
    assert row["inherited"], row["evidence"]
    assert row["evidence"] == ""


def test_forty_rounds_is_ignored_but_eight_decades_is_read(periods):
    # seed 002: only "over eight decades" is evidence
    row = attribute_one(
        "Vietnam's diplomacy has also leveraged humanitarian and legal policies, as demonstrated by nearly 40 rounds "
        "of national amnesty over eight decades, including for foreign prisoners.",
        "2025",
        periods,
    )
    assert_attribution(
        row, start=1945, end=2025, period_id=None, rule="decades_ago", evidence="over eight decades"
    )


# --------------------------------------------------------------------------
# Several pieces of evidence; no evidence
# --------------------------------------------------------------------------


def test_several_events_span_from_earliest_to_latest_and_are_given_to_no_era_when_they_cross_eras(periods):
    # seed 001: Geneva 1954 and Paris 1973 -> 1954-1973, era of 1954
    row = attribute_one(
        "During the struggle for national liberation and reunification, external relations worked in close "
        "coordination with political and military struggle, forming a posture of “fighting while negotiating,” "
        "contributing to historic milestones such as the Geneva Agreement of 1954 and the Paris Peace Accords of "
        "1973, which opened decisive turning points toward national reunification.",
        "2026-01-21",
        periods,
    )
    assert_attribution(
        row,
        start=1954,
        end=1973,
        period_id=None,
        rule="named_event",
        evidence="Geneva Agreement of 1954; Paris Peace Accords of 1973",
    )


def test_rule_is_the_one_with_the_earliest_start_not_the_first_in_text(periods):
    # seed 004: "new era" (2026-2030) comes first, "40 years of renewal" (1986-2026) starts earlier
    row = attribute_one(
        "In the new era, Vietnam aims to advance external relations and international integration commensurate "
        "with its historical and cultural stature and international standing, reflecting its renewed confidence, "
        "resolve, and aspirations after 40 years of renewal.",
        "2026",
        periods,
    )
    assert_attribution(
        row,
        start=1986,
        end=2030,
        period_id=None,
        rule="years_of_renewal",
        evidence="new era; 40 years of renewal",
    )


def test_equal_starts_take_the_first_rule_in_text(periods):
    # seed 001: the 14th Congress and the new era are both 2026-2030
    row = attribute_one(
        "On this basis, the documents of the 14th National Party Congress emphasize strategic autonomy and "
        "self-reliance, and clearly identify the task of developing external relations in the new era.",
        "2026-01-21",
        periods,
    )
    assert_attribution(
        row,
        start=2026,
        end=2030,
        period_id="congress_14",
        rule="congress_ordinal",
        evidence="14th National Party Congress; new era",
    )


def test_two_spans_in_one_sentence_are_covered(periods):
    # Viet Nam at the UN, 2017: 2014-2016 and 2016-2018 -> 2014-2018
    row = attribute_one(
        "At the global level, Viet Nam has actively engaged in the work of the United Nations, serving on the Human "
        "Rights Council from 2014 to 2016 and as a member of the Economic and Social Council for the term 2016-2018.",
        "2017",
        periods,
    )
    assert_attribution(
        row, start=2014, end=2018, period_id=None, rule="year_span", evidence="from 2014 to 2016; 2016-2018"
    )


def test_sentence_without_evidence_inherits_the_publication_year(periods):
    # seed 004, published 2026
    row = attribute_one(
        "Economic globalization provides Vietnam with access to vast markets for its goods and services.",
        "2026",
        periods,
    )
    assert (row["spoken_start"], row["spoken_end"]) == (2026, 2026)
    assert row["period_id"] == "congress_14"
    assert row["rule"] == "inherited"
    assert row["evidence"] == ""
    assert row["inherited"]


# --------------------------------------------------------------------------
# The sentence table
# --------------------------------------------------------------------------


def test_output_keeps_input_and_adds_the_documented_columns(periods):
    sentences = pd.DataFrame(
        {
            "doc_id": ["a", "a", "b"],
            "sentence_id": [0, 1, 0],
            "text": ["Nowadays things differ.", "Nothing dated here.", "In 1954 peace came."],
            "published": ["2023-05-19", "2023-05-19", "1990"],
        },
        index=[10, 11, 12],
    )
    out = attribute_periods(sentences, periods)
    assert list(out.columns) == [
        "doc_id", "sentence_id", "text", "published",
        "published_year", "spoken_start", "spoken_end", "period_id", "multi_era", "eras", "evidence", "rule", "inherited",
    ]  # fmt: skip
    assert out.index.tolist() == [10, 11, 12]
    assert out["published_year"].tolist() == [2023, 2023, 1990]
    assert out["published_year"].dtype == "int64"
    assert out["spoken_start"].tolist() == [2023, 2023, 1954]
    assert out["inherited"].tolist() == [False, True, False]
    pd.testing.assert_frame_equal(sentences, out[sentences.columns])


def test_attribution_is_deterministic(periods):
    sentences = pd.DataFrame(
        {
            "doc_id": ["a"] * 3,
            "sentence_id": [0, 1, 2],
            "text": ["Since 1960 ties grew.", "Over eight decades.", "Today."],
            "published": ["2025"] * 3,
        }
    )
    pd.testing.assert_frame_equal(attribute_periods(sentences, periods), attribute_periods(sentences, periods))


def test_year_only_publication_dates_are_accepted(periods):
    row = attribute_one("Nothing dated here.", "2006", periods)
    assert row["published_year"] == 2006
    assert row["period_id"] == "congress_10"


def test_year_and_month_publication_dates_are_accepted_as_in_a_manifest(periods):
    row = attribute_one("Nothing dated here.", "2024-03", periods)
    assert (row["published_year"], row["spoken_start"]) == (2024, 2024)


@pytest.mark.parametrize("published", ["2026-13-01", "2026-13", "21/01/2026", "26", "", None])
def test_bad_publication_date_names_row_and_value(published, periods):
    sentences = pd.DataFrame({"doc_id": ["d"], "sentence_id": [0], "text": ["x"], "published": [published]})
    with pytest.raises(SentenceTableError, match=r"column published: .*row 0"):
        attribute_periods(sentences, periods)


def test_missing_sentence_column_is_named(periods):
    sentences = pd.DataFrame({"doc_id": ["d"], "sentence_id": [0], "text": ["x"]})
    with pytest.raises(SentenceTableError, match="published"):
        attribute_periods(sentences, periods)


# --------------------------------------------------------------------------
# Chart data
# --------------------------------------------------------------------------


def test_chart_data_has_one_row_per_sentence_with_midpoints(periods):
    long_text = "Geneva Agreement of 1954 and the Paris Peace Accords of 1973 " + "word " * 40
    sentences = pd.DataFrame(
        {
            "doc_id": ["b", "a"],
            "sentence_id": [0, 0],
            "text": [long_text, "Since 1960 ties grew."],
            "published": ["2026-01-21", "2025"],
        }
    )
    chart = period_chart_data(attribute_periods(sentences, periods))
    assert len(chart) == 2
    # sorted by publication: 2025 (placed at 1 July) before 21 January 2026
    assert chart["doc_id"].tolist() == ["a", "b"]
    assert chart["published"].tolist() == [pd.Timestamp("2025-07-01"), pd.Timestamp("2026-01-21")]
    assert chart["published_precision"].tolist() == ["year", "day"]
    assert chart["spoken_mid"].tolist() == [(1960 + 2025) / 2, (1954 + 1973) / 2]
    assert chart.loc[1, "excerpt"].endswith("…")
    assert len(chart.loc[1, "excerpt"]) <= 121
    assert chart.loc[0, "excerpt"] == "Since 1960 ties grew."
    assert {"rule", "evidence", "period_id"} <= set(chart.columns)


def test_chart_data_places_a_year_and_month_date_in_the_middle_of_its_month(periods):
    sentences = pd.DataFrame({"doc_id": ["a"], "sentence_id": [0], "text": ["x"], "published": ["2024-03"]})
    chart = period_chart_data(attribute_periods(sentences, periods))
    assert chart["published"].tolist() == [pd.Timestamp("2024-03-15")]
    assert chart["published_precision"].tolist() == ["month"]


def test_rule_table_lists_every_rule_in_priority_order():
    table = describe_rules()
    assert table["priority"].tolist() == list(range(1, len(table) + 1))
    assert table["rule"].iloc[-1] == "year"
    expected_rules = {
        "year", "year_span", "since_year", "until_year", "decade", "decades_ago", "years_of_renewal",
        "congress_ordinal", "congress_term", "national_day", "named_event", "renewal_period", "new_era",
        "present_marker",
    }  # fmt: skip
    assert set(table["rule"]) == expected_rules


# --- the dating rule: a span over several eras belongs to none -------------------------------

BOOK_PERIODS = HERE.parent / "data" / "periods.csv"

_DATING_CASES = [
    # text, published, spoken span, era (None = kept out of every era's cell), eras covered
    ("Over the past eight decades, Vietnamese diplomacy has grown.", "2025", (1945, 2025), None, 12),
    ("Viet Nam and Cuba have had diplomatic ties since 1960.", "2025", (1960, 2025), None, 10),
    ("After 40 years of renewal, the country has risen.", "2026", (1986, 2026), None, 9),
    ("The people ended over a century of colonial subjugation.", "2025", (1925, 2025), None, 12),
    ("The Geneva Agreement of 1954 ended the war.", "2026", (1954, 1954), "resistance_against_france", 1),
    ("Foreign affairs is a key and regular task.", "2026", (2026, 2026), "congress_14", 1),
]


@pytest.mark.parametrize(("text", "published", "span", "era", "n_eras"), _DATING_CASES)
def test_a_span_over_several_eras_is_marked_multi_era_and_given_to_none(text, published, span, era, n_eras):
    # Hand-worked from data/periods.csv: eras 1945, 1946-54, 1955-75, 1976-85, then the
    # Congress terms 1986-90, 1991-95, ..., 2021-25, 2026-30.  2025 - 80 = 1945 reaches
    # all twelve eras up to the 13th Congress's term; 1960-2025 misses the first two;
    # 1986-2026 is the nine Congress terms from the 6th to the 14th; 1925-2025 starts
    # before any era and covers the same twelve as 1945-2025.
    sentences = pd.DataFrame({"doc_id": ["d"], "sentence_id": [0], "text": [text], "published": [published]})
    row = attribute_periods(sentences, load_periods(BOOK_PERIODS)).iloc[0]
    assert (row["spoken_start"], row["spoken_end"]) == span
    assert row["period_id"] == era if era else row["period_id"] is None
    assert bool(row["multi_era"]) is (n_eras > 1)
    assert len(row["eras"].split("; ")) == n_eras


def test_two_events_in_neighbouring_eras_make_a_multi_era_sentence():
    sentences = pd.DataFrame(
        {
            "doc_id": ["d"],
            "sentence_id": [0],
            "text": ["The Geneva Agreement of 1954 and the Paris Peace Accords of 1973 were victories."],
            "published": ["2026"],
        }
    )
    row = attribute_periods(sentences, load_periods(BOOK_PERIODS)).iloc[0]
    assert (row["spoken_start"], row["spoken_end"]) == (1954, 1973)
    assert row["eras"] == "resistance_against_france; war_and_reunification"
    assert row["period_id"] is None and bool(row["multi_era"])
