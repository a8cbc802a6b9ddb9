"""Shared paths for the tests: everything is found relative to this file."""

from __future__ import annotations

import html.parser
import json
import os
import re
import subprocess
import unicodedata
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures"
SHARED = ROOT.parent / "shared"
EXAMPLE_REPOSITORY = "https://github.com/example-org/fplang-book"
"""A stand-in for the public repository's address (the book has none yet), for the launch buttons."""


def letters_and_digits(text: str) -> str:
    """The letters and digits of ``text`` in order, case-folded: what cleaning must not add.

    Compared as Unicode's canonical caseless match does, in the decomposed form
    NFD(casefold(NFD(text))), with combining marks kept: cleaning puts text in
    NFC, which writes "e" + a combining accent as "é" (and a CJK compatibility
    ideograph as its unified twin); both spell the same letters.
    """
    folded = unicodedata.normalize("NFD", unicodedata.normalize("NFD", text).casefold())
    return "".join(ch for ch in folded if ch.isalnum() or unicodedata.combining(ch))


def is_subsequence(needle: str, haystack: str) -> bool:
    """Whether ``needle``'s characters occur in ``haystack`` in the same order."""
    remaining = iter(haystack)
    return all(ch in remaining for ch in needle)


@pytest.fixture(scope="session")
def seed_corpus():
    """The book's own five seeds, cleaned and segmented once for the session."""
    from fplang.corpus.prepare import prepare_corpus

    return prepare_corpus(ROOT / "data" / "corpus.csv")


@pytest.fixture(scope="session")
def built_html(tmp_path_factory):
    """The HTML book, built once per test worker with warnings as errors (slow: executes every chapter)."""
    from fplang.book.run import JUPYTER_BOOK

    out = tmp_path_factory.mktemp("book")
    command = [*JUPYTER_BOOK, "build", str(ROOT), "--path-output", str(out), "-W", "-n", "--keep-going"]
    # A stand-in public address, so the Binder and Colab buttons are drawn and can be checked.
    env = {**os.environ, "FPLANG_REPOSITORY_URL": EXAMPLE_REPOSITORY}
    result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False, env=env)
    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
    return out / "_build" / "html"


@pytest.fixture(scope="session")
def vnm_un_corpus():
    """Viet Nam's 47 General Debate speeches from the committed subset, cleaned and segmented once."""
    from fplang.corpus.prepare import prepare_corpus

    return prepare_corpus(ROOT / "data" / "raw" / "ungdc" / "manifest.csv", select={"iso3": ["VNM"]})


class ReaderText(html.parser.HTMLParser):
    """The text a reader reads in a page's article: prose, captions, tables; not code, scripts or styles."""

    SKIPPED_TAGS = {"script", "style", "pre", "svg", "head"}
    SKIPPED_CLASSES = {"cell_input", "highlight", "headerlink"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.stack: list[bool] = []  # for each open element: is it (or an ancestor) skipped?
        self.in_article = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            self.parts.append(" ")
            return
        classes = set((dict(attrs).get("class") or "").split())
        skipped = (self.stack[-1] if self.stack else False) or tag in self.SKIPPED_TAGS or bool(classes & self.SKIPPED_CLASSES)
        self.stack.append(skipped)
        if tag == "article" or self.in_article:
            self.in_article += 1
        self.parts.append(" ")

    def handle_endtag(self, tag):
        if tag in self.VOID or not self.stack:
            return
        self.stack.pop()
        if self.in_article:
            self.in_article -= 1
        self.parts.append(" ")

    def handle_data(self, data):
        if self.in_article and not (self.stack and self.stack[-1]):
            self.parts.append(data)

    def text(self) -> str:
        return " ".join("".join(self.parts).split())


def reader_text(page: Path) -> str:
    """The text a reader reads on a built page (see ReaderText)."""
    parser = ReaderText()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.text()


def chart_specs(page: Path) -> list[tuple[str, dict]]:
    """The Vega-Lite spec of every chart in a built page, with the chart's HTML id."""
    text = page.read_text(encoding="utf-8")
    decoder = json.JSONDecoder()
    specs = []
    for match in re.finditer(r'var target = "#([^"]+)";.*?window\.vegaEmbed\(target, ', text, re.DOTALL):
        spec, _ = decoder.raw_decode(text, match.end())
        specs.append((match.group(1), spec))
    return specs


class Tables(html.parser.HTMLParser):
    """Every table of a page as (headers, rows of cell texts)."""

    def __init__(self):
        super().__init__()
        self.tables: list[tuple[list[str], list[list[str]]]] = []
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.header_row = False

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append(([], []))
        elif tag == "tr" and self.tables:
            self.row, self.header_row = [], False
        elif tag in {"td", "th"} and self.row is not None:
            self.cell = []
            self.header_row = self.header_row or tag == "th"

    def handle_endtag(self, tag):
        if tag in {"td", "th"} and self.cell is not None and self.row is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None
        elif tag == "tr" and self.row is not None and self.tables:
            headers, rows = self.tables[-1]
            if self.header_row and not headers:
                headers.extend(self.row)
            else:
                rows.append(self.row)
            self.row = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def page_tables(page: Path) -> list[tuple[list[str], list[list[str]]]]:
    """The tables of a built page, each as its header cells and its rows of cell texts."""
    parser = Tables()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.tables
