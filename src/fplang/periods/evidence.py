"""Time evidence in all the sentences of a partition at once: the same matches, found in a few passes.

:func:`fplang.periods.attribution.find_evidence` reads one sentence: every rule
of :data:`~fplang.periods.rules.ATTRIBUTION_RULES`, in priority order, each a
case-insensitive Python regular expression.  On a corpus of a million
sentences that costs a Python call per sentence and rule, and Python's ``re``
is slow on case-insensitive alternations (100-500 ns a character for
``decades_ago``).  :func:`evidence_by_row` finds the same evidence for many
sentences:

1. **Which rules may match which sentence** (:func:`candidate_matrix`): every
   literal the rules cannot match without (:func:`fplang.literals.required_literals`)
   is looked for in all sentences in one compiled pass over their lower-cased
   UTF-8 bytes (:func:`literal_rows`); a rule is tried only on the sentences
   that satisfy its requirement.
2. **Where each rule matches** (:func:`rule_matches`): the rule's pattern,
   lower-cased and compiled without ``IGNORECASE`` (:func:`locator`), runs once
   over the folded candidate sentences joined by :data:`SEPARATOR`; each hit is
   mapped to its sentence and confirmed by the rule's own pattern, anchored at
   the hit in the sentence itself, so the rule's span function reads exactly
   the match :func:`find_evidence` gives it.
3. **Which matches count** (:func:`evidence_by_row`): per sentence, the
   rules' matches in priority order, a match that overlaps text an earlier
   one claimed skipped, as :func:`find_evidence` does.

Why the lower-cased pattern finds what the case-insensitive one finds: ``re``
compares a pattern's character with a text's by their simple lower case (and
pairs "i" with dotless "ı", "s" with long "ſ"), which is what
:func:`fplang.literals.fold` does to the text; ``\\w``, ``\\d`` and ``\\s`` hold
for a character exactly when they hold for its folded form; and ``fold``
keeps every character's length, so positions agree.  ``tests/test_evidence.py``
checks each of these over every code point, and the results against
:func:`find_evidence` on hand-made, generated and hostile sentences.

Why the separator cannot change a match: :data:`SEPARATOR` (NUL) is neither a
word character, a digit, a space nor any character a rule names, so no rule
can match across it, and every assertion (``\\b``, look-behind, look-ahead)
sees it as it sees the edge of a text.  A hit that crossed it would not be
confirmed by the rule's own pattern on the sentence, and is reported as an
error rather than used.
"""

from __future__ import annotations

import functools
import re
import re._constants as sre
import re._parser as sre_parse
from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

import numba
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from fplang.literals import fold, required_literals
from fplang.periods.rules import AttributionRule

SEPARATOR = "\x00"
"""Joins the sentences one rule searches at once (see the module docstring)."""

_FOLDED_SEPARATELY = {"\u0131": "i", "\u017f": "s"}
"""Characters ``re`` matches to an ASCII letter that Arrow's lower case leaves alone (dotless i, long s);
Arrow's ``utf8_lower`` already maps "İ" to "i" and the Kelvin sign to "k", as :func:`fold` does."""


class EvidenceSearchError(RuntimeError):
    """A rule's lower-cased pattern found a match its own pattern does not confirm (a bug, never bad input)."""


Texts: TypeAlias = "Sequence[str] | pa.Array | pa.ChunkedArray"
"""Sentences as Python strings or as an Arrow string column (the corpus build's, read without a copy into Python)."""


def arrow_texts(texts: Texts) -> pa.LargeStringArray:
    """``texts`` as one Arrow large-string array (64-bit offsets, as the compiled scan reads them)."""
    if isinstance(texts, pa.ChunkedArray):
        texts = texts.combine_chunks() if texts.num_chunks != 1 else texts.chunk(0)
    if not isinstance(texts, pa.Array):
        return pa.array(texts, type=pa.large_string())
    return texts if texts.type == pa.large_string() else texts.cast(pa.large_string())


def texts_of(texts: Texts, rows: np.ndarray) -> dict[int, str]:
    """``texts[row]`` for each row in ``rows``, as Python strings (from Arrow, only those rows are converted)."""
    chosen = rows.tolist()
    if isinstance(texts, pa.Array | pa.ChunkedArray):
        return dict(zip(chosen, texts.take(pa.array(rows, type=pa.int64())).to_pylist(), strict=True))
    return {row: texts[row] for row in chosen}


# --------------------------------------------------------------------------
# 1. Which rules may match which sentence
# --------------------------------------------------------------------------


def candidate_matrix(texts: Texts, rules: Sequence[AttributionRule]) -> np.ndarray:
    """``may[row, k]``: whether ``texts[row]`` satisfies what ``rules[k]`` cannot match without.

    A rule whose pattern has no known requirement (or is not case-insensitive)
    may match every text.  The test is sound: a text left out has no match of
    the rule (``tests/test_literals.py``, ``tests/test_evidence.py``).
    """
    may = np.ones((len(texts), len(rules)), dtype=bool)
    requirements = [_requirement(rule) for rule in rules]
    literals = sorted({literal for requirement in requirements if requirement for clause in requirement
                       for literal in clause})  # fmt: skip
    if not literals or not len(texts):
        return may
    column_of = {literal: column for column, literal in enumerate(literals)}
    clauses = [(k, sorted(clause)) for k, requirement in enumerate(requirements) for clause in requirement or ()]
    clause_rule = np.array([k for k, _ in clauses], dtype=np.int64)
    clause_literals = np.array([column_of[literal] for _, clause in clauses for literal in clause], dtype=np.int64)
    clause_start = np.concatenate([[0], np.cumsum([len(clause) for _, clause in clauses])]).astype(np.int64)
    _clauses_hold(literal_rows(texts, literals), clause_literals, clause_start, clause_rule, may)
    return may


@numba.njit(cache=True, nogil=True)
def _clauses_hold(holds, clause_literals, clause_start, clause_rule, may):  # pragma: no cover
    """Clear ``may[row, clause_rule[c]]`` where row ``row`` holds none of clause ``c``'s literals
    (``clause_literals[clause_start[c]:clause_start[c + 1]]``, columns of ``holds``)."""
    for row in range(holds.shape[0]):
        for clause in range(clause_rule.shape[0]):
            rule = clause_rule[clause]
            if not may[row, rule]:
                continue
            held = False
            for index in range(clause_start[clause], clause_start[clause + 1]):
                if holds[row, clause_literals[index]]:
                    held = True
                    break
            if not held:
                may[row, rule] = False


def _requirement(rule: AttributionRule) -> tuple[frozenset[str], ...] | None:
    """The clauses a text is tested for: those of :func:`fplang.literals.required_literals` that narrow the
    candidates at a cost the scan repays.

    Left out (each only widens the candidates, so no match is lost): a clause other than the most selective
    with a literal of one or two characters ("th": in nearly every sentence), a clause naming one of
    :data:`_COMMON_WORDS` ("the", "to": in most sentences) when another clause is left, and a clause another
    clause implies (every literal of that one contains a literal of this one: "nation" after "national").
    """
    if not rule.pattern.flags & re.IGNORECASE:
        return None  # the literals are folded; a case-sensitive rule would need the text as it is
    requirement = required_literals(rule.pattern.pattern, rule.pattern.flags)
    if not requirement:
        return None
    first, *others = requirement
    kept = [first, *(clause for clause in others if min(map(len, clause)) > _SHORT or clause <= _DIGITS)]
    useful = [clause for clause in kept if not clause & _COMMON_WORDS] or kept[:1]
    return tuple(clause for index, clause in enumerate(useful) if not _implied(index, useful))


def _implied(index: int, clauses: list[frozenset[str]]) -> bool:
    """Whether another of ``clauses`` implies ``clauses[index]`` (of two that imply each other, the first is kept)."""
    clause = clauses[index]
    return any(
        _implies(other, clause) and (not _implies(clause, other) or later < index)
        for later, other in enumerate(clauses)
        if later != index
    )


def _implies(clause: frozenset[str], weaker: frozenset[str]) -> bool:
    """Whether a text holding a literal of ``clause`` always holds one of ``weaker``."""
    return all(any(part in literal for part in weaker) for literal in clause)


_COMMON_WORDS = frozenset({"the", "to", "by", "with"})
"""Words in most sentences of any English corpus (the, to) or in a sixth of them (by, with, on the UN speeches)."""


_SHORT = 2
"""Literals this short are tested only in a rule's most selective clause (see :func:`_requirement`)."""

_DIGITS = frozenset({"19", "20", "203"})
"""A year's first digits: short, but rare in text, and what most rules need."""


def literal_rows(texts: Texts, literals: Sequence[str]) -> np.ndarray:
    """``holds[row, j]``: whether the folded ``texts[row]`` contains ``literals[j]`` (folded, as
    :func:`fplang.literals.required_literals` gives them), found in one compiled pass over all texts.

    The texts are lower-cased by Arrow (``utf8_lower``, and dotless i and long s mapped as
    :func:`fold` maps them), which agrees with :func:`fold` on every character that folds to a
    character of a literal (checked over every code point in ``tests/test_evidence.py``).  Whether
    a text has a dotless i or a long s (rare: Turkish names, old prints) is found by the same pass,
    looking for them as two more literals; only then are they mapped and the texts scanned again.
    """
    lowered = pc.utf8_lower(arrow_texts(texts))  # a new array: its buffers hold these texts only
    holds = _scan(lowered, [*literals, *_FOLDED_SEPARATELY])
    if holds[:, len(literals) :].any():
        for char, ascii_char in _FOLDED_SEPARATELY.items():  # lower-case letters: mapped before or after lowering alike
            lowered = pc.replace_substring(lowered, char, ascii_char)
        holds = _scan(lowered, literals)
    return np.ascontiguousarray(holds[:, : len(literals)])


def _scan(lowered: pa.LargeStringArray, literals: Sequence[str]) -> np.ndarray:
    """:func:`literal_rows` of texts already folded (one compiled pass)."""
    _, offsets_buffer, data_buffer = lowered.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[lowered.offset : lowered.offset + len(lowered) + 1]
    data = np.frombuffer(data_buffer, dtype=np.uint8) if data_buffer is not None else np.zeros(0, np.uint8)
    encoded = [literal.encode("utf-8") for literal in literals]
    keys = np.array([_key(literal) for literal in encoded], dtype=np.int64)
    order = np.argsort(keys, kind="stable").astype(np.int64)
    key_start = np.searchsorted(keys[order], np.arange(_KEYS + 1), side="left").astype(np.int64)
    literal_bytes = np.frombuffer(b"".join(encoded), dtype=np.uint8)
    literal_start = np.concatenate([[0], np.cumsum([len(literal) for literal in encoded])]).astype(np.int64)
    pair_short = np.zeros(65536, dtype=np.bool_)  # pairs that are a whole literal: no third byte to test
    starts = np.zeros(2 * _STARTS, dtype=np.bool_)  # three-byte literals' bytes, then longer ones' first four
    for literal in encoded:
        if len(literal) == 2:
            pair_short[_key(literal)] = True
        elif len(literal) == 3:
            starts[_start3(literal[0], literal[1], literal[2])] = True
        elif len(literal) > 3:
            starts[_start4(literal[0], literal[1], literal[2], literal[3])] = True
    holds = np.zeros((len(lowered), len(literals)), dtype=np.bool_)
    _scan_literals(data, offsets, literal_bytes, literal_start, order, key_start, pair_short, starts, holds)
    return holds


_KEYS = 65536 + 256
"""Literals are looked up by their first two bytes (``256 * first + second``), one-byte literals after those."""

_STARTS = 1 << 16
"""Slots for the (hashed) starts of the literals, three bytes of a three-byte literal, the first four of a
longer one: a byte pair that starts a literal is compared only when the next bytes could continue one
(in English text "er", "re", "th" start many words; "the" starts "these", but "thes" seldom)."""


def _key(literal: bytes) -> int:
    return 65536 + literal[0] if len(literal) == 1 else 256 * literal[0] + literal[1]


@numba.njit(cache=True, nogil=True)
def _start3(first, second, third):  # pragma: no cover
    """Three bytes' slot in the first half of the table of starts (two may share one: only a filter)."""
    return ((np.int64(first) * 961 + np.int64(second) * 31 + np.int64(third)) * 40503) & 0xFFFF


@numba.njit(cache=True, nogil=True)
def _start4(first, second, third, fourth):  # pragma: no cover
    """Four bytes' slot in the second half of the table of starts (two may share one: only a filter)."""
    code = np.int64(first) * 29791 + np.int64(second) * 961 + np.int64(third) * 31 + np.int64(fourth)
    return 65536 + ((code * 40503) & 0xFFFF)


@numba.njit(cache=True, nogil=True)
def _scan_literals(
    data, offsets, literal_bytes, literal_start, order, key_start, pair_short, starts, holds
):  # pragma: no cover
    """Mark ``holds[row, j]`` where literal ``j`` occurs inside row ``row`` (bytes ``offsets[row]:offsets[row+1]``).

    At each byte only the literals that start with it and the next byte are compared
    (``order[key_start[key]:key_start[key + 1]]``), and the one-byte literals that are that byte;
    a 64 KB table of the byte pairs that start a literal skips the rest without reading ``key_start``,
    and a table of the literals' starts (:data:`_STARTS`) skips a pair that no literal continues with
    the next bytes (unless the pair is itself a literal).
    """
    pair_used = np.zeros(65536, dtype=np.bool_)
    for pair in range(65536):
        pair_used[pair] = key_start[pair + 1] > key_start[pair]
    has_single = key_start[_KEYS] > key_start[65536]
    for row in range(offsets.shape[0] - 1):
        end = offsets[row + 1]
        for position in range(offsets[row], end):
            byte = np.int64(data[position])
            if has_single:
                single = 65536 + byte
                for slot in range(key_start[single], key_start[single + 1]):
                    holds[row, order[slot]] = True
            if position + 1 >= end:
                continue
            second = np.int64(data[position + 1])
            pair = byte * 256 + second
            if not pair_used[pair]:
                continue
            if not pair_short[pair]:
                if position + 2 >= end:
                    continue
                third = data[position + 2]
                if not starts[_start3(byte, second, third)] and (
                    position + 3 >= end or not starts[_start4(byte, second, third, data[position + 3])]
                ):
                    continue
            for slot in range(key_start[pair], key_start[pair + 1]):
                literal = order[slot]
                if holds[row, literal]:
                    continue
                low = literal_start[literal]
                length = literal_start[literal + 1] - low
                if position + length > end:
                    continue
                same = True
                for step in range(2, length):
                    if data[position + step] != literal_bytes[low + step]:
                        same = False
                        break
                if same:
                    holds[row, literal] = True


# --------------------------------------------------------------------------
# 2. Where each rule matches
# --------------------------------------------------------------------------


_INLINE_FLAGS = re.compile(r"\(\?[aiLmsux-]+[:)]")


@functools.lru_cache(maxsize=256)
def locator(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The case-insensitive ``pattern`` as a case-sensitive one that finds the same matches in folded text.

    Letters outside escapes are lower-cased (``\\W``, ``\\B`` and group names are kept), and the
    pattern is compiled without ``IGNORECASE``.  A pattern that is not case-insensitive, uses
    inline flags or ``\\N{...}`` is returned as it is (and searched in the text as it is).
    """
    source = pattern.pattern
    if not pattern.flags & re.IGNORECASE or "\\N" in source or _INLINE_FLAGS.search(source):
        return pattern
    parts: list[str] = []
    position = 0
    while position < len(source):
        char = source[position]
        if char == "\\":
            parts.append(source[position : position + 2])
            position += 2
        elif source.startswith(("(?P<", "(?P="), position):
            close = source.index(">" if source[position + 3] == "<" else ")", position)
            parts.append(source[position : close + 1])
            position = close + 1
        else:
            parts.append(char.lower())
            position += 1
    lowered = re.compile("".join(parts), pattern.flags & ~re.IGNORECASE)
    if lowered.groupindex != pattern.groupindex or lowered.groups != pattern.groups:
        raise EvidenceSearchError(f"lower-casing {source!r} changed its groups")
    return lowered


def rule_matches(
    rule: AttributionRule, texts: Mapping[int, str] | Sequence[str], folded: Mapping[int, str], rows: np.ndarray
) -> list[tuple[int, re.Match[str]]]:
    """Every match of ``rule`` in ``texts[row]`` for ``row`` in ``rows`` (ascending), as ``finditer`` gives
    them sentence by sentence: ``(row, match)`` with the match made by the rule's own pattern on the sentence.

    ``folded`` is ``fold(text)`` for each text (only the rows in ``rows`` are read).
    """
    if not len(rows):
        return []
    find = locator(rule.pattern)
    chosen = rows.tolist()
    source = [folded[row] for row in chosen] if find is not rule.pattern else [texts[row] for row in chosen]
    joined = SEPARATOR.join(source)
    lengths = np.fromiter(map(len, source), dtype=np.int64, count=len(source))
    starts = np.concatenate([[0], np.cumsum(lengths + 1)[:-1]])
    hits = _hits(find, joined)
    if not hits:
        return []
    begins = np.array([begin for begin, _ in hits], dtype=np.int64)
    which = np.searchsorted(starts, begins, side="right") - 1
    found = []
    for (begin, end), index in zip(hits, which.tolist(), strict=True):
        row, offset = chosen[index], int(starts[index])
        match = rule.pattern.match(texts[row], begin - offset)
        if match is None or match.end() != end - offset:
            raise EvidenceSearchError(
                f"rule {rule.name!r}: the folded search found {joined[begin:end]!r} in row {row}, "
                "which the rule's own pattern does not match there"
            )
        found.append((row, match))
    return found


def _hits(find: re.Pattern[str], joined: str) -> list[tuple[int, int]]:
    """The spans ``find.finditer(joined)`` gives, found faster when every match starts with a known literal.

    ``re`` tries a pattern that starts with ``\\b`` or a look-behind at every position (50-200 ns a
    character here); a bare literal it finds about a hundred times faster.  When every match starts
    with one of a few literals (:func:`start_literals`: "19" or "20" for a year, "since" or "ever"),
    the pattern is tried only where they occur, in order, each try resuming after the last match,
    which is what ``finditer`` does (it tries every position; the others cannot match).
    """
    literals = start_literals(find)
    if literals is None:
        anchors = run_anchors(find)
        if anchors is None:
            return [(hit.start(), hit.end()) for hit in find.finditer(joined)]
        return [
            hit.span() for begin, end in _runs_holding(joined, anchors) for hit in find.finditer(joined, begin, end)
        ]
    occurrences = [_occurrences(joined, literal) for literal in literals]
    hits, resume = [], 0
    for start in np.unique(np.concatenate(occurrences)).tolist() if occurrences else ():
        if start < resume:
            continue
        match = find.match(joined, start)
        if match is not None:
            hits.append(match.span())
            resume = max(match.end(), start + 1)
    return hits


def _occurrences(text: str, literal: str) -> np.ndarray:
    """Every position where ``literal`` starts in ``text``, overlapping ones included."""
    found = []
    position = text.find(literal)
    while position >= 0:
        found.append(position)
        position = text.find(literal, position + 1)
    return np.array(found, dtype=np.int64)


@functools.lru_cache(maxsize=256)
def start_literals(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Literals one of which starts every match of ``pattern`` (case-sensitive), or None.

    Read off the parse tree: assertions (``\\b``, look-arounds) are skipped, branches and optional
    parts give each their literals, and a literal ends at the first class or repeat.  None when a
    match may start with something else, or when a start would be a single letter (as common as the
    positions it would save).
    """
    if pattern.flags & re.IGNORECASE:
        return None
    found = _prefixes(list(sre_parse.parse(pattern.pattern, pattern.flags).data), _PREFIX_CHARS)
    if not found or "" in found or any(len(text) == 1 and not text.isdigit() for text in found):
        return None
    return tuple(sorted(text for text in found if not any(text != other and text.startswith(other) for other in found)))


_PREFIX_CHARS = 4
"""Start literals are read up to this many characters (longer ones find no fewer places)."""

_MAX_PREFIXES = 64
"""Past this many start literals a pattern is searched as it is."""


def _prefixes(items: list[tuple[Any, Any]], limit: int) -> set[str] | None:
    """Strings one of which starts every match of the sequence ``items`` ("" for: nothing known); None if too many."""
    if not items or limit == 0:
        return {""}
    (op, argument), rest = items[0], items[1:]
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        return _prefixes(rest, limit)
    if op is sre.LITERAL:
        after = _prefixes(rest, limit - 1)
        return None if after is None else {chr(argument) + text for text in after}
    if op is sre.SUBPATTERN:
        return _prefixes(list(argument[3].data) + rest, limit)
    if op is sre.ATOMIC_GROUP:
        return _prefixes(list(argument.data) + rest, limit)
    if op is sre.BRANCH:
        return _either([list(branch.data) + rest for branch in argument[1]], limit)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        low, _, body = argument
        # a repeated part's own start (not extended), or, when it may be absent, what follows it
        return _either([list(body.data)] + ([rest] if low == 0 else []), limit)
    return {""}  # a class, a category, any other item: the literal ends before it


@functools.lru_cache(maxsize=256)
def run_anchors(pattern: re.Pattern[str]) -> tuple[str, ...] | None:
    """Literals one of which every match holds, when every match lies inside one run of word characters,
    spaces and hyphens; None otherwise.

    Such a pattern (``decades_ago``, ``congress_term``: words, digits, spaces, hyphens, ``\\b`` and
    look-arounds of the same) can be searched in the runs that hold an anchor only, each run with
    the character that ends it (:func:`_runs_holding`): a match cannot cross that character, and a
    look-ahead cannot see past it, so the search finds what it finds in the whole text.  Look-behinds
    read the text before the run as it is (a search from ``pos`` sees it).
    """
    if pattern.flags & re.IGNORECASE or not _run_local(list(sre_parse.parse(pattern.pattern, pattern.flags).data)):
        return None
    requirement = required_literals(pattern.pattern, pattern.flags)
    return tuple(sorted(requirement[0])) if requirement else None


_RUN_CHAR = re.compile(r"[\w\s-]")
_RUN_CATEGORIES = frozenset({sre.CATEGORY_DIGIT, sre.CATEGORY_WORD, sre.CATEGORY_SPACE,
                             sre.CATEGORY_UNI_DIGIT, sre.CATEGORY_UNI_WORD, sre.CATEGORY_UNI_SPACE})  # fmt: skip


def _run_local(items: list[tuple[Any, Any]]) -> bool:
    """Whether every character the items consume, also in look-arounds, is a word character, a space or a hyphen."""
    for op, argument in items:
        if op is sre.LITERAL:
            if not _RUN_CHAR.fullmatch(chr(argument)):
                return False
        elif op is sre.IN:
            for member, value in argument:
                if member is sre.LITERAL and _RUN_CHAR.fullmatch(chr(value)):
                    continue
                if member is sre.CATEGORY and value in _RUN_CATEGORIES:
                    continue
                return False
        elif op is sre.AT:
            if argument not in (sre.AT_BOUNDARY, sre.AT_NON_BOUNDARY, sre.AT_UNI_BOUNDARY, sre.AT_UNI_NON_BOUNDARY):
                return False
        elif op is sre.ASSERT_NOT and argument[0] < 0:
            continue  # a negative look-behind reads the text before as it is, and holds no anchor
        elif op in (sre.ASSERT, sre.ASSERT_NOT):
            if argument[0] < 0 or not _run_local(list(argument[1].data)):
                return False  # a positive look-behind might hold the anchor outside the run
        elif op is sre.SUBPATTERN:
            if not _run_local(list(argument[3].data)):
                return False
        elif op is sre.ATOMIC_GROUP:
            if not _run_local(list(argument.data)):
                return False
        elif op is sre.BRANCH:
            if not all(_run_local(list(branch.data)) for branch in argument[1]):
                return False
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            if not _run_local(list(argument[2].data)):
                return False
        else:
            return False
    return True


_ENDS_A_RUN = np.array([_RUN_CHAR.fullmatch(chr(code)) is None for code in range(128)], dtype=bool)
"""ASCII characters that are neither word characters, spaces nor hyphens (NUL, the separator, among them).
Other characters are taken as inside a run: a run then reaches further, which changes no match."""


def _runs_holding(joined: str, anchors: Sequence[str]) -> list[tuple[int, int]]:
    """``(begin, end)`` of each run of ``joined`` that holds an anchor, ``end`` past the character ending it."""
    places = [_occurrences(joined, anchor) for anchor in anchors]
    held = np.unique(np.concatenate(places)) if places else np.zeros(0, np.int64)
    if not len(held):
        return []
    codes = np.frombuffer(joined.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    ends = np.flatnonzero(_ENDS_A_RUN[np.minimum(codes, 127)] & (codes < 128))
    after = np.searchsorted(ends, held, side="right")  # run-ending characters before each anchor
    edges = np.concatenate([[-1], ends, [len(codes) - 1]])  # the text's start and end end runs too
    begins, stops = edges[after] + 1, edges[after + 1] + 1
    return sorted(set(zip(begins.tolist(), stops.tolist(), strict=True)))


def _either(ways: list[list[tuple[Any, Any]]], limit: int) -> set[str] | None:
    """The start literals of a choice: those of every way, None if any way's are unknown or too many."""
    found: set[str] = set()
    for way in ways:
        more = _prefixes(way, limit)
        if more is None:
            return None
        found |= more
    return found if len(found) <= _MAX_PREFIXES else None


def folded_texts(texts: Mapping[int, str] | Sequence[str], rows: np.ndarray) -> dict[int, str]:
    """``fold(texts[row])`` for each row in ``rows``, folded in one call."""
    chosen = rows.tolist()
    if not chosen:
        return {}
    pieces = [texts[row] for row in chosen]
    joined = SEPARATOR.join(pieces)
    folded = fold(joined)
    if len(folded) == len(joined) and folded.count(SEPARATOR) == joined.count(SEPARATOR):
        lengths = np.fromiter(map(len, pieces), dtype=np.int64, count=len(pieces))
        ends = np.cumsum(lengths + 1) - 1
        return {
            row: folded[end - length : end]
            for row, end, length in zip(chosen, ends.tolist(), lengths.tolist(), strict=True)
        }
    return {row: fold(piece) for row, piece in zip(chosen, pieces, strict=True)}


# --------------------------------------------------------------------------
# 3. All rules, all sentences
# --------------------------------------------------------------------------

RuleMatches = list[tuple[AttributionRule, "re.Match[str]"]]


def matches_by_row(texts: Texts, rules: Sequence[AttributionRule]) -> dict[int, RuleMatches]:
    """Each sentence's matches of every rule, in priority order and, within a rule, in text order.

    Only sentences with at least one match are keys.  These are the matches
    :func:`fplang.periods.attribution.find_evidence` iterates over, before any is
    claimed or read as a span.
    """
    may = candidate_matrix(texts, rules)
    candidates = np.flatnonzero(may.any(axis=1))
    chosen = texts_of(texts, candidates)
    folded = folded_texts(chosen, candidates)
    by_row: dict[int, RuleMatches] = {}
    for column, rule in enumerate(rules):
        for row, match in rule_matches(rule, chosen, folded, np.flatnonzero(may[:, column])):
            by_row.setdefault(row, []).append((rule, match))
    return by_row
