"""Compiled (numba) scans of one text's code points: tokens, token hashes, sentence ends.

Segmentation (:mod:`fplang.corpus.segment`), token counts
(:mod:`fplang.corpus.tokens`) and the repeated-paragraph rule
(:mod:`fplang.corpus.repeats`) are stated as regular expressions and Python
string methods; on a large corpus running them token by token in Python costs
minutes.  These kernels do the same work on an array of code points (a text's
``utf-32`` encoding), one pass each, in time linear in the text's length
whatever it holds.  Every character property they use is taken from Python
itself (``re``'s ``\\w`` and ``\\s``, ``str.isupper``, ``str.isdigit``,
``str.lower``) into per-code-point tables, so the kernels agree with the
statements they replace on any Unicode text; the tests hold them to it.
"""

from __future__ import annotations

import functools
import re

import numba
import numpy as np

N_CODEPOINTS = 0x110000

WORD, SPACE, UPPER, DIGIT, APOSTROPHE, OPENER, CLOSER = 1, 2, 4, 8, 16, 32, 64
"""Bit flags of :func:`char_flags`: ``re``'s ``[^\\W_]`` and ``\\s``, ``str.isupper``,
``str.isdigit``, the token apostrophes, and the opening and closing marks of
:mod:`fplang.corpus.segment`'s sentence rule."""

APOSTROPHES = "'\u2019"
SENTENCE_OPENERS = "\"'\u2018\u201c([" + "".join(
    chr(c) for c in [*range(ord("A"), ord("Z") + 1), *range(ord("0"), ord("9") + 1),
                     *range(0xC0, 0x250), *range(0x1E00, 0x1F00)]
)  # fmt: skip
"""Characters that may open a sentence (``["'\u2018\u201c(\\[A-Z0-9\u00C0-\u024F\u1E00-\u1EFF]``)."""
SENTENCE_CLOSERS = "\"'\u2019\u201d)]"
"""Closing marks a sentence end may carry after its full stop (``["'\u2019\u201d)\\]]``)."""

_FNV_OFFSET = np.uint64(0xCBF29CE484222325)
_FNV_PRIME = np.uint64(0x100000001B3)
_FINAL_SIGMA, _SIGMA = 0x3C2, 0x3C3


def code_points(text: str) -> np.ndarray:
    """The text as an array of code points (uint32), so that index ``i`` is ``text[i]``."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)


@numba.njit(cache=True, nogil=True, inline="always")
def str_width(text: str) -> int:
    """Bytes a code point takes in ``text``'s own buffer: 1, 2 or 4 (CPython's string kinds).

    A kernel handed a ``str`` reads it in place, through an array view of
    that buffer of this width (:func:`str_view1`, :func:`str_view2`,
    :func:`str_view4`; numba passes a ``str`` to compiled code without
    copying it), instead of a copy made by :func:`code_points` (about 3 ns a
    character: 0.6 s on the UN corpus each time a rule made one).  Each
    kernel reading views is compiled for the three widths; index ``i`` of the
    view is ``ord(text[i])``, lone surrogates included
    (``tests/test_repeats_prefilter.py`` checks every kind).  Numba's
    attributes of a string (``_kind``, ``_data``) are not public; the version
    is pinned (``requirements.lock``).
    """
    return text._kind  # type: ignore[attr-defined]  # numba's string model, not Python's str


@numba.njit(cache=True, nogil=True, inline="always")
def str_view1(text: str) -> np.ndarray:
    """The buffer of a ``str`` of width 1 (:func:`str_width`) as a uint8 array, not copied."""
    return numba.carray(text._data, len(text), np.uint8)  # type: ignore[attr-defined]


@numba.njit(cache=True, nogil=True, inline="always")
def str_view2(text: str) -> np.ndarray:
    """The buffer of a ``str`` of width 2 (:func:`str_width`) as a uint16 array, not copied."""
    return numba.carray(text._data, len(text), np.uint16)  # type: ignore[attr-defined]


@numba.njit(cache=True, nogil=True, inline="always")
def str_view4(text: str) -> np.ndarray:
    """The buffer of a ``str`` of width 4 (:func:`str_width`) as a uint32 array, not copied."""
    return numba.carray(text._data, len(text), np.uint32)  # type: ignore[attr-defined]


@numba.njit(cache=True, nogil=True)
def str_code_points(text: str) -> np.ndarray:
    """:func:`code_points` read through the views (the tests compare the two)."""
    width = str_width(text)
    if width == 1:
        return str_view1(text).astype(np.uint32)
    if width == 2:
        return str_view2(text).astype(np.uint32)
    return str_view4(text).copy()


@functools.lru_cache(maxsize=1)
def char_flags() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per code point: the flags above, and its lower case as up to two code points.

    Built once per process (about 0.3 s) from Python's own definitions.
    Returns ``flags`` (uint8), ``lower_first`` and ``lower_second`` (int32;
    ``lower_second`` is 0 unless ``str.lower`` gives two characters, as for "İ").
    """
    codepoints = np.arange(N_CODEPOINTS, dtype=np.uint32)
    codepoints = codepoints[(codepoints < 0xD800) | (codepoints > 0xDFFF)]
    every_char = codepoints.tobytes().decode("utf-32-le")

    def mark(chars: str, flag: int) -> None:
        if chars:
            flags[code_points(chars)] |= flag

    flags = np.zeros(N_CODEPOINTS, dtype=np.uint8)
    mark("".join(re.findall(r"[^\W_]", every_char)), WORD)
    mark("".join(re.findall(r"\s", every_char)), SPACE)
    mark("".join(filter(str.isupper, every_char)), UPPER)
    mark("".join(filter(str.isdigit, every_char)), DIGIT)
    mark(APOSTROPHES, APOSTROPHE)
    mark(SENTENCE_OPENERS, OPENER)
    mark(SENTENCE_CLOSERS, CLOSER)

    lowered = list(map(str.lower, every_char))
    lengths = np.fromiter(map(len, lowered), dtype=np.int64, count=len(lowered))
    lower_second = np.zeros(N_CODEPOINTS, dtype=np.int32)
    for position in np.flatnonzero(lengths != 1).tolist():
        if lengths[position] > 2:
            raise RuntimeError(f"str.lower gives {lengths[position]} characters for one")
        lower_second[codepoints[position]] = ord(lowered[position][1])
        lowered[position] = lowered[position][0]
    lower_first = np.arange(N_CODEPOINTS, dtype=np.int32)
    lower_first[codepoints] = code_points("".join(lowered)).astype(np.int32)
    return flags, lower_first, lower_second


# --- tokens --------------------------------------------------------------------


@numba.njit(cache=True, nogil=True)
def _token_end(chars: np.ndarray, at: int, stop: int, flags: np.ndarray) -> int:
    """End of the token starting at ``at`` (a letter or digit): ``[^\\W_]+(?:['’][^\\W_]+)*``."""
    i = at
    while True:
        while i < stop and flags[chars[i]] & WORD:
            i += 1
        if i + 1 < stop and flags[chars[i]] & APOSTROPHE and flags[chars[i + 1]] & WORD:
            i += 1
            continue
        return i


@numba.njit(cache=True, nogil=True)
def count_tokens_in_spans(chars: np.ndarray, starts: np.ndarray, ends: np.ndarray, flags: np.ndarray) -> np.ndarray:
    """Tokens in each span ``chars[start:end]``, counted as if the span were a text of its own.

    A token begins at each letter or digit that neither follows one nor
    follows an apostrophe that follows one (``[^\\W_]+(?:['’][^\\W_]+)*``:
    "nation's" is one token, "nation''s" two); counted without a branch per
    character, about three times as fast as reading token by token.
    """
    counts = np.zeros(len(starts), dtype=np.int64)
    for span in range(len(starts)):
        n = 0
        prev_word = 0  # the character before is a letter or digit
        prev_joins = 0  # the character before is an apostrophe after a letter or digit
        for i in range(starts[span], ends[span]):
            flag = flags[chars[i]]
            word = flag & WORD
            n += word & (1 - (prev_word | prev_joins))
            prev_joins = (1 if flag & APOSTROPHE else 0) & prev_word
            prev_word = word
        counts[span] = n
    return counts


@numba.njit(cache=True, nogil=True)
def token_bounds_in_spans(
    chars: np.ndarray, starts: np.ndarray, ends: np.ndarray, flags: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where each token of each span starts and ends, and where each span's tokens start.

    Returns ``token_starts`` and ``token_ends`` (int64, all spans' tokens in
    order) and ``offsets`` (int64[n_spans + 1]).
    """
    offsets = np.zeros(len(starts) + 1, dtype=np.int64)
    offsets[1:] = np.cumsum(count_tokens_in_spans(chars, starts, ends, flags))
    token_starts = np.empty(offsets[-1], dtype=np.int64)
    token_ends = np.empty(offsets[-1], dtype=np.int64)
    out = 0
    for span in range(len(starts)):
        i, stop = starts[span], ends[span]
        while i < stop:
            if flags[chars[i]] & WORD:
                token_starts[out] = i
                i = _token_end(chars, i, stop, flags)
                token_ends[out] = i
                out += 1
            else:
                i += 1
    return token_starts, token_ends, offsets


@numba.njit(cache=True, nogil=True)
def token_hashes(
    chars: np.ndarray,
    token_starts: np.ndarray,
    token_ends: np.ndarray,
    lower_first: np.ndarray,
    lower_second: np.ndarray,
) -> np.ndarray:
    """A 64-bit hash (FNV-1a) of each token, lower-cased.

    Equal lower-cased tokens get equal hashes; so do tokens that differ only
    by a final sigma (``str.lower`` writes "ς" at the end of a word, these
    hashes read every sigma as "σ"), so equal hashes are a candidate for
    equal tokens, never a proof (:func:`hashes_name_tokens` checks).
    """
    hashes = np.empty(len(token_starts), dtype=np.uint64)
    for token in range(len(token_starts)):
        value = _FNV_OFFSET
        for j in range(token_starts[token], token_ends[token]):
            value = hash_code(value, chars[j], lower_first, lower_second)
        hashes[token] = value
    return hashes


@numba.njit(cache=True, nogil=True, inline="always")
def hash_code(value: np.uint64, code: int, lower_first: np.ndarray, lower_second: np.ndarray) -> np.uint64:
    """One character's step of the tokens' FNV-1a hash (:func:`token_hashes`): lower case, every sigma as σ."""
    if code < 128:  # ASCII: str.lower is a shift of A-Z
        if 65 <= code <= 90:
            code += 32
        return (value ^ np.uint64(code)) * _FNV_PRIME
    lower = lower_first[code]
    if lower == _FINAL_SIGMA:
        lower = _SIGMA
    value = (value ^ np.uint64(lower)) * _FNV_PRIME
    if lower_second[code] != 0:
        value = (value ^ np.uint64(lower_second[code])) * _FNV_PRIME
    return value


@numba.njit(cache=True, nogil=True)
def hashes_name_tokens(
    chars: np.ndarray,
    token_starts: np.ndarray,
    token_ends: np.ndarray,
    hashes: np.ndarray,
    lower_first: np.ndarray,
    lower_second: np.ndarray,
) -> bool:
    """Whether tokens with equal hashes (:func:`token_hashes`) are equal tokens.

    Compares every token, lower-cased character by character, with the
    token before it in hash order.  Tokens holding a Greek capital or final
    sigma are not vouched for (``str.lower`` treats a sigma by its place in
    the word, the hashes do not): the answer is then False.
    """
    for token in range(len(token_starts)):
        for j in range(token_starts[token], token_ends[token]):
            if chars[j] == 0x3A3 or chars[j] == _FINAL_SIGMA:
                return False
    order = np.argsort(hashes, kind="mergesort")
    for k in range(1, len(order)):
        this, other = order[k], order[k - 1]
        if hashes[this] != hashes[other]:
            continue
        a, b = token_starts[this], token_starts[other]
        if token_ends[this] - a != token_ends[other] - b:
            return False
        for offset in range(token_ends[this] - a):
            x, y = chars[a + offset], chars[b + offset]
            if lower_first[x] != lower_first[y] or lower_second[x] != lower_second[y]:
                return False
    return True


# --- sentences -----------------------------------------------------------------


@numba.njit(cache=True, nogil=True)
def line_end_at(chars: np.ndarray, start: int) -> int:
    """The offset of the line feed that ends the line starting at ``start`` (the text's length on the last line)."""
    end = start
    while end < len(chars) and chars[end] != 10:
        end += 1
    return end


@numba.njit(cache=True, nogil=True)
def skip_flagged(chars: np.ndarray, at: int, stop: int, table: np.ndarray, flag: int) -> int:
    """The first offset from ``at`` (at most ``stop``) whose character lacks ``flag`` in ``table``."""
    while at < stop and table[chars[at]] & flag:
        at += 1
    return at


@numba.njit(cache=True, nogil=True)
def sentence_spans(
    chars: np.ndarray,
    text_offsets: np.ndarray,
    flags: np.ndarray,
    lower_first: np.ndarray,
    lower_second: np.ndarray,
    abbreviations: np.ndarray,
    abbreviation_lengths: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Sentence spans of texts by the rules of :mod:`fplang.corpus.segment`, in one pass.

    Text ``t`` is ``chars[text_offsets[t]:text_offsets[t + 1]]``; all of a
    partition's texts go in one call (a call per text cost more than the work
    in it for short texts).  Returns ``starts``, ``ends`` and ``paragraphs``
    (int64), each sentence's character span in its text and the number of its
    paragraph (its line among the text's non-blank lines, from 0), texts one
    after another, and ``per_text``, the number of sentences of each text.
    ``abbreviations`` holds the lower-case abbreviations as rows of code
    points (padded with 0), ``abbreviation_lengths`` their lengths.

    A candidate end is a maximal run of ``.!?`` with the closing marks after
    it, followed by white space and a character that opens a sentence; the
    regular expression stated in :mod:`fplang.corpus.segment` finds exactly
    these, but tries every position inside a long run of full stops again.
    """
    n_texts = len(text_offsets) - 1
    capacity = len(chars) // 2 + n_texts  # a text of n characters has at most n // 2 + 1 sentences
    starts = np.empty(capacity, dtype=np.int64)
    ends = np.empty(capacity, dtype=np.int64)
    paragraphs = np.empty(capacity, dtype=np.int64)
    per_text = np.zeros(n_texts, dtype=np.int64)
    found = 0
    for text in range(n_texts):
        before = found
        found = _text_sentence_spans(
            chars[text_offsets[text] : text_offsets[text + 1]], flags, lower_first, lower_second, abbreviations,
            abbreviation_lengths, starts, ends, paragraphs, found,
        )  # fmt: skip
        per_text[text] = found - before
    return starts[:found].copy(), ends[:found].copy(), paragraphs[:found].copy(), per_text


@numba.njit(cache=True, nogil=True)
def _text_sentence_spans(
    chars: np.ndarray,
    flags: np.ndarray,
    lower_first: np.ndarray,
    lower_second: np.ndarray,
    abbreviations: np.ndarray,
    abbreviation_lengths: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    paragraphs: np.ndarray,
    found: int,
) -> int:
    """One text's sentences, written to ``starts``, ``ends``, ``paragraphs`` from ``found`` on; the new ``found``."""
    n = len(chars)
    paragraph = -1
    line_start = 0
    while line_start <= n:  # a line at a time, in one pass over its characters
        first_in_line = found
        i = line_start
        while i < n and chars[i] != 10 and flags[chars[i]] & SPACE:
            i += 1
        start = i  # len(line) - len(line.lstrip())
        if i < n and chars[i] != 10:  # the line holds more than white space: a paragraph
            paragraph += 1
        last_space = start - 1  # the last white-space character seen before i
        while i < n:
            c = chars[i]
            if 64 <= c < 128:  # ASCII letters and marks: neither white space nor . ! ?
                i += 1
                continue
            if c != 46 and c != 33 and c != 63:  # not . ! ?
                if c == 10:
                    break
                if flags[c] & SPACE:
                    last_space = i
                i += 1
                continue
            run_start = i
            while i < n and (chars[i] == 46 or chars[i] == 33 or chars[i] == 63):
                i += 1
            while i < n and flags[chars[i]] & CLOSER:
                i += 1
            end = i
            after = i
            while after < n and chars[after] != 10 and flags[chars[after]] & SPACE:
                after += 1
            if after == end or after == n or chars[after] == 10 or not flags[chars[after]] & OPENER:
                continue
            if end > start and _ends_sentence(
                chars, start, run_start, last_space, found == first_in_line,
                flags, lower_first, lower_second, abbreviations, abbreviation_lengths,
            ):  # fmt: skip
                starts[found] = start
                ends[found] = end
                paragraphs[found] = paragraph
                found += 1
                start = after
        line_end = i  # the line feed that ends the line, or the text's end
        content_end = line_end  # len(line.rstrip())
        while content_end > line_start and flags[chars[content_end - 1]] & SPACE:
            content_end -= 1
        if start < content_end:
            starts[found] = start
            ends[found] = content_end
            paragraphs[found] = paragraph
            found += 1
        line_start = line_end + 1
    return found


@numba.njit(cache=True, nogil=True)
def _ends_sentence(
    chars: np.ndarray,
    start: int,
    stop: int,
    last_space: int,
    is_first: bool,
    flags: np.ndarray,
    lower_first: np.ndarray,
    lower_second: np.ndarray,
    abbreviations: np.ndarray,
    abbreviation_lengths: np.ndarray,
) -> bool:
    """Whether the mark at ``stop`` ends the sentence begun at ``start`` (segment rule 3)."""
    if chars[stop] != 46:  # ! or ?
        return True
    word_start = max(start, last_space + 1)
    if word_start >= stop:  # nothing, or white space, before the full stop
        return True
    found_start = word_start
    while word_start < stop and (
        chars[word_start] == 34 or chars[word_start] == 39 or chars[word_start] == 40 or chars[word_start] == 91
    ):  # lstrip('"\'([')
        word_start += 1
    length = stop - word_start
    if _is_abbreviation(chars, word_start, stop, lower_first, lower_second, abbreviations, abbreviation_lengths):
        return False
    if length == 1 and flags[chars[word_start]] & UPPER:
        return False
    if is_first and length > 0 and found_start == start and word_start == start:
        all_digits = True
        for j in range(word_start, stop):
            if not flags[chars[j]] & DIGIT:
                all_digits = False
                break
        if all_digits:
            return False
    return True


@numba.njit(cache=True, nogil=True)
def _is_abbreviation(
    chars: np.ndarray,
    begin: int,
    stop: int,
    lower_first: np.ndarray,
    lower_second: np.ndarray,
    abbreviations: np.ndarray,
    abbreviation_lengths: np.ndarray,
) -> bool:
    """Whether ``chars[begin:stop]``, lower-cased by ``str.lower``, is one of the abbreviations."""
    longest = abbreviations.shape[1]
    if stop - begin > longest:
        return False
    lowered = np.zeros(2 * longest, dtype=np.int64)
    length = 0
    for j in range(begin, stop):
        lowered[length] = lower_first[chars[j]]
        length += 1
        if lower_second[chars[j]] != 0:
            lowered[length] = lower_second[chars[j]]
            length += 1
    for row in range(abbreviations.shape[0]):
        if abbreviation_lengths[row] != length:
            continue
        same = True
        for j in range(length):
            if abbreviations[row, j] != lowered[j]:
                same = False
                break
        if same:
            return True
    return False


@numba.njit(cache=True, nogil=True)
def holds_any(chars: np.ndarray, table: np.ndarray) -> bool:
    """Whether one of the code points has a nonzero entry in ``table``."""
    for c in chars:
        if table[c]:
            return True
    return False
