"""What a cleaning rule is: a named regular expression, where it applies, and what it removed.

Every rule of :mod:`fplang.corpus.clean`, :mod:`fplang.corpus.rules_sites`,
:mod:`fplang.corpus.rules_un` and :mod:`fplang.corpus.repeats` is a :class:`Rule`
(or a subclass that overrides :meth:`Rule.apply`); each match it takes out is
recorded as a :class:`Removal`, so the cleaning report accounts for every character.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from fplang.corpus._kernels import code_points
from fplang.corpus._runs import MEMBER, NEEDED, character_runs
from fplang.corpus.prefilters import Prefilter
from fplang.literals import fold, may_match


class Removal(NamedTuple):
    """One span a rule took out (or replaced) of a document.

    A named tuple, not a dataclass: the full UN corpus gives about two million
    of them, and a tuple is made in a third of the time (and transposed into
    the report's columns with ``zip``).
    """

    rule: str
    position: int
    removed: str
    replaced_by: str = ""


def removals_of(rule: str, positions: list[int], removed: list[str], replaced_by: list[str]) -> list[Removal]:
    """One :class:`Removal` for each position, made in bulk (``tuple.__new__`` from C, not the named
    tuple's ``__new__`` in Python, once a removal: the UN records' line joins are a million)."""
    rows = zip(itertools.repeat(rule), positions, removed, replaced_by)
    return list(map(tuple.__new__, itertools.repeat(Removal), rows))


def spans_of(text: str, starts: list[int], ends: list[int]) -> list[str]:
    """``text[starts[k]:ends[k]]`` for each k, sliced in bulk (``map`` from C, not a comprehension)."""
    return list(map(text.__getitem__, map(slice, starts, ends)))


def spliced(text: str, starts: list[int], ends: list[int], replacements: list[str]) -> str:
    """``text`` with each span ``[starts[k], ends[k])`` replaced by ``replacements[k]``.

    The spans are in order and do not overlap.  The pieces are cut and
    interleaved in bulk (slices and list slice assignment), not appended one
    by one in a Python loop: the UN records' wrapped-lines rule joins a
    million lines.
    """
    pieces = [""] * (2 * len(starts) + 1)
    pieces[::2] = spans_of(text, [0, *ends], [*starts, len(text)])
    pieces[1::2] = replacements
    return "".join(pieces)


@dataclass(frozen=True)
class Rule:
    """A regular-expression rule: every match is replaced by ``replacement``.

    ``replacement`` may use group references (``\\1``) but must never bring
    letters or digits that the match did not hold; an empty replacement
    deletes the match.
    """

    name: str
    description: str
    pattern: str
    replacement: str = ""
    where: Mapping[str, str] = field(default_factory=dict)
    flags: int = re.MULTILINE
    scope: str = ""
    """Which documents ``where`` selects, in words, for the book's table of rules (else the regexes)."""
    prefilter: Prefilter | None = None
    """A cheap test every text the pattern matches passes (:mod:`fplang.corpus.prefilters`); None: no test."""
    starts_with: str = ""
    """Lower-case text every match of a case-insensitive pattern begins with ("viet"): the pattern is then
    tried only where the lower-cased text holds it (:meth:`matches`), not at every position."""

    def applies_to(self, metadata: Mapping[str, object]) -> bool:
        """Whether the document with this manifest row is cleaned by the rule."""
        return all(
            re.fullmatch(regex, str(metadata.get(column, ""))) is not None
            for column, regex in self.where.items()
        )

    def apply(self, text: str) -> tuple[str, list[Removal]]:
        """The text with every match replaced, and what was removed.

        A text that fails the rule's :attr:`prefilter`, or lacks every literal
        the pattern needs (:func:`fplang.literals.may_match`), is returned at
        once: the search would find nothing.
        """
        if self.prefilter is not None and not self.prefilter(text):
            return text, []
        folded = _folded(text) if self.starts_with else None
        if not may_match(self.pattern, self.flags, text, folded):
            return text, []
        compiled = re.compile(self.pattern, self.flags)
        expand = _expander(self.replacement)
        removals: list[Removal] = []
        pieces: list[str] = []
        last = 0
        for match in self.matches(compiled, text, folded):
            replaced_by = expand(match)
            if match.group() == replaced_by:
                continue
            removals.append(Removal(self.name, match.start(), match.group(), replaced_by))
            pieces.append(text[last : match.start()])
            pieces.append(replaced_by)
            last = match.end()
        if not removals:
            return text, []
        pieces.append(text[last:])
        return "".join(pieces), removals

    def matches(self, compiled: re.Pattern[str], text: str, folded: str | None = None) -> Iterator[re.Match[str]]:
        """The matches ``compiled.finditer(text)`` gives, found from the places that hold :attr:`starts_with`.

        ``re`` cannot skip ahead to a case-insensitive literal, so it tries such
        a pattern at every position; here ``str.find`` in the folded text
        (:func:`fplang.literals.fold`, as long as the text) gives the only
        places a match can start, and the pattern is tried there, left to
        right, each search resuming where the last match ended, as ``finditer``
        does.  ``folded`` is ``fold(text)`` when the caller has it.  (Every pattern given a
        ``starts_with`` matches no empty string.)
        """
        if folded is None:
            folded = fold(text) if self.starts_with else ""
        if not self.starts_with or len(folded) != len(text):
            yield from compiled.finditer(text)
            return
        position = folded.find(self.starts_with)
        while position >= 0:
            match = compiled.match(text, position)
            if match is not None and match.end() > position:
                yield match
                position = folded.find(self.starts_with, match.end())
            else:
                position = folded.find(self.starts_with, position + 1)


_last_folded: tuple[str, str] = ("", "")
"""The last text :func:`_folded` folded, and its fold (one tuple, read and replaced whole: safe in threads)."""


def _folded(text: str) -> str:
    """:func:`fplang.literals.fold` of ``text``, kept for the next call with the same text.

    The two case-insensitive Viet Nam rules each fold the whole text; when no
    rule between them changed it (the same ``str`` object), the second reuses
    the first's fold.
    """
    global _last_folded
    last_text, last_fold = _last_folded
    if text is last_text:
        return last_fold
    _last_folded = (text, fold(text))
    return _last_folded[1]


@functools.lru_cache(maxsize=256)
def _expander(replacement: str) -> Callable[[re.Match[str]], str]:
    """A function giving ``match.expand(replacement)``, with the template read once, not at every match.

    Python 3.11's ``Match.expand`` parses the template again at every call,
    which cost more than the matching itself in the paragraph-number rule.
    A template of plain text and ``\\1``-style group references is read here;
    any other (``\\g<name>``, escapes) is left to ``Match.expand``.
    """
    if "\\" not in replacement:
        return lambda match: replacement
    pieces = _GROUP_REFERENCE.split(replacement)  # text, group, text, group, ..., text
    if any("\\" in text for text in pieces[::2]):
        return lambda match: match.expand(replacement)
    groups = [int(group) for group in pieces[1::2]]

    def expand(match: re.Match[str]) -> str:
        parts = [pieces[0]]
        for group, text in zip(groups, pieces[2::2], strict=True):
            parts += [match.group(group) or "", text]
        return "".join(parts)

    return expand


_GROUP_REFERENCE = re.compile(r"\\([1-9][0-9]?)(?![0-9])")
"""A group reference ``\\1`` to ``\\99`` in a replacement template (not followed by a third digit)."""

_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class NfcRule(Rule):
    """Put the text in Unicode normalisation form C, reporting each word it changes.

    NFC composes a letter and its combining marks into one character where
    Unicode has one ("e" + U+0301 -> "é") and orders the remaining marks, so
    canonically equivalent spellings become the same string.  White space
    never composes with its neighbours, so each run of non-space characters is
    normalised on its own and each changed one is reported.
    """

    pattern: str = ""

    def apply(self, text: str) -> tuple[str, list[Removal]]:
        if unicodedata.is_normalized("NFC", text):
            return text, []
        removals: list[Removal] = []
        pieces: list[str] = []
        last = 0
        for match in _WORD.finditer(text):
            word = match.group()
            if unicodedata.is_normalized("NFC", word):
                continue
            composed = unicodedata.normalize("NFC", word)
            removals.append(Removal(self.name, match.start(), word, composed))
            pieces += [text[last : match.start()], composed]
            last = match.end()
        pieces.append(text[last:])
        return "".join(pieces), removals


@dataclass(frozen=True)
class EdgeWhitespaceRule(Rule):
    """Remove the white space at the start and at the end of a text, as two spans.

    The same removals as the pattern ``\\A\\s++|(?<!\\s)\\s++\\Z`` (``re``'s ``\\s``
    and ``str.strip`` both take the characters ``str.isspace`` accepts), found
    with ``str.lstrip`` and ``str.rstrip``: ``re`` would try the pattern's
    second branch at every position of the text, which on the whole UN corpus
    cost about 12 s.
    """

    pattern: str = ""

    def apply(self, text: str) -> tuple[str, list[Removal]]:
        start = len(text) - len(text.lstrip())
        end = len(text.rstrip())
        removals = [Removal(self.name, 0, text[:start])] if start else []
        if end > start and end < len(text):
            removals.append(Removal(self.name, end, text[end:]))
        if not removals:
            return text, []
        return text[start:end] if end > start else "", removals


@dataclass(frozen=True)
class RunsRule(Rule):
    """A rule whose pattern only finds runs of some characters, applied by a compiled scan of the text.

    ``re`` tries a pattern that starts with a class, a ``^`` or a lookbehind
    at every position of the text; these rules (space runs, irregular spaces,
    curly quotes, blank lines, spaces at a line's edge) match nothing but
    maximal runs of ``members``, which :func:`fplang.corpus._runs.character_runs`
    finds in one pass.  ``pattern`` states the same matches as a regular
    expression (``tests/test_prefilters.py`` compares the two); each match is
    replaced by ``replacement``, a plain string.

    A run is a match when it is at least ``min_run`` long, holds one of
    ``needed`` (if given) and, with ``line_edges``, starts or ends a line;
    with ``each`` every character of it is a match of its own.
    """

    members: str = ""
    needed: str = ""
    min_run: int = 1
    each: bool = False
    line_edges: bool = False

    def apply(self, text: str) -> tuple[str, list[Removal]]:
        # Runs at a line's edge are found from the line feeds alone, runs that must hold a needed character by
        # seeking those characters: both scans cost less than the prefilter's searches, so it is not asked.
        if self.prefilter is not None and not (self.line_edges or self.needed) and not self.prefilter(text):
            return text, []
        if not may_match(self.pattern, self.flags, text):
            return text, []
        table = _runs_table(self.members, self.needed)
        starts, ends = character_runs(text, table, self.min_run, bool(self.needed), self.each, self.line_edges)
        if len(starts) == 0:
            return text, []
        positions, stops = starts.tolist(), ends.tolist()
        removed = spans_of(text, positions, stops)
        if self.replacement in removed:  # a match equal to its replacement is no change (as in Rule.apply)
            kept = [k for k, span in enumerate(removed) if span != self.replacement]
            if not kept:
                return text, []
            positions, stops = [positions[k] for k in kept], [stops[k] for k in kept]
            removed = [removed[k] for k in kept]
        replaced_by = [self.replacement] * len(positions)
        return spliced(text, positions, stops, replaced_by), removals_of(self.name, positions, removed, replaced_by)


@functools.lru_cache(maxsize=32)
def _runs_table(members: str, needed: str) -> np.ndarray:
    """The table :func:`fplang.corpus._runs.character_runs` reads: ``MEMBER`` and ``NEEDED`` bits by code point."""
    table = np.zeros(0x110000, dtype=np.uint8)
    table[code_points(members)] |= MEMBER
    if needed:
        table[code_points(needed)] |= NEEDED
    return table


@dataclass(frozen=True)
class SpacesBeforeRule(Rule):
    """A rule whose pattern is ``(?<![ \\t])[ \\t]*+`` then ``span``: a span taken out with the spaces before it.

    ``re`` tries such a pattern at every position (its start is a
    lookbehind); ``span`` alone, when it starts with a literal or a small
    class, is found at memchr speed.  Every match of the whole pattern is a
    match of ``span`` with the run of spaces and tabs before it (the
    lookbehind makes the match start at the run's first character, and the
    possessive run cannot give a character back), and ``span``'s matches,
    found left to right, are the same spans, so each is widened back over the
    spaces and tabs before it.  ``span`` must match neither an empty string nor
    one ending in a space or tab (so that no run before a span reaches back
    into the previous one).  ``pattern`` states the whole and is the test's reference.
    """

    span: str = ""

    def apply(self, text: str) -> tuple[str, list[Removal]]:
        if self.prefilter is not None and not self.prefilter(text):
            return text, []
        if not may_match(self.pattern, self.flags, text):
            return text, []
        positions: list[int] = []
        removed: list[str] = []
        pieces: list[str] = []
        last = 0
        for match in re.finditer(self.span, text, self.flags):
            start = match.start()
            while start > last and text[start - 1] in " \t":
                start -= 1
            positions.append(start)
            removed.append(text[start : match.end()])
            pieces += [text[last:start], self.replacement]
            last = match.end()
        if not positions:
            return text, []
        pieces.append(text[last:])
        return "".join(pieces), removals_of(self.name, positions, removed, [self.replacement] * len(positions))
