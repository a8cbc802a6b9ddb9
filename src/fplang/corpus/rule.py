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
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from fplang.corpus._kernels import code_points
from fplang.corpus._runs import MEMBER, NEEDED, character_runs
from fplang.corpus.prefilters import Prefilter
from fplang.literals import Requirement, fold, holds, required_literals


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

    @functools.cached_property
    def compiled(self) -> re.Pattern[str]:
        """The pattern, compiled once a rule (``re.compile``'s own cache hashes the flags, an enum, in Python)."""
        return re.compile(self.pattern, self.flags)

    @functools.cached_property
    def requirement(self) -> Requirement | None:
        """The literals a text must hold for the pattern to match (:func:`fplang.literals.required_literals`)."""
        return required_literals(self.pattern, self.flags)

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
        compiled, requirement = self.compiled, self.requirement
        units = _LoweredUnits.of(text) if self.starts_with and _ascii(self.starts_with, requirement) else None
        found: Iterable[re.Match[str]]
        if units is not None and units.holds(requirement):
            found = self._tried_at(compiled, text, units.find)
        elif units is not None:
            return text, []
        else:
            folded = fold(text) if self.starts_with else None
            if requirement is not None and not holds(requirement, text, bool(compiled.flags & _IGNORECASE), folded):
                return text, []
            found = self.matches(compiled, text, folded)
        expand = _expander(self.replacement)
        removals: list[Removal] = []
        pieces: list[str] = []
        last = 0
        for match in found:
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
        ``starts_with`` matches no empty string.)  :meth:`apply` finds the same
        places in the text's lowered code units (:class:`_LoweredUnits`) where it can.
        """
        if folded is None:
            folded = fold(text) if self.starts_with else ""
        if not self.starts_with or len(folded) != len(text):
            yield from compiled.finditer(text)
            return
        yield from self._tried_at(compiled, text, folded.find)

    def _tried_at(
        self, compiled: re.Pattern[str], text: str, find: Callable[[str, int], int]
    ) -> Iterator[re.Match[str]]:
        """The pattern tried where ``find`` (``str.find`` of the folded text, or the same) finds :attr:`starts_with`."""
        position = find(self.starts_with, 0)
        while position >= 0:
            match = compiled.match(text, position)
            if match is not None and match.end() > position:
                yield match
                position = find(self.starts_with, match.end())
            else:
                position = find(self.starts_with, position + 1)


_IGNORECASE = int(re.IGNORECASE)
"""The flag as a plain int (``int & RegexFlag`` runs the enum's Python ``__rand__``)."""


_FOLDED_OTHERWISE = "\u0130\u0131\u017f\u212a"
"""The characters that :func:`fplang.literals.fold` makes an ASCII letter although they are none: "İ" (lowered
to two characters), dotless "ı", long "ſ" and the Kelvin sign (``tests/test_prefilters.py`` checks every code point)."""


@functools.lru_cache(maxsize=64)
def _ascii(starts_with: str, requirement: Requirement | None) -> bool:
    """Whether a rule's :attr:`Rule.starts_with` and required literals are ASCII (:class:`_LoweredUnits` needs it)."""
    literals = [literal for clause in requirement or () for literal in clause]
    return starts_with.isascii() and all(literal.isascii() for literal in literals)


class _LoweredUnits:
    """A text's UTF-8 bytes with the ASCII letters lowered, where an ASCII literal is found as in its fold.

    ``str.lower`` of a text that is not ASCII costs about 5 ns a character
    (Unicode's case tables, character by character); the two Viet Nam rules
    lowered every text, about 2 s on the full UN corpus.  ``bytes.lower``
    lowers ASCII letters only, through a table; in UTF-8 every byte of a
    character beyond ASCII is above 0x7F; and a character other than an ASCII
    letter folds to an ASCII letter, or to more than one character, only if it
    is one of :data:`_FOLDED_OTHERWISE`.  So, for a text holding none of
    those, an ASCII literal stands in :func:`fplang.literals.fold` of the text
    exactly where its bytes stand in these bytes.  Byte offsets become
    character offsets by decoding the bytes between (calls with increasing
    offsets, as :meth:`Rule._tried_at` makes, decode each byte once).
    """

    def __init__(self, text: str, units: bytes, ascii_only: bool) -> None:
        self._text = text
        self.units = units
        self.ascii_only = ascii_only
        self._char, self._byte = 0, 0  # a character offset and its byte offset (the last converted)

    @classmethod
    def of(cls, text: str) -> _LoweredUnits | None:
        """The lowered bytes of ``text``; None when the fold must be made (a character of :data:`_FOLDED_OTHERWISE`)."""
        if text.isascii():
            return cls(text, text.encode("ascii").lower(), True)
        if any(char in text for char in _FOLDED_OTHERWISE):
            return None
        return cls(text, text.encode("utf-8", "surrogatepass").lower(), False)

    def find(self, literal: str, start: int = 0) -> int:
        """``fold(text).find(literal, start)`` for an ASCII ``literal``."""
        found = self.units.find(literal.encode("ascii"), start if self.ascii_only else self._byte_at(start))
        return found if found < 0 or self.ascii_only else self._char_at(found)

    def _byte_at(self, char: int) -> int:
        if char < self._char:
            self._char, self._byte = 0, 0
        self._byte += len(self._text[self._char : char].encode("utf-8", "surrogatepass"))
        self._char = max(self._char, char)
        return self._byte

    def _char_at(self, byte: int) -> int:
        if byte < self._byte:
            self._char, self._byte = 0, 0
        self._char += len(self.units[self._byte : byte].decode("utf-8", "surrogatepass"))
        self._byte = byte
        return self._char

    def holds(self, requirement: Requirement | None) -> bool:
        """Whether the fold holds an (ASCII) literal of each clause, as :func:`fplang.literals.may_match` asks."""
        if requirement is None:
            return True
        return all(any(literal.encode("ascii") in self.units for literal in clause) for clause in requirement)


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
        if self.requirement is not None and not holds(self.requirement, text, bool(self.compiled.flags & _IGNORECASE)):
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
class AnchoredRule(Rule):
    """A rule whose matches are tried only near the hits of literal-first *anchors*, not at every position.

    ``re`` tries a pattern that starts with a class, a choice, ``^`` or a
    lookbehind at every position of the text (5-15 ns a character); an anchor
    that starts with a literal (``\\n``, ``(``) is found at memchr speed.  The
    rule states, and ``tests/test_prefilters.py`` checks against the plain
    pattern, that every match the pattern can give either starts at position 0
    or holds, at some offset ``n`` not before its start, a hit of one of
    :attr:`anchors`, with the characters between the match's first one and
    ``n`` all in :attr:`back_over` (or starts at most :attr:`reach` characters
    after ``n``: a line-anchored pattern, whose anchor is the line break before
    it).  Positions are then tried in increasing order, from position 0 and in
    the window of each hit, each at most once, a search resuming where the last
    match ended: the matches ``finditer`` gives, found without the scan.  The
    pattern must match no empty string, or nothing but empty strings (a
    place between two characters: the next try is one character on).
    """

    anchors: tuple[str, ...] = ()
    """Literal-first regular expressions (flags 0); a hit's start is ``n`` above."""
    back_over: str = ""
    """Characters a match may hold between its first character and its anchor's hit."""
    reach: int = 0
    """How far after a hit's start a match may start (1 when the anchor is the line break before it)."""

    @functools.cached_property
    def compiled_anchors(self) -> list[re.Pattern[str]]:
        """The :attr:`anchors`, compiled once."""
        return [re.compile(anchor) for anchor in self.anchors]

    @functools.cached_property
    def anchor_literals(self) -> list[str]:
        """A literal each anchor needs ("" if none is known): a text without it is not searched for the anchor.

        ``in`` scans faster than ``re``'s search; only the most selective clause
        of :func:`fplang.literals.required_literals` is read, and only when it is
        one literal (testing several would cost more scans than it saves).
        """
        literals = []
        for anchor in self.anchors:
            requirement = required_literals(anchor)
            clause = requirement[0] if requirement else frozenset()
            literals.append(next(iter(clause)) if len(clause) == 1 else "")
        return literals

    def apply(self, text: str) -> tuple[str, list[Removal]]:
        if self.prefilter is not None and not self.prefilter(text):
            return text, []
        found = self.found(text)
        if not found:
            return text, []
        expand = _expander(self.replacement)
        positions: list[int] = []
        removed: list[str] = []
        replaced_by: list[str] = []
        pieces: list[str] = []
        last = 0
        for match in found:
            replacement = expand(match)
            span = match.group()
            if span == replacement:
                continue
            start = match.start()
            positions.append(start)
            removed.append(span)
            replaced_by.append(replacement)
            pieces += [text[last:start], replacement]
            last = match.end()
        if not positions:
            return text, []
        pieces.append(text[last:])
        return "".join(pieces), removals_of(self.name, positions, removed, replaced_by)

    def matches(self, compiled: re.Pattern[str], text: str, folded: str | None = None) -> Iterator[re.Match[str]]:
        """The matches ``compiled.finditer(text)`` gives (``compiled`` must be the rule's pattern): :meth:`found`."""
        yield from self.found(text)

    def found(self, text: str) -> list[re.Match[str]]:
        """The matches ``finditer`` gives, tried at position 0 and in each anchor hit's window, left to right."""
        match_at = self.compiled.match
        searches = [anchor.search for anchor in self.compiled_anchors]
        back_over, reach, end = self.back_over, self.reach, len(text)
        found: list[re.Match[str]] = []
        match = match_at(text, 0)
        if match is not None:
            found.append(match)
        tried = 1 if match is None else match.end()  # every position before this was tried, or is inside a match
        upcoming = [  # each anchor's next hit (none when the text lacks the literal the anchor needs)
            search(text) if literal in text else None
            for search, literal in zip(searches, self.anchor_literals, strict=True)
        ]
        while True:
            hit = min((found_hit.start() for found_hit in upcoming if found_hit is not None), default=-1)
            if hit < 0:
                return found
            low = hit
            while low > tried and text[low - 1] in back_over:
                low -= 1
            position = max(low - 1, tried)
            last = min(hit + reach, end)
            while position <= last:
                match = match_at(text, position)
                if match is None:
                    position += 1
                else:
                    found.append(match)
                    position = match.end() if match.end() > position else position + 1
            tried = max(tried, position)
            resume = max(hit + 1, tried - reach)
            upcoming = [
                found_hit if found_hit is None or found_hit.start() >= resume else search(text, resume)
                for search, found_hit in zip(searches, upcoming, strict=True)
            ]
