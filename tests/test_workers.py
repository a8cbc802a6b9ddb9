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
