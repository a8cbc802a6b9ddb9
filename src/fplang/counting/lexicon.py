"""The concept lexicon: which words and phrases count as which concept.

The lexicon is a versioned YAML file (``data/lexicon.yml``)::

    version: 1
    description: optional free text about the lexicon
    concepts:
      strategic_autonomy:
        label: Strategic autonomy
        family: new_era
        patterns: ["strategic autonomy", "self-relian*"]
        note: optional, why these patterns

Pattern language
----------------
A pattern is one or more words separated by spaces or hyphens; a hyphen is a
space, because the tokenizer (:mod:`fplang.corpus.tokens`) splits "self-reliance" into
``self`` and ``reliance``.  A pattern is read after the normalising cleaning
rules every text goes through (:func:`fplang.corpus.clean.normalise_pattern`:
Unicode NFC, invisible characters removed, "Viet Nam" written "Vietnam"), so
it is written as the cleaned text it must match.  Each word must be exactly one token: letters and
digits in any script, with apostrophes only between them ("people's").  Quotes,
brackets, full stops and other marks can never be part of a token, so a pattern
holding one could never match and is rejected.  Commas are the one exception:
they are ignored, so "peace, cooperation and development" reads as its four
words (the counter ignores commas in the text too).

- Matching is case-insensitive (both sides are lower-cased with ``str.lower``)
  and treats the apostrophes ``'`` and ``’`` as the same character.
- A trailing ``*`` on a word matches any token that starts with the rest of the
  word, the word itself included: ``colonial*`` matches "colonial",
  "colonialism", "colonialists".  A ``*`` anywhere else, or alone, is an error.
- A word without ``*`` matches the token itself and its possessive: ``nation``
  matches "nation" and "nation's" (or "nation’s"), but not "nations".
- Spelling variants are written out or globbed ("defence", "defense";
  "multilateralisat*", "multilateralizat*").
- Greek sigma is not allowed in patterns (its lower case depends on its place
  in the word, which a per-character lower-caser cannot reproduce).

Which concept owns an overlapping phrase is decided by the counting rule in
:mod:`fplang.counting.engine` (longest pattern wins, then the concept listed first), so
the file lists the longer phrase under the concept that should own it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from fplang.corpus.clean import normalise_pattern
from fplang.corpus.tokens import TOKEN_RE
from fplang.errors import InputError, Problem, quoted
from fplang.files import read_yaml

SUPPORTED_VERSION: int = 1
"""The lexicon format version this module reads."""

TOP_LEVEL_KEYS: frozenset[str] = frozenset({"version", "description", "concepts"})
CONCEPT_KEYS: frozenset[str] = frozenset({"label", "family", "patterns", "note"})
REQUIRED_CONCEPT_KEYS: tuple[str, ...] = ("label", "family", "patterns")

CONCEPT_KEY_RE: re.Pattern[str] = re.compile(r"[a-z][a-z0-9_]*")
"""Concept keys are snake_case so they can serve as column names."""

WORD_SEPARATOR_RE: re.Pattern[str] = re.compile(r"[\s,\-\u2010\u2011\u2012\u2013\u2014]+")
"""What separates the words of a pattern: white space, commas, hyphens, dashes."""

QUOTES_AND_BRACKETS: frozenset[str] = frozenset("\"'`\u2018\u2019\u201c\u201d\u00ab\u00bb()[]{}<>")
GREEK_SIGMA: frozenset[str] = frozenset("\u03a3\u03c3\u03c2")


class LexiconError(InputError):
    """The lexicon file is unreadable or breaks a rule; ``problems`` lists every one."""

    what = "the lexicon"


@dataclass(frozen=True)
class PatternWord:
    """One word of a pattern, lower-cased, with ``’`` written as ``'``.

    Attributes
    ----------
    text : the word without its ``*``.
    is_glob : True when the word ended in ``*`` (matches any continuation).
    """

    text: str
    is_glob: bool

    def matches(self, token: str) -> bool:
        """Whether a token, already passed through :func:`normalize_token`, matches this word."""
        if self.is_glob:
            return token.startswith(self.text)
        return token == self.text or token == self.text + "'s"


@dataclass(frozen=True)
class Pattern:
    """One pattern of a concept.

    Attributes
    ----------
    concept : key of the concept that owns it.
    text : the pattern as written in the file.
    words : the parsed words, in order.
    """

    concept: str
    text: str
    words: tuple[PatternWord, ...]

    @property
    def n_words(self) -> int:
        """Length of the pattern in tokens."""
        return len(self.words)


@dataclass(frozen=True)
class Concept:
    """One concept: its key, label, family, patterns (in file order) and note."""

    key: str
    label: str
    family: str
    patterns: tuple[Pattern, ...]
    note: str | None = None


@dataclass(frozen=True)
class Lexicon:
    """A validated lexicon; concepts keep the order of the file.

    Attributes
    ----------
    version : format version (always :data:`SUPPORTED_VERSION`).
    concepts : the concepts, in file order (this order breaks ties in counting).
    source : where it came from (the file name), for messages.
    description : the optional free-text description.
    """

    version: int
    concepts: tuple[Concept, ...]
    source: str = "<lexicon>"
    description: str | None = None

    @property
    def concept_keys(self) -> list[str]:
        """Concept keys in lexicon order."""
        return [concept.key for concept in self.concepts]

    @property
    def patterns(self) -> list[Pattern]:
        """Every pattern, concept by concept, in file order."""
        return [pattern for concept in self.concepts for pattern in concept.patterns]

    def to_frame(self) -> pd.DataFrame:
        """One row per pattern, for the book's method notes.

        Columns: ``concept``, ``label``, ``family``, ``pattern`` (as written),
        ``n_words`` (tokens in the pattern), ``note`` (the concept's note or "").
        """
        rows = [
            {
                "concept": concept.key,
                "label": concept.label,
                "family": concept.family,
                "pattern": pattern.text,
                "n_words": pattern.n_words,
                "note": concept.note or "",
            }
            for concept in self.concepts
            for pattern in concept.patterns
        ]
        columns = ["concept", "label", "family", "pattern", "n_words", "note"]
        return pd.DataFrame(rows, columns=columns)


def load_lexicon(path: str | Path) -> Lexicon:
    """Read and validate a lexicon file.

    Raises
    ------
    LexiconError
        Listing every problem found, one per line, each naming the file, the
        concept and the pattern number (1-based), e.g.
        ``lexicon.yml, concept 'peace', pattern 2: '' is empty``.
    """
    path = Path(path)
    data, problems = _read_yaml(path)
    if problems:
        raise LexiconError(problems, path.name)
    return parse_lexicon(data, source=path.name)


def validate_lexicon(path: str | Path) -> list[Problem]:
    """Every problem in a lexicon file, as messages; empty when the file is valid."""
    path = Path(path)
    data, problems = _read_yaml(path)
    if not problems:
        lexicon_or_problems = _build_lexicon(data, source=path.name)
        if isinstance(lexicon_or_problems, list):
            problems = lexicon_or_problems
    return problems


def parse_lexicon(data: object, source: str = "<lexicon>") -> Lexicon:
    """Validate an already-parsed YAML document (a mapping) and build the lexicon.

    ``source`` names the document in messages.  Raises :class:`LexiconError`
    listing every problem.
    """
    lexicon_or_problems = _build_lexicon(data, source=source)
    if isinstance(lexicon_or_problems, list):
        raise LexiconError(lexicon_or_problems, source)
    return lexicon_or_problems


def parse_pattern(text: str) -> tuple[PatternWord, ...]:
    """Parse one pattern string into its words.

    >>> parse_pattern("Self-relian*")
    (PatternWord(text='self', is_glob=False), PatternWord(text='relian', is_glob=True))

    Raises
    ------
    LexiconError
        When the pattern breaks a rule of the pattern language (see the module
        docstring); the message says which rule.
    """
    words, problem = _parse_pattern_words(text)
    if problem is not None:
        raise LexiconError([Problem("pattern", repr(text), None, problem)])
    return words


def normalize_token(token: str) -> str:
    """A token as patterns see it: lower-cased, with ``’`` written as ``'``."""
    return token.lower().replace("\u2019", "'")


def _read_yaml(path: Path) -> tuple[object, list[Problem]]:
    """The parsed YAML document, or the problems that kept it from being read.

    :func:`fplang.files.read_yaml` refuses aliases (a few hundred bytes of
    nested aliases expand to billions of nodes) and repeated keys (a second
    concept with the same key would silently replace the first), naming the line.
    """
    return read_yaml(path)


def _build_lexicon(data: object, source: str) -> Lexicon | list[Problem]:
    """The lexicon, or the list of every problem in ``data``."""
    problems: list[Problem] = []
    if not isinstance(data, Mapping):
        kind = "empty" if data is None else f"a {type(data).__name__}"
        return [Problem(source, message=f"must be a mapping with 'version' and 'concepts', but it is {kind}")]

    for key in data:
        if key not in TOP_LEVEL_KEYS:
            allowed = ", ".join(sorted(TOP_LEVEL_KEYS))
            problems.append(Problem(source, message=f"unknown key {quoted(key)} (allowed: {allowed})"))

    version = data.get("version")
    if "version" not in data:
        problems.append(Problem(source, message=f"'version' is missing (write 'version: {SUPPORTED_VERSION}')"))
    elif isinstance(version, bool) or version != SUPPORTED_VERSION:
        problems.append(
            Problem(
                source,
                message=f"version {quoted(version)} is not supported (this fplang reads version {SUPPORTED_VERSION})",
            )
        )

    description = data.get("description")
    if description is not None and not isinstance(description, str):
        problems.append(Problem(source, message="'description' must be text"))

    raw_concepts = data.get("concepts")
    concepts: list[Concept] = []
    if "concepts" not in data:
        problems.append(Problem(source, message="'concepts' is missing"))
    elif not isinstance(raw_concepts, Mapping) or not raw_concepts:
        problems.append(Problem(source, message="'concepts' must be a non-empty mapping of concept keys"))
    else:
        owner_of_pattern: dict[tuple[PatternWord, ...], tuple[str, int]] = {}
        for key, body in raw_concepts.items():
            concept = _build_concept(key, body, source, owner_of_pattern, problems)
            if concept is not None:
                concepts.append(concept)

    if problems:
        return problems
    return Lexicon(
        version=SUPPORTED_VERSION,
        concepts=tuple(concepts),
        source=source,
        description=description,
    )


def _build_concept(
    key: object,
    body: object,
    source: str,
    owner_of_pattern: dict[tuple[PatternWord, ...], tuple[str, int]],
    problems: list[Problem],
) -> Concept | None:
    """One concept, appending its problems (and duplicate patterns) to ``problems``."""
    where = f"concept {quoted(key)}"
    n_before = len(problems)
    if not isinstance(key, str) or not CONCEPT_KEY_RE.fullmatch(key):
        problems.append(Problem(source, where, message="the key must be snake_case (lower-case letters, digits, _)"))
    if not isinstance(body, Mapping):
        problems.append(Problem(source, where, message="must be a mapping with label, family and patterns"))
        return None

    for field in body:
        if field not in CONCEPT_KEYS:
            allowed = ", ".join(sorted(CONCEPT_KEYS))
            problems.append(Problem(source, where, message=f"unknown key {quoted(field)} (allowed: {allowed})"))
    for field in REQUIRED_CONCEPT_KEYS:
        if field not in body:
            problems.append(Problem(source, where, message=f"{field!r} is missing"))
    for field in ("label", "family"):
        value = body.get(field)
        if field in body and (not isinstance(value, str) or not value.strip()):
            problems.append(Problem(source, where, message=f"{field!r} must be non-empty text"))
    note = body.get("note")
    if note is not None and not isinstance(note, str):
        problems.append(Problem(source, where, message="'note' must be text"))

    raw_patterns = body.get("patterns")
    patterns: list[Pattern] = []
    if "patterns" in body:
        if not isinstance(raw_patterns, list) or not raw_patterns:
            problems.append(Problem(source, where, message="has no patterns ('patterns' must be a non-empty list)"))
        else:
            for number, raw in enumerate(raw_patterns, start=1):
                pattern_where = f"{where}, pattern {number}"
                if not isinstance(raw, str):
                    problems.append(Problem(source, pattern_where, message=f"{quoted(raw)} is not text (quote it)"))
                    continue
                words, problem = _parse_pattern_words(raw)
                if problem is not None:
                    problems.append(Problem(source, pattern_where, message=f"{quoted(raw)} {problem}"))
                    continue
                if words in owner_of_pattern:
                    other_key, other_number = owner_of_pattern[words]
                    written = normalise_pattern(raw)
                    read_as = f" (read as {quoted(written)}, as cleaning writes the text)" if written != raw else ""
                    problems.append(
                        Problem(
                            source,
                            pattern_where,
                            message=f"{quoted(raw)}{read_as} duplicates concept {other_key!r}, pattern "
                            f"{other_number} (a phrase may belong to one concept only)",
                        )
                    )
                    continue
                owner_of_pattern[words] = (str(key), number)
                patterns.append(Pattern(concept=str(key), text=raw, words=words))

    if len(problems) > n_before:
        return None
    return Concept(
        key=str(key),
        label=body["label"].strip(),
        family=body["family"].strip(),
        patterns=tuple(patterns),
        note=note.strip() if isinstance(note, str) else None,
    )


def _parse_pattern_words(text: str) -> tuple[tuple[PatternWord, ...], str | None]:
    """The words of a pattern and ``None``, or ``()`` and what is wrong with it.

    The pattern is first written as cleaning writes the text
    (:func:`fplang.corpus.clean.normalise_pattern`), so it matches what the
    cleaned text holds.
    """
    raw_words = [word for word in WORD_SEPARATOR_RE.split(normalise_pattern(text).strip()) if word]
    if not raw_words:
        return (), "is empty"
    words: list[PatternWord] = []
    for raw_word in raw_words:
        if raw_word == "*" or raw_word.strip("*") == "":
            return (), "has a lone '*', which would match every token; glob a word ('word*')"
        is_glob = raw_word.endswith("*")
        stem = raw_word[:-1] if is_glob else raw_word
        if "*" in stem:
            return (), f"has '*' inside {quoted(raw_word)}; '*' may only end a word"
        if not TOKEN_RE.fullmatch(stem):
            return (), _why_not_a_token(raw_word, stem)
        if any(char in GREEK_SIGMA for char in stem):
            return (), f"has a Greek sigma in {quoted(raw_word)}, which patterns do not support"
        words.append(PatternWord(text=normalize_token(stem), is_glob=is_glob))
    return tuple(words), None


def _why_not_a_token(raw_word: str, stem: str) -> str:
    """Explain why ``stem`` is not a single token."""
    marks = sorted({char for char in stem if char in QUOTES_AND_BRACKETS and char not in "'\u2019"})
    if marks:
        shown = ", ".join(repr(char) for char in marks)
        return (
            f"has the quote or bracket character {shown} in {quoted(raw_word)}; "
            "tokens never contain them, so write the bare words"
        )
    if stem[:1] in "'\u2019" or stem[-1:] in "'\u2019":
        return f"has an apostrophe at the edge of {quoted(raw_word)}; it may only stand between letters"
    others = sorted({char for char in stem if not char.isalnum() and char not in "'\u2019"})
    if others:
        shown = ", ".join(repr(char) for char in others)
        ends_match = set(others) & set(".!?;:")
        hint = "; in a text it ends a match, so the pattern could never match" if ends_match else ""
        return (
            f"has {shown} in {quoted(raw_word)}, which no token can contain "
            f"(tokens are letters, digits and inner apostrophes){hint}"
        )
    return f"has {quoted(raw_word)}, which is not a single token"
