"""The lexicon compiled for the scanner: a trie of pattern words and per-code-point tables.

:func:`compile_lexicon` turns a :class:`~fplang.counting.lexicon.Lexicon` into
the arrays the numba kernels of :mod:`fplang.counting._kernels` read;
:func:`codepoint_tables` classifies and lower-cases every Unicode code point
exactly as Python's ``re`` and ``str.lower`` do, so the scanner agrees with
:mod:`fplang.corpus.tokens` on any text.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from fplang.corpus._kernels import WORD as WORD_FLAG
from fplang.corpus._kernels import char_flags
from fplang.counting.lexicon import Lexicon, PatternWord

SENTENCE_BREAKS: str = ".!?;:\u2026"
"""Characters between two tokens that stop a pattern from matching across them."""

APOSTROPHES: str = "'\u2019"
"""Characters that may join two runs of letters into one token."""

_WORD, _APOSTROPHE, _BREAK = 1, 2, 3  # character classes; 0 is any other character
_N_CODEPOINTS = 0x110000


@dataclass(frozen=True)
class Matcher:
    """The lexicon compiled into arrays for the scanner.

    A trie over the normalized pattern words (each exact word also as its
    possessive, ``word's``).  A token that has been read is summarised by a
    *token class*: ``2 * node`` when the token ended on trie node ``node``,
    ``2 * node + 1`` when it went on past ``node`` (the last node it reached).
    Because a trie node has one path from the root, the class alone says which
    pattern words the token matches (``class_matches_word``) and which patterns
    may start with it (``start_patterns``, in priority order).
    """

    ascii_transitions: np.ndarray  # int32[n_nodes, 128]: next node after an ASCII byte, -1 none
    first_symbol: np.ndarray  # int16[0x110000]: trie symbol of a code point's lower case, -1 none
    second_symbol: np.ndarray  # int16[0x110000]: of its second lower-case character; -2 if none
    transitions: np.ndarray  # int32[n_nodes, n_symbols]: next node, -1 when none
    class_is_candidate: np.ndarray  # uint8[n_classes]: matches at least one pattern word
    class_matches_word: np.ndarray  # uint8[n_classes, n_words]
    start_offsets: np.ndarray  # int64[n_classes + 1]: CSR offsets into start_patterns
    start_patterns: np.ndarray  # int32[...]: patterns a class may start, by priority
    pattern_words: np.ndarray  # int32[n_patterns, max_len]: word ids, -1 padded
    pattern_length: np.ndarray  # int32[n_patterns]: tokens per pattern
    pattern_concept: np.ndarray  # int32[n_patterns]: concept index
    n_concepts: int


@functools.lru_cache(maxsize=4)
def compile_lexicon(lexicon: Lexicon) -> Matcher:
    """Compile the lexicon's patterns into a :class:`Matcher` (about 20 ms; kept for reuse)."""
    patterns = lexicon.patterns
    words: list[PatternWord] = list(dict.fromkeys(w for p in patterns for w in p.words))
    word_id = {word: i for i, word in enumerate(words)}

    children: list[dict[str, int]] = [{}]
    glob_words: list[set[int]] = [set()]
    exact_words: list[set[int]] = [set()]
    parent: list[int] = [-1]

    def insert(text: str) -> int:
        node = 0
        for char in text:
            if char not in children[node]:
                children[node][char] = len(children)
                children.append({})
                glob_words.append(set())
                exact_words.append(set())
                parent.append(node)
            node = children[node][char]
        return node

    for word in words:
        if word.is_glob:
            glob_words[insert(word.text)].add(word_id[word])
        else:
            exact_words[insert(word.text)].add(word_id[word])
            exact_words[insert(word.text + "'s")].add(word_id[word])

    n_nodes = len(children)
    alphabet = sorted({char for node in children for char in node})
    symbol = {char: i for i, char in enumerate(alphabet)}
    transitions = np.full((n_nodes, max(len(alphabet), 1)), -1, dtype=np.int32)
    for node, edges in enumerate(children):
        for char, child in edges.items():
            transitions[node, symbol[char]] = child

    _, lower_first, lower_second = codepoint_tables()
    symbol_of_char = np.full(_N_CODEPOINTS, -1, dtype=np.int16)
    for char, number in symbol.items():
        symbol_of_char[ord(char)] = number
    first_symbol = symbol_of_char[lower_first]
    second_symbol = np.where(lower_second != 0, symbol_of_char[lower_second], -2).astype(np.int16)
    ascii_symbols = first_symbol[:128].astype(np.int64)
    ascii_transitions = np.where(
        ascii_symbols >= 0, transitions[:, np.maximum(ascii_symbols, 0)], -1
    )

    n_words = max(len(words), 1)
    n_classes = 2 * n_nodes
    class_matches_word = np.zeros((n_classes, n_words), dtype=np.uint8)
    for node in range(1, n_nodes):  # a parent always has a smaller number than its child
        went_on = class_matches_word[2 * parent[node] + 1].copy()
        went_on[sorted(glob_words[node])] = 1
        class_matches_word[2 * node + 1] = went_on
        class_matches_word[2 * node] = went_on
        class_matches_word[2 * node, sorted(exact_words[node])] = 1

    priority = sorted(range(len(patterns)), key=lambda i: -patterns[i].n_words)  # stable
    max_length = max((p.n_words for p in patterns), default=1)
    pattern_words = np.full((max(len(patterns), 1), max_length), -1, dtype=np.int32)
    for i, pattern in enumerate(patterns):
        pattern_words[i, : pattern.n_words] = [word_id[w] for w in pattern.words]
    concept_index = {key: i for i, key in enumerate(lexicon.concept_keys)}

    # starts[c, r]: whether the r-th pattern in priority order can start with a class-c token
    by_priority = np.array(priority, dtype=np.int64)
    starts = (
        class_matches_word[:, pattern_words[by_priority, 0]].astype(bool)
        if patterns
        else (np.zeros((n_classes, 0), dtype=bool))
    )
    start_offsets = np.zeros(n_classes + 1, dtype=np.int64)
    start_offsets[1:] = np.cumsum(starts.sum(axis=1))
    flat = by_priority[np.nonzero(starts)[1]]

    return Matcher(
        ascii_transitions=np.ascontiguousarray(ascii_transitions, dtype=np.int32),
        first_symbol=first_symbol,
        second_symbol=second_symbol,
        transitions=transitions,
        class_is_candidate=np.asarray(class_matches_word.any(axis=1), dtype=np.uint8),
        class_matches_word=class_matches_word,
        start_offsets=start_offsets,
        start_patterns=np.array(flat, dtype=np.int32),
        pattern_words=pattern_words,
        pattern_length=np.array([p.n_words for p in patterns] or [0], dtype=np.int32),
        pattern_concept=np.array(
            [concept_index[p.concept] for p in patterns] or [0], dtype=np.int32
        ),
        n_concepts=len(lexicon.concepts),
    )


@functools.lru_cache(maxsize=1)
def codepoint_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per code point: token class, and its lower case as up to two code points.

    Taken from the corpus layer's tables (:func:`fplang.corpus._kernels.char_flags`,
    built once per process from Python's own ``re`` word class and
    ``str.lower``), so the scanner tokenizes and lower-cases exactly as
    :mod:`fplang.corpus.tokens` does.  Returns ``char_class`` (uint8: 0 other, 1
    letter or digit, 2 apostrophe, 3 sentence break), ``lower_first`` and
    ``lower_second`` (int32; ``lower_second`` is 0 unless ``str.lower`` gives
    two characters, as for "İ").  Greek capital sigma lowers to "σ" here
    whatever its place; patterns may not hold a sigma, so this never changes
    a count.
    """
    flags, lower_first, lower_second = char_flags()
    char_class = np.where(flags & WORD_FLAG, _WORD, 0).astype(np.uint8)
    for char in APOSTROPHES:
        char_class[ord(char)] = _APOSTROPHE
    for char in SENTENCE_BREAKS:
        char_class[ord(char)] = _BREAK
    return char_class, lower_first, lower_second
