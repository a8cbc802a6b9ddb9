"""Counting lexicon concepts in texts: ``count_concepts`` and ``find_matches``.

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
string is ever built.  :func:`find_matches` (and :func:`scan_texts`, which
gives the counts and the matches as arrays) records each match in the same
pass that counts it, and copies its text from the texts' UTF-8 buffer.  On
the whole UN General Debate Corpus (199 million
characters, 32 million tokens) a 35-concept lexicon takes about 1.4 s of CPU,
1.3 s of wall time (median) on two shared cores; see ``benchmarks/README.md``.
The scanner is :mod:`fplang.counting._kernels`, the compiled lexicon
:mod:`fplang.counting._matcher`.  :func:`fplang.counting.reference.reference_count`
and :func:`~fplang.counting.reference.reference_matches` do the same job in
plain Python, one token at a time, and the tests hold the two to identical results.

Texts may be a pandas Series (object or Arrow-backed strings), a pyarrow
string array, or any sequence of ``str``.  Arrow-backed texts (read with
``pd.read_parquet(..., dtype_backend="pyarrow")``) are scanned in place;
object-dtype texts are first copied into Arrow as UTF-8, which costs about as
much as the count itself on the full UN corpus.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
import pandas as pd
import pyarrow as pa

from fplang.counting._kernels import Recorded as Matches
from fplang.counting._kernels import scan
from fplang.counting._matcher import compile_lexicon
from fplang.counting.lexicon import Lexicon
from fplang.errors import FplangError

Texts: TypeAlias = pd.Series | pa.Array | pa.ChunkedArray | Sequence[str]
"""What the counters take: a pandas Series, an Arrow string array, or any sequence of ``str``."""

COUNT_COLUMNS: list[str] = ["doc_id", "concept", "count", "n_tokens"]
MATCH_COLUMNS: list[str] = ["doc_id", "concept", "pattern", "start", "end", "text"]


class TextsError(FplangError, TypeError):
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
    counts, n_tokens, _ = scan(_as_arrow(texts), compile_lexicon(lexicon))
    return _count_frame(ids, lexicon, counts, n_tokens)


def count_matrix(texts: Texts, lexicon: Lexicon) -> tuple[np.ndarray, np.ndarray]:
    """The counts of :func:`count_concepts` as arrays: int64[n_texts, n_concepts] (lexicon order) and tokens per text.

    For many short texts (the sentences of a corpus) the tidy frame, one row
    per text and concept with zeros, is many times larger than the counts.
    """
    counts, n_tokens, _ = scan(_as_arrow(texts), compile_lexicon(lexicon))
    return counts, n_tokens


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
    _, _, matches = scan_texts(texts, lexicon)
    return _match_frame(ids, lexicon, matches)


def scan_texts(texts: Texts, lexicon: Lexicon, *, threads: int | None = None) -> tuple[np.ndarray, np.ndarray, Matches]:
    """:func:`count_matrix` and the matches of :func:`find_matches` as arrays, from one pass over the texts.

    Returns the counts (int64[n_texts, n_concepts]), the tokens of each text,
    and the matches (:class:`fplang.counting._kernels.Recorded`: each match's
    text index, pattern index in ``lexicon.patterns``, character span, and
    its text as an Arrow string column).  ``threads`` (by default one per
    available core) may be 1 where each core already runs a process of its own.
    """
    counts, n_tokens, matches = scan(_as_arrow(texts), compile_lexicon(lexicon), record=True, threads=threads)
    assert matches is not None
    return counts, n_tokens, matches


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
    strings = texts.to_pylist() if isinstance(texts, pa.Array | pa.ChunkedArray) else list(texts)
    for position, text in enumerate(strings):
        if text is None or (isinstance(text, float) and np.isnan(text)) or text is pd.NA:
            raise TextsError(
                f"text {position} is missing (null or NaN); drop or fill it before counting"
            )
        if not isinstance(text, str):
            raise TextsError(f"text {position} is {type(text).__name__} {text!r}, not a string")
    return strings


def _as_arrow(texts: Texts) -> pa.ChunkedArray:
    """The texts as Arrow strings or large strings (UTF-8), without copying when they already are.

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
    return arrow


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


def _match_frame(ids: np.ndarray, lexicon: Lexicon, matches: Matches) -> pd.DataFrame:
    """The frame of :func:`find_matches` from the scanner's matches."""
    patterns = lexicon.patterns
    concept_of_pattern = np.array(
        [lexicon.concept_keys.index(pattern.concept) for pattern in patterns], dtype=np.int64
    )
    pattern_text = np.array([pattern.text for pattern in patterns] or [""], dtype=object)
    pattern_index = matches.pattern_index
    return pd.DataFrame(
        {
            "doc_id": ids[matches.text_index],
            "concept": pd.Categorical.from_codes(
                concept_of_pattern[pattern_index], categories=lexicon.concept_keys
            ),
            "pattern": pattern_text[pattern_index],
            "start": matches.starts.astype(np.int64),
            "end": matches.ends.astype(np.int64),
            "text": np.asarray(matches.text.to_numpy(zero_copy_only=False), dtype=object),
        },
        columns=MATCH_COLUMNS,
    )
