"""Compiled scans of the cleaning rules that read runs of characters and the edges of lines.

:class:`fplang.corpus.rule.RunsRule` (space runs, irregular spaces, curly
quotes, blank lines, spaces at a line's edge) and the wrapped-lines rule
(:mod:`fplang.corpus.wrapped`) ask simple questions of every character or
every line of every text; here each is one compiled pass over the ``str``
itself, read in place (:func:`fplang.corpus._kernels.str_width`), with
character classes taken from Python's own string methods.
"""

from __future__ import annotations

import functools

import numba
import numpy as np

from fplang.corpus._kernels import (
    N_CODEPOINTS,
    code_points,
    line_end_at,
    skip_flagged,
    str_view1,
    str_view2,
    str_view4,
    str_width,
)

# --- wrapped lines -------------------------------------------------------------

IS_SPACE, IS_LOWER, IS_ALNUM, IS_CLOSING, IS_FINAL, IS_JOIN_CLOSER = 1, 2, 4, 8, 16, 32
"""Bit flags of :func:`line_flags`: ``str.isspace``, ``str.islower`` and ``str.isalnum`` of one character,
the closing marks and sentence-final marks of :mod:`fplang.corpus.wrapped`, and the marks before which
a join adds no space."""


@functools.lru_cache(maxsize=1)
def line_flags(closing: str, final: str, join_closers: str) -> np.ndarray:
    """Per code point, the flags above (uint8), each taken from Python's own string methods."""
    codepoints = np.arange(N_CODEPOINTS, dtype=np.uint32)
    codepoints = codepoints[(codepoints < 0xD800) | (codepoints > 0xDFFF)]
    every_char = codepoints.tobytes().decode("utf-32-le")
    table = np.zeros(N_CODEPOINTS, dtype=np.uint8)
    for chars, flag in (
        ("".join(filter(str.isspace, every_char)), IS_SPACE),
        ("".join(filter(str.islower, every_char)), IS_LOWER),
        ("".join(filter(str.isalnum, every_char)), IS_ALNUM),
        (closing, IS_CLOSING),
        (final, IS_FINAL),
        (join_closers, IS_JOIN_CLOSER),
    ):
        table[code_points(chars)] |= flag
    return table


@numba.njit(cache=True, nogil=True)
def line_marks_of(text: str, table: np.ndarray, n_lines: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`line_marks` of the ``str`` itself, read in place (:func:`str_width`)."""
    width = str_width(text)
    if width == 1:
        return line_marks(str_view1(text), table, n_lines)
    if width == 2:
        return line_marks(str_view2(text), table, n_lines)
    return line_marks(str_view4(text), table, n_lines)


@numba.njit(cache=True, nogil=True)
def line_marks(chars: np.ndarray, table: np.ndarray, n_lines: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """What the wrapped-lines rule reads of each non-blank line (split at ``\\n``), in one pass.

    Returns, for each line holding a character that is not white space
    (``line.strip()``), its index among all lines; its ``rstrip(" \\t")`` end
    and the ``lstrip(" \\t")`` start of its content, as text offsets; and a
    bit set: 1 closed (:func:`fplang.corpus.wrapped.is_closed`), 2 its first
    character after ``lstrip()`` is lower case, 4 it ends in a hyphen after a
    letter or digit, 8 it starts (after spaces and tabs) with a mark a join
    puts no space before.  ``n_lines`` is the number of lines (``text.count("\n") + 1``).
    """
    n = len(chars)
    index = np.empty(n_lines, dtype=np.int64)
    bounds = np.empty((n_lines, 2), dtype=np.int64)
    marks = np.zeros(n_lines, dtype=np.uint8)
    found = 0
    line = 0
    start = 0
    while start <= n:
        end = line_end_at(chars, start)
        first = skip_flagged(chars, start, end, table, IS_SPACE)
        if first < end:
            right = end
            while right > start and (chars[right - 1] == 32 or chars[right - 1] == 9):
                right -= 1
            left = start
            while left < end and (chars[left] == 32 or chars[left] == 9):
                left += 1
            body = right
            while body > start and table[chars[body - 1]] & IS_CLOSING:
                body -= 1
            mark = 0
            if body > start and table[chars[body - 1]] & IS_FINAL:
                mark |= 1
            if table[chars[first]] & IS_LOWER:
                mark |= 2
            if right - 2 >= start and chars[right - 1] == 45 and table[chars[right - 2]] & IS_ALNUM:
                mark |= 4
            if left < end and table[chars[left]] & IS_JOIN_CLOSER:
                mark |= 8
            index[found] = line
            bounds[found, 0] = right
            bounds[found, 1] = left
            marks[found] = mark
            found += 1
        line += 1
        start = end + 1
    return index[:found].copy(), bounds[:found].copy(), marks[:found].copy()


# --- runs of characters --------------------------------------------------------

MEMBER, NEEDED = 1, 2
"""Bit flags of a :func:`character_runs` table: a character of the runs, and one a run must hold."""


@numba.njit(cache=True, nogil=True)
def character_runs(
    text: str, table: np.ndarray, min_run: int, need: bool, each: bool, line_edges: bool
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`character_runs_in` the ``str`` itself, read in place (:func:`str_width`)."""
    width = str_width(text)
    if width == 1:
        return character_runs_in(str_view1(text), table, min_run, need, each, line_edges)
    if width == 2:
        return character_runs_in(str_view2(text), table, min_run, need, each, line_edges)
    return character_runs_in(str_view4(text), table, min_run, need, each, line_edges)


@numba.njit(cache=True, nogil=True)
def character_runs_in(
    chars: np.ndarray, table: np.ndarray, min_run: int, need: bool, each: bool, line_edges: bool
) -> tuple[np.ndarray, np.ndarray]:
    """The spans of the maximal runs of ``MEMBER`` characters, as :class:`fplang.corpus.rule.RunsRule` reads them.

    A run is kept when it is at least ``min_run`` long, holds a ``NEEDED``
    character (with ``need``) and, with ``line_edges``, starts a line (at the
    text's start or after ``\\n``) or ends one (before ``\\n`` or at the text's
    end).  With ``each`` every character of a kept run is a span of its own.
    Two passes: the first counts the spans, the second writes them.
    """
    nowhere = np.empty(0, dtype=np.int64)
    if line_edges and not table[10] & MEMBER:  # a run at a line's edge is found from the line feeds
        found = _edge_runs_pass(chars, table, min_run, need, each, nowhere, nowhere)
        starts = np.empty(found, dtype=np.int64)
        ends = np.empty(found, dtype=np.int64)
        if found:
            _edge_runs_pass(chars, table, min_run, need, each, starts, ends)
        return starts, ends
    found = _runs_pass(chars, table, min_run, need, each, line_edges, nowhere, nowhere)
    starts = np.empty(found, dtype=np.int64)
    ends = np.empty(found, dtype=np.int64)
    if found:
        _runs_pass(chars, table, min_run, need, each, line_edges, starts, ends)
    return starts, ends


@numba.njit(cache=True, nogil=True)
def _runs_pass(
    chars: np.ndarray,
    table: np.ndarray,
    min_run: int,
    need: bool,
    each: bool,
    line_edges: bool,
    starts: np.ndarray,
    ends: np.ndarray,
) -> int:
    """One pass of :func:`character_runs`: the number of spans, written to ``starts`` and ``ends`` if they have room.

    With ``need`` only the ``NEEDED`` characters are looked for, and the
    maximal run around each is then read back and forth: the ordinary spaces
    of a text, members of the irregular-spaces runs but seldom kept, cost one
    look-up each (a third of the time of reading every run).
    """
    n = len(chars)
    write = len(starts) > 0
    found = 0
    i = 0
    while i < n:
        if need:
            while i < n and not table[chars[i]] & NEEDED:
                i += 1
        else:
            while i < n and not table[chars[i]] & MEMBER:
                i += 1
        if i >= n:
            break
        if not table[chars[i]] & MEMBER:  # a needed character that is no member: no run
            i += 1
            continue
        start = i
        while start > 0 and table[chars[start - 1]] & MEMBER:
            start -= 1
        while i < n and table[chars[i]] & MEMBER:
            i += 1
        if i - start < min_run:
            continue
        if line_edges and not (start == 0 or chars[start - 1] == 10 or i == n or chars[i] == 10):
            continue
        found = _kept_run(start, i, each, starts, ends, write, found)
    return found


@numba.njit(cache=True, nogil=True)
def _edge_runs_pass(
    chars: np.ndarray,
    table: np.ndarray,
    min_run: int,
    need: bool,
    each: bool,
    starts: np.ndarray,
    ends: np.ndarray,
) -> int:
    """:func:`_runs_pass` with ``line_edges`` where a line feed is no member: only each line's two ends are read.

    A maximal run that starts a line runs forward from the line's first
    character, one that ends it back from its last; a line of members only
    is one run.  So the characters inside the lines are never looked at.
    """
    n = len(chars)
    write = len(starts) > 0
    found = 0
    line_start = 0
    while line_start <= n:
        line_end = line_end_at(chars, line_start)
        first_end = skip_flagged(chars, line_start, line_end, table, MEMBER)
        if first_end > line_start and _run_holds(chars, line_start, first_end, table, min_run, need):
            found = _kept_run(line_start, first_end, each, starts, ends, write, found)
        if first_end < line_end:
            last_start = line_end
            while last_start > first_end and table[chars[last_start - 1]] & MEMBER:
                last_start -= 1
            if last_start < line_end and _run_holds(chars, last_start, line_end, table, min_run, need):
                found = _kept_run(last_start, line_end, each, starts, ends, write, found)
        line_start = line_end + 1
    return found


@numba.njit(cache=True, nogil=True, inline="always")
def _run_holds(chars: np.ndarray, start: int, stop: int, table: np.ndarray, min_run: int, need: bool) -> bool:
    """Whether the run ``chars[start:stop]`` is long enough and, with ``need``, holds a ``NEEDED`` character."""
    if stop - start < min_run:
        return False
    if not need:
        return True
    for k in range(start, stop):
        if table[chars[k]] & NEEDED:
            return True
    return False


@numba.njit(cache=True, nogil=True, inline="always")
def _kept_run(start: int, stop: int, each: bool, starts: np.ndarray, ends: np.ndarray, write: bool, found: int) -> int:
    """Record the run ``[start, stop)`` (each character apart with ``each``) if ``write``; the spans so far."""
    if not each:
        if write:
            starts[found] = start
            ends[found] = stop
        return found + 1
    for k in range(start, stop):
        if write:
            starts[found] = k
            ends[found] = k + 1
        found += 1
    return found
