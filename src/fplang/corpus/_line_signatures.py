"""The repeated-paragraph rule's first test: a signature of each line's tokens, and a bound on what two share.

Most texts repeat no paragraph, and proving it takes one pass over the text
(:func:`may_repeat`); only the texts it cannot clear go through the rule's
full method (:mod:`fplang.corpus.repeats`).
"""

from __future__ import annotations

import numba
import numpy as np

from fplang.corpus._kernels import APOSTROPHE, WORD, hash_code, str_view1, str_view2, str_view4, str_width

MAX_PAIRED_LINES = 2_000
"""Lines of at least ``min_tokens`` tokens up to which :func:`may_repeat` compares every pair (above it,
the full method decides: it grows with the text, the pairs with its square)."""


Tables = tuple[np.ndarray, np.ndarray, np.ndarray]
"""The character tables of :func:`fplang.corpus._kernels.char_flags`: flags, and lower case in two parts."""


@numba.njit(cache=True, nogil=True)
def may_repeat(text: str, tables: Tables, min_tokens: int, threshold: float, max_lines: int) -> bool:
    """False only when no line of ``text`` can be a repeat of another: the rule then removes nothing.

    Most texts repeat no paragraph (on the UN speeches 32 lines in 2,738), and
    proving it is cheaper than the method of :func:`fplang.corpus.repeats._repeated_in_text`: one
    pass over the ``str`` itself (read in place: :func:`fplang.corpus._kernels.str_width`) gives each line's tokens
    (:func:`fplang.corpus._kernels.token_bounds_in_spans`' definition) and a
    256-bit signature, a bit for each token's hash
    (:func:`fplang.corpus._kernels.token_hashes`).  A line is removed only
    when an earlier one shares at least ``matched`` of its tokens (a multiset
    intersection of the hashes; difflib's matches are no more) with ``2 *
    matched / (len_a + len_b) >= threshold``.  Each bit set in one line's
    signature and not in the other's stands for a token of the first that the
    second lacks, so ``matched`` is at most ``len_a - bits(a & ~b)`` and
    ``len_b - bits(b & ~a)``; when no pair of lines of ``min_tokens`` tokens or
    more reaches the threshold with that bound, none reaches it with the real
    one.  (The plain procedure, used when hashes mislead, compares real tokens,
    which share no more than their hashes do.)  Above ``max_lines`` such lines
    the answer is True and the full method decides.
    """
    width = str_width(text)
    if width == 1:
        return _may_repeat_in(str_view1(text), tables, min_tokens, threshold, max_lines)
    if width == 2:
        return _may_repeat_in(str_view2(text), tables, min_tokens, threshold, max_lines)
    return _may_repeat_in(str_view4(text), tables, min_tokens, threshold, max_lines)


@numba.njit(cache=True, nogil=True)
def _may_repeat_in(chars: np.ndarray, tables: Tables, min_tokens: int, threshold: float, max_lines: int) -> bool:
    """:func:`may_repeat` on the text's code points (a view of the ``str``'s buffer)."""
    flags, lower_first, lower_second = tables
    n = len(chars)
    lengths = np.empty(max_lines + 1, dtype=np.int64)
    signatures = np.empty((max_lines + 1, 4), dtype=np.uint64)
    n_long = 0
    signature = np.zeros(4, dtype=np.uint64)
    tokens = 0
    i = 0
    while i < n:
        code = chars[i]
        if flags[code] & WORD:
            value = np.uint64(0xCBF29CE484222325)  # token_hashes' FNV-1a of the lower-cased token
            while i < n:
                code = chars[i]
                if flags[code] & WORD:
                    if code < 128:  # ASCII, nearly every character: str.lower shifts A-Z
                        if 65 <= code <= 90:
                            code += 32
                        value = (value ^ np.uint64(code)) * np.uint64(0x100000001B3)
                    else:
                        value = hash_code(value, code, lower_first, lower_second)
                    i += 1
                elif i + 1 < n and flags[code] & APOSTROPHE and flags[chars[i + 1]] & WORD:
                    value = hash_code(value, code, lower_first, lower_second)
                    i += 1
                else:
                    break
            bit = (value * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(56)  # FNV's own top bits barely vary
            signature[bit >> np.uint64(6)] |= np.uint64(1) << (bit & np.uint64(63))
            tokens += 1
            continue
        if _is_line_break(code):
            if tokens >= min_tokens:
                if n_long == max_lines:
                    return True
                lengths[n_long] = tokens
                signatures[n_long, :] = signature
                n_long += 1
            signature[:] = 0
            tokens = 0
        i += 1
    if tokens >= min_tokens:  # the last line
        if n_long == max_lines:
            return True
        lengths[n_long] = tokens
        signatures[n_long, :] = signature
        n_long += 1
    for a in range(1, n_long):
        for b in range(a):
            total = lengths[a] + lengths[b]
            if 2.0 * min(lengths[a], lengths[b]) / total < threshold:
                continue
            only_a, only_b = 0, 0
            for word in range(4):
                only_a += _popcount(signatures[a, word] & ~signatures[b, word])
                only_b += _popcount(signatures[b, word] & ~signatures[a, word])
            if 2.0 * min(lengths[a] - only_a, lengths[b] - only_b) / total >= threshold:
                return True
    return False


@numba.njit(cache=True, nogil=True, inline="always")
def _is_line_break(code: int) -> bool:
    """Whether ``str.splitlines`` ends a line at this code point."""
    return (10 <= code <= 13) or (28 <= code <= 30) or code == 0x85 or code == 0x2028 or code == 0x2029


@numba.njit(cache=True, nogil=True, inline="always")
def _popcount(x: np.uint64) -> int:
    """The number of bits set in ``x``."""
    x = x - ((x >> np.uint64(1)) & np.uint64(0x5555555555555555))
    x = (x & np.uint64(0x3333333333333333)) + ((x >> np.uint64(2)) & np.uint64(0x3333333333333333))
    x = (x + (x >> np.uint64(4))) & np.uint64(0x0F0F0F0F0F0F0F0F)
    return int((x * np.uint64(0x0101010101010101)) >> np.uint64(56))
