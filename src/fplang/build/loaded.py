"""A chapter's corpus, read from the corpus build instead of cleaned again from the raw texts.

:func:`load_corpus` is :func:`fplang.corpus.prepare_corpus` for chapters: the
same :class:`~fplang.corpus.prepare.Corpus` (documents, sentences, cleaned
texts, cleaning report, manifest, raw texts), read from the build's Parquet
tables, made first if no current build exists.  The book, ``fplang run`` and
a chapter run alone with papermill all call it with the chapter's ``out_dir``,
so whoever comes first builds and the rest read.

A chapter that has no lexicon or periods parameter of its own (chapters 1 and 5)
takes whatever stored build matches its manifest, texts and code: the cleaned
texts and sentences do not depend on the lexicon or the periods, and building
the same corpus again with the book's defaults would replace the run's own build.
Only when no such build exists is one made with the book's lexicon and periods.

:class:`BuiltCorpus` adds what the build also holds: each sentence's dates
(:meth:`BuiltCorpus.dated_sentences`, the table :func:`fplang.periods.attribute_periods`
gives) — a chapter reads them instead of dating every sentence again.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from fplang.build.corpus_build import build_corpus, build_folder
from fplang.build.stages import DATE_COLUMNS
from fplang.build.stamp import files_stamp, make_stamp, read_stamp
from fplang.corpus.manifest import document_variables, load_manifest, read_texts
from fplang.corpus.prepare import Corpus, processed_schema, write_processed_frame
from fplang.files import write_atomic
from fplang.paths import DATA_DIR

SENTENCE_KEY = ["doc_id", "sentence_id"]


class BuiltCorpus(Corpus):
    """A :class:`Corpus` read from a corpus build, each table when first asked for, with each sentence's dates.

    A chapter reads only what it uses: on all 10,952 UN speeches the raw
    texts, cleaned texts, cleaning report and sentence dates take about 350,
    460, 550 and 410 MB as pandas objects, and most chapters need none of the
    first three.  Each table is read from the build's Parquet file once, and
    only for the corpus's documents (a selection or :meth:`without` filters as
    it reads), so it holds no more than the :class:`Corpus` ``prepare_corpus``
    would give.
    """

    folder: Path
    _doc_ids: frozenset[str] | None

    def __init__(self, folder: Path, manifest: pd.DataFrame, doc_ids: frozenset[str] | None = None):
        """The build in ``folder`` for the documents of ``manifest`` (all of the build's when ``doc_ids`` is None)."""
        object.__setattr__(self, "folder", folder)
        object.__setattr__(self, "manifest", manifest)
        object.__setattr__(self, "_doc_ids", doc_ids)

    def __repr__(self) -> str:
        """Names the build and the number of documents, without reading any table."""
        return f"BuiltCorpus({str(self.folder)!r}, {len(self.manifest)} documents)"

    def _read(self, name: str, columns: list[str] | None = None) -> pd.DataFrame:
        """One of the build's tables, only the rows of this corpus's documents."""
        wanted = None if self._doc_ids is None else [("doc_id", "in", sorted(self._doc_ids))]
        return pd.read_parquet(self.folder / f"{name}.parquet", columns=columns, filters=wanted)

    @cached_property
    def raw(self) -> pd.Series:
        return read_texts(self.manifest)

    @cached_property
    def cleaned(self) -> pd.Series:
        cleaned = self._read("cleaned_texts")
        return pd.Series(cleaned["text"].to_numpy(), index=cleaned["doc_id"], name="text", dtype="string").rename_axis(
            "doc_id"
        )

    @cached_property
    def cleaning_report(self) -> pd.DataFrame:
        return self._read("cleaning_report")

    @cached_property
    def sentences(self) -> pd.DataFrame:
        return self._read("sentences", [name for name in _sentence_columns(self.folder) if name not in DATE_COLUMNS])

    @cached_property
    def documents(self) -> pd.DataFrame:
        """The build's documents, the document variables with the manifest's types (``Int64``, ``boolean``).

        Parquet written from Arrow keeps no pandas types: an integer variable
        with a gap would come back as floats, and ``congress == 14`` would
        compare "14.0" with "14".
        """
        documents = self._read("documents")
        by_id = self.manifest.set_index("doc_id")
        for variable in document_variables(self.manifest):
            documents[variable] = by_id[variable].reindex(documents["doc_id"]).array
        return documents

    @cached_property
    def dates(self) -> pd.DataFrame:
        """Each sentence's dates: doc_id, sentence_id and :data:`fplang.build.stages.DATE_COLUMNS`."""
        return self._read("sentences", [*SENTENCE_KEY, *DATE_COLUMNS])

    def dated_sentences(self) -> pd.DataFrame:
        """The sentences with their dates: what ``attribute_periods(self.sentences, periods)`` returns.

        The dates are those of the periods table the build was made with.
        """
        dates = self.dates.drop(columns=SENTENCE_KEY)
        return pd.concat([self.sentences, dates.set_axis(self.sentences.index)], axis=1)

    def write_processed(self, out_dir: str | Path) -> dict[str, Path]:
        """The tables :func:`fplang.corpus.write_processed` writes, copied from the build as Arrow tables.

        The same files (documents, sentences without their dates, cleaning
        report, cleaned texts), without turning millions of sentences into
        Python strings and back: the three large tables one at a time, as
        Arrow, filtered to this corpus's documents.
        """
        wanted = None if self._doc_ids is None else [("doc_id", "in", sorted(self._doc_ids))]
        written = {"documents": write_processed_frame(self.documents, Path(out_dir) / "documents.parquet")}
        for name in ("sentences", "cleaning_report", "cleaned_texts"):
            source = self.folder / f"{name}.parquet"
            columns = [c for c in pq.read_schema(source).names if name != "sentences" or c not in DATE_COLUMNS]
            table = pq.read_table(source, columns=columns, filters=wanted)
            written[name] = _copy_parquet(table, Path(out_dir) / f"{name}.parquet")
        return written

    def without(self, doc_ids: list[str] | tuple[str, ...]) -> BuiltCorpus:
        """The same corpus less some documents, dates included (read from the build when asked for)."""
        keep = ~self.manifest["doc_id"].isin(doc_ids)
        kept = frozenset(self.manifest.loc[keep, "doc_id"])
        return BuiltCorpus(self.folder, self.manifest[keep].reset_index(drop=True), kept)


def _copy_parquet(table: pa.Table, path: Path) -> Path:
    """Write ``table`` as :func:`fplang.files.write_parquet` writes a frame: atomically, zstd, no statistics."""
    schema = processed_schema(table.schema)
    table = table.cast(schema).replace_schema_metadata(schema.metadata)
    return write_atomic(path, lambda tmp: pq.write_table(table, tmp, compression="zstd", write_statistics=False))


def _sentence_columns(folder: Path) -> list[str]:
    """The columns of the build's sentences table, in order."""
    return pq.read_schema(folder / "sentences.parquet").names


def load_corpus(
    manifest: str | Path,
    out_dir: str | Path,
    *,
    lexicon: str | Path | None = None,
    periods: str | Path | None = None,
    select: Mapping[str, Sequence[object]] | None = None,
    scheduler: object = None,
    progress: bool = False,
) -> BuiltCorpus:
    """The corpus of ``manifest`` as its build under ``out_dir`` holds it (built first if needed).

    ``select`` keeps only the documents whose manifest columns take one of the
    listed values (``{"iso3": ["VNM"]}``); the whole manifest is built, so the
    build is shared with the chapters that read all of it.  Raises what
    :func:`fplang.build.build_corpus` raises, and ``KeyError`` naming a
    ``select`` column the manifest lacks.
    """
    manifest = Path(manifest)
    both_given = lexicon is not None and periods is not None
    current = None if both_given else _current_build(manifest, out_dir, lexicon, periods)
    if current is None:
        built = build_corpus(
            manifest, lexicon or DATA_DIR / "lexicon.yml", periods or DATA_DIR / "periods.csv", out_dir,
            scheduler=scheduler, progress=progress,
        )  # fmt: skip
        assert built.manifest is not None
        current = built.folder, built.manifest
    corpus = BuiltCorpus(*current)
    unwanted = _unselected(corpus.manifest, select or {}, manifest.name)
    return corpus.without(unwanted) if unwanted else corpus


def _current_build(
    manifest: Path, out_dir: str | Path, lexicon: str | Path | None, periods: str | Path | None
) -> tuple[Path, pd.DataFrame] | None:
    """The stored build of ``manifest`` if its manifest, texts and code are today's, and the lexicon or periods given.

    A lexicon or periods table left out (None) may be any.  With the build's folder comes the validated
    manifest: validation checks every text's sha256 against the manifest's, so those are the texts' own.
    """
    folder = build_folder(manifest, out_dir)
    stored = read_stamp(folder / "stamp.json")
    if stored is None:
        return None
    keys = ["manifest_sha256", "package_sha256", "stamp_version", "texts_sha256", "n_texts"]
    keys += ["lexicon_sha256"] * (lexicon is not None) + ["periods_sha256"] * (periods is not None)
    files = files_stamp(manifest, Path(lexicon or DATA_DIR / "lexicon.yml"), Path(periods or DATA_DIR / "periods.csv"))
    if any(stored.get(key) != files[key] for key in keys if key in files):
        return None
    frame = load_manifest(manifest)
    today = make_stamp(files, dict(zip(frame["doc_id"], frame["sha256"], strict=True)))
    return (folder, frame) if all(stored.get(key) == today[key] for key in keys) else None


def _unselected(manifest: pd.DataFrame, select: Mapping[str, Sequence[object]], name: str) -> list[str]:
    """The doc_ids ``select`` leaves out."""
    keep = pd.Series(True, index=manifest.index)
    for column, values in select.items():
        if column not in manifest.columns:
            raise KeyError(f"{name} has no column {column!r} to select on")
        keep &= manifest[column].isin(list(values))
    return manifest.loc[~keep, "doc_id"].tolist()
