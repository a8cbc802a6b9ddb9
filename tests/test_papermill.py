"""Chapters re-run with papermill on other parameters, and `fplang run` builds a whole book."""

from __future__ import annotations

import re

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
    import shutil

    from fplang.book.run import run_book

    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "manifests" / "good", corpus)
    hostile = corpus / "c`<img src=x onerror=alert(9)>`.csv"  # the name goes into the introduction's note
    (corpus / "corpus.csv").rename(hostile)
    params = tmp_path / "params.yml"
    params.write_text(f"corpus: '{hostile}'\n", encoding="utf-8")
    summary = run_book(params, tmp_path / "out", progress=False)
    assert summary.documents == 2 and summary.tokens == 16
    documents = pd.read_csv(tmp_path / "out" / "data" / "documents.csv")
    assert sorted(documents["doc_id"]) == ["d1", "d2"]
    assert (tmp_path / "out" / "html" / "index.html").is_file()
    assert not (tmp_path / "out" / ".partial").exists()
    intro = (tmp_path / "out" / "html" / "book" / "intro.html").read_text(encoding="utf-8")
    assert "<img src=x" not in intro and "c`&lt;img src=x onerror=alert(9)&gt;`.csv" in intro.replace('<span class="pre">', "").replace("</span>", "")
    import nbformat

    executed = nbformat.read(tmp_path / "out" / "notebooks" / "01_corpus.ipynb", as_version=4)
    cells = {tag: cell for cell in executed.cells for tag in cell.metadata.get("tags", [])}
    assert "remove-cell" in cells["parameters"].metadata["tags"]  # the book's defaults, overridden
    assert "remove-cell" not in cells["injected-parameters"].metadata["tags"]  # what this run used
    assert "hide-input" in cells["injected-parameters"].metadata["tags"]  # behind a toggle, as in the book
    assert cells["injected-parameters"].metadata["mystnb"]["code_prompt_show"] == "Show the parameters of this run"
    assert f'out_dir = "{tmp_path / "out"}/data"' in cells["injected-parameters"].source
    assert ".partial" not in cells["injected-parameters"].source


def test_fplang_run_refuses_bad_inputs_before_any_work(tmp_path):
    from fplang.book.run import ParametersError, run_book

    params = tmp_path / "params.yml"
    params.write_text(f"corpus: {FIXTURES / 'manifests' / 'duplicate_id' / 'corpus.csv'}\n", encoding="utf-8")
    with pytest.raises(ParametersError, match="duplicate id 'd1'"):
        run_book(params, tmp_path / "out", progress=False)
    assert not (tmp_path / "out").exists()


def test_a_run_on_another_corpus_does_not_borrow_the_books_viet_nam_inputs(tmp_path):
    from fplang.book.run import read_params

    params = tmp_path / "params.yml"
    params.write_text(f"corpus: {FIXTURES / 'manifests' / 'good' / 'corpus.csv'}\n", encoding="utf-8")
    resolved = read_params(params)
    assert (resolved["formulas"], resolved["un_corpus"], resolved["world_reference"], resolved["precision_dir"]) == (
        "", "", "", ""
    )
    assert resolved["sensitivity_exclude"] == []  # the book's default names seed_002
    assert resolved["lexicon"] == str(ROOT / "data" / "lexicon.yml")  # the lexicon and periods still default
    assert resolved["periods"] == str(ROOT / "data" / "periods.csv")


def test_a_run_on_the_books_corpus_keeps_its_formulas_and_un_speeches(tmp_path):
    from fplang.book.run import read_params

    params = tmp_path / "params.yml"
    params.write_text(f"corpus: {ROOT / 'data' / 'corpus.csv'}\n", encoding="utf-8")
    resolved = read_params(params)
    assert resolved["formulas"] == str(ROOT / "data" / "formulas.csv")
    assert resolved["un_corpus"] == str(ROOT / "data" / "raw" / "ungdc" / "manifest.csv")
    assert resolved["precision_dir"] == str(ROOT / "data" / "precision")
    assert "sensitivity_exclude" not in resolved  # the chapter's own default (seed_002) applies
    params.write_text(f"corpus: {ROOT / 'data' / 'corpus.csv'}\nun_corpus: ''\nlexicon: ''\n", encoding="utf-8")
    resolved = read_params(params)
    assert resolved["un_corpus"] == ""  # "" leaves the UN speeches out
    assert resolved["world_reference"] == str(ROOT / "data" / "world_reference.csv")
    assert resolved["lexicon"] == str(ROOT / "data" / "lexicon.yml")  # every chapter needs one


def test_prepare_chapter_drops_book_corpus_prose_and_shows_rerun_prose_only_on_another_corpus(tmp_path):
    import nbformat

    from fplang.book.run import prepare_chapter

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell("general", metadata={"tags": []}),
        nbformat.v4.new_markdown_cell("about the seeds", metadata={"tags": ["book-corpus"]}),
        nbformat.v4.new_markdown_cell("about a re-run", metadata={"tags": ["rerun-only", "remove-cell"]}),
    ]
    source = tmp_path / "chapter.ipynb"
    nbformat.write(notebook, source)
    other = nbformat.read(prepare_chapter(source, tmp_path / "other.ipynb", book_corpus=False), as_version=4)
    assert [(c.source, c.metadata["tags"]) for c in other.cells] == [("general", []), ("about a re-run", ["rerun-only"])]
    own = nbformat.read(prepare_chapter(source, tmp_path / "own.ipynb", book_corpus=True), as_version=4)
    assert [c.source for c in own.cells] == ["general", "about the seeds", "about a re-run"]
    assert own.cells[2].metadata["tags"] == ["rerun-only", "remove-cell"]


def test_every_rerun_only_cell_is_hidden_in_the_book_every_code_cell_one_click_away_and_tags_are_known():
    import nbformat

    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for cell in nbformat.read(path, as_version=4).cells:
            tags = cell.metadata.get("tags", [])
            assert set(tags) <= {"parameters", "remove-cell", "hide-input", "remove-input", "book-corpus", "rerun-only"}, path.name
            if cell.cell_type == "code" and not re.search(r"display\((?:\w+_)?notice\)", cell.source):
                # code is hidden but one click away, never removed (but for the re-run's twin of a
                # cell, removed from the book itself); only a cell that shows a notice (the chapter or
                # a part of it does not apply, a chart leaves concepts out) and nothing in the book
                # has its input removed
                assert "hide-input" in tags, path.name
                assert "remove-cell" not in tags or "rerun-only" in tags, path.name
            if "rerun-only" in tags:
                assert "remove-cell" in tags, path.name
            if {"rerun-only", "book-corpus"} & set(tags) and cell.cell_type == "code":
                # a code cell that only one of the two books keeps may show something, never define it
                assert _binds_nothing(cell.source), f"{path.name}: a tagged code cell assigns or imports"


def _binds_nothing(source: str) -> bool:
    """Whether a cell's top-level statements are all expressions (it displays; it defines no name)."""
    import ast

    return all(isinstance(statement, ast.Expr) for statement in ast.parse(source).body)


def test_the_rerun_guide_names_every_chapter_parameter():
    from fplang.book.inputs import RUN_KEYS
    from fplang.book.run import declared_parameters

    guide = (ROOT / "book" / "rerun.md").read_text(encoding="utf-8")
    missing = [name for name in declared_parameters() if name not in RUN_KEYS and f"`{name}`" not in guide]
    assert missing == []


def test_the_run_summary_says_what_was_read_where_the_book_is_and_what_took_longest(tmp_path):
    from fplang.book.run import RunSummary

    summary = RunSummary(tmp_path, [], tmp_path / "html", 4, 1078, 35.46, {"01_corpus.ipynb": 9.8, "06_un.ipynb": 26.4, "book": 10.2})
    text = str(summary).splitlines()
    assert text[:3] == ["documents: 4", "tokens:    1,078", "time:      35.5 s"]
    assert f"book:      {tmp_path / 'html' / 'index.html'}" in text
    assert text[-1] == "seconds:   06_un 26, book 10, 01_corpus 10"
