"""The corpus: from a manifest to clean, segmented, tokenised text (the pipeline's first stage).

- :mod:`~fplang.corpus.manifest`: load and validate a manifest, read its texts.
- :mod:`~fplang.corpus.clean`: cleaning, rule by rule: the general rules, their order, the report.
  Its rules: :mod:`~fplang.corpus.rule` (what a rule is), :mod:`~fplang.corpus.rules_sites`
  (web sites), :mod:`~fplang.corpus.rules_un` (UN records), :mod:`~fplang.corpus.repeats`
  (repeated paragraphs).
- :mod:`~fplang.corpus.segment`: sentences.
- :mod:`~fplang.corpus.tokens`: the book's one definition of a token.
- :mod:`~fplang.corpus.prepare`: all of it at once, ``prepare_corpus`` -> :class:`Corpus`.
"""

from fplang.corpus.clean import clean_corpus, clean_text, cleaning_summary, default_rules, rule_table
from fplang.corpus.manifest import CorpusError, load_manifest, read_texts, validate_manifest
from fplang.corpus.prepare import Corpus, documents_cleaning_summary, prepare_corpus, write_processed
from fplang.corpus.rule import Removal, Rule
from fplang.corpus.segment import segment_corpus, split_sentences
from fplang.corpus.tokens import TOKEN_DEFINITION, count_tokens, tokenize

__all__ = [
    "TOKEN_DEFINITION",
    "Corpus",
    "CorpusError",
    "Removal",
    "Rule",
    "clean_corpus",
    "clean_text",
    "cleaning_summary",
    "count_tokens",
    "default_rules",
    "documents_cleaning_summary",
    "load_manifest",
    "prepare_corpus",
    "read_texts",
    "rule_table",
    "segment_corpus",
    "split_sentences",
    "tokenize",
    "validate_manifest",
    "write_processed",
]
