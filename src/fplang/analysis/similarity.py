"""How alike documents are: cosine similarity of their TF-IDF vectors, on the book's tokens."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping

import numpy as np
import pandas as pd

# scikit-learn is imported where it is used: it is slow to import and most chapters need none of it.
from fplang.corpus.tokens import tokenize
from fplang.errors import StatsInputError

__all__ = ["tfidf_similarity"]

def tfidf_similarity(
    texts: Mapping[Hashable, str] | pd.Series,
    *,
    sublinear_tf: bool = False,
    min_df: int | float = 1,
    max_df: int | float = 1.0,
    stop_words: Iterable[str] | None = None,
) -> pd.DataFrame:
    """Cosine similarity between documents' TF-IDF vectors.

    Documents are tokenised with the book's own tokenizer
    (:func:`fplang.corpus.tokens.tokenize`: lower-cased, hyphens split words), so the
    vocabulary is the one every count in the book uses.  Weights are
    scikit-learn's defaults otherwise: smoothed idf
    ``ln((1 + n) / (1 + df)) + 1`` and L2-normalised rows, so the similarity of
    two documents is the dot product of their rows, from 0 (no shared term)
    to 1 (same term proportions).

    Parameters
    ----------
    texts : mapping or pandas.Series
        Document id → text.  Ids must be unique.
    sublinear_tf : bool, default False
        Use ``1 + ln(tf)`` instead of raw term frequency, damping long speeches
        that repeat their key words.
    min_df, max_df : int or float
        Ignore terms in fewer than ``min_df`` / more than ``max_df`` documents
        (an int is a number of documents, a float a proportion), as in
        :class:`sklearn.feature_extraction.text.TfidfVectorizer`.
    stop_words : iterable of str or None
        Tokens left out before weighting (e.g. function words): without them,
        "the", "of" and "and" make any two English texts look alike.

    Returns
    -------
    pandas.DataFrame
        Square, symmetric matrix indexed and labelled by document id (in input
        order), values in [0, 1], diagonal 1 — NaN on the row and column of a
        document left with no terms after filtering.

    Raises
    ------
    StatsInputError
        If there are no documents, ids repeat, a text is not a string, or no
        document has any term.
    """
    ids, documents = _documents(texts)
    from sklearn.feature_extraction.text import TfidfVectorizer

    stop = frozenset(stop_words or ())
    vectorizer = TfidfVectorizer(
        tokenizer=(lambda text: [token for token in tokenize(text) if token not in stop]) if stop else tokenize,
        lowercase=False,
        token_pattern=None,
        sublinear_tf=sublinear_tf,
        min_df=min_df,
        max_df=max_df,
    )
    try:
        matrix = vectorizer.fit_transform(documents)
    except ValueError as error:
        raise StatsInputError(
            f"texts: no terms left to compare ({error}); check the texts and min_df/max_df"
        ) from error
    similarity = np.clip((matrix @ matrix.T).toarray(), 0.0, 1.0)
    has_terms = matrix.getnnz(axis=1) > 0
    np.fill_diagonal(similarity, 1.0)
    similarity[~has_terms, :] = np.nan
    similarity[:, ~has_terms] = np.nan
    index = pd.Index(ids, name="document")
    return pd.DataFrame(similarity, index=index, columns=index.rename(None))


def _documents(texts) -> tuple[list, list[str]]:
    if isinstance(texts, pd.Series):
        ids, documents = texts.index.tolist(), texts.tolist()
    elif isinstance(texts, Mapping):
        ids, documents = list(texts.keys()), list(texts.values())
    else:
        raise StatsInputError(f"texts must be a mapping or Series of id -> text, got {type(texts).__name__}")
    if not ids:
        raise StatsInputError("texts is empty: give at least one document")
    duplicated = pd.Index(ids)[pd.Index(ids).duplicated()].unique().tolist()
    if duplicated:
        raise StatsInputError(f"texts has duplicate document ids: {duplicated}")
    for doc_id, text in zip(ids, documents, strict=True):
        if not isinstance(text, str):
            raise StatsInputError(f"texts[{doc_id!r}] is {type(text).__name__}, not a string")
    return ids, documents
