"""Counting: which words count as which concept, and how often each occurs.

- :mod:`~fplang.counting.lexicon`: the concept lexicon (a versioned YAML file) and its pattern language.
- :mod:`~fplang.counting.engine`: ``count_concepts`` and ``find_matches``, the API over the compiled scanner.
"""

from fplang.counting.engine import TextsError, count_concepts, find_matches
from fplang.counting.lexicon import Lexicon, LexiconError, load_lexicon, parse_lexicon, validate_lexicon

__all__ = [
    "Lexicon",
    "LexiconError",
    "TextsError",
    "count_concepts",
    "find_matches",
    "load_lexicon",
    "parse_lexicon",
    "validate_lexicon",
]
