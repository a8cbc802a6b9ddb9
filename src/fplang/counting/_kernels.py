"""The scanner: numba kernels that tokenize UTF-8 bytes and apply the overlap rule, on every core.

Texts arrive as Arrow strings or large strings; documents are cut into blocks
of about equal bytes and scanned in threads (the compiled kernels release the
GIL).  One pass counts and, when asked, records every match with its
character and byte offsets.
Each token is lower-cased and walked down the lexicon's trie while it is read
(:mod:`fplang.counting._matcher`), so no token string is ever built.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from itertools import pairwise

import numba
import numpy as np
import pyarrow as pa

from fplang.corpus._utf8 import buffers, gather, string_array
from fplang.counting._matcher import Matcher, codepoint_tables


@dataclass(frozen=True)
class Recorded:
    """Every match the scanner counted, in text order then position order (:func:`scan` with ``record``)."""

    text_index: np.ndarray  # int64: the text it is in
    pattern_index: np.ndarray  # int64: the lexicon's pattern (``lexicon.patterns`` order)
    starts: np.ndarray  # int64: character offsets in its text
    ends: np.ndarray
    text: pa.Array | pa.ChunkedArray  # Arrow strings: ``texts[text_index][start:end]``


def scan(
    arrow_texts: pa.ChunkedArray,
    matcher: Matcher,
    record: bool = False,
    threads: int | None = None,
) -> tuple[np.ndarray, np.ndarray, Recorded | None]:
    """Run the scanner over all texts, in ``threads`` threads (by default one per available core).

    Returns concept counts (int64[n_docs, n_concepts]), tokens per document
    (int64[n_docs]) and, with ``record``, every match (:class:`Recorded`,
    found in the same pass: each block of documents keeps its own growing
    arrays, and each match's text is copied from the texts' UTF-8 buffer).
    The documents are cut into blocks of about equal bytes, several per
    thread; the compiled scanner releases the GIL, so threads run it in
    parallel.  One thread costs the least CPU time where every core already
    has its own process (the corpus build's tasks).
    """
    n_docs = len(arrow_texts)
    counts = np.zeros((n_docs, matcher.n_concepts), dtype=np.int64)
    n_tokens = np.zeros(n_docs, dtype=np.int64)
    n_threads = threads or len(os.sched_getaffinity(0))
    char_class = codepoint_tables()[0]

    jobs = []
    first_doc = 0
    for chunk in arrow_texts.chunks:
        data, offsets = buffers(chunk)
        stop_doc = first_doc + len(chunk)
        for low, high in _blocks(offsets, 4 * n_threads):
            arguments = (data, offsets, low, high, counts[first_doc:stop_doc], n_tokens[first_doc:stop_doc], char_class)
            jobs.append((first_doc, data, (*arguments, *_kernel_arguments(matcher), record)))
        first_doc = stop_doc
    if n_threads > 1 and len(jobs) > 1:
        with ThreadPoolExecutor(max_workers=n_threads) as pool:
            found = list(pool.map(lambda job: _scan_block(*job[2]), jobs))
    else:
        found = [_scan_block(*job[2]) for job in jobs]
    if not record:
        return counts, n_tokens, None
    return counts, n_tokens, _recorded([job[:2] for job in jobs], found)


def _recorded(jobs: list[tuple[int, np.ndarray]], found: list[tuple[np.ndarray, ...]]) -> Recorded:
    """The blocks' matches put together, in block order, with their text gathered from each block's buffer."""
    empty = np.zeros(0, dtype=np.int64)
    pieces, piece_offsets = [], []
    for (_, data), block in zip(jobs, found, strict=True):
        content, offsets = gather(data, block[4], block[5])
        pieces.append(content)
        piece_offsets.append(offsets)
    shift = np.cumsum([0] + [len(piece) for piece in pieces], dtype=np.int64)[:-1]
    text_offsets = np.concatenate(
        [np.zeros(1, dtype=np.int64)] + [offsets[1:] + base for offsets, base in zip(piece_offsets, shift, strict=True)]
    )
    content = np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.uint8)

    def joined(k: int) -> np.ndarray:
        return np.concatenate([block[k] for block in found]) if found else empty

    first_docs = np.repeat(np.array([job[0] for job in jobs], dtype=np.int64), [len(block[0]) for block in found])
    return Recorded(
        text_index=joined(0) + first_docs, pattern_index=joined(1), starts=joined(2), ends=joined(3),
        text=string_array(content, text_offsets),
    )  # fmt: skip


def _blocks(offsets: np.ndarray, n_blocks: int) -> list[tuple[int, int]]:
    """Cut documents ``0 .. len(offsets) - 2`` into up to ``n_blocks`` runs of about equal bytes."""
    n_docs = len(offsets) - 1
    if n_docs == 0:
        return []
    targets = np.linspace(offsets[0], offsets[-1], n_blocks + 1)
    cuts = np.unique(np.concatenate([[0], np.searchsorted(offsets, targets[1:-1]), [n_docs]]))
    cuts = cuts[(cuts >= 0) & (cuts <= n_docs)]
    return [(int(low), int(high)) for low, high in pairwise(cuts) if high > low]


def _kernel_arguments(matcher: Matcher) -> tuple:
    return (
        matcher.ascii_transitions,
        matcher.first_symbol,
        matcher.second_symbol,
        matcher.transitions,
        matcher.class_is_candidate,
        matcher.class_matches_word,
        matcher.start_offsets,
        matcher.start_patterns,
        matcher.pattern_words,
        matcher.pattern_length,
        matcher.pattern_concept,
    )


@numba.njit(inline="always", cache=True, nogil=True)
def _decode(data: np.ndarray, position: int) -> tuple[np.int64, int]:
    """The code point of the multi-byte UTF-8 sequence at ``position``, and its width in bytes."""
    lead = np.int64(data[position])
    if lead < 0xE0:
        return ((lead & 0x1F) << 6) | (np.int64(data[position + 1]) & 0x3F), 2
    if lead < 0xF0:
        return (
            ((lead & 0x0F) << 12)
            | ((np.int64(data[position + 1]) & 0x3F) << 6)
            | (np.int64(data[position + 2]) & 0x3F),
            3,
        )
    return (
        ((lead & 0x07) << 18)
        | ((np.int64(data[position + 1]) & 0x3F) << 12)
        | ((np.int64(data[position + 2]) & 0x3F) << 6)
        | (np.int64(data[position + 3]) & 0x3F),
        4,
    )


@numba.njit(inline="always", cache=True, nogil=True)
def _advance(node, symbol, transitions):
    """The trie node after one more character (by its symbol); -1 once off the trie."""
    if node < 0 or symbol < 0:
        return -1
    return transitions[node, symbol]


_ORDINAL, _SEGMENT, _CLASS, _START, _END, _BYTE_START, _BYTE_END = range(7)
"""The columns of the scanner's candidate rows."""


@numba.njit(cache=True, nogil=True)
def _tokenize(
    data,
    start,
    end,
    char_class,
    ascii_transitions,
    first_symbol,
    second_symbol,
    transitions,
    class_is_candidate,
    candidates,
):
    """Tokenize bytes ``start:end`` and list the candidate tokens (those matching a pattern word).

    Each token's characters are lower-cased and fed to the trie as they are
    read; when the token ends, its class (trie node, and whether it ended
    there) says which pattern words it matches.  For each candidate, writes a
    row of ``candidates`` (:data:`_ORDINAL` ...): its ordinal among all
    tokens, its segment (sentence breaks before it), class, start and end
    character offsets in the text, and start and end byte offsets in
    ``data``.  Returns the number of tokens and of candidates.
    """
    apostrophe_symbol = first_symbol[39]
    n_tokens = 0
    n_candidates = 0
    segment = 0
    in_token = False
    node = 0
    last_node = 0
    token_start = 0
    token_byte_start = 0
    char_index = 0
    position = start
    while position < end:
        byte = data[position]
        if byte < 128:
            kind = char_class[byte]
            width = 1
            if kind == 1:
                if not in_token:
                    in_token = True
                    node = 0
                    last_node = 0
                    token_start = char_index
                    token_byte_start = position
                while True:  # the run of ASCII letters and digits, the hot loop
                    if node >= 0:
                        node = ascii_transitions[node, byte]
                        if node >= 0:
                            last_node = node
                    position += 1
                    char_index += 1
                    if position == end:
                        break
                    byte = data[position]
                    if byte >= 128 or char_class[byte] != 1:
                        break
                continue
        else:
            codepoint, width = _decode(data, position)
            kind = char_class[codepoint]
            if kind == 1:
                if not in_token:
                    in_token = True
                    node = 0
                    last_node = 0
                    token_start = char_index
                    token_byte_start = position
                node = _advance(node, first_symbol[codepoint], transitions)
                if node >= 0:
                    last_node = node
                    if second_symbol[codepoint] != -2:
                        node = _advance(node, second_symbol[codepoint], transitions)
                        if node >= 0:
                            last_node = node
                position += width
                char_index += 1
                continue
        if kind == 2 and in_token and position + width < end:
            next_byte = data[position + width]
            if next_byte < 128:
                next_kind = char_class[next_byte]
            else:
                next_kind = char_class[_decode(data, position + width)[0]]
            if next_kind == 1:  # an apostrophe between letters stays inside the token
                node = _advance(node, apostrophe_symbol, transitions)
                if node >= 0:
                    last_node = node
                position += width
                char_index += 1
                continue
        if in_token:
            in_token = False
            n_candidates = _end_token(
                node, last_node, n_tokens, segment, token_start, char_index, token_byte_start, position,
                class_is_candidate, n_candidates, candidates,
            )  # fmt: skip
            n_tokens += 1
        if kind == 3:
            segment += 1
        position += width
        char_index += 1
    if in_token:
        n_candidates = _end_token(
            node, last_node, n_tokens, segment, token_start, char_index, token_byte_start, position,
            class_is_candidate, n_candidates, candidates,
        )  # fmt: skip
        n_tokens += 1
    return n_tokens, n_candidates


@numba.njit(inline="always", cache=True, nogil=True)
def _end_token(
    node,
    last_node,
    ordinal,
    segment,
    token_start,
    token_end,
    byte_start,
    byte_end,
    class_is_candidate,
    n_candidates,
    candidates,
):
    """Classify the token just read, listing it if a candidate; returns the candidate count."""
    token_class = 2 * node if node >= 0 else 2 * last_node + 1
    if class_is_candidate[token_class]:
        candidates[n_candidates, _ORDINAL] = ordinal
        candidates[n_candidates, _SEGMENT] = segment
        candidates[n_candidates, _CLASS] = token_class
        candidates[n_candidates, _START] = token_start
        candidates[n_candidates, _END] = token_end
        candidates[n_candidates, _BYTE_START] = byte_start
        candidates[n_candidates, _BYTE_END] = byte_end
        return n_candidates + 1
    return n_candidates


@numba.njit(cache=True, nogil=True)
def _match(
    doc,
    n_candidates,
    candidates,
    class_matches_word,
    start_offsets,
    start_patterns,
    pattern_words,
    pattern_length,
    pattern_concept,
    counts,
    record,
    n_recorded,
    out,
):
    """Apply the overlap rule to one document's candidate tokens, adding to ``counts[doc]``.

    At each candidate, the patterns its class may start are tried in priority
    order (longest first, then lexicon order); a pattern matches when the next
    candidates are the very next tokens, in the same segment, matching its
    words.  A match consumes its tokens.  With ``record``, each match is a
    row of ``out`` (doc, pattern, start, end, byte start, byte end) from row
    ``n_recorded`` on (``out`` has a row for every candidate).  Returns the
    rows of ``out`` in use.
    """
    i = 0
    while i < n_candidates:
        token_class = candidates[i, _CLASS]
        matched_length = 0
        for j in range(start_offsets[token_class], start_offsets[token_class + 1]):
            pattern = start_patterns[j]
            length = pattern_length[pattern]
            last = i + length - 1
            if last >= n_candidates:
                continue
            if candidates[last, _ORDINAL] - candidates[i, _ORDINAL] != length - 1:
                continue
            if candidates[last, _SEGMENT] != candidates[i, _SEGMENT]:
                continue
            matched = True
            for k in range(1, length):
                if class_matches_word[candidates[i + k, _CLASS], pattern_words[pattern, k]] == 0:
                    matched = False
                    break
            if matched:
                counts[doc, pattern_concept[pattern]] += 1
                if record:
                    out[n_recorded, 0] = doc
                    out[n_recorded, 1] = pattern
                    out[n_recorded, 2] = candidates[i, _START]
                    out[n_recorded, 3] = candidates[last, _END]
                    out[n_recorded, 4] = candidates[i, _BYTE_START]
                    out[n_recorded, 5] = candidates[last, _BYTE_END]
                    n_recorded += 1
                matched_length = length
                break
        i += matched_length if matched_length else 1
    return n_recorded


@numba.njit(cache=True, nogil=True)
def _scan_block(
    data,
    offsets,
    doc_low,
    doc_high,
    counts,
    n_tokens,
    char_class,
    ascii_transitions,
    first_symbol,
    second_symbol,
    transitions,
    class_is_candidate,
    class_matches_word,
    start_offsets,
    start_patterns,
    pattern_words,
    pattern_length,
    pattern_concept,
    record,
):
    """Scan documents ``doc_low:doc_high``, filling their rows of ``counts`` and ``n_tokens``.

    With ``record``, returns the block's matches as columns: document (in
    ``offsets``' numbering), pattern, start and end character offsets in the
    document, start and end byte offsets in ``data``; empty columns
    otherwise.  The matches go to a table that doubles when a document's
    candidates might not fit.  Releases the GIL.
    """
    longest = 0
    for doc in range(doc_low, doc_high):
        longest = max(longest, offsets[doc + 1] - offsets[doc])
    most_tokens = (longest + 1) // 2 + 1  # a token needs a character and a separator
    candidates = np.empty((most_tokens, 7), dtype=np.int64)
    out = np.empty((64 if record else 0, 6), dtype=np.int64)
    n_recorded = 0
    for doc in range(doc_low, doc_high):
        tokens, n_candidates = _tokenize(
            data,
            offsets[doc],
            offsets[doc + 1],
            char_class,
            ascii_transitions,
            first_symbol,
            second_symbol,
            transitions,
            class_is_candidate,
            candidates,
        )
        n_tokens[doc] = tokens
        if record and n_recorded + n_candidates > len(out):
            grown = np.empty((max(2 * len(out), n_recorded + n_candidates), 6), dtype=np.int64)
            grown[:n_recorded] = out[:n_recorded]
            out = grown
        n_recorded = _match(
            doc,
            n_candidates,
            candidates,
            class_matches_word,
            start_offsets,
            start_patterns,
            pattern_words,
            pattern_length,
            pattern_concept,
            counts,
            record,
            n_recorded,
            out,
        )
    table = out[:n_recorded]
    return (
        table[:, 0].copy(), table[:, 1].copy(), table[:, 2].copy(), table[:, 3].copy(), table[:, 4].copy(),
        table[:, 5].copy(),
    )  # fmt: skip
