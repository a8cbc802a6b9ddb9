"""From a manifest to the tables every chapter starts from.

``prepare_corpus`` validates the manifest (stopping before any work when it
is not usable), reads the raw texts, cleans and segments them, and returns
one :class:`Corpus`.  ``write_processed`` stores its tables as Parquet in an
output folder, atomically and reproducibly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pyarrow as pa

from fplang.corpus.clean import clean_corpus, cleaning_summary
from fplang.corpus.manifest import document_variables, load_manifest, read_texts
from fplang.corpus.segment import segment_corpus
from fplang.files import write_parquet

DOCUMENT_COLUMNS = [
    "doc_id",
    "title",
    "published",
    "published_year",
    "doc_type",
    "outlet",
    "tokens",
    "sentences",
    "chars_raw",
    "chars_clean",
]
"""The first columns of :attr:`Corpus.documents`; document variables follow."""


@dataclass(frozen=True)
class Corpus:
    """A cleaned, segmented corpus and the record of how it was made.

    Attributes
    ----------
    manifest
        The validated manifest (:func:`fplang.corpus.manifest.load_manifest`).
    raw
        Raw text by ``doc_id``, exactly as stored.
    cleaned
        Cleaned text by ``doc_id``.
    cleaning_report
        One row a removed span (:data:`fplang.corpus.clean.REPORT_COLUMNS`).
    sentences
        One row a sentence (:data:`fplang.corpus.segment.SENTENCE_COLUMNS`) with the
        document's ``published`` and ``published_year`` added.
    documents
        One row a document: :data:`DOCUMENT_COLUMNS` and the document variables.
    """

    manifest: pd.DataFrame
    raw: pd.Series
    cleaned: pd.Series
    cleaning_report: pd.DataFrame
    sentences: pd.DataFrame
    documents: pd.DataFrame

    @property
    def variables(self) -> list[str]:
        """The manifest's document variables (its extra columns)."""
        return document_variables(self.manifest)

    def without(self, doc_ids: list[str] | tuple[str, ...]) -> Corpus:
        """The same corpus less some documents (to test whether a finding depends on them)."""
        keep = ~self.manifest["doc_id"].isin(doc_ids)
        kept = set(self.manifest.loc[keep, "doc_id"])
        return Corpus(
            manifest=self.manifest[keep].reset_index(drop=True),
            raw=self.raw[self.raw.index.isin(kept)],
            cleaned=self.cleaned[self.cleaned.index.isin(kept)],
            cleaning_report=self.cleaning_report[self.cleaning_report["doc_id"].isin(kept)],
            sentences=self.sentences[self.sentences["doc_id"].isin(kept)].reset_index(drop=True),
            documents=self.documents[self.documents["doc_id"].isin(kept)].reset_index(drop=True),
        )


def documents_cleaning_summary(documents: pd.DataFrame, report: pd.DataFrame) -> pd.DataFrame:
    """:func:`fplang.corpus.clean.cleaning_summary` from the documents table, without reading any text.

    :attr:`Corpus.documents` holds each document's characters before and
    after cleaning, so the summary needs neither the raw nor the cleaned texts
    (about 800 MB as Python strings for the 10,952 UN General Debate speeches).
    """
    summary = documents[["doc_id", "chars_raw", "chars_clean"]].reset_index(drop=True).astype(
        {"chars_raw": "int64", "chars_clean": "int64"}
    )
    summary["chars_removed"] = summary["chars_raw"] - summary["chars_clean"]
    summary["share_removed"] = summary["chars_removed"] / summary["chars_raw"]
    by_doc = report.groupby("doc_id", sort=False)
    rules = by_doc["rule"].agg(lambda names: ", ".join(dict.fromkeys(names)))
    summary["spans"] = summary["doc_id"].map(by_doc.size()).fillna(0).astype("int64")
    summary["rules"] = summary["doc_id"].map(rules).fillna("")
    return summary


def prepare_corpus(manifest_path: str | Path, select: Mapping[str, Sequence[object]] | None = None) -> Corpus:
    """Validate, read, clean and segment the corpus a manifest describes.

    ``select`` keeps only the documents whose manifest columns take one of the
    listed values (``{"iso3": ["VNM"]}``), so a chapter can work on part of a
    large collection without cleaning all of it.  The whole manifest is still
    validated first.

    Raises :class:`fplang.corpus.manifest.CorpusError` (listing every problem) before
    any text is cleaned if the manifest or a text is not usable, and
    ``KeyError`` naming a ``select`` column the manifest lacks.
    """
    manifest = load_manifest(manifest_path)
    for column, values in (select or {}).items():
        if column not in manifest.columns:
            raise KeyError(f"{Path(manifest_path).name} has no column {column!r} to select on")
        manifest = manifest[manifest[column].isin(list(values))].reset_index(drop=True)
    raw = read_texts(manifest)
    cleaned, report = clean_corpus(manifest, raw)
    sentences = segment_corpus(cleaned)
    dates = manifest.set_index("doc_id")[["published", "published_year"]]
    sentences = sentences.join(dates, on="doc_id")
    documents = _documents_table(manifest, raw, cleaned, report, sentences)
    return Corpus(manifest, raw, cleaned, report, sentences, documents)


def write_processed(corpus: Corpus, out_dir: str | Path) -> dict[str, Path]:
    """Store the corpus tables as Parquet in ``out_dir``; returns name -> path.

    Files: ``documents.parquet``, ``sentences.parquet``,
    ``cleaning_report.parquet`` and ``cleaned_texts.parquet`` (doc_id, text).
    """
    out_dir = Path(out_dir)
    tables = {
        "documents": corpus.documents,
        "sentences": corpus.sentences,
        "cleaning_report": corpus.cleaning_report,
        "cleaned_texts": corpus.cleaned.rename("text").reset_index(),
    }
    return {name: write_processed_frame(frame, out_dir / f"{name}.parquet") for name, frame in tables.items()}


def write_processed_frame(frame: pd.DataFrame, path: str | Path) -> Path:
    """One table as :func:`write_processed` writes it: object columns as strings, atomically, reproducibly."""
    return write_parquet(_plain_dtypes(frame), path)


def _documents_table(
    manifest: pd.DataFrame,
    raw: pd.Series,
    cleaned: pd.Series,
    report: pd.DataFrame,
    sentences: pd.DataFrame,
) -> pd.DataFrame:
    summary = cleaning_summary(raw, cleaned, report).set_index("doc_id")
    per_doc = sentences.groupby("doc_id", sort=False).agg(
        tokens=("tokens", "sum"), sentences=("sentence_id", "size")
    )
    documents = manifest[["doc_id", "title", "published", "published_year", "doc_type", "outlet"]].copy()
    documents = documents.join(per_doc, on="doc_id").join(summary[["chars_raw", "chars_clean"]], on="doc_id")
    documents[["tokens", "sentences"]] = documents[["tokens", "sentences"]].fillna(0).astype("int64")
    for variable in document_variables(manifest):
        documents[variable] = manifest[variable].array
    return documents.reset_index(drop=True)


def processed_schema(schema: pa.Schema) -> pa.Schema:
    """The schema :func:`write_processed` gives a table whose columns have the Arrow types of ``schema``.

    With the pandas metadata it writes (text columns read back as pandas
    strings), so that a table copied as Arrow reads back as the frame would.
    """
    empty = _plain_dtypes(schema.empty_table().to_pandas())
    return pa.Schema.from_pandas(empty, preserve_index=False)


def _plain_dtypes(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns as strings so Parquet types do not depend on the values seen."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object:
            frame[column] = frame[column].astype("string")
    return frame
