"""Counting: which words count as which concept, and how often each occurs.

- :mod:`~fplang.counting.lexicon`: the concept lexicon (a versioned YAML file) and its pattern language.
- :mod:`~fplang.counting.engine`: ``count_concepts``, ``find_matches`` and ``scan_texts``, the API over the
  compiled scanner (:mod:`~fplang.counting._matcher` compiles the lexicon,
  :mod:`~fplang.counting._kernels` holds the numba kernels).
- :mod:`~fplang.counting.reference`: the same counts in plain Python, which the tests hold the engine to.
"""

from fplang.counting.engine import TextsError, count_concepts, count_matrix, find_matches, scan_texts
from fplang.counting.lexicon import Lexicon, LexiconError, load_lexicon, parse_lexicon, validate_lexicon
from fplang.counting.reference import reference_count, reference_matches

__all__ = [
    "Lexicon",
    "LexiconError",
    "TextsError",
    "count_concepts",
    "count_matrix",
    "find_matches",
    "load_lexicon",
    "parse_lexicon",
    "reference_count",
    "reference_matches",
    "scan_texts",
    "validate_lexicon",
]
