"""Tests for fplang.counting.engine: hand-worked counts, the overlap rule, and engine = reference."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fplang.corpus.tokens import count_tokens
from fplang.counting import TextsError, count_concepts, find_matches
from fplang.counting._kernels import scan
from fplang.counting._matcher import compile_lexicon
from fplang.counting.engine import _as_arrow, _resolve_doc_ids
from fplang.counting.lexicon import Lexicon, load_lexicon, parse_lexicon
from fplang.counting.reference import reference_count, reference_matches


def count_tokens_per_doc(texts, doc_ids=None) -> pd.DataFrame:
    """Tokens per document by the engine's scanner with no lexicon: doc_id, n_tokens (int64).

    Test-only: it holds the compiled tokenizer to ``fplang.corpus.tokens.count_tokens``.
    """
    ids = _resolve_doc_ids(texts, doc_ids)
    empty = Lexicon(version=1, concepts=(), source="<no concepts>")
    _, n_tokens, _ = scan(_as_arrow(texts), compile_lexicon(empty))
    return pd.DataFrame({"doc_id": ids, "n_tokens": n_tokens}, columns=["doc_id", "n_tokens"])

TESTS = Path(__file__).resolve().parent
SHIPPED_LEXICON = TESTS.parent / "data" / "lexicon.yml"
SHARED = Path(__file__).resolve().parents[2] / "shared"
SEEDS = SHARED / "seeds"
UNGDC = SHARED / "data" / "ungdc" / "ungdc_1946_2024.parquet"


def lexicon_of(concepts: dict[str, list[str]]):
    """A lexicon from {concept key: patterns}, in that order."""
    return parse_lexicon(
        {
            "version": 1,
            "concepts": {
                key: {"label": key, "family": "test", "patterns": patterns}
                for key, patterns in concepts.items()
            },
        },
        source="test",
    )


def counts_of(texts, lexicon) -> dict[str, list[int]]:
    """{concept: [count per text]} from the engine, after checking the reference agrees."""
    engine = count_concepts(texts, lexicon)
    pd.testing.assert_frame_equal(engine, reference_count(texts, lexicon))
    return {
        concept: group["count"].tolist()
        for concept, group in engine.groupby("concept", observed=True, sort=False)
    }


HAND_LEXICON = lexicon_of(
    {
        "active_responsible_member": ["active and responsible member"],
        "responsible_member": ["responsible member"],
        "integration": ["international integration", "proactive*"],
        "autonomy": ["strategic autonomy", "self-relian*"],
        "new_era": ["new era"],
    }
)
HAND_TEXT = (
    "Viet Nam is an active and responsible member of the international community. "
    "Proactively, it pursues international integration, self-reliance and strategic autonomy! "
    "A responsible member's duty in the new era: self reliant growth."
)


# --- Hand-worked counts ----------------------------------------------------------------------


def test_three_sentence_text_matches_hand_count():
    # Sentence 1: "active and responsible member" (1 match, which also takes
    # "responsible member"); sentence 2: "Proactively", "international
    # integration", "self-reliance", "strategic autonomy"; sentence 3:
    # "responsible member's" (possessive), "new era", "self reliant".
    # Tokens: 12 + 10 + 11 = 33.
    frame = count_concepts([HAND_TEXT], HAND_LEXICON)
    assert dict(zip(frame["concept"], frame["count"], strict=True)) == {
        "active_responsible_member": 1,
        "responsible_member": 1,
        "integration": 2,
        "autonomy": 3,
        "new_era": 1,
    }
    assert frame["n_tokens"].tolist() == [33] * 5
    pd.testing.assert_frame_equal(frame, reference_count([HAND_TEXT], HAND_LEXICON))


def test_three_sentence_text_matches_are_the_hand_listed_phrases_in_order():
    matches = find_matches([HAND_TEXT], HAND_LEXICON)
    assert matches["text"].tolist() == [
        "active and responsible member",
        "Proactively",
        "international integration",
        "self-reliance",
        "strategic autonomy",
        "responsible member's",
        "new era",
        "self reliant",
    ]
    assert matches["concept"].tolist() == [
        "active_responsible_member",
        "integration",
        "integration",
        "autonomy",
        "autonomy",
        "responsible_member",
        "new_era",
        "autonomy",
    ]
    for start, end, text in zip(matches["start"], matches["end"], matches["text"], strict=True):
        assert HAND_TEXT[start:end] == text
    pd.testing.assert_frame_equal(matches, reference_matches([HAND_TEXT], HAND_LEXICON))


def test_match_offsets_count_characters_not_bytes():
    text = "Đổi Mới — the new era"
    matches = find_matches([text], lexicon_of({"new_era": ["new era"]}))
    # "Đổi Mới — the " is 14 characters (and 22 bytes of UTF-8).
    assert matches[["start", "end", "text"]].values.tolist() == [[14, 21, "new era"]]


# --- The overlap rule -----------------------------------------------------------------------


def test_longer_phrase_owns_its_tokens_and_is_counted_once():
    counts = counts_of(
        ["an active and responsible member", "a responsible member"],
        lexicon_of(
            {"responsible": ["responsible member"], "active": ["active and responsible member"]}
        ),
    )
    assert counts == {"responsible": [0, 1], "active": [1, 0]}


def test_equal_length_tie_goes_to_the_concept_listed_first():
    text = ["We act proactively."]
    first = counts_of(text, lexicon_of({"glob": ["proactive*"], "exact": ["proactively"]}))
    assert first == {"glob": [1], "exact": [0]}
    reversed_order = counts_of(text, lexicon_of({"exact": ["proactively"], "glob": ["proactive*"]}))
    assert reversed_order == {"exact": [1], "glob": [0]}


def test_match_starting_earlier_wins_over_a_longer_one_starting_inside_it():
    counts = counts_of(
        ["the new era of national rise"],
        lexicon_of({"new_era": ["new era"], "rise": ["era of national rise"]}),
    )
    assert counts == {"new_era": [1], "rise": [0]}


def test_shipped_lexicon_gives_active_and_responsible_member_to_one_concept():
    lexicon = load_lexicon(SHIPPED_LEXICON)
    frame = count_concepts(
        ["Viet Nam is a friend, a reliable partner and an active, responsible member of the international community."],
        lexicon,
    )
    counts = dict(zip(frame["concept"], frame["count"], strict=True))
    assert counts["active_responsible_member"] == 1
    assert counts["responsible_member"] == 0
    assert counts["friend_and_reliable_partner"] == 1
    assert sum(counts.values()) == 2


# --- The pattern language -------------------------------------------------------------------


def test_glob_matches_continuations_but_not_other_words():
    text = "Colonial colonialism COLONIALISTS neo-colonialism decolonization colony"
    assert counts_of([text], lexicon_of({"colonial": ["colonial*"]})) == {"colonial": [4]}


def test_exact_word_matches_its_possessive_with_either_apostrophe():
    text = "nation nation's Nation’s nations national"
    assert counts_of([text], lexicon_of({"nation": ["nation"]})) == {"nation": [3]}


def test_hyphen_and_dashes_match_as_spaces():
    text = "self-reliance, self reliance, self\u2014reliant, self\u2013reliance, selfreliance"
    assert counts_of([text], lexicon_of({"self": ["self-relian*"]})) == {"self": [4]}
    assert counts_of([text], lexicon_of({"self": ["self reliance"]})) == {"self": [3]}


def test_matching_ignores_case_in_any_script():
    texts = ["NEW ERA, New Era, new era, nEw eRa", "ĐỔI MỚI and Đổi mới"]
    lexicon = lexicon_of({"new_era": ["new era"], "doi_moi": ["đổi mới"]})
    assert counts_of(texts, lexicon) == {"new_era": [4, 0], "doi_moi": [0, 2]}


@pytest.mark.parametrize("between", [". ", "! ", "? ", "; ", ": ", "\u2026 ", "..."])
def test_sentence_break_stops_a_match(between):
    assert counts_of([f"a new{between}era"], lexicon_of({"new_era": ["new era"]})) == {
        "new_era": [0]
    }


@pytest.mark.parametrize(
    "between", [" ", ", ", " - ", " \u2014 ", "\n", "\n\n", " (", '" ', " \u2019 ", "/", "\u00a0"]
)
def test_other_punctuation_between_words_does_not_stop_a_match(between):
    assert counts_of([f"a new{between}era"], lexicon_of({"new_era": ["new era"]})) == {
        "new_era": [1]
    }


def test_apostrophe_between_letters_joins_one_token():
    assert counts_of(["new'era new’era"], lexicon_of({"new_era": ["new era"]})) == {"new_era": [0]}


# --- Inputs and outputs ---------------------------------------------------------------------


def test_frame_has_every_doc_and_concept_in_order_with_zeros():
    texts = pd.Series(["new era", "", "nothing here"], index=["a", "b", "c"])
    frame = count_concepts(texts, HAND_LEXICON)
    assert list(frame.columns) == ["doc_id", "concept", "count", "n_tokens"]
    assert frame["doc_id"].tolist() == ["a"] * 5 + ["b"] * 5 + ["c"] * 5
    assert frame["concept"].tolist() == HAND_LEXICON.concept_keys * 3
    assert list(frame["concept"].cat.categories) == HAND_LEXICON.concept_keys
    assert frame["count"].tolist() == [0, 0, 0, 0, 1] + [0] * 10
    assert frame["n_tokens"].tolist() == [2] * 5 + [0] * 5 + [2] * 5


def test_doc_ids_label_the_rows_and_must_fit_the_texts():
    frame = count_concepts(["new era"], HAND_LEXICON, doc_ids=["VNM_2024"])
    assert set(frame["doc_id"]) == {"VNM_2024"}
    with pytest.raises(TextsError, match="doc_ids has 2 ids but there are 1 texts"):
        count_concepts(["new era"], HAND_LEXICON, doc_ids=["a", "b"])


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        (["fine", None], "text 1 is missing"),
        (pd.Series(["fine", np.nan]), "text 1 is missing"),
        (["fine", 42], "text 1 is int 42, not a string"),
        (pa.array(["fine", None]), "text 1 is missing"),
    ],
)
def test_texts_that_are_not_strings_are_refused_by_position(texts, message):
    with pytest.raises(TextsError, match=message):
        count_concepts(texts, HAND_LEXICON)


def test_arrow_inputs_count_the_same_as_python_strings():
    texts = [HAND_TEXT, "new era", "", "Ünïcode new era"]
    expected = count_concepts(texts, HAND_LEXICON)
    whole = pa.array(texts, type=pa.large_string())
    chunked = pa.chunked_array([whole.slice(0, 1), whole.slice(1, 2), whole.slice(3)])
    arrow_series = pd.Series(texts, dtype="string[pyarrow]")
    for variant in (pa.array(texts), chunked, arrow_series, pd.Series(texts, dtype=object)):
        pd.testing.assert_frame_equal(count_concepts(variant, HAND_LEXICON), expected)
    pd.testing.assert_frame_equal(
        find_matches(chunked, HAND_LEXICON), find_matches(texts, HAND_LEXICON)
    )


def test_empty_input_gives_empty_frames():
    assert count_concepts([], HAND_LEXICON).empty
    assert find_matches([], HAND_LEXICON).empty
    assert count_tokens_per_doc([]).empty


def test_tokens_per_doc_equal_the_token_definition():
    texts = [HAND_TEXT, "Viet Nam's self-reliance, since 1954.", "", "don’t-stop\u00a0İstanbul"]
    frame = count_tokens_per_doc(texts, doc_ids=["hand", "doctest", "empty", "odd"])
    assert frame["n_tokens"].tolist() == [33, 6, 0, 3]
    assert frame["n_tokens"].tolist() == [count_tokens(text) for text in texts]
    assert frame["doc_id"].tolist() == ["hand", "doctest", "empty", "odd"]


# --- Engine = reference on real texts ---------------------------------------------------------


def read_seeds() -> list[str]:
    paths = sorted(SEEDS.glob("*.txt"))
    assert len(paths) == 5, f"expected the five seeds in {SEEDS}, found {len(paths)}"
    return [path.read_text(encoding="utf-8") for path in paths]


def read_un_sample(n_speeches: int = 200) -> pd.Series:
    """A fixed sample of UN General Debate speeches (the same every run)."""
    assert UNGDC.exists(), f"the UN corpus must be at {UNGDC} (../shared beside the repo)"
    table = pq.read_table(UNGDC, columns=["iso3", "year", "text"])
    rows = np.sort(
        np.random.default_rng(20260123).choice(table.num_rows, n_speeches, replace=False)
    )
    sample = table.take(pa.array(rows)).to_pandas()
    return pd.Series(
        sample["text"].to_numpy(), index=sample["iso3"] + "_" + sample["year"].astype(str)
    )


def test_engine_equals_reference_on_the_seeds():
    seeds = read_seeds()
    lexicon = load_lexicon(SHIPPED_LEXICON)
    engine = count_concepts(seeds, lexicon)
    pd.testing.assert_frame_equal(engine, reference_count(seeds, lexicon))
    pd.testing.assert_frame_equal(find_matches(seeds, lexicon), reference_matches(seeds, lexicon))
    assert engine["count"].sum() > 100
    assert engine.drop_duplicates("doc_id")["n_tokens"].tolist() == [count_tokens(s) for s in seeds]


def test_seed_001_counts_match_a_grep_of_its_phrases():
    # By grep: "key and regular" 4 times, "key, regular task" twice; "new era"
    # 3 times and "new development era" once; "an active, responsible member"
    # once and no other "responsible member".
    seed = read_seeds()[1]
    frame = count_concepts([seed], load_lexicon(SHIPPED_LEXICON))
    counts = dict(zip(frame["concept"], frame["count"], strict=True))
    assert counts["key_regular_task"] == 6
    assert counts["new_era"] == 4
    assert counts["active_responsible_member"] == 1
    assert counts["responsible_member"] == 0


def test_engine_equals_reference_on_200_un_speeches():
    speeches = read_un_sample()
    lexicon = load_lexicon(SHIPPED_LEXICON)
    engine = count_concepts(speeches, lexicon)
    pd.testing.assert_frame_equal(engine, reference_count(speeches, lexicon))
    assert engine["count"].sum() > 5000
    assert (engine.groupby("concept", observed=True)["count"].sum() > 0).sum() >= 25
    first_20 = speeches.iloc[:20]
    pd.testing.assert_frame_equal(
        find_matches(first_20, lexicon), reference_matches(first_20, lexicon)
    )


# --- Engine = reference on generated texts ----------------------------------------------------

FUZZ_LEXICON = lexicon_of(
    {
        "active_member": ["active and responsible member*"],
        "member": ["responsible member", "member states"],
        "self": ["self-relian*", "self strength"],
        "era": ["new era", "era of national rise"],
        "key": ["key and regular task*", "key and regular"],
        "nation": ["nation", "people's war"],
        "glob_short": ["co*", "peace"],
        "exact_short": ["cooperation"],
        "vietnamese": ["Đổi mới", "İstanbul"],
    }
)
FRAGMENTS = [
    "new",
    "era",
    "New",
    "ERA",
    "of",
    "national",
    "rise",
    "active",
    "and",
    "AND",
    "responsible",
    "member",
    "members",
    "member's",
    "states",
    "self",
    "reliance",
    "self-reliance",
    "Self-Reliant",
    "strength",
    "key",
    "\u212aey",
    "regular",
    "task",
    "tasks",
    "nation",
    "nation's",
    "nation’s",
    "nations",
    "people's",
    "people’s",
    "peoples",
    "war",
    "co",
    "cooperation",
    "Co-operation",
    "peace",
    "peaceful",
    "đổi",
    "mới",
    "ĐỔI",
    "MỚI",
    "İstanbul",
    "istanbul",
    "I\u0307stanbul",
    "1954",
    "x",
]
SEPARATORS = [
    " ",
    " ",
    " ",
    "  ",
    "-",
    "\u2014",
    "\u2013",
    ",",
    ".",
    ";",
    ":",
    "!",
    "?",
    "\u2026",
    "'",
    "\u2019",
    "\u2018",
    '"',
    "(",
    ")",
    "\n",
    "\u00a0",
    "\ufeff",
    "_",
    "\u0301",
    "\u03a3",
    "\u03c2",
    "\u00ad",
]
ANY_CHARACTERS = st.text(st.characters(exclude_categories=["Cs"]), max_size=3)
GENERATED_TEXT = st.lists(
    st.one_of(st.sampled_from(FRAGMENTS), st.sampled_from(SEPARATORS), ANY_CHARACTERS),
    max_size=60,
).map("".join)


@settings(
    max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow]
)
@given(st.lists(GENERATED_TEXT, min_size=1, max_size=4))
def test_engine_equals_reference_on_generated_texts(texts):
    pd.testing.assert_frame_equal(
        count_concepts(texts, FUZZ_LEXICON), reference_count(texts, FUZZ_LEXICON)
    )
    pd.testing.assert_frame_equal(
        find_matches(texts, FUZZ_LEXICON), reference_matches(texts, FUZZ_LEXICON)
    )
    assert count_tokens_per_doc(texts)["n_tokens"].tolist() == [count_tokens(t) for t in texts]
