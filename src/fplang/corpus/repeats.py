"""Repeated paragraphs: a paragraph that repeats an earlier one of the same document is counted once.

Web pages repeat a paragraph as a photo caption or a pull quote; counted twice,
its words would weigh double.  Two paragraphs are the same when their token
sequences agree to at least 0.9 by difflib's ``ratio``, which catches captions
that differ by a word.

How it stays fast and small on any text
---------------------------------------
Comparing every pair of paragraphs is quadratic in time, and a matrix of all
pairs quadratic in memory (a text of 100,000 short lines asked for 75 GiB).
Instead, in time and memory that grow with the text:

0. Most texts repeat nothing, which one pass over the text proves
   (:func:`fplang.corpus._line_signatures.may_repeat`: each line's token count and a 256-bit signature of
   its tokens bound the tokens any two lines can share); only the texts it
   cannot clear (4 of 2,738 UN speeches, each with a repeat) go on.
1. Tokens are hashed in one compiled pass (:mod:`fplang.corpus._kernels`).
2. A paragraph whose token sequence equals an earlier one's is a repeat: it is
   found by hashing whole paragraphs.
3. For the rest, difflib's ratio is at most its ``quick_ratio`` (twice the
   tokens two paragraphs share, as multisets, over their lengths), and two
   paragraphs with a quick ratio of at least 0.9 must share one of the rarest
   ~18% of each one's tokens (the *prefix filter* of set-similarity joins:
   Chaudhuri, Ganti and Kaushik, ICDE 2006; Bayardo, Ma and Srikant, WWW
   2007).  An index from those rare tokens to the paragraphs kept so far
   yields the few candidates; only they are measured.
4. difflib's own ``ratio`` decides every candidate, on the real tokens.

The paragraphs removed are those the pairwise definition removes: the prefix
filter never loses a pair that reaches the threshold and difflib's ratio is
re-stated exactly (:func:`_matched_tokens`); the tests compare the two on the
book's documents and on generated texts.  Two bounds keep adversarial text
linear: a paragraph is compared with at most :data:`MAX_CANDIDATES` earlier
ones and measured against at most :data:`MAX_COMPARISONS`, bounds natural
text does not reach (on every 11th UN speech, 996, the removals are the same
without them).  Where something is removed, the hashes are checked against the
tokens; should two different tokens share one, the document is re-checked by
the plain procedure of :func:`_repeats_exactly`.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

import numba
import numpy as np

from fplang.corpus._kernels import char_flags, code_points, hashes_name_tokens, token_bounds_in_spans, token_hashes
from fplang.corpus._line_signatures import MAX_PAIRED_LINES, may_repeat
from fplang.corpus.rule import Removal, Rule
from fplang.corpus.tokens import tokenize


@dataclass(frozen=True)
class RepeatedParagraphRule(Rule):
    """Drop a paragraph (a line) that repeats an earlier one of the same document.

    Web pages repeat a paragraph as a photo caption or a pull quote; counted
    twice, its words would weigh double.  Two paragraphs are the same when
    their token sequences agree to at least ``threshold`` (difflib's ratio),
    which catches captions that differ by a word.  The first occurrence stays.
    Paragraphs shorter than ``min_tokens`` (headings, "VNA") are left alone.
    """

    pattern: str = ""
    threshold: float = 0.9
    min_tokens: int = 8

    def apply(self, text: str) -> tuple[str, list[Removal]]:
        if not may_repeat(text, char_flags(), self.min_tokens, self.threshold, MAX_PAIRED_LINES):
            return text, []
        lines = text.splitlines(keepends=True)
        repeats = repeated_lines(text, lines, self.threshold, self.min_tokens)
        if not repeats:
            return text, []
        removals: list[Removal] = []
        out: list[str] = []
        position = 0
        for index, line in enumerate(lines):
            if index in repeats:
                removals.append(Removal(self.name, position, line))
            else:
                out.append(line)
            position += len(line)
        return "".join(out), removals


def repeated_lines(text: str, lines: Sequence[str], threshold: float, min_tokens: int) -> set[int]:
    """The indices of the ``lines`` of ``text`` that repeat an earlier kept line (see the module docstring)."""
    if len(lines) < 2:
        return set()
    chars, starts, ends = _line_spans(text, lines)
    flags, lower_first, lower_second = char_flags()
    found = _repeated_in_text(
        chars, starts, ends, flags, lower_first, lower_second, min_tokens, threshold, MAX_CANDIDATES, MAX_COMPARISONS
    )
    status, removed, token_starts, token_ends, hashes = found
    if status == _KEYS_COLLIDE:
        return _repeats_exactly(lines, threshold, min_tokens)  # two sequences with one key
    repeats = set(np.flatnonzero(removed).tolist())
    if repeats and not hashes_name_tokens(chars, token_starts, token_ends, hashes, lower_first, lower_second):
        return _repeats_exactly(lines, threshold, min_tokens)  # two tokens share a hash (or a sigma)
    return repeats


_KEYS_COLLIDE = 1
"""Status of :func:`_repeated_in_text`: two different token sequences share a key (the plain procedure decides)."""


@numba.njit(cache=True, nogil=True)
def _repeated_in_text(
    chars: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    flags: np.ndarray,
    lower_first: np.ndarray,
    lower_second: np.ndarray,
    min_tokens: int,
    threshold: float,
    max_candidates: int,
    max_comparisons: int,
) -> tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every step of :func:`repeated_lines` on one text in one compiled call: which lines are repeats.

    Tokens and their hashes; the lines of at least ``min_tokens`` tokens; an
    exact repeat is a line whose sequence key equals an earlier line's (the
    sequences compared, status :data:`_KEYS_COLLIDE` if they differ); the first
    occurrences go through the prefix filter (:func:`_near_duplicates`'s steps,
    with ``np.unique`` and ``np.lexsort`` re-stated by stable sorts).  One call
    instead of about ten numpy and numba calls a document, whose fixed costs were
    most of the rule's time on the UN speeches (a few hundred lines each).
    Returns the status, a flag a line, and the tokens' bounds and hashes.
    """
    token_starts, token_ends, offsets = token_bounds_in_spans(chars, starts, ends, flags)
    hashes = token_hashes(chars, token_starts, token_ends, lower_first, lower_second)
    removed_line = np.zeros(len(starts), dtype=np.bool_)
    n_long = 0
    for line in range(len(starts)):
        if offsets[line + 1] - offsets[line] >= min_tokens:
            n_long += 1
    if n_long < 2:
        return 0, removed_line, token_starts, token_ends, hashes
    long_lines = np.empty(n_long, dtype=np.int64)
    n_long = 0
    for line in range(len(starts)):
        if offsets[line + 1] - offsets[line] >= min_tokens:
            long_lines[n_long] = line
            n_long += 1
    keys = _sequence_keys(hashes, offsets, long_lines)
    by_key = np.argsort(keys, kind="mergesort")  # equal keys in text order: the first is the first occurrence
    is_first = np.ones(n_long, dtype=np.bool_)
    group_start = 0
    for k in range(1, n_long):
        this = by_key[k]
        if keys[this] != keys[by_key[k - 1]]:
            group_start = k
            continue
        first = by_key[group_start]
        if not _same_sequences(hashes, offsets, long_lines[this : this + 1], long_lines[first : first + 1]):
            return _KEYS_COLLIDE, removed_line, token_starts, token_ends, hashes
        is_first[this] = False
        removed_line[long_lines[this]] = True
    n_unique = 0
    for k in range(n_long):
        if is_first[k]:
            n_unique += 1
    unique = np.empty(n_unique, dtype=np.int64)
    n_unique = 0
    for k in range(n_long):
        if is_first[k]:
            unique[n_unique] = long_lines[k]
            n_unique += 1
    elements, element_starts = _elements(hashes, offsets, unique)
    by_element = np.argsort(elements)  # any order of equal elements: they get one rank
    distinct = np.empty(len(elements), dtype=np.int64)  # each element's index among the distinct values
    frequency = np.zeros(len(elements) + 1, dtype=np.int64)
    n_distinct = 0
    for k in range(len(elements)):
        if k == 0 or elements[by_element[k]] != elements[by_element[k - 1]]:
            n_distinct += 1
        distinct[by_element[k]] = n_distinct - 1
        frequency[n_distinct - 1] += 1
    # rank: rarest first, ties by element (np.lexsort((arange, frequency))), by a counting sort on the frequency
    first_of = np.zeros(len(elements) + 2, dtype=np.int64)
    for d in range(n_distinct):
        first_of[frequency[d] + 1] += 1
    for f in range(1, len(first_of)):
        first_of[f] += first_of[f - 1]
    rank = np.empty(n_distinct, dtype=np.int64)
    for d in range(n_distinct):
        rank[d] = first_of[frequency[d]]
        first_of[frequency[d]] += 1
    ranks = np.empty(len(elements), dtype=np.int64)
    for k in range(len(elements)):
        ranks[k] = rank[distinct[k]]
    minimum = np.empty(n_unique, dtype=np.int64)
    for row in range(n_unique):
        minimum[row] = max(1, int(threshold * (element_starts[row + 1] - element_starts[row]) / (2.0 - threshold)))
    near = _prefix_filter(
        ranks, element_starts, minimum, n_distinct, hashes, offsets, unique, threshold, max_candidates, max_comparisons
    )
    for row in range(n_unique):
        if near[row]:
            removed_line[unique[row]] = True
    return 0, removed_line, token_starts, token_ends, hashes


def _line_spans(text: str, lines: Sequence[str]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The text's code points and each line's character span."""
    ends = np.cumsum(np.fromiter(map(len, lines), dtype=np.int64, count=len(lines)))
    starts = np.concatenate([np.zeros(1, dtype=np.int64), ends[:-1]])
    return code_points(text), starts, ends


def _ratio(tokens: list[str], earlier: list[str]) -> float:
    """difflib's ratio with the earlier paragraph as the indexed sequence (as the rule has always measured)."""
    return difflib.SequenceMatcher(None, tokens, earlier, autojunk=False).ratio()


def _minimum_overlap(length: int, threshold: float) -> int:
    """A lower bound of the tokens a paragraph of ``length`` must share to reach ``threshold``.

    Twice the overlap ``o`` over the two lengths is at most ``2o / (length + o)``
    (the other paragraph holds nothing else), so ``o >= t * length / (2 - t)``;
    rounded down, so that floating point can only lengthen the prefix.
    """
    return max(1, int(threshold * length / (2.0 - threshold)))


@numba.njit(cache=True, nogil=True)
def _sequence_keys(hashes: np.ndarray, offsets: np.ndarray, lines: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each chosen line's token-hash sequence."""
    keys = np.empty(len(lines), dtype=np.uint64)
    for row in range(len(lines)):
        value = np.uint64(0x84222325CBF29CE4)
        for position in range(offsets[lines[row]], offsets[lines[row] + 1]):
            value = (value ^ hashes[position]) * np.uint64(0x100000001B3)
            value ^= value >> np.uint64(29)
        keys[row] = value
    return keys


@numba.njit(cache=True, nogil=True)
def _same_sequences(hashes: np.ndarray, offsets: np.ndarray, lines: np.ndarray, others: np.ndarray) -> bool:
    """Whether each line's token-hash sequence equals that of the other line beside it."""
    for row in range(len(lines)):
        a, b = lines[row], others[row]
        if offsets[a + 1] - offsets[a] != offsets[b + 1] - offsets[b]:
            return False
        for k in range(offsets[a + 1] - offsets[a]):
            if hashes[offsets[a] + k] != hashes[offsets[b] + k]:
                return False
    return True


@numba.njit(cache=True, nogil=True)
def _mix(value: np.uint64) -> np.uint64:
    """splitmix64's finaliser: spreads the bits of an element hash."""
    value = (value ^ (value >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    value = (value ^ (value >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return value ^ (value >> np.uint64(31))


@numba.njit(cache=True, nogil=True)
def _elements(hashes: np.ndarray, offsets: np.ndarray, lines: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each line's tokens as a set of elements ``(token, occurrence)``, hashed: a multiset made a set.

    Returns the elements of all lines (uint64) and each line's offsets into them.
    """
    starts = np.zeros(len(lines) + 1, dtype=np.int64)
    for row in range(len(lines)):
        starts[row + 1] = starts[row] + offsets[lines[row] + 1] - offsets[lines[row]]
    elements = np.empty(starts[-1], dtype=np.uint64)
    for row in range(len(lines)):
        tokens = np.sort(hashes[offsets[lines[row]] : offsets[lines[row] + 1]])
        occurrence = 0
        for k in range(len(tokens)):
            occurrence = occurrence + 1 if k > 0 and tokens[k] == tokens[k - 1] else 0
            elements[starts[row] + k] = _mix(tokens[k] + np.uint64(occurrence) * np.uint64(0x9E3779B97F4A7C15))
    return elements, starts


MAX_CANDIDATES = 200
"""Earlier paragraphs examined for one paragraph, at most: those sharing its rarest tokens, rarest first.

A paragraph whose rarest tokens occur in more than 200 kept paragraphs is
no caption; the bound keeps adversarial text (thousands of lines drawn from
twenty words) linear in time.  On every 11th speech of the UN General Debate
Corpus (996) the removals are the same with and without both bounds."""

MAX_COMPARISONS = 32
"""difflib comparisons for one paragraph, at most (candidates that share at least 90% of its tokens)."""


@numba.njit(cache=True, nogil=True)
def _prefix_filter(
    ranks: np.ndarray,
    starts: np.ndarray,
    minimum: np.ndarray,
    n_elements: int,
    hashes: np.ndarray,
    offsets: np.ndarray,
    lines: np.ndarray,
    threshold: float,
    max_candidates: int,
    max_comparisons: int,
) -> np.ndarray:
    """The rule, line by line, with an index of the kept lines' rarest elements.

    A line's candidates are the kept lines sharing one of its prefix elements
    (its ``len - minimum + 1`` rarest), rarest element first, latest line
    first.  A candidate of similar length whose shared elements give a quick
    ratio of at least ``threshold`` is measured with difflib's ratio
    (:func:`_matched_tokens`); the first that reaches ``threshold`` makes the
    line a repeat.  Otherwise the line is kept and its prefix indexed.
    """
    n_lines = len(starts) - 1
    sorted_ranks = ranks.copy()
    for row in range(n_lines):
        sorted_ranks[starts[row] : starts[row + 1]] = np.sort(ranks[starts[row] : starts[row + 1]])
    head = np.full(n_elements, -1, dtype=np.int64)
    next_entry = np.empty(len(ranks), dtype=np.int64)
    entry_line = np.empty(len(ranks), dtype=np.int64)
    n_entries = 0
    seen_by = np.full(n_lines, -1, dtype=np.int64)
    removed = np.zeros(n_lines, dtype=np.bool_)
    for line in range(n_lines):
        a = sorted_ranks[starts[line] : starts[line + 1]]
        size_a = len(a)
        prefix = min(size_a, size_a - minimum[line] + 1)
        tokens = hashes[offsets[lines[line]] : offsets[lines[line] + 1]]
        candidates, comparisons = 0, 0
        for p in range(prefix):
            entry = head[a[p]]
            while entry >= 0 and not removed[line] and candidates < max_candidates and comparisons < max_comparisons:
                earlier = entry_line[entry]
                entry = next_entry[entry]
                if seen_by[earlier] == line:
                    continue
                seen_by[earlier] = line
                candidates += 1
                b = sorted_ranks[starts[earlier] : starts[earlier + 1]]
                total = size_a + len(b)
                if 2.0 * min(size_a, len(b)) / total < threshold:
                    continue
                shared, i, j = 0, 0, 0
                while i < size_a and j < len(b):
                    if a[i] == b[j]:
                        shared += 1
                        i += 1
                        j += 1
                    elif a[i] < b[j]:
                        i += 1
                    else:
                        j += 1
                if 2.0 * shared / total < threshold:
                    continue
                comparisons += 1
                earlier_tokens = hashes[offsets[lines[earlier]] : offsets[lines[earlier] + 1]]
                if 2.0 * _matched_tokens(tokens, earlier_tokens) / total >= threshold:
                    removed[line] = True
        if not removed[line]:
            for p in range(prefix):
                entry_line[n_entries] = line
                next_entry[n_entries] = head[a[p]]
                head[a[p]] = n_entries
                n_entries += 1
    return removed


@numba.njit(cache=True, nogil=True)
def _matched_tokens(a: np.ndarray, b: np.ndarray) -> int:
    """The tokens difflib's ``SequenceMatcher(None, a, b, autojunk=False)`` matches: ``ratio * (len(a) + len(b)) / 2``.

    difflib's ``get_matching_blocks`` re-stated: the longest common run of
    ``a[alo:ahi]`` and ``b[blo:bhi]`` (earliest in ``a``, then in ``b``, found
    as ``find_longest_match`` finds it), then the same on each side of it.
    """
    order = np.argsort(b, kind="mergesort")  # equal values keep their order: b2j's lists
    values = b[order]
    length_of = np.zeros((2, len(b) + 1), dtype=np.int64)
    stamp_of = np.full((2, len(b) + 1), -1, dtype=np.int64)
    tick = 0
    stack = np.empty((2 * min(len(a), len(b)) + 2, 4), dtype=np.int64)
    stack[0, 0], stack[0, 1], stack[0, 2], stack[0, 3] = 0, len(a), 0, len(b)
    depth = 1
    matched = 0
    while depth > 0:
        depth -= 1
        alo, ahi, blo, bhi = stack[depth, 0], stack[depth, 1], stack[depth, 2], stack[depth, 3]
        best_i, best_j, best_size = alo, blo, 0
        tick += 2  # stamps of an earlier window never read as the previous row
        for i in range(alo, ahi):
            tick += 1
            now, before = tick % 2, (tick - 1) % 2
            low = np.searchsorted(values, a[i], side="left")
            high = np.searchsorted(values, a[i], side="right")
            for position in range(low, high):
                j = order[position]
                if j < blo:
                    continue
                if j >= bhi:
                    break
                k = 1
                if j > 0 and stamp_of[before, j - 1] == tick - 1:
                    k = length_of[before, j - 1] + 1
                length_of[now, j] = k
                stamp_of[now, j] = tick
                if k > best_size:
                    best_i, best_j, best_size = i - k + 1, j - k + 1, k
        if best_size:
            matched += best_size
            if alo < best_i and blo < best_j:
                stack[depth, 0], stack[depth, 1], stack[depth, 2], stack[depth, 3] = alo, best_i, blo, best_j
                depth += 1
            if best_i + best_size < ahi and best_j + best_size < bhi:
                stack[depth, 0], stack[depth, 1] = best_i + best_size, ahi
                stack[depth, 2], stack[depth, 3] = best_j + best_size, bhi
                depth += 1
    return matched


def _repeats_exactly(lines: Sequence[str], threshold: float, min_tokens: int) -> set[int]:
    """The rule on real tokens, line by line, with the same prefix index: slower, used when hashes mislead.

    Needed only when two paragraphs share their tokens as multisets but not
    in order (or two token sequences share a hash); memory still grows with
    the text, not its square.
    """
    tokens = [tokenize(line) for line in lines]
    long_lines = [i for i, words in enumerate(tokens) if len(words) >= min_tokens]
    elements = {i: [(word, k) for word, count in Counter(tokens[i]).items() for k in range(count)] for i in long_lines}
    frequency = Counter(element for i in long_lines for element in elements[i])
    index: dict[tuple[str, int], list[int]] = {}
    repeats: set[int] = set()
    for line in long_lines:
        ordered = sorted(elements[line], key=lambda element: (frequency[element], element))
        prefix = ordered[: len(ordered) - _minimum_overlap(len(ordered), threshold) + 1]
        mine = Counter(tokens[line])
        candidates = dict.fromkeys(earlier for element in prefix for earlier in index.get(element, []))
        for earlier in candidates:
            total = len(tokens[line]) + len(tokens[earlier])
            shared = sum((mine & Counter(tokens[earlier])).values())
            if 2.0 * shared / total >= threshold and _ratio(tokens[line], tokens[earlier]) >= threshold:
                repeats.add(line)
                break
        else:
            for element in prefix:
                index.setdefault(element, []).append(line)
    return repeats


REPEATED_PARAGRAPHS = RepeatedParagraphRule(
    "repeated_paragraph",
    "A paragraph that repeats an earlier one (a photo caption, a pull quote) is counted once.",
)
