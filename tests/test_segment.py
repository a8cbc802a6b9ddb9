"""Sentence segmentation on paragraphs whose sentences were counted by hand."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from fplang.corpus.segment import segment_corpus, split_sentences
from fplang.corpus.tokens import TOKEN_DEFINITION, count_tokens, tokenize


def sentences(text: str) -> list[str]:
    return [text[start:end] for start, end in split_sentences(text)]


@pytest.mark.parametrize(
    ("paragraph", "expected"),
    [
        # seed 003, first paragraph: three sentences by hand
        (
            "Implement consistently the foreign policy line of independence, self-reliance, peace, "
            "cooperation and development; the foreign policy of openness. Proactively and actively "
            "engage in international economic integration. Vietnam is a friend and reliable partner "
            "of all countries in the international community.",
            3,
        ),
        # abbreviations and initials do not end sentences: two sentences
        ("Mr. Xu met H. E. Nguyen Manh Cuong in the U.S. capital. They spoke of No. 5.", 2),
        # a numbered record paragraph is one sentence, not two
        ("59. The delegation of Vietnam supports the proposal.", 1),
        # closing quotation marks belong to the sentence before them: three
        ('He said "We agree." Then he left! Did he stay?', 3),
        # curly quotes, as in the raw seeds: two
        ("The theme was \u201cProactively fulfilling the task.\u201d On January 21 he spoke.", 2),
        # a full stop inside a token never ends a sentence: one
        ("See document A/63/PV.13 of the Assembly.", 1),
        # a lower-case word after a full stop is not a new sentence: one
        ("Trade grew 5.5 per cent. and more in 2007.", 1),
    ],
)
def test_sentence_counts_match_hand_counts(paragraph, expected):
    assert len(sentences(paragraph)) == expected


def test_each_line_is_its_own_paragraph_and_headings_stand_alone():
    text = "Steering external relations into a new era\nExpressing agreement, he spoke. He ended."
    assert sentences(text) == [
        "Steering external relations into a new era",
        "Expressing agreement, he spoke.",
        "He ended.",
    ]


def test_spans_point_into_the_text_and_skip_blank_lines():
    text = "One. Two.\n\n  Three."
    spans = split_sentences(text)
    assert [text[a:b] for a, b in spans] == ["One.", "Two.", "Three."]


def test_segment_corpus_numbers_sentences_and_paragraphs():
    import pandas as pd

    frame = segment_corpus(pd.Series({"d": "A b. C d.\nE f."}))
    assert frame["sentence_id"].tolist() == [0, 1, 2]
    assert frame["paragraph_id"].tolist() == [0, 0, 1]
    assert frame["tokens"].tolist() == [2, 2, 2]


def test_tokens_follow_the_stated_definition():
    assert tokenize("Vietnam's self-reliance, since 1954; Đổi Mới.") == [
        "vietnam's", "self", "reliance", "since", "1954", "đổi", "mới",
    ]  # fmt: skip
    assert count_tokens("self-reliance") == count_tokens("self reliance") == 2
    assert count_tokens("A/63/PV.13") == 4
    assert "hyphens" in TOKEN_DEFINITION


def test_seed_sentence_and_token_totals(seed_corpus):
    documents = seed_corpus.documents.set_index("doc_id")
    # seed 000 after cleaning: 8 sentences, counted by hand from the raw file
    assert documents.loc["seed_000", "sentences"] == 8
    assert documents["tokens"].sum() == seed_corpus.sentences["tokens"].sum()
    for doc_id, text in seed_corpus.cleaned.items():
        assert documents.loc[doc_id, "tokens"] == count_tokens(text)


# --- the compiled segmenter against the statement it replaces ----------------------------------

TRICKY = st.lists(
    st.sampled_from(
        [*"ab AZ09.!?\n\t\"'()[]\u2019\u201d\u201c\u2018\u00e0\u00c0\u1ebfx \u00a0\u2028.-,\u0130", "Mr", "U.S", "No", "59"]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(TRICKY.map(lambda text: text.replace("\u2028", "\n")))
def test_compiled_segmenter_gives_the_spans_of_the_stated_rules(text):
    import reference_text

    assert split_sentences(text) == reference_text.split_sentences(text)


@settings(max_examples=200, deadline=None)
@given(st.lists(TRICKY, min_size=1, max_size=4))
def test_segment_corpus_numbers_paragraphs_and_counts_tokens_as_the_statements_do(texts):
    import pandas as pd

    import reference_text

    frame = segment_corpus(pd.Series({f"d{i}": text for i, text in enumerate(texts)}))
    expected = []
    for i, text in enumerate(texts):
        spans = reference_text.split_sentences(text)
        for sentence_id, ((start, end), paragraph) in enumerate(zip(spans, reference_text.paragraph_ids(text, spans), strict=True)):
            expected.append((f"d{i}", sentence_id, paragraph, start, end, text[start:end], count_tokens(text[start:end])))
    assert list(frame.itertuples(index=False, name=None)) == expected


def test_the_committed_un_speeches_segment_exactly_as_the_stated_rules_do():
    import reference_text
    from fplang.corpus import prepare_corpus

    corpus = prepare_corpus(ROOT / "data" / "raw" / "ungdc" / "manifest.csv", select={"iso3": ["VNM", "KHM", "CUB"]})
    for text in corpus.cleaned:
        assert split_sentences(text) == reference_text.split_sentences(text)


def test_twenty_thousand_full_stops_in_a_row_take_no_time():
    import time

    for text in ("." * 20_000, "End" + "." * 20_000 + " Next", "!" * 20_000 + " A"):
        began = time.perf_counter()
        spans = split_sentences(text)
        assert time.perf_counter() - began < 0.5
        assert [text[a:b] for a, b in spans][-1].startswith(("." * 3, "!" * 3, "Next", "A"))
