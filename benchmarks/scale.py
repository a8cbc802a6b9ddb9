"""Re-run the whole book on all 10,952 UN General Debate speeches and report time and peak memory per stage.

The corpus is written once to ``_build/ungdc_full`` (``fplang ungdc-full``,
about 200 MB, not committed); the run uses the book's lexicon and periods,
the same speeches as the UN corpus of chapter 6, and writes to
``../fplang-scale-run`` (beside the book's tree: fplang run writes nowhere
inside it).  It prints ``fplang run``'s summary (each build stage's time
and the peak memory of all processes, each chapter's time), the largest
chapter page, and exits 1 when the run takes over 5 minutes, its peak memory
exceeds 6 GB or a page exceeds 5 MB (the targets on 2 cores).

Usage::

    python benchmarks/scale.py [--scheduler processes|synchronous|tcp://HOST:8786] [--out ../fplang-scale-run]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT.parent / "shared" / "data" / "ungdc"
CORPUS = ROOT / "_build" / "ungdc_full"
TARGET_SECONDS, TARGET_MB, PAGE_MB = 300.0, 6144.0, 5.0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scheduler", default=None)
    parser.add_argument("--out", type=Path, default=ROOT.parent / "fplang-scale-run")
    args = parser.parse_args(argv)

    from fplang.book.run import run_book
    from fplang.sources.full import write_full_corpus

    if not (CORPUS / "manifest.csv").is_file():
        print(f"writing the corpus to {CORPUS} (once): fplang ungdc-full --source {SOURCE} --out {CORPUS}")
        write_full_corpus(SOURCE, CORPUS)
    params = ROOT / "_build" / "scale-params.yml"
    params.write_text(
        f"corpus: {CORPUS / 'manifest.csv'}\nun_corpus: {CORPUS / 'manifest.csv'}\n"
        f"lexicon: {ROOT / 'data' / 'lexicon.yml'}\nperiods: {ROOT / 'data' / 'periods.csv'}\n",
        encoding="utf-8",
    )
    print(f"{len(os.sched_getaffinity(0))} cores, load average {os.getloadavg()[0]:.1f}")
    began = time.perf_counter()
    summary = run_book(params, args.out, scheduler=args.scheduler)
    seconds = time.perf_counter() - began
    print(summary)
    pages = sorted((page.stat().st_size, page.name) for page in (args.out / "html").rglob("*.html"))
    largest_mb, largest = pages[-1][0] / 2**20, pages[-1][1]
    print(f"largest page: {largest} ({largest_mb:.2f} MB); load average {os.getloadavg()[0]:.1f}")
    met = seconds <= TARGET_SECONDS and summary.peak_mb <= TARGET_MB and largest_mb <= PAGE_MB
    print(f"targets (<= 5 min, <= 6 GB, pages <= 5 MB): {'met' if met else 'missed'} ({seconds:.0f} s)")
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
