"""Manifest validation: every broken manifest is rejected with its own message."""

from __future__ import annotations

import hashlib

import pytest

from conftest import FIXTURES, ROOT
from fplang.corpus.manifest import CorpusError, load_manifest, read_texts, validate_manifest

MANIFESTS = FIXTURES / "manifests"

EXPECTED_PROBLEMS = {
    "missing_file": "corpus.csv row 1 (doc_id 'd1'), column path: file 'texts/nowhere.txt' not found",
    "checksum_mismatch": "corpus.csv row 1 (doc_id 'd1'), column sha256: checksum mismatch: the file's SHA-256 is "
    "3dbbb8b8eee931aa5ff1bd87b0e4a7c725e5256c5d1d6a066da78ab8cfdacff0",
    "duplicate_id": "corpus.csv row 2 (doc_id 'd1'), column doc_id: duplicate id 'd1' (first used in row 1)",
    "bad_date": "corpus.csv row 1 (doc_id 'd1'), column published: '2026-13-01' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)",
    "impossible_date": "corpus.csv row 1 (doc_id 'd1'), column published: '2025-02-30' is not a real date",
    "empty_text": "corpus.csv row 1 (doc_id 'd1'), column path: text file 'texts/a.txt' is empty (nothing but white space)",
    "invalid_utf8": "corpus.csv row 1 (doc_id 'd1'), column path: 'texts/a.txt' is not valid UTF-8 (byte 9)",
    "unknown_column_type": "corpus.csv, column congress:integer: unknown column type 'integer' "
    "(use one of: str, int, float, bool, date)",
    "bad_typed_value": "corpus.csv row 1 (doc_id 'd1'), column congress:int: 'ten' is not a whole number",
    "missing_column": "corpus.csv, column sha256: required column is missing",
    "path_escapes": "corpus.csv row 1 (doc_id 'd1'), column path: '../../../../etc/passwd' points outside the manifest's folder",
    "absolute_path": "corpus.csv row 1 (doc_id 'd1'), column path: '/etc/hostname' is absolute; give a path relative to the manifest",
    "bad_doc_id": "corpus.csv row 1 (doc_id 'doc one'), column doc_id: 'doc one' is not a usable id "
    "(letters, digits, '_', '-', '.'; no spaces)",
}


@pytest.mark.parametrize("case", sorted(EXPECTED_PROBLEMS))
def test_each_broken_manifest_is_rejected_with_its_own_message(case):
    problems = [str(p) for p in validate_manifest(MANIFESTS / case / "corpus.csv")]
    assert problems == [EXPECTED_PROBLEMS[case]]


def test_every_bad_input_case_has_a_fixture_folder():
    folders = {p.name for p in MANIFESTS.iterdir() if p.is_dir()}
    assert set(EXPECTED_PROBLEMS) <= folders


def test_all_problems_are_reported_at_once():
    problems = [str(p) for p in validate_manifest(MANIFESTS / "many_problems" / "corpus.csv")]
    assert len(problems) == 4
    assert any("'yesterday' is not a date" in p for p in problems)
    assert any("duplicate id 'd1'" in p for p in problems)
    assert any("texts/none.txt' not found" in p for p in problems)
    assert any("'abc' is not a SHA-256" in p for p in problems)


def test_load_manifest_raises_before_reading_any_text():
    with pytest.raises(CorpusError) as caught:
        load_manifest(MANIFESTS / "bad_date" / "corpus.csv")
    assert "1 problem in the corpus" in str(caught.value)
    assert "'2026-13-01' is not a date" in str(caught.value)


def test_a_missing_manifest_is_named():
    problems = validate_manifest(MANIFESTS / "no_such_folder" / "corpus.csv")
    assert len(problems) == 1 and "manifest file not found" in str(problems[0])


def test_the_good_fixture_and_the_book_manifest_validate():
    assert validate_manifest(MANIFESTS / "good" / "corpus.csv") == []
    assert validate_manifest(ROOT / "data" / "corpus.csv") == []


def test_typed_document_variables_are_converted_and_renamed():
    manifest = load_manifest(ROOT / "data" / "corpus.csv")
    assert "congress" in manifest.columns and "congress:int" not in manifest.columns
    assert manifest.set_index("doc_id").loc["seed_003", "congress"] == 10
    assert manifest.set_index("doc_id")["congress"].isna().sum() == 2
    assert manifest["translated"].dtype == "boolean"
    assert manifest["published_year"].tolist() == [2023, 2026, 2025, 2006, 2026]


def test_raw_texts_are_read_byte_for_byte():
    manifest = load_manifest(ROOT / "data" / "corpus.csv")
    texts = read_texts(manifest)
    for doc_id, sha in zip(manifest["doc_id"], manifest["sha256"], strict=True):
        assert hashlib.sha256(texts[doc_id].encode("utf-8")).hexdigest() == sha


def test_seeds_in_data_raw_are_the_shared_seeds_unchanged():
    shared = ROOT.parent / "shared" / "seeds"
    for path in sorted((ROOT / "data" / "raw" / "seeds").glob("*.txt")):
        assert path.read_bytes() == (shared / path.name).read_bytes()
