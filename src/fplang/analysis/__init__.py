"""Analysis: the statistics and the tables behind each chapter's findings.

- :mod:`~fplang.analysis.rates`: rates per 1,000 tokens with bootstrap and Poisson intervals.
- :mod:`~fplang.analysis.keyness`: keyness (G², log ratio) and collocations.
- :mod:`~fplang.analysis.similarity`: TF-IDF cosine similarity of documents.
- :mod:`~fplang.analysis.change_points`: where a yearly series starts a new level (PELT).
- :mod:`~fplang.analysis.concepts`: concept counts per sentence, rates, concordances (chapter 3).
- :mod:`~fplang.analysis.rungs`, :mod:`~fplang.analysis.formula_table`,
  :mod:`~fplang.analysis.formulas`: the formula ladder, the Congress formulas, the three
  records side by side (chapter 4).
- :mod:`~fplang.analysis.distinctive`: keywords, recurring formulas, similarity (chapter 5).
- :mod:`~fplang.analysis.un`, :mod:`~fplang.analysis.world`: the UN chapter's tables and the
  world reference (chapter 6).
- :mod:`~fplang.analysis.blocs`, :mod:`~fplang.analysis.mentions`, :mod:`~fplang.analysis.genealogy`,
  :mod:`~fplang.analysis.vocabulary`, :mod:`~fplang.analysis.neighbours`, :mod:`~fplang.analysis.positions`,
  :mod:`~fplang.analysis.scaling`, :mod:`~fplang.analysis.world_tables`, :mod:`~fplang.analysis.world_views`,
  :mod:`~fplang.analysis.genealogy_views`:
  the whole General Debate (chapter 7) — the speakers' alignment and eras, every mention of Viet Nam,
  the formulas' genealogy, TF-IDF neighbours, Wordfish positions (Wordscores and Wordfish themselves),
  the command that computes the tables, and what the chapter shows of them.
- :mod:`~fplang.analysis.findings`: the headline findings, computed (chapter 8).
- :mod:`~fplang.analysis.sizes`: what a page shows at any corpus size (top N, seeded samples).
"""

from fplang.analysis.change_points import change_points
from fplang.analysis.keyness import collocations, keyness
from fplang.analysis.rates import bootstrap_rate_ci, bootstrap_rates, poisson_rate_ci, rate_per_1000
from fplang.analysis.similarity import tfidf_similarity

__all__ = [
    "bootstrap_rate_ci",
    "bootstrap_rates",
    "change_points",
    "collocations",
    "keyness",
    "poisson_rate_ci",
    "rate_per_1000",
    "tfidf_similarity",
]
