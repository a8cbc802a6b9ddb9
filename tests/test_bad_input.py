"""The bad-input suite: hostile and odd inputs are refused with a message, or give the clean twin's numbers.

One test per case found when the re-run route was tried as a hostile user
would (issue 10), grown with every bug found since.  Each expected message or
count is written out by hand from the input, not taken from fplang.  The
output folder's cases (``--out``, the lock, signals) are in
``test_outdir.py``; the cases of the corpus-scale work (20,000 dots in a row,
the repeated-paragraph check on 100,000 lines) belong to issue 14.

Inputs are small files under ``fixtures/bad_input`` whose names say what is
wrong, or a copy of the good test manifest (``fixtures/manifests/good``)
changed in one place.
"""

from __future__ import annotations

import hashlib
import shutil
import textwrap
import time
import unicodedata
from pathlib import Path

import pandas as pd
import pytest

from conftest import FIXTURES, ROOT
from fplang.book.cli import main

BAD = FIXTURES / "bad_input"
GOOD = FIXTURES / "manifests" / "good"
COLUMNS = "doc_id,path,title,published,doc_type,outlet,source_url,sha256,rights,notes"


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run ``fplang`` in-process: an exception escaping ``main`` fails the test (no traceback may reach a user)."""
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.err + captured.out


def _corpus(folder: Path, texts: dict[str, str | bytes], extra: dict[str, list[str]] | None = None,
            published: list[str] | None = None) -> Path:
    """A manifest in ``folder`` for ``texts`` (doc_id -> text), with the right checksums; returns its path."""
    (folder / "texts").mkdir(parents=True, exist_ok=True)
    rows = []
    for number, (doc_id, text) in enumerate(texts.items()):
        data = text if isinstance(text, bytes) else text.encode("utf-8")
        (folder / "texts" / f"{doc_id}.txt").write_bytes(data)
        date = published[number] if published else "2006-04-25"
        rows.append([doc_id, f"texts/{doc_id}.txt", "A text", date, "speech", "Test outlet",
                     "https://example.org/a", hashlib.sha256(data).hexdigest(), "CC0", ""])
    frame = pd.DataFrame(rows, columns=COLUMNS.split(","))
    for column, values in (extra or {}).items():
        frame[column] = values
    manifest = folder / "corpus.csv"
    frame.to_csv(manifest, index=False)
    return manifest


def _params(folder: Path, body: str) -> Path:
    """A parameters file beside a copy of the good corpus (``corpus.csv``) and a two-concept lexicon."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(GOOD, folder, dirs_exist_ok=True)
    shutil.copy(BAD / "lexicon_peace_trade.yml", folder / "lexicon.yml")
    params = folder / "params.yml"
    params.write_text("corpus: corpus.csv\nlexicon: lexicon.yml\n" + body, encoding="utf-8")
    return params


# --- YAML: no aliases, no repeated keys, nothing expanded into a message ----------------------


@pytest.mark.parametrize(
    ("args", "line"),
    [
        (["validate", str(GOOD / "corpus.csv"), "--lexicon", str(BAD / "lexicon_alias_bomb.yml")], 9),
        (["validate", "--params", str(BAD / "params_alias_bomb.yml")], 5),
    ],
)
def test_an_alias_bomb_is_refused_at_its_first_alias_in_no_time(capsys, args, line):
    from fplang.files import read_yaml

    status, said = _cli(capsys, *args)
    assert status == 1
    assert f"line {line}: uses the alias '*a'; aliases and merge keys are not allowed" in said
    assert "lol, lol" not in said and len(said) < 500  # nothing expanded, nothing of the file quoted
    began = time.perf_counter()
    read_yaml(args[-1])  # the reader every YAML input goes through (lexicon, parameters)
    assert time.perf_counter() - began < 1.0  # before: 48 s and 3.5 GB for 500 bytes; 546 bytes never finished


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        ("lexicon_concept_key_twice.yml", "lexicon_concept_key_twice.yml, line 11: the key 'peace' repeats line 3"),
        ("lexicon_patterns_key_twice.yml", "lexicon_patterns_key_twice.yml, line 7: the key 'patterns' repeats line 6"),
    ],
)
def test_a_key_repeated_at_any_level_of_a_lexicon_is_refused_naming_both_lines(capsys, file_name, expected):
    status, said = _cli(capsys, "validate", str(GOOD / "corpus.csv"), "--lexicon", str(BAD / file_name))
    assert status == 1
    assert expected + "; a repeated key would silently replace the first value" in said


def test_a_key_repeated_in_the_parameters_file_is_refused(capsys):
    status, said = _cli(capsys, "validate", "--params", str(BAD / "params_corpus_key_twice.yml"))
    assert (status, said.strip()) == (
        1,
        "fplang validate: 1 problem in the run's parameters and inputs:\n"
        "  - params_corpus_key_twice.yml, line 3: the key 'corpus' repeats line 1; a repeated key would "
        "silently replace the first value (remove or rename one)",
    )


def test_a_parameters_file_that_is_not_utf8_is_refused_naming_the_byte(capsys):
    status, said = _cli(capsys, "validate", "--params", str(BAD / "params_not_utf8.yml"))
    # "corpus: corpus.csv\n" is 19 bytes and "# caf" 5 more: the Latin-1 é is byte 24 (from 0)
    assert status == 1 and "params_not_utf8.yml: not valid UTF-8 (byte 24)" in said


def test_a_key_concept_that_the_lexicon_lacks_is_refused_naming_line_and_key(tmp_path, capsys):
    params = tmp_path / "params.yml"
    _params(tmp_path, "")
    shutil.copy(BAD / "params_unknown_key_concept.yml", params)
    status, said = _cli(capsys, "validate", "--params", str(params))
    assert status == 1
    assert "params.yml, line 3, key 'key_concepts': 'nope' is not a concept of lexicon.yml" in said
    assert "'peace' is not" not in said


# --- the manifest: reserved names, repeated columns, values a chapter cannot hold -----------


@pytest.mark.parametrize("header", ["tokens:int", "file:str", "published_year:int", "sentences", "chars_clean:int"])
def test_a_document_variable_may_not_take_a_computed_columns_name(tmp_path, capsys, header):
    manifest = _corpus(tmp_path, {"d1": "Peace."}, {header: ["1"]})
    status, said = _cli(capsys, "validate", str(manifest))
    name = header.partition(":")[0]
    assert status == 1
    assert (
        f"corpus.csv, column {header}: {name!r} is the name of a column fplang computes "
        "(file, published_year, tokens, sentences, chars_raw, chars_clean); rename the variable"
    ) in said


def test_a_column_that_appears_twice_is_refused_naming_both_places(tmp_path, capsys):
    manifest = _corpus(tmp_path, {"d1": "Peace."})
    lines = manifest.read_text(encoding="utf-8").splitlines()
    manifest.write_text(f"{lines[0]},title\n{lines[1]},Another title\n", encoding="utf-8")
    status, said = _cli(capsys, "validate", str(manifest))
    assert status == 1
    assert "corpus.csv, line 1, column title: column name repeats column 3 (columns 3 and 11)" in said
    assert "title.1" not in said


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ({"weight:int": ["100000000000000000000000"]},
         "column weight:int: '100000000000000000000000' is too large for a whole number "
         "(at most 9,223,372,036,854,775,807 either way)"),
        ({"weight:int": ["9223372036854775807"]}, None),  # the largest 64-bit integer is fine
        ({"share:float": ["inf"]}, "column share:float: 'inf' is not a finite number"),
        ({"share:float": ["nan"]}, "column share:float: 'nan' is not a finite number"),
    ],
)
def test_a_number_a_chapter_cannot_hold_is_refused(tmp_path, capsys, extra, expected):
    status, said = _cli(capsys, "validate", str(_corpus(tmp_path, {"d1": "Peace."}, extra)))
    if expected is None:
        assert status == 0, said
    else:
        assert status == 1 and f"corpus.csv row 1 (doc_id 'd1'), {expected}" in said


@pytest.mark.parametrize(
    ("published", "expected"),
    [
        ("0000", "'0000' is not a real date (there is no year 0)"),
        ("0999", "'0999' is outside the years the book can place on a time axis (1678 to 2261)"),
        ("0999-05-01", "'0999-05-01' is outside the years the book can place on a time axis (1678 to 2261)"),
        ("1500-05-01", "'1500-05-01' is outside the years the book can place on a time axis (1678 to 2261)"),
        ("2262-01", "'2262-01' is outside the years the book can place on a time axis (1678 to 2261)"),
        ("1500-02-30", "'1500-02-30' is not a real date"),
        ("1678", None),
        ("2261-12-31", None),
    ],
)
def test_a_publication_date_must_exist_and_fit_the_time_axis(tmp_path, capsys, published, expected):
    manifest = _corpus(tmp_path, {"d1": "Peace."}, published=[published])
    status, said = _cli(capsys, "validate", str(manifest))
    if expected is None:
        assert status == 0, said
    else:
        assert status == 1 and f"corpus.csv row 1 (doc_id 'd1'), column published: {expected}" in said


def test_a_text_holding_a_nul_is_refused_naming_where(tmp_path, capsys):
    manifest = _corpus(tmp_path, {"d1": b"Peace and trade.\x00\x00More."})
    status, said = _cli(capsys, "validate", str(manifest))
    assert status == 1
    assert "corpus.csv row 1 (doc_id 'd1'), column path: 'texts/d1.txt' holds a NUL character (at character 17)" in said


def test_a_system_file_given_as_the_corpus_is_refused_without_quoting_it(tmp_path, capsys):
    passwd = tmp_path / "passwd"
    passwd.write_text("root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n")
    status, said = _cli(capsys, "validate", str(passwd))
    assert status == 1
    assert "passwd: is not a corpus manifest: its first line names none of the columns doc_id, path," in said
    assert "root" not in said and "daemon" not in said


def test_a_system_file_named_as_the_corpus_in_the_parameters_is_refused_without_quoting_it(tmp_path, capsys):
    (tmp_path / "passwd").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    params = tmp_path / "params.yml"
    params.write_text("corpus: passwd\n", encoding="utf-8")  # before: refused, quoting the file's first line
    status, said = _cli(capsys, "validate", "--params", str(params))
    assert status == 1 and "passwd: is not a corpus manifest: its first line names none of the columns" in said
    assert "root" not in said


def test_a_symbolic_link_loop_is_reported_not_raised(tmp_path, capsys):
    manifest = _corpus(tmp_path, {"d1": "Peace."})
    (tmp_path / "texts" / "d1.txt").unlink()
    (tmp_path / "texts" / "d1.txt").symlink_to(tmp_path / "texts" / "d1.txt")
    status, said = _cli(capsys, "validate", str(manifest))
    assert status == 1 and "column path: 'texts/d1.txt' is a loop of symbolic links" in said
    (tmp_path / "loop.csv").symlink_to(tmp_path / "loop.csv")
    params = tmp_path / "params.yml"
    params.write_text("corpus: loop.csv\n", encoding="utf-8")
    status, said = _cli(capsys, "validate", "--params", str(params))
    assert status == 1 and "params.yml, key 'corpus': the path is a loop of symbolic links" in said


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ('"corpus\\0.csv"', "key 'corpus': the path holds a NUL character, which no path can"),
        ("x" * 6000, "key 'corpus': the path is too long (6,000 characters; a path may have 4,096"),
    ],
)
def test_a_path_no_file_can_have_is_reported_not_raised(tmp_path, capsys, value, expected):
    params = tmp_path / "params.yml"
    params.write_text(f"corpus: {value}\n", encoding="utf-8")
    status, said = _cli(capsys, "validate", "--params", str(params))
    assert status == 1 and expected in said and len(said) < 600


# --- the periods table and the parameters: what a chapter would crash on -------------------------


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        ("periods_header_only.csv",
         "periods_header_only.csv: the table has no rows; every sentence is placed in an era, so give at least one"),
        ("periods_year_10_to_the_20.csv",
         "periods_year_10_to_the_20.csv row 2 (line 3), column end_year: '100000000000000000000' is outside "
         "the years 1 to 9999"),
    ],
)
def test_a_periods_table_a_chapter_cannot_use_is_refused(capsys, file_name, expected):
    status, said = _cli(capsys, "validate", str(GOOD / "corpus.csv"), "--periods", str(BAD / file_name))
    assert status == 1 and expected in said


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("n_boot: -5\n", "line 3, key 'n_boot': -5 is outside 100 to 100,000"),
        ("n_boot: 1000000000\n", "line 3, key 'n_boot': 1,000,000,000 is outside 100 to 100,000"),
        ("min_frequency: 0\n", "line 3, key 'min_frequency': 0 is outside 1 to 1,000,000"),
        ("top_n: -1\n", "line 3, key 'top_n': -1 is outside 1 to 500"),
        ("exclude_doc_ids: [d1, d2]\n",
         "line 3, key 'exclude_doc_ids': lists every document of corpus.csv (2), so nothing would be left to analyse"),
        ("sensitivity_exclude: [d2, d1]\n",
         "line 3, key 'sensitivity_exclude': lists every document of corpus.csv (2), so nothing would be left"),
        ("world_reference: nope.csv\n", "nope.csv: file not found"),
    ],
)
def test_a_parameter_a_chapter_would_crash_on_is_refused_before_the_run(tmp_path, capsys, body, expected):
    status, said = _cli(capsys, "validate", "--params", str(_params(tmp_path, body)))
    assert status == 1 and expected in said


def test_excluding_all_but_one_document_is_allowed(tmp_path, capsys):
    status, said = _cli(capsys, "validate", "--params", str(_params(tmp_path, "exclude_doc_ids: [d1]\n")))
    assert status == 0, said


def test_a_un_corpus_without_the_chosen_country_is_refused(tmp_path, capsys):
    un = _corpus(tmp_path / "un", {"s1": "Peace.", "s2": "Trade."}, {"iso3:str": ["ARC", "BRG"], "year:int": ["1992", "1998"]})
    status, said = _cli(capsys, "validate", "--params", str(_params(tmp_path / "run", f"un_corpus: {un}\n")))
    assert status == 1
    assert "key 'un_iso3': 'VNM' (the chapters' default) has no speech in corpus.csv; it has ARC, BRG" in said
    status, said = _cli(capsys, "validate", "--params", str(_params(tmp_path / "run", f"un_corpus: {un}\nun_iso3: ARC\n")))
    assert status == 0, said
    plain = _corpus(tmp_path / "plain", {"s1": "Peace."})
    status, said = _cli(capsys, "validate", "--params", str(_params(tmp_path / "run", f"un_corpus: {plain}\n")))
    assert status == 1 and "key 'un_corpus': corpus.csv has no iso3 column" in said


def test_jobs_must_be_at_least_one(tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["run", "--params", str(_params(tmp_path, "")), "--out", str(tmp_path / "out"), "--jobs", "-1"])
    assert stopped.value.code == 2
    assert "argument --jobs: -1 is not at least 1" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


# --- bounded cost: the cleaning rules are linear on adversarial runs --------------------------


def test_150000_spaces_clean_in_well_under_a_second():
    from fplang.corpus.clean import clean_text

    text = "Peace" + " " * 150_000 + "and\u00a0trade." + " " * 150_000
    clean_text("Peace  and\u00a0trade.\n", {"doc_type": "speech"})  # compiled kernels load (or compile) once
    began = time.perf_counter()
    cleaned, _ = clean_text(text, {"doc_type": "speech"})
    assert time.perf_counter() - began < 1.0  # before: still running after 5 minutes (40,000 spaces: 10.4 s)
    assert cleaned == "Peace and trade."


def _adversarial_texts() -> dict[str, str]:
    """Long runs of what the cleaning patterns match piece by piece, each about 60,000 characters.

    A pattern that backtracks (a run matched from each of its positions in
    turn) takes quadratic time on one of these: minutes, not milliseconds.
    """
    atoms = [" ", "\t", "\u00a0", " \u00a0", "\n", " \n", "\r", "\r\n", "\u2028", ".", ". ", ";", "-", "x",
             "\u00ad", "e\u0301", "\u00ac", "\u00ac ", "(", "[", "(see ", "A/", "A/70/PV.19 ", "06-53323 ",
             "(spoke in ", "(Mr. X, ", "[1st meeting ", "General Assembly - Fortieth session ", "59.\t", "1. ",
             "Mr. ", "Viet ", "viet-", "/. VNA ", "date 2024-01-01 ", "(Photo: ", "| ", "- ", "In conclusion ",
             "19:05 | 23/03/2025 15:58 | "]
    texts = {}
    for atom in atoms:
        run = atom * (60_000 // len(atom))
        texts[f"{atom!r} run"] = run
        texts[f"{atom!r} run between words"] = f"Peace {run} trade"
    return texts


ADVERSARIAL = _adversarial_texts()


def test_every_cleaning_rule_is_linear_on_long_runs():
    """Every rule but the repeated-paragraph check (issue 14 bounds its memory), on every run, in a second.

    A regular-expression rule is timed on its search alone (building the
    report of 60,000 replacements is linear too, but slow on a busy machine);
    a rule written as code is timed whole, after one call on a short text (in a
    fresh clone numba compiles its kernel then, which is not the cost bounded here).
    """
    import re

    from fplang.corpus.clean import default_rules
    from fplang.corpus.repeats import RepeatedParagraphRule

    slow = []
    for rule in default_rules():
        if isinstance(rule, RepeatedParagraphRule):
            continue
        compiled = re.compile(rule.pattern, rule.flags) if rule.pattern else None
        if compiled is None:
            rule.apply("Peace\nand  trade.\n")  # a rule's compiled kernel loads (or compiles) once, untimed
        for case, text in ADVERSARIAL.items():
            began = time.perf_counter()
            if compiled is not None:
                for _ in compiled.finditer(text):
                    pass
            else:
                rule.apply(text)
            if time.perf_counter() - began > 1.0:
                slow.append((rule.name, case))
    assert slow == []


@pytest.mark.parametrize("run", ["in the ", "the ", "8 years ", "resolution 1973 ", "next eight decades "])
def test_dating_a_sentence_is_linear_on_long_runs(tmp_path, run):
    """A text without a full stop is one sentence: the attribution rules read it once, not once per word."""
    from fplang.corpus import prepare_corpus
    from fplang.periods import attribute_periods, load_periods

    corpus = prepare_corpus(_corpus(tmp_path, {"d1": "Since 1990 " + run * (60_000 // len(run))}))
    began = time.perf_counter()
    dated = attribute_periods(corpus.sentences, load_periods(ROOT / "data" / "periods.csv"))
    assert time.perf_counter() - began < 10.0  # before: "in the " 8,000 characters long took minutes
    assert len(dated) == 1


# --- one normalisation for texts and patterns: the twins count alike ---------------------------


def _counts(manifest: Path, lexicon: Path) -> tuple[int, int, dict[str, int]]:
    """Sentences, tokens and concept counts of a corpus, through the whole preparation."""
    from fplang.corpus import prepare_corpus
    from fplang.counting import count_concepts, load_lexicon

    corpus = prepare_corpus(manifest)
    counts = count_concepts(corpus.cleaned, load_lexicon(lexicon))
    per_concept = counts.groupby("concept", observed=True)["count"].sum().astype(int).to_dict()
    return len(corpus.sentences), int(corpus.documents["tokens"].sum()), per_concept


DOI_MOI = "Công cuộc đổi mới do Đảng khởi xướng. Đổi mới là con đường của Việt Nam."
"""By hand: 8 + 8 = 16 tokens in 2 sentences; "đổi mới" twice (case is ignored)."""


def test_nfd_text_counts_as_its_nfc_twin(tmp_path):
    lexicon = tmp_path / "lexicon.yml"
    pattern = unicodedata.normalize("NFD", "đổi mới")  # a pattern typed in NFD is read in NFC too
    lexicon.write_text(f'version: 1\nconcepts:\n  doi_moi:\n    label: Đổi mới\n    family: f\n    patterns: ["{pattern}"]\n',
                       encoding="utf-8")
    nfc = _corpus(tmp_path / "nfc", {"d1": DOI_MOI})
    nfd = _corpus(tmp_path / "nfd", {"d1": unicodedata.normalize("NFD", DOI_MOI)})
    assert _counts(nfc, lexicon) == _counts(nfd, lexicon) == (2, 16, {"doi_moi": 2})


def test_invisible_characters_inside_words_do_not_split_them(tmp_path):
    lexicon = tmp_path / "lexicon.yml"
    lexicon.write_text('version: 1\nconcepts:\n  cooperation:\n    label: C\n    family: f\n    patterns: ["cooperation"]\n'
                       '  neutrality:\n    label: N\n    family: f\n    patterns: ["neutrality"]\n', encoding="utf-8")
    clean = "Our cooperation and our neutrality."  # by hand: 5 tokens, one match each
    marked = "Our co\u00adoperation and our neutral\u2060ity\u200b.\ufeff"
    twins = [_counts(_corpus(tmp_path / name, {"d1": text}), lexicon) for name, text in (("a", clean), ("b", marked))]
    assert twins[0] == twins[1] == (1, 5, {"cooperation": 1, "neutrality": 1})


def test_a_viet_nam_pattern_counts_what_its_vietnam_twin_counts(tmp_path):
    text = "Viet Nam and VIET NAM and viet-nam and Vietnam."  # by hand: 4 names, 7 tokens once joined
    manifest = _corpus(tmp_path, {"d1": text})
    spaced = _counts(manifest, BAD / "lexicon_viet_nam_pattern.yml")
    assert spaced == _counts(manifest, BAD / "lexicon_vietnam_pattern.yml") == (1, 7, {"country": 4})


def test_a_hard_wrapped_seed_paragraph_gives_the_sentences_and_counts_of_the_unwrapped_one(tmp_path):
    seeds = pd.read_csv(ROOT / "data" / "corpus.csv", dtype=str, keep_default_na=False).set_index("doc_id")
    raw = (ROOT / "data" / seeds.at["seed_001", "path"]).read_text(encoding="utf-8")
    paragraph = max(raw.splitlines(), key=len)  # the seed's longest paragraph, several sentences long
    wrapped = textwrap.fill(paragraph, width=70)
    assert wrapped.count("\n") >= 5
    lexicon = ROOT / "data" / "lexicon.yml"
    one = _corpus(tmp_path / "one", {"p": paragraph})
    two = _corpus(tmp_path / "two", {"p": wrapped})
    from fplang.corpus import prepare_corpus

    sentences = [prepare_corpus(m).sentences["text"].tolist() for m in (one, two)]
    assert sentences[0] == sentences[1] and len(sentences[0]) >= 3
    assert _counts(one, lexicon) == _counts(two, lexicon)


def _seed_paragraphs() -> list[tuple[str, str]]:
    """Every paragraph of 100 characters or more of the five seeds, cleaned, with its document's metadata row."""
    from fplang.corpus.clean import clean_text

    seeds = pd.read_csv(ROOT / "data" / "corpus.csv", dtype=str, keep_default_na=False)
    paragraphs = []
    for row in seeds.to_dict("records"):
        cleaned, _ = clean_text((ROOT / "data" / row["path"]).read_text(encoding="utf-8"), row)
        paragraphs += [(row["doc_id"], line) for line in cleaned.split("\n") if len(line) >= 100]
    return paragraphs


@pytest.mark.parametrize("width", [40, 55, 70, 79])
def test_every_seed_paragraph_wrapped_at_any_width_keeps_its_sentences(width):
    from fplang.corpus.clean import clean_text
    from fplang.corpus.segment import split_sentences

    paragraphs = _seed_paragraphs()
    assert len(paragraphs) >= 50
    for doc_id, paragraph in paragraphs:
        metadata = {"doc_id": doc_id, "doc_type": "speech"}
        wrapped, _ = clean_text(textwrap.fill(paragraph, width=width), metadata)
        assert [wrapped[start:end] for start, end in split_sentences(wrapped)] == [
            paragraph[start:end] for start, end in split_sentences(paragraph)
        ], (doc_id, paragraph[:60])


def test_a_pattern_that_cleaning_would_rewrite_into_another_is_named_as_a_duplicate(tmp_path, capsys):
    lexicon = tmp_path / "lexicon.yml"
    lexicon.write_text('version: 1\nconcepts:\n  a:\n    label: A\n    family: f\n    patterns: ["vietnam"]\n'
                       '  b:\n    label: B\n    family: f\n    patterns: ["Viet Nam"]\n', encoding="utf-8")
    status, said = _cli(capsys, "validate", str(GOOD / "corpus.csv"), "--lexicon", str(lexicon))
    assert status == 1
    assert ("concept 'b', pattern 1: 'Viet Nam' (read as 'Vietnam', as cleaning writes the text) duplicates "
            "concept 'a', pattern 1") in said


# --- what the book prints of a user's file name --------------------------------------------------


@pytest.mark.parametrize("name", ["c`<img src=x onerror=alert(9)>`.csv", "``a```<script>alert(1)<script>.csv", "x\n:::\n<b>.csv"])
def test_the_manifest_name_in_the_rerun_note_is_printed_as_text(name):
    from docutils.core import publish_string
    from myst_parser.parsers.docutils_ import Parser

    from fplang.book.run import rerun_note

    page = publish_string(
        "# Introduction\n\n" + rerun_note({"corpus": f"/data/{name}"}),
        parser=Parser(),
        writer_name="html5",
        settings_overrides={"myst_enable_extensions": ["colon_fence", "deflist", "substitution"],
                            "output_encoding": "unicode", "report_level": 5},
    )
    body = page[page.index("<main"):page.index("</main>")]
    assert "<img" not in body and "<script" not in body and "<b>" not in body
    assert "&lt;" in body and "re-run with" in body


def test_the_manifest_name_in_the_rerun_title_keeps_only_safe_characters():
    """The theme prints the title into every page's sidebar unescaped: before, an <img onerror> in the name ran there."""
    from fplang.book.run import rerun_title

    title = rerun_title({"corpus": "/data/c`<img src=x onerror=alert(9)>`.csv"})
    assert title == "Foreign-policy language, re-run on c__img src_x onerror_alert(9)__.csv"


# --- what the run handles with a note in the book ------------------------------------------------


def _executed_text(notebook: Path) -> str:
    """Every text and HTML output of an executed notebook, joined."""
    import nbformat

    executed = nbformat.read(notebook, as_version=4)
    return "\n".join(
        str(output.get("data", {}).get(kind, "")) + str(output.get("text", ""))
        for cell in executed.cells
        for output in cell.get("outputs", [])
        for kind in ("text/plain", "text/html")
    )


def test_a_corpus_that_needs_no_cleaning_gets_an_empty_table_of_rules_not_an_error(tmp_path):
    """Chapter 1 of a re-run lists the rules that changed the texts; before, none gave a table without columns."""
    from fplang.corpus import prepare_corpus
    from fplang.corpus.clean import rule_table

    corpus = prepare_corpus(_corpus(tmp_path, {"d1": "Peace and trade."}))
    assert len(corpus.cleaning_report) == 0
    used = rule_table(used_in=corpus.cleaning_report)
    assert list(used.columns) == ["rule", "applies_to", "description"] and len(used) == 0


def test_a_chart_too_large_keeps_the_most_frequent_groups_that_fit_and_says_so():
    from fplang.book.chart_limits import within_chart_limit

    frame = pd.DataFrame({"label": [f"c{i // 3}" for i in range(30)], "count": [i // 3 for i in range(30)]})
    kept, note = within_chart_limit(frame, "label", "count", "rates.csv", "concepts", limit=10)
    assert sorted(set(kept["label"])) == ["c7", "c8", "c9"]  # ten concepts of three rows: three fit, the most frequent
    assert note is not None and note.message == (
        "The chart shows the 3 concepts of 10 with the highest total count: all of them would need 30 cells, "
        "more than the 10 a chart carries. The table rates.csv holds them all."
    )
    assert within_chart_limit(frame, "label", "count", "rates.csv", "concepts", limit=30) == (frame, None)
    kept, note = within_chart_limit(frame, "label", "count", "rates.csv", "concepts", limit=30, max_groups=2)
    assert sorted(set(kept["label"])) == ["c8", "c9"]  # ten concepts, room for two: the two most frequent
    assert note is not None and note.message == (
        "The chart shows the 2 concepts of 10 with the highest total count: a chart has room for 2 at most. "
        "The table rates.csv holds them all."
    )


@pytest.mark.slow
@pytest.mark.xdist_group("papermill")
def test_a_run_on_one_document_and_5000_concepts_finishes_with_notes_and_replaces_an_earlier_book(tmp_path, capsys):
    """The suite's one full ``fplang run`` (``--no-html``): three cases that only a whole run shows.

    Before: a one-document corpus failed chapter 5 (IndexError); 5,000
    concepts passed validate and the run crashed on its charts (after the
    5,000-cell cut, chapter 3's heatmap of 5,000 rows made a 46 MB picture and
    the run stopped on a timeout; the heatmap now leaves out the concepts no
    sentence uses, and 150 occur here, more than a chart draws); ``--no-html``
    into a folder holding an older book left that book beside the new tables.
    """
    from fplang.book.outdir import LOCK, MARKER, claim

    # by hand: 5 + 7 + 4 tokens, then "Also" and w5 ... w149 (146 tokens): 162; concepts c0-c149 occur, c150-c4999 do not
    words_5_to_149 = " ".join(f"w{i}" for i in range(5, 150))
    text = f"Peace and trade in 1995. Trade and peace in the new century. Neutrality is our way. Also {words_5_to_149}."
    manifest = _corpus(tmp_path / "corpus", {"d1": text}, {"venue:str": ["un"]}, published=["1995-05-01"])
    lexicon = tmp_path / "corpus" / "lexicon.yml"
    words = ["peace", "trade", "neutrality", "century", "way"]
    lexicon.write_text(
        "version: 1\nconcepts:\n"
        + "".join(f"  c{i}:\n    label: Concept {i}\n    family: f{i % 7}\n    patterns: [\"{words[i] if i < 5 else f'w{i}'}\"]\n"
                  for i in range(5000)),
        encoding="utf-8",
    )
    shutil.copy(ROOT / "data" / "examples" / "arcadia" / "periods.csv", tmp_path / "corpus" / "periods.csv")
    params = tmp_path / "corpus" / "params.yml"
    params.write_text(f"corpus: {manifest.name}\nlexicon: lexicon.yml\nperiods: periods.csv\nkey_concepts: [c0, c1]\n"
                      "target_variable: venue\ntarget_value: un\nmin_frequency: 1\nmin_sentences: 1\n", encoding="utf-8")
    out = tmp_path / "out"
    with claim(out) as earlier:  # an earlier run's book
        for name in ("notebooks", "data", "html"):
            (earlier.partial / name).mkdir()
            (earlier.partial / name / "old.txt").write_text("the earlier run's", encoding="utf-8")
        earlier.publish(["notebooks", "data", "html"])

    assert main(["run", "--params", str(params), "--out", str(out), "--no-html"]) == 0, capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == sorted([LOCK, MARKER, "data", "notebooks"])  # the older html/ is gone
    documents = pd.read_csv(out / "data" / "documents.csv")
    assert (documents["doc_id"].tolist(), documents["tokens"].tolist()) == (["d1"], [162])
    distinctive = _executed_text(out / "notebooks" / "05_distinctive.ipynb")
    assert "Similarity compares documents two by two, and the corpus has one document." in distinctive
    assert "every document has venue = 'un', so nothing is left to compare with" in distinctive  # keyness says so too
    assert ("The chart shows the 100 concepts of 150 with the highest total count: a chart has room for 100 at most. "
            "The table concept_rates_by_spoken_period.csv holds them all.") in _executed_text(out / "notebooks" / "03_concepts.ipynb")
    assert sum(f.stat().st_size for f in (out / "notebooks").iterdir()) < 20_000_000  # before: 49 MB in chapter 3 alone
