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

import re
from collections.abc import Callable
from dataclasses import dataclass

Prefilter = Callable[[str], bool]
"""Whether a text may hold a match of a rule's pattern (False only when it cannot)."""


@dataclass(frozen=True)
class HoldsAny:
    """A prefilter passing texts that hold at least one of ``needles`` (``in``: a memchr-speed scan)."""

    needles: tuple[str, ...]

    def __call__(self, text: str) -> bool:
        return any(needle in text for needle in self.needles)


@dataclass(frozen=True)
class SearchesAny:
    """A prefilter passing texts where one of ``patterns`` is found; each should start with a literal."""

    patterns: tuple[str, ...]

    def __call__(self, text: str) -> bool:
        return any(re.search(pattern, text) is not None for pattern in self.patterns)


def has_line_edge_space(text: str) -> bool:
    """Whether a line of the text starts or ends with a space (the only places ``trailing_spaces`` matches)."""
    return text.startswith(" ") or text.endswith(" ") or " \n" in text or "\n " in text


_PARAGRAPH_NUMBER_AT_START = re.compile(r"\s*+\d")
_PARAGRAPH_NUMBER_AFTER_BREAK = re.compile(r"\n[ \t]*+\d{1,3}\.[ \t]")


def may_have_paragraph_number(text: str) -> bool:
    """Whether a number ``12.`` and a space start the text or a line (where ``un_paragraph_number`` matches).

    The rule's three contexts are the text's start (after white space) and a
    line break (after punctuation or a blank line); after any of them come
    spaces or tabs, the number, its full stop and a space or tab.
    """
    return _PARAGRAPH_NUMBER_AT_START.match(text) is not None or _PARAGRAPH_NUMBER_AFTER_BREAK.search(text) is not None
