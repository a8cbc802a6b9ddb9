"""The literals a regular expression cannot match without: a sound, cheap test to skip a search.

Python's ``re`` tries a pattern at every position of a text; a pattern that
starts with ``\\b``, ``^`` or a lookbehind gets no help from its prefix, so a
cleaning rule costs about as much on a text it never matches as on one it
does, and the dating rules, tried on every sentence, cost the most of all.
Most of those patterns cannot match without some literal: the soft-hyphen
rules need "¬", a named event needs "Geneva" or "Paris", a year needs "19" or
"20".  :func:`required_literals` reads them off the pattern's parse tree, and
:func:`may_match` says whether a text holds one of them: when it does not, the
pattern has no match there, so skipping the search changes nothing.

The reading is conservative: what it cannot see through (a backreference, a
negated class, a flag changed inside the pattern) gives no requirement, and
a requirement is always something every match, with its lookarounds, holds.
Case-insensitive patterns are tested on the lower-cased text, with the three
characters ``re`` also matches to an ASCII letter ("İ", dotless "ı", long "ſ")
read as "i" and "s"; a requirement of a case-insensitive pattern holds no
character that ``re`` pairs with another beyond its lower case (``tests/test_literals.py``
checks every code point).
"""

from __future__ import annotations

import functools
import itertools
import re
import re._casefix as _casefix
import re._constants as sre
import re._parser as sre_parse
from typing import Any

Clause = frozenset[str]
"""Literals of which a text must hold at least one."""

Requirement = tuple[Clause, ...]
"""Clauses a text must all satisfy (``(("national",), ("day",))``: both words)."""

_MAX_CLASS_SIZE = 16
"""A character class of at most this many characters is a clause (any one of them)."""

_MAX_CLAUSES = 64
"""Clauses kept for one requirement (the most selective); any subset is still a requirement."""

_CLAUSES_TESTED = 4
"""Clauses a requirement keeps: the most selective, and none of single characters when a longer one exists
(testing for "s" or "0" costs more than it saves)."""

_ALSO_ASCII = {"\u0130": "i", "\u0131": "i", "\u017f": "s"}
"""The characters ``re`` with IGNORECASE matches to an ASCII letter although ``str.lower`` gives no
such letter in their place: "İ" ("i̇", two characters), dotless "ı" and long "ſ" (the Kelvin sign
lowers to "k" and needs nothing)."""


@functools.lru_cache(maxsize=512)
def required_literals(pattern: str, flags: int = 0) -> Requirement | None:
    """Clauses of literals any text the pattern matches satisfies; None if none is known.

    A text satisfies a clause when it holds at least one of its literals, and
    the requirement when it satisfies every clause.  For a case-insensitive
    pattern the literals are folded (compare them with :func:`fold`'s text).
    """
    parsed = sre_parse.parse(pattern, flags)
    ignore_case = bool(parsed.state.flags & re.IGNORECASE)
    clauses = _sequence(list(parsed.data))
    if ignore_case:
        clauses = [clause for clause in clauses if all(map(_foldable, clause))]
        clauses = [frozenset(fold(text) for text in clause) for clause in clauses]
    longer = [clause for clause in clauses if min(map(len, clause)) > 1]
    return tuple((longer or clauses)[:_CLAUSES_TESTED]) or None


def may_match(pattern: str, flags: int, text: str, folded: str | None = None) -> bool:
    """Whether ``text`` satisfies what the pattern needs (True when nothing is known).

    ``folded`` is ``fold(text)``, passed when several case-insensitive patterns test one text.
    """
    requirement = required_literals(pattern, flags)
    if requirement is None:
        return True
    return holds(requirement, text, bool(re.compile(pattern, flags).flags & re.IGNORECASE), folded)


def holds(requirement: Requirement, text: str, ignore_case: bool, folded: str | None = None) -> bool:
    """Whether ``text`` (its fold, for a case-insensitive pattern) holds a literal of every clause of ``requirement``.

    :func:`may_match` once the requirement and the case flag are known: a
    caller testing one pattern on many texts reads them once.
    """
    haystack = (fold(text) if folded is None else folded) if ignore_case else text
    return all(any(literal in haystack for literal in clause) for clause in requirement)


def fold(text: str) -> str:
    """``text`` as case-insensitive requirements are compared with it: "İ", "ı" -> "i", "ſ" -> "s", lower case."""
    for char, ascii_char in _ALSO_ASCII.items():
        if char in text:
            text = text.replace(char, ascii_char)
    return text.lower()


def _foldable(text: str) -> bool:
    """Whether ``re``'s case-insensitive match of ``text`` is a match of ``fold(text)`` in the folded text.

    ``re`` compares characters by their simple lower case, which is
    ``str.lower``'s but for "İ" (mapped by :func:`fold`) and the sigma, and
    also matches a few other characters to each other (``re._casefix``); a
    literal with such a character is not used, except "i" and "s", whose
    partners :func:`fold` maps.
    """
    for char in text:
        lowered = char.lower()
        if len(lowered) != 1 or lowered in "\u03c2\u03c3":
            return False
        if lowered not in "is" and (ord(char) in _casefix._EXTRA_CASES or ord(lowered) in _casefix._EXTRA_CASES):
            return False
    return True


# --- reading the parse tree ---------------------------------------------------------


def _sequence(items: list[tuple[Any, Any]]) -> list[Clause]:
    """The clauses every match of the sequence satisfies, the most selective first."""
    clauses: list[Clause] = []
    run = ""
    for op, argument in items:
        literal = _literal_text(op, argument)
        if literal is not None:
            run += literal
            continue
        alternatives = _literal_alternatives(op, argument)
        if run and alternatives:  # "ren(?:ewal|ovation)" reads "renewal" or "renovation"
            clauses.append(frozenset(run + alternative for alternative in alternatives))
        if run:
            clauses.append(frozenset([run]))
            run = ""
        clauses += _item(op, argument)
    if run:
        clauses.append(frozenset([run]))
    return sorted(set(clauses), key=_selectivity, reverse=True)[:_MAX_CLAUSES]


def _item(op: Any, argument: Any) -> list[Clause]:
    if op is sre.SUBPATTERN:
        _, add_flags, del_flags, inner = argument
        return [] if add_flags or del_flags else _sequence(list(inner.data))
    if op is sre.ATOMIC_GROUP:
        return _sequence(list(argument.data))
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, _, inner = argument
        return _sequence(list(inner.data)) if low >= 1 else []
    if op is sre.BRANCH:
        return _branch([_sequence(list(branch.data)) for branch in argument[1]])
    if op is sre.ASSERT:
        return _sequence(list(argument[1].data))
    if op is sre.IN:
        found = _class(argument)
        return [] if found is None else [found]
    return []


def _branch(branches: list[list[Clause]]) -> list[Clause]:
    """Clauses of a choice: for each way of taking one clause from every branch, their union.

    A match of the choice satisfies one branch's clauses, hence each such
    union.  Branches keep only their best clauses when the ways get too many.
    """
    if any(not clauses for clauses in branches):
        return []
    keep = max(1, int(_MAX_CLAUSES ** (1 / len(branches))))
    choices = [clauses[:keep] for clauses in branches]
    return [frozenset().union(*combination) for combination in itertools.product(*choices)]


def _literal_text(op: Any, argument: Any) -> str | None:
    """The text of a literal, or of a group holding nothing but literals (``(V)iet`` reads "Viet")."""
    if op is sre.LITERAL:
        return chr(argument)
    if op is sre.SUBPATTERN:
        _, add_flags, del_flags, inner = argument
        if add_flags or del_flags or not inner.data:
            return None
        parts = [_literal_text(inner_op, inner_argument) for inner_op, inner_argument in inner.data]
        return None if any(part is None for part in parts) else "".join(parts)  # type: ignore[arg-type]
    return None


def _literal_alternatives(op: Any, argument: Any) -> list[str] | None:
    """The texts of a choice between plain literals (``(?:ewal|ovation)``), or None."""
    if op is sre.SUBPATTERN:
        _, add_flags, del_flags, inner = argument
        if add_flags or del_flags or len(inner.data) != 1:
            return None
        op, argument = inner.data[0]
    if op is not sre.BRANCH:
        return None
    texts = []
    for branch in argument[1]:
        parts = [_literal_text(inner_op, inner_argument) for inner_op, inner_argument in branch.data]
        if not parts or any(part is None for part in parts):
            return None
        texts.append("".join(parts))  # type: ignore[arg-type]
    return texts


def _class(members: list[tuple[Any, Any]]) -> Clause | None:
    """A small class of plain characters (no negation, category or wide range): any one of them."""
    chars: set[str] = set()
    for op, argument in members:
        if op is sre.LITERAL:
            chars.add(chr(argument))
        elif op is sre.RANGE and argument[1] - argument[0] < _MAX_CLASS_SIZE:
            chars.update(chr(code) for code in range(argument[0], argument[1] + 1))
        else:
            return None
    return frozenset(chars) if 0 < len(chars) <= _MAX_CLASS_SIZE else None


def _selectivity(clause: Clause) -> tuple[float, tuple[str, ...]]:
    """How rarely a text satisfies the clause, roughly: a literal of n characters is found as if 27**-n.

    Longer literals and fewer of them rank first (ties alphabetically, for a fixed order).
    """
    return (-sum(27.0 ** -len(literal) for literal in clause), tuple(sorted(clause)))
