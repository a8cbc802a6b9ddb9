"""Where the per-document stages run: in this process, on local processes, or on a Dask cluster.

A stage is one function applied to every partition of documents; each
application is a Dask task.  The scheduler is chosen once per build:

``"synchronous"``
    every task in this process, one after another (small corpora, debugging);
``"processes"`` (the default)
    Dask's local process scheduler on a pool of worker processes, one per
    core, kept for all the stages of a build, forked from a fork server that
    has loaded the build's code (:mod:`fplang.build.workers`);
``"tcp://HOST:8786"`` (or a ``distributed.Client``)
    a running Dask distributed cluster (``dask scheduler`` and ``dask worker``
    processes, on this machine or others).  ``fplang run --scheduler`` and the
    environment variable ``FPLANG_SCHEDULER`` name it.

Results come back in partition order whatever the order tasks finish in, so
the tables do not depend on the scheduler.  Each :meth:`Runner.map` shows one
progress bar counting documents done, of how many (the build maps once: its
clean, segment, count and date stages run in one task per partition).  Each
worker can run a warm-up function once when it starts, so that loading the
compiled kernels happens while the client validates, not in the first task.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import dask
from dask.callbacks import Callback

from fplang.build.workers import WorkerStarter, noop, ready_local_worker, worker_context
from fplang.errors import FplangError

SCHEDULER_VARIABLE = "FPLANG_SCHEDULER"
"""Environment variable naming the scheduler when no parameter does (for chapters run with papermill)."""

LOCAL_SCHEDULERS = ("synchronous", "processes")


class SchedulerError(FplangError, ValueError):
    """The scheduler named cannot be used (an unknown name, or no cluster answers at the address)."""


@dataclass
class StageTimes:
    """Seconds spent in each stage (wall clock, as the user waits) and the documents it processed."""

    seconds: dict[str, float] = field(default_factory=dict)
    documents: dict[str, int] = field(default_factory=dict)


def resolve_scheduler(scheduler: object = None) -> object:
    """The scheduler to use: the one given, else ``FPLANG_SCHEDULER``, else ``"processes"``."""
    chosen = scheduler if scheduler not in (None, "") else os.environ.get(SCHEDULER_VARIABLE) or "processes"
    if isinstance(chosen, str) and chosen not in LOCAL_SCHEDULERS and "://" not in chosen:
        raise SchedulerError(
            f"unknown scheduler {chosen!r}: use 'synchronous', 'processes' or a Dask scheduler's address "
            "such as tcp://127.0.0.1:8786"
        )
    return chosen


class Runner:
    """Runs the stages of one build on one scheduler; a context manager that owns its workers."""

    def __init__(
        self,
        scheduler: object = None,
        *,
        progress: bool = True,
        workers: int | None = None,
        warm_up: tuple[Callable[..., Any], tuple] | None = None,
    ):
        """``warm_up``: a function and its arguments each worker runs once when it starts, before any task."""
        self.scheduler = resolve_scheduler(scheduler)
        self.progress = progress
        self.warm_up = warm_up
        self.workers = workers or len(os.sched_getaffinity(0))
        if self.scheduler == "synchronous":
            self.workers = 1
        self.times = StageTimes()
        self._pool: ProcessPoolExecutor | None = None
        self._client: Any = None
        self._own_client = False
        self._warming: list = []
        self._starter: WorkerStarter | None = None

    def __enter__(self) -> Runner:
        if self.scheduler == "processes" and self.workers > 1:
            warm_up = self.warm_up or (noop, ())
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=worker_context(), initializer=ready_local_worker, initargs=warm_up
            )
            self._starter = WorkerStarter(self._pool, self.workers)  # they start while the client validates
        elif isinstance(self.scheduler, str) and "://" in self.scheduler:
            from distributed import Client

            try:
                self._client = Client(self.scheduler, timeout="10s")
            except OSError as error:
                raise SchedulerError(f"no Dask scheduler answers at {self.scheduler} ({error})") from error
            self._own_client = True
        elif not isinstance(self.scheduler, str):
            self._client = self.scheduler  # a distributed.Client given by the caller
        if self._client is not None:
            self.workers = max(1, len(self._client.scheduler_info().get("workers", {})))
            if self.warm_up is not None:  # one task on each worker, not waited for
                function, arguments = self.warm_up
                self._warming = [
                    self._client.submit(function, *arguments, workers=[address], allow_other_workers=False, pure=False)
                    for address in self._client.scheduler_info().get("workers", {})
                ]
        return self

    def __exit__(self, kind: object, *exc: object) -> None:
        if self._pool is not None and self._starter is not None and kind is None:
            self._starter.wait()
            self._pool.shutdown(wait=True, cancel_futures=True)
        elif self._pool is not None:  # after an error (bad input, Ctrl-C) nobody waits for a worker still starting
            stop = {"wait": False, "cancel_futures": True}
            threading.Thread(target=self._pool.shutdown, kwargs=stop, name="fplang-stop-workers", daemon=True).start()
        if self._own_client:
            self._client.close()

    @property
    def where(self) -> str:
        """The scheduler in words, for the summary."""
        if self._client is not None:
            workers = len(self._client.scheduler_info().get("workers", {}))
            return f"Dask cluster at {self._client.scheduler.address} ({workers} workers)"
        if self._pool is not None:
            return f"Dask local processes ({self.workers})"
        return "this process"

    def map(self, stage: str, function: Callable[..., Any], arguments: Sequence[tuple], sizes: Sequence[int]) -> list:
        """``function(*args)`` for every partition's arguments, as Dask tasks; results in partition order."""
        began = time.perf_counter()
        with _bar(stage, sum(sizes), self.progress) as bar:
            if self._client is not None:
                results = self._map_distributed(function, arguments, sizes, bar)
            else:
                results = self._map_local(stage, function, arguments, sizes, bar)
        self.times.seconds[stage] = self.times.seconds.get(stage, 0.0) + time.perf_counter() - began
        self.times.documents[stage] = sum(sizes)
        return results

    def _map_local(self, stage: str, function: Callable[..., Any], arguments: Sequence[tuple], sizes: Sequence[int],
                   bar: Any) -> list:  # fmt: skip
        keys = [f"{stage}-{index}" for index in range(len(arguments))]
        tasks = [
            dask.delayed(_apply, pure=False)(function, _Opaque(args), dask_key_name=key)
            for key, args in zip(keys, arguments, strict=True)
        ]
        size_of = dict(zip(keys, sizes, strict=True))
        with _Advance(bar, size_of):
            if self._pool is not None and self._starter is not None:
                if (error := self._starter.wait()) is not None:
                    raise SchedulerError(f"the build's worker processes could not be started ({error!r})") from error
                # One task at a time to each worker (Dask's default sends six at once): a worker that is
                # done takes the next partition, so the workers finish together, not up to six partitions apart.
                return list(dask.compute(*tasks, scheduler="processes", pool=self._pool, chunksize=1))
            return list(dask.compute(*tasks, scheduler="synchronous"))

    def _map_distributed(self, function: Callable[..., Any], arguments: Sequence[tuple], sizes: Sequence[int],
                         bar: Any) -> list:  # fmt: skip
        from distributed import as_completed

        futures = []
        for args in arguments:
            scattered = self._client.scatter(list(args)) if args else []
            futures.append(self._client.submit(function, *scattered, pure=False))
        size_of = {future.key: size for future, size in zip(futures, sizes, strict=True)}
        for future in as_completed(futures):
            bar.update(size_of[future.key])
        return self._client.gather(futures)


class _Advance(Callback):
    """Moves a stage's bar on by a partition's documents when its task finishes (local schedulers)."""

    def __init__(self, bar: Any, size_of: dict[str, int]):
        super().__init__()
        self.bar = bar
        self.size_of = size_of

    def _posttask(self, key: Any, result: Any, dsk: Any, state: Any, worker_id: Any) -> None:
        if key in self.size_of:
            self.bar.update(self.size_of[key])


@contextlib.contextmanager
def _bar(stage: str, total: int, progress: bool) -> Iterator[Any]:
    from tqdm.auto import tqdm

    with tqdm(total=total, desc=f"{stage:<8}", unit="doc", disable=not progress, leave=True) as bar:
        yield bar


class _Opaque:
    """A task's arguments, which Dask puts in the task as they are, without looking inside.

    ``dask.delayed`` walks every list, tuple, dict and dataclass among a call's
    arguments, looking for Dask collections: on the full UN corpus, a partition's
    list of raw texts and the lexicon (a dataclass) took 2.5 CPU s of the client
    before the first task could start.  The build's arguments hold no Dask
    collection, so nothing is lost by not looking.
    """

    __slots__ = ("arguments",)

    def __init__(self, arguments: tuple) -> None:
        self.arguments = arguments


def _apply(function: Callable[..., Any], packed: _Opaque) -> Any:
    """``function`` applied to the arguments :class:`_Opaque` carried into the task."""
    return function(*packed.arguments)
