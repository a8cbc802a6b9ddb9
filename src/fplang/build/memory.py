"""Peak memory of a build: this process and every process it started, summed, sampled as it runs.

A build on local processes spreads its memory over the client and the
workers; the peak a machine must have is the peak of their sum.  Linux's
``/proc`` gives each process's resident set (RSS); elsewhere nothing is
measured and the summary says so.  Workers of a remote Dask cluster are on
other machines and are not counted.
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
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="fplang-memory", daemon=True)

    def __enter__(self) -> MemorySampler:
        if self.available:
            self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self.available:
            self._thread.join()
            self.sample()

    def sample(self) -> float:
        """The current RSS of the tree, in MB, recorded against the current stage."""
        used = tree_rss_mb(os.getpid())
        stage = self.stage
        self.peak_mb[stage] = max(self.peak_mb.get(stage, 0.0), used)
        self.overall_mb = max(self.overall_mb, used)
        return used

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            self.sample()


def tree_rss_mb(root: int) -> float:
    """RSS of process ``root`` and all its descendants, in MB (0 where /proc cannot be read).

    Descendants are found through each thread's ``children`` list where the
    kernel offers it, else by reading every process's parent.
    """
    total = 0
    pending = [root]
    seen: set[int] = set()
    parents = None
    while pending:
        pid = pending.pop()
        if pid in seen:
            continue
        seen.add(pid)
        total += _rss_bytes(pid)
        listed = _children(pid)
        if listed is None:
            parents = _parents() if parents is None else parents
            listed = [child for child, parent in parents.items() if parent == pid]
        pending += listed
    return total / 2**20


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
