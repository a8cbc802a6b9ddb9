"""The plain-Python reference counter the engine is tested against.

:func:`reference_count` and :func:`reference_matches` tokenize each text with
:data:`fplang.corpus.tokens.TOKEN_RE` and apply the overlap rule one token at a
time, as :mod:`fplang.counting.engine` states it; the tests hold the compiled
engine to identical results.  Slow: a few hundred thousand tokens a second.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from fplang.corpus.tokens import TOKEN_RE
from fplang.counting._matcher import SENTENCE_BREAKS
from fplang.counting.engine import MATCH_COLUMNS, Texts, _as_strings, _count_frame, _resolve_doc_ids
from fplang.counting.lexicon import Lexicon, Pattern, normalize_token


def reference_count(
    texts: Texts, lexicon: Lexicon, doc_ids: Sequence | None = None
) -> pd.DataFrame:
    """The plain-Python counter the engine is tested against; same output as :func:`count_concepts`.

    Tokenizes each text with :data:`fplang.corpus.tokens.TOKEN_RE`, then at each
    token tries the patterns longest first (lexicon order among equals), as
    the module docstring states.  Slow: a few hundred thousand tokens a
    second, against tens of millions for the engine.
    """
    ids = _resolve_doc_ids(texts, doc_ids)
    strings = _as_strings(texts)
    n_concepts = len(lexicon.concepts)
    concept_index = {key: i for i, key in enumerate(lexicon.concept_keys)}
    counts = np.zeros((len(strings), n_concepts), dtype=np.int64)
    n_tokens = np.zeros(len(strings), dtype=np.int64)
    scanner = _ReferenceScanner(lexicon)
    for doc, text in enumerate(strings):
        tokens = _reference_tokens(text)
        n_tokens[doc] = len(tokens)
        for pattern, _, _ in scanner.scan(tokens):
            counts[doc, concept_index[pattern.concept]] += 1
    return _count_frame(ids, lexicon, counts, n_tokens)


def reference_matches(
    texts: Texts, lexicon: Lexicon, doc_ids: Sequence | None = None
) -> pd.DataFrame:
    """The plain-Python version of :func:`find_matches` (same columns and order)."""
    ids = _resolve_doc_ids(texts, doc_ids)
    strings = _as_strings(texts)
    columns: dict[str, list] = {name: [] for name in MATCH_COLUMNS}
    doc_index: list[int] = []
    scanner = _ReferenceScanner(lexicon)
    for doc, text in enumerate(strings):
        for pattern, start, end in scanner.scan(_reference_tokens(text)):
            doc_index.append(doc)
            columns["concept"].append(pattern.concept)
            columns["pattern"].append(pattern.text)
            columns["start"].append(start)
            columns["end"].append(end)
            columns["text"].append(text[start:end])
    return pd.DataFrame(
        {
            "doc_id": ids[np.array(doc_index, dtype=np.int64)],
            "concept": pd.Categorical(columns["concept"], categories=lexicon.concept_keys),
            "pattern": np.array(columns["pattern"], dtype=object),
            "start": np.array(columns["start"], dtype=np.int64),
            "end": np.array(columns["end"], dtype=np.int64),
            "text": np.array(columns["text"], dtype=object),
        },
        columns=MATCH_COLUMNS,
    )


@dataclass(frozen=True)
class _Token:
    """A token of the reference tokenizer: normalized text, character span, segment number."""

    text: str
    start: int
    end: int
    segment: int


_BREAK_RE = re.compile("[" + re.escape(SENTENCE_BREAKS) + "]")


def _reference_tokens(text: str) -> list[_Token]:
    """Tokens of ``text`` with the number of sentence breaks seen before each."""
    tokens: list[_Token] = []
    segment = 0
    previous_end = 0
    for match in TOKEN_RE.finditer(text):
        if _BREAK_RE.search(text, previous_end, match.start()):
            segment += 1
        tokens.append(_Token(normalize_token(match.group()), match.start(), match.end(), segment))
        previous_end = match.end()
    return tokens


class _ReferenceScanner:
    """The overlap rule in plain Python: at each token, patterns longest first (stable sort)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.by_priority = sorted(lexicon.patterns, key=lambda pattern: -pattern.n_words)
        self.starting_with: dict[str, list[Pattern]] = {}

    def patterns_starting_with(self, token_text: str) -> list[Pattern]:
        """Patterns whose first word matches the token, in priority order (memoized)."""
        if token_text not in self.starting_with:
            self.starting_with[token_text] = [
                pattern for pattern in self.by_priority if pattern.words[0].matches(token_text)
            ]
        return self.starting_with[token_text]

    def scan(self, tokens: list[_Token]) -> list[tuple[Pattern, int, int]]:
        """Matches (pattern, start char, end char), left to right."""
        matches = []
        position = 0
        while position < len(tokens):
            for pattern in self.patterns_starting_with(tokens[position].text):
                span = tokens[position : position + pattern.n_words]
                if len(span) == pattern.n_words and all(
                    token.segment == span[0].segment and word.matches(token.text)
                    for token, word in zip(span, pattern.words, strict=True)
                ):
                    matches.append((pattern, span[0].start, span[-1].end))
                    position += pattern.n_words
                    break
            else:
                position += 1
        return matches
