"""What is distinctive in a group of documents: keywords, recurring formulas, similarity.

The chapter on the 14th Congress compares the documents of one group (the
*target*, e.g. the texts about the 14th Congress) with the rest (the
*reference*).  These functions turn a segmented corpus into the inputs of
:mod:`fplang.analysis.keyness` and :mod:`fplang.analysis.similarity` and back into tables the book shows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence

import pandas as pd

from fplang.analysis.keyness import collocations, keyness
from fplang.analysis.similarity import tfidf_similarity
from fplang.corpus.tokens import tokenize

FUNCTION_WORDS: frozenset[str] = frozenset(
    """
    a an the and or but nor of in on at to for from by with as into onto upon over under
    about between through during within without against among than that this these those
    it its is are was were be been being has have had do does did will would shall should
    can could may might must not no so such which who whom whose what when where while
    all each both any some more most other their they them he she his her we our us you your
    i me my also very well only just there here then thus
    """.split()
)
"""Words too common to form a formula of their own; n-grams may not start or end with one."""


def term_counts(sentences: pd.DataFrame, doc_ids: Iterable[str]) -> tuple[pd.Series, int]:
    """Token frequencies over the sentences of some documents, and their token total.

    Tokens are the book's (:mod:`fplang.corpus.tokens`); digits-only tokens are
    kept in the total but not counted as terms, since a year is not a word choice.
    """
    chosen = sentences[sentences["doc_id"].isin(list(doc_ids))]
    counter: Counter[str] = Counter()
    total = 0
    for text in chosen["text"]:
        tokens = tokenize(text)
        total += len(tokens)
        counter.update(token for token in tokens if not token.isdigit())
    counts = pd.Series(dict(sorted(counter.items())), dtype="int64", name="count")
    return counts, total


def split_by_variable(documents: pd.DataFrame, variable: str, value: object) -> tuple[list[str], list[str]]:
    """Doc ids where ``variable == value`` (target) and the others (reference).

    Raises ``KeyError`` naming the variable when the manifest has no such column.
    """
    if variable not in documents.columns:
        raise KeyError(f"the corpus has no document variable {variable!r}; columns: {list(documents.columns)}")
    matches = documents[variable].astype("string") == str(value)
    target = documents.loc[matches.fillna(False), "doc_id"].tolist()
    reference = documents.loc[~matches.fillna(False), "doc_id"].tolist()
    return target, reference


def why_not_comparable(documents: pd.DataFrame, variable: str, value: object) -> str | None:
    """Why a target/reference comparison cannot be made on this corpus, or None if it can."""
    if variable not in documents.columns:
        return f"the corpus has no document variable {variable!r}, so no target group can be chosen"
    target, reference = split_by_variable(documents, variable, value)
    if not target:
        return f"no document has {variable} = {value!r}"
    if not reference:
        return f"every document has {variable} = {value!r}, so nothing is left to compare with"
    return None


def keywords(
    sentences: pd.DataFrame,
    target_doc_ids: Sequence[str],
    reference_doc_ids: Sequence[str],
    min_frequency: int = 3,
    drop_function_words: bool = True,
) -> pd.DataFrame:
    """Keyness of every term in the target documents against the reference.

    Columns: those of :func:`fplang.analysis.keyness.keyness` (signed G², log ratio,
    counts and rates per 1,000 tokens on both sides, BH-adjusted p-values).
    Function words (:data:`FUNCTION_WORDS`) are not tested by default — a
    translator's "a" or "the" says nothing about policy — but they stay in the
    token totals, so rates are still per 1,000 tokens of the cleaned text.
    Raises ``ValueError`` when either side has no documents.
    """
    if not target_doc_ids or not reference_doc_ids:
        raise ValueError(
            f"keyness needs documents on both sides: {len(target_doc_ids)} target, "
            f"{len(reference_doc_ids)} reference"
        )
    target, target_total = term_counts(sentences, target_doc_ids)
    reference, reference_total = term_counts(sentences, reference_doc_ids)
    if drop_function_words:
        target = target[~target.index.isin(FUNCTION_WORDS)]
        reference = reference[~reference.index.isin(FUNCTION_WORDS)]
    return keyness(target, reference, target_total, reference_total, min_frequency=min_frequency)


def keywords_between(
    target_sentences: pd.DataFrame,
    reference_sentences: pd.DataFrame,
    min_frequency: int = 3,
    drop_function_words: bool = True,
) -> pd.DataFrame:
    """Keyness of every term in one sentence table against another, e.g. two corpora.

    The same measure as :func:`keywords`, for a reference that is not part of
    the target's corpus: the 14th-Congress texts against Viet Nam's own UN
    speeches of the same decade, or against a Congress text of 2006.  A
    reference of another genre or date confounds genre and date with the
    Congress; the chapter states which confound each reference leaves.
    """
    combined = pd.concat(
        [target_sentences.assign(doc_id="target:" + target_sentences["doc_id"].astype(str)),
         reference_sentences.assign(doc_id="reference:" + reference_sentences["doc_id"].astype(str))],
        ignore_index=True,
    )
    target_ids = sorted(set(combined.loc[combined["doc_id"].str.startswith("target:"), "doc_id"]))
    reference_ids = sorted(set(combined.loc[combined["doc_id"].str.startswith("reference:"), "doc_id"]))
    return keywords(combined, target_ids, reference_ids, min_frequency, drop_function_words)


def recurring_formulas(
    sentences: pd.DataFrame, doc_ids: Sequence[str], n: int = 2, min_count: int = 3
) -> pd.DataFrame:
    """Recurring n-grams within sentences of some documents (function words trimmed at the edges)."""
    chosen = sentences[sentences["doc_id"].isin(list(doc_ids))]
    token_lists = [tokenize(text) for text in chosen["text"]]
    return collocations(token_lists, n=n, min_count=min_count, stopwords=FUNCTION_WORDS)


def document_similarity(cleaned: pd.Series, drop_function_words: bool = True) -> pd.DataFrame:
    """Cosine similarity of TF-IDF vectors, tidy: doc_a, doc_b, similarity (all pairs, both ways).

    Function words (:data:`FUNCTION_WORDS`, the stated stop list) are left out
    by default: kept, they alone make any two English texts look alike.
    """
    matrix = tfidf_similarity(cleaned, stop_words=FUNCTION_WORDS if drop_function_words else None)
    tidy = matrix.rename_axis(index="doc_a", columns="doc_b").stack().rename("similarity").reset_index()
    return tidy
