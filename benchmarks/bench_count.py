"""Time the counting engine on the whole UN General Debate Corpus.

Reads every speech from ``../shared/data/ungdc`` (beside the repository), then
counts the lexicon ``data/lexicon.yml`` with :func:`fplang.counting.count_concepts`
five times and reports the median and fastest wall time, tokens per second and
peak memory, against a naive pandas baseline (for each pattern,
``texts.str.lower().str.count(regex)``) timed on a seeded 10% sample and
extrapolated to the whole corpus by characters.

Reading the parquet file is not timed; everything after it is (conversion of
the texts, tokenising, matching, building the result frame).  Memory is the
process's resident set (RSS): its peak over the whole run so far, which
includes reading the corpus (``getrusage`` ``ru_maxrss``), and its peak while
the engine runs (``VmHWM`` in ``/proc/self/status`` after resetting it through
``/proc/self/clear_refs``, where the kernel allows).

Exits 1 when the median exceeds 2.5 s or the peak RSS exceeds 1 GB.

Usage::

    python benchmarks/bench_count.py [--json results.json] [--repeats 5]
        [--input arrow|object] [--skip-baseline]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import re
import resource
import statistics
import sys
import time
from pathlib import Path

import numba
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from fplang.counting import count_concepts
from fplang.counting.lexicon import Lexicon, PatternWord, load_lexicon

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "data" / "ungdc" / "ungdc_1946_2024.parquet"
LEXICON = ROOT / "data" / "lexicon.yml"

MEDIAN_BOUND_S = 2.5
PEAK_RSS_BOUND_MB = 1024.0
BASELINE_FRACTION = 0.10
BASELINE_SEED = 20260123


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not args.corpus.exists():
        print(f"error: the corpus is not at {args.corpus} (../shared beside the repository)")
        return 2
    lexicon = load_lexicon(args.lexicon)
    texts = read_texts(args.corpus, args.input)
    n_chars = int(texts.str.len().sum())  # for object texts, without caching their UTF-8
    print(f"corpus: {len(texts):,} texts, {n_chars:,} characters ({args.input} strings)")
    print(f"lexicon: {len(lexicon.concepts)} concepts, {len(lexicon.patterns)} patterns")
    load_before = os.getloadavg()

    first_call_s = timed(lambda: count_concepts(texts.iloc[:20], lexicon))[0]
    reading_peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    reset_peak_rss()
    runs_s, runs_cpu_s = [], []
    result = None
    for _ in range(args.repeats):
        cpu_start = time.process_time()
        seconds, result = timed(lambda: count_concepts(texts, lexicon))
        runs_s.append(seconds)
        runs_cpu_s.append(time.process_time() - cpu_start)
        print(
            f"  run {len(runs_s)}: {seconds:.3f} s wall, {runs_cpu_s[-1]:.3f} s CPU (all threads)"
        )
    engine_peak_mb = peak_rss_since_reset_mb()
    process_peak_mb = max(
        reading_peak_mb, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    )
    load_after = os.getloadavg()

    n_tokens = int(result.drop_duplicates("doc_id")["n_tokens"].sum())
    median_s = statistics.median(runs_s)
    report = {
        "corpus": {
            "path": str(args.corpus),
            "n_texts": len(texts),
            "n_chars": n_chars,
            "n_tokens": n_tokens,
            "input": args.input,
        },
        "lexicon": {
            "path": str(args.lexicon),
            "n_concepts": len(lexicon.concepts),
            "n_patterns": len(lexicon.patterns),
        },
        "engine": {
            "first_call_s": first_call_s,
            "runs_s": runs_s,
            "runs_cpu_s": runs_cpu_s,
            "median_s": median_s,
            "min_s": min(runs_s),
            "tokens_per_s": n_tokens / median_s,
            "matches": int(result["count"].sum()),
            "peak_rss_mb_process": process_peak_mb,
            "peak_rss_mb_until_counting": reading_peak_mb,
            "peak_rss_mb_while_counting": engine_peak_mb,
        },
        "machine": {
            "cpus_available": len(os.sched_getaffinity(0)),
            "load_average_before": load_before,
            "load_average_after": load_after,
            "python": platform.python_version(),
            "numba": numba.__version__,
            "numpy": np.__version__,
            "pyarrow": pa.__version__,
        },
    }
    print(
        f"engine: median {median_s:.3f} s, min {min(runs_s):.3f} s, "
        f"{n_tokens / median_s / 1e6:.1f} M tokens/s, first call {first_call_s:.2f} s"
    )
    print(
        f"peak RSS: {process_peak_mb:.0f} MB for the process (reading included)"
        + (f", {engine_peak_mb:.0f} MB while counting" if engine_peak_mb else "")
    )
    print(
        f"load average before/after: {load_before[0]:.2f} / {load_after[0]:.2f} "
        f"on {report['machine']['cpus_available']} CPUs"
    )

    if not args.skip_baseline:
        report["baseline"] = run_baseline(texts, lexicon, n_chars, median_s)

    passed = median_s <= MEDIAN_BOUND_S and process_peak_mb <= PEAK_RSS_BOUND_MB
    report["bounds"] = {
        "median_s": MEDIAN_BOUND_S,
        "peak_rss_mb": PEAK_RSS_BOUND_MB,
        "passed": passed,
    }
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
        print(f"results written to {args.json}")
    verdict = "within" if passed else "OUTSIDE"
    print(
        f"{verdict} the bounds (median <= {MEDIAN_BOUND_S} s, peak RSS <= "
        f"{PEAK_RSS_BOUND_MB:.0f} MB)"
    )
    return 0 if passed else 1


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write the results as JSON to this path")
    parser.add_argument("--repeats", type=int, default=5, help="timed runs (default 5)")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="the UNGDC parquet file")
    parser.add_argument("--lexicon", type=Path, default=LEXICON, help="the lexicon YAML")
    parser.add_argument(
        "--input",
        choices=["arrow", "object"],
        default="arrow",
        help="texts as Arrow-backed strings (default, as read with dtype_backend='pyarrow') "
        "or as Python str objects (object dtype, converted to UTF-8 on each run)",
    )
    parser.add_argument("--skip-baseline", action="store_true", help="skip the pandas baseline")
    return parser.parse_args(argv)


def read_texts(path: Path, kind: str) -> pd.Series:
    """The ``text`` column as a Series of Arrow-backed or of Python strings (not timed)."""
    column = pq.read_table(path, columns=["text"]).column("text")
    pa.default_memory_pool().release_unused()  # give back the parquet decoder's scratch memory
    if kind == "arrow":
        return pd.Series(pd.arrays.ArrowExtensionArray(column), name="text")
    return pd.Series(column.to_pylist(), name="text", dtype=object)


def timed(work):
    """Wall seconds of ``work()`` and its result."""
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def reset_peak_rss() -> None:
    """Reset the kernel's peak-RSS mark (VmHWM) to the current RSS, where allowed."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def peak_rss_since_reset_mb() -> float | None:
    """VmHWM from /proc/self/status in MB (peak since the last reset), or None off Linux."""
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return None
    match = re.search(r"^VmHWM:\s+(\d+) kB", status, flags=re.MULTILINE)
    return int(match.group(1)) / 1024 if match else None


def naive_regex(words: tuple[PatternWord, ...]) -> str:
    """A regex a pandas user would write for a pattern, on lower-cased text."""
    parts = [re.escape(word.text) + (r"\w*" if word.is_glob else r"(?:'s)?") for word in words]
    return r"\b" + r"\W+".join(parts) + r"\b"


def run_baseline(texts: pd.Series, lexicon: Lexicon, n_chars: int, engine_median_s: float) -> dict:
    """Time the naive pandas loop on a seeded sample; extrapolate to the corpus by characters."""
    sample = texts.sample(frac=BASELINE_FRACTION, random_state=BASELINE_SEED).astype(object)
    sample_chars = int(sample.str.len().sum())
    regexes = [naive_regex(pattern.words) for pattern in lexicon.patterns]

    def naive_loop() -> int:
        total = 0
        for regex in regexes:
            total += int(sample.str.lower().str.count(regex).sum())
        return total

    seconds, matches = timed(naive_loop)
    extrapolated = seconds * n_chars / sample_chars
    print(
        f"baseline (pandas str.lower().str.count per pattern) on {len(sample):,} texts "
        f"({sample_chars / n_chars:.1%} of the characters): {seconds:.1f} s, "
        f"about {extrapolated:.0f} s for the corpus: {extrapolated / engine_median_s:.0f}x "
        "the engine's median"
    )
    return {
        "fraction": BASELINE_FRACTION,
        "seed": BASELINE_SEED,
        "n_texts": len(sample),
        "n_chars": sample_chars,
        "seconds": seconds,
        "matches_without_overlap_rule": matches,
        "extrapolated_full_corpus_s": extrapolated,
        "ratio_to_engine_median": extrapolated / engine_median_s,
    }


if __name__ == "__main__":
    sys.exit(main())
