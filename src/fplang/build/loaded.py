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
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from fplang.build.corpus_build import build_corpus, build_folder
from fplang.build.stages import DATE_COLUMNS
from fplang.build.stamp import files_stamp, make_stamp, read_stamp
from fplang.corpus.manifest import load_manifest, read_texts
from fplang.corpus.prepare import Corpus
from fplang.files import sha256_of_file
from fplang.paths import DATA_DIR

SENTENCE_KEY = ["doc_id", "sentence_id"]


@dataclass(frozen=True)
class BuiltCorpus(Corpus):
    """A :class:`Corpus` read from a corpus build, with each sentence's dates (``doc_id``, ``sentence_id``, dates)."""

    dates: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=[*SENTENCE_KEY, *DATE_COLUMNS]))
    folder: Path | None = None

    def dated_sentences(self) -> pd.DataFrame:
        """The sentences with their dates: what ``attribute_periods(self.sentences, periods)`` returns.

        The dates are those of the periods table the build was made with.
        """
        dates = self.dates.drop(columns=SENTENCE_KEY)
        return pd.concat([self.sentences, dates.set_axis(self.sentences.index)], axis=1)

    def without(self, doc_ids: list[str] | tuple[str, ...]) -> BuiltCorpus:
        """The same corpus less some documents, dates included."""
        kept = Corpus.without(self, doc_ids)
        dates = self.dates[self.dates["doc_id"].isin(set(kept.documents["doc_id"]))].reset_index(drop=True)
        return BuiltCorpus(**vars(kept), dates=dates, folder=self.folder)


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
    folder = None if both_given else _current_build(manifest, out_dir, lexicon, periods)
    if folder is None:
        folder = build_corpus(
            manifest, lexicon or DATA_DIR / "lexicon.yml", periods or DATA_DIR / "periods.csv", out_dir,
            scheduler=scheduler, progress=progress,
        ).folder  # fmt: skip
    corpus = _read_build(folder, load_manifest(manifest))
    unwanted = _unselected(corpus.manifest, select or {}, manifest.name)
    return corpus.without(unwanted) if unwanted else corpus


def _current_build(
    manifest: Path, out_dir: str | Path, lexicon: str | Path | None, periods: str | Path | None
) -> Path | None:
    """The stored build of ``manifest`` if its manifest, texts and code are today's, and the lexicon or periods given.

    A lexicon or periods table left out (None) may be any.
    """
    folder = build_folder(manifest, out_dir)
    stored = read_stamp(folder / "stamp.json")
    if stored is None:
        return None
    keys = ["manifest_sha256", "package_sha256", "stamp_version", "texts_sha256", "n_texts"]
    keys += ["lexicon_sha256"] * (lexicon is not None) + ["periods_sha256"] * (periods is not None)
    files = files_stamp(manifest, Path(lexicon or DATA_DIR / "lexicon.yml"), Path(periods or DATA_DIR / "periods.csv"))
    frame = load_manifest(manifest)
    texts = {doc_id: sha256_of_file(Path(file)) for doc_id, file in zip(frame["doc_id"], frame["file"], strict=True)}
    today = make_stamp(files, texts)
    return folder if all(stored.get(key) == today[key] for key in keys) else None


def _read_build(folder: Path, manifest: pd.DataFrame) -> BuiltCorpus:
    """The build's tables as the :class:`Corpus` ``prepare_corpus`` would give for ``manifest``."""
    table = lambda name: pd.read_parquet(folder / f"{name}.parquet")  # noqa: E731
    sentences = table("sentences")
    cleaned = table("cleaned_texts")
    return BuiltCorpus(
        manifest=manifest,
        raw=read_texts(manifest),
        cleaned=pd.Series(cleaned["text"].to_numpy(), index=cleaned["doc_id"], name="text", dtype="string")
        .rename_axis("doc_id"),
        cleaning_report=table("cleaning_report"),
        sentences=sentences.drop(columns=DATE_COLUMNS),
        documents=table("documents"),
        dates=sentences[[*SENTENCE_KEY, *DATE_COLUMNS]],
        folder=folder,
    )


def _unselected(manifest: pd.DataFrame, select: Mapping[str, Sequence[object]], name: str) -> list[str]:
    """The doc_ids ``select`` leaves out."""
    keep = pd.Series(True, index=manifest.index)
    for column, values in select.items():
        if column not in manifest.columns:
            raise KeyError(f"{name} has no column {column!r} to select on")
        keep &= manifest[column].isin(list(values))
    return manifest.loc[~keep, "doc_id"].tolist()
