"""Sentence segmentation of cleaned text, with no model to download.

The rules, in order:

1. A line is a paragraph, and a paragraph boundary is always a sentence
   boundary (so headings and titles, which carry no full stop, stand alone).
2. Inside a paragraph, a sentence ends at ``.``, ``!`` or ``?`` (with any
   closing quotation marks or brackets after it) when white space follows and
   the next character opens a sentence: an upper-case letter, a digit, or an
   opening quotation mark or bracket.
3. Except after an abbreviation from :data:`ABBREVIATIONS` ("Mr.", "No.",
   "U.S."), after a single capital initial ("H. E. Nguyen"), and after a bare
   number that opens its paragraph ("59. The delegation…" or a list's "1.").

"Viet Nam" needs no rule here: cleaning writes it as one word, and no rule
splits inside a word.  A full stop inside a token ("A/63/PV.13", "duty.I") is
not followed by white space and so never ends a sentence.

Library splitters were considered: NLTK's Punkt and spaCy need models
downloaded at run time, and rule sets such as pySBD cannot be told about the
UN record's numbered paragraphs.  These rules are few, stated here, and tested
on paragraphs whose sentences were counted by hand.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from fplang.corpus._kernels import char_flags, code_points, count_tokens_in_spans, sentence_spans
from fplang.corpus._utf8 import buffers, byte_offsets, decode, gather, string_array

ABBREVIATIONS: frozenset[str] = frozenset(
    """
    mr mrs ms dr prof st no nos gen lt col sen rep gov jr sr inc ltd co corp vs etc
    e.g i.e u.s u.n u.k u.s.s.r d.c jan feb mar apr jun jul aug sep sept oct nov dec
    h.e amb art para paras vol pp cf approx est dept govt rev
    """.split()
)
"""Lower-case words (without their final full stop) after which a full stop does not end a sentence."""

SENTENCE_COLUMNS = ["doc_id", "sentence_id", "paragraph_id", "start", "end", "text", "tokens"]
"""Columns of :func:`segment_corpus`: ``start``/``end`` are character offsets in the cleaned text."""

SENTENCE_END = r"[.!?]+[\"'\u2019\u201d)\]]*(?=\s+[\"'\u2018\u201c(\[A-Z0-9\u00C0-\u024F\u1E00-\u1EFF])"
"""Rule 2 as a regular expression: where a sentence may end (before rule 3's exceptions).

Stated for the reader and the tests; :func:`split_sentences` applies it in one
compiled pass (:func:`fplang.corpus._kernels.sentence_spans`) that takes a run
of full stops whole, where the expression would try again at every full stop
of the run (20,000 dots in a row took 15 s).
"""


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the sentences of ``text``, in order.

    Spans exclude the white space between sentences; blank lines give none.
    Linear in the length of the text, whatever it holds.
    """
    starts, ends, _ = _sentence_spans(code_points(text))
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


@dataclass(frozen=True)
class Sentences:
    """The sentences of a list of texts as arrays, one entry a sentence, in text order (:func:`segment_texts`)."""

    text_index: np.ndarray  # int64: the position of the sentence's text in the list
    sentence_id: np.ndarray  # int64: the sentence's number in its text, from 0
    paragraph_id: np.ndarray  # int64: its paragraph's number in its text (non-blank lines), from 0
    start: np.ndarray  # int64: character offsets in its text
    end: np.ndarray
    tokens: np.ndarray  # int64: its tokens (:mod:`fplang.corpus.tokens`)
    text: pa.Array | pa.ChunkedArray  # Arrow strings: the sentence, ``text[start:end]``


def segment_texts(texts: pa.Array | pa.ChunkedArray) -> Sentences:
    """The sentences of Arrow string texts, read from their UTF-8 buffer: no Python ``str`` per text or sentence.

    The texts' code points are decoded in one compiled pass over the buffer,
    all their sentences found by one call of
    :func:`fplang.corpus._kernels.sentence_spans` and their tokens counted by
    one call of :func:`~fplang.corpus._kernels.count_tokens_in_spans`, and the
    sentences' bytes copied out of the buffer into a new Arrow string column
    (:mod:`fplang.corpus._utf8`).  On the full UN corpus the segment stage
    took 3.9 CPU s with a Python ``str`` per text and per sentence, 1.7 so.
    """
    array = texts.combine_chunks() if isinstance(texts, pa.ChunkedArray) else texts
    if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
        raise TypeError(f"texts must be Arrow strings, not {array.type}")
    if array.null_count:
        raise ValueError(f"text {array.is_null().to_numpy(zero_copy_only=False).argmax()} is missing (null)")
    data, offsets = buffers(array)
    chars, char_offsets = decode(data, offsets)
    flags, lower_first, lower_second = char_flags()
    abbreviations, lengths = _abbreviation_table()
    start, end, paragraph, per_text = sentence_spans(
        chars, char_offsets, flags, lower_first, lower_second, abbreviations, lengths
    )
    text_index = np.repeat(np.arange(len(per_text), dtype=np.int64), per_text)
    first = np.cumsum(per_text) - per_text  # each text's first sentence, among all
    begins, stops = start + char_offsets[text_index], end + char_offsets[text_index]  # in ``chars``
    tokens = count_tokens_in_spans(chars, begins, stops, flags)
    positions = np.empty(2 * len(start), dtype=np.int64)  # start, end, start, ...: never decreasing
    positions[0::2], positions[1::2] = begins, stops
    cut = byte_offsets(chars, positions) + offsets[0]
    content, content_offsets = gather(data, np.ascontiguousarray(cut[0::2]), np.ascontiguousarray(cut[1::2]))
    return Sentences(
        text_index=text_index, sentence_id=np.arange(len(start), dtype=np.int64) - first[text_index],
        paragraph_id=paragraph, start=start, end=end, tokens=tokens, text=string_array(content, content_offsets),
    )  # fmt: skip


def segment_corpus(cleaned: pd.Series) -> pd.DataFrame:
    """One row a sentence, for every document of a cleaned corpus.

    Parameters
    ----------
    cleaned
        Cleaned text indexed by ``doc_id``.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SENTENCE_COLUMNS`; ``sentence_id`` and
        ``paragraph_id`` count from 0 within each document; ``tokens`` is
        the sentence's token count (:mod:`fplang.corpus.tokens`).
    """
    found = segment_texts(pa.array([str(text) for text in cleaned], type=pa.large_string()))
    frame = pd.DataFrame(
        {
            "doc_id": cleaned.index.to_numpy(dtype=object)[found.text_index],
            "sentence_id": found.sentence_id, "paragraph_id": found.paragraph_id,
            "start": found.start, "end": found.end,
            "text": found.text.to_numpy(zero_copy_only=False).astype(object, copy=False),
            "tokens": found.tokens,
        }
    )  # fmt: skip
    return frame[SENTENCE_COLUMNS]


def _sentence_spans(chars: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The sentences of one text (its code points): starts, ends and paragraph numbers."""
    flags, lower_first, lower_second = char_flags()
    abbreviations, lengths = _abbreviation_table()
    one_text = np.array([0, len(chars)], dtype=np.int64)
    starts, ends, paragraphs, _ = sentence_spans(
        chars, one_text, flags, lower_first, lower_second, abbreviations, lengths
    )
    return starts, ends, paragraphs


@functools.lru_cache(maxsize=1)
def _abbreviation_table() -> tuple[np.ndarray, np.ndarray]:
    """:data:`ABBREVIATIONS` as rows of code points (0-padded) and their lengths, for the kernel."""
    words = sorted(ABBREVIATIONS)
    table = np.zeros((len(words), max(map(len, words))), dtype=np.int64)
    for row, word in enumerate(words):
        table[row, : len(word)] = [ord(char) for char in word]
    return table, np.array([len(word) for word in words], dtype=np.int64)
