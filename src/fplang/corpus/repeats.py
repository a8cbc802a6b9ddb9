"""Repeated paragraphs: a paragraph that repeats an earlier one of the same document is counted once.

Web pages repeat a paragraph as a photo caption or a pull quote; counted twice,
its words would weigh double.  Comparing every pair of paragraphs with difflib
is quadratic, so an upper bound of difflib's ratio is computed for all pairs at
once from sparse token counts, and only the candidates get the full comparison.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from fplang.corpus.rule import Removal, Rule
from fplang.corpus.tokens import tokenize


@dataclass(frozen=True)
class RepeatedParagraphRule(Rule):
    """Drop a paragraph (a line) that repeats an earlier one of the same document.

    Web pages repeat a paragraph as a photo caption or a pull quote; counted
    twice, its words would weigh double.  Two paragraphs are the same when
    their token sequences agree to at least ``threshold`` (difflib's ratio),
    which catches captions that differ by a word.  The first occurrence stays.
    Paragraphs shorter than ``min_tokens`` (headings, "VNA") are left alone.
    """

    pattern: str = ""
    threshold: float = 0.9
    min_tokens: int = 8

    def apply(self, text: str) -> tuple[str, list[Removal]]:
        lines = text.splitlines(keepends=True)
        tokens = [tokenize(line) for line in lines]
        bounds = _quick_ratios(tokens, self.min_tokens)
        kept: set[int] = set()  # long paragraphs kept so far: what a later one may repeat
        matchers: dict[int, difflib.SequenceMatcher] = {}  # made when first needed; the paragraph is seq2
        removals: list[Removal] = []
        out: list[str] = []
        position = 0
        for index, line in enumerate(lines):
            long_enough = len(tokens[index]) >= self.min_tokens
            candidates = np.flatnonzero(bounds[index, :index] >= self.threshold).tolist() if long_enough else []
            if any(
                earlier in kept and _similar(_matcher(matchers, tokens, earlier), tokens[index], self.threshold)
                for earlier in candidates
            ):
                removals.append(Removal(self.name, position, line))
            else:
                out.append(line)
                if long_enough:
                    kept.add(index)
            position += len(line)
        return "".join(out), removals


def _matcher(
    cache: dict[int, difflib.SequenceMatcher], tokens: Sequence[list[str]], index: int
) -> difflib.SequenceMatcher:
    """The matcher with paragraph ``index`` as its second sequence, made once (difflib indexes it)."""
    if index not in cache:
        cache[index] = difflib.SequenceMatcher(None, b=tokens[index], autojunk=False)
    return cache[index]


def _quick_ratios(tokens: Sequence[list[str]], min_tokens: int) -> np.ndarray:
    """difflib's ``quick_ratio`` for every pair of paragraphs of at least ``min_tokens`` tokens.

    ``quick_ratio`` (twice the shared tokens, counted as a multiset, over the
    two lengths) bounds ``ratio`` from above, so a pair below the threshold
    here cannot be a repeat.  Computed for all pairs at once from a count
    matrix, it spares the quadratic Python loop that made cleaning a UN
    speech slow; pairs of short paragraphs are left at 0.
    """
    n = len(tokens)
    bounds = np.zeros((n, n))
    long_rows = [i for i, words in enumerate(tokens) if len(words) >= min_tokens]
    if len(long_rows) < 2:
        return bounds
    vocabulary: dict[str, int] = {}
    rows, columns = [], []
    for row, i in enumerate(long_rows):
        for word in tokens[i]:
            rows.append(row)
            columns.append(vocabulary.setdefault(word, len(vocabulary)))
    counts = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int64), (rows, columns)), shape=(len(long_rows), len(vocabulary))
    )  # duplicates are summed: each paragraph's token counts
    lengths = np.asarray(counts.sum(axis=1)).ravel()
    # shared[i, j] = sum over tokens of min(count in i, count in j): the tokens both hold
    # (a sparse product), corrected, for the few tokens some paragraph repeats, by their
    # minimum counts (dense, on those columns only).
    held = (counts > 0).astype(np.int64)
    shared = (held @ held.T).toarray()
    repeated = np.flatnonzero(np.asarray(counts.max(axis=0).todense()).ravel() > 1)
    if repeated.size:
        many = counts[:, repeated].toarray()
        many_held = (many > 0).astype(np.int64)
        minimum = np.stack([np.minimum(row, many).sum(axis=1) for row in many])
        shared += minimum - many_held @ many_held.T
    bounds[np.ix_(long_rows, long_rows)] = 2.0 * shared / (lengths[:, None] + lengths[None, :])
    return bounds


def _similar(matcher: difflib.SequenceMatcher, tokens: list[str], threshold: float) -> bool:
    """Whether ``tokens`` agree with the matcher's paragraph to ``threshold`` (difflib's ``ratio``).

    Only pairs whose ``quick_ratio`` bound already reaches the threshold
    (:func:`_quick_ratios`) get here, so the full comparison is all that is left.
    """
    matcher.set_seq1(tokens)
    return matcher.ratio() >= threshold


REPEATED_PARAGRAPHS = RepeatedParagraphRule(
    "repeated_paragraph",
    "A paragraph that repeats an earlier one (a photo caption, a pull quote) is counted once.",
)

