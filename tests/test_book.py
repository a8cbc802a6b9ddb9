"""The book builds with warnings as errors, and the HTML loads nothing from the network."""

from __future__ import annotations

import html
import re

import pytest

from conftest import EXAMPLE_REPOSITORY, ROOT, ReaderText, chart_specs, page_tables, reader_text

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
    text = " ".join(re.sub(r"<[^>]+>", "", page).split())
    assert "Five documents from five outlets, published between 2006 and 2026: 3,238 tokens" in text
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
    "04_formulas": ["At the UN only 'an active and responsible member' comes before the Party's wording"],
    "05_distinctive": ["Without function words the documents share only part of their vocabulary"],
    "06_un": [
        "Independence and imperialism recede after 1986; integration rises from the 1990s",
        "The friend-and-partner and the active-member rungs arrive in the 2000s; the 14th-Congress terms never appear",
        "Viet Nam speaks of independence more than its peers and the world in most decades",
        "The seeds speak of international integration far more often than any UN speech",
    ],
    "07_world": [
        "Most speeches named Viet Nam during the American war; few have since 1992",
        "Three of Viet Nam's formulas no other state said; three common rungs others said first in the Debate",
        "In most sessions Viet Nam is placed nearer the USSR / Russia than the United States",
        "In its first sessions Viet Nam is placed below every ASEAN member of the time",
    ],
}
"""The chart titles that state the book's findings; each is shown only when its check holds on the data."""


@pytest.mark.slow
@pytest.mark.xdist_group("book")
def test_every_findings_title_holds_on_the_books_own_data(built_html):
    for chapter, titles in BOOK_FINDING_TITLES.items():
        # html.unescape: a title's apostrophe is &#x27; in the chart's label ("Three of Viet Nam's formulas")
        page = html.unescape((built_html / "notebooks" / f"{chapter}.html").read_text(encoding="utf-8"))
        for title in titles:
            assert title in page, (chapter, title)
    n_headlines = sum(p.read_text(encoding="utf-8").count("report.headline(") for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert n_headlines == sum(len(titles) for titles in BOOK_FINDING_TITLES.values())


def book_pages(html_root):
    return sorted([*(html_root / "notebooks").glob("*.html"), *(html_root / "book").glob("*.html")])


def test_reader_text_keeps_prose_and_tables_and_drops_code():
    parser = ReaderText()
    parser.feed(
        "<html><head><title>None</title></head><body><nav>nan</nav><article><p>In 1945 <b>five</b> texts</p>"
        "<div class='cell_input'><pre>x = None</pre></div><table><tr><td>2006</td><td>660</td></tr></table>"
        "<script>var y = 1.23456;</script><br>end</article></body></html>"
    )
    assert parser.text() == "In 1945 five texts 2006 660 end"


@pytest.mark.slow
@pytest.mark.xdist_group("book")
def test_every_page_prints_numbers_as_a_person_writes_them(built_html):
    """No <NA>, nan or None; no year as 1945.0 or 1,945; no number with more than three decimals."""
    from fplang.book.report import reading_problems

    problems = [f"{page.relative_to(built_html)}: {p}" for page in book_pages(built_html) for p in reading_problems(reader_text(page))]
    assert problems == []


@pytest.mark.slow
@pytest.mark.xdist_group("book")
def test_no_year_or_date_axis_in_any_chart_starts_at_zero(built_html):
    from fplang.book.charts import time_scales_from_zero

    specs = [(page.stem, name, spec) for page in book_pages(built_html) for name, spec in chart_specs(page)]
    assert len(specs) >= 10
    problems = [f"{page} {name}: {p}" for page, name, spec in specs for p in time_scales_from_zero(spec)]
    assert problems == []


YEAR_HEADER = re.compile(r"\byears?\b", re.IGNORECASE)
MACHINE_NUMBER = re.compile(r"\d,\d{3}|\d\.\d")


def test_a_column_of_years_holds_years_as_years():
    tables = [(["Year", "Tokens"], [["1986", "1,986"]]), (["Its year"], [["1,986"]]), (["First year"], [["1945.0"]])]
    found = [cell for headers, rows in tables for row in rows for h, cell in zip(headers, row, strict=True) if YEAR_HEADER.search(h) and MACHINE_NUMBER.search(cell)]
    assert found == ["1,986", "1945.0"]


@pytest.mark.slow
@pytest.mark.xdist_group("book")
def test_every_column_of_years_in_every_table_prints_years_as_years(built_html):
    """In a column headed by a year ("Year", "Its year", "Years"), no 1,986 and no 1986.0."""
    found = [
        f"{page.relative_to(built_html)}: {header!r} holds {cell!r}"
        for page in book_pages(built_html)
        for headers, rows in page_tables(page)
        for row in rows
        for header, cell in zip(headers, row, strict=False)
        if YEAR_HEADER.search(header) and MACHINE_NUMBER.search(cell)
    ]
    checked = sum(1 for page in book_pages(built_html) for headers, _ in page_tables(page) if any(map(YEAR_HEADER.search, headers)))
    assert checked >= 3  # periods, tokens by period, change points (the Party's formulas are a list, not a table)
    assert found == []


def test_the_glossary_entry_gives_the_term_its_rendering_its_first_use_and_its_linked_source():
    from docutils import nodes

    from fplang.book.sphinxext import glossary_entry

    row = {
        "term": "tự chủ chiến lược",
        "english": "strategic autonomy",
        "meaning": "A viewpoint the 14th Congress added.",
        "first_used": "14th Congress (January 2026).",
        "source": "Thanh Niên, 7 February 2026",
        "source_url": "https://thanhnien.vn/a-long-address-185260207135927645.htm",
    }
    item = glossary_entry(row)
    term, definition = item.children
    assert term.astext() == "tự chủ chiến lược"
    assert [p.astext() for p in definition.children] == [
        "strategic autonomy. A viewpoint the 14th Congress added.",
        "First used: 14th Congress (January 2026).",
        "Source: Thanh Niên, 7 February 2026, https://thanhnien.vn/a-long-address-185260207135927645.htm.",
    ]
    (link,) = list(definition.findall(nodes.reference))
    assert link["refuri"] == row["source_url"] and link["support_smartquotes"] is False


@pytest.mark.slow
@pytest.mark.xdist_group("book")
def test_the_glossary_page_lists_every_term_with_its_source_linked(built_html):
    import csv

    rows = list(csv.DictReader((ROOT / "data" / "glossary.csv").open(encoding="utf-8")))
    page = (built_html / "book" / "glossary.html").read_text(encoding="utf-8")
    text = reader_text(built_html / "book" / "glossary.html")
    assert "<table" not in page  # a list, which fits the column at any width
    for row in rows:
        link = f'href="{row["source_url"]}">{row["source_url"]}</a>'  # the address shown as written ("--" kept)
        assert row["term"] in text and link in page.replace("&amp;", "&"), row["term"]
