"""Sources: the committed subsets of outside collections, and the commands that regenerate them.

- :mod:`~fplang.sources.ungdc`: the UN General Debate subset (Viet Nam, ASEAN, China, Cuba),
  its manifest and README, written or checked byte for byte by ``fplang ungdc``.
"""

from fplang.sources.ungdc import SourceError, SubsetMismatchError, SubsetReport, regenerate

__all__ = ["SourceError", "SubsetMismatchError", "SubsetReport", "regenerate"]
