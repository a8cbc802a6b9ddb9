"""`fplang validate`: every kind of bad input a re-run can meet, each with its own message.

One case per problem the re-run guide lists: the manifest's (unknown column
type, duplicate id, missing file, checksum mismatch, empty text, invalid
UTF-8, bad date, a path leaving the folder), the lexicon's (an empty or
unbalanced pattern, a concept with no patterns), the periods table's (an end
before its start) and the parameters file's (an unknown key, a value of the
wrong type, a document id not in the corpus).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT
from fplang.book.cli import main

GOOD = FIXTURES / "manifests" / "good" / "corpus.csv"
MANIFEST_CASES = {
    "unknown_column_type": "corpus.csv, column congress:integer: unknown column type 'integer' (use one of: str, int, float, bool, date)",
    "duplicate_id": "corpus.csv row 2 (doc_id 'd1'), column doc_id: duplicate id 'd1' (first used in row 1)",
    "missing_file": "corpus.csv row 1 (doc_id 'd1'), column path: file 'texts/nowhere.txt' not found",
    "checksum_mismatch": "corpus.csv row 1 (doc_id 'd1'), column sha256: checksum mismatch: the file's SHA-256 is",
    "empty_text": "corpus.csv row 1 (doc_id 'd1'), column path: text file 'texts/a.txt' is empty (nothing but white space)",
    "invalid_utf8": "corpus.csv row 1 (doc_id 'd1'), column path: 'texts/a.txt' is not valid UTF-8 (byte 9)",
    "bad_date": "corpus.csv row 1 (doc_id 'd1'), column published: '2026-13-01' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)",
    "path_escapes": "corpus.csv row 1 (doc_id 'd1'), column path: '../../../../etc/passwd' points outside the manifest's folder",
}
LEXICON_CASES = {
    "bad_empty_pattern": "bad_empty_pattern.yml, concept 'peace', pattern 2: '' is empty",
    "bad_unbalanced_bracket": "bad_unbalanced_bracket.yml, concept 'peace', pattern 1: '(peace' has the quote or "
    "bracket character '('",
    "bad_unbalanced_quote": "bad_unbalanced_quote.yml, concept 'new_era', pattern 1: '\"new era' has the quote or "
    "bracket character '\"'",
    "bad_no_patterns": "bad_no_patterns.yml, concept 'peace': has no patterns ('patterns' must be a non-empty list)",
}
PERIOD_CASES = {
    "bad_end_before_start": "bad_end_before_start.csv row 2 (line 3), column end_year: 1950 precedes start_year 1954",
}


def _validate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(["validate", *args])
    captured = capsys.readouterr()
    return status, captured.err + captured.out


@pytest.mark.parametrize("case", sorted(MANIFEST_CASES))
def test_a_bad_manifest_is_refused_naming_file_row_and_column(case, capsys):
    status, said = _validate(capsys, str(FIXTURES / "manifests" / case / "corpus.csv"))
    assert status == 1
    assert MANIFEST_CASES[case] in said


@pytest.mark.parametrize("case", sorted(LEXICON_CASES))
def test_a_bad_lexicon_is_refused_naming_concept_and_pattern(case, capsys):
    status, said = _validate(capsys, str(GOOD), "--lexicon", str(FIXTURES / "lexicon" / f"{case}.yml"))
    assert status == 1
    assert LEXICON_CASES[case] in said


@pytest.mark.parametrize("case", sorted(PERIOD_CASES))
def test_a_bad_periods_table_is_refused_naming_row_and_column(case, capsys):
    status, said = _validate(capsys, str(GOOD), "--periods", str(FIXTURES / "periods" / f"{case}.csv"))
    assert status == 1
    assert PERIOD_CASES[case] in said


def test_every_problem_of_every_input_is_reported_in_one_go(capsys):
    status, said = _validate(
        capsys,
        str(FIXTURES / "manifests" / "duplicate_id" / "corpus.csv"),
        "--lexicon", str(FIXTURES / "lexicon" / "bad_no_patterns.yml"),
        "--periods", str(FIXTURES / "periods" / "bad_end_before_start.csv"),
    )  # fmt: skip
    assert status == 1
    assert said.startswith("4 problem(s):")
    assert "duplicate id 'd1'" in said and "has no patterns" in said and "1950 precedes start_year 1954" in said


def _params(tmp_path: Path, body: str) -> Path:
    shutil.copytree(FIXTURES / "manifests" / "good", tmp_path / "corpus")
    params = tmp_path / "params.yml"
    params.write_text("corpus: corpus/corpus.csv\n" + body, encoding="utf-8")
    return params


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "min_frequncy: 2\n",
            "key 'min_frequncy': is not a parameter of any chapter (the parameters are: alignment, asean, corpus, exclude_doc_ids,",
        ),
        ("top_n: ten\n", "key 'top_n': must be a whole number (the chapter's default is 15), not 'ten'"),
        ("min_frequency: 2.5\n", "key 'min_frequency': must be a whole number (the chapter's default is 3), not 2.5"),
        ("exclude_doc_ids: d2\n", "key 'exclude_doc_ids': must be a list (the chapter's default is []), not 'd2'"),
        ("sensitivity_exclude: [d1, d9]\n", "key 'sensitivity_exclude': no document 'd9' in corpus.csv"),
        ("out_dir: elsewhere\n", "key 'out_dir': is set by fplang run itself; remove it from the parameters file"),
        ("lexicon: 3\n", "key 'lexicon': must be a path, not 3"),
    ],
)
def test_a_bad_parameters_file_is_refused_before_anything_runs(tmp_path, capsys, body, message):
    status, said = _validate(capsys, "--params", str(_params(tmp_path, body)))
    assert status == 1
    assert message in said


def test_a_target_value_may_be_text_or_a_number(tmp_path, capsys):
    for value in ("un", "14"):
        status, said = _validate(capsys, "--params", str(_params(tmp_path / value, f"target_value: {value}\n")))
        assert status == 0, said


def test_validate_wants_a_manifest_or_a_parameters_file_not_both(capsys):
    assert _validate(capsys)[0] == 2
    assert _validate(capsys, str(GOOD), "--params", str(ROOT / "data" / "examples" / "arcadia" / "params.yml"))[0] == 2
