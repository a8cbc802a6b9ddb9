"""The UN subset (regenerate, check, manifest), the UN-record cleaning rules, the world reference.

Every cleaning rule is tested on a real excerpt of the speech where the quirk
occurs (tests/fixtures/ungdc/, listed in its README), against an expected
text typed by hand from reading the excerpt.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest

from conftest import is_subsequence, letters_and_digits
from fplang.analysis.world import world_reference
from fplang.book.cli import main
from fplang.corpus.clean import clean_corpus, clean_text
from fplang.corpus.manifest import load_manifest, read_texts
from fplang.corpus.rules_un import UN_RECORD_RULES, open_line_share
from fplang.sources import SourceError, SubsetMismatchError, regenerate
from fplang.sources.ungdc import speakers_by_speech

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
FIXTURES = TESTS / "fixtures" / "ungdc"
SHARED_UNGDC = ROOT.parent / "shared" / "data" / "ungdc"
UN = {"doc_type": "un_speech"}


def raw(name: str) -> str:
    return (FIXTURES / name).read_bytes().decode("utf-8")


def cleaned(name: str) -> str:
    return clean_text(raw(name), UN)[0]


def rules_fired(name: str) -> set[str]:
    return {removal.rule for removal in clean_text(raw(name), UN)[1]}


# --- each quirk on the speech where it occurs ------------------------------------


def test_record_paragraph_numbers_and_byte_order_mark_are_removed_1978():
    assert cleaned("vnm_1978_paragraph_numbers.txt") == (
        "First of all, I wish to congratulate you warmly, Sir, as a prominent Colombian "
        "statesman, on your election to the lofty and important office of President of the "
        "thirty-third session of the United Nations General Assembly.\n"
        "I salute the important contribution made by Mr. Lazar Mojsov to the work of our "
        "Organization during the past year as President of the thirty-second session as well as "
        "of the three consecutive special sessions of the United Nations General Assembly."
    )
    assert {"byte_order_mark", "un_paragraph_number"} <= rules_fired("vnm_1978_paragraph_numbers.txt")


def test_soft_hyphens_mended_and_wrapped_lines_joined_1982():
    assert cleaned("vnm_1982_soft_hyphens_and_wrapped_lines.txt") == (
        "On behalf of the delegation of the Socialist Republic of Vietnam, I should like to "
        "extend to Mr. Hollai, of Hungary, warmest congratulations on his election to the high "
        "office of President of the thirty-seventh session of the General Assembly, and express "
        "my conviction that with his eminent talents and wealth of experience he will, together "
        "with other members of the General Committee, guide the work of the present session to "
        "fruitful results.\n"
        "We are living in a period of complex upheavals and difficult challenges. The creative"
    )


def test_soft_hyphen_before_a_space_is_mended():
    assert cleaned("usa_1982_soft_hyphen_before_a_space.txt") == (
        "every Government. This is not solely, or even primarily, a concern of the superpowers. "
        "The non-nuclear countries will not be safer if nuclear intimidation is added to already "
        "deadly regional conflicts."
    )


def test_soft_hyphen_at_a_line_end_is_mended():
    assert cleaned("rou_1976_soft_hyphen_at_a_line_end.txt") == (
        "developing their economies more rapidly, rendering their national resources more fully "
        "profitable,"
    )


def test_soft_hyphen_before_a_digit_becomes_a_hyphen():
    assert cleaned("ven_1982_soft_hyphen_before_a_capital_or_digit.txt") == (
        "United Nations itself in the 1981-1982 economic survey, when referring to the "
        "widespread stand-still"
    )


def test_bare_carriage_returns_of_1991_separate_paragraphs_not_sentences():
    text = cleaned("vnm_1991_carriage_returns.txt")
    assert text == (
        "Sir, the delegation of Vietnam wishes to congratulate you upon your election to the "
        "presidency of the United Nations General Assembly at its forty-sixth session. We are "
        "confident that under your guidance the current session will successfully discharge its "
        "eminent duty.\n"
        "I should like on this same occasion to convey our very high appreciation for the vast "
        "efforts exerted by the Secretary-General of our Organization, Mr. Perez de Cuellar,"
    )
    assert "un_run_together_sentence" not in rules_fired("vnm_1991_carriage_returns.txt")


def test_run_together_sentences_get_their_space_back_1984():
    assert cleaned("idn_1984_run_together_sentence.txt") == (
        "Also in this context, my delegation has long worked with likeminded States for the "
        "implementation of the Declaration of the Indian Ocean as a Zone of Peace. However, "
        "despite the many years of concerted effort,"
    )


def test_lone_page_number_is_removed_and_paragraphs_kept_1994():
    assert cleaned("vnm_1994_page_number.txt") == (
        "predecessor, Mr. Samuel R. Insanally. We greatly appreciate the great efforts made by "
        "Mr. Boutros-Ghali in his high post as Secretary-General of the United Nations in the "
        "cause of peace, national independence and development.\n"
        "\n"
        "The United Nations is approaching the final year of its first half century of "
        "existence. The most appropriate way for us to celebrate the fiftieth anniversary of the"
    )
    assert "un_page_number" in rules_fired("vnm_1994_page_number.txt")


def test_record_symbol_and_job_number_mid_sentence_are_removed_2008():
    assert cleaned("vnm_2008_running_heads.txt") == (
        "coming more and more serious global issues. In the face of that situation, it is "
        "essential to enhance international cooperation to overcome these problems. In that "
        "regard, developed countries should take measures to maintain their macroeconomic and "
        "financial stability"
    )


def test_see_record_citation_is_removed_2011():
    assert cleaned("brn_2011_record_citation.txt") == (
        "In our statement to the General Assembly three years ago, we outlined our approach to "
        "this by broadly setting out what are now regarded as the challenges of this new century."
    )


def test_record_citation_broken_across_lines_is_removed_2013():
    assert cleaned("mys_2013_record_citation_across_lines.txt") == (
        "Three years ago, I stood before the General Assembly and called for a global movement "
        "of moderates. It was a call to reject extremism in all its forms, because"
    )


def test_meeting_reference_broken_across_lines_is_removed_1969():
    assert cleaned("bol_1969_meeting_reference_across_lines.txt") == (
        "it, or else we shall one day perish and not even the moon or the knowledge of space "
        "will save us.\"\n"
        "\n"
        "It is likewise my duty"
    )


def test_page_furniture_of_2015_is_removed_and_the_sentence_rejoined():
    assert cleaned("lao_2015_running_heads.txt") == (
        "Its main objectives are to promote international peace and security and development "
        "cooperation, aimed at ensuring that all humankind lives in peace and in an environment "
        "conducive to development. Despite the conflicts and challenges that have occurred in "
        "different parts of the world,"
    )


def test_running_head_and_interpretation_note_are_removed_1993():
    assert cleaned("khm_1993_interpretation_note.txt") == (
        "guarantee of recovery and reconstruction in Cambodia.\n"
        "We are determined to conclude this process, and we shall do so by ourselves."
    )
    fired = rules_fired("khm_1993_interpretation_note.txt")
    assert {"un_running_head", "un_interpretation_note"} <= fired


def test_wrapped_paragraphs_separated_by_a_blank_line_stay_two_paragraphs_2014():
    assert cleaned("vnm_2014_wrapped_paragraphs.txt") == (
        "At the outset, I should like to extend my warmest congratulations to Mr. Sam Kutesa on "
        "his election as President of the General Assembly at its sixty-ninth session. I am "
        "confident that under his able leadership this session will enjoy great success. My "
        "appreciation also goes to Mr. John William Ashe, President at the sixty-eighth session, "
        "and Secretary-General Ban Ki-moon for their important contributions to the work of our "
        "Organization over the past year.\n"
        "\n"
        "This session of the General Assembly takes place as we approach the seventieth "
        "anniversary of the founding of the United Nations. It gives us the opportunity to look "
        "back on the past almost 70 years of the United Nations implementing its mandate to "
        "assist nations to build a world of peace, security and sustainable development, a world "
        "where fundamental rights and freedoms are respected and promoted. It is also an "
        "opportunity for in-depth discussions on the formulation and implementation of the "
        "post-2015 development agenda."
    )


def test_number_starting_a_wrapped_line_is_not_taken_for_a_paragraph_number():
    assert cleaned("npl_2002_number_starting_a_wrapped_line.txt") == (
        "Central to strengthening the United Nations are a vigorous Non-aligned Movement and a "
        "robust Group of 77. As a member of both, Nepal pledges to work with other countries to "
        "reinvigorate those bodies and to expand cooperation between them and the United Nations."
    )


def test_salutation_lines_of_a_paragraph_a_line_speech_stay_their_own_lines_2021():
    text = raw("brn_2021_paragraph_a_line_with_salutations.txt")
    lines = cleaned("brn_2021_paragraph_a_line_with_salutations.txt").split("\n")
    assert lines[:6] == [
        "Bismillahirrahmanirrahim",
        "Mr. President,",
        "Mr. Secretary-General,",
        "Excellencies,",
        "Ladies and Gentlemen,",
        "Assalamualaikum warahmatullahi wabarakatuh and Peace Be Upon You All",
    ]
    assert len(lines) == sum(1 for line in text.split("\n") if line.strip())


def test_comma_read_as_full_stop_in_2023_is_kept_as_in_the_source():
    text = raw("vnm_2023_comma_read_as_full_stop.txt")
    assert cleaned("vnm_2023_comma_read_as_full_stop.txt") == text
    assert text.startswith("At the outset. I would like")


# --- the guarantees, on every excerpt --------------------------------------------


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.txt")))
def test_cleaning_an_excerpt_is_idempotent_and_adds_no_letters_or_digits(name):
    once = cleaned(name)
    assert clean_text(once, UN)[0] == once
    assert is_subsequence(letters_and_digits(once), letters_and_digits(raw(name)))


def test_every_un_rule_applies_to_un_speeches_only():
    assert all(rule.where == {"doc_type": "un_speech"} for rule in UN_RECORD_RULES)
    news = raw("vnm_1978_paragraph_numbers.txt")
    removals = clean_text(news, {"doc_type": "official_news"})[1]
    assert not [r for r in removals if r.rule.startswith("un_")]


def test_open_line_share_counts_lines_without_sentence_final_punctuation():
    # four non-blank lines; "wrapped" and "Mr. President," are open
    assert open_line_share("wrapped\nline.\n\nMr. President,\n\"Quoted.\"") == 0.5
    assert open_line_share("\n \n") == 0.0


# --- speakers --------------------------------------------------------------------


def test_speaker_listed_twice_counts_once_and_different_speakers_are_all_kept():
    speakers = pd.DataFrame(
        {
            "year": [1978, 1978, 1979, 1979],
            "session": [33, 33, 34, 34],
            "iso3": ["VNM"] * 4,
            "country": ["Viet Nam", "Vietnam", "Viet Nam", "Viet Nam"],
            "speaker": ["Nguyen Duy Trinh", "NGUYEN  DUY TRINH", "Phan Hien", "Ha Van Lau"],
            "post": ["", "", "Minister", ""],
        }
    )
    table = speakers_by_speech(speakers).set_index("year")
    assert table.loc[1978, "speaker"] == "NGUYEN  DUY TRINH"  # the spelling that sorts first
    assert table.loc[1978, "speaker_note"] == "listed 2 times in speakers_by_session.csv (same speaker)"
    assert table.loc[1979, "speaker"] == "Ha Van Lau / Phan Hien"
    assert table.loc[1979, "post"] == " / Minister"
    assert "2 different speakers" in table.loc[1979, "speaker_note"]


# --- regenerate and check on a small source --------------------------------------


def write_source(folder: Path, rows: list[tuple[str, int, int, str]], speakers_csv: str) -> Path:
    """A miniature UNGDC folder: the parquet (with correct sha256) and the speakers CSV."""
    folder.mkdir(parents=True, exist_ok=True)
    frame = pd.DataFrame(rows, columns=["iso3", "session", "year", "text"])
    frame["sha256"] = [hashlib.sha256(t.encode("utf-8")).hexdigest() for t in frame["text"]]
    frame.to_parquet(folder / "ungdc_1946_2024.parquet", index=False)
    (folder / "speakers_by_session.csv").write_text(speakers_csv, encoding="utf-8")
    return folder


SMALL_SPEECHES = [
    ("VNM", 33, 1978, "\ufeff59.\tPeace and independence.\n"),
    ("VNM", 34, 1979, "Peace, peace."),
    ("CHN", 30, 1975, "Independence day."),  # before the window
    ("CHN", 31, 1976, "Development."),
    ("FRA", 33, 1978, "Peace."),  # not a subset country
    ("CUB", 49, 1994, "Peace for Cuba."),  # no speaker row
]
SMALL_SPEAKERS = (
    "year,session,iso3,country,speaker,post\n"
    "1978,33,VNM,Vietnam,Nguyen Duy Trinh,\n"
    "1978,33,VNM,Vietnam,Nguyen Duy Trinh,\n"
    "1979,34,VNM,Viet Nam,Phan Hien,\n"
    "1976,31,CHN,China,Qiao Guanhua,Minister for Foreign Affairs\n"
)


@pytest.fixture
def small_source(tmp_path) -> Path:
    return write_source(tmp_path / "source", SMALL_SPEECHES, SMALL_SPEAKERS)


def test_subset_holds_the_window_and_countries_with_exact_bytes(small_source, tmp_path):
    out = tmp_path / "ungdc"
    report = regenerate(small_source, out)
    assert sorted(p.name for p in (out / "texts").iterdir()) == [
        "CHN_31_1976.txt",
        "CUB_49_1994.txt",
        "VNM_33_1978.txt",
        "VNM_34_1979.txt",
    ]
    assert (out / "texts" / "VNM_33_1978.txt").read_bytes() == b"\xef\xbb\xbf59.\tPeace and independence.\n"
    assert report.speeches["VNM"] == 2 and report.speeches["CHN"] == 1 and report.speeches["THA"] == 0
    assert report.ok and not report.check


def test_subset_manifest_loads_and_says_who_spoke(small_source, tmp_path):
    out = tmp_path / "ungdc"
    regenerate(small_source, out)
    manifest = load_manifest(out / "manifest.csv").set_index("doc_id")
    assert list(manifest.index) == ["un_CHN_1976", "un_CUB_1994", "un_VNM_1978", "un_VNM_1979"]
    vnm = manifest.loc["un_VNM_1978"]
    assert vnm["title"] == "Viet Nam, UN General Debate, 33rd session (1978)"
    assert vnm["path"] == "texts/VNM_33_1978.txt"
    assert vnm["published"] == "1978" and vnm["doc_type"] == "un_speech"
    assert vnm["source_url"] == "https://doi.org/10.7910/DVN/0TJX8Y"
    assert vnm["speaker"] == "Nguyen Duy Trinh" and vnm["session"] == 33 and vnm["year"] == 1978
    assert vnm["asean_member_since"] == 1995 and not vnm["asean_member_at_speech"]
    assert "listed 2 times" in vnm["notes"] and "byte-order mark" in vnm["notes"]
    assert manifest.loc["un_CHN_1976", "title"] == "China, UN General Debate, 31st session (1976)"
    assert manifest.loc["un_CHN_1976", "post"] == "Minister for Foreign Affairs"
    assert pd.isna(manifest.loc["un_CHN_1976", "asean_member_since"])
    cuba = manifest.loc["un_CUB_1994"]
    assert cuba["speaker"] == "" or pd.isna(cuba["speaker"])
    assert "Speaker missing from speakers_by_session.csv." in cuba["notes"]


def test_subset_cleans_through_the_corpus_pipeline(small_source, tmp_path):
    out = tmp_path / "ungdc"
    regenerate(small_source, out)
    manifest = load_manifest(out / "manifest.csv")
    texts, _ = clean_corpus(manifest, read_texts(manifest))
    assert texts["un_VNM_1978"] == "Peace and independence."


def test_regenerating_twice_gives_identical_bytes_and_rewrites_nothing(small_source, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    regenerate(small_source, first)
    regenerate(small_source, second)
    names = sorted(p.relative_to(first).as_posix() for p in first.rglob("*") if p.is_file())
    assert names == sorted(p.relative_to(second).as_posix() for p in second.rglob("*") if p.is_file())
    assert all((first / n).read_bytes() == (second / n).read_bytes() for n in names)
    assert regenerate(small_source, first).written == ()
    assert b"\r" not in (first / "manifest.csv").read_bytes()


def test_check_passes_on_a_fresh_subset_and_writes_nothing(small_source, tmp_path):
    out = tmp_path / "ungdc"
    regenerate(small_source, out)
    before = {p: p.stat().st_mtime_ns for p in out.rglob("*")}
    report = regenerate(small_source, out, check=True)
    assert report.ok and report.check
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*")} == before


def test_check_names_a_changed_a_missing_and_an_extra_file(small_source, tmp_path):
    out = tmp_path / "ungdc"
    regenerate(small_source, out)
    (out / "texts" / "VNM_34_1979.txt").write_bytes(b"Peace, peace.\n")
    (out / "texts" / "CHN_31_1976.txt").unlink()
    (out / "texts" / "FRA_33_1978.txt").write_bytes(b"Peace.")
    with pytest.raises(SubsetMismatchError) as caught:
        regenerate(small_source, out, check=True)
    problems = caught.value.report.problems
    assert problems == (
        "texts/CHN_31_1976.txt: missing",
        problems[1],
        "texts/FRA_33_1978.txt: not part of the subset",
    )
    assert problems[1].startswith("texts/VNM_34_1979.txt: differs from the source")
    assert "first difference at byte 13" in problems[1]


def test_regenerate_removes_a_stale_speech_file(small_source, tmp_path):
    out = tmp_path / "ungdc"
    regenerate(small_source, out)
    (out / "texts" / "FRA_33_1978.txt").write_bytes(b"Peace.")
    assert regenerate(small_source, out).removed == ("texts/FRA_33_1978.txt",)


def test_text_not_matching_its_recorded_sha256_stops_regeneration(tmp_path):
    source = write_source(tmp_path / "source", SMALL_SPEECHES, SMALL_SPEAKERS)
    frame = pd.read_parquet(source / "ungdc_1946_2024.parquet")
    frame.loc[frame["year"] == 1979, "text"] = "Peace, peace!"
    frame.to_parquet(source / "ungdc_1946_2024.parquet", index=False)
    with pytest.raises(SourceError, match=r"VNM session 34 \(1979\)"):
        regenerate(source, tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_missing_source_folder_is_named(tmp_path):
    with pytest.raises(SourceError, match="ungdc_1946_2024.parquet"):
        regenerate(tmp_path / "nowhere", tmp_path / "out")


# --- the command -----------------------------------------------------------------


def test_command_writes_then_checks_then_fails_on_a_change(small_source, tmp_path, capsys):
    out = tmp_path / "ungdc"
    base = ["--source", str(small_source), "--out", str(out), "--no-world-reference"]
    assert main(["ungdc", *base]) == 0
    assert main(["ungdc", *base, "--check"]) == 0
    (out / "README.md").write_text("edited\n", encoding="utf-8")
    assert main(["ungdc", *base, "--check"]) == 1
    assert "README.md: differs" in capsys.readouterr().err


def test_command_help_exits_cleanly(capsys):
    with pytest.raises(SystemExit) as caught:
        main(["ungdc", "--help"])
    assert caught.value.code == 0
    assert "--check" in capsys.readouterr().out


# --- the world reference ---------------------------------------------------------

SMALL_LEXICON = """\
version: 1
concepts:
  peace:
    label: Peace
    family: peace
    patterns: ["peace"]
  independence:
    label: Independence
    family: independence
    patterns: ["independence"]
"""


def test_world_reference_counts_every_speech_of_every_year(small_source, tmp_path):
    lexicon = tmp_path / "lexicon.yml"
    lexicon.write_text(SMALL_LEXICON, encoding="utf-8")
    frame = world_reference(small_source, lexicon, workers=1)
    # By hand, after cleaning (the paragraph number "59." goes):
    # 1975 CHN "Independence day." 2 tokens; 1976 CHN "Development." 1;
    # 1978 VNM "Peace and independence." 3 + FRA "Peace." 1; 1979 VNM "Peace, peace." 2;
    # 1994 CUB "Peace for Cuba." 3.
    expected = pd.DataFrame(
        {
            "year": [1975, 1975, 1976, 1976, 1978, 1978, 1979, 1979, 1994, 1994],
            "concept": ["peace", "independence"] * 5,
            "count": [0, 1, 0, 0, 2, 1, 2, 0, 1, 0],
            "tokens": [2, 2, 1, 1, 4, 4, 2, 2, 3, 3],
            "speeches": [1, 1, 1, 1, 2, 2, 1, 1, 1, 1],
            "rate_per_1000": [0.0, 500.0, 0.0, 0.0, 500.0, 250.0, 1000.0, 0.0, 1000 / 3, 0.0],
        }
    )
    pd.testing.assert_frame_equal(frame, expected)


def test_command_writes_and_checks_the_world_reference_with_its_inputs_hashes(small_source, tmp_path):
    lexicon = tmp_path / "lexicon.yml"
    lexicon.write_text(SMALL_LEXICON, encoding="utf-8")
    target = tmp_path / "world_reference.csv"
    args = ["--source", str(small_source), "--out", str(tmp_path / "ungdc"),
            "--lexicon", str(lexicon), "--world-reference", str(target)]
    assert main(["ungdc", *args]) == 0
    assert target.read_text(encoding="utf-8").splitlines()[0] == (
        "year,concept,count,tokens,speeches,rate_per_1000"
    )
    sidecar = target.with_suffix(".json").read_text(encoding="utf-8")
    parquet = (small_source / "ungdc_1946_2024.parquet").read_bytes()
    assert hashlib.sha256(parquet).hexdigest() in sidecar
    assert hashlib.sha256(lexicon.read_bytes()).hexdigest() in sidecar
    assert main(["ungdc", *args, "--check"]) == 0


# --- the committed subset --------------------------------------------------------


def test_committed_subset_matches_the_shared_corpus_byte_for_byte():
    if not (SHARED_UNGDC / "ungdc_1946_2024.parquet").is_file():
        pytest.fail(f"the UN General Debate Corpus is expected at {SHARED_UNGDC} (beside the repository)")
    report = regenerate(SHARED_UNGDC, ROOT / "data" / "raw" / "ungdc", check=True)
    assert report.speeches["VNM"] == 47
