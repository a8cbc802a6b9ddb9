"""How a local build's workers start, and how the CPU time of its processes is counted."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time

from fplang.build.memory import MemorySampler

PROBE = textwrap.dedent(
    """
    import multiprocessing, sys
    from concurrent.futures import ProcessPoolExecutor
    from fplang.build.parallel import worker_context

    # In a worker: was the preload module imported, and how many of the corpus kernels are compiled or loaded?
    QUESTION = (
        "('fplang.build.preload' in __import__('sys').modules, "
        "sum(len(kernel.signatures) for kernel in vars(__import__('fplang.corpus._kernels', fromlist=['_'])).values()"
        " if hasattr(kernel, 'signatures')))"
    )

    if __name__ == "__main__":
        context = multiprocessing.get_context(sys.argv[1]) if len(sys.argv) > 1 else worker_context()
        with ProcessPoolExecutor(1, mp_context=context) as pool:
            preloaded, kernels = pool.submit(eval, QUESTION).result()
        print(context.get_start_method(), preloaded, kernels)
    """
)


def _ask_a_worker(tmp_path, *start_method: str) -> list[str]:
    script = tmp_path / "probe.py"
    script.write_text(PROBE, encoding="utf-8")
    done = subprocess.run([sys.executable, str(script), *start_method], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


def test_a_local_worker_starts_with_the_builds_code_and_kernels_loaded_by_the_fork_server(tmp_path):
    """A worker forked from the server has the kernels before it runs anything; a spawned one has not."""
    method, preloaded, kernels = _ask_a_worker(tmp_path)
    assert (method, preloaded) == ("forkserver", "True")
    assert int(kernels) >= 1
    method, preloaded, kernels = _ask_a_worker(tmp_path, "spawn")
    assert (method, preloaded, kernels) == ("spawn", "False", "0")


def test_the_sampler_counts_the_cpu_time_of_a_grandchild_that_os_times_does_not_see():
    """A grandchild busy for 0.6 CPU s is reaped by its parent, not by us: only the sampler sees its time."""
    busy = "import time\nwhile time.process_time() < 0.6: pass"
    parent = f"import subprocess, sys; subprocess.run([sys.executable, '-c', {busy!r}])"
    with MemorySampler(interval=0.02) as sampler:
        subprocess.run([sys.executable, "-c", parent], check=True)
        time.sleep(0.05)
    assert sampler.cpu_seconds >= 0.6 * 0.9  # the grandchild's 0.6 s, less what a last sample can miss
    assert sampler.cpu_seconds < 0.6 + 3.0  # two interpreters' start-up, not every process of the machine


def test_a_build_after_the_code_or_the_environment_changed_spawns_its_workers(monkeypatch):
    """The fork server keeps the code and environment it started with: a later build that differs does not use it."""
    from fplang.build import workers

    monkeypatch.setattr(workers, "_server_loaded", {})
    assert workers.worker_context().get_start_method() == "forkserver"
    assert workers.worker_context().get_start_method() == "forkserver"  # nothing changed
    monkeypatch.setenv("FPLANG_TEST_SET_LATER", "1")
    assert workers.worker_context().get_start_method() == "spawn"
    monkeypatch.delenv("FPLANG_TEST_SET_LATER")
    assert workers.worker_context().get_start_method() == "forkserver"
    monkeypatch.setattr(workers, "package_sha256", lambda: "code edited since")
    assert workers.worker_context().get_start_method() == "spawn"


def test_workers_of_a_dask_cluster_are_warmed_up_but_not_frozen():
    """gc.freeze is for the build's own worker processes, never for a cluster's (here: threads of this process)."""
    import gc

    from distributed import Client, LocalCluster

    from fplang.build.parallel import Runner

    gc.unfreeze()
    with LocalCluster(n_workers=1, processes=False, dashboard_address=None) as cluster, Client(cluster) as client:
        with Runner(client, progress=False, warm_up=(gc.collect, ())) as runner:
            assert runner.map("stage", len, [("abc",), ("de",)], [1, 1]) == [3, 2]
            warmed = client.gather(runner._warming)  # the warm-up ran on the worker (a thread of this process)
    assert len(warmed) == 1
    assert gc.get_freeze_count() == 0


def test_a_pool_that_cannot_start_its_workers_gives_its_error_to_the_build_and_prints_nothing(capfd):
    from concurrent.futures import ProcessPoolExecutor

    from fplang.build.workers import WorkerStarter

    pool = ProcessPoolExecutor(1)
    pool.shutdown()
    assert isinstance(WorkerStarter(pool, 2).wait(), RuntimeError)
    assert capfd.readouterr().err == ""
