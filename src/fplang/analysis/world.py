"""The world reference: each concept's yearly rate across every speech of the UN General Debate.

Chapter 6 sets Viet Nam and its peers against the whole Assembly.  Every speech
of the full corpus (1946-2024, all countries; :mod:`fplang.sources.ungdc` reads
it) is cleaned with the same rules as the committed subset and counted with
the same lexicon; ``fplang ungdc`` writes the result to
``data/world_reference.csv`` with a JSON sidecar recording its inputs.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pandas as pd

from fplang.corpus.clean import clean_text
from fplang.counting import count_concepts, load_lexicon
from fplang.errors import Problem, quoted
from fplang.files import csv_bytes, read_text_table, sha256_of_file
from fplang.sources.ungdc import DOC_TYPE, DOI_URL, OUTLET, REGENERATE_COMMAND, SOURCE_PARQUET, read_source
from fplang.tables import cell, row_problem, whole_number

WORLD_REFERENCE_COLUMNS: list[str] = ["year", "concept", "count", "tokens", "speeches", "rate_per_1000"]
"""Columns of :func:`world_reference`: one row a year and concept."""


def validate_world_reference(path: str | Path) -> list[Problem]:
    """Every problem with a world-reference table a run names; empty when chapter 6 can use it.

    It needs :data:`WORLD_REFERENCE_COLUMNS`, whole non-negative numbers in
    ``year`` (a four-digit year), ``count``, ``tokens`` and ``speeches``, and a
    concept in every row.
    """
    table, problems = read_text_table(path, WORLD_REFERENCE_COLUMNS, "world reference table")
    if table is None:
        return problems
    name = Path(path).name
    missing = [column for column in WORLD_REFERENCE_COLUMNS if column not in table.columns]
    if missing:
        needed = ", ".join(WORLD_REFERENCE_COLUMNS)
        return [Problem(name, message=f"missing column(s) {', '.join(missing)} (the table needs {needed})")]
    if table.empty:
        return [Problem(name, message="the table has no rows")]
    for position, record in enumerate(table.to_dict("records")):
        for column in ("year", "count", "tokens", "speeches"):
            value = whole_number(cell(record[column]))
            if value is None or value < 0 or (column == "year" and not 1 <= value <= 9999):
                wanted = "a whole number from 1 to 9999" if column == "year" else "a whole number, 0 or more"
                shown = quoted(cell(record[column]))
                problems.append(row_problem(name, position, f"{column}: {shown} is not {wanted}"))
        if not cell(record["concept"]):
            problems.append(row_problem(name, position, "concept: empty"))
        if len(problems) >= 20:
            problems.append(Problem(name, message="more problems follow; the first 20 are listed"))
            break
    return problems


def world_reference(source_dir: Path, lexicon_path: Path, *, workers: int | None = None) -> pd.DataFrame:
    """Each lexicon concept's yearly rate per 1,000 tokens across every speech of the full corpus.

    Every speech (1946-2024, all countries) is cleaned with the same rules as
    the subset (:func:`fplang.corpus.clean.clean_text` with the default rules and
    metadata ``doc_type: un_speech``), then counted with
    :func:`fplang.counting.count_concepts`.

    Returns
    -------
    pandas.DataFrame
        One row per year and concept (lexicon order within a year, zeros
        kept).  Columns: ``year`` (int64); ``concept`` (str, the lexicon key);
        ``count`` (int64, matches that year); ``tokens`` (int64, tokens of
        all that year's cleaned speeches); ``speeches`` (int64);
        ``rate_per_1000`` (float64, ``count / tokens * 1000``).

    Cleaning the 10,952 speeches dominates the run time; it is spread over
    ``workers`` processes (default: one per CPU), which changes nothing in
    the result.
    """
    lexicon = load_lexicon(lexicon_path)
    speeches, _, _ = read_source(Path(source_dir))
    speeches = speeches.sort_values(["year", "iso3"], kind="stable").reset_index(drop=True)
    doc_ids = [f"un_{iso3}_{year}" for iso3, year in zip(speeches["iso3"], speeches["year"], strict=True)]
    cleaned = pd.Series(
        clean_speeches(speeches["text"].tolist(), workers=workers), index=doc_ids, dtype="string"
    )
    counts = count_concepts(cleaned, lexicon)
    counts["year"] = counts["doc_id"].map(dict(zip(doc_ids, speeches["year"], strict=True)))
    per_doc = counts.drop_duplicates("doc_id")
    yearly_tokens = per_doc.groupby("year")["n_tokens"].sum()
    yearly_speeches = per_doc.groupby("year").size()
    frame = (
        counts.groupby(["year", "concept"], observed=False, sort=True)["count"].sum().reset_index()
    )
    frame["concept"] = frame["concept"].astype(str)
    frame["tokens"] = frame["year"].map(yearly_tokens).astype("int64")
    frame["speeches"] = frame["year"].map(yearly_speeches).astype("int64")
    frame["count"] = frame["count"].astype("int64")
    frame["year"] = frame["year"].astype("int64")
    frame["rate_per_1000"] = frame["count"] / frame["tokens"] * 1000.0
    order = {key: i for i, key in enumerate(lexicon.concept_keys)}
    frame = frame.sort_values(["year", "concept"], key=lambda s: s.map(order) if s.name == "concept" else s)
    return frame[WORLD_REFERENCE_COLUMNS].reset_index(drop=True)


SPEECH_METADATA: dict[str, str] = {"doc_type": DOC_TYPE, "outlet": OUTLET, "source_url": DOI_URL}
"""What the subset's manifest gives every speech, so rules keyed on any of it apply alike."""


def clean_speeches(texts: Sequence[str], *, workers: int | None = None) -> list[str]:
    """UN speeches cleaned with the default rules, as the corpus pipeline cleans the subset.

    ``workers`` processes share the work (default: one per CPU; 1 runs in
    this process); the result is the same list, in input order.
    """
    workers = (os.cpu_count() or 1) if workers is None else workers
    if workers <= 1 or len(texts) < 2:
        return [_clean_speech(text) for text in texts]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_clean_speech, texts, chunksize=max(1, len(texts) // (workers * 20))))


def _clean_speech(text: str) -> str:
    return clean_text(text, SPEECH_METADATA)[0]


def world_reference_files(frame: pd.DataFrame, source_sha256: str, lexicon_path: Path) -> dict[str, bytes]:
    """The world reference CSV and its sidecar JSON, as bytes (``csv``, ``json``).

    The JSON records what the table was computed from: the input parquet's
    and the lexicon's SHA-256, the number of speeches and tokens.
    """
    lexicon_path = Path(lexicon_path)
    per_year = frame.drop_duplicates("year")
    sidecar = {
        "description": "Yearly rate per 1,000 tokens of each lexicon concept across every speech of "
        "the UN General Debate Corpus, cleaned with fplang's default rules (UN record rules "
        "included) and counted with fplang.counting.count_concepts.",
        "columns": WORLD_REFERENCE_COLUMNS,
        "source": SOURCE_PARQUET,
        "source_doi": DOI_URL,
        "source_sha256": source_sha256,
        "lexicon": lexicon_path.name,
        "lexicon_sha256": sha256_of_file(lexicon_path),
        "years": [int(per_year["year"].min()), int(per_year["year"].max())],
        "speeches": int(per_year["speeches"].sum()),
        "tokens": int(per_year["tokens"].sum()),
        "command": REGENERATE_COMMAND,
    }
    return {
        "csv": csv_bytes(frame, float_format="%.6g"),
        "json": (json.dumps(sidecar, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"),
    }
