"""The PDF as a reader gets it: Vietnamese typeset, charts as images, real tables, contents and references."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from conftest import ROOT


@pytest.fixture(scope="module")
def built_pdf(tmp_path_factory):
    from fplang.book.run import JUPYTER_BOOK

    for tool in ("xelatex", "latexmk", "pdftotext", "pdfimages"):
        assert shutil.which(tool), f"{tool} is required for the PDF (make system-deps installs it)"
    out = tmp_path_factory.mktemp("pdf")
    command = [*JUPYTER_BOOK, "build", str(ROOT), "--path-output", str(out), "--builder", "pdflatex", "-W", "-n", "--keep-going"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    latex = out / "_build" / "latex"
    assert result.returncode == 0 and (latex / "fplang-book.pdf").is_file(), result.stdout[-5000:] + result.stderr[-5000:]
    return latex


OVERFULL = re.compile(r"^Overfull \\hbox \((?P<points>[\d.]+)pt too wide\) in (?:paragraph|alignment) at lines (?P<first>\d+)--(?P<last>\d+)", re.MULTILINE)
TABLE_START = re.compile(r"\\begin\{(?:longtable|tabulary|tabular)\}")
TABLE_END = re.compile(r"\\end\{(?:longtable|tabulary|tabular)\}")
TABLE_OVERFULL_POINTS = 20.0
"""A table line this much wider than the text block runs into the margin or off the page."""


def table_line_spans(tex: str) -> list[tuple[int, int]]:
    """The .tex line ranges (1-based, inclusive) that typeset tables."""
    spans, depth, start = [], 0, 0
    for number, line in enumerate(tex.splitlines(), start=1):
        if TABLE_START.search(line):
            if depth == 0:
                start = number
            depth += 1
        if TABLE_END.search(line) and depth:
            depth -= 1
            if depth == 0:
                spans.append((start, number))
    return spans


def overfull_tables(log: str, tex: str) -> list[str]:
    """Each overfull box of more than TABLE_OVERFULL_POINTS that LaTeX reports inside a table."""
    spans = table_line_spans(tex)
    lines = tex.splitlines()
    found = []
    for match in OVERFULL.finditer(log):
        first, last, points = int(match["first"]), int(match["last"]), float(match["points"])
        if points > TABLE_OVERFULL_POINTS and any(a <= first and last <= b for a, b in spans):
            cell = " ".join(line.strip() for line in lines[first - 1 : last] if line.strip() != r"\sphinxAtStartPar")
            found.append(f"{points:.0f} pt too wide at .tex lines {first}-{last}: {cell[:80]!r}")
    return found


def test_overfull_tables_are_told_from_overfull_prose():
    tex = "\n".join(["text", "\\begin{longtable}{ll}", "a & b", "\\end{longtable}", "more text"])
    log = (
        "Overfull \\hbox (35.2pt too wide) in paragraph at lines 3--3\n"
        "Overfull \\hbox (50.0pt too wide) in paragraph at lines 5--5\n"
        "Overfull \\hbox (12.0pt too wide) in alignment at lines 2--4\n"
    )
    assert table_line_spans(tex) == [(2, 4)]
    assert overfull_tables(log, tex) == ["35 pt too wide at .tex lines 3-3: 'a & b'"]


def pdf_text(latex):
    return subprocess.run(["pdftotext", "-layout", str(latex / "fplang-book.pdf"), "-"], capture_output=True, text=True, check=True).stdout


@pytest.mark.slow
@pytest.mark.pdf
@pytest.mark.xdist_group("pdf")
def test_vietnamese_names_are_typeset_with_no_missing_character(built_pdf):
    log = (built_pdf / "fplang-book.log").read_text(encoding="utf-8", errors="replace")
    assert "Missing character" not in log
    text = pdf_text(built_pdf)
    for name in ("Đổi Mới", "Hồ Chí Minh", "Bùi Thanh Sơn"):
        assert name in text, name


@pytest.mark.slow
@pytest.mark.pdf
@pytest.mark.xdist_group("pdf")
def test_every_chart_is_an_image_and_tables_are_typeset(built_pdf):
    images = subprocess.run(["pdfimages", "-list", str(built_pdf / "fplang-book.pdf")], capture_output=True, text=True, check=True).stdout
    n_images = sum(1 for line in images.splitlines()[2:] if line.split()[2] == "image")  # not soft masks
    n_charts = sum(nb.read_text(encoding="utf-8").count("charts.show(") for nb in (ROOT / "notebooks").glob("*.ipynb"))
    assert n_charts >= 10
    assert n_images == n_charts  # every chart, as its PNG twin
    tex = (built_pdf / "fplang-book.tex").read_text(encoding="utf-8")
    assert tex.count(r"\begin{longtable}") + tex.count(r"\begin{tabulary}") + tex.count(r"\begin{tabular}") >= 15
    assert "<script" not in tex


@pytest.mark.slow
@pytest.mark.pdf
@pytest.mark.xdist_group("pdf")
def test_title_page_contents_and_bibliography(built_pdf):
    text = pdf_text(built_pdf)
    assert "The language of Viet Nam" in text.split("\f")[0]
    assert "Contents" in text or "CONTENTS" in text
    flat = " ".join(text.split())
    assert "Bibliography" in flat or "BIBLIOGRAPHY" in flat
    for author in ("Baturo", "Dunning", "Benjamini", "Killick"):
        assert author in flat, author
    pages = subprocess.run(["pdfinfo", str(built_pdf / "fplang-book.pdf")], capture_output=True, text=True, check=True).stdout
    assert int(re.search(r"Pages:\s+(\d+)", pages).group(1)) >= 30


@pytest.mark.slow
@pytest.mark.pdf
@pytest.mark.xdist_group("pdf")
def test_the_html_built_beside_the_pdf_links_it(built_pdf):
    from fplang.book.run import JUPYTER_BOOK

    out = built_pdf.parent.parent  # the --path-output of the PDF build; the HTML reuses its doctrees
    command = [*JUPYTER_BOOK, "build", str(ROOT), "--path-output", str(out), "-W", "-n", "--keep-going"]
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
    html = out / "_build" / "html"
    intro = (html / "book" / "intro.html").read_text(encoding="utf-8")
    assert 'href="../fplang-book.pdf"' in intro and "Download this book as a PDF" in intro
    assert (html / "fplang-book.pdf").read_bytes() == (built_pdf / "fplang-book.pdf").read_bytes()


@pytest.mark.slow
@pytest.mark.pdf
@pytest.mark.xdist_group("pdf")
def test_no_table_runs_past_the_text_block(built_pdf):
    log = (built_pdf / "fplang-book.log").read_text(encoding="utf-8", errors="replace")
    tex = (built_pdf / "fplang-book.tex").read_text(encoding="utf-8")
    assert overfull_tables(log, tex) == []


@pytest.mark.slow
@pytest.mark.pdf
@pytest.mark.xdist_group("pdf")
def test_the_pdf_prints_numbers_as_a_person_writes_them(built_pdf):
    """The same reading checks as the HTML pages: no <NA>, nan, None, float or separated years, long decimals."""
    from fplang.book.report import reading_problems

    assert reading_problems(pdf_text(built_pdf)) == []
