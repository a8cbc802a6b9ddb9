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
"""

from __future__ import annotations

import pandas as pd

MAX_CHART_ROWS = 5000
"""The most rows a chart's data may have (Altair's own limit; the page stays small)."""

SAMPLE_SEED = 20260121
"""The seed of every sample a page shows (the 14th Congress opened on 21 January 2026)."""

PAGE_ROWS = 25
"""Rows of a table shown in the page; the full table is linked."""


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
