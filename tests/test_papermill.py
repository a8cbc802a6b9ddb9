"""Chapters re-run with papermill on other parameters, and `fplang run` builds a whole book."""

from __future__ import annotations

import pandas as pd
import papermill
import pytest

from conftest import FIXTURES, ROOT


@pytest.mark.slow
@pytest.mark.xdist_group("papermill")
def test_corpus_chapter_honours_a_non_default_parameter(tmp_path):
    papermill.execute_notebook(
        str(ROOT / "notebooks" / "01_corpus.ipynb"),
        str(tmp_path / "out.ipynb"),
        parameters={"out_dir": str(tmp_path / "data"), "exclude_doc_ids": ["seed_002"]},
        cwd=str(ROOT / "notebooks"),
        progress_bar=False,
        kernel_name="python3",
    )
    documents = pd.read_csv(tmp_path / "data" / "documents.csv")
    assert sorted(documents["doc_id"]) == ["seed_000", "seed_001", "seed_003", "seed_004"]
    assert documents["tokens"].sum() == 3238 - 572  # the seeds' total less seed_002's


@pytest.mark.slow
@pytest.mark.xdist_group("papermill")
def test_fplang_run_builds_a_book_on_another_corpus_and_leaves_no_partial_files(tmp_path):
    from fplang.run import run_book

    params = tmp_path / "params.yml"
    params.write_text(f"corpus: {FIXTURES / 'manifests' / 'good' / 'corpus.csv'}\n", encoding="utf-8")
    summary = run_book(params, tmp_path / "out", progress=False)
    assert summary.documents == 2 and summary.tokens == 16
    documents = pd.read_csv(tmp_path / "out" / "data" / "documents.csv")
    assert sorted(documents["doc_id"]) == ["d1", "d2"]
    assert (tmp_path / "out" / "html" / "index.html").is_file()
    assert not (tmp_path / "out" / ".partial").exists()
    executed = (tmp_path / "out" / "notebooks" / "01_corpus.ipynb").read_text(encoding="utf-8")
    assert "remove-cell" in executed and "injected-parameters" in executed


def test_fplang_run_refuses_bad_inputs_before_any_work(tmp_path):
    from fplang.run import RunError, run_book

    params = tmp_path / "params.yml"
    params.write_text(f"corpus: {FIXTURES / 'manifests' / 'duplicate_id' / 'corpus.csv'}\n", encoding="utf-8")
    with pytest.raises(RunError, match="duplicate id 'd1'"):
        run_book(params, tmp_path / "out", progress=False)
    assert not (tmp_path / "out").exists()
