"""Tests for fplang.analysis.formulas: the rungs of the formula ladder, the Congress table, the timeline.

Sentences are copied verbatim from the cleaned texts so these tests do not
depend on the source files: a seed sentence carries its seed and sentence
number, a UN sentence the year of Viet Nam's General Debate statement.  The
expected matches are the phrases read off each sentence by hand.  One test
(marked below) runs over every Viet Nam speech in ../shared; its expected
years come from reading the sentences, not from this module's output.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from fplang.analysis.formula_table import FormulasError, load_formulas, validate_formulas
from fplang.analysis.formulas import (
    StatementTableError,
    congress_and_source_firsts,
    find_formula_statements,
    first_last_by_rung,
    ladder_timeline,
    rungs_ahead_of_congress,
)
from fplang.analysis.rungs import RUNG_IDS, RUNGS, book_lexicon, find_rungs, missing_rung_concepts, rung_table
from fplang.tables import weak_domains_in

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures" / "formulas"
FORMULAS_CSV = HERE.parent / "data" / "formulas.csv"
UNGDC_PARQUET = HERE.parent.parent / "shared" / "data" / "ungdc" / "ungdc_1946_2024.parquet"

# --- real sentences ------------------------------------------------------------

SEED_001_17 = (
    "In the renewal era, Vietnam progressed from aspiring to be a friend, to being ready to be a friend, to "
    "becoming a friend, a trusted partner, and an active, responsible member of the international community; "
    "from economic integration to proactive and comprehensive international integration; from participation "
    "to active contribution, and further to assuming a more core and leading role in multilateral mechanisms."
)
SEED_001_19 = (
    "On this basis, the documents of the 14th National Party Congress emphasize strategic autonomy and "
    "self-reliance as the foundation for deep integration without dependence, and clearly identify the task "
    "of developing external relations in the new era in a manner commensurate with the nation's historical "
    "stature, cultural depth, and international position."
)
SEED_002_12 = (
    "Vietnam's diplomacy has consistently asserted its pioneering role in maintaining a peaceful and stable "
    "environment and mobilising external resources and favourable conditions to serve the two strategic "
    "pillars of national building and defence."
)
SEED_003_1 = (
    "Proactively and actively engage in international economic integration while expanding international "
    "cooperation in other fields."
)
SEED_003_2 = (
    "Vietnam is a friend and reliable partner of all countries in the international community, actively "
    "taking part in international and regional cooperation processes."
)
SEED_004_9 = (
    "According to the documents of the 14th National Party Congress, external relations, together with "
    "national defense and security, are identified as critical and regular tasks and key drivers of national "
    "development in the new era."
)
SEED_004_11 = (
    "Vietnam has elevated the role of foreign affairs to a new level, placing it on par with defense and "
    "security as a core, ongoing mission."
)
CONGRESS_11_WORDING = "a friend, a reliable partner and a responsible member of the international community"

UN = {
    1984: "We wish to entertain friendly relations with all countries and especially with neighbouring States.",
    1991: (
        "From this rostrum, Vietnam once again solemnly declares its intention to extend the hand of friendship "
        "to all countries in the international community and its commitment to work for peace, national "
        "independence and development."
    ),
    1994: (
        "To create a favourable international environment for national construction and development, Vietnam "
        "has been pursuing a foreign policy of openness, diversification, and multilateralization of its "
        "relations, while carrying out our desire to become the friend of all countries in the interest of "
        "peace, independence and development."
    ),
    1995: (
        "That was no coincidence, but was the outcome of a whole process of implementing a foreign policy "
        "inspired by a new spirit, by which Vietnam is willing to be the friend of all nations in the "
        "international community, and to strive for peace, national independence and development."
    ),
    1998: "Thus Vietnam will always be an active member of international and regional organizations.",
    2001: (
        "We will continue to pursue our foreign policy of independence, openness, international economic "
        "integration, friendship and trusted partnership with all countries in the international community in "
        "the endeavour for peace, independence and development."
    ),
    2003: (
        "Vietnam consistently pursues a foreign policy of national independence, self-reliance, openness, "
        "diversification and multilateralization of international relations, and being a friend and reliable "
        "partner in the international community."
    ),
    2004: (
        "In its reform process, Vietnam pursues a foreign policy of openness, independence, sovereignty and the "
        "diversification and multilateralization of relations, and is willing to be a friend to and reliable "
        "partner of all countries striving for independence, peace, development and cooperation."
    ),
    2005: (
        "It is a country that is willing to be a friend and a reliable partner of all countries of the world "
        "community."
    ),
    2007: (
        "Vietnam will always be an active, constructive, cooperative and responsible member of the international "
        "community, living up to the expectations of all Member States."
    ),
    2008: (
        "In its desire to make greater contributions to the maintenance of international peace and security, "
        "Vietnam has participated in the work of the Council as a constructive and responsible member."
    ),
    2011: (
        "We shall enhance international integration and proactively participate in and contribute to regional "
        "and international multilateral forums, such as the United Nations, the Asia-Europe Meeting, the "
        "Asia-Pacific Economic Cooperation, the Non-Aligned Movement and the Group of 77 and China, on solving "
        "global issues of nuclear security, nuclear disarmament, crime prevention, climate change, sustainable "
        "development and cooperation on the Mekong River."
    ),
    2012: (
        "Pursuing the policy of proactive international integration, Vietnam continues to contribute actively to "
        "the work of the United Nations, ASEAN, the Non-Aligned Movement, the International Organization of la "
        "Francophonie and others."
    ),
    2016: "We strive to be a friend, a reliable partner and a responsible member of the international community.",
    2020: (
        "As a reliable partner and an active, responsible member of the international community, Vietnam "
        "attaches importance to the work of the UN and has been expanding our comprehensive cooperation with the "
        "Organization."
    ),
    2021: (
        "As a responsible member, Vietnam is proactive and engages actively in extensive international "
        "integration, while making responsible contributions to the concerted efforts of the international "
        "community."
    ),
    2023: (
        "We remain a friend, a reliable partner and an active, responsible member of the international community "
        "for the peace, cooperation, development and prosperity of all countries worldwide."
    ),
}
UN_2023_PIONEERING = (
    "In that regard, major Powers play a crucial and pioneering role in building trust, promoting sincerity and "
    "upholding responsibility through stronger commitments and more comprehensive support for global development."
)


def stated(text: str) -> dict[str, str]:
    """Rung id -> matched text, for a text stating each rung at most once."""
    matches = find_rungs(text)
    assert len({match.rung for match in matches}) == len(matches), matches
    return {match.rung: match.matched for match in matches}


def first_stated(text: str) -> dict[str, str]:
    """Rung id -> first matched text (a rung may be stated twice)."""
    found: dict[str, str] = {}
    for match in find_rungs(text):
        found.setdefault(match.rung, match.matched)
    return found


# --- the ladder itself -----------------------------------------------------------


def test_rungs_are_ordered_from_one_with_unique_ids():
    assert [rung.order for rung in RUNGS] == list(range(1, len(RUNGS) + 1))
    assert len(set(RUNG_IDS)) == len(RUNGS)
    assert all(rung.label and rung.concepts and rung.note for rung in RUNGS)


def test_every_rung_concept_is_a_concept_of_the_book_lexicon():
    # one source of truth: the ladder has no patterns of its own
    assert missing_rung_concepts(book_lexicon()) == []
    assert [c for rung in RUNGS for c in rung.concepts] == [
        "friend_of_all", "ready_to_be_friend", "friend_and_reliable_partner", "responsible_member",
        "active_responsible_member", "comprehensive_integration", "proactive_integration", "core_leading_role",
        "strategic_autonomy", "key_regular_task",
    ]  # fmt: skip


def test_the_ladder_and_the_concept_counts_find_the_same_phrases_in_the_un_speeches(vnm_un_corpus):
    # chapters 3 and 4 cannot disagree: every rung statement is a concordance line of its concept
    from fplang.analysis.concepts import concordance

    kwic = concordance(vnm_un_corpus.sentences, book_lexicon())
    rung_of = {concept: rung.id for rung in RUNGS for concept in rung.concepts}
    lines = kwic[kwic["concept"].isin(rung_of)]
    from_concepts = sorted(
        {(d, s, rung_of[c]) for d, s, c in zip(lines["doc_id"], lines["sentence_id"], lines["concept"], strict=True)}
    )
    statements = find_formula_statements(vnm_un_corpus.sentences)
    from_ladder = sorted(zip(statements["doc_id"], statements["sentence_id"], statements["rung"], strict=True))
    assert from_ladder == from_concepts


def test_rung_table_lists_the_ladder_in_order():
    table = rung_table()
    assert table["rung"].tolist() == list(RUNG_IDS)
    assert table["order"].tolist() == list(range(1, 10))
    autonomy = table.set_index("rung").loc["strategic_autonomy"]
    assert autonomy["concepts"] == "strategic_autonomy"
    assert autonomy["patterns"].split(" | ")[0] == "strategic autonomy"
    assert table.set_index("rung").at["proactive_integration", "concepts"] == "comprehensive_integration, proactive_integration"


# --- each rung on real sentences ---------------------------------------------------


@pytest.mark.parametrize(
    ("source", "text", "rung", "matched"),
    [
        ("seed 001 s17", SEED_001_17, "friends_with_all", "aspiring to be a friend"),
        ("UN 1991", UN[1991], "friends_with_all", "hand of friendship to all"),
        ("UN 1994", UN[1994], "friends_with_all", "friend of all"),
        ("seed 001 s17", SEED_001_17, "ready_to_be_friend", "ready to be a friend"),
        ("UN 2004", UN[2004], "ready_to_be_friend", "willing to be a friend to and reliable partner"),
        ("UN 2005", UN[2005], "ready_to_be_friend", "willing to be a friend and a reliable partner"),
        ("seed 003 s2", SEED_003_2, "friend_and_reliable_partner", "friend and reliable partner"),
        ("seed 001 s17", SEED_001_17, "friend_and_reliable_partner", "friend, a trusted partner"),
        ("UN 2003", UN[2003], "friend_and_reliable_partner", "friend and reliable partner"),
        ("UN 2001", UN[2001], "friend_and_reliable_partner", "friendship and trusted partnership"),
        (
            "11th Congress",
            CONGRESS_11_WORDING,
            "responsible_member",
            "responsible member of the international community",
        ),
        (
            "seed 001 s17",
            SEED_001_17,
            "active_responsible_member",
            "active, responsible member of the international community",
        ),
        ("UN 2023", UN[2023], "active_responsible_member", "active, responsible member of the international community"),
        (
            "UN 2007",
            UN[2007],
            "active_responsible_member",
            "active, constructive, cooperative and responsible member of the international community",
        ),
        (
            "seed 003 s1",
            SEED_003_1,
            "proactive_integration",
            "Proactively and actively engage in international economic integration",
        ),
        ("seed 001 s17", SEED_001_17, "proactive_integration", "proactive and comprehensive international integration"),
        ("seed 001 s19", SEED_001_19, "proactive_integration", "deep integration"),
        ("UN 2012", UN[2012], "proactive_integration", "proactive international integration"),
        ("seed 001 s17", SEED_001_17, "core_leading_role", "core and leading role"),
        ("seed 001 s19", SEED_001_19, "strategic_autonomy", "strategic autonomy"),
        ("seed 004 s9", SEED_004_9, "key_regular_task", "critical and regular tasks"),
        ("seed 004 s11", SEED_004_11, "key_regular_task", "core, ongoing mission"),
        ("14th Congress", 'foreign affairs a "key and regular" task', "key_regular_task", 'key and regular" task'),
    ],
)
def test_each_rung_matches_its_real_wording(source, text, rung, matched):
    assert first_stated(text).get(rung) == matched, source


def test_seed_001_sequence_states_six_rungs_in_ladder_order():
    # Read by hand: aspiring / ready / friend, trusted partner / active, responsible member /
    # proactive and comprehensive integration / core and leading role.  "responsible member"
    # is inside "active, responsible member" and so is not counted on its own.
    rungs = [match.rung for match in find_rungs(SEED_001_17)]
    assert rungs == [
        "friends_with_all",
        "ready_to_be_friend",
        "friend_and_reliable_partner",
        "active_responsible_member",
        "proactive_integration",
        "core_leading_role",
    ]


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("UN 1984: friendly relations, not the friend formula", UN[1984]),
        ("UN 1998: an active member, not responsible", UN[1998]),
        ("UN 2011: proactively participate, integration named before it", UN[2011]),
        ("UN 2008: a responsible member of the Security Council, no community named", UN[2008]),
        ("seed 002 s12: pioneering role of diplomacy at home", SEED_002_12),
        ("UN 2023: pioneering role of major Powers", UN_2023_PIONEERING),
    ],
)
def test_near_misses_state_no_rung(source, text):
    assert find_rungs(text) == [], source


def test_willing_to_be_the_friend_of_all_is_the_first_rung_not_readiness():
    # UN 1995 echoes the 7th Congress ("a friend of all countries"); no partner, so not the 9th's readiness.
    assert stated(UN[1995]) == {"friends_with_all": "friend of all"}


def test_a_reliable_partner_without_the_friend_is_not_the_friend_and_partner_rung():
    # UN 2020: "As a reliable partner and an active, responsible member ..."
    assert stated(UN[2020]) == {"active_responsible_member": "active, responsible member of the international community"}


# --- the overlap rule -----------------------------------------------------------------


def test_active_responsible_member_is_not_also_counted_as_responsible_member():
    assert stated("an active and responsible member of the international community") == {
        "active_responsible_member": "active and responsible member of the international community"
    }
    assert "responsible_member" not in stated(UN[2023])


def test_a_sentence_states_separate_rungs_when_their_words_are_separate():
    # UN 2016: "a friend, a reliable partner" and, after "and a", "responsible member ...".
    assert stated(UN[2016]) == {
        "friend_and_reliable_partner": "friend, a reliable partner",
        "responsible_member": "responsible member of the international community",
    }
    assert stated(UN[2023]) == {
        "friend_and_reliable_partner": "friend, a reliable partner",
        "active_responsible_member": "active, responsible member of the international community",
    }


def test_readiness_with_the_partner_is_not_also_the_friend_and_partner_rung():
    # 9th Congress (2003 restatement): the whole phrase is the readiness rung.
    assert stated("ready to be a friend and reliable partner") == {
        "ready_to_be_friend": "ready to be a friend and reliable partner"
    }


def test_where_two_rungs_overlap_the_longer_phrase_takes_the_shared_words():
    # the counting engine's rule: "aspiring to be a friend" (5 words) and "friend and reliable
    # partner" (4 words) share "friend"; the longer one wins and a word counts once
    matches = find_rungs("aspiring to be a friend and reliable partner")
    assert [(match.rung, match.start, match.end) for match in matches] == [("friends_with_all", 0, 23)]


def test_responsible_member_without_the_community_is_not_the_formula():
    # UN 2021: "As a responsible member, Vietnam is proactive and engages actively in extensive
    # international integration": no community named, so only the integration rung
    assert stated(UN[2021]) == {
        "proactive_integration": "proactive and engages actively in extensive international integration",
    }


# --- statements from a sentence table -------------------------------------------------


def sentence_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "doc_id": ["un_VNM_2023", "un_VNM_2016", "un_VNM_2016", "seed_001"],
            "sentence_id": [64, 59, 3, 17],
            "text": [UN[2023], UN[2016], "Nothing here.", SEED_001_17],
            "published_year": [2023, 2016, 2016, 2026],
            "spoken_start": [2023, 2016, 2016, 1986],
            "tokens": [1, 2, 3, 4],
        }
    )


def test_statements_are_one_row_per_sentence_and_rung_sorted_by_document_sentence_and_order():
    statements = find_formula_statements(sentence_table())
    assert list(statements.columns) == [
        "doc_id", "sentence_id", "rung", "rung_label", "rung_order", "matched", "match_start", "match_end",
        "text", "published_year", "spoken_start",
    ]  # fmt: skip
    assert list(zip(statements["doc_id"], statements["rung"], strict=True)) == [
        ("seed_001", "friends_with_all"),
        ("seed_001", "ready_to_be_friend"),
        ("seed_001", "friend_and_reliable_partner"),
        ("seed_001", "active_responsible_member"),
        ("seed_001", "proactive_integration"),
        ("seed_001", "core_leading_role"),
        ("un_VNM_2016", "friend_and_reliable_partner"),
        ("un_VNM_2016", "responsible_member"),
        ("un_VNM_2023", "friend_and_reliable_partner"),
        ("un_VNM_2023", "active_responsible_member"),
    ]
    row = statements.iloc[7]
    assert row["text"][row["match_start"] : row["match_end"]] == row["matched"]
    assert row["matched"] == "responsible member of the international community"
    assert statements["spoken_start"].tolist()[:6] == [1986] * 6
    assert "tokens" not in statements.columns


def test_a_rung_stated_twice_in_a_sentence_gives_one_row_with_the_first_match():
    text = "Vietnam pursues strategic autonomy; strategic autonomy is the foundation."
    statements = find_formula_statements(pd.DataFrame({"doc_id": ["d"], "sentence_id": [0], "text": [text]}))
    assert statements[["rung", "match_start"]].values.tolist() == [["strategic_autonomy", 16]]


def test_no_statement_gives_an_empty_frame_with_the_columns():
    sentences = pd.DataFrame({"doc_id": ["d"], "sentence_id": [0], "text": [None], "published_year": [2000]})
    statements = find_formula_statements(sentences)
    assert statements.empty
    assert "published_year" in statements.columns and "rung_order" in statements.columns


def test_statements_need_a_text_column():
    with pytest.raises(StatementTableError, match="missing column.*text"):
        find_formula_statements(pd.DataFrame({"doc_id": ["d"], "sentence_id": [0]}))


def test_statements_are_the_same_whatever_the_input_order():
    table = sentence_table()
    forward = find_formula_statements(table)
    backward = find_formula_statements(table.iloc[::-1].reset_index(drop=True))
    pd.testing.assert_frame_equal(forward, backward)


def test_seed_sentences_speak_of_the_ladder_in_the_periods_attributed(seed_corpus):
    from fplang.periods import attribute_periods, load_periods

    sentences = attribute_periods(seed_corpus.sentences, load_periods(HERE.parent / "data" / "periods.csv"))
    statements = find_formula_statements(sentences)
    sequence = statements[(statements["doc_id"] == "seed_001") & (statements["sentence_id"] == 17)]
    # "In the renewal era" is read as the renewal (1986); the article appeared in 2026.
    assert sequence["spoken_start"].unique().tolist() == [1986]
    assert sequence["published_year"].unique().tolist() == [2026]
    partner = statements[statements["rung"] == "friend_and_reliable_partner"]
    assert sorted(partner["doc_id"]) == ["seed_001", "seed_003"]


# --- first and last years ---------------------------------------------------------------


def test_first_last_by_rung_counts_a_hand_made_table():
    statements = pd.DataFrame(
        {
            "rung": ["friends_with_all"] * 3 + ["responsible_member"] * 2,
            "doc_id": ["a", "b", "b", "c", "d"],
            "published_year": [1994, 1991, 1999, pd.NA, 2008],
            "spoken_start": [1986, 1986, 1986, 1986, 1986],
        }
    )
    summary = first_last_by_rung(statements).set_index("rung")
    assert summary.index.tolist() == list(RUNG_IDS)
    assert summary.loc["friends_with_all", ["first_year", "last_year", "n_statements", "n_documents"]].tolist() == [
        1991, 1999, 3, 2,
    ]  # fmt: skip
    # the undated statement is counted but sets neither end
    assert summary.loc["responsible_member", ["first_year", "last_year", "n_statements", "n_documents"]].tolist() == [
        2008, 2008, 2, 2,
    ]  # fmt: skip
    assert summary.loc["strategic_autonomy", "n_statements"] == 0
    assert pd.isna(summary.loc["strategic_autonomy", "first_year"])
    by_spoken = first_last_by_rung(statements, year_col="spoken_start").set_index("rung")
    assert by_spoken.loc["responsible_member", ["first_year", "last_year"]].tolist() == [1986, 1986]


def test_first_last_by_rung_refuses_an_unknown_rung_and_a_missing_year_column():
    with pytest.raises(StatementTableError, match="unknown rung.*responsible_citizen"):
        first_last_by_rung(pd.DataFrame({"rung": ["responsible_citizen"], "doc_id": ["a"], "published_year": [2000]}))
    with pytest.raises(StatementTableError, match="missing column.*spoken_start"):
        first_last_by_rung(pd.DataFrame({"rung": [], "doc_id": [], "published_year": []}), year_col="spoken_start")


# --- the formulas table -------------------------------------------------------------------


def test_the_shipped_formulas_table_has_a_row_per_congress_and_the_key_resolutions():
    formulas = load_formulas(FORMULAS_CSV)
    assert formulas["congress"].dropna().tolist() == list(range(2, 15))
    outside = formulas.loc[formulas["congress"].isna()].set_index("document_id")["year"].to_dict()
    assert outside == {"hcm_1947": 1947, "politburo_13_1988": 1988, "politburo_22_2013": 2013, "politburo_59_2025": 2025}
    without_source = formulas.loc[~formulas["has_source"], "document_id"].tolist()
    assert without_source == [
        "congress_2", "congress_3", "congress_4", "congress_5", "congress_6", "politburo_13_1988", "congress_8"
    ]
    assert (formulas.loc[~formulas["has_source"], "wording"] == "").all()
    # the highest rung each English rendering states, read by hand from the wordings
    rungs = formulas[formulas["has_source"]].set_index("document_id")["rung"].to_dict()
    assert rungs == {
        "hcm_1947": "friends_with_all",
        "congress_7": "friends_with_all",
        "congress_9": "ready_to_be_friend",
        "congress_10": "proactive_integration",
        "congress_11": "proactive_integration",
        "politburo_22_2013": "",
        "congress_12": "proactive_integration",
        "congress_13": "active_responsible_member",
        "politburo_59_2025": "",
        "congress_14": "key_regular_task",
    }


def test_every_sourced_party_wording_but_two_quotes_the_vietnamese_original():
    formulas = load_formulas(FORMULAS_CSV)
    sourced = formulas[formulas["has_source"]]
    assert sourced.loc[sourced["wording_vi"] == "", "document_id"].tolist() == ["congress_9", "politburo_59_2025"]
    assert "là bạn, đối tác tin cậy và thành viên có trách nhiệm" in sourced.set_index("document_id").at["congress_11", "wording_vi"]
    assert (sourced["citation"] != "").all()


def test_no_formula_or_period_cites_a_weak_source():
    periods = pd.read_csv(HERE.parent / "data" / "periods.csv", dtype=str).fillna("")
    formulas = pd.read_csv(FORMULAS_CSV, dtype=str).fillna("")
    cells = [*periods["source"], *formulas["citation"], *formulas["source_url"], *formulas["source_note"]]
    assert [cell for cell in cells if weak_domains_in(cell)] == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://en.wikipedia.org/wiki/First_Indochina_War", ["wikipedia.org"]),
        ("http://www.self.gutenberg.org/articles/eng/X", ["self.gutenberg.org"]),
        ("https://universalium.enacademic.com/65872/Geneva_Accords", ["enacademic.com"]),
        ("https://historysnacks.io/event/x and https://gcsehistory.com/faq", ["historysnacks.io", "gcsehistory.com"]),
        ("https://vietnamtheartofwar.com/1976/07/02/x", ["vietnamtheartofwar.com"]),
        ("http://chiuychibo.blogspot.com/2019/05", ["blogspot.com"]),
        ("https://notwikipedia.org/x", []),
        ("https://nvsk.vnanet.vn/hop-tac-binh-dang-vi-hoa-binh-1-32290.vna", []),
    ],
)
def test_weak_source_domains_are_recognised_in_a_citation(text, expected):
    assert weak_domains_in(text) == expected


@pytest.mark.parametrize(
    ("fixture", "fragment"),
    [
        ("bad_missing_column_rung.csv", "missing column 'rung'"),
        ("bad_unknown_column.csv", "unknown column 'extra'"),
        ("bad_unknown_rung.csv", "row 1 (line 2), column rung: 'responsible_citizen' is not a rung id"),
        ("bad_wording_does_not_state_its_rung.csv", "column rung: the wording does not state 'responsible_member'"),
        ("bad_rung_not_the_highest_stated.csv", "it also states 'responsible_member'"),
        ("bad_wording_given_without_source.csv", "column wording: given, but has_source is false"),
        ("bad_no_note_for_missing_wording.csv", "column source_note: empty"),
        ("bad_has_source_not_true_or_false.csv", "column has_source: 'yes' is not true or false"),
        ("bad_has_source_true_without_wording.csv", "column wording: empty, but has_source is true"),
        ("bad_year_not_integer.csv", "column year: 'nineteen ninety-one' is not a whole year"),
        ("bad_repeated_congress.csv", "row 2 (line 3), column congress: 7 repeats row 1 (line 2)"),
        ("bad_rows_out_of_order.csv", "column year: 2001 comes after 2006"),
        ("bad_source_url_not_http.csv", "column source_url: 'seed 003' is not an http(s) address"),
        ("bad_weak_source_domain.csv", "column source_url: cites wikipedia.org, which a specialist would not accept"),
        ("bad_citation_missing.csv", "column citation: empty, but has_source is true"),
        ("bad_rung_empty_but_stated.csv", "column rung: empty, but the wording states friends_with_all"),
        ("bad_repeated_document_id.csv", "row 2 (line 3), column document_id: 'politburo_13' repeats row 1"),
    ],
)
def test_a_bad_formulas_table_is_refused_with_file_row_and_column(fixture, fragment):
    with pytest.raises(FormulasError) as raised:
        load_formulas(FIXTURES / fixture)
    assert any(fragment in str(problem) for problem in raised.value.problems), raised.value.problems
    assert all(problem.file == fixture for problem in raised.value.problems)


def test_every_problem_of_a_formulas_table_is_reported_at_once():
    problems = [str(problem) for problem in validate_formulas(FIXTURES / "bad_many_problems.csv")]
    expected = [
        "row 1 (line 2), column congress: 'seventh' is not a Congress ordinal",
        "row 2 (line 3), column rung: the wording does not state 'friend_and_reliable_partner'",
        "row 3 (line 4), column has_source: 'maybe' is not true or false",
        "row 3 (line 4), column congress: 9 repeats row 2 (line 3)",
        "row 3 (line 4), column year: 1996 comes after 2001",
        "row 4 (line 5), column source_url: 'example.org/12' is not an http(s) address",
    ]
    assert len(problems) == len(expected)
    for fragment, problem in zip(expected, problems, strict=True):
        assert fragment in problem
    with pytest.raises(FormulasError, match="6 problems"):
        load_formulas(FIXTURES / "bad_many_problems.csv")


def test_a_missing_formulas_file_is_named():
    with pytest.raises(FormulasError, match="no_such_formulas.csv: file not found"):
        load_formulas(FIXTURES / "no_such_formulas.csv")


def test_a_good_formulas_table_loads_typed():
    formulas = load_formulas(FIXTURES / "good_small.csv")
    assert formulas["congress"].dtype == "Int64" and pd.isna(formulas.loc[0, "congress"])
    assert formulas["year"].tolist() == [1947, 1996, 2011]
    assert formulas["has_source"].tolist() == [True, False, True]
    assert formulas.loc[1, "wording"] == ""


# --- the timeline ---------------------------------------------------------------------------


def test_timeline_sets_congress_wording_seed_claims_and_un_record_side_by_side():
    formulas = load_formulas(FIXTURES / "good_small.csv")
    statements = find_formula_statements(sentence_table())
    seeds = statements[statements["doc_id"].str.startswith("seed")]
    un = statements[statements["doc_id"].str.startswith("un")]
    timeline = ladder_timeline(formulas, seeds, un)
    rows = list(zip(timeline["source"], timeline["year"], timeline["rung"], timeline["doc_id"], strict=True))
    assert rows == [
        ("Party wording", 1947, "friends_with_all", "hcm_1947"),
        # seed 001 published 2026, placed at the renewal it speaks about
        ("seed claim", 1986, "friends_with_all", "seed_001"),
        ("seed claim", 1986, "ready_to_be_friend", "seed_001"),
        ("seed claim", 1986, "friend_and_reliable_partner", "seed_001"),
        ("seed claim", 1986, "active_responsible_member", "seed_001"),
        ("seed claim", 1986, "proactive_integration", "seed_001"),
        ("seed claim", 1986, "core_leading_role", "seed_001"),
        # the 11th Congress's wording states two rungs
        ("Party wording", 2011, "friend_and_reliable_partner", "congress_11"),
        ("Party wording", 2011, "responsible_member", "congress_11"),
        ("UN record", 2016, "friend_and_reliable_partner", "un_VNM_2016"),
        ("UN record", 2016, "responsible_member", "un_VNM_2016"),
        ("UN record", 2023, "friend_and_reliable_partner", "un_VNM_2023"),
        ("UN record", 2023, "active_responsible_member", "un_VNM_2023"),
    ]
    seed_rows = timeline[timeline["source"] == "seed claim"]
    assert seed_rows["published_year"].unique().tolist() == [2026]
    assert timeline.loc[timeline["source"] == "Party wording", "published_year"].isna().all()
    assert timeline.loc[0, "text"] == "Viet Nam wants to be friends with all democratic countries"
    core = seed_rows[seed_rows["rung"] == "core_leading_role"]["text"].item()
    assert core.startswith("…") and "core and leading role" in core and len(core) <= 60 * 2 + 25


def test_a_seed_claim_spanning_several_eras_stands_at_its_publication_year():
    # the same seed 001 sentence, now marked as speaking about 1986-2026 (nine eras):
    # it cannot be dated to 1986, so all six of its rungs stand at 2026, its year of publication
    formulas = load_formulas(FIXTURES / "good_small.csv")
    statements = find_formula_statements(sentence_table().assign(multi_era=True))
    seeds = statements[statements["doc_id"].str.startswith("seed")]
    timeline = ladder_timeline(formulas, seeds)
    seed_rows = timeline[timeline["source"] == "seed claim"]
    assert seed_rows["year"].tolist() == [2026] * 6
    assert seed_rows["note"].str.endswith("(several eras: placed at its publication year)").all()


def test_timeline_without_un_statements_and_with_seeds_lacking_periods():
    formulas = load_formulas(FIXTURES / "good_small.csv")
    statements = find_formula_statements(sentence_table())
    timeline = ladder_timeline(formulas, statements.iloc[0:0])
    assert set(timeline["source"]) == {"Party wording"}
    with pytest.raises(StatementTableError, match="spoken_start"):
        ladder_timeline(formulas, statements.drop(columns="spoken_start"))


# --- the whole UN record of Viet Nam ----------------------------------------------------------


@pytest.fixture(scope="module")
def vnm_un_statements() -> pd.DataFrame:
    from fplang.analysis.world import clean_speeches
    from fplang.corpus.segment import segment_corpus

    assert UNGDC_PARQUET.is_file(), f"the UN General Debate Corpus is missing: {UNGDC_PARQUET}"
    speeches = pd.read_parquet(UNGDC_PARQUET, columns=["iso3", "year", "text"], filters=[("iso3", "==", "VNM")])
    speeches = speeches[speeches["iso3"] == "VNM"].sort_values("year")
    cleaned = pd.Series(
        clean_speeches(speeches["text"].tolist(), workers=1), index=[f"un_VNM_{year}" for year in speeches["year"]]
    )
    sentences = segment_corpus(cleaned)
    sentences["published_year"] = sentences["doc_id"].str[-4:].astype(int)
    return find_formula_statements(sentences)


def test_the_un_record_states_the_rungs_in_the_years_read_by_hand(vnm_un_statements):
    """Every rung statement in Viet Nam's 47 General Debate speeches, 1978-2024.

    How the expected list was made: every cleaned sentence of the speeches
    containing "friend", "partner", "responsible", "integrat", "proactiv",
    "autonom", "core", "leading", "pioneer", "regular" or "routine" was read
    (about 300 sentences), and each self-description was assigned to a rung by
    the rules in the module docstring.  SOURCES.md's five UN quotations are all
    here (1991, 1994, 2003, 2016, 2023).  What the reading found beyond them:
    the friend-of-all formula runs 1991-1999; "friend and reliable partner"
    appears first in 2001 as "friendship and trusted partnership" and in full
    in 2002, a year earlier than SOURCES.md's 2003; "willing to be a friend and
    (a) reliable partner" (2004, 2005) is the 9th Congress's readiness;
    "responsible member of the international community" stands from 2011 (the
    2003 "responsible Member State", the 2008 member of the Security Council and
    the 2021 "as a responsible member" name no community and are not the
    formula); "active ... responsible member of the international community"
    from 2007 - fourteen years before the 13th Congress's wording (2012's "of
    the Organization" and 2014's "of important regional and global
    organizations" are not the formula); 2022's "trusted friend and reliable partner"
    describes the United Nations, not Viet Nam (a known false positive); no
    speech states a core and leading role, strategic autonomy or the key and
    regular task.
    """
    found = sorted(zip(vnm_un_statements["published_year"], vnm_un_statements["rung"], strict=True))
    expected = sorted(
        [(year, "friends_with_all") for year in (1991, 1994, 1995, 1999)]
        + [(year, "ready_to_be_friend") for year in (2004, 2005)]
        + [
            (year, "friend_and_reliable_partner")
            for year in (2001, 2002, 2003, 2006, 2007, 2009, 2011, 2016, 2022, 2023)
        ]
        + [(year, "responsible_member") for year in (2011, 2013, 2016)]
        + [(year, "active_responsible_member") for year in (2007, 2009, 2013, 2018, 2020, 2023)]
        + [(year, "proactive_integration") for year in (2011, 2012, 2021)]
    )
    assert found == expected


def test_the_un_record_first_years_against_sources_md(vnm_un_statements):
    summary = first_last_by_rung(vnm_un_statements).set_index("rung")
    # SOURCES.md: 1991 "extend the hand of friendship to all countries"
    assert summary.loc["friends_with_all", "first_year"] == 1991
    # SOURCES.md names 2003; the 2002 speech already says "a friend and reliable partner of all countries"
    # and 2001 "friendship and trusted partnership with all countries" (both read in the speeches).
    assert summary.loc["friend_and_reliable_partner", "first_year"] == 2001
    # SOURCES.md: 2016 "a friend, a reliable partner and a responsible member"; it is earlier (2003).
    assert summary.loc["responsible_member", "first_year"] <= 2016
    # SOURCES.md: 2023 "an active, responsible member"; first as "active, constructive, cooperative and
    # responsible member" in 2007, as "active and responsible member of the international community" in 2013.
    assert summary.loc["active_responsible_member", ["first_year", "last_year"]].tolist() == [2007, 2023]
    assert summary.loc[["core_leading_role", "strategic_autonomy", "key_regular_task"], "n_statements"].sum() == 0


def test_rungs_ahead_of_congress_compares_first_years_per_rung():
    timeline = pd.DataFrame(
        {
            "source": ["Party wording", "UN record", "UN record", "Party wording", "UN record", "UN record"],
            "year": pd.array([2011, 2003, 2015, 2021, 2022, 1999], dtype="Int64"),
            "rung": [
                "responsible_member", "responsible_member", "responsible_member",
                "active_responsible_member", "active_responsible_member", "friends_with_all",
            ],
        }
    )  # fmt: skip
    # responsible member: UN 2003 < Congress 2011; active: UN 2022 > 2021; friends: no Congress row
    assert rungs_ahead_of_congress(timeline) == ["responsible_member"]
    assert rungs_ahead_of_congress(timeline[timeline["source"] != "UN record"]) == []


def test_only_the_active_and_responsible_member_reaches_the_un_before_the_congress_wording(vnm_un_corpus):
    # Finding 4, worked by hand from data/formulas.csv and the speeches: the 9th Congress (2001,
    # "willing to be a friend and a reliable partner") also states the friend-and-partner rung, which
    # the UN first states in 2001 (after the April Congress); "responsible member of the international
    # community" is the 11th Congress's (2011) and the UN's from 2011; only "an active ... and
    # responsible member of the international community" is at the UN in 2007, 14 years before the
    # 13th Congress (2021).  The 14th Congress's terms never reach the UN (speeches to 2024).
    timeline = ladder_timeline(
        load_formulas(FORMULAS_CSV),
        find_formula_statements(pd.DataFrame(columns=["doc_id", "sentence_id", "text", "spoken_start", "published_year"])),
        find_formula_statements(vnm_un_corpus.sentences),
    )
    firsts = congress_and_source_firsts(timeline)
    assert firsts.loc["friend_and_reliable_partner", ["congress_first", "source_first"]].tolist() == [2001, 2001]
    assert firsts.loc["responsible_member", ["congress_first", "source_first"]].tolist() == [2011, 2011]
    assert firsts.loc["active_responsible_member", ["congress_first", "source_first", "lead_years"]].tolist() == [
        2021, 2007, 14,
    ]  # fmt: skip
    assert rungs_ahead_of_congress(timeline) == ["active_responsible_member"]
    assert firsts.loc[["strategic_autonomy", "key_regular_task"], "source_first"].isna().all()
