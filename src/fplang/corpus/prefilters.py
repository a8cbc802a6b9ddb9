"""Cheap tests that say when a cleaning rule cannot match a text, so its search is skipped.

Python's ``re`` is fast only when a pattern starts with a literal: it then
jumps from one occurrence of that character to the next.  A pattern that
starts with ``^``, a lookbehind or a character class is tried at every
position of the text, 5-15 ns a character; run twenty times over the 199
million characters of the UN General Debate Corpus, that was most of the
corpus build's time.  Most rules match in a minority of texts (paragraph
numbers in the old records, run-together sentences in a few OCR copies), so
a rule carries a *prefilter* (:attr:`fplang.corpus.rule.Rule.prefilter`): a
test the text must pass for the rule's pattern to match anywhere in it,
written with ``str`` methods or literal-first patterns, which cost a small
fraction of the search.  A text that fails it is returned unchanged, as the
search would have returned it.

Each prefilter is a *necessary* condition of a match, stated next to the rule
it serves; ``tests/test_prefilters.py`` checks on the corpus and on hostile
texts that no text the rule changes fails its prefilter.  The literal test of
:mod:`fplang.literals`, derived from the pattern itself, still runs after it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from fplang.corpus._kernels import code_points, holds_any

Prefilter = Callable[[str], bool]
"""Whether a text may hold a match of a rule's pattern (False only when it cannot)."""


@dataclass(frozen=True)
class HoldsAny:
    """A prefilter passing texts that hold at least one of ``needles`` (``in``: a memchr-speed scan)."""

    needles: tuple[str, ...]

    def __call__(self, text: str) -> bool:
        return any(needle in text for needle in self.needles)


def has_line_edge_space(text: str) -> bool:
    """Whether a line of the text starts or ends with a space (the only places ``trailing_spaces`` matches)."""
    return text.startswith(" ") or text.endswith(" ") or " \n" in text or "\n " in text


@dataclass(frozen=True)
class HoldsCharacterIn:
    """A prefilter passing texts holding a character of ``characters`` (a regex character class, no brackets).

    A class is the one kind of pattern ``re`` cannot skip ahead to: searched
    for, it is tried at every position of the text (about 15 ns a character
    for the format characters' class).  Here a table of the class's code points
    is read, one look-up a character, by :func:`fplang.corpus._kernels.holds_any`.
    """

    characters: str

    def __call__(self, text: str) -> bool:
        if text.isascii() and not _ascii_members(self.characters):
            return False
        return holds_any(code_points(text), _class_table(self.characters))


@functools.lru_cache(maxsize=32)
def _class_table(characters: str) -> np.ndarray:
    """1 for each code point the class ``[characters]`` matches (read with ``re`` itself), else 0."""
    every_char = np.arange(0x110000, dtype=np.uint32)
    every_char = every_char[(every_char < 0xD800) | (every_char > 0xDFFF)]
    members = re.findall(f"[{characters}]", every_char.tobytes().decode("utf-32-le"))
    table = np.zeros(0x110000, dtype=np.uint8)
    table[code_points("".join(members))] = 1
    return table


@functools.lru_cache(maxsize=32)
def _ascii_members(characters: str) -> bool:
    """Whether the class ``[characters]`` matches an ASCII character."""
    return re.search(f"[{characters}]", "".join(map(chr, range(128)))) is not None
