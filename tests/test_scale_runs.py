"""The book re-run on corpora larger than its own: Viet Nam's 47 committed UN speeches, 2,000 generated documents."""

from __future__ import annotations

import json
import re
import shutil

import pandas as pd
import pytest

from conftest import ROOT
from generated_corpus import sentences_of, write_generated_corpus

PAGE_LIMIT_BYTES = 5 * 2**20


@pytest.mark.slow
@pytest.mark.xdist_group("papermill")
def test_the_book_reruns_on_viet_nams_47_un_speeches_with_pages_under_5_mb(tmp_path):
    from fplang.book.run import run_book

    source = ROOT / "data" / "raw" / "ungdc"
    manifest = pd.read_csv(source / "manifest.csv", dtype=str, keep_default_na=False)
    manifest = manifest[manifest["iso3"] == "VNM"]
    corpus = tmp_path / "vnm"
    (corpus / "texts").mkdir(parents=True)
    for path in manifest["path"]:
        shutil.copy(source / path, corpus / path)
    manifest.to_csv(corpus / "manifest.csv", index=False)
    (corpus / "params.yml").write_text("corpus: manifest.csv\nun_corpus: ''\n", encoding="utf-8")

    summary = run_book(corpus / "params.yml", tmp_path / "run", progress=False, scheduler="synchronous")
    assert summary.documents == 47 and summary.tokens > 100_000
    assert set(summary.builds) == {"corpus"}  # one build, shared by the chapters
    pages = list((tmp_path / "run" / "html").rglob("*.html"))
    assert len(pages) >= 7
    assert max(page.stat().st_size for page in pages) <= PAGE_LIMIT_BYTES
    documents = pd.read_csv(tmp_path / "run" / "data" / "documents.csv")
    assert sorted(documents["doc_id"]) == sorted(manifest["doc_id"])


def _chart_rows(page: str) -> list[int]:
    """The rows of every data set of every chart drawn on a page (the spec inlined in its vegaEmbed call)."""
    decoder, rows = json.JSONDecoder(), []
    for match in re.finditer(r"vegaEmbed\(target, ", page):
        spec, _ = decoder.raw_decode(page, match.end())
        rows += [len(values) for values in spec.get("datasets", {}).values()]
        rows += [len(spec["data"]["values"])] if isinstance(spec.get("data"), dict) and "values" in spec["data"] else []
    return rows


@pytest.mark.slow
@pytest.mark.xdist_group("papermill")
def test_the_book_reruns_on_2000_generated_documents_with_known_counts_and_bounded_charts_and_pages(tmp_path):
    from fplang.book.run import run_book

    expected = write_generated_corpus(tmp_path / "corpus", 2000)
    example = ROOT / "data" / "examples" / "arcadia"
    (tmp_path / "corpus" / "params.yml").write_text(
        f"corpus: corpus.csv\nlexicon: {example / 'lexicon.yml'}\nperiods: {example / 'periods.csv'}\n"
        "key_concepts: [neutrality, partnership, strategy, trade]\ntarget_variable: venue\ntarget_value: un\n"
        "min_frequency: 2\nsensitivity_exclude: [g00001]\n",
        encoding="utf-8",
    )
    summary = run_book(tmp_path / "corpus" / "params.yml", tmp_path / "run", progress=False)
    assert summary.documents == 2000 and set(summary.builds) == {"corpus"}

    counts = pd.read_csv(tmp_path / "run" / "data" / "concept_counts.csv")
    got = {(row.doc_id, row.concept): row.count for row in counts.itertuples() if row.count}
    assert got == expected
    documents = pd.read_csv(tmp_path / "run" / "data" / "documents.csv")
    assert documents["sentences"].sum() == sentences_of(2000)

    pages = {page.name: page.read_text(encoding="utf-8") for page in (tmp_path / "run" / "html").rglob("*.html")}
    assert max(len(text.encode("utf-8")) for text in pages.values()) <= PAGE_LIMIT_BYTES
    rows = [n for text in pages.values() for n in _chart_rows(text)]
    assert len(rows) >= 6 and max(rows) <= 5000
    assert sum("This chapter ran on 2,000 documents" in text for text in pages.values()) >= 4
