"""What every worker of a local build needs, loaded once in the fork server its workers are forked from.

A build on local processes starts its workers from a fork server
(multiprocessing's ``forkserver`` start method, where the platform has it),
which imports this module before it forks any worker.  Importing it loads the
build's modules (pandas, pyarrow, numba, Dask and fplang's own: about 1.4 CPU s)
and runs every stage once on a small document, which loads the stages'
compiled kernels from numba's cache, or compiles them in a fresh clone (about
0.6 CPU s when cached).  Each worker forked from the server starts with all of
that in memory; started with ``spawn``, as before, each worker paid it again,
about 2.5 CPU s a worker, while the client validated the texts on the same cores.

The fork server is itself a fresh process (it is started by ``exec``, not
forked from the client), so nothing of the client's threads or open
connections reaches the workers, as it would with plain ``fork``.

Nothing here changes what a worker computes: each still runs
:func:`fplang.build.stages.warm_up` with the build's own lexicon and periods
when it starts, and the tables are the same bytes whichever start method made
the workers.
"""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import pandas as pd

from fplang.build import stages
from fplang.build.workers import ready_local_worker
from fplang.counting import Lexicon, parse_lexicon
from fplang.periods import load_periods

PRELOAD_LEXICON = {
    "version": 1,
    "concepts": {
        "peace": {"label": "Peace", "family": "peace", "patterns": ["peace", "peaceful coexist*"]},
        "viet_nam": {"label": "Viet Nam", "family": "place", "patterns": ["viet nam", "asean"]},
    },
}
"""A lexicon with one-word, wildcard and several-word patterns, so each kind of counting kernel is loaded."""

PRELOAD_PERIODS = (
    "period_id,label,start_year,end_year,kind,congress,source,landmark\n"
    "whole,The whole span,1945,2030,era,,the fork server's warm-up (not a period of the book),\n"
)
"""A periods table of one era, enough to run the date stage."""


def warm() -> None:
    """Warm up on small documents with the tables above, then freeze (:func:`~.workers.ready_local_worker`)."""
    ready_local_worker(stages.warm_up, (preload_lexicon(), preload_periods()))


def preload_lexicon() -> Lexicon:
    """:data:`PRELOAD_LEXICON`, parsed as any lexicon is."""
    return parse_lexicon(PRELOAD_LEXICON, source="the fork server's lexicon")


def preload_periods() -> pd.DataFrame:
    """:data:`PRELOAD_PERIODS`, read and validated as any periods file is."""
    with tempfile.TemporaryDirectory(prefix="fplang-preload-") as folder:
        path = Path(folder) / "periods.csv"
        path.write_text(PRELOAD_PERIODS, encoding="utf-8")
        return load_periods(path)


# On import: the fork server imports this module to have the kernels loaded before it forks a worker.  Should the
# warm-up fail, the server must still start: each worker's own warm-up then meets the error and reports it.
with contextlib.suppress(Exception):
    warm()
