"""How often a concept's matches mean what the concept says: the dictionary's precision.

A count means something only if the matches behind it are the concept.  For
every concept with at least :data:`MIN_MATCHES` matches in a corpus, up to
:data:`PER_CONCEPT` of its concordance lines are drawn at random with a seed of
their own (:func:`draw_sample`), read and labelled right or wrong once, and
committed as data (``data/precision/``).  :func:`precision_table` turns the
labels into a precision per concept with an exact (Clopper-Pearson) interval;
:func:`senses_by_era` splits a hand-labelled census of one concept's matches
by sense ("independence": Viet Nam's own, other peoples' liberation, other
states' as a principle).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from scipy import stats

from fplang.errors import FplangError
from fplang.tables import require_columns

PER_CONCEPT: int = 30
"""Matches drawn per concept (all of them when the concept has fewer)."""

MIN_MATCHES: int = 20
"""A concept is sampled only with at least this many matches."""

PRECISION_THRESHOLD: float = 0.80
"""The precision under which a concept's counts need narrower patterns or a stated caveat."""

SAMPLE_KEY: tuple[str, ...] = ("concept", "doc_id", "sentence_id", "pattern", "left", "match", "right")
"""The columns that identify a sampled line; a redraw must reproduce them exactly."""

SAMPLE_COLUMNS: tuple[str, ...] = (
    "concept", "doc_id", "year", "sentence_id", "pattern", "match", "left", "right", "sentence",
)  # fmt: skip
"""Columns of :func:`draw_sample`, in the order the labelled file keeps them."""


class PrecisionInputError(FplangError, ValueError):
    """A labels, design or census table cannot be used: a column or a concept is missing, or a label is unknown."""


def draw_sample(
    kwic: pd.DataFrame, sentences: pd.DataFrame, seeds: Mapping[str, int], per_concept: int = PER_CONCEPT
) -> pd.DataFrame:
    """The seeded sample of concordance lines, one block per concept in the order of ``seeds``.

    Parameters
    ----------
    kwic
        A concordance (:func:`fplang.analysis.concepts.concordance`) with a
        ``year`` column added; its row order (document, sentence, position) is
        the population's order.
    sentences
        The sentences behind it (``doc_id``, ``sentence_id``, ``text``), so
        each drawn line carries its whole sentence for the labeller.
    seeds
        Concept -> seed.  Each concept has its own
        :func:`numpy.random.default_rng` seed, so adding or removing another
        concept never changes this one's sample.
    per_concept
        Lines drawn per concept, uniformly without replacement.

    Returns
    -------
    pandas.DataFrame
        Columns :data:`SAMPLE_COLUMNS`; within a concept sorted by document
        and sentence (ties in concordance order).
    """
    require_columns(kwic, (*SAMPLE_KEY, "year"), "draw_sample (kwic)", PrecisionInputError)
    text = sentences.set_index(["doc_id", "sentence_id"])["text"]
    blocks = []
    for concept, seed in seeds.items():
        rows = kwic[kwic["concept"] == concept].reset_index(drop=True)
        draw = np.random.default_rng(seed).choice(len(rows), size=min(per_concept, len(rows)), replace=False)
        chosen = np.sort(draw)
        picked = rows.iloc[chosen].assign(_order=chosen)
        picked = picked.sort_values(["doc_id", "sentence_id", "_order"], kind="stable")
        keys = zip(picked["doc_id"], picked["sentence_id"], strict=True)
        picked["sentence"] = [text.loc[(doc, sentence)] for doc, sentence in keys]
        blocks.append(picked[list(SAMPLE_COLUMNS)])
    if not blocks:
        return pd.DataFrame(columns=list(SAMPLE_COLUMNS))
    return pd.concat(blocks, ignore_index=True)


LINE_KEY: tuple[str, ...] = ("concept", "doc_id", "sentence_id", "left")
"""A match's identity across lexicon versions: its concept, sentence and the text before it
(so a match whose pattern now reaches further is still the same line)."""


def still_counted(labels: pd.DataFrame, kwic: pd.DataFrame) -> pd.Series:
    """Whether each labelled line is still a match of its concept in ``kwic`` (the current lexicon).

    A lexicon change can hand a sampled line to another concept (a longer
    phrase now owns it).  The lines that remain are a uniform sample of the
    concept's remaining matches, so precision is estimated on them alone.
    """
    require_columns(labels, LINE_KEY, "still_counted (labels)", PrecisionInputError)
    require_columns(kwic, LINE_KEY, "still_counted (kwic)", PrecisionInputError)
    current = set(map(tuple, kwic[list(LINE_KEY)].astype(str).to_numpy()))
    keys = map(tuple, labels[list(LINE_KEY)].astype(str).to_numpy())
    return pd.Series([key in current for key in keys], index=labels.index, name="still_counted")


def clopper_pearson(right: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Exact binomial interval for ``right`` successes in ``n`` draws.

    The interval inverts two one-sided binomial tests (Clopper and Pearson,
    1934), computed from beta quantiles: ``Beta(level_tail; k, n - k + 1)`` and
    ``Beta(1 - level_tail; k + 1, n - k)``, with 0 and 1 at the edges.  It
    assumes the lines are independent draws; matches cluster in sentences, so
    it is somewhat too narrow.
    """
    if n < 1 or not 0 <= right <= n:
        raise PrecisionInputError(f"clopper_pearson: need 0 <= right <= n and n >= 1, got right={right}, n={n}")
    tail = (1 - level) / 2
    low = 0.0 if right == 0 else float(stats.beta.ppf(tail, right, n - right + 1))
    high = 1.0 if right == n else float(stats.beta.ppf(1 - tail, right + 1, n - right))
    return low, high


def precision_table(labels: pd.DataFrame, design: pd.DataFrame, level: float = 0.95) -> pd.DataFrame:
    """Precision per sampled concept with its Clopper-Pearson interval.

    Parameters
    ----------
    labels
        One row per labelled line: ``concept`` and ``label`` (``right`` or ``wrong``).
    design
        One row per sampled concept: ``concept``, ``population`` (its matches
        when the sample was drawn).

    Returns
    -------
    pandas.DataFrame
        In the design's order: ``concept``, ``population``, ``n`` (lines
        read), ``right``, ``precision`` (share right), ``ci_low``,
        ``ci_high``, ``under_threshold`` (the point estimate is under
        :data:`PRECISION_THRESHOLD`) and ``may_be_under_threshold`` (the
        interval reaches under it).
    """
    require_columns(labels, ("concept", "label"), "precision_table (labels)", PrecisionInputError)
    require_columns(design, ("concept", "population"), "precision_table (design)", PrecisionInputError)
    unknown = sorted(set(labels["label"]) - {"right", "wrong"})
    if unknown:
        found = ", ".join(map(repr, unknown))
        raise PrecisionInputError(f"precision_table: labels must be 'right' or 'wrong', found {found}")
    missing = [concept for concept in design["concept"] if concept not in set(labels["concept"])]
    if missing:
        raise PrecisionInputError(f"precision_table: no labelled line for {', '.join(missing)}")
    rows = []
    for concept, population in zip(design["concept"], design["population"], strict=True):
        of_concept = labels[labels["concept"] == concept]
        n, right = len(of_concept), int((of_concept["label"] == "right").sum())
        low, high = clopper_pearson(right, n, level)
        rows.append(
            {
                "concept": concept,
                "population": int(population),
                "n": n,
                "right": right,
                "precision": right / n,
                "ci_low": low,
                "ci_high": high,
                "under_threshold": right / n < PRECISION_THRESHOLD,
                "may_be_under_threshold": low < PRECISION_THRESHOLD,
            }
        )
    return pd.DataFrame(rows)


def senses_by_era(
    census: pd.DataFrame, documents: pd.DataFrame, eras: Sequence[tuple[str, int, int]], senses: Sequence[str]
) -> pd.DataFrame:
    """A census of one concept's matches, by sense and era, with rates per 10,000 tokens.

    Parameters
    ----------
    census
        One row per match: ``doc_id`` and ``sense``.
    documents
        ``doc_id``, ``published_year`` and ``tokens`` of every document, so an
        era's tokens include speeches without a match.
    eras
        ``(label, first_year, last_year)``, inclusive.
    senses
        The senses to report, in order; any other sense is counted in ``all`` only.

    Returns
    -------
    pandas.DataFrame
        One row per era: ``era``, ``speeches``, ``tokens``, a count column
        per sense, ``all``, and ``<sense>_per_10k`` and ``all_per_10k``.
    """
    require_columns(census, ("doc_id", "sense"), "senses_by_era (census)", PrecisionInputError)
    require_columns(documents, ("doc_id", "published_year", "tokens"), "senses_by_era (documents)", PrecisionInputError)
    year = documents.set_index("doc_id")["published_year"]
    unknown = sorted(set(census["doc_id"]) - set(year.index))
    if unknown:
        raise PrecisionInputError(f"senses_by_era: census documents not in the corpus: {', '.join(unknown[:5])}")
    dated = census.assign(year=census["doc_id"].map(year))
    rows = []
    for label, first, last in eras:
        in_era = documents[documents["published_year"].between(first, last)]
        matches = dated[dated["year"].between(first, last)]
        tokens = int(in_era["tokens"].sum())
        row: dict[str, object] = {"era": label, "speeches": len(in_era), "tokens": tokens}
        for sense in senses:
            row[sense] = int((matches["sense"] == sense).sum())
        row["all"] = len(matches)
        for sense in [*senses, "all"]:
            row[f"{sense}_per_10k"] = 10_000 * int(row[sense]) / tokens if tokens else float("nan")  # type: ignore[call-overload]
        rows.append(row)
    return pd.DataFrame(rows)
