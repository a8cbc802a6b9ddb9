"""The corpus build: the tables the chapters read, made once, reused while nothing changed, the same everywhere."""

from __future__ import annotations

import filecmp
import shutil

import pandas as pd
import pytest

from conftest import FIXTURES, ROOT
from fplang.build import build_corpus
from fplang.build.stamp import read_stamp

LEXICON = ROOT / "data" / "lexicon.yml"
PERIODS = ROOT / "data" / "periods.csv"


def _build(manifest, out, **options):
    return build_corpus(manifest, LEXICON, PERIODS, out, progress=False, **options)


def test_the_build_holds_the_tables_prepare_corpus_gives_and_the_counts_of_the_engine(tmp_path, seed_corpus):
    from fplang.counting import count_concepts, load_lexicon

    build = _build(ROOT / "data" / "corpus.csv", tmp_path, scheduler="synchronous")
    pd.testing.assert_frame_equal(build.documents, seed_corpus.documents, check_dtype=False)
    sentences = build.sentences
    pd.testing.assert_frame_equal(sentences[seed_corpus.sentences.columns.tolist()], seed_corpus.sentences, check_dtype=False)
    dense = count_concepts(seed_corpus.sentences["text"].reset_index(drop=True), load_lexicon(LEXICON))
    expected = dense[dense["count"] > 0]
    counts = build.table("sentence_counts")
    assert counts["count"].tolist() == expected["count"].tolist()
    assert counts["concept"].tolist() == expected["concept"].astype(str).tolist()
    matches = build.table("matches")
    assert len(matches) == counts["count"].sum() > 100
    for row in matches.head(50).itertuples():  # every match is the slice of its sentence it says it is
        text = sentences.set_index(["doc_id", "sentence_id"]).at[(row.doc_id, row.sentence_id), "text"]
        assert text[row.start : row.end] == row.text


def test_a_build_is_reused_while_its_inputs_stay_and_made_again_when_one_changes(tmp_path):
    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "manifests" / "good", corpus)
    lexicon = tmp_path / "lexicon.yml"
    shutil.copy(LEXICON, lexicon)
    first = build_corpus(corpus / "corpus.csv", lexicon, PERIODS, tmp_path / "out", scheduler="synchronous", progress=False)
    again = build_corpus(corpus / "corpus.csv", lexicon, PERIODS, tmp_path / "out", scheduler="synchronous", progress=False)
    assert (first.reused, again.reused) == (False, True) and again.folder == first.folder
    lexicon.write_text(lexicon.read_text(encoding="utf-8") + "\n# a comment changes the file\n", encoding="utf-8")
    changed = build_corpus(corpus / "corpus.csv", lexicon, PERIODS, tmp_path / "out", scheduler="synchronous", progress=False)
    assert not changed.reused and changed.stamp["lexicon_sha256"] != first.stamp["lexicon_sha256"]
    assert sorted(p.name for p in (tmp_path / "out" / "build").iterdir() if not p.name.startswith(".")) == [first.folder.name]


def test_a_text_that_changed_after_validation_is_refused_by_its_checksum(tmp_path):
    from fplang.corpus.manifest import CorpusError

    with pytest.raises(CorpusError, match="checksum mismatch"):
        _build(FIXTURES / "manifests" / "checksum_mismatch" / "corpus.csv", tmp_path, scheduler="synchronous")
    assert not (tmp_path / "build").exists() or not any((tmp_path / "build").glob("[!.]*"))



def test_a_chapter_reads_from_the_build_the_corpus_prepare_corpus_gives_and_the_dates_attribute_periods_gives(
    tmp_path, seed_corpus
):
    from fplang.build import load_corpus
    from fplang.periods import attribute_periods, load_periods

    loaded = load_corpus(ROOT / "data" / "corpus.csv", tmp_path, lexicon=LEXICON, periods=PERIODS, scheduler="synchronous")
    # the document variables keep their types (congress Int64 with gaps: "14", not "14.0", for chapter 7's target)
    pd.testing.assert_frame_equal(loaded.documents, seed_corpus.documents)
    pd.testing.assert_frame_equal(loaded.sentences, seed_corpus.sentences, check_dtype=False)
    pd.testing.assert_frame_equal(loaded.cleaning_report, seed_corpus.cleaning_report, check_dtype=False)
    assert loaded.cleaned.to_dict() == seed_corpus.cleaned.to_dict()
    assert loaded.raw.to_dict() == seed_corpus.raw.to_dict()
    expected = attribute_periods(seed_corpus.sentences, load_periods(PERIODS))
    pd.testing.assert_frame_equal(loaded.dated_sentences(), expected, check_dtype=False)
    # the seeds hold multi-era spans ("over the past eight decades" in 2025), kept out of every era by the build too
    spanning = loaded.dated_sentences().query("multi_era")
    assert len(spanning) and spanning["period_id"].isna().all() and spanning["eras"].str.contains("; ").all()

    fewer = loaded.without(["seed_002"])
    assert "seed_002" not in set(fewer.documents["doc_id"]) | set(fewer.dated_sentences()["doc_id"])
    expected = attribute_periods(seed_corpus.without(["seed_002"]).sentences, load_periods(PERIODS))
    pd.testing.assert_frame_equal(fewer.dated_sentences(), expected, check_dtype=False)


def test_a_loaded_corpus_reads_a_table_only_when_asked_and_copies_the_processed_tables_as_arrow(tmp_path, seed_corpus):
    from fplang.build import load_corpus
    from fplang.corpus import documents_cleaning_summary, write_processed
    from fplang.corpus.clean import cleaning_summary

    loaded = load_corpus(ROOT / "data" / "corpus.csv", tmp_path, lexicon=LEXICON, periods=PERIODS, scheduler="synchronous")
    fewer = loaded.without(["seed_002"])
    assert not {"raw", "cleaned", "cleaning_report", "sentences", "dates"} & set(vars(fewer))  # nothing read yet
    pd.testing.assert_frame_equal(fewer.sentences, seed_corpus.without(["seed_002"]).sentences, check_dtype=False)
    assert set(vars(fewer)) & {"raw", "cleaned", "cleaning_report", "dates"} == set()  # the texts were never read
    # the cleaning summary from the documents' character counts is the one computed from the texts
    pd.testing.assert_frame_equal(
        documents_cleaning_summary(fewer.documents, fewer.cleaning_report),
        cleaning_summary(seed_corpus.raw, seed_corpus.cleaned, seed_corpus.cleaning_report)
        .query("doc_id != 'seed_002'")
        .reset_index(drop=True),
    )
    write_processed(fewer, tmp_path / "frames")  # through pandas frames, as for any corpus
    write_processed(seed_corpus.without(["seed_002"]), tmp_path / "prepared")
    fewer.write_processed(tmp_path / "arrow")
    for name in ("documents", "sentences", "cleaning_report", "cleaned_texts"):
        copied = pd.read_parquet(tmp_path / "arrow" / f"{name}.parquet")
        pd.testing.assert_frame_equal(copied, pd.read_parquet(tmp_path / "frames" / f"{name}.parquet"))
        pd.testing.assert_frame_equal(copied, pd.read_parquet(tmp_path / "prepared" / f"{name}.parquet"), check_dtype=False)


def test_a_chapter_without_a_lexicon_reads_the_runs_build_whatever_its_lexicon_and_selects_documents(tmp_path):
    from fplang.build import load_corpus

    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "manifests" / "good", corpus)
    lexicon = tmp_path / "lexicon.yml"
    lexicon.write_text(LEXICON.read_text(encoding="utf-8") + "\n# the run's own lexicon\n", encoding="utf-8")
    made = build_corpus(corpus / "corpus.csv", lexicon, PERIODS, tmp_path / "out", scheduler="synchronous", progress=False)
    loaded = load_corpus(corpus / "corpus.csv", tmp_path / "out")  # no lexicon: the run's build, not a new one
    assert loaded.folder == made.folder and read_stamp(made.folder / "stamp.json") == made.stamp
    chosen = load_corpus(corpus / "corpus.csv", tmp_path / "out", select={"published": ["2026"]})
    assert chosen.documents["doc_id"].tolist() == ["d2"] and set(chosen.dates["doc_id"]) == {"d2"}
    with pytest.raises(KeyError, match="no column 'nowhere'"):
        load_corpus(corpus / "corpus.csv", tmp_path / "out", select={"nowhere": [1]})

    (corpus / "corpus.csv").write_text((corpus / "corpus.csv").read_text(encoding="utf-8") + "\n", encoding="utf-8")
    rebuilt = load_corpus(corpus / "corpus.csv", tmp_path / "out", scheduler="synchronous")  # the manifest changed
    assert read_stamp(rebuilt.folder / "stamp.json")["lexicon_sha256"] != made.stamp["lexicon_sha256"]

def test_a_build_reads_each_text_once_and_gives_each_stage_its_wall_and_cpu_seconds(tmp_path, monkeypatch):
    import builtins
    import io

    from fplang.build import STAGES

    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "manifests" / "good", corpus)
    texts = {str((corpus / "texts" / name).resolve()) for name in ("a.txt", "b.txt")}
    opened: list[str] = []
    real_open = builtins.open

    def counting_open(file, *args, **kwargs):
        if str(file) in texts:
            opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", counting_open)
    monkeypatch.setattr(io, "open", counting_open)
    build = _build(corpus / "corpus.csv", tmp_path / "out", scheduler="synchronous")
    assert sorted(opened) == sorted(texts)  # validation read each text once, and the build took those bytes
    assert set(build.seconds) == set(build.cpu_seconds) == set(STAGES)
    assert all(seconds >= 0 for seconds in [*build.seconds.values(), *build.cpu_seconds.values()])
    assert build.manifest is not None and build.manifest["doc_id"].tolist() == ["d1", "d2"]
    opened.clear()
    again = _build(corpus / "corpus.csv", tmp_path / "out", scheduler="synchronous")
    assert again.reused and sorted(opened) == sorted(texts)  # the stored build's check reads each once too


def test_a_stored_build_replaced_while_its_inputs_were_checked_is_built_again_from_the_texts(tmp_path, monkeypatch):
    import json

    from fplang.build import corpus_build

    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "manifests" / "good", corpus)
    first = _build(corpus / "corpus.csv", tmp_path / "out", scheduler="synchronous")
    tables = {name: first.table(name) for name in ("documents", "sentences", "matches")}
    real = corpus_build.load_manifest_and_texts
    kept = []

    def replaced_meanwhile(manifest, *, keep_texts=True):
        kept.append(keep_texts)
        stamp = first.folder / "stamp.json"
        stamp.write_text(json.dumps(json.loads(stamp.read_text()) | {"n_texts": 99}), encoding="utf-8")
        return real(manifest, keep_texts=keep_texts)

    monkeypatch.setattr(corpus_build, "load_manifest_and_texts", replaced_meanwhile)
    again = _build(corpus / "corpus.csv", tmp_path / "out", scheduler="synchronous")
    assert kept == [False, True] and not again.reused and again.stamp == first.stamp
    for name, table in tables.items():
        pd.testing.assert_frame_equal(again.table(name), table)


def test_the_per_document_seconds_are_the_tasks_elapsed_time_shared_out_by_cpu_seconds():
    from fplang.build.corpus_build import _shared_out

    shared = _shared_out(10.0, {"clean": 6.0, "segment": 1.0, "count": 1.0, "date": 4.0})
    assert shared == pytest.approx({"clean": 5.0, "segment": 10 / 12, "count": 10 / 12, "date": 10 / 3})
    assert _shared_out(3.0, {"clean": 0.0}) == {"clean": 0.0}


def test_a_table_written_a_row_group_at_a_time_has_the_bytes_of_the_whole_table_written_at_once(tmp_path, monkeypatch):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from fplang.build import corpus_build

    monkeypatch.setattr(corpus_build, "ROW_GROUP_ROWS", 5_000)
    rows = 12_345
    whole = pa.table({"n": pa.array(range(rows), pa.int64()),
                      "text": [f"sentence {i} and its words " * (i % 29) for i in range(rows)]})  # fmt: skip
    chunked = pa.concat_tables([whole.slice(start, 1_777) for start in range(0, rows, 1_777)])  # as partitions give it
    corpus_build._write_table(chunked, tmp_path / "chunked.parquet")
    pq.write_table(whole, tmp_path / "whole.parquet", compression="zstd", write_statistics=False, row_group_size=5_000)
    assert (tmp_path / "chunked.parquet").read_bytes() == (tmp_path / "whole.parquet").read_bytes()
    assert pq.ParquetFile(tmp_path / "chunked.parquet").metadata.num_row_groups == 3
    # written as it comes, chunk ends cut the pages elsewhere: the bytes would depend on the partitioning
    pq.write_table(chunked, tmp_path / "as_chunked.parquet", compression="zstd", write_statistics=False,
                   row_group_size=5_000)  # fmt: skip
    assert (tmp_path / "as_chunked.parquet").read_bytes() != (tmp_path / "whole.parquet").read_bytes()


def test_a_text_reached_through_a_symbolic_link_is_checked_where_the_link_points(tmp_path):
    from fplang.corpus.manifest import load_manifest_and_texts, validate_manifest

    corpus = tmp_path / "corpus"
    shutil.copytree(FIXTURES / "manifests" / "good", corpus)
    (tmp_path / "elsewhere").mkdir()
    shutil.copy(corpus / "texts" / "b.txt", tmp_path / "elsewhere" / "b.txt")
    (corpus / "texts" / "inside.txt").symlink_to(corpus / "texts" / "b.txt")
    (corpus / "texts" / "outside.txt").symlink_to(tmp_path / "elsewhere" / "b.txt")
    (corpus / "shelf").symlink_to(tmp_path / "elsewhere")
    rows = (corpus / "corpus.csv").read_text(encoding="utf-8").splitlines()
    b_row = rows[2]
    rows += [b_row.replace("d2,texts/b.txt", f"d{n},{path}") for n, path in
             ((3, "texts/inside.txt"), (4, "texts/outside.txt"), (5, "shelf/b.txt"))]  # fmt: skip
    (corpus / "corpus.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    assert [str(problem) for problem in validate_manifest(corpus / "corpus.csv")] == [
        "corpus.csv row 4 (doc_id 'd4'), column path: 'texts/outside.txt' points outside the manifest's folder",
        "corpus.csv row 5 (doc_id 'd5'), column path: 'shelf/b.txt' points outside the manifest's folder",
    ]
    (corpus / "corpus.csv").write_text("\n".join(rows[:4]) + "\n", encoding="utf-8")
    frame, texts = load_manifest_and_texts(corpus / "corpus.csv")
    resolved = corpus.resolve() / "texts"
    assert frame["file"].tolist() == [str(resolved / "a.txt"), str(resolved / "b.txt"), str(resolved / "b.txt")]
    assert texts == [(resolved / name).read_bytes() for name in ("a.txt", "b.txt", "b.txt")]


def test_a_workers_warm_up_runs_every_stage_and_a_partition_measures_each_stage(tmp_path):
    from fplang.build import stages
    from fplang.counting import load_lexicon
    from fplang.periods import load_periods

    lexicon, periods = load_lexicon(LEXICON), load_periods(PERIODS)
    stages.warm_up(lexicon, periods)
    manifest = pd.read_csv(ROOT / "data" / "corpus.csv", dtype=str, keep_default_na=False).head(2)
    raw = [(ROOT / "data" / path).read_bytes() for path in manifest["path"]]
    done = stages.partition(manifest, raw, lexicon, periods)
    assert list(done.cpu_seconds) == ["clean", "segment", "count", "date"]
    alone = stages.segment(stages.clean(manifest, raw).texts, manifest["published"].tolist())
    assert done.sentences.column_names == [*alone.column_names, *stages.DATE_COLUMNS]
    assert done.sentences.select(alone.column_names).equals(alone)


@pytest.mark.slow
@pytest.mark.xdist_group("dask")
def test_the_tables_are_byte_identical_in_process_on_local_processes_and_on_a_local_cluster(tmp_path):
    from distributed import Client, LocalCluster

    manifest = ROOT / "data" / "raw" / "ungdc" / "manifest.csv"
    corpus = tmp_path / "vnm"
    shutil.copytree(manifest.parent / "texts", corpus / "texts")
    frame = pd.read_csv(manifest, dtype=str, keep_default_na=False)
    frame[frame["iso3"].isin(["VNM", "LAO"])].to_csv(corpus / "manifest.csv", index=False)
    folders = [
        _build(corpus / "manifest.csv", tmp_path / "synchronous", scheduler="synchronous", partition_bytes=10**9).folder,
        _build(corpus / "manifest.csv", tmp_path / "processes", scheduler="processes", partition_bytes=60_000).folder,
    ]
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        with Client(cluster) as client:
            folders.append(_build(corpus / "manifest.csv", tmp_path / "cluster", scheduler=client, partition_bytes=150_000).folder)
    names = sorted(path.name for path in folders[0].iterdir())
    assert len(names) == 7
    for other in folders[1:]:
        assert filecmp.cmpfiles(folders[0], other, names, shallow=False)[1:] == ([], [])


def test_the_page_bounds_pick_what_they_say_and_the_same_every_time():
    from fplang.analysis.sizes import largest_documents, seeded_sample, top_rows

    documents = pd.DataFrame({"doc_id": ["a", "b", "c", "d"], "tokens": [5, 9, 9, 1]})
    assert largest_documents(documents, 3) == ["b", "c", "a"]  # ties by id
    frame = pd.DataFrame({"n": range(100)})
    sample = seeded_sample(frame, 10)
    assert len(sample) == 10 and sample["n"].is_monotonic_increasing  # kept in order
    assert sample.equals(seeded_sample(frame, 10)) and seeded_sample(frame, 200).equals(frame)
    assert top_rows(documents, "tokens", 2)["doc_id"].tolist() == ["b", "c"]


def test_a_bounded_chart_or_table_says_what_it_kept_of_how_many_and_keeps_everything_when_small():
    from fplang.analysis import sizes

    documents = pd.DataFrame({"doc_id": [f"d{i}" for i in range(50)], "tokens": range(50)})
    rows = documents.loc[documents.index.repeat(3)].reset_index(drop=True)  # three rows a document
    drawn, note = sizes.of_largest_documents(rows, documents, n=5)
    assert sorted(set(drawn["doc_id"])) == ["d45", "d46", "d47", "d48", "d49"] and len(drawn) == 15
    assert note.startswith("Drawn for the 5 largest of the 50 documents")
    assert sizes.of_largest_documents(rows, documents, n=50) == (rows, "")

    drawn, note = sizes.sample_rows(rows, n=20)
    assert len(drawn) == 20 and "20 of the 150 rows (seed 20260121)" in note
    assert drawn.index.is_monotonic_increasing and drawn.equals(sizes.sample_rows(rows, n=20)[0])
    shown, note = sizes.top_table(documents, "tokens", "documents.csv", most="the most tokens", n=3)
    assert shown["doc_id"].tolist() == ["d49", "d48", "d47"]
    assert note == " Shown: the 3 rows of 50 with the most tokens; the full table is documents.csv."
    assert sizes.sample_table(documents, "documents.csv", n=60) == (documents, "")
    assert sizes.corpus_size_sentence(documents) == "This chapter ran on 50 documents (1,225 tokens)."
