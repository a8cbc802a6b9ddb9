"""Hard-wrapped text: when a line break is a paragraph break and when it only wraps a sentence.

One rule for every document (:data:`WRAPPED_LINES`) and, with joins across
blank lines, the UN records' own (``un_wrapped_lines`` in
:mod:`fplang.corpus.rules_un`).  The rule is stated in :class:`WrappedLinesRule`.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from itertools import pairwise

import numpy as np

from fplang.corpus._runs import line_flags, line_marks_of
from fplang.corpus.rule import Removal, Rule, removals_of, spans_of, spliced
from fplang.corpus.segment import ABBREVIATIONS

CLOSING_MARKS = "\"'\u201d\u2019)\\]\u00bb"
"""Closing quotation marks and brackets (a character class) that may follow a sentence's last mark."""

SENTENCE_FINAL = ".!?:;\u2026"
"""Marks after which a line ends a sentence (colon and semicolon too: a list or a quotation follows)."""

_CLOSING_CHARACTERS = "\"'\u201d\u2019)]\u00bb"
"""The characters of :data:`CLOSING_MARKS` (a regex class) as a plain string, for ``str.rstrip``."""


def is_closed(line: str) -> bool:
    """Whether a line (no line break in it) ends a sentence: ``[.!?:;…][closing marks]*[ \t]*$``.

    Read from the line's end with ``str.rstrip`` instead of searched with that
    pattern, which ``re`` tries at every position of the line (the wrapped-lines
    rule asks it of every line of the corpus, twice).  The two agree: the
    spaces, then the closing marks, then one sentence-final mark, from the end.
    """
    body = line.rstrip(" \t").rstrip(_CLOSING_CHARACTERS)
    return body[-1:] in SENTENCE_FINAL and body != ""


@dataclass(frozen=True)
class WrappedLinesRule(Rule):
    """Join hard-wrapped lines into paragraphs: a line break inside a sentence is not a paragraph break.

    Segmentation takes a line for a paragraph, so a text wrapped at 70
    columns would give a paragraph, and a sentence break, at every line end.
    The UN records show every habit: 1978-1984 records give one paragraph a
    line, 1992-2014 copies wrap lines at 50-70 characters, 2015 on give one
    paragraph a line again, and some texts mix both.  A line is *open* when it does not end
    with sentence-final punctuation (``. ! ? : ; …``, perhaps followed by a
    closing quote or bracket).  A document is *hard-wrapped* when at least
    ``wrapped_share`` of its non-blank lines are open; in the corpus the share
    is below 0.3 for nine documents in ten of the paragraph-a-line kind and
    above 0.75 for the wrapped ones.

    * In a hard-wrapped document every open line is joined to the next
      line.  With ``across_blank_lines`` (the UN records' rule) it is joined
      to the next non-blank line, across blank lines too (a page break leaves
      blank lines in mid-sentence: "the Security\\n\\n\\nCouncil");
      without it (every other document) a blank line always ends a paragraph.
    * In any other document an open line is joined only when the next
      non-blank line starts with a lower-case letter, the one sign of a wrap
      that a heading or salutation ("Mr. President,") never gives.

    The join is one space, or nothing after a hyphen that follows a letter or
    digit ("sixty-\\nthird" -> "sixty-third") or before a closing mark ("," ")").
    Only white space is removed or replaced, so no letter or digit is ever
    added.  Idempotent: after a pass a hard-wrapped document has no open line
    followed by text, and in any other document the joins lower the open share,
    so it stays below the threshold and finds nothing new to join; where a
    join would raise the share past it (a closed line joined to an open one),
    the document is taken as hard-wrapped in the first pass.
    """

    pattern: str = ""
    wrapped_share: float = 0.5
    across_blank_lines: bool = True

    def apply(self, text: str) -> tuple[str, list[Removal]]:
        if type(self).joins is WrappedLinesRule.joins and self.across_blank_lines:
            return self._apply_compiled(text)
        lines = text.split("\n")
        content = [i for i, line in enumerate(lines) if line.strip()]
        if len(content) < 2:
            return text, []
        hard_wrapped = open_line_share(text) >= self.wrapped_share
        joined, removals = self._join(text, lines, content, hard_wrapped)
        if not hard_wrapped and open_line_share(joined) >= self.wrapped_share:
            # Joining a closed line to an open one (allowed by SentenceWrapRule
            # when a full stop does not end a sentence) can raise the open share
            # past the threshold: a second pass would find the text hard-wrapped
            # and join more.  Treat it as hard-wrapped now, so cleaning is idempotent.
            joined, removals = self._join(text, lines, content, hard_wrapped=True)
        return joined, removals

    def _apply_compiled(self, text: str) -> tuple[str, list[Removal]]:
        """:meth:`apply` for this class's own :meth:`joins`, with each line read by a compiled pass.

        :func:`fplang.corpus._runs.line_marks` reads what :meth:`joins`,
        :func:`is_closed` and :func:`_joiner` ask of each line, with Python's
        own character classes; on the UN records (a few million lines) the same
        questions asked line by line in Python were the rule's whole cost.
        """
        index, bounds, marks = line_marks_of(text, _line_flags(), text.count("\n") + 1)
        if len(index) < 2:
            return text, []
        n_open = int(np.count_nonzero(marks & 1 == 0))
        hard_wrapped = n_open / len(index) >= self.wrapped_share
        joined, removals = self._join_marked(text, bounds, marks, hard_wrapped)
        if not hard_wrapped and removals:
            _, _, joined_marks = line_marks_of(joined, _line_flags(), joined.count("\n") + 1)
            n_lines = len(joined_marks)
            share = np.count_nonzero(joined_marks & 1 == 0) / n_lines if n_lines else 0.0
            if share >= self.wrapped_share:
                # as in apply: joins that raise the open share past the threshold make the text hard-wrapped
                joined, removals = self._join_marked(text, bounds, marks, hard_wrapped=True)
        return joined, removals

    def _join_marked(
        self, text: str, bounds: np.ndarray, marks: np.ndarray, hard_wrapped: bool
    ) -> tuple[str, list[Removal]]:
        """:meth:`_join` from the lines' marks: each open line is joined to the next non-blank one."""
        is_open = marks[:-1] & 1 == 0
        if not hard_wrapped:
            is_open &= marks[1:] & 2 != 0  # the next line starts in lower case
        joined = np.flatnonzero(is_open)
        if len(joined) == 0:
            return text, []
        gap_starts = bounds[joined, 0].tolist()
        gap_ends = bounds[joined + 1, 1].tolist()
        no_space = ((marks[joined] & 4) | (marks[joined + 1] & 8)) != 0
        joiners = list(map(_JOINERS.__getitem__, no_space.tolist()))
        removals = removals_of(self.name, gap_starts, spans_of(text, gap_starts, gap_ends), joiners)
        return spliced(text, gap_starts, gap_ends, joiners), removals

    def _join(
        self, text: str, lines: list[str], content: list[int], hard_wrapped: bool
    ) -> tuple[str, list[Removal]]:
        """``text`` with every line break that :meth:`joins` accepts replaced by its joiner."""
        starts = _line_starts(lines)
        removals: list[Removal] = []
        pieces: list[str] = []
        last = 0
        for current, following in pairwise(content):
            line, next_line = lines[current], lines[following]
            if following > current + 1 and not self.across_blank_lines:
                continue
            if not self.joins(line, next_line, hard_wrapped):
                continue
            gap_start = starts[current] + len(line.rstrip(" \t"))
            gap_end = starts[following] + len(next_line) - len(next_line.lstrip(" \t"))
            joiner = _joiner(line.rstrip(" \t"), next_line.lstrip(" \t"))
            removals.append(Removal(self.name, gap_start, text[gap_start:gap_end], joiner))
            pieces += [text[last:gap_start], joiner]
            last = gap_end
        if not removals:
            return text, []
        pieces.append(text[last:])
        return "".join(pieces), removals


    def joins(self, line: str, next_line: str, hard_wrapped: bool) -> bool:
        """Whether a line break is a wrap: after an open line, in a hard-wrapped document or before lower case."""
        if is_closed(line):
            return False
        return hard_wrapped or next_line.lstrip()[:1].islower()


@dataclass(frozen=True)
class SentenceWrapRule(WrappedLinesRule):
    """The wrapped-lines rule of every document: a line break is a paragraph break only where a sentence ends.

    As :class:`WrappedLinesRule` (the same test of a hard-wrapped document),
    but a blank line always ends a paragraph, and a break is kept only where
    segmentation (:mod:`fplang.corpus.segment`) would end a sentence anyway:
    the line ends in ``. ! ? …`` (perhaps with closing quotes or brackets),
    not after an abbreviation ("Mr.") or a single initial, and the next line
    starts as a sentence does (a capital, a digit, an opening quote or
    bracket).  So a wrapped copy of a paragraph gives the sentences of the
    paragraph itself.  A line ending in ":" or ";" is open here: segmentation
    does not end a sentence there.
    """

    across_blank_lines: bool = False

    def joins(self, line: str, next_line: str, hard_wrapped: bool) -> bool:
        if ends_sentence(line, next_line):
            return False
        return hard_wrapped or next_line.lstrip()[:1].islower()


_SENTENCE_END_RE = re.compile(f"[.!?\u2026][{CLOSING_MARKS}]*[ \t]*$")
_CLOSERS = "\"'\u201d\u2019)]\u00bb"
_OPENS_SENTENCE_RE = re.compile("[\"'\u2018\u201c(\\[A-Z0-9\u00c0-\u024f\u1e00-\u1eff]")
"""What may start a sentence: the characters segmentation accepts after a full stop."""


def ends_sentence(line: str, next_line: str) -> bool:
    """Whether segmentation would end a sentence between ``line`` and ``next_line`` were they one line."""
    if not _SENTENCE_END_RE.search(line) or not _OPENS_SENTENCE_RE.match(next_line.lstrip()):
        return False
    last = line.rstrip(" \t").rstrip(_CLOSERS)
    if not last.endswith("."):
        return True
    words = last[:-1].split()
    word = words[-1].lstrip("\"'([") if words and not last[:-1][-1:].isspace() else ""
    return word.lower() not in ABBREVIATIONS and not (len(word) == 1 and word.isupper())


def _line_flags() -> np.ndarray:
    """The character table :func:`fplang.corpus._runs.line_marks` reads, for this module's marks."""
    return line_flags(_CLOSING_CHARACTERS, SENTENCE_FINAL, _JOIN_CLOSERS)


def open_line_share(text: str) -> float:
    """Share of the non-blank lines of ``text`` that do not end a sentence (0 for no lines).

    A line ends a sentence when its last mark is one of ``. ! ? : ; …``,
    perhaps followed by closing quotes or brackets and spaces.
    """
    content = [line for line in text.split("\n") if line.strip()]
    if not content:
        return 0.0
    return sum(1 for line in content if not is_closed(line)) / len(content)


def _line_starts(lines: list[str]) -> list[int]:
    """Each line's offset in the text the lines were split from (at ``"\\n"``)."""
    return list(itertools.accumulate((len(line) + 1 for line in lines[:-1]), initial=0))


_JOIN_CLOSERS = ",.;:!?)]\u00bb\u201d"
"""Marks a joined line may start with that take no space before them."""

_JOINERS = (" ", "")
"""What replaces a joined line break, by whether it takes no space (:func:`_joiner`)."""


def _joiner(left: str, right: str) -> str:
    """What replaces the line break between two joined lines: a space or nothing.

    Nothing after a hyphen that follows a letter or digit (``re``'s ``[^\\W_]``
    is ``str.isalnum``), or before a closing mark.
    """
    if (left.endswith("-") and left[-2:-1].isalnum()) or right[:1] in _JOIN_CLOSERS:
        return ""
    return " "


WRAPPED_LINES = SentenceWrapRule(
    "wrapped_lines",
    "A line break inside a sentence is not a paragraph break. A document is hard-wrapped when at "
    "least half of its non-blank lines end without sentence-final punctuation (. ! ? : ; …); there "
    "a line break is joined with a space (nothing after a hyphen) unless a sentence ends there "
    "(. ! ? or … not after an abbreviation, and the next line starts with a capital, a digit or an "
    "opening quote). In any other document a line is joined only when the next starts in lower "
    "case. A blank line always ends a paragraph. UN speeches have their own rule, un_wrapped_lines.",
    where={"doc_type": "(?!un_speech$).*"},
    scope="every document but UN speeches",
)
"""The wrapped-lines rule for every document but the UN speeches (``un_wrapped_lines`` joins those)."""
