"""The runs kernels read in place: the line-edge scan and the plain scan find the same runs.

:func:`fplang.corpus._runs.character_runs` reads a ``str`` through a view of
its own buffer and, for runs at a line's edge, reads only each line's two ends
(``_edge_runs_pass``).  Both are compared here with a plain Python statement of
what a run is, on generated texts of every string width.
"""

from __future__ import annotations

import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from fplang.corpus._runs import MEMBER, NEEDED, character_runs


def _table(members: str, needed: str) -> np.ndarray:
    table = np.zeros(0x110000, dtype=np.uint8)
    for char in members:
        table[ord(char)] |= MEMBER
    for char in needed:
        table[ord(char)] |= NEEDED
    return table


def _expected(text: str, members: str, needed: str, min_run: int, each: bool, line_edges: bool) -> list[tuple[int, int]]:
    """Maximal runs of ``members`` as the kernel's docstring states them, found with ``re``."""
    spans: list[tuple[int, int]] = []
    for match in re.finditer(f"[{re.escape(members)}]+", text):
        start, stop = match.span()
        if stop - start < min_run or (needed and not any(char in needed for char in match.group())):
            continue
        if line_edges and not (start == 0 or text[start - 1] == "\n" or stop == len(text) or text[stop] == "\n"):
            continue
        spans += [(k, k + 1) for k in range(start, stop)] if each else [(start, stop)]
    return spans


_TEXTS = st.text(alphabet=st.sampled_from(list(" \t\n\u00a0ab.\u2014\U0001d538\u3000")), max_size=60)


@settings(max_examples=400, deadline=None)
@given(
    _TEXTS,
    st.sampled_from([(" ", ""), (" \u00a0\u3000", "\u00a0\u3000"), (" \t", "\t"), ("\n", "")]),
    st.integers(1, 3),
    st.booleans(),
    st.booleans(),
)
def test_runs_found_in_place_are_the_runs_of_the_definition(text, member_sets, min_run, each, line_edges):
    members, needed = member_sets
    starts, ends = character_runs(text, _table(members, needed), min_run, bool(needed), each, line_edges)
    assert list(zip(starts.tolist(), ends.tolist(), strict=True)) == _expected(
        text, members, needed, min_run, each, line_edges
    )


def test_runs_at_line_edges_on_every_line_shape():
    text = "  a  \n\n   \n b\nc \n \n" + " " * 5
    starts, ends = character_runs(text, _table(" ", ""), 1, False, False, True)
    assert list(zip(starts.tolist(), ends.tolist(), strict=True)) == [(0, 2), (3, 5), (7, 10), (11, 12), (15, 16), (17, 18), (19, 24)]
