"""The chapters as written: the answer first, the code one click away, figures numbered and cited, prose a person writes.

These read the notebooks' cells (no execution); the built pages are checked in test_book and test_browser.
"""

from __future__ import annotations

import re

import nbformat
import pytest

from conftest import ROOT

CHAPTERS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def cells_of(path):
    return nbformat.read(path, as_version=4).cells


def book_markdown(path) -> list[str]:
    """The markdown the book shows for its own corpus (re-run-only passages are hidden in it)."""
    return [c.source for c in cells_of(path) if c.cell_type == "markdown" and "rerun-only" not in c.metadata.get("tags", [])]


def without_code_spans(text: str) -> str:
    return re.sub(r"`[^`]*`", "", text)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_chapter_opens_with_its_question_and_a_computed_answer_before_any_code(path):
    cells = cells_of(path)
    first_code = next(i for i, c in enumerate(cells) if c.cell_type == "code")
    opening = [c for c in cells[:first_code] if "rerun-only" not in c.metadata.get("tags", [])]
    assert opening and opening[0].source.startswith("# "), "the title comes first"
    text = "\n".join(c.source for c in opening)
    assert re.search(r"\*\*[^*]+\?\*\*", text), "the question, in bold, opens the chapter"
    assert text.count("{glue:text}") >= 2, "the answer carries computed numbers"
    parameters = cells[first_code]
    assert "parameters" in parameters.metadata["tags"] and "hide-input" in parameters.metadata["tags"]
    assert parameters.metadata["mystnb"]["code_prompt_show"] == "Show this chapter's parameters"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_every_figure_is_numbered_named_captioned_and_cited(path):
    cells = cells_of(path)
    prose = "\n".join(book_markdown(path))
    figures = [c for c in cells if c.cell_type == "code" and "charts.show(" in c.source]
    for cell in figures:
        figure = cell.metadata["mystnb"]["figure"]
        assert figure["name"].startswith("fig-") and len(figure["caption"]) > 40, figure["name"]
        assert f"{{numref}}`{figure['name']}`" in prose, f"{figure['name']} is never cited"
    assert "**Figure:" not in prose, "captions belong to the figure, not to a paragraph after it"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_a_figure_drawn_only_where_the_chapter_applies_is_cited_only_in_the_books_own_prose(path):
    """A re-run where the chapter does not apply, or its data are too few, draws no such figure; a citation would not resolve."""
    cells = cells_of(path)
    conditional = {
        c.metadata["mystnb"]["figure"]["name"]
        for c in cells
        if c.cell_type == "code" and "charts.show(" in c.source and c.source.startswith("if ")
    }
    for cell in cells:
        if cell.cell_type == "markdown" and "book-corpus" not in cell.metadata.get("tags", []):
            cited = set(re.findall(r"\{numref\}`([^`]+)`", cell.source))
            assert not cited & conditional, cell.source[:120]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_chapters_refer_to_each_other_by_link_and_name_documents_not_ids(path):
    for source in book_markdown(path):
        text = re.sub(r"\{doc\}`[^`]*`", "", source)
        assert not re.search(r"\b[Cc]hapters? \d", text), text[:120]
        prose = without_code_spans(text)
        assert not re.search(r"\bseed_\d{3}\b|\b[Ss]eed \d{3}\b|\bVNM\b", prose), prose[:120]


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.stem)
def test_vietnamese_names_carry_their_diacritics_in_the_books_own_words(path):
    """The convention stated on the method page: Hồ Chí Minh, Đổi Mới, Tô Lâm in prose, labels and tables."""
    text = "\n".join(c.source for c in cells_of(path))
    for plain in ("Doi Moi", "Ho Chi Minh", "To Lam"):
        assert plain not in text, plain


def test_the_method_page_states_the_spelling_convention():
    method = (ROOT / "book" / "method.md").read_text(encoding="utf-8")
    assert "## Names and spelling" in method and "Hồ Chí Minh" in method and "Viet Nam" in method
