"""Tests for fplang.counting.lexicon: the file format, its validation and the pattern language."""

from __future__ import annotations

from pathlib import Path

import pytest

from fplang.counting.lexicon import (
    LexiconError,
    PatternWord,
    load_lexicon,
    normalize_token,
    parse_lexicon,
    parse_pattern,
    validate_lexicon,
)

TESTS = Path(__file__).resolve().parent
FIXTURES = TESTS / "fixtures" / "lexicon"
SHIPPED_LEXICON = TESTS.parent / "data" / "lexicon.yml"


def test_good_fixture_loads_with_concepts_in_file_order():
    lexicon = load_lexicon(FIXTURES / "good.yml")
    assert lexicon.concept_keys == [
        "active_responsible_member",
        "responsible_member",
        "strategic_autonomy",
    ]
    assert lexicon.version == 1
    assert lexicon.source == "good.yml"
    assert lexicon.concepts[0].note == "Owns the whole phrase."
    assert lexicon.concepts[1].note is None
    assert [p.text for p in lexicon.patterns][-3:] == [
        "strategic autonomy",
        "self-relian*",
        "Viet Nam’s own strength",
    ]


def test_pattern_words_are_lower_cased_split_at_hyphens_and_globbed():
    assert parse_pattern("Self-Relian*") == (
        PatternWord("self", is_glob=False),
        PatternWord("relian", is_glob=True),
    )


def test_pattern_curly_apostrophe_is_read_as_straight():
    assert parse_pattern("Nam’s") == (PatternWord("nam's", False),)


def test_pattern_is_written_as_cleaning_writes_the_text():
    """"Viet Nam" becomes one token in the text (rule viet_nam_one_token), so in a pattern too."""
    assert parse_pattern("Viet Nam’s") == (PatternWord("vietnam's", False),)
    assert parse_pattern("viet nam") == parse_pattern("VIET-NAM") == (PatternWord("vietnam", False),)


def test_pattern_commas_and_dashes_separate_words_like_spaces():
    expected = parse_pattern("peace cooperation and development")
    assert parse_pattern("peace, cooperation and development") == expected
    assert parse_pattern("peace\u2014cooperation  and - development") == expected


def test_exact_word_matches_itself_and_its_possessive_only():
    nation = PatternWord("nation", is_glob=False)
    assert nation.matches("nation")
    assert nation.matches("nation's")
    assert not nation.matches("nations")
    assert not nation.matches("national")
    assert not nation.matches("nation's's")


def test_glob_word_matches_any_continuation_including_none():
    colonial = PatternWord("colonial", is_glob=True)
    assert colonial.matches("colonial")
    assert colonial.matches("colonialism")
    assert colonial.matches("colonialists'")
    assert not colonial.matches("colony")
    assert not colonial.matches("decolonial")


def test_normalize_token_lowers_and_straightens_apostrophes():
    assert normalize_token("NAM\u2019S") == "nam's"


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        (
            "bad_not_a_mapping.yml",
            "bad_not_a_mapping.yml: must be a mapping with 'version' and 'concepts', "
            "but it is a list",
        ),
        ("bad_missing_version.yml", "bad_missing_version.yml: 'version' is missing"),
        ("bad_unsupported_version.yml", "bad_unsupported_version.yml: version 2 is not supported"),
        ("bad_no_patterns.yml", "bad_no_patterns.yml, concept 'peace': has no patterns"),
        ("bad_empty_pattern.yml", "bad_empty_pattern.yml, concept 'peace', pattern 2: '' is empty"),
        (
            "bad_star_inside_word.yml",
            "concept 'self_reliance', pattern 1: 'self-rel*ance' has '*' inside 'rel*ance'",
        ),
        ("bad_lone_star.yml", "concept 'new_era', pattern 1: 'new *' has a lone '*'"),
        (
            "bad_unbalanced_quote.yml",
            "pattern 1: '\"new era' has the quote or bracket character '\"'",
        ),
        (
            "bad_unbalanced_bracket.yml",
            "pattern 1: '(peace' has the quote or bracket character '('",
        ),
        (
            "bad_full_stop_in_pattern.yml",
            "pattern 1: 'U.N. Charter' has '.' in 'U.N.', which no token can contain",
        ),
        (
            "bad_duplicate_pattern_across_concepts.yml",
            "concept 'friendship_formula', pattern 2: 'Responsible  member' duplicates "
            "concept 'responsible_member', pattern 1",
        ),
        ("bad_missing_label_and_family.yml", "concept 'peace': 'label' is missing"),
        ("bad_missing_label_and_family.yml", "concept 'peace': 'family' is missing"),
        ("bad_unknown_keys.yml", "bad_unknown_keys.yml: unknown key 'authors'"),
        ("bad_unknown_keys.yml", "concept 'peace': unknown key 'colour'"),
        ("bad_yaml_syntax.yml", "bad_yaml_syntax.yml, line 6, column 1: is not valid YAML"),
    ],
)
def test_bad_fixture_is_rejected_with_a_message_naming_the_place(file_name, expected):
    problems = [str(problem) for problem in validate_lexicon(FIXTURES / file_name)]
    assert any(expected in problem for problem in problems), problems
    with pytest.raises(LexiconError) as raised:
        load_lexicon(FIXTURES / file_name)
    assert expected in str(raised.value)


def test_every_problem_in_a_file_is_reported_at_once():
    problems = [str(problem) for problem in validate_lexicon(FIXTURES / "bad_many_problems.yml")]
    assert len(problems) == 6
    assert (
        problems[0]
        == "bad_many_problems.yml: version 3 is not supported (this fplang reads version 1)"
    )
    assert "concept 'peace', pattern 2: '' is empty" in problems[1]
    assert "concept 'peace', pattern 3: 'peace*ful' has '*' inside" in problems[2]
    assert "concept 'Bad-Key': the key must be snake_case" in problems[3]
    assert "concept 'empty_concept': has no patterns" in problems[4]
    assert "concept 'copy', pattern 1: 'PEACE' duplicates concept 'peace', pattern 1" in problems[5]
    with pytest.raises(LexiconError, match="6 problems in the lexicon"):
        load_lexicon(FIXTURES / "bad_many_problems.yml")


def test_every_bad_fixture_has_a_problem_and_the_good_one_none():
    bad_files = sorted(FIXTURES.glob("bad_*.yml"))
    assert len(bad_files) >= 10
    for path in bad_files:
        assert validate_lexicon(path), path.name
    assert validate_lexicon(FIXTURES / "good.yml") == []


def test_missing_file_is_a_problem_not_a_crash(tmp_path):
    problems = [str(problem) for problem in validate_lexicon(tmp_path / "nowhere.yml")]
    assert problems == [f"{tmp_path / 'nowhere.yml'}: file not found"]


def test_pattern_that_is_not_text_asks_for_quotes():
    with pytest.raises(
        LexiconError, match=r"concept 'year', pattern 1: 1954 is not text \(quote it\)"
    ):
        parse_lexicon(
            {"version": 1, "concepts": {"year": {"label": "Y", "family": "f", "patterns": [1954]}}},
            source="inline",
        )


def test_version_true_is_not_version_one():
    with pytest.raises(LexiconError, match="version True is not supported"):
        parse_lexicon(
            {"version": True, "concepts": {"a": {"label": "A", "family": "f", "patterns": ["a"]}}}
        )


def test_apostrophe_at_the_edge_of_a_word_is_rejected():
    with pytest.raises(LexiconError, match='apostrophe at the edge of "nations\'"'):
        parse_pattern("nations'")


def test_greek_sigma_is_rejected_in_patterns():
    with pytest.raises(LexiconError, match="Greek sigma"):
        parse_pattern("ΣΥΡΙΖΑ")


def test_non_latin_words_are_valid_patterns():
    assert parse_pattern("Đổi Mới") == (PatternWord("đổi", False), PatternWord("mới", False))


def test_to_frame_has_one_row_per_pattern():
    frame = load_lexicon(FIXTURES / "good.yml").to_frame()
    assert list(frame.columns) == ["concept", "label", "family", "pattern", "n_words", "note"]
    assert len(frame) == 5
    assert frame.loc[frame.pattern == "Viet Nam’s own strength", "n_words"].item() == 3  # vietnam's own strength


def test_shipped_lexicon_is_valid():
    assert validate_lexicon(SHIPPED_LEXICON) == []


def test_shipped_lexicon_has_about_thirty_concepts_in_the_expected_families():
    lexicon = load_lexicon(SHIPPED_LEXICON)
    assert 28 <= len(lexicon.concepts) <= 40
    families = {concept.family for concept in lexicon.concepts}
    assert {
        "independence",
        "peace_cooperation_development",
        "friendship_formula",
        "integration",
        "multilateralism",
        "new_era",
        "struggle",
        "un_agenda",
    } <= families


@pytest.mark.parametrize(
    ("concept", "phrase"),
    [
        ("strategic_autonomy", "strategic autonomy"),
        ("strategic_autonomy", "without dependence"),
        ("key_regular_task", "key and regular task*"),
        ("new_era", "new era"),
        ("leading_role", "leading role"),
        ("friend_of_all", "friend of all"),
        ("friend_and_reliable_partner", "friend and reliable partner*"),
        ("responsible_member", "responsible member* of the international community"),
        ("active_responsible_member", "active and responsible member* of the international community"),
        ("international_integration", "international integration"),
        ("comprehensive_integration", "comprehensive integration"),
        ("imperialism", "imperialis*"),
        ("colonialism", "colonial*"),
        ("national_liberation", "national liberation"),
        ("socialism", "socialis*"),
        ("non_alignment", "non-align*"),
        ("east_sea", "south china sea"),
        ("international_law", "united nations charter"),
    ],
)
def test_shipped_lexicon_holds_the_core_phrases(concept, phrase):
    lexicon = load_lexicon(SHIPPED_LEXICON)
    owner = {pattern.words: pattern.concept for pattern in lexicon.patterns}.get(
        parse_pattern(phrase)
    )
    assert owner == concept
