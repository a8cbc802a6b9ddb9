"""How the local worker processes of a build start: forked from a fork server that has loaded the code once.

With multiprocessing's ``spawn``, each worker imported pandas, pyarrow, numba
and fplang and loaded the compiled kernels itself: about 2.5 CPU s a worker, on
the cores the client validates on.  On Linux, workers are instead forked from a
fork server (multiprocessing's ``forkserver``) that imported
:mod:`fplang.build.preload` once; the server is a fresh process started by
``exec``, so nothing of the client's threads or connections (a Jupyter
kernel's, say) reaches the workers.

The server lives as long as the client process and keeps the code it loaded.
A later build whose package code or environment differs from what the server
started with (code edited in a long-lived kernel, a variable set since) gets
spawned workers, which load both afresh: the tables are never made by other
code than the stamp names.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import sys
import threading
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext
from typing import Any

from fplang.build.stamp import package_sha256

PRELOAD_MODULE = "fplang.build.preload"
"""The module the fork server imports before it forks a worker (:mod:`fplang.build.preload`)."""

_server_loaded: dict[str, str] = {}
"""The package code (sha256) and environment the fork server started with, recorded when first used."""


def worker_context() -> BaseContext:
    """How local workers start: forked from the fork server where it holds the current code, else spawned.

    Spawned where the platform has no fork server or is not Linux (macOS
    forbids forking a process that has loaded system frameworks, and the
    server has loaded numpy, pyarrow and numba), and where the package's code
    or the environment changed since the server started.  A fork server
    another part of the program already started keeps its own preloads: the
    workers then load the code themselves, and compute the same.
    """
    if sys.platform != "linux" or "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    now = {"code": package_sha256(), "environment": _environment_sha256()}
    if _server_loaded.setdefault("code", now["code"]) != now["code"]:
        return multiprocessing.get_context("spawn")
    if _server_loaded.setdefault("environment", now["environment"]) != now["environment"]:
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([PRELOAD_MODULE])
    return context


def _environment_sha256() -> str:
    """One sha256 over the environment's variables and values (a worker forked from the server has the server's)."""
    return hashlib.sha256(repr(sorted(os.environ.items())).encode("utf-8", "surrogatepass")).hexdigest()


def ready_local_worker(warm_up: Callable[..., Any], arguments: tuple) -> None:
    """A local worker's start: ``warm_up(*arguments)``, then what it holds frozen out of the cycle collector's sight.

    A worker holds hundreds of thousands of objects from its imports and the
    kernels it loaded, which live as long as it does; every full collection
    walked them all again while cleaning made millions of small tuples
    (``gc.freeze`` cut the cleaning stage from 20.7 to 17.1 CPU s on the full
    UN corpus).  Objects made later are collected as usual.  Only for the
    build's own worker processes: a Dask cluster's workers are not the build's
    to freeze.
    """
    warm_up(*arguments)
    gc.freeze()


class WorkerStarter:
    """Asks a pool to start its workers from a thread, and keeps any error for the first task to raise.

    Starting a worker from the fork server waits until the server has loaded
    the code (its first time); the client validates the texts meanwhile.
    """

    def __init__(self, pool: ProcessPoolExecutor, workers: int) -> None:
        self.pool = pool
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._start, args=(workers,), name="fplang-start-workers", daemon=True)
        self._thread.start()

    def wait(self) -> BaseException | None:
        """Wait until every worker was asked for; the error that stopped it, if any."""
        self._thread.join()
        return self.error

    def _start(self, workers: int) -> None:
        try:
            for _ in range(workers):
                self.pool.submit(noop)
        except Exception as error:  # shut down meanwhile (bad input), or the fork server failed: the build raises it
            self.error = error


def noop(*_: object) -> None:
    """A task that does nothing: asking for it starts a worker."""
    return None
