"""Re-running the whole book on another corpus: the worked example of data/examples/arcadia.

The example is a synthetic corpus written so that every count is known by
construction.  The expected values below were worked out by hand from the
four texts (the token lists are written out, not produced by fplang), so the
test checks the pipeline against the texts, not against itself.
"""

from __future__ import annotations

import filecmp
import html
import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from conftest import ROOT, chart_specs, reader_text

EXAMPLE = ROOT / "data" / "examples" / "arcadia"

TOKENS = {
    "a1": "arcadia comes to this assembly in peace "
    "arcadia is neutral and will stay neutral we want free trade and cooperation with all",
    # the last paragraph is printed twice; the repeat is removed by cleaning
    "a2": "since 1990 arcadia has been non aligned peaceful relations and trade matter most "
    "trade is the base of all our cooperation",
    "a3": "arcadia and its neighbours have built a strategic partnership our strategy is peace "
    "we are a partner for cooperation and for trade",
    "a4": "arcadia's strategic choice is clear strategic partnership with all neutral in every war",
}
"""Each document's tokens after cleaning, by hand (a hyphen splits a word; an apostrophe does not)."""

SENTENCES = {"a1": 3, "a2": 3, "a3": 3, "a4": 1}
VENUE = {"a1": "un", "a2": "national", "a3": "un", "a4": "national"}
PUBLISHED = {"a1": "1992-09-24", "a2": "1998", "a3": "2015-09-28", "a4": "2024-03"}

CONCEPT_COUNTS = {
    ("a1", "neutrality"): 2,  # neutral, neutral
    ("a1", "peace"): 1,
    ("a1", "trade"): 1,  # "free trade" is one match
    ("a1", "cooperation"): 1,
    ("a2", "neutrality"): 1,  # non-aligned
    ("a2", "peace"): 1,  # peaceful
    ("a2", "trade"): 2,  # the repeated paragraph's "trade" is not counted
    ("a2", "cooperation"): 1,
    ("a3", "partnership"): 2,  # "strategic partnership" (not also strategy), partner
    ("a3", "strategy"): 1,  # strategy
    ("a3", "peace"): 1,
    ("a3", "cooperation"): 1,
    ("a3", "trade"): 1,
    ("a4", "strategy"): 1,  # the first "strategic"
    ("a4", "partnership"): 1,  # "strategic partnership"
    ("a4", "neutrality"): 1,
}
CONCEPTS = ["neutrality", "peace", "partnership", "strategy", "cooperation", "trade"]
REMOVED_CHARS = {"a1": 1, "a2": len("Trade is the base of all our cooperation.\n") + 2, "a3": 1, "a4": 1}
"""Cleaning removes each file's final newline; in a2 also the repeated paragraph and the blank line before it."""


def _texts() -> dict[str, str]:
    manifest = pd.read_csv(EXAMPLE / "corpus.csv", dtype=str)
    return {row.doc_id: (EXAMPLE / row.path).read_text(encoding="utf-8") for row in manifest.itertuples()}


SNAPSHOTS: dict[str, dict[str, tuple[int, int]]] = {}
"""The project's input files before and after the run (see the fixture)."""


def _snapshot() -> dict[str, tuple[int, int]]:
    """Size and modification time of every input of the book: data (but data/processed), chapters, pages, code."""
    roots = [ROOT / "data", ROOT / "notebooks", ROOT / "book", ROOT / "src"]
    files = [ROOT / "_config.yml", ROOT / "_toc.yml"]
    files += [f for root in roots for f in root.rglob("*") if f.is_file()]
    skipped = ("processed", "__pycache__", ".ipynb_checkpoints")
    return {
        str(f.relative_to(ROOT)): (f.stat().st_size, f.stat().st_mtime_ns)
        for f in files
        if not any(part in skipped for part in f.relative_to(ROOT).parts)
    }


@pytest.fixture(scope="module")
def run(tmp_path_factory) -> Path:
    from fplang.book.run import run_book

    out = tmp_path_factory.mktemp("arcadia") / "run"
    SNAPSHOTS["before"] = _snapshot()
    summary = run_book(EXAMPLE / "params.yml", out, progress=False)
    SNAPSHOTS["after"] = _snapshot()
    assert (summary.documents, summary.tokens) == (4, sum(len(t.split()) for t in TOKENS.values()))
    return out


@pytest.mark.slow
@pytest.mark.xdist_group("papermill")
def test_documents_table_holds_the_hand_counted_sizes_and_the_variable(run):
    documents = pd.read_csv(run / "data" / "documents.csv", dtype={"published": str}).set_index("doc_id")
    texts = _texts()
    assert sorted(documents.index) == ["a1", "a2", "a3", "a4"]
    for doc_id, tokens in TOKENS.items():
        row = documents.loc[doc_id]
        assert row["tokens"] == len(tokens.split()), doc_id
        assert row["sentences"] == SENTENCES[doc_id], doc_id
        assert row["venue"] == VENUE[doc_id]
        assert row["published"] == PUBLISHED[doc_id]
        assert row["published_year"] == int(PUBLISHED[doc_id][:4])
        assert row["chars_raw"] == len(texts[doc_id])
        assert row["chars_clean"] == len(texts[doc_id]) - REMOVED_CHARS[doc_id]


@pytest.mark.slow
@pytest.mark.xdist_group("papermill")
def test_concept_counts_are_the_counts_known_by_construction(run):
    counts = pd.read_csv(run / "data" / "concept_counts.csv")
    assert list(counts.columns) == ["doc_id", "concept", "count"]
    expected = {(d, c): CONCEPT_COUNTS.get((d, c), 0) for d in TOKENS for c in CONCEPTS}
    got = {(row.doc_id, row.concept): row.count for row in counts.itertuples()}
    assert got == expected


@pytest.mark.slow
@pytest.mark.xdist_group("papermill")
def test_rates_are_per_1000_tokens_with_garwood_intervals(run):
    rates = pd.read_csv(run / "data" / "concept_rates_by_document.csv")
    assert len(rates) == 4 * len(CONCEPTS)
    for row in rates.itertuples():
        k, n = CONCEPT_COUNTS.get((row.doc_id, row.concept), 0), len(TOKENS[row.doc_id].split())
        assert (row.count, row.tokens) == (k, n)
        assert row.rate_per_1000 == pytest.approx(1000 * k / n, abs=1e-6)
        low = 0.0 if k == 0 else stats.chi2.ppf(0.025, 2 * k) / 2
        high = stats.chi2.ppf(0.975, 2 * k + 2) / 2
        assert row.ci_low == pytest.approx(1000 * low / n, abs=1e-5)
        assert row.ci_high == pytest.approx(1000 * high / n, abs=1e-5)


@pytest.mark.slow
@pytest.mark.xdist_group("papermill")
def test_every_count_has_its_concordance_line_and_the_overlap_rule_holds(run):
    lines = pd.read_csv(run / "data" / "concordance.csv")
    per_pair = Counter(zip(lines["doc_id"], lines["concept"], strict=True))
    assert dict(per_pair) == CONCEPT_COUNTS
    a4 = lines[lines["doc_id"] == "a4"]
    assert a4["match"].tolist() == ["strategic", "strategic partnership", "neutral"]
    assert not ((lines["concept"] == "strategy") & (lines["match"].str.contains("partnership"))).any()


@pytest.mark.slow
@pytest.mark.xdist_group("papermill")
def test_sentences_are_dated_by_the_runs_own_periods(run):
    sentences = pd.read_csv(run / "data" / "sentence_periods.csv").set_index(["doc_id", "sentence_id"])
    assert len(sentences) == sum(SENTENCES.values())
    dated = sentences[~sentences["inherited"]]
    assert dated.index.tolist() == [("a2", 0)]  # "Since 1990, ..."
    assert dated.iloc[0][["spoken_start", "spoken_end", "period_id", "rule"]].tolist() == [
        1990, 1998, "cold_war_end", "since_year"
    ]  # fmt: skip
    assert set(sentences["period_id"]) == {"cold_war_end", "new_century"}
    by_period = pd.read_csv(run / "data" / "tokens_by_period.csv").set_index("period_id")
    assert by_period.loc["cold_war_end", ["sentences", "tokens", "with_evidence"]].tolist() == [6, 22 + 21, 1]
    assert by_period.loc["new_century", ["sentences", "tokens", "with_evidence"]].tolist() == [4, 22 + 13, 0]


@pytest.mark.slow
@pytest.mark.xdist_group("papermill")
def test_keyness_compares_the_un_statements_with_the_rest_by_hand_counted_terms(run):
    target = Counter(TOKENS["a1"].split() + TOKENS["a3"].split())
    reference = Counter(TOKENS["a2"].split() + TOKENS["a4"].split())
    c, d = sum(target.values()), sum(reference.values())
    key = pd.read_csv(run / "data" / "keyness.csv", keep_default_na=False)
    assert {"peace", "arcadia", "trade", "cooperation"} <= set(key["term"])
    for row in key.itertuples():
        a, b = target[row.term], reference[row.term]
        assert (row.target_count, row.reference_count) == (a, b), row.term
        assert a + b >= 2  # min_frequency in params.yml
        table = np.array([[a, b], [c - a, d - b]], dtype=float)
        g2 = stats.chi2_contingency(table, correction=False, lambda_="log-likelihood")[0]
        assert abs(row.g2) == pytest.approx(g2, abs=1e-5), row.term
        assert np.sign(row.g2) == np.sign(a / c - b / d), row.term


@pytest.mark.slow
@pytest.mark.xdist_group("papermill")
def test_nothing_of_the_default_corpus_is_in_any_table(run):
    """Every id, concept and period in DIR/data is the example's; no seed, UN speech or book concept leaks in."""
    data = run / "data"
    periods = {"cold_war_end", "new_century"}
    for table in sorted(data.glob("*.csv")):
        frame = pd.read_csv(table, dtype=str, keep_default_na=False)
        for column in ("doc_id", "doc_a", "doc_b"):
            if column in frame:
                assert set(frame[column]) <= set(TOKENS), (table.name, column)
        if "concept" in frame:
            assert set(frame["concept"]) <= set(CONCEPTS), table.name
        if "period_id" in frame:
            assert set(frame["period_id"]) - {""} <= periods, table.name
        text = table.read_text(encoding="utf-8")
        for marker in ("seed_0", "VNM", "strategic_autonomy", "Viet Nam"):
            assert marker not in text, (table.name, marker)
    assert not any(name.startswith(("un_", "formula_")) for name in (p.name for p in data.iterdir()))


@pytest.mark.slow
@pytest.mark.xdist_group("papermill")
def test_the_rerun_book_leaves_out_the_books_own_findings_and_says_what_it_is(run):
    html = run / "html"
    intro = (html / "book" / "intro.html").read_text(encoding="utf-8")
    assert "re-run with" in intro and "corpus.csv" in intro
    findings = (html / "notebooks" / "08_findings.html").read_text(encoding="utf-8")
    assert "machine rewrite" not in findings and "Strategic autonomy" not in findings
    assert "The book states its findings for its own corpus" in findings
    formulas = (html / "notebooks" / "04_formulas.html").read_text(encoding="utf-8")
    assert "does not apply" in formulas and "What each Congress said" not in formulas
    un = (html / "notebooks" / "06_un.html").read_text(encoding="utf-8")
    assert "no UN corpus was given" in un
    # what a reader reads and the charts' titles; the code behind a chart, one click away, names the claim it checks
    page = html / "notebooks" / "03_concepts.html"
    titles = " ".join(json.dumps(spec.get("title"), ensure_ascii=False) for _, spec in chart_specs(page))
    assert "Rates of the key concepts in each document" in titles  # the neutral title, not the book's finding
    assert "14th-Congress texts alone" not in titles + reader_text(page)
    distinctive = (html / "notebooks" / "05_distinctive.html").read_text(encoding="utf-8")
    assert "What is distinctive: the target documents against the rest" in distinctive
    for page in html.glob("notebooks/*.html"):  # nor in the navigation (the introduction describes the book itself)
        assert "What is new at the 14th Congress" not in page.read_text(encoding="utf-8"), page.name


THE_BOOKS_OWN_WORDS = ("Viet Nam", "Vietnam", "VNM", "Đổi Mới", "Doi Moi", "WTO")
"""Words that belong to the book's own corpus: its state, its code, its landmarks."""

THE_BOOKS_OWN_PAGES = frozenset(
    {"book/intro.html", "book/glossary.html", "book/method.html", "book/reproducing.html", "book/rerun.html"}
)
"""The only pages of a re-run that may name them: the introduction (whose note says that the
chapters are another corpus's and that it and the pages on method and reproducibility describe
the book itself) and those method and reproducibility pages, copied as they are.  Every chapter,
the index and the search page, and every page's title and navigation, must not."""


def visible_text(page: Path) -> str:
    """What a reader of an HTML page can see or a search engine index: the text, without scripts and styles."""
    markup = re.sub(r"<(script|style)\b.*?</\1>", " ", page.read_text(encoding="utf-8"), flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


@pytest.mark.slow
@pytest.mark.xdist_group("papermill")
def test_the_rerun_book_names_nothing_of_viet_nam_outside_the_books_own_pages(run):
    pages = sorted(run.joinpath("html").rglob("*.html"))
    checked = [page for page in pages if page.relative_to(run / "html").as_posix() not in THE_BOOKS_OWN_PAGES]
    chapters = {f"notebooks/{path.stem}.html" for path in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    assert len(chapters) == 8 and chapters <= {page.relative_to(run / "html").as_posix() for page in checked}
    found = [
        f"{page.relative_to(run / 'html')}: {word!r} in ...{text[max(0, at - 60) : at + 60]!r}..."
        for page in checked
        for text in [" ".join(visible_text(page).split())]
        for word in THE_BOOKS_OWN_WORDS
        if (at := text.lower().find(word.lower())) >= 0
    ]
    assert found == [], "\n".join(found)
    assert "Viet Nam" in visible_text(run / "html" / "book" / "intro.html")  # the check can see the words


@pytest.mark.slow
@pytest.mark.xdist_group("papermill")
def test_the_run_writes_only_in_its_folder_and_never_touches_its_inputs(run):
    assert SNAPSHOTS["before"] == SNAPSHOTS["after"]
    assert any(name.startswith("data/examples/arcadia/") for name in SNAPSHOTS["before"])  # the inputs were watched
    assert sorted(p.name for p in run.iterdir()) == sorted(  # and no .partial left
        [".fplang-run.json", ".fplang-run.lock", "data", "html", "notebooks"]
    )


@pytest.mark.slow
@pytest.mark.xdist_group("papermill")
def test_two_runs_give_byte_identical_tables(run, tmp_path):
    from fplang.book.run import run_book

    again = tmp_path / "again"
    run_book(EXAMPLE / "params.yml", again, build_html=False, progress=False)
    first = sorted(str(p.relative_to(run / "data")) for p in (run / "data").rglob("*") if p.is_file())
    assert first == sorted(str(p.relative_to(again / "data")) for p in (again / "data").rglob("*") if p.is_file())
    match, mismatch, errors = filecmp.cmpfiles(run / "data", again / "data", first, shallow=False)
    assert (mismatch, errors) == ([], [])
    assert len(match) == len(first) >= 15
    assert any(name.endswith("sentences.parquet") for name in match)  # the corpus build too


def test_the_example_inputs_are_valid_and_the_cli_says_so(capsys):
    from fplang.book.cli import main

    assert main(["validate", "--params", str(EXAMPLE / "params.yml")]) == 0
    assert "OK, usable" in capsys.readouterr().out
