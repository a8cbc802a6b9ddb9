"""The book re-run on corpora larger than its own: Viet Nam's 47 committed UN speeches."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from conftest import ROOT

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
