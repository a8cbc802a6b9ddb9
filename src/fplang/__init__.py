"""fplang: the corpus, counting and charts behind the book on Viet Nam's foreign-policy language.

The notebooks call these functions and tell the story; all logic lives here.
"""

from fplang.corpus.prepare import Corpus, prepare_corpus, write_processed

__all__ = ["Corpus", "prepare_corpus", "write_processed"]
__version__ = "0.1.0"
