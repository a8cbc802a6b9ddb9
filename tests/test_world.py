"""The world chapter: alignment and eras, the mention rule, the genealogy, neighbours, and its committed tables.

Expected values are worked out by hand on sentences written here, or come
from the corpus file itself and from what its authors published (Baturo,
Dasandi & Mikhaylov 2017: "over 7300 country statements from 1970-2014";
the arXiv version: "7,701 English-language country statements from 1970-2016").
"""

from __future__ import annotations

import hashlib
import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import sparse

from conftest import ROOT, SHARED
from fplang.analysis import genealogy, mentions
from fplang.analysis.blocs import WorldInputError, assign_blocs, assign_eras, load_alignment, load_eras
from fplang.analysis.formulas import find_formula_statements
from fplang.analysis.neighbours import similarity_by_decade
from fplang.analysis.rungs import RUNG_IDS
from fplang.analysis.vocabulary import TermMatrix, content_words, term_matrix

WORLD = ROOT / "data" / "world"
TABLES = WORLD / "tables"
PARQUET = SHARED / "data" / "ungdc" / "ungdc_1946_2024.parquet"


# --- alignment and eras ---------------------------------------------------------------


def test_every_committed_membership_has_a_source_and_a_known_bloc():
    alignment = load_alignment(WORLD / "alignment.csv")
    assert set(alignment["bloc"]) == {"nato", "warsaw_pact", "nam"}
    assert alignment["source"].str.len().min() > 20
    # 25 Belgrade participants, 22 Cairo states (the 23 of the source include Angola, then a liberation movement), Viet Nam
    assert len(alignment[alignment["bloc"] == "nam"]) == 48


def _alignment(folder, *memberships: str):
    """An alignment table of the given rows; a row of four fields gets a source; a row of all seven is kept as written."""
    rows = [row if row.count(",") >= 6 else row + "a source of some length here,," for row in memberships]
    path = folder / "alignment.csv"
    path.write_text("iso3,bloc,from_year,to_year,source,source_url,note\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_a_bad_alignment_table_names_each_bad_row(tmp_path):
    bad = _alignment(tmp_path, "THA,seato,1954,,", "usa,nato,1949,,", "FRA,nato,1949,1940,,,")
    with pytest.raises(WorldInputError) as error:
        load_alignment(bad)
    text = str(error.value)
    assert "row 1 (line 2), column bloc: 'seato'" in text
    assert "row 2 (line 3), column iso3: 'usa'" in text
    assert "row 3 (line 4), column to_year: 1940 is before from_year 1949" in text
    assert "row 3 (line 4), column source: every membership needs a source" in text


def test_a_state_in_two_blocs_at_once_is_refused(tmp_path):
    bad = _alignment(tmp_path, "HUN,warsaw_pact,1955,1991,", "HUN,nato,1990,,")
    with pytest.raises(WorldInputError, match=r"HUN is in warsaw_pact \(1955-1991\) and nato \(1990-2100\)"):
        load_alignment(bad)


def test_blocs_follow_the_years_of_membership():
    alignment = load_alignment(WORLD / "alignment.csv")
    speeches = pd.DataFrame(
        {"iso3": ["HUN", "HUN", "CHN", "CUB", "ALB", "ALB"], "year": [1960, 2000, 1980, 1980, 1960, 1970]}
    )
    assert assign_blocs(speeches, alignment).tolist() == ["warsaw_pact", "nato", "other", "nam", "warsaw_pact", "other"]


def test_eras_cover_every_debate_year_once_and_place_the_boundary_years():
    eras = load_eras(WORLD / "eras.csv")
    years = pd.Series(range(1946, 2025))
    assigned = assign_eras(years, eras)
    assert assigned.notna().all()
    assert dict(
        zip(
            [1953, 1954, 1964, 1965, 1975, 1978, 1979, 1991, 1992],
            assigned[years.isin([1953, 1954, 1964, 1965, 1975, 1978, 1979, 1991, 1992])],
            strict=True,
        )
    ) == {
        1953: "french_war",
        1954: "geneva_partition",
        1964: "geneva_partition",
        1965: "american_war",
        1975: "after_1975",
        1978: "after_1975",
        1979: "cambodian_conflict",
        1991: "cambodian_conflict",
        1992: "normalisation",
    }


def test_eras_with_a_gap_are_refused(tmp_path):
    bad = tmp_path / "eras.csv"
    bad.write_text(
        "era_id,label,first_year,last_year,begins,source,source_url\n"
        "a,A,1946,1953,x,a source,\n"
        "b,B,1955,1960,x,a source,\n",
        encoding="utf-8",
    )
    with pytest.raises(WorldInputError, match=r"era 'b' starts in 1955, but the era before it ends in 1953"):
        load_eras(bad)


# --- the mention rule -------------------------------------------------------------------


def _sentences(*texts: str) -> pd.DataFrame:
    return pd.DataFrame({"doc_id": "d", "sentence_id": range(len(texts)), "text": list(texts)})


def test_mentions_count_names_places_and_unnarrowed_indochina():
    found = mentions.find_mentions(
        _sentences(
            "The war in Indo-China must end, and the Viet-Nam question with it.",  # 2: indochina, viet_nam
            "In Indo-China, and in Cambodia above all, the fighting goes on.",  # 0: narrowed to Cambodia
            "The Vietnamese people and the Viet Cong; Hanoi, Saigon and Dienbienphu.",  # 5
            "Vietnamization failed; the Democratic Republic of Viet Nam stands.",  # 2
            "A vietnamesque style of nothing; the Annamite range.",  # 0: not names
        )
    )
    assert found.groupby("sentence_id").size().to_dict() == {0: 2, 2: 5, 3: 2}
    assert found["term"].tolist() == [
        "indochina",
        "viet_nam",
        "vietnamese",
        "viet_cong",
        "hanoi",
        "saigon",
        "dien_bien_phu",
        "vietnamization",
        "viet_nam",
    ]
    assert found.loc[found["term"] == "dien_bien_phu", "tier"].item() == "place"


def test_a_name_broken_across_a_line_is_still_a_mention():
    found = mentions.find_mentions(_sentences("the people of Viet-\nNam and of South\nViet Nam"))
    assert found["matched"].tolist() == ["Viet-\nNam", "Viet Nam"]


def test_states_named_tells_the_two_republics_the_prg_and_the_socialist_republic_apart():
    assert mentions.states_named("the Democratic Republic of Viet-Nam and the Republic of Viet-Nam") == "drv;rvn"
    assert mentions.states_named("the Provisional Revolutionary Government of the Republic of South Viet-Nam") == "prg"
    assert mentions.states_named("the Socialist Republic of Viet Nam") == "srv"
    assert mentions.states_named("Viet Nam") == ""


def test_collocate_windows_count_each_position_once_and_skip_the_mentions():
    text = "a b c Viet Nam d e f Hanoi g h"
    spans = [(6, 14), (21, 26)]  # "Viet Nam", "Hanoi"
    counted = mentions.collocate_window_counts(text, spans, window=2)
    # around Viet Nam: b c | d e ; around Hanoi: e f | g h; e is counted once
    assert counted == {"b": 1, "c": 1, "d": 1, "e": 1, "f": 1, "g": 1, "h": 1}


def test_kwic_cuts_at_words_and_marks_the_cut():
    left, keyword, right = mentions.kwic("one two three four Viet Nam five six seven", 19, 27, width=10)
    assert (left, keyword, right) == ("\u2026three four", "Viet Nam", "five six\u2026")


# --- the genealogy ------------------------------------------------------------------------


GENEALOGY_SENTENCES = (
    "China has opted for the path of peaceful development.",
    "An irresponsible majority voted it down.",
    "Viet Nam pursues multilateralization and diversification of relations.",
    "Viet Nam will be an active and responsible member of the international community.",
    "We build a community with a shared future for mankind through win-win cooperation.",
    "Viet Nam is a responsible Member State of the United Nations.",
    "Viet Nam is ready to be a friend and a reliable partner of all countries.",
    "We must reduce dependence on imported fuel.",
    "Our economy is now deeply integrated with the region.",
    "Europe needs strategic autonomy; a strategically autonomous Union.",
)


def test_formula_uses_find_the_rungs_through_the_lexicon_and_the_others_by_their_patterns():
    uses = genealogy.find_formula_uses(_sentences(*GENEALOGY_SENTENCES))
    assert list(zip(uses["sentence_id"], uses["formula"], uses["matched"], strict=True)) == [
        (0, "peaceful_development_path", "path of peaceful development"),
        (2, "multilateralisation_diversification", "multilateralization and diversification"),
        # the longest phrase wins: the contained 'responsible member' does not count again
        (3, "active_responsible_member", "active and responsible member of the international community"),
        (4, "shared_future", "community with a shared future"),
        (4, "win_win_cooperation", "win-win cooperation"),
        # 5: 'a responsible Member State' names no community, so it is no rung (issue 12)
        # 6: the ready-to-be-a-friend phrase owns the friend-and-partner phrase inside it
        (6, "ready_to_be_friend", "ready to be a friend and a reliable partner"),
        # the lexicon's concept is wider than the term: its row, not the term's, finds the gloss
        (7, "strategic_autonomy_concept", "reduce dependence"),
        (8, "proactive_integration", "deeply integrated"),  # comprehensive_integration's "deeply integrat*"
        (9, "strategic_autonomy", "strategic autonomy"),  # the term's own words, the first of two in the sentence
        (9, "strategic_autonomy_concept", "strategic autonomy"),
    ]
    sixth = uses[uses["sentence_id"] == 6].iloc[0]
    assert (sixth["start"], sixth["end"]) == (12, 12 + len("ready to be a friend and a reliable partner"))


def test_the_genealogy_finds_the_rungs_exactly_where_the_ladder_does():
    sentences = _sentences(*GENEALOGY_SENTENCES)
    uses = genealogy.find_formula_uses(sentences)
    rung_of = {formula.id: formula.rung for formula in genealogy.FORMULAS if formula.rung}
    assert set(rung_of.values()) == set(RUNG_IDS)  # every rung is followed, strategic autonomy as its concept row
    rungs = uses[uses["formula"].isin(rung_of)].assign(formula=lambda frame: frame["formula"].map(rung_of))
    statements = find_formula_statements(sentences)
    assert list(zip(rungs["sentence_id"], rungs["formula"], rungs["start"], rungs["end"], strict=True)) == list(
        zip(
            statements["sentence_id"],
            statements["rung"],
            statements["match_start"],
            statements["match_end"],
            strict=True,
        )
    )


def test_the_rung_gate_passes_every_sentence_that_states_a_rung_and_few_others():
    stating = set(find_formula_statements(_sentences(*GENEALOGY_SENTENCES))["sentence_id"])
    assert stating == {3, 6, 7, 8, 9}
    assert all(genealogy.may_state_rung(GENEALOGY_SENTENCES[i]) for i in stating)
    # "deeply integrated": the gate finds the key "integrate" there and must still try "integrat*"'s patterns
    assert genealogy.may_state_rung("DEEPLY INTEGRATED")
    assert not genealogy.may_state_rung(GENEALOGY_SENTENCES[1])  # 'irresponsible', but no 'member'
    assert not genealogy.may_state_rung("The member states of the international community met.")


def test_a_rungs_patterns_in_the_formula_table_are_its_lexicon_concepts():
    table = genealogy.formula_table().set_index("formula")
    assert table.loc["responsible_member", "patterns"] == (
        "responsible member* of the international community | responsible member* in the international community"
        " | responsible member* of the world community"
    )
    assert table.loc["win_win_cooperation", "patterns"] == r"\bwin[\s-]*win\s+co-?operation\b"
    # strategic autonomy across states: the term's own words; the concept row keeps the lexicon's, gloss and all
    assert "dependence" not in table.loc["strategic_autonomy", "patterns"]
    assert "reduce dependence" in table.loc["strategic_autonomy_concept", "patterns"]
    assert table.loc["strategic_autonomy_concept", "family"] == genealogy.FAMILIES["concept"]


def test_genealogy_standings_and_their_chance_baselines_by_hand():
    def first(formula, years):
        return pd.DataFrame(
            {"formula": formula, "iso3": list(years), "first_year": list(years.values()), "n_speeches": 1}
        )

    twenty = {f"S{i:02d}": 1990 + i for i in range(20)} | {"VNM": 1991}  # 21 states; Viet Nam ties second
    ten = {f"S{i:02d}": 1990 + i for i in range(9)} | {"VNM": 1991}  # 10 states: the first tenth is one state
    eleven = {f"S{i:02d}": 1990 + i for i in range(10)} | {"VNM": 1992}  # 11: two; Viet Nam third
    table = pd.concat(
        [
            first("friends_with_all", twenty),
            first("ready_to_be_friend", ten),
            first("responsible_member", eleven),
            first("multilateralisation_diversification", {"VNM": 1994}),
            first("shared_future", {"CHN": 2015, "LAO": 2018}),
            first("strategic_autonomy", {"ESP": 2021, "VNM": 2026, "GRC": 2021}),
        ]
    )
    summary = genealogy.genealogy_summary(table, "VNM").set_index("formula")
    assert summary.loc["friends_with_all", ["standing", "focus_rank", "early_cutoff"]].tolist() == ["early", 2, 3]
    assert summary.loc["friends_with_all", "chance_first"] == pytest.approx(1 / 21)
    assert summary.loc["friends_with_all", "chance_early"] == pytest.approx(math.ceil(2.1) / 21)
    assert summary.loc["multilateralisation_diversification", "standing"] == "only"
    assert summary.loc["shared_future", "standing"] == "never"
    # 3rd of 3 and 2nd of 10: the first tenth is the first state alone, so neither early nor late can be said
    assert summary.loc["strategic_autonomy", ["standing", "focus_rank", "early_cutoff"]].tolist() == ["too_few", 3, 1]
    assert summary.loc["ready_to_be_friend", ["standing", "focus_rank", "early_cutoff"]].tolist() == ["too_few", 2, 1]
    assert summary.loc["responsible_member", ["standing", "focus_rank", "early_cutoff"]].tolist() == ["late", 3, 2]
    assert summary.loc["core_leading_role", "standing"] == "unused"


def test_first_uses_take_the_earliest_speech_and_count_speeches():
    uses = pd.DataFrame(
        {
            "doc_id": ["A_2000", "A_1999", "A_1999", "B_2005"],
            "sentence_id": [3, 9, 4, 1],
            "formula": "win_win_cooperation",
            "matched": "",
            "start": 0,
            "end": 1,
        }
    )
    speeches = pd.DataFrame(
        {"doc_id": ["A_1999", "A_2000", "B_2005"], "iso3": ["A", "A", "B"], "year": [1999, 2000, 2005]}
    )
    first = genealogy.first_uses(uses, speeches)
    assert first[["iso3", "first_year", "n_speeches", "first_sentence_id"]].values.tolist() == [
        ["A", 1999, 2, 4],
        ["B", 2005, 1, 1],
    ]


# --- neighbours --------------------------------------------------------------------------


def test_a_state_with_the_focus_states_words_is_nearest_and_one_with_none_is_furthest():
    counts = [
        {"peace": 3, "independence": 2, "cooperation": 1},  # VNM
        {"peace": 3, "independence": 2, "cooperation": 1},  # LAO: the same profile
        {"climate": 4, "islands": 2, "cooperation": 1},  # FJI
        {"climate": 1, "islands": 5},  # TUV: no word in common
    ] + [{"peace": 1, "independence": 1, "cooperation": 1, "climate": 1, "islands": 1}] * 3
    matrix = term_matrix(counts, [f"d{i}" for i in range(7)])
    speeches = pd.DataFrame({"iso3": ["VNM", "LAO", "FJI", "TUV", "AAA", "BBB", "CCC"], "year": 1985})
    table = similarity_by_decade(matrix, speeches, "VNM", min_states=2).set_index("iso3")
    assert table.loc["LAO", "cosine"] == pytest.approx(1.0)
    assert table.loc["LAO", "rank"] == 1
    assert table.loc["TUV", "cosine"] == pytest.approx(0.0)
    assert table.loc["TUV", "rank"] == 6


def test_content_words_drop_function_words_numbers_and_short_tokens():
    terms = np.array(["the", "peace", "1954", "nation's", "un", "viet", "vietnam"], dtype=object)
    assert content_words(terms).tolist() == [False, True, False, False, False, True, True]


def test_term_matrix_keeps_documents_in_order_and_sums_counts():
    matrix = term_matrix([{"a": 2, "b": 1}, {"b": 3}], ["x", "y"])
    assert isinstance(matrix, TermMatrix) and matrix.terms.tolist() == ["a", "b"]
    assert matrix.counts.toarray().tolist() == [[2, 1], [0, 3]]
    assert sparse.isspmatrix_csr(matrix.counts)


# --- the committed tables ------------------------------------------------------------------


def test_speeches_per_session_equal_the_corpus_file_and_its_authors_totals():
    sessions = pd.read_csv(TABLES / "sessions.csv")
    assert PARQUET.is_file(), f"the UN General Debate Corpus is expected at {PARQUET}"
    corpus = pd.read_parquet(PARQUET, columns=["session", "year"]).groupby(["session", "year"]).size()
    assert (
        dict(zip(zip(sessions["session"], sessions["year"], strict=True), sessions["speeches"], strict=True))
        == corpus.to_dict()
    )
    assert len(sessions) == 79 and sessions["speeches"].sum() == 10_952
    in_years = lambda first, last: sessions.loc[sessions["year"].between(first, last), "speeches"].sum()  # noqa: E731
    assert in_years(1970, 2016) == 7_701  # "7,701 English-language country statements from 1970-2016"
    assert 7_300 < in_years(1970, 2014) < 7_400  # "over 7300 country statements from 1970-2014"


def test_the_sidecar_records_every_table_and_input_as_it_is():
    from fplang.analysis.world_tables import REGENERATE_COMMAND, rules_sha256

    sidecar = json.loads((TABLES / "world.json").read_text(encoding="utf-8"))
    assert sidecar["command"] == REGENERATE_COMMAND
    for name, digest in sidecar["files_sha256"].items():
        assert hashlib.sha256((TABLES / name).read_bytes()).hexdigest() == digest, name
    assert sorted(p.name for p in TABLES.iterdir()) == sorted([*sidecar["files_sha256"], "world.json"])
    for name in ("alignment.csv", "eras.csv"):
        assert hashlib.sha256((WORLD / name).read_bytes()).hexdigest() == sidecar["inputs_sha256"][name], (
            f"{name} changed since the tables were computed: run `{REGENERATE_COMMAND}`"
        )
    assert sidecar["inputs_sha256"]["rules"] == rules_sha256(), f"the rules changed: run `{REGENERATE_COMMAND}`"


def test_every_sampled_mention_is_labelled_and_every_first_use_is_read():
    from fplang.analysis.genealogy_views import concept_reach, reading_check
    from fplang.analysis.world_views import load_world, precision_table

    world = load_world(TABLES)
    precision = precision_table(world["precision_sample"], pd.read_csv(WORLD / "mention_labels.csv"))
    assert precision["labelled"].sum() == len(world["precision_sample"])
    read = pd.read_csv(WORLD / "first_use_readings.csv", keep_default_na=False)
    readings = reading_check(world, read)
    assert len(readings) > 0 and readings["Reading"].str.len().min() > 0
    reach = concept_reach(world, read)  # every state's first match of the wide concept was read
    assert reach["concept_states"] == reach["own_word_states"] + reach["concept_gloss_firsts"]


def test_a_concepts_reach_beyond_the_terms_own_words_by_hand():
    from fplang.analysis.genealogy_views import concept_reach
    from fplang.analysis.world_views import WorldData

    def use(formula, iso3, year):
        return {"formula": formula, "iso3": iso3, "first_year": year}

    first = pd.DataFrame(
        [
            use("strategic_autonomy_concept", "FJI", 1979),  # 'reduce dependence' on oil
            use("strategic_autonomy_concept", "ZMB", 2006),  # on aid
            use("strategic_autonomy_concept", "EU", 2020),  # 'strategically autonomous'
            use("strategic_autonomy_concept", "RUS", 2021),  # quoting Europe
            use("strategic_autonomy", "EU", 2020),
            use("strategic_autonomy", "RUS", 2021),
        ]
    )
    world = WorldData({"formula_first_uses": first}, pd.DataFrame())
    readings = pd.DataFrame(
        [
            ("strategic_autonomy_concept", "FJI", 1979, "other sense"),
            ("strategic_autonomy_concept", "ZMB", 2006, "other sense"),
            ("strategic_autonomy_concept", "EU", 2020, "formula"),
            ("strategic_autonomy_concept", "RUS", 2021, "other sense"),
        ],
        columns=["formula", "iso3", "year", "reading"],
    )
    from fplang.analysis.genealogy_views import CONCEPT_REACH_KEYS
    from fplang.analysis.world_views import FACT_KEYS

    assert set(CONCEPT_REACH_KEYS) <= set(FACT_KEYS)  # a chapter that does not apply glues them as n/a
    assert concept_reach(world, readings) == {
        "concept_states": 4,
        "own_word_states": 2,
        "concept_gloss_firsts": 2,
        "concept_other_sense": 3,
        "concept_gloss_other_sense": 2,  # Russia's quotation is another sense, but not the gloss
        "concept_first_year": "1979",  # glued as a year, not "1,979"
        "concept_speakers": "three states and the EU",  # the EU is not a state
        "own_word_speakers": "one state and the EU",
    }
    with pytest.raises(ValueError, match="concept matches not read: strategic_autonomy_concept ZMB 2006"):
        concept_reach(world, readings.drop(index=1))


@pytest.mark.slow
def test_the_committed_tables_are_what_the_full_corpus_gives():
    """Regenerate every table from ../shared and compare (floats to 1e-4, everything else exactly)."""
    from fplang.analysis.world_tables import compute_world_tables

    assert PARQUET.is_file(), f"the UN General Debate Corpus is expected at {PARQUET}"
    result = compute_world_tables(PARQUET.parent, workers=2)
    for name, frame in result.tables.items():
        committed = pd.read_csv(TABLES / f"{name}.csv", keep_default_na=False, na_values=[""])
        fresh = pd.read_csv(pd.io.common.StringIO(frame.to_csv(index=False)), keep_default_na=False, na_values=[""])
        pd.testing.assert_frame_equal(fresh, committed, check_dtype=False, rtol=1e-4, atol=1e-6, obj=name)


def test_the_gated_search_keeps_every_sentence_a_full_search_keeps():
    """Windows around gate words must never lose a match, however the gate words crowd or spread."""
    from fplang.analysis.world_tables import _gated_patterns, _matches_any

    filler = "words of no interest " * 40
    texts = [
        filler + "a path of peaceful development " + filler,
        "win " * 50 + filler + "through win-win cooperation",  # the match far after the first gate
        filler + "the war in Indo-China",
        filler + "peaceful coexistence in the region",  # gate word present, no match
        filler + "Ha-noi and Sai gon",
    ]
    for text in texts:
        assert _matches_any(text) == any(pattern.search(text) for _, pattern in _gated_patterns()), text[-60:]


def test_the_digest_keeps_the_sentences_that_state_a_rung_and_leaves_out_the_rest():
    from fplang.analysis.world_tables import digest_cleaned

    text = (
        "We thank the President. Viet Nam is a friend and a reliable partner of all countries. "
        "Partners and friends met. We are a responsible Member State."
    )
    assert [number for number, _ in digest_cleaned(text).sentences] == [1]


def test_the_genealogy_table_gives_a_chance_only_where_there_is_a_place_to_weigh():
    from fplang.analysis.genealogy_views import genealogy_table
    from fplang.analysis.world_views import load_world

    table = genealogy_table(load_world(TABLES)).set_index("Formula")["Chance of first / early"]
    # 57 states said it: 1/57 = 1.8 % first; the first tenth is 6 states, 6/57 = 10.5 % early.
    assert table["Wants to be a friend of all countries"] == "2\u00a0% / 11\u00a0%"  # no-break spaces
    # three states: the first tenth rounds up to one state, so early means first.
    assert table["An active and responsible member of the international community"] == "33\u00a0% / same"
    assert table["A friend and reliable partner"] == ""  # Viet Nam alone: a certain first, nothing to weigh
    assert table["Strategic autonomy"] == ""  # Viet Nam never said it


def _toy_world():
    """Twelve states say "a friend of all countries"; Viet Nam's first speech is of 1978, its first use 1985."""
    from fplang.analysis.world_views import WorldData

    years = {"YUG": 1952, "AUS": 1956, "FRA": 1980, "GBR": 1984, "NZL": 1985, "VNM": 1985}
    years |= {f"S{i}": 1989 + i for i in range(1, 7)}
    first = pd.DataFrame(
        {"formula": "friends_with_all", "iso3": list(years), "first_year": list(years.values()), "n_speeches": 1}
    )
    speeches = pd.DataFrame(
        {
            "doc_id": [f"{iso3}_{year}" for iso3, year in years.items()] + ["VNM_1978"],
            "iso3": [*years, "VNM"],
            "year": [*years.values(), 1978],
            "country": ["Yugoslavia", "Australia", "France", "United Kingdom", "New Zealand", "Viet Nam"]
            + [f"State {i}" for i in range(1, 7)]
            + ["Viet Nam"],
        }
    )
    tables = {"formula_first_uses": first, "genealogy": genealogy.genealogy_summary(first), "speeches": speeches}
    return WorldData(tables=tables, eras=pd.DataFrame({"era_id": [], "label": []}))


def test_the_standing_checks_recount_the_place_by_hand():
    from fplang.analysis.genealogy_views import robustness_facts, standing_robustness

    readings = pd.DataFrame(
        {"formula": ["friends_with_all"], "iso3": ["YUG"], "year": [1952], "reading": ["other sense"], "note": [""]}
    )
    row = standing_robustness(_toy_world(), readings).iloc[0]
    # all 12: four states before 1985 (New Zealand's same-year use ties, it does not count), so 5th;
    # the first tenth is ⌈1.2⌉ = 2 states, so late.
    assert (row["place"], row["n_states"], row["standing"]) == (5, 12, "late")
    # without Yugoslavia's other-sense match: 4th of 11, ⌈1.1⌉ = 2, still late.
    assert (row["place_read"], row["n_read"], row["standing_read"], row["dropped"]) == (4, 11, "late", "Yugoslavia")
    # from Viet Nam's first speech (1978): France, Britain, New Zealand, Viet Nam and six more = 10 states;
    # France and Britain before it, so 3rd of 10; the first tenth is one state, so too few to say; chance 1/10.
    assert (row["seat_year"], row["place_present"], row["n_present"]) == (1978, 3, 10)
    assert row["standing_present"] == "too_few"
    assert row["chance_first_present"] == pytest.approx(0.1)
    assert row["chance_early_present"] == pytest.approx(0.1)
    facts = robustness_facts(standing_robustness(_toy_world(), readings))
    assert facts["seat_year"] == "1978"
    assert facts["robust_n_late_present"] == "no formula"  # too few to say, not late, from 1978
    assert facts["robust_summary"].startswith(
        "change the standing of \u201cwants to be a friend of all countries\u201d"
    )


def test_states_are_named_as_the_seat_holder_was_then():
    from fplang.analysis.world_views import common_name

    world = _toy_world()
    assert common_name(world, "CHN", 1954) == "the Republic of China"
    assert common_name(world, "CHN", 1972) != "the Republic of China"
    assert common_name(world, "KHM", 1980) == "Democratic Kampuchea"
    assert common_name(world, "KHM", 1975) != "Democratic Kampuchea"
    assert common_name(world, "UKR", 1970) == "the Ukrainian SSR"
    assert common_name(world, "BLR", 1970) == "the Byelorussian SSR"
    assert common_name(world, "RUS", 1980) == "the USSR"
    assert common_name(world, "RUS", 2000) == "Russia"
    assert common_name(world, "RUS") == "USSR / Russia"


def test_the_committed_standings_survive_both_checks():
    """The chapter's headline numbers, on the committed tables: the figures the report quotes."""
    from fplang.analysis.genealogy_views import standing_robustness
    from fplang.analysis.world_views import load_world

    readings = pd.read_csv(WORLD / "first_use_readings.csv", keep_default_na=False)
    table = standing_robustness(load_world(TABLES), readings).set_index("formula")
    friend = table.loc["friends_with_all"]
    assert (friend["place"], friend["n_states"]) == (29, 57)
    assert (friend["place_read"], friend["n_read"], friend["standing_read"]) == (28, 56, "late")
    assert (friend["seat_year"], friend["place_present"], friend["n_present"]) == (1978, 12, 40)
    assert (table["standing_present"] == table["standing"]).all()


def test_the_neighbours_table_names_states_as_their_seats_were_held_at_the_decades_end():
    from fplang.analysis.world_views import load_world, neighbour_table

    lines = neighbour_table(load_world(TABLES)).set_index("Decade")["Nearest states (cosine)"]
    assert lines["1980s"].startswith("Laos (0.64), ")
    assert "the Ukrainian SSR (0.50)" in lines["1980s"] and "the USSR (0.49)" in lines["1980s"]
    assert "Ukraine (0.47)" in lines["1990s"]  # renamed in 1991
    assert ", The " not in "".join(lines)  # only a line's first name takes a capital
