"""One corpus build per set of inputs: validated, cleaned, segmented, counted and dated once, stored as Parquet.

Every chapter needs the same work on the same corpus: validate the manifest,
read the texts (checking each sha256), clean, segment, tokenise, count the
lexicon, find the matches, date the sentences.  :func:`build_corpus` does it
once and writes the tables (:data:`TABLES`) with a stamp of what they were
made from (:mod:`fplang.build.stamp`); asked again with the same inputs it
returns the stored build, and any changed text, manifest, lexicon, periods
table or package code builds anew.  ``make book``, ``fplang run`` and a
chapter run alone with papermill all call it: whoever needs the build first
makes it, the others read it.

Where it lives: ``OUT/build/<manifest>-<hash of its path>/`` under the
chapter's ``out_dir``: ``data/processed`` for the book, ``DIR/data`` for
``fplang run``.  Nothing is written anywhere else.  The tables are written to
a temporary folder and moved into place in one step, under a lock, so a
reader never sees half a build and two chapters never build at once.

The per-document stages run as Dask tasks over partitions of documents
(:mod:`fplang.build.parallel`); the tables are byte-identical whatever the
scheduler and the partitioning.
"""

from __future__ import annotations

import contextlib
import csv
import ctypes
import fcntl
import gc
import hashlib
import os
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute  # noqa: F401 (pa.compute)
import pyarrow.parquet as pq

import fplang.build.stages as stages
from fplang.build.memory import MemorySampler
from fplang.build.parallel import SCHEDULER_VARIABLE, Runner
from fplang.build.stamp import files_stamp, make_stamp, read_stamp, stamp_bytes
from fplang.corpus.manifest import document_variables, load_manifest_and_texts
from fplang.counting import load_lexicon
from fplang.files import write_bytes
from fplang.periods import load_periods

TABLES = ("documents", "sentences", "sentence_counts", "matches", "cleaning_report", "cleaned_texts")
"""The build's tables, one Parquet file each.

- ``documents``: one row a document, :data:`fplang.corpus.prepare.DOCUMENT_COLUMNS` then the
  document variables.
- ``sentences``: one row a sentence: doc_id, sentence_id, paragraph_id, start, end, text,
  tokens, published, published_year and the date columns (:data:`fplang.build.stages.DATE_COLUMNS`).
- ``sentence_counts``: each concept's count in each sentence where it occurs (no zeros).
- ``matches``: every counted match (:data:`fplang.build.stages.MATCH_COLUMNS`).
- ``cleaning_report``: every removed span (:data:`fplang.corpus.clean.REPORT_COLUMNS`).
- ``cleaned_texts``: doc_id, text.
"""

STAGES = ("validate", "read", "clean", "segment", "count", "date", "write")
"""The build's stages in order; ``clean`` to ``date`` run per partition, as Dask tasks.

``validate`` reads every text once and checks its sha256 (before any other
work); ``read`` only makes the stamp from them.  ``clean`` to ``date`` run one
after another in one task per partition (:func:`fplang.build.stages.partition`),
one progress bar for the four; each stage's seconds are the tasks' elapsed time
shared out by the CPU seconds the stage took inside them
(:attr:`CorpusBuild.cpu_seconds`).  ``write`` puts the partitions' tables
together (after the workers have ended) and writes them.
"""

PER_DOCUMENT_STAGES = ("clean", "segment", "count", "date")
PER_DOCUMENT = "clean, segment, count, date"
"""The one task per partition that runs :data:`PER_DOCUMENT_STAGES`, and its progress bar's label."""

SMALL_CORPUS_BYTES = 2 * 2**20
"""A corpus of fewer bytes of text is built in this process unless a scheduler is named."""

PARTITION_BYTES = 4 * 2**20
"""About this many bytes of text a partition (a task), and at least four partitions a worker when there is enough."""


@dataclass
class CorpusBuild:
    """A corpus build on disk: where it is, what made it, and how long each stage took."""

    folder: Path
    stamp: dict[str, object]
    reused: bool
    seconds: dict[str, float] = field(default_factory=dict)
    peak_mb: dict[str, float] = field(default_factory=dict)
    where: str = ""
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    """CPU seconds of each stage: the per-document ones summed over their tasks, the others this process's."""
    manifest: pd.DataFrame | None = field(default=None, repr=False)
    """The validated manifest (:func:`fplang.corpus.manifest.load_manifest`), so a reader need not validate again."""
    process_cpu_seconds: float = 0.0
    """CPU seconds of every process of the build (this one, its workers and their fork server), as sampled."""

    def table(self, name: str, columns: list[str] | None = None) -> pd.DataFrame:
        """One of :data:`TABLES`, read from its Parquet file (only ``columns`` if given)."""
        if name not in TABLES:
            raise KeyError(f"a corpus build has no table {name!r} (it has {', '.join(TABLES)})")
        return pd.read_parquet(self.folder / f"{name}.parquet", columns=columns)

    @property
    def documents(self) -> pd.DataFrame:
        return self.table("documents")

    @property
    def sentences(self) -> pd.DataFrame:
        return self.table("sentences")


def build_folder(manifest: str | Path, out_dir: str | Path) -> Path:
    """Where the build of ``manifest`` lives under ``out_dir``: ``build/<manifest stem>-<hash of its path>``."""
    resolved = Path(manifest).resolve()
    tag = hashlib.sha256(str(resolved).encode("utf-8")).hexdigest()[:10]
    return Path(out_dir) / "build" / f"{resolved.stem}-{tag}"


def build_corpus(
    manifest: str | Path,
    lexicon: str | Path,
    periods: str | Path,
    out_dir: str | Path,
    *,
    scheduler: object = None,
    progress: bool = True,
    partition_bytes: int | None = None,
) -> CorpusBuild:
    """The corpus build of these inputs under ``out_dir``: the stored one if its stamp matches, else a new one.

    Raises :class:`fplang.corpus.manifest.CorpusError` (every problem, before
    any work) when the manifest or a text is unusable, and
    :class:`fplang.build.parallel.SchedulerError` when no cluster answers at
    the scheduler's address.
    """
    manifest, lexicon, periods = Path(manifest), Path(lexicon), Path(periods)
    folder = build_folder(manifest, out_dir)
    with MemorySampler() as memory, contextlib.ExitStack() as stack:
        clock = _Clock(memory, "validate")
        files = files_stamp(manifest, lexicon, periods)
        stored = read_stamp(folder / "stamp.json")
        concepts, periodisation = load_lexicon(lexicon), load_periods(periods)
        scheduler = _small_in_process(scheduler, manifest)
        warm_up = (stages.warm_up, (concepts, periodisation))
        # The same manifest (its sha256) names the same texts' sha256: if the manifest, lexicon, periods and
        # code are the stored build's, it is current once every text is checked, and the texts are not kept.
        current = stored is not None and all(stored.get(key) == value for key, value in files.items())
        runner = None
        if not current:  # the workers start (import, run every stage once) while this process validates
            runner = stack.enter_context(Runner(scheduler, progress=progress, warm_up=warm_up))
        frame, raw = load_manifest_and_texts(manifest, keep_texts=not current)  # each text read once, sha256 checked
        clock.next("read")
        stamp = make_stamp(files, dict(zip(frame["doc_id"], frame["sha256"], strict=True)))
        clock.next(None)

        with _locked(folder):
            if read_stamp(folder / "stamp.json") == stamp:
                del raw
                _give_back_memory()
                return CorpusBuild(folder, stamp, True, clock.seconds, dict(memory.peak_mb), "stored build",
                                   clock.cpu, frame, memory.cpu_seconds)  # fmt: skip
            if current:  # another build replaced the stored one while this process validated
                frame, raw = load_manifest_and_texts(manifest)
            if runner is None:
                runner = stack.enter_context(Runner(scheduler, progress=progress, warm_up=warm_up))
            partitions = _partitions(raw, partition_bytes, runner.workers)
            done = _run_stages(runner, memory, frame, raw, partitions, concepts, periodisation)
            cpu = {stage: sum(part.cpu_seconds[stage] for part in done) for stage in PER_DOCUMENT_STAGES}
            clock.seconds |= _shared_out(runner.times.seconds.pop(PER_DOCUMENT), cpu)
            clock.cpu |= cpu
            del raw
            clock.next("write")  # from here on in this process: the tables put together, then written
            where = runner.where
            stack.close()  # the workers end before the tables are written: their memory is not needed any more
            tables = _tables(frame, done)
            del done
            _write_build(folder, tables, stamp)
            clock.next(None)
    _give_back_memory()
    return CorpusBuild(
        folder, stamp, False, clock.seconds, dict(memory.peak_mb), where, clock.cpu, frame, memory.cpu_seconds
    )


class _Clock:
    """Wall and CPU seconds (this process) of the stages run in this process, and the memory sampler's stage."""

    def __init__(self, memory: MemorySampler, stage: str):
        self.memory = memory
        self.seconds: dict[str, float] = {}
        self.cpu: dict[str, float] = {}
        self.stage: str | None = None
        self.began, self.cpu_began = 0.0, 0.0
        self.next(stage)

    def next(self, stage: str | None) -> None:
        """End the current stage (if any) and begin ``stage`` (None: none)."""
        now, cpu_now = time.perf_counter(), time.process_time()
        if self.stage is not None:
            self.seconds[self.stage] = now - self.began
            self.cpu[self.stage] = cpu_now - self.cpu_began
        self.stage, self.began, self.cpu_began = stage, now, cpu_now
        if stage is not None:
            self.memory.stage = stage


def _shared_out(elapsed: float, cpu: dict[str, float]) -> dict[str, float]:
    """The per-document stages' wall seconds: the tasks' elapsed time shared out by each stage's CPU seconds."""
    total = sum(cpu.values())
    return {stage: elapsed * spent / total if total else 0.0 for stage, spent in cpu.items()}


def _give_back_memory() -> None:
    """Return the memory the build's tables and texts held to the system, not only to this process's allocators.

    The tables arrive from the workers as pickled buffers and the texts are read as ``bytes``: freed,
    they stay in glibc's and Arrow's free lists, and the process that made the build (``fplang run``,
    which then waits for the chapters) kept about 2 GB of the full UN corpus's 6 GB budget.
    """
    gc.collect()
    pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):  # glibc only
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _run_stages(
    runner: Runner,
    memory: MemorySampler,
    frame: pd.DataFrame,
    raw: list[bytes],
    partitions: list[slice],
    concepts: object,
    periodisation: pd.DataFrame,
) -> list[stages.Partition]:
    """Every partition cleaned, segmented, counted and dated in one task (:func:`fplang.build.stages.partition`)."""
    sizes = [part.stop - part.start for part in partitions]
    memory.stage = "clean"
    inputs = [(frame.iloc[part].reset_index(drop=True), raw[part], concepts, periodisation) for part in partitions]
    return runner.map(PER_DOCUMENT, stages.partition, inputs, sizes)


def _tables(frame: pd.DataFrame, done: list[stages.Partition]) -> dict[str, pa.Table]:
    """The build's tables (:data:`TABLES`): the partitions' tables in partition order."""
    cleaned = [part.cleaned for part in done]
    joined = pa.concat_tables(
        [part.sentences for part in done]
        or [pa.schema([*stages.SCHEMAS["sentences"], *stages.SCHEMAS["dates"]]).empty_table()]
    )
    return {
        "documents": _documents_table(frame, cleaned, joined),
        "sentences": joined,
        "sentence_counts": _concat([part.counts for part in done], "sentence_counts"),
        "matches": _concat([part.matches for part in done], "matches"),
        "cleaning_report": _concat([c.report for c in cleaned], "cleaning_report"),
        "cleaned_texts": _concat([c.texts for c in cleaned], "cleaned_texts"),
    }


def _concat(tables: list[pa.Table], name: str) -> pa.Table:
    return pa.concat_tables(tables) if tables else stages.SCHEMAS[name].empty_table()


def _documents_table(manifest: pd.DataFrame, cleaned: list[stages.Cleaned], sentences: pa.Table) -> pa.Table:
    """One row a document, as :func:`fplang.corpus.prepare.prepare_corpus` gives it."""
    sizes = sentences.select(["doc_id", "tokens"]).group_by("doc_id", use_threads=False).aggregate(
        [("tokens", "sum"), ("tokens", "count")]
    ).to_pandas().set_index("doc_id")  # fmt: skip
    documents = manifest[["doc_id", "title", "published", "published_year", "doc_type", "outlet"]].copy()
    documents["tokens"] = documents["doc_id"].map(sizes["tokens_sum"]).fillna(0).astype("int64")
    documents["sentences"] = documents["doc_id"].map(sizes["tokens_count"]).fillna(0).astype("int64")
    documents["chars_raw"] = np.concatenate([part.chars_raw for part in cleaned] or [np.empty(0, np.int64)])
    lengths = [pa.compute.utf8_length(part.texts.column("text")).to_numpy() for part in cleaned]
    documents["chars_clean"] = np.concatenate(lengths or [np.empty(0, np.int64)]).astype("int64")
    for variable in document_variables(manifest):
        documents[variable] = manifest[variable].array
    return _plain_table(documents.reset_index(drop=True))


def _small_in_process(scheduler: object, manifest: Path) -> object:
    """The scheduler to use: a small corpus with none named is built in this process (starting workers costs more).

    Its size is guessed from the manifest's before the texts are validated, so that the workers can start
    while this process validates: a manifest line is about 300 bytes and a UN speech 18,000.
    """
    if scheduler not in (None, "") or os.environ.get(SCHEDULER_VARIABLE):
        return scheduler
    size = _texts_bytes(manifest)
    return "synchronous" if size < SMALL_CORPUS_BYTES else scheduler


def _texts_bytes(manifest: Path) -> int:
    """The texts' total size in bytes, as far as :data:`SMALL_CORPUS_BYTES` (a text that cannot be found counts 0)."""
    try:
        with open(manifest, encoding="utf-8-sig", newline="") as handle:
            paths = [{key.strip(): value for key, value in row.items() if key}.get("path") or ""
                     for row in csv.DictReader(handle)]  # fmt: skip
    except (OSError, ValueError, csv.Error):
        return 0
    size, folder = 0, manifest.parent
    for path in paths:
        with contextlib.suppress(OSError, ValueError):
            size += os.stat(folder / path.strip()).st_size
        if size >= SMALL_CORPUS_BYTES:
            break
    return size


def _partitions(raw: list[bytes], partition_bytes: int | None, workers: int) -> list[slice]:
    """Consecutive runs of documents of about ``partition_bytes`` each (never empty, never splitting a document).

    By default about :data:`PARTITION_BYTES`, and small enough that each worker gets four.
    """
    total = sum(map(len, raw))
    target = partition_bytes or max(64 * 1024, min(PARTITION_BYTES, total // (4 * workers) + 1))
    cuts, size = [0], 0
    for index, data in enumerate(raw):
        size += len(data)
        if size >= target and index + 1 < len(raw):
            cuts.append(index + 1)
            size = 0
    cuts.append(len(raw))
    return [slice(low, high) for low, high in zip(cuts, cuts[1:], strict=False) if high > low]


def _write_build(folder: Path, tables: dict[str, pa.Table], stamp: dict[str, object]) -> None:
    """Write every table to a temporary folder beside ``folder``, then put it in ``folder``'s place."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    temporary = folder.with_name(f".{folder.name}.{os.getpid()}.partial")
    shutil.rmtree(temporary, ignore_errors=True)
    temporary.mkdir()
    try:
        with ThreadPoolExecutor(3) as pool:
            list(pool.map(lambda item: _write_table(item[1], temporary / f"{item[0]}.parquet"), tables.items()))
        write_bytes(temporary / "stamp.json", stamp_bytes(stamp))
        old = folder.with_name(f".{folder.name}.{os.getpid()}.old")
        if folder.exists():
            os.replace(folder, old)
        os.replace(temporary, folder)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise


ROW_GROUP_ROWS = 1 << 20
"""Rows in a row group of the build's Parquet files."""


def _write_table(table: pa.Table, path: Path) -> None:
    """One table as Parquet, a row group at a time, each made one piece before it is written.

    A row group's bytes depend on how its rows are cut into chunks (the
    writer's pages end at chunk ends), so each is made contiguous: the file
    is the one ``pq.write_table(table.combine_chunks(), ...)`` writes, whatever
    the partitioning, without a copy of the whole table (the sentences of the
    UN corpus: about 1 GB) alive at once.

    Memory comes from the C library's allocator, not pyarrow's default
    (mimalloc): with the tables written by three threads at once, mimalloc
    spent about 2 CPU s more, mostly in the kernel, on the full UN corpus
    (5.1 against 2.8-3.9 CPU s).  The bytes written do not depend on the allocator.
    """
    pool = pa.system_memory_pool()
    with pq.ParquetWriter(path, table.schema, compression="zstd", write_statistics=False, memory_pool=pool) as writer:
        for offset in range(0, max(table.num_rows, 1), ROW_GROUP_ROWS):
            piece = table.slice(offset, ROW_GROUP_ROWS).combine_chunks(memory_pool=pool)
            writer.write_table(piece, row_group_size=ROW_GROUP_ROWS)


def _plain_table(frame: pd.DataFrame) -> pa.Table:
    """A small frame as Arrow, with types that depend on the columns only (text as strings, never null-typed)."""
    arrays, names = [], []
    for column in frame.columns:
        dtype = frame[column].dtype
        if pd.api.types.is_bool_dtype(dtype):
            kind = pa.bool_()
        elif pd.api.types.is_integer_dtype(dtype):
            kind = pa.int64()
        elif pd.api.types.is_float_dtype(dtype):
            kind = pa.float64()
        else:
            kind = pa.string()
        values = frame[column]
        if kind == pa.string():
            values = values.astype(object).where(values.notna(), None)
        arrays.append(pa.array(values, type=kind, from_pandas=True))
        names.append(str(column))
    return pa.Table.from_arrays(arrays, names=names)


@contextlib.contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold a lock on the build's folder: a second builder waits, then finds the build made."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    with open(folder.with_name(f".{folder.name}.lock"), "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
