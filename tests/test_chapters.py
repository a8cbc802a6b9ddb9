"""What the chapters glue: every key a chapter's prose names is filled, from one function each."""

from __future__ import annotations

import json
import re

import pandas as pd
import pytest

from conftest import ROOT
from fplang.analysis import genealogy_views
from fplang.book import chapters

GLUE = re.compile(r"\{glue:text\}`([a-z0-9_]+)")


def prose_keys(notebook: str) -> set[str]:
    """The glue keys a chapter's Markdown names, read from the notebook file."""
    cells = json.loads((ROOT / "notebooks" / f"{notebook}.ipynb").read_text(encoding="utf-8"))["cells"]
    return {key for cell in cells if cell["cell_type"] == "markdown" for key in GLUE.findall("".join(cell["source"]))}


@pytest.mark.parametrize(
    ("notebook", "keys", "others"),
    [
        ("04_formulas", chapters.FORMULA_CHAPTER_KEYS, set()),
        (
            "05_distinctive",
            chapters.KEYNESS_CHAPTER_KEYS,
            {"alike_a", "alike_b", "alike_sim", "sim_median", "sim_min", "sim_max", "sim_median_with_function_words", "keyness_both", "keyness_top_un", "keyness_top_older"},
        ),
        ("06_un", (*chapters.UN_CHAPTER_KEYS, *chapters.PRECISION_KEYS), set()),
    ],
)
def test_a_chapter_that_does_not_apply_glues_every_key_its_prose_names(notebook, keys, others):
    assert prose_keys(notebook) <= set(keys) | others


def test_the_findings_chapter_glues_every_key_its_prose_names():
    computed_there = {
        "n_documents", "excluded", "n_findings", "n_changed", "changed_list",
        "autonomy_quote", "autonomy_doc", "ladder_quote", "ladder_doc",
        "active_lead_years", "n_changes", "n_changes_near", "n_changes_expected", "changes_p_value",
        "lowest_precision", "interval_under_80", "indep_rate_before", "indep_rate_after",
        "indep_liberation_share_of_fall", "indep_own_before", "indep_own_after",
        "significant_phrase", "next_keywords", "reference_rates_phrase",
    }  # fmt: skip
    in_words = {
        "n_significant_keywords": "significant_phrase",
        "top5_keywords": "next_keywords",
        "strategic_autonomy_rate_reference": "reference_rates_phrase",
        "new_era_rate_reference": "reference_rates_phrase",
        # what changes without the derivative seed is read in words, with both values, when it changes
        "top_keyword_without": "changed_list",
        "pct_looking_back_without": "changed_list",
    }
    genealogy = set(genealogy_views.GENEALOGY_KEYS)
    genealogy |= {"concept_speakers", "concept_gloss_other_sense"}  # the lexicon concept's reach (chapter 7's method note)
    genealogy |= {"seat_year", "robust_summary"}  # the two checks of the standings (chapter 7)
    named = prose_keys("08_findings")
    assert named <= set(chapters.FINDINGS_KEYS) | set(chapters.UN_FINDINGS_KEYS) | computed_there | genealogy
    assert named >= genealogy  # what the genealogy shows, for each of Viet Nam's formulas
    assert named >= set(chapters.FINDINGS_KEYS) - set(in_words)  # two findings read in words, from the values
    assert named >= set(in_words.values())


def first_last() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "rung": ["friends_with_all", "friend_and_reliable_partner", "responsible_member", "active_responsible_member", "key_regular_task"],
            "first_year": [1978, 1993, 2003, pd.NA, pd.NA],
            "n_statements": [5, 3, 1, 0, 0],
        }
    )


def test_the_un_ladder_is_one_set_of_values_for_chapters_4_and_7():
    values = chapters.un_ladder_values(first_last())
    assert values == {
        "un_first_friends": "1978",
        "un_first_partner": "1993",
        "un_first_responsible": "2003",
        "un_first_active": "\u2014",
        "un_n_never": 2,
        "un_never_phrase": "two rungs",
    }
    assert set(chapters.UN_LADDER_KEYS) <= set(chapters.FORMULA_CHAPTER_KEYS)
    assert set(chapters.UN_LADDER_KEYS) <= set(chapters.UN_FINDINGS_KEYS)
    assert set(chapters.UN_LADDER_KEYS) - {"un_n_never"} <= prose_keys("04_formulas")  # the count, in words
    assert set(chapters.UN_LADDER_KEYS) - {"un_first_friends", "un_n_never"} <= prose_keys("08_findings")


def test_without_a_un_corpus_every_un_value_says_so():
    assert set(chapters.un_ladder_values(None).values()) == {chapters.NOT_GIVEN}
    assert set(chapters.un_findings_values(None, None, 0, "x").values()) == {chapters.NOT_GIVEN}


def test_the_un_chapter_says_why_it_does_not_apply():
    manifest = ROOT / "data" / "raw" / "ungdc" / "manifest.csv"
    assert chapters.why_un_chapter_does_not_apply("", "VNM") == "no UN corpus was given (parameter un_corpus)"
    assert chapters.why_un_chapter_does_not_apply(manifest, "VNM") is None
    assert chapters.why_un_chapter_does_not_apply(manifest, "ARC") == "the UN corpus has no speech by ARC"
    arcadia = ROOT / "data" / "examples" / "arcadia" / "corpus.csv"
    assert chapters.why_un_chapter_does_not_apply(arcadia, "ARC") == "the UN corpus's manifest has no iso3 and year columns"


def test_change_points_near_a_landmark_count_within_two_years_and_none_without_landmarks():
    documents = pd.DataFrame({"doc_id": ["a", "b"], "iso3": ["ARC", "ARC"], "year": [1990, 2000], "tokens": [10, 20]})
    changes = pd.DataFrame({"years_from_landmark": [0, -2, 3, None]})
    values = chapters.un_chapter_values(documents, "ARC", changes, pd.DataFrame({"doc_id": []}), None)
    assert values["n_changes"] == "four" and values["n_changes_near"] == "two"  # in words, as the prose says them
    assert (values["focus_first"], values["focus_last"], values["world_speeches"]) == ("1990", "2000", "(no world reference)")
    assert values["partial_decades"] == "2000"  # 1990-1999 whole; of the 2000s only 2000
    assert values["focus"] == "ARC" and chapters.un_chapter_values(documents, "ARC", changes, pd.DataFrame(), None, "Arcadia")["focus"] == "Arcadia"


def test_the_keyness_chapter_says_its_small_counts_in_words_and_names_documents_by_outlet_and_year():
    documents = pd.DataFrame(
        {"doc_id": ["a1", "a2", "a3"], "outlet": ["Gazette (daily)", "Courier", "Courier"], "published_year": [2001, 2002, 2003], "tokens": [100, 50, 50]}
    )
    keyness = pd.DataFrame(
        {
            "term": ["peace", "era", "trade", "war"],
            "g2": [9.5, 4.0, 1.2, -3.0],
            "target_count": [12, 9, 2, 0],
            "reference_count": [1, 0, 1, 5],
            "significant": [True, False, False, False],
        }
    )
    keyness.attrs.update(n_tested=4, n_dropped=7)
    values = chapters.keyness_chapter_values(documents, keyness, ["a1"], ["a2", "a3"], 3)
    assert (values["n_target"], values["n_reference"], values["target_names"]) == ("one", "two", "Gazette 2001")
    assert values["n_significant_phrase"] == "one term reaches"
    assert (values["top_target"], values["top_reference"], values["era_target"], values["era_reference"]) == ("12 times", "once", "nine times", "never")
    assert values["next_terms"] == "\u201cera\u201d and \u201ctrade\u201d"  # only over-used terms: not "war"
    assert [chapters.significant_terms(n) for n in (0, 1, 2, 12)] == ["no term reaches", "one term reaches", "two terms reach", "12 terms reach"]


def test_precision_values_name_the_weakest_concept_and_split_the_fall_of_independence():
    table = pd.DataFrame(
        {
            "concept": ["a", "b", "c"],
            "n": [30, 30, 20],
            "precision": [1.0, 26 / 30, 0.95],
            "ci_low": [0.884, 0.693, 0.75],
            "may_be_under_threshold": [False, True, True],
        }
    )
    # before: 40 per 10,000 (liberation 30, own 5, other states 5); after: 10 (liberation 3, own 4, other 3)
    senses = pd.DataFrame(
        {
            "own_policy": [20, 16], "national_liberation": [120, 12], "other_states": [20, 12], "all": [160, 40],
            "own_policy_per_10k": [5.0, 4.0], "national_liberation_per_10k": [30.0, 3.0],
            "other_states_per_10k": [5.0, 3.0], "all_per_10k": [40.0, 10.0],
        }
    )  # fmt: skip
    values = chapters.precision_values(table, 2, pd.Series({"b": "Solidarity"}), senses)
    assert (values["lowest_precision_concept"], values["lowest_precision"]) == ("Solidarity", "87")
    assert (values["n_interval_under_80"], values["interval_under_80"]) == ("two", "solidarity and c")
    assert values["n_precision_lines"] == 80 and values["n_precision_dropped"] == "two"
    # 200 matches: own 36 (18 %), liberation 132 (66 %), other states 32 (16 %)
    assert (values["indep_own_pct"], values["indep_liberation_pct"], values["indep_other_states_pct"]) == ("18", "66", "16")
    # the fall of 30 per 10,000, of which liberation's 27: 90 %
    assert values["indep_liberation_share_of_fall"] == "90"
    assert set(values) == set(chapters.PRECISION_KEYS)


def test_the_formulas_read_as_a_list_with_the_original_the_rendering_and_the_source():
    table = pd.DataFrame(
        {
            "year": [1991, 1996],
            "document": ["7th Congress", "8th Congress"],
            "has_source": [True, False],
            "wording_vi": ["là bạn", ""],
            "wording": ["a friend of all countries", ""],
            "rung": ["friends_with_all", ""],
            "citation": ["Văn kiện, p. 147", ""],
            "source_url": ["https://example.org/7", ""],
            "source_note": ["the book's translation", "not found"],
        }
    )
    assert chapters.formulas_as_markdown(table).split("\n") == [
        "- **1991 — 7th Congress.** *là bạn* “a friend of all countries” (highest rung: wants to be a friend of all "
        "countries). Source: Văn kiện, p. 147, <https://example.org/7>. Note: the book's translation.",
        "- **1996 — 8th Congress.** *No wording found.* not found.",
    ]


def test_the_sensitivity_sentence_names_each_changed_measure_with_its_two_values():
    # The book's own table (data/processed/findings_sensitivity.csv at d628a9f), worked by hand.
    from fplang.analysis.findings import sensitivity
    from fplang.book.chapters import sensitivity_changes

    findings = ["international_integration_rate_reference", "new_era_rate_target", "pct_looking_back",
                "top_keyword", "n_significant_keywords"]
    with_all = pd.DataFrame({"finding": findings, "description": ["d"] * 5,
                             "value": [1.9880715705765408, 4.048582995951417, 11.016949152542372, "integration", 0]})
    without = with_all.assign(value=[3.2017075773746, 4.048582995951417, 8.421052631578947, "era", 0])
    words = sensitivity_changes(sensitivity(with_all, without), {"international_integration": "International integration"})
    assert words == (
        "the rate of international integration in the reference documents, from 2.0 to 3.2 per 1,000 tokens; "
        "the share of sentences that speak of a time more than ten years before publication, from 11.0 % to 8.4 %; "
        "and the most over-used term, from \u201cintegration\u201d to \u201cera\u201d"
    )
    unchanged = sensitivity(with_all, with_all)
    assert sensitivity_changes(unchanged, {}) == "none"
    one = sensitivity(with_all, with_all.assign(value=[1.98, 4.05, 11.0, "integration", 3]))
    assert sensitivity_changes(one, {}) == "the number of terms significant after adjustment, from 0 to 3"
