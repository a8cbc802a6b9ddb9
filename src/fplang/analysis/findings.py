"""The book's headline findings, computed, so the findings chapter types none of them.

Each finding is a number (or a term) computed from a corpus; computing them
twice — on the whole corpus and without some documents (the derivative seed)
— shows whether a finding depends on those documents.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from fplang.analysis.concepts import concordance, count_sentences
from fplang.analysis.distinctive import keywords, split_by_variable, why_not_comparable
from fplang.corpus.prepare import Corpus
from fplang.counting.lexicon import Lexicon
from fplang.periods import attribute_periods

FINDING_COLUMNS = ["finding", "description", "value"]


def seed_findings(
    corpus: Corpus,
    lexicon: Lexicon,
    periods: pd.DataFrame,
    target_variable: str,
    target_value: object,
    concepts: Sequence[str],
    *,
    dated: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """The findings that rest on the seed corpus, one row each (finding, description, value).

    ``dated`` is the corpus's sentences with their dates, as
    :func:`fplang.periods.attribute_periods` gives them for ``periods`` (a
    corpus build holds them: ``BuiltCorpus.dated_sentences()``); None dates
    the sentences here.  Dating is the slow part of a large corpus, and the
    chapter computes the findings twice.

    ``target_variable`` and ``target_value`` pick the target documents (the
    book's: ``congress`` 14) and ``concepts`` the lexicon concepts whose rates
    are compared (the book's: strategic autonomy, integration, the new era);
    none has a default, so a re-run never measures the book's choices by accident.

    Values are numbers or terms, ready for :func:`fplang.book.report.format_value`.
    A concept the lexicon does not define has no row (a rate of 0 would
    claim it was looked for); without a usable target variable there are no
    rate or keyword rows at all.
    """
    rows: list[dict[str, object]] = []
    sentences = attribute_periods(corpus.sentences, periods) if dated is None else dated
    looks_back = sentences["spoken_start"] < sentences["published_year"] - 10
    rows.append(
        {
            "finding": "pct_looking_back",
            "description": "sentences speaking of a time more than ten years before publication (%)",
            "value": 100 * float(looks_back.mean()),
        }
    )
    if why_not_comparable(corpus.documents, target_variable, target_value) is None:
        target, reference = split_by_variable(corpus.documents, target_variable, target_value)
        counts = count_sentences(corpus.sentences, lexicon)
        hits = counts.hit_rows()
        known = {concept.key for concept in lexicon.concepts}
        for concept in (c for c in concepts if c in known):  # another lexicon may not have them
            chosen = hits[hits["concept"] == concept]
            for side, ids in (("target", target), ("reference", reference)):
                found = int(chosen.loc[chosen["doc_id"].isin(ids), "count"].sum())
                tokens = int(counts.sentences.loc[counts.sentences["doc_id"].isin(ids), "tokens"].sum())
                rows.append(
                    {
                        "finding": f"{concept}_rate_{side}",
                        "description": f"{concept} per 1,000 tokens, {side} documents",
                        "value": 1000 * float(found) / max(tokens, 1),
                    }
                )
        key = keywords(corpus.sentences, target, reference)
        positive = key[key["g2"] > 0]["term"].tolist() or ["(none)"]
        rows.append(
            {"finding": "top_keyword", "description": "most over-used term in the target", "value": positive[0]}
        )
        rows.append(
            {
                "finding": "top5_keywords",
                "description": "five most over-used terms in the target",
                "value": ", ".join(positive[:5]),
            }
        )
        rows.append(
            {
                "finding": "n_significant_keywords",
                "description": "terms significant after Benjamini-Hochberg adjustment",
                "value": int(key["significant"].sum()),
            }
        )
    return pd.DataFrame(rows, columns=FINDING_COLUMNS)


def sensitivity(with_all: pd.DataFrame, without: pd.DataFrame) -> pd.DataFrame:
    """Findings side by side, with and without some documents, and whether each changed.

    A rate counts as changed when it moves by more than 10 % of its value (or
    appears or disappears); a term or list when it differs at all.
    """
    merged = with_all.merge(without, on=["finding", "description"], how="outer", suffixes=("_all", "_without"))
    merged["changed"] = [_changed(a, b) for a, b in zip(merged["value_all"], merged["value_without"], strict=True)]
    return merged


def quote(corpus: Corpus, lexicon: Lexicon, concept: str) -> tuple[str, str]:
    """The first sentence that states ``concept``, and its document id (``("", "")`` if none)."""
    lines = concordance(corpus.sentences, lexicon)
    hits = lines[lines["concept"] == concept]
    if hits.empty:
        return "", ""
    first = hits.iloc[0]
    sentences = corpus.sentences
    where = (sentences["doc_id"] == first["doc_id"]) & (sentences["sentence_id"] == first["sentence_id"])
    return str(sentences.loc[where, "text"].iloc[0]), str(first["doc_id"])


def _changed(a: object, b: object) -> bool:
    if pd.isna(a) or pd.isna(b):
        return not (pd.isna(a) and pd.isna(b))
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(float(a) - float(b)) > 0.1 * max(abs(float(a)), 1e-9)
    return a != b
