"""fplang: the corpus, counting and charts behind the book on Viet Nam's foreign-policy language.

The notebooks call these functions and tell the story; all logic lives here.  The
sub-packages follow the pipeline, each importing only from those above it in this list:

- :mod:`fplang.errors`, :mod:`fplang.paths`, :mod:`fplang.files`, :mod:`fplang.tables`,
  :mod:`fplang.envfile`, :mod:`fplang.literals`: the error family, the project's paths, atomic
  writers and input readers, table checks, the conda environment file, the literals a
  regular expression needs.
- :mod:`fplang.corpus`: a manifest's texts, cleaned, segmented and tokenised.
- :mod:`fplang.sources`: the committed UN General Debate subset and how it is regenerated.
- :mod:`fplang.counting`: the concept lexicon and the counting engine.
- :mod:`fplang.periods`: the periods table and the two dates of every sentence.
- :mod:`fplang.build`: the corpus build, every per-document stage once per set of inputs, on Dask.
- :mod:`fplang.analysis`: rates, keyness, change points, the formula ladder, the UN chapter,
  the findings.
- :mod:`fplang.book`: what a chapter shows (report, charts), the Sphinx extension, ``fplang run``
  and the ``fplang`` command.

``sources``, ``counting`` and ``periods`` share a layer and never import each other; ``build``
sits above them.
``import fplang`` loads none of them.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("fplang")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0+unknown"
