"""The book builds with warnings as errors, and the HTML loads nothing from the network."""

from __future__ import annotations

import re

import pytest

from conftest import EXAMPLE_REPOSITORY, ROOT

EXTERNAL_SCRIPT = re.compile(r"<(script|link|iframe|img)\b[^>]*\b(src|href)=[\"'](https?:)?//", re.IGNORECASE)


@pytest.mark.slow
@pytest.mark.xdist_group("book")
def test_book_builds_every_chapter(built_html):
    pages = {p.relative_to(built_html).as_posix() for p in built_html.rglob("*.html")}
    assert {"book/intro.html", "notebooks/01_corpus.html", "book/method.html", "book/reproducing.html", "book/rerun.html"} <= pages


@pytest.mark.slow
@pytest.mark.xdist_group("book")
def test_every_chapter_has_binder_colab_and_download_buttons(built_html):
    """The buttons appear once the repository's address is known (a stand-in here; see conftest)."""
    owner_repo = EXAMPLE_REPOSITORY.removeprefix("https://github.com/")
    for chapter in sorted((ROOT / "notebooks").glob("*.ipynb")):
        page = (built_html / "notebooks" / f"{chapter.stem}.html").read_text(encoding="utf-8")
        binder = f"https://mybinder.org/v2/gh/{owner_repo}/main?urlpath=lab/tree/notebooks/{chapter.name}"
        colab = f"https://colab.research.google.com/github/{owner_repo}/blob/main/notebooks/{chapter.name}"
        assert binder in page, chapter.name
        assert colab in page, chapter.name
        assert f"_sources/notebooks/{chapter.name}" in page  # the .ipynb download
        assert "btn-download-pdf-button" in page  # the theme's print-to-PDF
    intro = (built_html / "book" / "intro.html").read_text(encoding="utf-8")
    assert "once built with make pdf" in intro  # no PDF beside this build: no dead link


@pytest.mark.slow
@pytest.mark.xdist_group("book")
def test_no_cdn_or_external_script_anywhere_in_the_html(built_html):
    for page in built_html.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "cdn." not in text, page
        assert EXTERNAL_SCRIPT.search(text) is None, page
    assert (built_html / "_static" / "fplang-vega.js").stat().st_size > 100_000


@pytest.mark.slow
@pytest.mark.xdist_group("book")
def test_corpus_chapter_shows_its_chart_table_and_glued_numbers(built_html):
    page = (built_html / "notebooks" / "01_corpus.html").read_text(encoding="utf-8")
    assert 'id="fplang-chart-document-lengths"' in page
    assert "vegaEmbed" in page
    assert 'download="document-lengths.csv"' in page
    assert "download='documents-table.csv'" in page
    # glued numbers: five documents, total tokens computed from the seeds (277+995+572+660+734)
    text = re.sub(r"<[^>]+>", "", page)
    assert "The corpus holds 5 documents" in text
    assert "3,238 tokens" in text
    assert "published between 2006 and 2026" in text
    assert "{glue" not in text


HREF = re.compile(r"""<(?:a|link|script|img)\b[^>]*?\b(?:href|src)=["']([^"']+)["']""", re.IGNORECASE)


@pytest.mark.slow
@pytest.mark.xdist_group("book")
def test_every_internal_link_resolves_and_external_links_are_only_listed(built_html):
    """A link checker for an offline machine: every relative link and anchor must exist.

    External addresses (sources, DOIs) cannot be fetched here; they are collected and
    must be plain links (<a href>), never scripts, images or stylesheets.
    """
    from urllib.parse import unquote, urlparse

    broken, external = [], set()
    for page in built_html.rglob("*.html"):
        if "_static" in page.parts:
            continue
        text = page.read_text(encoding="utf-8")
        for match in HREF.finditer(text):
            target = match.group(1)
            parsed = urlparse(target)
            if parsed.scheme in {"http", "https"}:
                assert match.group(0).lower().startswith("<a"), f"{page.name} loads {target}"
                external.add(target)
                continue
            if parsed.scheme in {"data", "mailto", "javascript"} or target.startswith("#") and len(target) == 1:
                continue
            path = (page.parent / unquote(parsed.path)).resolve() if parsed.path else page
            if not path.exists():
                broken.append(f"{page.relative_to(built_html)} -> {target}")
                continue
            if parsed.fragment and path.suffix == ".html":
                anchors = path.read_text(encoding="utf-8")
                if f'id="{parsed.fragment}"' not in anchors and f"id='{parsed.fragment}'" not in anchors:
                    broken.append(f"{page.relative_to(built_html)} -> {target} (no such anchor)")
    assert broken == []
    assert any("doi.org" in link for link in external)  # the bibliography's DOIs, listed, not fetched


BOOK_FINDING_TITLES = {
    "01_corpus": ["The corpus is small: each document is a few hundred tokens"],
    "02_periods": ["Recent texts speak about a distant past"],
    "03_concepts": [
        "The 14th-Congress texts alone speak of strategic autonomy and a new era",
        "Development and cooperation lead what the texts say of the Congress eras",
        "Strategic autonomy and the new era cluster in the 14th-Congress texts",
    ],
    "04_formulas": ["At the UN only 'an active and responsible member' comes before the Congress wording"],
    "05_distinctive": ["Without function words the documents share only part of their vocabulary"],
    "06_un": [
        "Independence and imperialism recede after 1986; integration rises from the 1990s",
        "The friend-and-partner and the active-member rungs arrive in the 2000s; the 14th-Congress terms never appear",
        "Viet Nam speaks of independence more than its peers and the world in most decades",
        "The seeds speak of international integration far more often than any UN speech",
    ],
}
"""The chart titles that state the book's findings; each is shown only when its check holds on the data."""


@pytest.mark.slow
@pytest.mark.xdist_group("book")
def test_every_findings_title_holds_on_the_books_own_data(built_html):
    for chapter, titles in BOOK_FINDING_TITLES.items():
        page = (built_html / "notebooks" / f"{chapter}.html").read_text(encoding="utf-8")
        for title in titles:
            assert title in page, (chapter, title)
    n_headlines = sum(p.read_text(encoding="utf-8").count("report.headline(") for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert n_headlines == sum(len(titles) for titles in BOOK_FINDING_TITLES.values())
