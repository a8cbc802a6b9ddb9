"""Time the whole corpus build on the full UN General Debate Corpus, stage by stage.

Writes the corpus (10,952 speeches as text files and a manifest) under
``_build/ungdc_full`` once (``fplang ungdc-full``), then builds it
``--repeats`` times from scratch, each in a new Python process, so that each
build starts its workers' fork server as a user's first build does (the
interpreter's start and the imports before the call are not timed)
(:func:`fplang.build.build_corpus`: validate, read with sha256 checks, clean,
segment, count, match, date, write) with the
book's lexicon and periods, and reports for each stage the median wall time,
its CPU seconds (the per-document stages' summed over their tasks, the
others the client's) and the peak resident memory of all the build's
processes (the client and its workers, summed), and the same for the whole
build with its CPU seconds (every process of the build, sampled from /proc
as it runs: on a shared machine wall time grows with others' load, CPU time
much less) and the load average, against the figure it
replaces: ``prepare_corpus`` took 124 s on one core and 2.6 GB, plus counting
(issue 14, measured before the build existed).

Exits 1 when the median whole build exceeds 20 s or its peak 3 GB (the targets
on 2 cores).  Usage::

    python benchmarks/bench_build.py [--repeats 3] [--scheduler processes] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "data" / "ungdc"
CORPUS = ROOT / "_build" / "ungdc_full"
BEFORE_SECONDS, BEFORE_MB = 124.0 + 1.3, 2600.0
"""prepare_corpus on the full corpus before the build (issue 14), plus the counting engine's median."""
TARGET_SECONDS, TARGET_MB = 20.0, 3072.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--scheduler", default="processes")
    parser.add_argument("--manifest", type=Path, default=CORPUS / "manifest.csv")
    parser.add_argument("--json", type=Path)
    parser.add_argument("--one-run", type=Path, help=argparse.SUPPRESS)  # a single build, its figures to this file
    args = parser.parse_args(argv)
    if args.one_run:
        _one_run(args.manifest, args.scheduler, args.one_run)
        return 0

    from fplang.build import STAGES

    if args.manifest == CORPUS / "manifest.csv" and not args.manifest.is_file():
        if not SOURCE.is_dir():
            print(f"error: the UN corpus is not at {SOURCE} (../shared beside the repository)")
            return 2
        from fplang.sources.full import write_full_corpus

        print(f"writing the corpus to {CORPUS} (once)")
        write_full_corpus(SOURCE, CORPUS)
    print(f"corpus: {args.manifest}; scheduler: {args.scheduler}; {len(os.sched_getaffinity(0))} cores; "
          f"load average {os.getloadavg()[0]:.1f}")  # fmt: skip
    runs = []
    for repeat in range(args.repeats):
        run = _run_in_a_new_process(args.manifest, args.scheduler)
        runs.append(run)
        peak, tables, (load_before, load_after) = max(run["peak_mb"].values()), run["bytes"] / 2**20, run["load"]
        print(f"run {repeat + 1}: {run['total']:.1f} s, CPU {run['cpu']:.1f} s, peak {peak:,.0f} MB, "
              f"tables {tables:,.0f} MB, load average {load_before:.1f} -> {load_after:.1f}")  # fmt: skip

    print(f"\n{'stage':<10}{'median s':>10}{'CPU s':>10}{'peak MB':>10}")
    for stage in STAGES:
        seconds = statistics.median(run["seconds"].get(stage, 0.0) for run in runs)
        cpu = statistics.median(run["cpu_seconds"].get(stage, 0.0) for run in runs)
        peaks = [run["peak_mb"][stage] for run in runs if stage in run["peak_mb"]]
        shown = f"{max(peaks):,.0f}" if peaks else "(clean)"  # one task runs clean to date: its peak is clean's
        print(f"{stage:<10}{seconds:>10.2f}{cpu:>10.2f}{shown:>10}")
    median = statistics.median(run["total"] for run in runs)
    peak = max(max(run["peak_mb"].values()) for run in runs)
    cpu = statistics.median(run["cpu"] for run in runs)
    print(f"{'whole':<10}{median:>10.2f}{cpu:>10.2f}{peak:>10,.0f}")
    print(f"CPU seconds (client and workers), median: {statistics.median(run['cpu'] for run in runs):.1f}")
    print(f"\nbefore: {BEFORE_SECONDS:.0f} s and {BEFORE_MB:,.0f} MB on one core; now {median:.1f} s "
          f"({BEFORE_SECONDS / median:.1f} times faster) and {peak:,.0f} MB")  # fmt: skip
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        figures = {"runs": runs, "median_s": median, "peak_mb": peak}
        args.json.write_text(json.dumps(figures, indent=1), encoding="utf-8")
    met = median <= TARGET_SECONDS and peak <= TARGET_MB
    print(f"targets (<= {TARGET_SECONDS:.0f} s, <= {TARGET_MB:,.0f} MB): {'met' if met else 'missed'}")
    return 0 if met else 1


def _run_in_a_new_process(manifest: Path, scheduler: str) -> dict:
    """One build in a new Python process, as a user's ``fplang run`` or chapter makes it: nothing loaded before.

    In one process, the second build would find the workers' fork server
    started and the code imported by the first, and take about a second less.
    """
    with tempfile.TemporaryDirectory(prefix="fplang-bench-") as folder:
        figures = Path(folder) / "run.json"
        command = [sys.executable, __file__, "--one-run", str(figures), "--manifest", str(manifest),
                   "--scheduler", scheduler]  # fmt: skip
        subprocess.run(command, check=True)
        return json.loads(figures.read_text(encoding="utf-8"))


def _one_run(manifest: Path, scheduler: str, figures: Path) -> None:
    """Build the corpus once from scratch in this process; its figures to ``figures`` (JSON)."""
    from fplang.build import build_corpus

    out = Path(tempfile.mkdtemp(prefix="fplang-bench-"))
    load_before, cpu_before = os.getloadavg()[0], _cpu_seconds()
    began = time.perf_counter()
    build = build_corpus(
        manifest, ROOT / "data" / "lexicon.yml", ROOT / "data" / "periods.csv", out,
        scheduler=scheduler, progress=False,
    )  # fmt: skip
    total = time.perf_counter() - began
    load = (load_before, os.getloadavg()[0])
    # the build's own sample of its process tree: workers forked from a fork server are not this process's
    # children, so os.times here does not see them
    cpu = build.process_cpu_seconds or _cpu_seconds() - cpu_before  # 0 where /proc cannot be read
    size = sum(path.stat().st_size for path in build.folder.iterdir())
    shutil.rmtree(out)
    run = {"total": total, "cpu": cpu, "load": load, "seconds": build.seconds, "peak_mb": build.peak_mb,
           "bytes": size, "cpu_seconds": build.cpu_seconds}  # fmt: skip
    figures.write_text(json.dumps(run), encoding="utf-8")


def _cpu_seconds() -> float:
    """CPU seconds of this process and of its children that have ended (the build's workers, once it is done)."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


if __name__ == "__main__":
    sys.exit(main())
