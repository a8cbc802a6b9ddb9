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

import bisect
import re

import pandas as pd

from fplang.corpus.tokens import count_tokens

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

_CANDIDATE = re.compile(r"[.!?]+[\"'\u2019\u201d)\]]*(?=\s+[\"'\u2018\u201c(\[A-Z0-9\u00C0-\u024F\u1E00-\u1EFF])")
_WORD_BEFORE = re.compile(r"(\S+)$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Character spans ``(start, end)`` of the sentences of ``text``, in order.

    Spans exclude the white space between sentences; blank lines give none.
    """
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        spans += [(offset + start, offset + end) for start, end in _split_paragraph(line)]
        offset += len(line) + 1
    return spans


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
    rows: list[dict[str, object]] = []
    for doc_id, text in cleaned.items():
        text = str(text)
        paragraph_starts = _paragraph_starts(text)
        for sentence_id, (start, end) in enumerate(split_sentences(text)):
            sentence = text[start:end]
            rows.append(
                {
                    "doc_id": doc_id,
                    "sentence_id": sentence_id,
                    "paragraph_id": _paragraph_of(start, paragraph_starts),
                    "start": start,
                    "end": end,
                    "text": sentence,
                    "tokens": count_tokens(sentence),
                }
            )
    frame = pd.DataFrame(rows, columns=SENTENCE_COLUMNS)
    for column in ("sentence_id", "paragraph_id", "start", "end", "tokens"):
        frame[column] = frame[column].astype("int64")
    return frame


def _split_paragraph(line: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    start = _skip_spaces(line, 0)
    for match in _CANDIDATE.finditer(line):
        end = match.end()
        if end <= start or not _ends_sentence(line[start : match.start() + 1], is_first=not spans):
            continue
        spans.append((start, end))
        start = _skip_spaces(line, end)
    tail_end = len(line.rstrip())
    if start < tail_end:
        spans.append((start, tail_end))
    return spans


def _ends_sentence(sentence_so_far: str, is_first: bool) -> bool:
    """Whether the full stop closing ``sentence_so_far`` ends a sentence (rule 3)."""
    if not sentence_so_far.endswith("."):
        return True
    found = _WORD_BEFORE.search(sentence_so_far[:-1])
    if found is None:
        return True
    word = found.group(1).lstrip("\"'([")
    if word.lower() in ABBREVIATIONS:
        return False
    if len(word) == 1 and word.isupper():
        return False
    if is_first and word.isdigit() and sentence_so_far[:-1].strip() == word:
        return False
    return True


def _skip_spaces(line: str, index: int) -> int:
    while index < len(line) and line[index].isspace():
        index += 1
    return index


def _paragraph_starts(text: str) -> list[int]:
    """Offsets where each non-empty line starts, numbered in order."""
    starts, offset = [], 0
    for line in text.split("\n"):
        if line.strip():
            starts.append(offset)
        offset += len(line) + 1
    return starts


def _paragraph_of(position: int, starts: list[int]) -> int:
    return bisect.bisect_right(starts, position) - 1
