"""The built book as a reader gets it: every chart draws offline in Chromium and shows its tooltip.

Playwright (from PyPI) drives Debian's /usr/bin/chromium; no browser is downloaded. The book
is served on 127.0.0.1 and every request to any other host is blocked and recorded.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from conftest import ROOT

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",  # CI runs as root
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ALLOWED_CONSOLE_ERRORS: dict[str, str] = {
    "Got invalid theme mode": "pydata-sphinx-theme logs this on a first visit, when the browser's storage holds "
    "no light/dark choice yet; it then uses 'auto', which is what a reader gets",
}
"""Console messages tolerated, each with the reason."""
ARTIFACTS = ROOT / "test-artifacts" / "browser"
NARROWEST_TEXT_CELL = 40
"""Pixels: a table cell holding text narrower than this shows a word a letter or two per line."""

MEASURE_LAYOUT = """
() => {
  const article = document.querySelector('article.bd-article') || document.querySelector('main');
  const box = article.getBoundingClientRect();
  const column = box.right - parseFloat(getComputedStyle(article).paddingRight);
  // What a reader would have to scroll to see counts: the element's own width or its scroll width.
  const edge = (el) => { const r = el.getBoundingClientRect(); return r.left + Math.max(r.width, el.scrollWidth); };
  const items = [];
  document.querySelectorAll("[id^='fplang-chart-']").forEach((chart) => {
    const parts = [chart, chart.closest('.fplang-chart'), chart.querySelector('svg')].filter(Boolean);
    items.push({kind: 'chart', name: chart.id, right: Math.max(...parts.map(edge)), narrow: []});
  });
  article.querySelectorAll('table').forEach((table, index) => {
    if (!table.getClientRects().length) return;  // not displayed
    const holder = table.closest("[id^='fplang-table-']");
    const scroller = table.parentElement;
    const narrow = [...table.querySelectorAll('td, th')]
      .filter((cell) => cell.textContent.trim() && cell.getBoundingClientRect().width < NARROWEST)
      .map((cell) => cell.textContent.trim().slice(0, 30));
    items.push({kind: 'table', name: holder ? holder.id : 'table ' + index,
                right: Math.max(edge(table), edge(scroller)), narrow: narrow});
  });
  return {column: column, items: items};
}
""".replace("NARROWEST", str(NARROWEST_TEXT_CELL))
"""Measures, in the page, the text column's right edge and each chart's and table's right edge and narrow cells."""


def serve(html_root: Path):
    """Serve a folder on 127.0.0.1 (a free port) in a background thread; returns (server, base URL)."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):  # silence the access log
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(html_root)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


@pytest.fixture(scope="module")
def served(built_html):
    server, base = serve(built_html)
    yield base, built_html
    server.shutdown()


def pages(html_root: Path) -> list[str]:
    return sorted(
        p.relative_to(html_root).as_posix()
        for p in html_root.rglob("*.html")
        if not p.name.startswith(("search", "genindex")) and "_static" not in p.parts
    )


def visit_every_page(base: str, html_root: Path, artifacts: Path) -> dict[str, object]:
    """Open every page offline in Chromium; draw and hover every chart; collect what went wrong."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "Debian's chromium is required (make system-deps installs it)"
    artifacts.mkdir(parents=True, exist_ok=True)
    blocked: list[str] = []
    errors: list[str] = []
    dialogs: list[str] = []
    problems: list[str] = []
    layout: list[str] = []
    charts_checked = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1280, "height": 900})

        def route(request_route):
            host = urlparse(request_route.request.url).hostname
            if host in {"127.0.0.1", "localhost"} or request_route.request.url.startswith("data:"):
                request_route.continue_()
            else:
                blocked.append(request_route.request.url)
                request_route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda m: errors.append(f"{page.url}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: errors.append(f"{page.url}: {e}"))
        page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
        for name in pages(html_root):
            page.goto(f"{base}/{name}", wait_until="load")
            charts = page.locator("[id^='fplang-chart-']")
            for index in range(charts.count()):
                chart = charts.nth(index)
                chart_id = chart.get_attribute("id")
                chart.scroll_into_view_if_needed()
                chart.locator("svg").first.wait_for(state="attached", timeout=20_000)
                marks = chart.locator("svg .role-mark path, svg .role-mark circle, svg .role-mark rect, svg .role-mark line")
                if marks.count() == 0:
                    problems.append(f"{name} {chart_id}: the chart drew no marks")
                    continue
                shown = False
                n_marks = marks.count()
                for m in range(n_marks - 1, max(n_marks - 40, -1), -1):  # data marks are layered last
                    try:
                        marks.nth(m).hover(timeout=2_000, force=True)  # scrolls the mark into view first
                    except Exception:  # noqa: BLE001 - a mark with no area cannot be hovered
                        continue
                    tooltip = page.locator("#vg-tooltip-element.visible")
                    try:
                        tooltip.wait_for(state="visible", timeout=1_000)
                    except Exception:  # noqa: BLE001 - try the next mark
                        continue
                    shown = bool(tooltip.inner_text().strip())
                    if shown:
                        break
                if not shown:
                    problems.append(f"{name} {chart_id}: hovering its marks showed no tooltip")
                charts_checked += 1
            page.mouse.move(0, 0)  # no tooltip left over the pictures
            page.screenshot(path=str(artifacts / (name.replace("/", "__") + ".png")), full_page=True)
            # Open every collapsed block (dropdowns, hidden code), so the tables inside are measured too.
            page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
            measured = page.evaluate(MEASURE_LAYOUT)
            for item in measured["items"]:
                if item["right"] > measured["column"] + 1:
                    layout.append(
                        f"{name} {item['kind']} {item['name']}: right edge at {item['right']:.0f} px, "
                        f"{item['right'] - measured['column']:.0f} px past the text column ({measured['column']:.0f} px)"
                    )
                if item["narrow"]:
                    layout.append(f"{name} {item['kind']} {item['name']}: cells narrower than {NARROWEST_TEXT_CELL} px: {item['narrow'][:5]}")
            for index in range(charts.count()):
                chart = charts.nth(index)
                figure = chart.locator("xpath=ancestor-or-self::figure[1]")
                target = figure if figure.count() else chart.locator("xpath=ancestor::div[contains(@class, 'fplang-chart')][1]")
                target.scroll_into_view_if_needed()
                picture = artifacts / "charts" / f"{Path(name).stem}__{chart.get_attribute('id')}.png"
                picture.parent.mkdir(parents=True, exist_ok=True)
                target.screenshot(path=str(picture))
        browser.close()
    unexpected = [e for e in errors if not any(allowed in e for allowed in ALLOWED_CONSOLE_ERRORS)]
    return {
        "blocked": blocked,
        "errors": unexpected,
        "dialogs": dialogs,
        "problems": problems,
        "layout": layout,
        "charts": charts_checked,
    }


@pytest.fixture(scope="module")
def seen_in_the_browser(served):
    """Every page of the book opened once at 1280 x 900: what went wrong, and the layout measured."""
    base, html_root = served
    return visit_every_page(base, html_root, ARTIFACTS / "book")


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.xdist_group("book")
def test_every_chart_and_table_fits_the_text_column_at_1280_px(seen_in_the_browser):
    """Right edges (with what would have to be scrolled) inside the column; no text cell under 40 px.

    One picture per chart is left in test-artifacts/browser/book/charts/ to look at.
    """
    assert seen_in_the_browser["layout"] == []


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.xdist_group("book")
def test_every_chart_draws_offline_and_shows_its_tooltip(seen_in_the_browser):
    seen = seen_in_the_browser
    assert seen["problems"] == []
    assert seen["blocked"] == [], "the book asked the network for these"
    assert seen["errors"] == []
    assert seen["dialogs"] == []
    (ARTIFACTS / "charts_checked.txt").write_text(f"{seen['charts']}\n", encoding="utf-8")
    assert seen["charts"] >= 10


@pytest.mark.slow
@pytest.mark.browser
@pytest.mark.xdist_group("papermill")
def test_untrusted_document_text_shows_as_text_everywhere(tmp_path):
    """A corpus whose texts, titles and notes hold script and onerror markup: nothing runs."""
    from conftest import FIXTURES
    from fplang.book.run import run_book

    params = tmp_path / "params.yml"
    params.write_text(f"corpus: {FIXTURES / 'manifests' / 'xss' / 'corpus.csv'}\n", encoding="utf-8")
    html_root = run_book(params, tmp_path / "out", progress=False).html
    for page in html_root.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        for payload in ("<script>alert(", "<img src=x onerror", "<svg onload", "<b>bold</b>"):
            assert payload not in text, f"{page.name} holds raw {payload!r}"
    shown = "".join(p.read_text(encoding="utf-8") for p in (html_root / "notebooks").glob("*.html"))
    assert "&lt;script&gt;alert(4)&lt;/script&gt; A title" in shown  # the title, escaped, in the documents table
    server, base = serve(html_root)
    try:
        seen = visit_every_page(base, html_root, ARTIFACTS / "xss")
    finally:
        server.shutdown()
    assert seen["dialogs"] == [], "document text ran as script"
    assert seen["blocked"] == [] and seen["errors"] == [] and seen["problems"] == []
