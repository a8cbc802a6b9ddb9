"""A generated corpus of any size whose every count is known by construction (for the scale tests).

Each document is one paragraph of three to six different sentences drawn, with
a fixed seed, from :data:`SENTENCES`; each sentence's concept counts under the
worked example's lexicon (``data/examples/arcadia/lexicon.yml``) are written
out by hand beside it, so a document's counts are the sum of its sentences'.
Nothing in the texts is removed by cleaning but each file's final newline, and
no sentence repeats within a document (a repeated paragraph would be removed).
"""

from __future__ import annotations

import hashlib
import random
from collections import Counter
from pathlib import Path

SENTENCES: list[tuple[str, dict[str, int]]] = [
    ("Arcadia is neutral and wants peace.", {"neutrality": 1, "peace": 1}),
    ("We build a strategic partnership with each partner.", {"partnership": 2}),  # the longer pattern owns "strategic"
    ("Free trade and cooperation serve every nation.", {"trade": 1, "cooperation": 1}),  # "free trade" is one match
    ("Our strategy is a peaceful one.", {"strategy": 1, "peace": 1}),
    ("The delegation thanks the President of the Assembly.", {}),
    ("Trade grew in the region, and trade rules matter.", {"trade": 2}),
    ("A non-aligned state keeps its neutrality.", {"neutrality": 2}),  # non-aligned, neutral*
    ("Regional cooperation is a strategic choice.", {"cooperation": 1, "strategy": 1}),
]
"""Sentences and their concept counts under the worked example's lexicon, by hand."""

SEED = 20260121
HEADER = "doc_id,path,title,published,doc_type,outlet,source_url,sha256,rights,notes,venue:str\n"


def write_generated_corpus(folder: Path, n_documents: int) -> dict[tuple[str, str], int]:
    """Write ``n_documents`` texts and their manifest (``corpus.csv``) to ``folder``; each (doc_id, concept)'s count.

    Documents alternate between the venues ``un`` and ``national`` and are
    dated 1 October of the years 1990 to 2024 in turn.
    """
    rng = random.Random(SEED)
    (folder / "texts").mkdir(parents=True, exist_ok=True)
    rows, expected = [HEADER], {}
    for number in range(n_documents):
        doc_id = f"g{number:05d}"
        chosen = rng.sample(range(len(SENTENCES)), 3 + number % 4)
        data = (" ".join(SENTENCES[i][0] for i in chosen) + "\n").encode("utf-8")
        (folder / "texts" / f"{doc_id}.txt").write_bytes(data)
        counts: Counter[str] = Counter()
        for i in chosen:
            counts.update(SENTENCES[i][1])
        expected |= {(doc_id, concept): count for concept, count in counts.items()}
        venue = "un" if number % 2 == 0 else "national"
        rows.append(
            f"{doc_id},texts/{doc_id}.txt,Generated statement {number},{1990 + number % 35}-10-01,speech,"
            f"Generated outlet,https://example.org/generated/{doc_id},{hashlib.sha256(data).hexdigest()},"
            f"CC0 (generated),Generated: {len(chosen)} sentences.,{venue}\n"
        )
    (folder / "corpus.csv").write_text("".join(rows), encoding="utf-8")
    return expected


def sentences_of(n_documents: int) -> int:
    """How many sentences the generated corpus of ``n_documents`` documents has (each is one sentence)."""
    return sum(3 + number % 4 for number in range(n_documents))
