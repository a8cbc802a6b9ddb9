"""The processed outputs: written atomically, identical across runs, nothing written on bad input."""

from __future__ import annotations

import pytest

from conftest import FIXTURES, ROOT
from fplang.corpus.manifest import CorpusError
from fplang.corpus.prepare import prepare_corpus, write_processed


def test_two_runs_write_byte_identical_files(tmp_path):
    first = write_processed(prepare_corpus(ROOT / "data" / "corpus.csv"), tmp_path / "a")
    second = write_processed(prepare_corpus(ROOT / "data" / "corpus.csv"), tmp_path / "b")
    for name, path in first.items():
        assert path.read_bytes() == second[name].read_bytes(), name


def test_a_bad_manifest_stops_before_anything_is_written(tmp_path):
    with pytest.raises(CorpusError):
        write_processed(prepare_corpus(FIXTURES / "manifests" / "checksum_mismatch" / "corpus.csv"), tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_no_temporary_files_are_left_behind(tmp_path):
    write_processed(prepare_corpus(FIXTURES / "manifests" / "good" / "corpus.csv"), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "cleaned_texts.parquet", "cleaning_report.parquet", "documents.parquet", "sentences.parquet",
    ]  # fmt: skip


def test_raw_data_is_never_modified(seed_corpus):
    import hashlib

    for sha, file in zip(seed_corpus.manifest["sha256"], seed_corpus.manifest["file"], strict=True):
        with open(file, "rb") as handle:
            assert hashlib.sha256(handle.read()).hexdigest() == sha


def test_documents_table_of_the_good_fixture_matches_hand_counts():
    corpus = prepare_corpus(FIXTURES / "manifests" / "good" / "corpus.csv")
    documents = corpus.documents.set_index("doc_id")
    # "Vietnam is a friend and reliable partner of all countries. It seeks peace."
    # cleaning joins "Viet Nam" into one token: 10 + 3 tokens, 2 sentences
    assert documents.loc["d1", "tokens"] == 13
    assert documents.loc["d1", "sentences"] == 2
    # "The new era." : 3 tokens, 1 sentence
    assert documents.loc["d2", "tokens"] == 3
    assert documents.loc["d2", "sentences"] == 1


def test_leaving_a_document_out_removes_it_everywhere(seed_corpus):
    smaller = seed_corpus.without(["seed_002"])
    assert "seed_002" not in set(smaller.documents["doc_id"])
    assert "seed_002" not in set(smaller.sentences["doc_id"])
    assert "seed_002" not in smaller.cleaned.index
    assert len(smaller.documents) == 4
