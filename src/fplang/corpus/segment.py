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

import numpy as np
import pandas as pd

from fplang.corpus._kernels import char_flags, code_points, count_tokens_in_spans, sentence_spans

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
    flags = char_flags()[0]
    doc_ids, sentence_ids, paragraph_ids, starts, ends, texts, tokens = [], [], [], [], [], [], []
    for doc_id, text in cleaned.items():
        text = str(text)
        chars = code_points(text)
        start, end, paragraph = _sentence_spans(chars)
        doc_ids.append(np.full(len(start), doc_id, dtype=object))
        sentence_ids.append(np.arange(len(start), dtype=np.int64))
        paragraph_ids.append(paragraph)
        starts.append(start)
        ends.append(end)
        texts += [text[a:b] for a, b in zip(start.tolist(), end.tolist(), strict=True)]
        tokens.append(count_tokens_in_spans(chars, start, end, flags))
    columns = {
        "doc_id": doc_ids, "sentence_id": sentence_ids, "paragraph_id": paragraph_ids, "start": starts, "end": ends,
    }  # fmt: skip
    frame = pd.DataFrame(
        {name: _joined(parts, object if name == "doc_id" else np.int64) for name, parts in columns.items()}
    )
    frame["text"] = pd.Series(texts, dtype=object)
    frame["tokens"] = _joined(tokens, np.int64)
    return frame[SENTENCE_COLUMNS]


def _joined(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    return np.concatenate(parts).astype(dtype, copy=False) if parts else np.empty(0, dtype=dtype)


def _sentence_spans(chars: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    flags, lower_first, lower_second = char_flags()
    abbreviations, lengths = _abbreviation_table()
    return sentence_spans(chars, flags, lower_first, lower_second, abbreviations, lengths)


@functools.lru_cache(maxsize=1)
def _abbreviation_table() -> tuple[np.ndarray, np.ndarray]:
    """:data:`ABBREVIATIONS` as rows of code points (0-padded) and their lengths, for the kernel."""
    words = sorted(ABBREVIATIONS)
    table = np.zeros((len(words), max(map(len, words))), dtype=np.int64)
    for row, word in enumerate(words):
        table[row, : len(word)] = [ord(char) for char in word]
    return table, np.array([len(word) for word in words], dtype=np.int64)
