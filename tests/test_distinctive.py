"""Keywords, recurring formulas and similarity on hand-made sentences."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from fplang.analysis.distinctive import (
    document_similarity,
    keywords,
    keywords_between,
    recurring_formulas,
    split_by_variable,
    term_counts,
)

SENTENCES = pd.DataFrame(
    {
        "doc_id": ["new", "new", "old", "old"],
        "text": [
            "The new era needs strategic autonomy.",
            "Strategic autonomy in the new era, since 2026.",
            "Peace and friendship with all countries.",
            "Friendship and peace, in 1991.",
        ],
    }
)


def test_term_counts_count_words_but_not_years_and_total_every_token():
    counts, total = term_counts(SENTENCES, ["new"])
    assert total == 6 + 8  # "since 2026" is two tokens of the second sentence
    assert counts["era"] == 2 and counts["strategic"] == 2 and counts["the"] == 2
    assert "2026" not in counts.index


def test_keywords_find_the_target_terms_and_skip_function_words():
    table = keywords(SENTENCES, ["new"], ["old"], min_frequency=2).set_index("term")
    assert "the" not in table.index
    # 'era': 2 of 14 tokens in the target, 0 of 11 in the reference
    a, b, c, d = 2, 0, 14, 11
    n = c + d
    expected = 2 * sum(
        o * math.log(o / e)
        for o, e in [(a, (a + b) * c / n), (c - a, (n - a - b) * c / n), (d - b, (n - a - b) * d / n)]
        if o > 0
    )
    assert table.at["era", "g2"] == pytest.approx(expected)
    assert table.at["peace", "g2"] < 0


def test_keywords_refuse_an_empty_side():
    with pytest.raises(ValueError, match="0 target"):
        keywords(SENTENCES, [], ["old"])


def test_split_by_variable_names_a_missing_variable():
    documents = pd.DataFrame({"doc_id": ["a", "b"], "congress": pd.array([14, None], dtype="Int64")})
    assert split_by_variable(documents, "congress", 14) == (["a"], ["b"])
    with pytest.raises(KeyError, match="no document variable 'year'"):
        split_by_variable(documents, "year", 2026)


def test_recurring_formulas_stay_within_sentences():
    table = recurring_formulas(SENTENCES, ["new"], n=2, min_count=2).set_index("ngram")
    assert table.at["strategic autonomy", "count"] == 2
    assert table.at["new era", "count"] == 2
    assert "autonomy strategic" not in table.index


def test_similarity_is_symmetric_with_ones_on_the_diagonal():
    tidy = document_similarity(pd.Series({"x": "peace and friendship", "y": "peace and friendship", "z": "new era"}))
    matrix = tidy.pivot(index="doc_a", columns="doc_b", values="similarity")
    assert matrix.loc["x", "y"] == pytest.approx(1.0)
    assert matrix.loc["x", "z"] == pytest.approx(0.0)
    assert (matrix.values == matrix.values.T).all()


def test_function_words_alone_no_longer_make_two_texts_alike():
    # "the X of the Y and the Z" against "the P of the Q and the R": only function words are shared.
    texts = pd.Series({"a": "the peace of the region and the world", "b": "the war of the past and the future"})
    kept = document_similarity(texts, drop_function_words=False)
    dropped = document_similarity(texts)
    pair = lambda table: table[(table["doc_a"] == "a") & (table["doc_b"] == "b")]["similarity"].item()  # noqa: E731
    assert pair(kept) > 0.3
    assert pair(dropped) == 0.0


def test_keywords_between_two_corpora_count_each_side_apart():
    # target: "autonomy" twice in 6 tokens; reference: once in 8 tokens ("the" untested but counted)
    target = pd.DataFrame({"doc_id": ["t", "t"], "sentence_id": [0, 1], "text": ["strategic autonomy now", "autonomy first always"]})
    reference = pd.DataFrame({"doc_id": ["t"], "sentence_id": [0], "text": ["the autonomy of the nation and the people"]})
    table = keywords_between(target, reference, min_frequency=1).set_index("term")
    assert table.loc["autonomy", ["target_count", "reference_count"]].tolist() == [2, 1]
    assert table.loc["autonomy", "target_per_1000"] == pytest.approx(1000 * 2 / 6)
    assert table.loc["autonomy", "reference_per_1000"] == pytest.approx(1000 * 1 / 8)
    assert "the" not in table.index
