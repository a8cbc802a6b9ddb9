"""The corpus build: every per-document stage done once per set of inputs, in parallel, stored as Parquet.

- :mod:`~fplang.build.corpus_build`: ``build_corpus`` (validate, read, clean, segment, count,
  date, write; reused while its stamp matches) and ``CorpusBuild``, its tables on disk.
- :mod:`~fplang.build.loaded`: ``load_corpus``, a chapter's corpus read from the build (made first
  if needed), and ``BuiltCorpus``, that corpus with each sentence's dates.
- :mod:`~fplang.build.stages`: the per-document stages, each a pure function of a partition.
- :mod:`~fplang.build.parallel`: where they run: this process, local processes, a Dask cluster.
- :mod:`~fplang.build.stamp`: what a build was made from (sha256 of every input and of the code).
- :mod:`~fplang.build.memory`: the peak memory of the build's processes.

Its layer sits above ``corpus``, ``counting`` and ``periods`` (which it calls) and below
``analysis`` and ``book`` (which read its tables).
"""

from fplang.build.corpus_build import STAGES, TABLES, CorpusBuild, build_corpus, build_folder
from fplang.build.loaded import BuiltCorpus, load_corpus
from fplang.build.parallel import SCHEDULER_VARIABLE, SchedulerError

__all__ = [
    "SCHEDULER_VARIABLE", "STAGES", "TABLES", "BuiltCorpus", "CorpusBuild", "SchedulerError",
    "build_corpus", "build_folder", "load_corpus",
]
