"""The scanner: numba kernels that tokenize UTF-8 bytes and apply the overlap rule, on every core.

Texts arrive as Arrow large strings; documents are cut into blocks of about
equal bytes and scanned in threads (the compiled kernels release the GIL).
Each token is lower-cased and walked down the lexicon's trie while it is read
(:mod:`fplang.counting._matcher`), so no token string is ever built.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from itertools import pairwise

import numba
import numpy as np
import pyarrow as pa

from fplang.counting._matcher import Matcher, codepoint_tables


def scan(
    arrow_texts: pa.ChunkedArray,
    matcher: Matcher,
    record_from: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Run the scanner over all texts, on every available core.

    Returns concept counts (int64[n_docs, n_concepts]), tokens per document
    (int64[n_docs]) and, when ``record_from`` (int64[n_docs + 1], where each
    document's matches start in the output) is given, the matches' pattern
    index, start and end character offsets (empty arrays otherwise).  The
    documents are cut into blocks of about equal bytes, several per thread;
    the compiled scanner releases the GIL, so threads run it in parallel.
    """
    n_docs = len(arrow_texts)
    counts = np.zeros((n_docs, matcher.n_concepts), dtype=np.int64)
    n_tokens = np.zeros(n_docs, dtype=np.int64)
    record = record_from is not None
    n_matches = int(record_from[-1]) if record_from is not None else 0
    pattern_of, start_of, end_of = (np.zeros(n_matches, dtype=np.int64) for _ in range(3))
    matches = (pattern_of, start_of, end_of)
    n_threads = len(os.sched_getaffinity(0))
    char_class = codepoint_tables()[0]

    jobs = []
    first_doc = 0
    for chunk in arrow_texts.chunks:
        data, offsets = _buffers(chunk)
        stop_doc = first_doc + len(chunk)
        write_at = record_from[first_doc : stop_doc + 1] if record_from is not None else n_tokens[:0]
        for low, high in _blocks(offsets, 4 * n_threads):
            jobs.append(
                (
                    data,
                    offsets,
                    low,
                    high,
                    counts[first_doc:stop_doc],
                    n_tokens[first_doc:stop_doc],
                    char_class,
                    *_kernel_arguments(matcher),
                    record,
                    write_at,
                    *matches,
                )
            )
        first_doc = stop_doc
    if n_threads > 1 and len(jobs) > 1:
        with ThreadPoolExecutor(max_workers=n_threads) as pool:
            list(pool.map(lambda job: _scan_block(*job), jobs))
    else:
        for job in jobs:
            _scan_block(*job)
    return counts, n_tokens, matches


def scan_matches(
    arrow_texts: pa.ChunkedArray, matcher: Matcher, counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every match as arrays: doc index, pattern index, start and end character offsets."""
    per_doc = counts.sum(axis=1)
    record_from = np.zeros(len(per_doc) + 1, dtype=np.int64)
    record_from[1:] = np.cumsum(per_doc)
    _, _, (pattern_index, starts, ends) = scan(arrow_texts, matcher, record_from)
    doc_index = np.repeat(np.arange(len(per_doc)), per_doc)
    return doc_index, pattern_index, starts, ends


def _blocks(offsets: np.ndarray, n_blocks: int) -> list[tuple[int, int]]:
    """Cut documents ``0 .. len(offsets) - 2`` into up to ``n_blocks`` runs of about equal bytes."""
    n_docs = len(offsets) - 1
    if n_docs == 0:
        return []
    targets = np.linspace(offsets[0], offsets[-1], n_blocks + 1)
    cuts = np.unique(np.concatenate([[0], np.searchsorted(offsets, targets[1:-1]), [n_docs]]))
    cuts = cuts[(cuts >= 0) & (cuts <= n_docs)]
    return [(int(low), int(high)) for low, high in pairwise(cuts) if high > low]


def _buffers(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes and int64 offsets of a large-string chunk, without copying."""
    _, offsets_buffer, data_buffer = chunk.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[
        chunk.offset : chunk.offset + len(chunk) + 1
    ]
    data = (
        np.frombuffer(data_buffer, dtype=np.uint8)
        if data_buffer is not None
        else np.zeros(0, dtype=np.uint8)
    )
    return data, offsets


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
    candidate_ordinal,
    candidate_segment,
    candidate_class,
    candidate_start,
    candidate_end,
):
    """Tokenize bytes ``start:end`` and list the candidate tokens (those matching a pattern word).

    Each token's characters are lower-cased and fed to the trie as they are
    read; when the token ends, its class (trie node, and whether it ended
    there) says which pattern words it matches.  For each candidate, writes
    its ordinal among all tokens, its segment (sentence breaks before it),
    class, and start and end character offsets.  Returns the number of tokens
    and of candidates.
    """
    apostrophe_symbol = first_symbol[39]
    n_tokens = 0
    n_candidates = 0
    segment = 0
    in_token = False
    node = 0
    last_node = 0
    token_start = 0
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
                node,
                last_node,
                n_tokens,
                segment,
                token_start,
                char_index,
                class_is_candidate,
                n_candidates,
                candidate_ordinal,
                candidate_segment,
                candidate_class,
                candidate_start,
                candidate_end,
            )
            n_tokens += 1
        if kind == 3:
            segment += 1
        position += width
        char_index += 1
    if in_token:
        n_candidates = _end_token(
            node,
            last_node,
            n_tokens,
            segment,
            token_start,
            char_index,
            class_is_candidate,
            n_candidates,
            candidate_ordinal,
            candidate_segment,
            candidate_class,
            candidate_start,
            candidate_end,
        )
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
    class_is_candidate,
    n_candidates,
    candidate_ordinal,
    candidate_segment,
    candidate_class,
    candidate_start,
    candidate_end,
):
    """Classify the token just read, listing it if a candidate; returns the candidate count."""
    token_class = 2 * node if node >= 0 else 2 * last_node + 1
    if class_is_candidate[token_class]:
        candidate_ordinal[n_candidates] = ordinal
        candidate_segment[n_candidates] = segment
        candidate_class[n_candidates] = token_class
        candidate_start[n_candidates] = token_start
        candidate_end[n_candidates] = token_end
        return n_candidates + 1
    return n_candidates


@numba.njit(cache=True, nogil=True)
def _match(
    doc,
    n_candidates,
    candidate_ordinal,
    candidate_segment,
    candidate_class,
    candidate_start,
    candidate_end,
    class_matches_word,
    start_offsets,
    start_patterns,
    pattern_words,
    pattern_length,
    pattern_concept,
    counts,
    record,
    write_position,
    out_pattern,
    out_start,
    out_end,
):
    """Apply the overlap rule to one document's candidate tokens, adding to ``counts[doc]``.

    At each candidate, the patterns its class may start are tried in priority
    order (longest first, then lexicon order); a pattern matches when the next
    candidates are the very next tokens, in the same segment, matching its
    words.  A match consumes its tokens.  Writes matches from
    ``write_position`` on when ``record`` is true.
    """
    i = 0
    while i < n_candidates:
        token_class = candidate_class[i]
        matched_length = 0
        for j in range(start_offsets[token_class], start_offsets[token_class + 1]):
            pattern = start_patterns[j]
            length = pattern_length[pattern]
            last = i + length - 1
            if last >= n_candidates:
                continue
            if candidate_ordinal[last] - candidate_ordinal[i] != length - 1:
                continue
            if candidate_segment[last] != candidate_segment[i]:
                continue
            matched = True
            for k in range(1, length):
                if class_matches_word[candidate_class[i + k], pattern_words[pattern, k]] == 0:
                    matched = False
                    break
            if matched:
                counts[doc, pattern_concept[pattern]] += 1
                if record:
                    out_pattern[write_position] = pattern
                    out_start[write_position] = candidate_start[i]
                    out_end[write_position] = candidate_end[last]
                    write_position += 1
                matched_length = length
                break
        i += matched_length if matched_length else 1


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
    write_at,
    out_pattern,
    out_start,
    out_end,
):
    """Scan documents ``doc_low:doc_high``, filling their rows of ``counts`` and ``n_tokens``.

    When ``record`` is true, document ``doc``'s matches are also written to
    the ``out_*`` arrays from index ``write_at[doc]`` on.  Releases the GIL.
    """
    longest = 0
    for doc in range(doc_low, doc_high):
        longest = max(longest, offsets[doc + 1] - offsets[doc])
    most_tokens = (longest + 1) // 2 + 1  # a token needs a character and a separator
    candidate_ordinal = np.empty(most_tokens, dtype=np.int64)
    candidate_segment = np.empty(most_tokens, dtype=np.int64)
    candidate_class = np.empty(most_tokens, dtype=np.int64)
    candidate_start = np.empty(most_tokens, dtype=np.int64)
    candidate_end = np.empty(most_tokens, dtype=np.int64)
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
            candidate_ordinal,
            candidate_segment,
            candidate_class,
            candidate_start,
            candidate_end,
        )
        n_tokens[doc] = tokens
        _match(
            doc,
            n_candidates,
            candidate_ordinal,
            candidate_segment,
            candidate_class,
            candidate_start,
            candidate_end,
            class_matches_word,
            start_offsets,
            start_patterns,
            pattern_words,
            pattern_length,
            pattern_concept,
            counts,
            record,
            write_at[doc] if record else 0,
            out_pattern,
            out_start,
            out_end,
        )
