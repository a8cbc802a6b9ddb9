"""Keeping what a chapter page shows bounded, whatever the corpus: top N, seeded samples, aggregates.

A chart's data, a table in the page and a concordance all grow with the
corpus; a page must not.  These functions pick what a page shows and say how
it was picked, so the caption can state it; the full tables still go to the
run's ``data/`` folder.

- :data:`MAX_CHART_ROWS`: no chart gets more rows than this (the charts refuse more).
- :func:`largest_documents`: the N documents with the most tokens, for per-document charts.
- :func:`seeded_sample`: a stated, seeded sample of rows (the concordance in the page).
- :func:`top_rows`: the first N rows by a column, for a table in the page.
- :func:`corpus_size`: the sentence every chapter opens its evidence with.
- :func:`of_largest_documents`, :func:`sample_rows`: a chart's data bounded, with the sentence
  its caption states (what was kept, of how many, how chosen).
"""

from __future__ import annotations

import pandas as pd

MAX_CHART_ROWS = 5000
"""The most rows a chart's data may have (Altair's own limit; the page stays small)."""

SAMPLE_SEED = 20260121
"""The seed of every sample a page shows (the 14th Congress opened on 21 January 2026)."""

PAGE_ROWS = 25
"""Rows of a table shown in the page; the full table is linked."""

DOCUMENTS_SHOWN = 40
"""Documents a per-document chart (lengths, rates, dispersion, similarity) draws: the largest ones."""

LEGEND_DOCUMENTS = 12
"""A chart colours its marks by document only up to this many documents (its tooltip names each one)."""

SAMPLE_ROWS = 2000
"""Rows a per-sentence chart draws at most: a seeded sample (each row carries an excerpt, so the page stays small)."""


def largest_documents(documents: pd.DataFrame, n: int, size: str = "tokens") -> list[str]:
    """The ids of the ``n`` documents with the most ``size`` (ties by doc_id), in that order."""
    ranked = documents.sort_values([size, "doc_id"], ascending=[False, True], kind="stable")
    return ranked["doc_id"].head(n).tolist()


def seeded_sample(frame: pd.DataFrame, n: int, seed: int = SAMPLE_SEED) -> pd.DataFrame:
    """``n`` rows drawn at random with ``seed`` (all rows if there are fewer), kept in their original order."""
    if len(frame) <= n:
        return frame
    chosen = frame.sample(n=n, random_state=seed)
    return frame.loc[frame.index.isin(chosen.index)]


def top_rows(frame: pd.DataFrame, by: str, n: int = PAGE_ROWS, ascending: bool = False) -> pd.DataFrame:
    """The first ``n`` rows of ``frame`` sorted by ``by`` (stable, so ties keep their order)."""
    return frame.sort_values(by, ascending=ascending, kind="stable").head(n)


def corpus_size(documents: pd.DataFrame) -> dict[str, int]:
    """What a chapter ran on: ``n_documents`` and ``n_tokens`` (for its opening sentence)."""
    return {"n_documents": len(documents), "n_tokens": int(documents["tokens"].sum())}


def of_largest_documents(
    frame: pd.DataFrame, documents: pd.DataFrame, n: int = DOCUMENTS_SHOWN
) -> tuple[pd.DataFrame, str]:
    """The rows of ``frame`` that belong to the ``n`` largest documents, and the sentence that says so ('' if all)."""
    if len(documents) <= n:
        return frame, ""
    kept = largest_documents(documents, n)
    note = f"Drawn for the {n:,} largest of the {len(documents):,} documents (most tokens); the table has all of them."
    return frame[frame["doc_id"].isin(kept)], note


def sample_rows(frame: pd.DataFrame, n: int = SAMPLE_ROWS, seed: int = SAMPLE_SEED) -> tuple[pd.DataFrame, str]:
    """At most ``n`` rows of ``frame`` (a seeded sample, in order), and the sentence that says so ('' if all)."""
    if len(frame) <= n:
        return frame, ""
    note = f"Drawn for a random sample of {n:,} of the {len(frame):,} rows (seed {seed}); the table has all of them."
    return seeded_sample(frame, n, seed), note


def corpus_size_sentence(documents: pd.DataFrame) -> str:
    """What the chapter ran on, as a sentence: 'This chapter ran on 2,000 documents (31,200 tokens).'"""
    size = corpus_size(documents)
    return f"This chapter ran on {size['n_documents']:,} documents ({size['n_tokens']:,} tokens)."


def top_table(
    frame: pd.DataFrame, by: str, full_name: str, *, most: str, n: int = PAGE_ROWS
) -> tuple[pd.DataFrame, str]:
    """A table for the page: the ``n`` rows with the most ``by``, and the caption's sentence saying so ('' if all).

    ``most`` says in words what the rows have most of ("the most characters
    removed"): the caption is read by people, who do not know the column's id.
    """
    if len(frame) <= n:
        return frame, ""
    note = f" Shown: the {n:,} rows of {len(frame):,} with {most}; the full table is {full_name}."
    return top_rows(frame, by, n), note


def sample_table(frame: pd.DataFrame, full_name: str, n: int = 2 * PAGE_ROWS) -> tuple[pd.DataFrame, str]:
    """A table for the page: a seeded sample of ``n`` rows, in order, and the caption's sentence saying so."""
    if len(frame) <= n:
        return frame, ""
    note = (
        f" Shown: a random sample of {n:,} of the {len(frame):,} rows (seed {SAMPLE_SEED}); "
        f"the full table is {full_name}."
    )
    return seeded_sample(frame, n), note
