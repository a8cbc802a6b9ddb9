"""Sources: the committed subsets of outside collections, and the commands that regenerate them.

- :mod:`~fplang.sources.ungdc`: the UN General Debate subset (Viet Nam, ASEAN, China, Cuba):
  what it holds, read from the full corpus, with its manifest and README.
- :mod:`~fplang.sources.regenerate`: write it (``fplang ungdc``) or check it byte for byte.
"""

from fplang.sources.regenerate import SubsetMismatchError, SubsetReport, regenerate
from fplang.sources.ungdc import SourceError, UngdcError, read_source

__all__ = ["SourceError", "SubsetMismatchError", "SubsetReport", "UngdcError", "read_source", "regenerate"]
