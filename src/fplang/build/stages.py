"""The per-document stages of the corpus build, each a pure function of one partition of documents.

Every stage takes a partition (a few hundred documents, in manifest order) and
returns Arrow tables for it alone; :mod:`fplang.build.parallel` runs them as
Dask tasks and :mod:`fplang.build.corpus_build` concatenates the partitions in
order.  Nothing here depends on which other documents share a partition, and
every table has a fixed schema (:data:`SCHEMAS`), so the tables are the same
whatever the partitioning and wherever a task runs.  Arrow tables travel
between processes as a few buffers, not as millions of Python strings.

Stages, in order: **clean** (decode the raw bytes, apply the cleaning rules),
**segment** (sentences, with their token counts), **count** (each concept's
count in each sentence, and every match), **date** (the two dates of every
sentence, :mod:`fplang.periods.attribution`).  :func:`partition` runs all four
on one partition in one task, so a partition's sentences never travel between
processes between stages; it measures the CPU seconds of each.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from fplang.corpus.clean import clean_texts
from fplang.corpus.segment import segment_texts
from fplang.counting import Lexicon, scan_texts
from fplang.periods import DATE_COLUMNS as ATTRIBUTED_DATES
from fplang.periods.attribution import date_columns, published_years
from fplang.periods.table import period_facts

_TEXT, _INT, _BOOL = pa.string(), pa.int64(), pa.bool_()
_ARROW_TYPE = {"int64": _INT, "object": _TEXT, "bool": _BOOL}
"""The Arrow type of each pandas dtype :data:`fplang.periods.DATE_COLUMNS` names."""

SCHEMAS: dict[str, pa.Schema] = {
    "cleaned_texts": pa.schema([("doc_id", _TEXT), ("text", _TEXT)]),
    "cleaning_report": pa.schema(
        [("doc_id", _TEXT), ("rule", _TEXT), ("position", _INT), ("removed", _TEXT), ("replaced_by", _TEXT),
         ("chars_removed", _INT)]
    ),  # fmt: skip
    "sentences": pa.schema(
        [("doc_id", _TEXT), ("sentence_id", _INT), ("paragraph_id", _INT), ("start", _INT), ("end", _INT),
         ("text", _TEXT), ("tokens", _INT), ("published", _TEXT), ("published_year", _INT)]
    ),  # fmt: skip
    "dates": pa.schema([(column, _ARROW_TYPE[dtype]) for column, dtype in ATTRIBUTED_DATES]),
    "sentence_counts": pa.schema([("doc_id", _TEXT), ("sentence_id", _INT), ("concept", _TEXT), ("count", _INT)]),
    "matches": pa.schema(
        [("doc_id", _TEXT), ("sentence_id", _INT), ("concept", _TEXT), ("pattern", _TEXT), ("start", _INT),
         ("end", _INT), ("text", _TEXT)]
    ),  # fmt: skip
}
"""The schema of every table a stage returns (``dates`` are the columns the date stage adds to ``sentences``)."""

DATE_COLUMNS = SCHEMAS["dates"].names
"""Columns the date stage adds to each sentence: those :func:`fplang.periods.attribute_periods` adds, in its order."""


@dataclass(frozen=True)
class Cleaned:
    """One partition after cleaning: the texts, the removed spans, and each raw text's length in characters."""

    texts: pa.Table
    report: pa.Table
    chars_raw: np.ndarray


@dataclass(frozen=True)
class Partition:
    """One partition after every stage: its tables, and the CPU seconds each stage took (this process, all threads).

    ``sentences`` holds the date columns (:data:`DATE_COLUMNS`) after the sentences' own.
    """

    cleaned: Cleaned
    sentences: pa.Table
    counts: pa.Table
    matches: pa.Table
    cpu_seconds: dict[str, float] = dataclasses.field(default_factory=dict)


def partition(manifest: pd.DataFrame, raw: list[bytes], lexicon: Lexicon, periods: pd.DataFrame) -> Partition:
    """Clean, segment, count and date one partition in this process (one task: nothing is shipped between stages)."""
    cpu: dict[str, float] = {}
    clock = time.process_time()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.process_time()
        cpu[stage] = now - clock
        clock = now

    cleaned = clean(manifest, raw)
    lap("clean")
    sentences = segment(cleaned.texts, manifest["published"].tolist())
    lap("segment")
    counts, matches = count(sentences, lexicon)
    lap("count")
    dates = date(sentences, periods)
    sentences = pa.Table.from_arrays(
        [*sentences.columns, *dates.columns], names=[*sentences.column_names, *dates.column_names]
    )
    lap("date")
    return Partition(cleaned, sentences, counts, matches, cpu)


WARM_UP_TEXT = (
    "1. The Socialist Republic of Viet Nam calls for peace, independence and cooperation.\n\n"
    "Ten years ago, in 1995, it joined ASEAN; in the past decade it has worked for development.\n"
)
"""A document on which :func:`warm_up` runs every stage."""

WARM_UP_TEXTS = (
    WARM_UP_TEXT,
    WARM_UP_TEXT.replace("; in the past", " \u2014 in the past"),
    WARM_UP_TEXT.replace("ASEAN", "ASEAN \U0001d538"),
)
"""The warm-up document as Python stores each kind of text: one byte a character, two ("—"), four ("𝔸").

The kernels that read a ``str`` where it lies are compiled once per kind, so
each is loaded before a partition holds a text of that kind.
"""


def warm_up(lexicon: Lexicon, periods: pd.DataFrame) -> None:
    """Run every stage once on small documents, in a worker that has just started, before its first task.

    The first call of each stage in a process loads numba's cached machine code
    and builds the code-point tables (cleaning and counting), about 9 s of the
    first cleaning task and 4 s of the first counting task in a worker, measured
    on the full UN corpus; done while the client validates, it is off the path.
    """
    from fplang.corpus.manifest import REQUIRED_COLUMNS

    row = dict.fromkeys(REQUIRED_COLUMNS, "") | {"published": "2000-01-01", "published_year": 2000}
    manifest = pd.DataFrame([row | {"doc_id": f"warm-up-{n}", "doc_type": "un_speech"} for n in range(3)])
    partition(manifest, [text.encode("utf-8") for text in WARM_UP_TEXTS], lexicon, periods)


def clean(manifest: pd.DataFrame, raw: list[bytes]) -> Cleaned:
    """Decode each document's bytes (checked against their sha256 before) and clean it.

    The texts and the removed spans go to Arrow as lists, not through pandas
    (a ``string`` column cost more than a second on the full UN corpus), and
    each span's length is counted by Arrow (``utf8_length``: code points, as ``len``).
    """
    decoded = [data.decode("utf-8") for data in raw]
    cleaned, spans = clean_texts(manifest, decoded)
    removed, replaced_by = pa.array(spans["removed"], _TEXT), pa.array(spans["replaced_by"], _TEXT)
    chars_removed = pc.subtract(pc.utf8_length(removed).cast(_INT), pc.utf8_length(replaced_by).cast(_INT))
    report = [
        pa.array(spans["doc_id"], _TEXT), pa.array(spans["rule"], _TEXT), pa.array(spans["position"], _INT),
        removed, replaced_by, chars_removed,
    ]  # fmt: skip
    return Cleaned(
        table({"doc_id": [str(doc_id) for doc_id in manifest["doc_id"]], "text": cleaned}, "cleaned_texts"),
        pa.Table.from_arrays(report, schema=SCHEMAS["cleaning_report"]),
        np.fromiter(map(len, decoded), dtype=np.int64, count=len(decoded)),
    )


def segment(texts: pa.Table, published: list[str]) -> pa.Table:
    """Sentences of the cleaned texts (:func:`fplang.corpus.segment.segment_texts`) with their document's date.

    Built column by column in Arrow: a document's id and date are taken once
    per sentence by index, and the sentences' text is cut from the cleaned
    texts' buffer, so no Python object is made per sentence.
    """
    found = segment_texts(texts.column("text"))
    document = pa.array(found.text_index)
    dates = pa.array(published, type=_TEXT)
    years = pd.Series(published, dtype=object).str.slice(0, 4).astype("int64").to_numpy()
    columns = [
        texts.column("doc_id").take(document), found.sentence_id, found.paragraph_id, found.start, found.end,
        found.text, found.tokens, dates.take(document), years[found.text_index],
    ]  # fmt: skip
    return pa.Table.from_arrays([_arrow(column) for column in columns], schema=SCHEMAS["sentences"])


def count(sentences: pa.Table, lexicon: Lexicon) -> tuple[pa.Table, pa.Table]:
    """Each concept's count in each sentence (zeros left out) and every match, traceable to its sentence.

    Sentences are counted one by one, as the chapters always have: a pattern
    never matches across a sentence boundary, also where no punctuation marks it.
    One pass of the scanner gives the counts and the matches, in one thread
    (each core runs a task of its own); the columns are taken by index from
    the sentences' and the lexicon's, with no Python object per row.
    """
    _, _, found = scan_texts(sentences.column("text"), lexicon, threads=1)
    keys = lexicon.concept_keys
    concept_of_pattern = np.array([keys.index(pattern.concept) for pattern in lexicon.patterns], dtype=np.int64)
    concept = concept_of_pattern[found.pattern_index]
    # a (sentence, concept) count is its number of matches: the nonzero counts in row-major order, as np.nonzero gives
    cell, n = np.unique(found.text_index * max(len(keys), 1) + concept, return_counts=True)
    row, column = np.divmod(cell, max(len(keys), 1))
    doc_ids, sentence_ids = sentences.column("doc_id"), sentences.column("sentence_id").to_numpy()
    concepts = pa.array(keys, type=_TEXT)
    patterns = pa.array([pattern.text for pattern in lexicon.patterns], type=_TEXT)
    counted = [doc_ids.take(row), sentence_ids[row], concepts.take(column), n.astype(np.int64)]
    matches = [
        doc_ids.take(found.text_index), sentence_ids[found.text_index],
        concepts.take(concept), patterns.take(found.pattern_index),
        found.starts, found.ends, found.text,
    ]  # fmt: skip
    return (
        pa.Table.from_arrays([_arrow(column) for column in counted], schema=SCHEMAS["sentence_counts"]),
        pa.Table.from_arrays([_arrow(column) for column in matches], schema=SCHEMAS["matches"]),
    )


def date(sentences: pa.Table, periods: pd.DataFrame) -> pa.Table:
    """The date columns of each sentence (:data:`DATE_COLUMNS`), in the sentences' order."""
    years = published_years(sentences.column("published"))
    columns = date_columns(sentences.column("text"), years, period_facts(periods))
    return pa.Table.from_arrays(
        [pa.array(columns[field.name], type=field.type) for field in SCHEMAS["dates"]], schema=SCHEMAS["dates"]
    )


def _arrow(values: object) -> pa.Array | pa.ChunkedArray:
    """An Arrow column from a numpy array (without a copy) or an Arrow array."""
    return values if isinstance(values, pa.Array | pa.ChunkedArray) else pa.array(values)


def table(columns: pd.DataFrame | dict[str, object], name: str) -> pa.Table:
    """``columns`` as an Arrow table of the stage's fixed schema :data:`SCHEMAS` ``[name]``."""
    schema = SCHEMAS[name]
    arrays = []
    for field in schema:
        values = columns[field.name]
        values = values.to_numpy(dtype=object) if isinstance(values, pd.Series) and field.type == _TEXT else values
        arrays.append(pa.array(values, type=field.type, from_pandas=True))
    return pa.Table.from_arrays(arrays, schema=schema)
