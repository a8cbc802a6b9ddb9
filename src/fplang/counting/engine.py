"""Counting lexicon concepts in texts: the fast engine and its reference.

What is counted
---------------
Texts are split into tokens exactly as :mod:`fplang.corpus.tokens` defines them
(letters and digits in any script, inner apostrophes kept, everything else a
separator), lower-cased, with ``’`` read as ``'``.  Patterns (see
:mod:`fplang.counting.lexicon`) match runs of consecutive tokens.

The overlap rule
----------------
Tokens are scanned left to right.  At each token the longest pattern (in
tokens) that matches there wins; between equally long patterns the concept
listed first in the lexicon wins (and within a concept, the pattern listed
first).  The match consumes its tokens, so a token belongs to at most one
match and the scan goes on after it.  Hence "an active and responsible member"
counts once, for the concept that owns "active and responsible member", and not
also for the one that owns "responsible member"; and "sustainable development"
counts for the concept that owns that phrase, not for the one owning
"development".  A match that starts earlier wins over a longer one that would
start inside it.

Sentence breaks
---------------
Whole documents are counted, not sentences.  What lies between two tokens is
ignored (spaces, line breaks, commas, quotes, brackets, hyphens, dashes) except
the sentence-ending marks ``.`` ``!`` ``?`` ``;`` ``:`` and the ellipsis ``…``:
a pattern never matches across one of them.  So "peace, cooperation and
development" matches the text "peace, cooperation, and development", while
"new era" does not match "... a new. Era ...".

Engine and reference
--------------------
:func:`count_concepts` and :func:`find_matches` run one compiled (numba)
scanner over the UTF-8 bytes of all texts, on every core (threads take blocks
of documents; the scanner releases the GIL).  It decodes every character,
classifies it with tables built from Python's own ``re`` word class and
``str.lower`` (so it agrees with the ``re`` tokenizer on any Unicode text), and
walks a trie of the lexicon's words while it reads each token, so no token
string is ever built.  On the whole UN General Debate Corpus (199 million
characters, 32 million tokens) a 35-concept lexicon takes about 1.4 s of CPU,
1.3 s of wall time (median) on two shared cores; see ``benchmarks/README.md``.
:func:`reference_count` and :func:`reference_matches` do the same job in plain
Python, one token at a time, and the tests hold the two to identical results.

Texts may be a pandas Series (object or Arrow-backed strings), a pyarrow
string array, or any sequence of ``str``.  Arrow-backed texts (read with
``pd.read_parquet(..., dtype_backend="pyarrow")``) are scanned in place;
object-dtype texts are first copied into Arrow as UTF-8, which costs about as
much as the count itself on the full UN corpus.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numba
import numpy as np
import pandas as pd
import pyarrow as pa

from fplang.counting.lexicon import Lexicon, Pattern, PatternWord, normalize_token
from fplang.corpus.tokens import TOKEN_RE

SENTENCE_BREAKS: str = ".!?;:\u2026"
"""Characters between two tokens that stop a pattern from matching across them."""

APOSTROPHES: str = "'\u2019"
"""Characters that may join two runs of letters into one token."""

Texts = pd.Series | pa.Array | pa.ChunkedArray | Sequence[str]

COUNT_COLUMNS: list[str] = ["doc_id", "concept", "count", "n_tokens"]
MATCH_COLUMNS: list[str] = ["doc_id", "concept", "pattern", "start", "end", "text"]
TOKEN_COLUMNS: list[str] = ["doc_id", "n_tokens"]

_WORD, _APOSTROPHE, _BREAK = 1, 2, 3  # character classes; 0 is any other character
_N_CODEPOINTS = 0x110000


class TextsError(TypeError):
    """The texts given to a counter are not all strings, or do not fit their doc ids."""


def count_concepts(texts: Texts, lexicon: Lexicon, doc_ids: Sequence | None = None) -> pd.DataFrame:
    """Count each concept of the lexicon in each text.

    Parameters
    ----------
    texts
        The documents (Series, pyarrow string array or sequence of ``str``).
    lexicon
        A validated lexicon (:func:`fplang.counting.lexicon.load_lexicon`).
    doc_ids
        One id per text; by default the Series index, else ``0 .. n-1``.

    Returns
    -------
    pandas.DataFrame
        One row per document and concept, zeros included, ordered by document
        (input order) then lexicon order.  Columns: ``doc_id``; ``concept``
        (categorical, categories in lexicon order); ``count`` (int64, matches
        after the overlap rule); ``n_tokens`` (int64, tokens in the document,
        repeated on each of its rows, the denominator for rates).
    """
    ids = _resolve_doc_ids(texts, doc_ids)
    counts, n_tokens, _ = _scan(_as_arrow(texts), _compile(lexicon))
    return _count_frame(ids, lexicon, counts, n_tokens)


def count_tokens_per_doc(texts: Texts, doc_ids: Sequence | None = None) -> pd.DataFrame:
    """Tokens per document, by the engine (no lexicon needed).

    Returns columns ``doc_id`` and ``n_tokens`` (int64), one row per text in
    input order.  Equals ``fplang.corpus.tokens.count_tokens`` on each text.
    """
    ids = _resolve_doc_ids(texts, doc_ids)
    empty = Lexicon(version=1, concepts=(), source="<no concepts>")
    _, n_tokens, _ = _scan(_as_arrow(texts), _compile(empty))
    return pd.DataFrame({"doc_id": ids, "n_tokens": n_tokens}, columns=TOKEN_COLUMNS)


def find_matches(texts: Texts, lexicon: Lexicon, doc_ids: Sequence | None = None) -> pd.DataFrame:
    """Every match the counter counts, traceable to its place in the text.

    Returns
    -------
    pandas.DataFrame
        One row per match, ordered by document (input order) then position.
        Columns: ``doc_id``; ``concept`` (categorical, lexicon order);
        ``pattern`` (as written in the lexicon); ``start`` and ``end``
        (int64 character offsets into the text, so ``text[start:end]`` is the
        match, from the first letter of its first token to the last of its
        last); ``text`` (that slice, original case and punctuation).
        Grouping by ``doc_id`` and ``concept`` gives :func:`count_concepts`.
    """
    ids = _resolve_doc_ids(texts, doc_ids)
    arrow_texts = _as_arrow(texts)
    matcher = _compile(lexicon)
    counts, _, _ = _scan(arrow_texts, matcher)
    doc_index, pattern_index, starts, ends = _scan_matches(arrow_texts, matcher, counts)
    return _match_frame(ids, lexicon, arrow_texts, doc_index, pattern_index, starts, ends)


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
                    for token, word in zip(span, pattern.words)
                ):
                    matches.append((pattern, span[0].start, span[-1].end))
                    position += pattern.n_words
                    break
            else:
                position += 1
        return matches


def _resolve_doc_ids(texts: Texts, doc_ids: Sequence | None) -> np.ndarray:
    """The doc ids as an array: given, else the Series index, else 0..n-1."""
    n_texts = len(texts)
    if doc_ids is None:
        if isinstance(texts, pd.Series):
            return texts.index.to_numpy()
        return np.arange(n_texts)
    ids = pd.Index(doc_ids).to_numpy()
    if len(ids) != n_texts:
        raise TextsError(f"doc_ids has {len(ids)} ids but there are {n_texts} texts")
    return ids


def _as_strings(texts: Texts) -> list[str]:
    """The texts as a list of ``str``, refusing anything else (naming its position)."""
    is_arrow = isinstance(texts, (pa.Array, pa.ChunkedArray))
    strings = texts.to_pylist() if is_arrow else list(texts)
    for position, text in enumerate(strings):
        if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA:
            raise TextsError(
                f"text {position} is missing (null or NaN); drop or fill it before counting"
            )
        if not isinstance(text, str):
            raise TextsError(f"text {position} is {type(text).__name__} {text!r}, not a string")
    return strings


def _as_arrow(texts: Texts) -> pa.ChunkedArray:
    """The texts as Arrow large strings (UTF-8), without copying when they already are.

    Python strings are checked one by one first, so a non-string or missing
    text is reported by position; Arrow input is checked for nulls.
    """
    if isinstance(texts, pa.ChunkedArray):
        arrow = texts
    elif isinstance(texts, pa.Array):
        arrow = pa.chunked_array([texts], type=texts.type)
    else:
        is_arrow_backed = isinstance(texts, pd.Series) and (
            isinstance(texts.dtype, pd.ArrowDtype)
            or (isinstance(texts.dtype, pd.StringDtype) and texts.dtype.storage == "pyarrow")
        )
        if not is_arrow_backed:
            _as_strings(texts)
        converted = pa.array(texts, type=pa.large_string(), from_pandas=True)
        arrow = (
            converted if isinstance(converted, pa.ChunkedArray) else pa.chunked_array([converted])
        )
    if not (pa.types.is_large_string(arrow.type) or pa.types.is_string(arrow.type)):
        raise TextsError(f"texts must be strings, not Arrow type {arrow.type}")
    if arrow.null_count:
        first = int(np.flatnonzero(arrow.is_null().to_numpy(zero_copy_only=False))[0])
        raise TextsError(f"text {first} is missing (null or NaN); drop or fill it before counting")
    return arrow.cast(pa.large_string())


def _count_frame(
    ids: np.ndarray, lexicon: Lexicon, counts: np.ndarray, n_tokens: np.ndarray
) -> pd.DataFrame:
    """The tidy doc x concept frame of :func:`count_concepts`."""
    n_concepts = len(lexicon.concepts)
    keys = lexicon.concept_keys
    codes = np.tile(np.arange(n_concepts), len(ids))
    return pd.DataFrame(
        {
            "doc_id": np.repeat(ids, n_concepts),
            "concept": pd.Categorical.from_codes(codes, categories=keys),
            "count": counts.reshape(-1).astype(np.int64),
            "n_tokens": np.repeat(n_tokens.astype(np.int64), n_concepts),
        },
        columns=COUNT_COLUMNS,
    )


def _match_frame(
    ids: np.ndarray,
    lexicon: Lexicon,
    arrow_texts: pa.ChunkedArray,
    doc_index: np.ndarray,
    pattern_index: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
) -> pd.DataFrame:
    """The frame of :func:`find_matches` from the scanner's match arrays."""
    patterns = lexicon.patterns
    concept_of_pattern = np.array(
        [lexicon.concept_keys.index(pattern.concept) for pattern in patterns], dtype=np.int64
    )
    pattern_text = np.array([pattern.text for pattern in patterns] or [""], dtype=object)
    matched_text = []
    cached_doc, cached_text = -1, ""
    for doc, start, end in zip(doc_index.tolist(), starts.tolist(), ends.tolist()):
        if doc != cached_doc:
            cached_doc, cached_text = doc, arrow_texts[doc].as_py()
        matched_text.append(cached_text[start:end])
    return pd.DataFrame(
        {
            "doc_id": ids[doc_index],
            "concept": pd.Categorical.from_codes(
                concept_of_pattern[pattern_index], categories=lexicon.concept_keys
            ),
            "pattern": pattern_text[pattern_index],
            "start": starts.astype(np.int64),
            "end": ends.astype(np.int64),
            "text": np.array(matched_text, dtype=object),
        },
        columns=MATCH_COLUMNS,
    )


# --- The compiled matcher ------------------------------------------------------------------


@dataclass(frozen=True)
class _Matcher:
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
def _compile(lexicon: Lexicon) -> _Matcher:
    """Compile the lexicon's patterns into a :class:`_Matcher` (about 20 ms; kept for reuse)."""
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

    _, lower_first, lower_second = _codepoint_tables()
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

    return _Matcher(
        ascii_transitions=np.ascontiguousarray(ascii_transitions, dtype=np.int32),
        first_symbol=first_symbol,
        second_symbol=second_symbol,
        transitions=transitions,
        class_is_candidate=(class_matches_word.any(axis=1)).astype(np.uint8),
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
def _codepoint_tables() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per code point: token class, and its lower case as up to two code points.

    Built once per process (about 0.3 s) from Python's own ``re`` word class
    and ``str.lower``, so the scanner tokenizes and lower-cases exactly as
    :mod:`fplang.corpus.tokens` does.  Returns ``char_class`` (uint8: 0 other, 1
    letter or digit, 2 apostrophe, 3 sentence break), ``lower_first`` and
    ``lower_second`` (int32; ``lower_second`` is 0 unless ``str.lower`` gives
    two characters, as for "İ").  Greek capital sigma lowers to "σ" here
    whatever its place; patterns may not hold a sigma, so this never changes
    a count.
    """
    codepoints = np.arange(_N_CODEPOINTS, dtype=np.uint32)
    codepoints = codepoints[(codepoints < 0xD800) | (codepoints > 0xDFFF)]
    every_char = codepoints.tobytes().decode("utf-32-le")

    char_class = np.zeros(_N_CODEPOINTS, dtype=np.uint8)
    word_chars = "".join(re.findall(r"[^\W_]", every_char))
    char_class[np.frombuffer(word_chars.encode("utf-32-le"), dtype=np.uint32)] = _WORD
    for char in APOSTROPHES:
        char_class[ord(char)] = _APOSTROPHE
    for char in SENTENCE_BREAKS:
        char_class[ord(char)] = _BREAK

    lowered = list(map(str.lower, every_char))
    lengths = np.fromiter(map(len, lowered), dtype=np.int64, count=len(lowered))
    lower_second = np.zeros(_N_CODEPOINTS, dtype=np.int32)
    for position in np.flatnonzero(lengths != 1).tolist():
        if lengths[position] > 2:
            raise RuntimeError(f"str.lower gives {lengths[position]} characters for one")
        lower_second[codepoints[position]] = ord(lowered[position][1])
        lowered[position] = lowered[position][0]
    lower_first = np.arange(_N_CODEPOINTS, dtype=np.int32)
    lower_first[codepoints] = np.frombuffer("".join(lowered).encode("utf-32-le"), dtype=np.uint32)
    return char_class, lower_first, lower_second


# --- The scanner ---------------------------------------------------------------------------


def _scan(
    arrow_texts: pa.ChunkedArray,
    matcher: _Matcher,
    record_from: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Run the scanner over all texts, on every available core.

    Returns concept counts (int64[n_docs, n_concepts]), tokens per document
    (int64[n_docs]) and, when ``record_from`` (int64[n_docs + 1], where each
    document's matches start in the output) is given, the matches' pattern
    index, start and end character offsets (empty arrays otherwise).  The
    documents are cut into blocks of about equal bytes, several per thread;
    the compiled scanner releases the GIL, so threads run it in parallel.
    """
    n_docs = len(arrow_texts)
    counts = np.zeros((n_docs, matcher.n_concepts), dtype=np.int64)
    n_tokens = np.zeros(n_docs, dtype=np.int64)
    record = record_from is not None
    n_matches = int(record_from[-1]) if record else 0
    matches = tuple(np.zeros(n_matches, dtype=np.int64) for _ in range(3))
    n_threads = len(os.sched_getaffinity(0))
    char_class = _codepoint_tables()[0]

    jobs = []
    first_doc = 0
    for chunk in arrow_texts.chunks:
        data, offsets = _buffers(chunk)
        stop_doc = first_doc + len(chunk)
        write_at = record_from[first_doc : stop_doc + 1] if record else n_tokens[:0]
        for low, high in _blocks(offsets, 4 * n_threads):
            jobs.append(
                (
                    data,
                    offsets,
                    low,
                    high,
                    counts[first_doc:stop_doc],
                    n_tokens[first_doc:stop_doc],
                    char_class,
                    *_kernel_arguments(matcher),
                    record,
                    write_at,
                    *matches,
                )
            )
        first_doc = stop_doc
    if n_threads > 1 and len(jobs) > 1:
        with ThreadPoolExecutor(max_workers=n_threads) as pool:
            list(pool.map(lambda job: _scan_block(*job), jobs))
    else:
        for job in jobs:
            _scan_block(*job)
    return counts, n_tokens, matches


def _scan_matches(
    arrow_texts: pa.ChunkedArray, matcher: _Matcher, counts: np.ndarray
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Every match as arrays: doc index, pattern index, start and end character offsets."""
    per_doc = counts.sum(axis=1)
    record_from = np.zeros(len(per_doc) + 1, dtype=np.int64)
    record_from[1:] = np.cumsum(per_doc)
    _, _, (pattern_index, starts, ends) = _scan(arrow_texts, matcher, record_from)
    doc_index = np.repeat(np.arange(len(per_doc)), per_doc)
    return doc_index, pattern_index, starts, ends


def _blocks(offsets: np.ndarray, n_blocks: int) -> list[tuple[int, int]]:
    """Cut documents ``0 .. len(offsets) - 2`` into up to ``n_blocks`` runs of about equal bytes."""
    n_docs = len(offsets) - 1
    if n_docs == 0:
        return []
    targets = np.linspace(offsets[0], offsets[-1], n_blocks + 1)
    cuts = np.unique(np.concatenate([[0], np.searchsorted(offsets, targets[1:-1]), [n_docs]]))
    cuts = cuts[(cuts >= 0) & (cuts <= n_docs)]
    return [(int(low), int(high)) for low, high in zip(cuts[:-1], cuts[1:]) if high > low]


def _buffers(chunk: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """The UTF-8 bytes and int64 offsets of a large-string chunk, without copying."""
    _, offsets_buffer, data_buffer = chunk.buffers()
    offsets = np.frombuffer(offsets_buffer, dtype=np.int64)[
        chunk.offset : chunk.offset + len(chunk) + 1
    ]
    data = (
        np.frombuffer(data_buffer, dtype=np.uint8)
        if data_buffer is not None
        else np.zeros(0, dtype=np.uint8)
    )
    return data, offsets


def _kernel_arguments(matcher: _Matcher) -> tuple:
    return (
        matcher.ascii_transitions,
        matcher.first_symbol,
        matcher.second_symbol,
        matcher.transitions,
        matcher.class_is_candidate,
        matcher.class_matches_word,
        matcher.start_offsets,
        matcher.start_patterns,
        matcher.pattern_words,
        matcher.pattern_length,
        matcher.pattern_concept,
    )


@numba.njit(inline="always", cache=True, nogil=True)
def _decode(data: np.ndarray, position: int) -> tuple[int, int]:
    """The code point of the multi-byte UTF-8 sequence at ``position``, and its width in bytes."""
    lead = np.int64(data[position])
    if lead < 0xE0:
        return ((lead & 0x1F) << 6) | (np.int64(data[position + 1]) & 0x3F), 2
    if lead < 0xF0:
        return (
            ((lead & 0x0F) << 12)
            | ((np.int64(data[position + 1]) & 0x3F) << 6)
            | (np.int64(data[position + 2]) & 0x3F),
            3,
        )
    return (
        ((lead & 0x07) << 18)
        | ((np.int64(data[position + 1]) & 0x3F) << 12)
        | ((np.int64(data[position + 2]) & 0x3F) << 6)
        | (np.int64(data[position + 3]) & 0x3F),
        4,
    )


@numba.njit(inline="always", cache=True, nogil=True)
def _advance(node, symbol, transitions):
    """The trie node after one more character (by its symbol); -1 once off the trie."""
    if node < 0 or symbol < 0:
        return -1
    return transitions[node, symbol]


@numba.njit(cache=True, nogil=True)
def _tokenize(
    data,
    start,
    end,
    char_class,
    ascii_transitions,
    first_symbol,
    second_symbol,
    transitions,
    class_is_candidate,
    candidate_ordinal,
    candidate_segment,
    candidate_class,
    candidate_start,
    candidate_end,
):
    """Tokenize bytes ``start:end`` and list the candidate tokens (those matching a pattern word).

    Each token's characters are lower-cased and fed to the trie as they are
    read; when the token ends, its class (trie node, and whether it ended
    there) says which pattern words it matches.  For each candidate, writes
    its ordinal among all tokens, its segment (sentence breaks before it),
    class, and start and end character offsets.  Returns the number of tokens
    and of candidates.
    """
    apostrophe_symbol = first_symbol[39]
    n_tokens = 0
    n_candidates = 0
    segment = 0
    in_token = False
    node = 0
    last_node = 0
    token_start = 0
    char_index = 0
    position = start
    while position < end:
        byte = data[position]
        if byte < 128:
            kind = char_class[byte]
            width = 1
            if kind == 1:
                if not in_token:
                    in_token = True
                    node = 0
                    last_node = 0
                    token_start = char_index
                while True:  # the run of ASCII letters and digits, the hot loop
                    if node >= 0:
                        node = ascii_transitions[node, byte]
                        if node >= 0:
                            last_node = node
                    position += 1
                    char_index += 1
                    if position == end:
                        break
                    byte = data[position]
                    if byte >= 128 or char_class[byte] != 1:
                        break
                continue
        else:
            codepoint, width = _decode(data, position)
            kind = char_class[codepoint]
            if kind == 1:
                if not in_token:
                    in_token = True
                    node = 0
                    last_node = 0
                    token_start = char_index
                node = _advance(node, first_symbol[codepoint], transitions)
                if node >= 0:
                    last_node = node
                    if second_symbol[codepoint] != -2:
                        node = _advance(node, second_symbol[codepoint], transitions)
                        if node >= 0:
                            last_node = node
                position += width
                char_index += 1
                continue
        if kind == 2 and in_token and position + width < end:
            next_byte = data[position + width]
            if next_byte < 128:
                next_kind = char_class[next_byte]
            else:
                next_kind = char_class[_decode(data, position + width)[0]]
            if next_kind == 1:  # an apostrophe between letters stays inside the token
                node = _advance(node, apostrophe_symbol, transitions)
                if node >= 0:
                    last_node = node
                position += width
                char_index += 1
                continue
        if in_token:
            in_token = False
            n_candidates = _end_token(
                node,
                last_node,
                n_tokens,
                segment,
                token_start,
                char_index,
                class_is_candidate,
                n_candidates,
                candidate_ordinal,
                candidate_segment,
                candidate_class,
                candidate_start,
                candidate_end,
            )
            n_tokens += 1
        if kind == 3:
            segment += 1
        position += width
        char_index += 1
    if in_token:
        n_candidates = _end_token(
            node,
            last_node,
            n_tokens,
            segment,
            token_start,
            char_index,
            class_is_candidate,
            n_candidates,
            candidate_ordinal,
            candidate_segment,
            candidate_class,
            candidate_start,
            candidate_end,
        )
        n_tokens += 1
    return n_tokens, n_candidates


@numba.njit(inline="always", cache=True, nogil=True)
def _end_token(
    node,
    last_node,
    ordinal,
    segment,
    token_start,
    token_end,
    class_is_candidate,
    n_candidates,
    candidate_ordinal,
    candidate_segment,
    candidate_class,
    candidate_start,
    candidate_end,
):
    """Classify the token just read, listing it if a candidate; returns the candidate count."""
    token_class = 2 * node if node >= 0 else 2 * last_node + 1
    if class_is_candidate[token_class]:
        candidate_ordinal[n_candidates] = ordinal
        candidate_segment[n_candidates] = segment
        candidate_class[n_candidates] = token_class
        candidate_start[n_candidates] = token_start
        candidate_end[n_candidates] = token_end
        return n_candidates + 1
    return n_candidates


@numba.njit(cache=True, nogil=True)
def _match(
    doc,
    n_candidates,
    candidate_ordinal,
    candidate_segment,
    candidate_class,
    candidate_start,
    candidate_end,
    class_matches_word,
    start_offsets,
    start_patterns,
    pattern_words,
    pattern_length,
    pattern_concept,
    counts,
    record,
    write_position,
    out_pattern,
    out_start,
    out_end,
):
    """Apply the overlap rule to one document's candidate tokens, adding to ``counts[doc]``.

    At each candidate, the patterns its class may start are tried in priority
    order (longest first, then lexicon order); a pattern matches when the next
    candidates are the very next tokens, in the same segment, matching its
    words.  A match consumes its tokens.  Writes matches from
    ``write_position`` on when ``record`` is true.
    """
    i = 0
    while i < n_candidates:
        token_class = candidate_class[i]
        matched_length = 0
        for j in range(start_offsets[token_class], start_offsets[token_class + 1]):
            pattern = start_patterns[j]
            length = pattern_length[pattern]
            last = i + length - 1
            if last >= n_candidates:
                continue
            if candidate_ordinal[last] - candidate_ordinal[i] != length - 1:
                continue
            if candidate_segment[last] != candidate_segment[i]:
                continue
            matched = True
            for k in range(1, length):
                if class_matches_word[candidate_class[i + k], pattern_words[pattern, k]] == 0:
                    matched = False
                    break
            if matched:
                counts[doc, pattern_concept[pattern]] += 1
                if record:
                    out_pattern[write_position] = pattern
                    out_start[write_position] = candidate_start[i]
                    out_end[write_position] = candidate_end[last]
                    write_position += 1
                matched_length = length
                break
        i += matched_length if matched_length else 1


@numba.njit(cache=True, nogil=True)
def _scan_block(
    data,
    offsets,
    doc_low,
    doc_high,
    counts,
    n_tokens,
    char_class,
    ascii_transitions,
    first_symbol,
    second_symbol,
    transitions,
    class_is_candidate,
    class_matches_word,
    start_offsets,
    start_patterns,
    pattern_words,
    pattern_length,
    pattern_concept,
    record,
    write_at,
    out_pattern,
    out_start,
    out_end,
):
    """Scan documents ``doc_low:doc_high``, filling their rows of ``counts`` and ``n_tokens``.

    When ``record`` is true, document ``doc``'s matches are also written to
    the ``out_*`` arrays from index ``write_at[doc]`` on.  Releases the GIL.
    """
    longest = 0
    for doc in range(doc_low, doc_high):
        longest = max(longest, offsets[doc + 1] - offsets[doc])
    most_tokens = (longest + 1) // 2 + 1  # a token needs a character and a separator
    candidate_ordinal = np.empty(most_tokens, dtype=np.int64)
    candidate_segment = np.empty(most_tokens, dtype=np.int64)
    candidate_class = np.empty(most_tokens, dtype=np.int64)
    candidate_start = np.empty(most_tokens, dtype=np.int64)
    candidate_end = np.empty(most_tokens, dtype=np.int64)
    for doc in range(doc_low, doc_high):
        tokens, n_candidates = _tokenize(
            data,
            offsets[doc],
            offsets[doc + 1],
            char_class,
            ascii_transitions,
            first_symbol,
            second_symbol,
            transitions,
            class_is_candidate,
            candidate_ordinal,
            candidate_segment,
            candidate_class,
            candidate_start,
            candidate_end,
        )
        n_tokens[doc] = tokens
        _match(
            doc,
            n_candidates,
            candidate_ordinal,
            candidate_segment,
            candidate_class,
            candidate_start,
            candidate_end,
            class_matches_word,
            start_offsets,
            start_patterns,
            pattern_words,
            pattern_length,
            pattern_concept,
            counts,
            record,
            write_at[doc] if record else 0,
            out_pattern,
            out_start,
            out_end,
        )
