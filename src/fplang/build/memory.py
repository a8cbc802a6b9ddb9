"""Peak memory and CPU time of a build: this process and every process it started, summed, sampled as it runs.

A build on local processes spreads its memory over the client and the
workers; the peak a machine must have is the peak of their sum.  Linux's
``/proc`` gives each process's resident set (RSS); elsewhere nothing is
measured and the summary says so.  Workers of a remote Dask cluster are on
other machines and are not counted.

CPU time is summed the same way, from each process's last sample: workers
forked from a fork server are its children, not this process's, so
``os.times`` here never sees their time.  A worker's last tenth of a second
before it ends can be missed.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

PAGE_BYTES = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


class MemorySampler:
    """Samples the RSS of this process tree every ``interval`` seconds; peak per named stage and overall.

    Use as a context manager and set :attr:`stage` as the work moves on.
    """

    def __init__(self, interval: float = 0.1):
        self.interval = interval
        self.stage = "start"
        self.peak_mb: dict[str, float] = {}
        self.overall_mb = 0.0
        self.available = Path("/proc/self/stat").exists()
        self._cpu_first: dict[tuple[int, int], float] = {}
        self._cpu_last: dict[tuple[int, int], float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fplang-memory", daemon=True)

    def __enter__(self) -> MemorySampler:
        if self.available:
            self._cpu_first = cpu_seconds_of(tree_pids(os.getpid()))  # what the tree had spent before
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self.available:
            self._thread.join()
            self.sample()

    def sample(self) -> float:
        """The current RSS of the tree, in MB, recorded against the current stage (and each process's CPU time)."""
        pids = tree_pids(os.getpid())
        used = sum(map(_rss_bytes, pids)) / 2**20
        self._cpu_last |= cpu_seconds_of(pids)
        stage = self.stage
        self.peak_mb[stage] = max(self.peak_mb.get(stage, 0.0), used)
        self.overall_mb = max(self.overall_mb, used)
        return used

    @property
    def cpu_seconds(self) -> float:
        """CPU seconds (user and system) the process tree has spent since the sampler started."""
        last = dict(self._cpu_last)  # one copy, made at once: the sampling thread may be adding processes
        return sum(spent - self._cpu_first.get(process, 0.0) for process, spent in last.items())

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()


def tree_rss_mb(root: int) -> float:
    """RSS of process ``root`` and all its descendants, in MB (0 where /proc cannot be read).

    Descendants are found through each thread's ``children`` list where the
    kernel offers it, else by reading every process's parent.
    """
    return sum(_rss_bytes(pid) for pid in tree_pids(root)) / 2**20


CLOCK_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def cpu_seconds_of(pids: list[int]) -> dict[tuple[int, int], float]:
    """CPU seconds (user and system) each of these processes has spent (ended ones left out).

    Keyed by the process id and the process's start time, so that a new
    process given the id of an ended one is not taken for it.
    """
    spent = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            # utime, stime and starttime: fields 14, 15 and 22 of proc(5), counted from the state (field 3)
            spent[(pid, int(fields[19]))] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        except (OSError, IndexError, ValueError):
            continue
    return spent


def tree_pids(root: int) -> list[int]:
    """Process ``root`` and all its descendants."""
    found: list[int] = []
    pending = [root]
    parents = None
    while pending:
        pid = pending.pop()
        if pid in found:
            continue
        found.append(pid)
        listed = _children(pid)
        if listed is None:
            parents = _parents() if parents is None else parents
            listed = [child for child, parent in parents.items() if parent == pid]
        pending += listed
    return found


def _rss_bytes(pid: int) -> int:
    try:
        return int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * PAGE_BYTES
    except (OSError, IndexError, ValueError):
        return 0


def _children(pid: int) -> list[int] | None:
    tasks = Path(f"/proc/{pid}/task")
    try:
        found = []
        for task in tasks.iterdir():
            found += [int(child) for child in (task / "children").read_text().split()]
        return found
    except FileNotFoundError:
        return None
    except OSError:
        return []


def _parents() -> dict[int, int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    return parents
