"""The segment and count stages built from Arrow buffers, held to the code they replace and the plain-Python counter.

The corpus build used to cut every sentence and every match as a Python
``str`` and count each partition's sentences twice (once for the counts, once
more for the matches).  It now reads the texts' UTF-8 buffers
(:mod:`fplang.corpus._utf8`), counts and records matches in one pass, and
takes ids, dates and names by index.  These tests compare each new piece with
Python's own answer (``str`` slicing and ``encode``), with the code-point path
the segmenter used before (:func:`fplang.corpus.segment._sentence_spans` on
:func:`fplang.corpus._kernels.code_points`), with the stated rules
(``reference_text``), and with the plain-Python counter, on hand-made,
hostile and generated texts and on the committed corpora.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reference_text
from conftest import ROOT
from fplang.build import stages
from fplang.corpus import _utf8
from fplang.corpus._kernels import char_flags, code_points, count_tokens_in_spans
from fplang.corpus.segment import _sentence_spans
from fplang.corpus.tokens import count_tokens
from fplang.counting import load_lexicon, reference_count, reference_matches, scan_texts
from test_count import FUZZ_LEXICON, GENERATED_TEXT
from test_segment import TRICKY

ANY_TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
"""Any Unicode text: astral characters (four UTF-8 bytes), combining marks, every kind of white space."""

PIECES = st.sampled_from(
    [*"ab AZ09.!?\n\t\"'()[]\u2019\u201d\u201c\u2018\u00e0\u00c0\u1ebf\u00a0_-,\u0130\u0301", "Mr", "U.S", "No", "59",
     "\U0001f600", "\U00020000", "\u0300", "Đổi", "n't", "''", "a'b", "x\u2019y\u2019z"]
)  # fmt: skip
HOSTILE_TEXT = st.lists(st.one_of(PIECES, ANY_TEXT), max_size=30).map("".join)
"""The segmenter's tricky marks (full stops, quotes, apostrophes, abbreviations, numbers) among any characters."""

SETTINGS = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])


def string_arrays(texts: list[str]) -> list[pa.Array | pa.ChunkedArray]:
    """The same texts as Arrow sees them: strings, large strings, a slice of a longer array, several chunks."""
    half = len(texts) // 2
    return [
        pa.array(texts, type=pa.string()),
        pa.array(texts, type=pa.large_string()),
        pa.array(["before", *texts], type=pa.string()).slice(1),
        pa.chunked_array([pa.array(texts[:half], pa.string()), pa.array(texts[half:], pa.string())]),
    ]


# --- the UTF-8 buffer kernels against Python's own strings ------------------------------------


@SETTINGS
@given(st.lists(HOSTILE_TEXT, max_size=5), st.data())
def test_code_points_and_byte_offsets_read_from_the_buffer_are_pythons(texts, data):
    for array in string_arrays(texts)[:3]:
        raw, offsets = _utf8.buffers(array)
        chars, char_offsets = _utf8.decode(raw, offsets)
        assert char_offsets.tolist() == np.cumsum([0, *map(len, texts)]).tolist()
        for i, text in enumerate(texts):
            assert chars[char_offsets[i] : char_offsets[i + 1]].tolist() == code_points(text).tolist()
        whole = "".join(texts)
        positions = sorted(data.draw(st.lists(st.integers(0, len(whole)), max_size=12)))
        found = _utf8.byte_offsets(chars, np.array(positions, dtype=np.int64))
        assert found.tolist() == [len(whole[:position].encode("utf-8")) for position in positions]


@SETTINGS
@given(st.lists(HOSTILE_TEXT, min_size=1, max_size=5), st.data())
def test_slices_copied_from_the_buffer_are_the_python_slices(texts, data):
    whole = "".join(texts)
    cuts = sorted(data.draw(st.lists(st.integers(0, len(whole)), max_size=12)))
    pairs = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2)]
    raw, offsets = _utf8.buffers(pa.array(texts, type=pa.string()))
    chars, _ = _utf8.decode(raw, offsets)
    flat = np.array([position for pair in pairs for position in pair], dtype=np.int64)
    at = _utf8.byte_offsets(chars, flat) + offsets[0]
    content, content_offsets = _utf8.gather(raw, at[0::2], at[1::2])
    column = _utf8.string_array(content, content_offsets)
    assert column.type == pa.string()
    assert column.to_pylist() == [whole[start:end] for start, end in pairs]


def test_a_column_past_the_size_of_one_arrow_string_array_comes_in_chunks_that_each_fit(monkeypatch):
    monkeypatch.setattr(_utf8, "_MAX_STRING_BYTES", 12)
    values = ["ab", "\u00e7" * 5, "", "\u0110\u1ed5i m\u1edbi", "x" * 12, "\U0001f600", "y"]
    content = np.frombuffer("".join(values).encode("utf-8"), dtype=np.uint8)
    offsets = np.cumsum([0, *(len(value.encode("utf-8")) for value in values)]).astype(np.int64)
    column = _utf8.string_array(content, offsets)
    assert isinstance(column, pa.ChunkedArray)
    assert column.to_pylist() == values
    assert all(chunk.type == pa.string() and len(chunk.buffers()[2] or b"") <= 12 for chunk in column.chunks)
    with pytest.raises(ValueError, match="2 GiB"):
        _utf8.string_array(np.zeros(13, dtype=np.uint8), np.array([0, 13], dtype=np.int64))


@SETTINGS
@given(HOSTILE_TEXT, st.data())
def test_tokens_counted_without_a_branch_per_character_are_the_token_definitions(text, data):
    cuts = sorted([0, len(text), *data.draw(st.lists(st.integers(0, len(text)), max_size=8))])
    starts, ends = np.array(cuts[:-1], dtype=np.int64), np.array(cuts[1:], dtype=np.int64)
    found = count_tokens_in_spans(code_points(text), starts, ends, char_flags()[0])
    assert found.tolist() == [count_tokens(text[a:b]) for a, b in zip(cuts[:-1], cuts[1:], strict=True)]


def test_tokens_with_apostrophes_are_counted_by_hand():
    text = "nation's people\u2019s don''t 'quoted' a_b _x 9'9 \u0110\u1ed5i'"
    # nation's | people’s | don | t | quoted | a | b | x | 9'9 | Đổi
    assert count_tokens_in_spans(code_points(text), np.array([0]), np.array([len(text)]), char_flags()[0]).tolist() == [10]


# --- the segment stage -------------------------------------------------------------------------


def expected_sentences(ids: list[str], texts: list[str], published: list[str]) -> list[dict]:
    """The rows the segment stage gave before: the code-point path per text, a Python slice per sentence."""
    rows = []
    for doc_id, text, date in zip(ids, texts, published, strict=True):
        starts, ends, paragraphs = _sentence_spans(code_points(text))
        for number, (start, end, paragraph) in enumerate(zip(starts.tolist(), ends.tolist(), paragraphs.tolist(), strict=True)):
            rows.append({
                "doc_id": doc_id, "sentence_id": number, "paragraph_id": paragraph, "start": start, "end": end,
                "text": text[start:end], "tokens": count_tokens(text[start:end]), "published": date,
                "published_year": int(date[:4]),
            })  # fmt: skip
    return rows


@SETTINGS
@given(st.lists(HOSTILE_TEXT, max_size=5))
def test_the_segment_stage_gives_the_sentences_the_code_point_path_gave_with_their_documents_date(texts):
    ids = [f"d\u00e9-{i}" for i in range(len(texts))]
    published = [f"{1950 + i}-0{i % 9 + 1}-01" if i % 2 else str(1990 + i) for i in range(len(texts))]
    expected = expected_sentences(ids, texts, published)
    for array in string_arrays(texts):
        table = stages.segment(pa.table({"doc_id": pa.array(ids, pa.string()), "text": array}), published)
        assert table.schema == stages.SCHEMAS["sentences"]
        assert table.to_pylist() == expected


@settings(max_examples=150, deadline=None, derandomize=True)
@given(st.lists(TRICKY, max_size=4))
def test_the_segment_stage_gives_the_spans_of_the_stated_rules(texts):
    ids = pa.array([f"d{i}" for i in range(len(texts))], pa.string())
    table = stages.segment(pa.table({"doc_id": ids, "text": pa.array(texts, pa.string())}), ["2000"] * len(texts))
    expected = []
    for i, text in enumerate(texts):
        spans = reference_text.split_sentences(text)
        expected += [(f"d{i}", start, end, text[start:end]) for start, end in spans]
    assert list(zip(*(table.column(name).to_pylist() for name in ("doc_id", "start", "end", "text")), strict=True)) == expected


def test_a_partition_without_text_or_without_sentences_gives_empty_tables_of_the_stages_schemas():
    lexicon = load_lexicon(ROOT / "data" / "lexicon.yml")
    for texts in ([], ["", " \n\n\t"]):
        ids = [f"d{i}" for i in range(len(texts))]
        sentences = stages.segment(pa.table({"doc_id": pa.array(ids, pa.string()), "text": pa.array(texts, pa.string())}),
                                   ["2001-01-01"] * len(texts))  # fmt: skip
        assert sentences.num_rows == 0 and sentences.schema == stages.SCHEMAS["sentences"]
        counts, matches = stages.count(sentences, lexicon)
        assert counts.num_rows == matches.num_rows == 0
        assert counts.schema == stages.SCHEMAS["sentence_counts"] and matches.schema == stages.SCHEMAS["matches"]


# --- the count stage ---------------------------------------------------------------------------


def sentences_table(documents: list[list[str]]) -> pa.Table:
    """A sentences table with what the count stage reads: doc_id, sentence_id, text."""
    rows = [(f"doc {d}", s, text) for d, sentences in enumerate(documents) for s, text in enumerate(sentences)]
    return pa.table({
        "doc_id": pa.array([row[0] for row in rows], pa.string()),
        "sentence_id": pa.array([row[1] for row in rows], pa.int64()),
        "text": pa.array([row[2] for row in rows], pa.string()),
    })  # fmt: skip


def expected_counts_and_matches(sentences: pa.Table, lexicon) -> tuple[list[dict], list[dict]]:
    """The count stage's rows by the plain-Python counter, one sentence at a time."""
    texts = sentences.column("text").to_pylist()
    doc_ids, sentence_ids = sentences.column("doc_id").to_pylist(), sentences.column("sentence_id").to_pylist()
    counted = reference_count(texts, lexicon)
    counted = counted[counted["count"] > 0]
    counts = [
        {"doc_id": doc_ids[row], "sentence_id": sentence_ids[row], "concept": str(concept), "count": int(count)}
        for row, concept, count in counted[["doc_id", "concept", "count"]].itertuples(index=False)
    ]
    found = reference_matches(texts, lexicon)
    matches = [
        {"doc_id": doc_ids[row], "sentence_id": sentence_ids[row], "concept": str(concept), "pattern": pattern,
         "start": int(start), "end": int(end), "text": text}
        for row, concept, pattern, start, end, text in found.itertuples(index=False)
    ]  # fmt: skip
    return counts, matches


@SETTINGS
@given(st.lists(st.lists(GENERATED_TEXT, min_size=1, max_size=3), min_size=1, max_size=3))
def test_the_count_stage_gives_the_plain_python_counters_counts_and_matches(documents):
    sentences = sentences_table(documents)
    counts, matches = stages.count(sentences, FUZZ_LEXICON)
    expected_counts, expected_matches = expected_counts_and_matches(sentences, FUZZ_LEXICON)
    assert counts.schema == stages.SCHEMAS["sentence_counts"] and matches.schema == stages.SCHEMAS["matches"]
    assert counts.to_pylist() == expected_counts
    assert matches.to_pylist() == expected_matches


def test_one_pass_records_every_match_in_any_number_of_threads_past_the_first_table_it_makes():
    texts = ["peace " * 3000, "new era. " * 700 + "Đổi mới", "x", "", "cooperation co-operation"] * 3
    matches = reference_matches(texts, FUZZ_LEXICON)
    counts = reference_count(texts, FUZZ_LEXICON)["count"].to_numpy().reshape(len(texts), -1)
    assert len(matches) > 4 * 64  # more than each block's first table holds
    for array in string_arrays(texts):
        for threads in (1, 2, 3):
            counted, n_tokens, found = scan_texts(array, FUZZ_LEXICON, threads=threads)
            assert counted.tolist() == counts.tolist()
            assert n_tokens.tolist() == [count_tokens(text) for text in texts]
            assert found.text_index.tolist() == matches["doc_id"].tolist()
            assert [FUZZ_LEXICON.patterns[i].text for i in found.pattern_index] == matches["pattern"].tolist()
            assert found.starts.tolist() == matches["start"].tolist()
            assert found.ends.tolist() == matches["end"].tolist()
            assert found.text.to_pylist() == matches["text"].tolist()


@pytest.mark.parametrize("select", [None, {"iso3": ["VNM"]}], ids=["seeds", "viet-nam-un-speeches"])
def test_the_committed_corpora_segment_and_count_as_the_code_point_path_and_the_plain_python_counter(select):
    from fplang.corpus.manifest import load_manifest_and_texts

    manifest = ROOT / "data" / ("corpus.csv" if select is None else "raw/ungdc/manifest.csv")
    frame, raw = load_manifest_and_texts(manifest)
    if select is not None:
        keep = frame["iso3"].isin(select["iso3"]).to_numpy()
        frame, raw = frame[keep].reset_index(drop=True), [data for data, kept in zip(raw, keep, strict=True) if kept]
    assert len(frame) in (5, 47)
    cleaned = stages.clean(frame, raw).texts
    published = frame["published"].tolist()
    sentences = stages.segment(cleaned, published)
    texts = cleaned.column("text").to_pylist()
    assert sentences.to_pylist() == expected_sentences(cleaned.column("doc_id").to_pylist(), texts, published)
    lexicon = load_lexicon(ROOT / "data" / "lexicon.yml")
    counts, matches = stages.count(sentences, lexicon)
    expected_counts, expected_matches = expected_counts_and_matches(sentences.select(["doc_id", "sentence_id", "text"]), lexicon)
    assert len(expected_matches) > 100
    assert counts.to_pylist() == expected_counts
    assert matches.to_pylist() == expected_matches
    assert pd.Series([row["count"] for row in expected_counts]).sum() == len(expected_matches)
