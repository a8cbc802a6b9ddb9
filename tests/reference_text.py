"""The statements the compiled kernels replace, kept as the tests' reference implementations.

Segmentation and the repeated-paragraph rule used to be written as below:
readable, but slow on a large corpus (pure Python per token and per sentence,
a regular expression that retries every full stop of a run, and a dense
paragraph-by-paragraph matrix).  :mod:`fplang.corpus.segment` and
:mod:`fplang.corpus.repeats` must give exactly what these give.
"""

from __future__ import annotations

import difflib
import re

import numpy as np
from scipy import sparse

from fplang.corpus.segment import ABBREVIATIONS, SENTENCE_END
from fplang.corpus.tokens import tokenize

_CANDIDATE = re.compile(SENTENCE_END)
_WORD_BEFORE = re.compile(r"(\S+)$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    offset = 0
    for line in text.split("\n"):
        spans += [(offset + start, offset + end) for start, end in _split_paragraph(line)]
        offset += len(line) + 1
    return spans


def paragraph_ids(text: str, spans: list[tuple[int, int]]) -> list[int]:
    import bisect

    starts, offset = [], 0
    for line in text.split("\n"):
        if line.strip():
            starts.append(offset)
        offset += len(line) + 1
    return [bisect.bisect_right(starts, start) - 1 for start, _ in spans]


def _split_paragraph(line: str) -> list[tuple[int, int]]:
    spans = []
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


def repeated_paragraphs(text: str, threshold: float = 0.9, min_tokens: int = 8) -> tuple[str, list[tuple[int, str]]]:
    """The repeated-paragraph rule as it was: (cleaned text, [(position, removed line)])."""
    lines = text.splitlines(keepends=True)
    tokens = [tokenize(line) for line in lines]
    bounds = _quick_ratios(tokens, min_tokens)
    kept: set[int] = set()
    removals: list[tuple[int, str]] = []
    out: list[str] = []
    position = 0
    for index, line in enumerate(lines):
        long_enough = len(tokens[index]) >= min_tokens
        candidates = np.flatnonzero(bounds[index, :index] >= threshold) if long_enough else []
        if any(
            earlier in kept
            and difflib.SequenceMatcher(None, tokens[index], tokens[earlier], autojunk=False).ratio() >= threshold
            for earlier in candidates
        ):
            removals.append((position, line))
        else:
            out.append(line)
            if long_enough:
                kept.add(index)
        position += len(line)
    return "".join(out), removals


def _quick_ratios(tokens: list[list[str]], min_tokens: int) -> np.ndarray:
    n = len(tokens)
    bounds = np.zeros((n, n))
    long_rows = [i for i, words in enumerate(tokens) if len(words) >= min_tokens]
    if len(long_rows) < 2:
        return bounds
    vocabulary: dict[str, int] = {}
    rows, columns = [], []
    for row, i in enumerate(long_rows):
        for word in tokens[i]:
            rows.append(row)
            columns.append(vocabulary.setdefault(word, len(vocabulary)))
    counts = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int64), (rows, columns)), shape=(len(long_rows), len(vocabulary))
    )
    lengths = np.asarray(counts.sum(axis=1)).ravel()
    held = (counts > 0).astype(np.int64)
    shared = (held @ held.T).toarray()
    repeated = np.flatnonzero(np.asarray(counts.max(axis=0).todense()).ravel() > 1)
    if repeated.size:
        many = counts[:, repeated].toarray()
        many_held = (many > 0).astype(np.int64)
        minimum = np.stack([np.minimum(row, many).sum(axis=1) for row in many])
        shared += minimum - many_held @ many_held.T
    bounds[np.ix_(long_rows, long_rows)] = 2.0 * shared / (lengths[:, None] + lengths[None, :])
    return bounds
