"""Dating many sentences at once gives what dating each sentence alone gives, column by column.

:func:`fplang.periods.attribute_periods` finds time evidence in all sentences
together (:mod:`fplang.periods.evidence`: literals found in one compiled pass,
each rule lower-cased and run once over the folded sentences joined by NUL).
The reference here is the plain path the book used before: every rule's own
pattern on every sentence (:func:`fplang.periods.find_evidence`), and the
columns filled one sentence at a time.  Same frame, same dtypes, same values,
on hand-made, hostile, generated and the committed corpora.
"""

from __future__ import annotations

import re
import re._constants as sre
import re._parser as sre_parse

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from fplang.literals import fold, required_literals
from fplang.periods import ATTRIBUTION_RULES, attribute_periods, find_evidence, load_periods
from fplang.periods.attribution import DATE_COLUMNS, candidate_rules
from fplang.periods.evidence import SEPARATOR, candidate_matrix, literal_rows, locator
from fplang.periods.table import period_facts

EVERYTHING = [chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF]


@pytest.fixture(scope="module")
def periods() -> pd.DataFrame:
    return load_periods(ROOT / "data" / "periods.csv")


def plain_dates(sentences: pd.DataFrame, periods: pd.DataFrame) -> pd.DataFrame:
    """The date columns, one sentence at a time, every rule's own pattern on the sentence alone."""
    facts = period_facts(periods)
    rows = []
    for text, published in zip(sentences["text"], sentences["published"], strict=True):
        year = int(str(published).strip()[:4])
        evidence = find_evidence(text, year, facts)
        era = facts.era_of(year)
        row = {"published_year": year, "spoken_start": year, "spoken_end": year, "period_id": era,
               "multi_era": False, "eras": era or "", "evidence": "", "rule": "inherited", "inherited": True}  # fmt: skip
        if evidence:
            first = min(evidence, key=lambda item: (item.start, item.position))
            end = max(item.end for item in evidence)
            eras = [p for s, e, p in sorted(facts.eras) if s <= end and first.start <= e]
            one = facts.era_of(first.start)
            row |= {
                "spoken_start": first.start, "spoken_end": end,
                "period_id": one if len(eras) == 1 and one is not None and facts.era_of(end) == one else None,
                "multi_era": len(eras) > 1, "eras": "; ".join(eras),
                "evidence": "; ".join(item.text for item in evidence), "rule": first.rule, "inherited": False,
            }  # fmt: skip
        rows.append(row)
    expected = sentences.copy()
    for column, dtype in (("published_year", "int64"), *DATE_COLUMNS):
        expected[column] = pd.Series([row[column] for row in rows], index=sentences.index, dtype=dtype)
    return expected


def assert_same_dates(texts: list[str], periods: pd.DataFrame, published: list[str] | None = None) -> None:
    published = published or [["2025", "1995-09-27", "1960-10"][row % 3] for row in range(len(texts))]
    sentences = pd.DataFrame(
        {"doc_id": [f"d{row // 7}" for row in range(len(texts))], "sentence_id": range(len(texts)),
         "text": texts, "published": published}
    )  # fmt: skip
    pd.testing.assert_frame_equal(attribute_periods(sentences, periods), plain_dates(sentences, periods))


HAND_MADE = [
    "",
    " ",
    "1954",
    "In 1954.",
    "Since 1960, we have grown; by 2030 we shall be ready.",
    "Over the past eight decades, Viet Nam has changed.",
    "OVER THE PAST EIGHT DECADES AND 20 YEARS AGO",
    "Forty years of renewal (Doi Moi) since 1986; the 13th Congress; the 80th National Day.",
    "The Geneva Agreements of 1954 and the Paris Peace Accords of 1973 and the 1962 Geneva Agreements.",
    "We joined ASEAN in 1995 and normalised relations with the United States; our accession to the WTO.",
    "the new era of the nation's rise; a new era; Đổi Mới; ĐỔI MỚI; đổi mới",
    "resolution 1973 and No. 2000 and US$2000 and A/2000 and 2000 people and the 2030 Agenda and 2,0001",
    "between 1990 and 2000; from 1975 to 1986; 1945-54; 1990–2000; the 1980s; the mid-1990s",
    "the next 20 years; 20 years later; for the first ten years; a year ago; half a century of struggle",
    "twenty-sixth Congress; the sixth Congress; the twenty-sixth Party Congress; the 12th term",
    # characters re matches to ASCII letters although they are not: dotless i, long s, Kelvin, dotted I
    "ſince 1960, paſt eight decades; İn 1954; SİNCE 1970; the ıst; Kelvin K; nowadays; TODAY",
    "yearſ; centurıes; decadeſ ago; fifty yearS ago",
    "\u00a0since\u2009\u20091960\u3000and\tuntil\n2010",
    "a sentence with a NUL \x00 1954 inside, and since\x001960",
    "1954" * 5,
    "years years years 1999 1999-2000 2000-1999",
]


def test_hand_made_sentences_get_the_dates_each_gets_alone(periods):
    assert_same_dates(HAND_MADE, periods)
    assert_same_dates(list(reversed(HAND_MADE)), periods)


def test_each_sentence_is_read_alone_whatever_its_neighbours(periods):
    """Evidence at a sentence's edges: the joined search must not let a neighbour's words count."""
    edges = ["since", "1960", "years", "ago", "over the past", "eight decades", "resolution", "1973", "the",
             "new", "era", "Geneva", "Agreements", "of 1954", "2000", "people", "-", "1990", "to", "2000s"]  # fmt: skip
    assert_same_dates(edges, periods)
    assert_same_dates([a + " " for a in edges] + [" " + a for a in edges], periods)


def test_hostile_sentences_are_dated_as_alone(periods):
    texts = [
        "1" * 20_000,
        "19" * 10_000,
        "1999 " * 4_000,
        "the " * 5_000 + "eight decades",
        "over the past " * 2_000 + "eight decades ago",
        "since " * 3_000 + "1960",
        ("word " * 50 + "in 1954. ") * 200,
        "\u00a0" * 10_000 + "2001",
    ]
    assert_same_dates(texts, periods)


_FRAGMENTS = st.sampled_from(
    ["1954", "1960", "2000", "2030", "1986", "1975", "54", "19", "20", "s", "'s", "-", "–", "/", "$", ",", ".",
     " ", "  ", "\n", "\u00a0", "since ", "from ", "to ", "until ", "between ", " and ", "the ", "early ", "mid-",
     "eight ", "forty-five ", "a ", "half a ", "80 ", "years", "year", "decades", "century", " ago", " of ",
     "over ", "past ", "for ", "next ", " later", "renewal", "Doi Moi", "Đổi Mới", "new era", "era of the nation's rise",
     "13th ", "sixth ", "twenty-sixth ", "Congress", "Party ", "term", "Central Committee", "National Day",
     "anniversary of ", "Geneva Agreement", "Geneva Conference on Indochina", "Paris Peace Accords", "WTO",
     "accession to ASEAN", "normalised relations with the United States", "August Revolution", "today",
     "nowadays", "at present", "resolution ", "No. ", "people", "per cent", "Agenda", "İ", "ı", "ſ", "K", "X"]
)  # fmt: skip
_PUBLISHED = st.sampled_from(["1946", "1975-04", "1986-12-15", "2007", "2024-09-25", "2026", "2030"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.lists(_FRAGMENTS, max_size=10).map("".join), _PUBLISHED), max_size=12))
def test_generated_sentences_get_the_dates_each_gets_alone(periods, rows):
    if rows:
        assert_same_dates([text for text, _ in rows], periods, [published for _, published in rows])


@pytest.mark.slow
@pytest.mark.parametrize("manifest", ["data/corpus.csv", "data/raw/ungdc/manifest.csv"])
def test_the_committed_corpora_get_the_dates_each_sentence_gets_alone(periods, manifest):
    from fplang.corpus import prepare_corpus

    sentences = prepare_corpus(ROOT / manifest).sentences[["doc_id", "sentence_id", "text", "published"]]
    got = attribute_periods(sentences, periods)
    pd.testing.assert_frame_equal(got, plain_dates(sentences, periods))
    assert (~got["inherited"]).sum() > (20 if manifest == "data/corpus.csv" else 5_000)  # the test tested something


# --------------------------------------------------------------------------
# Why the fast path may read folded text: checked over every code point
# --------------------------------------------------------------------------


def _pattern_chars(pattern: str, flags: int) -> set[str]:
    """Every character a pattern names: its literals and the members of its classes' ranges and literals."""
    chars: set[str] = set()

    def walk(items) -> None:
        for op, argument in items:
            if op in (sre.LITERAL, sre.NOT_LITERAL):
                chars.add(chr(argument))
            elif op is sre.IN:
                for member_op, member in argument:
                    if member_op is sre.LITERAL:
                        chars.add(chr(member))
                    elif member_op is sre.RANGE:
                        chars.update(chr(code) for code in range(member[0], member[1] + 1))
            elif op is sre.BRANCH:
                for branch in argument[1]:
                    walk(branch.data)
            elif op is sre.SUBPATTERN:
                walk(argument[3].data)
            elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
                walk(argument[2].data)
            elif op in (sre.ASSERT, sre.ASSERT_NOT):
                walk(argument[1].data)
            elif op is sre.ATOMIC_GROUP:
                walk(argument.data)

    walk(sre_parse.parse(pattern, flags).data)
    return chars


def test_a_lowered_rule_matches_a_folded_character_exactly_where_the_rule_matches_the_character():
    """For every character a rule names and every code point x: re.IGNORECASE pairs them iff fold(x) is the
    lower-cased character; and \\w, \\d, \\s hold for x iff they hold for fold(x), which is one character."""
    named = set().union(*(_pattern_chars(rule.pattern.pattern, rule.pattern.flags) for rule in ATTRIBUTION_RULES))
    assert {"y", "đ", "ổ", "$", "–"} <= named
    folded = {x: fold(x) for x in EVERYTHING}
    assert all(len(f) == 1 for f in folded.values())
    for char in named:
        pairs = set(re.findall(re.escape(char), "".join(EVERYTHING), re.IGNORECASE))
        assert pairs == {x for x, f in folded.items() if f == char.lower()}, char
    for klass in (r"\w", r"\d", r"\s"):
        holds = re.compile(klass)
        assert all(bool(holds.match(x)) == bool(holds.match(f)) for x, f in folded.items()), klass
    assert SEPARATOR not in named and not re.match(r"[\w\s]", SEPARATOR)


def test_arrow_lower_case_agrees_with_fold_on_every_character_that_folds_into_a_literal():
    literal_chars = {
        char for rule in ATTRIBUTION_RULES for clause in required_literals(rule.pattern.pattern, rule.pattern.flags) or ()
        for literal in clause for char in literal
    }  # fmt: skip
    into = [x for x in EVERYTHING if fold(x) in literal_chars]
    array = pc.replace_substring(pc.replace_substring(pa.array(into), "\u0131", "i"), "\u017f", "s")
    assert pc.utf8_lower(array).to_pylist() == [fold(x) for x in into]


def test_lowered_patterns_keep_their_groups_and_escapes():
    for rule in ATTRIBUTION_RULES:
        found = locator(rule.pattern)
        assert found.groupindex == rule.pattern.groupindex and not found.flags & re.IGNORECASE, rule.name
    assert locator(re.compile(r"[^\W\d_]A\B", re.IGNORECASE)).pattern == r"[^\W\d_]a\B"
    assert locator(re.compile(r"(?P<Year>X)(?P=Year)", re.IGNORECASE)).pattern == r"(?P<Year>x)(?P=Year)"
    kept = re.compile("X")
    assert locator(kept) is kept  # not case-insensitive: searched as it is


def test_literal_rows_finds_each_literal_inside_its_own_text_only():
    texts = ["abc", "xYEARx", "", "ſince 19", "19", "9", "1", "ĐỔI", "Ab"]
    holds = literal_rows(texts, ["year", "since", "19", "đổi", "b", "ab"])
    assert holds.tolist() == [
        [False, False, False, False, True, True],
        [True, False, False, False, False, False],
        [False] * 6,
        [False, True, True, False, False, False],
        [False, False, True, False, False, False],
        [False] * 6,
        [False] * 6,
        [False, False, False, True, False, False],
        [False, False, False, False, True, True],
    ]  # "1" + "9" in two texts is no "19"


def test_candidate_rules_are_the_rules_whose_literals_the_text_holds():
    texts = ["nothing here", "In 1954.", "over the past eight decades", "the Geneva Agreements"]
    chosen = dict(candidate_rules(texts))
    assert 0 not in chosen
    assert {rule.name for rule in chosen[1]} >= {"year", "decade", "year_span"}
    assert "decades_ago" in {rule.name for rule in chosen[2]} and "year" not in {rule.name for rule in chosen[2]}
    assert "named_event" in {rule.name for rule in chosen[3]}
    assert candidate_matrix([], ATTRIBUTION_RULES).shape == (0, len(ATTRIBUTION_RULES))
    assert np.array_equal(candidate_matrix(texts, ATTRIBUTION_RULES)[0], np.zeros(len(ATTRIBUTION_RULES), bool))


def test_start_literals_are_read_off_the_lowered_rules():
    from fplang.periods.evidence import start_literals

    by_name = {rule.name: start_literals(locator(rule.pattern)) for rule in ATTRIBUTION_RULES}
    assert by_name["year"] == ("19", "20")  # "203" starts with "20": its places are among those of "20"
    assert by_name["since_year"] == ("ever", "sinc")  # read up to four characters
    assert by_name["decade"] == ("19", "20", "earl", "late", "mid")  # the optional qualifier, or the decade
    assert by_name["decades_ago"] is None  # "a" (a decade) would be as common as the places it saves
    assert start_literals(re.compile(r"\d+th")) is None and start_literals(re.compile(r"x|\s")) is None


@pytest.mark.parametrize(
    ("pattern", "text"),
    [(r"1919", "19191919191"), (r"toto", "tototototo to toto"), (r"\b(?:to|tot)\w*", "tot tottot toto"),
     (r"(?:19|20)\d\d(?!\d)", "2019 20192020 1919-2020 x1999")],
)  # fmt: skip
def test_trying_a_pattern_only_where_its_start_literals_are_gives_what_finditer_gives(pattern, text):
    from fplang.periods.evidence import _hits, start_literals

    compiled = re.compile(pattern)
    assert start_literals(compiled) is not None
    assert _hits(compiled, text) == [hit.span() for hit in compiled.finditer(text)]


def test_run_local_rules_are_searched_in_the_runs_that_hold_their_anchors_only():
    from fplang.periods.evidence import _hits, run_anchors

    by_name = {rule.name: run_anchors(locator(rule.pattern)) for rule in ATTRIBUTION_RULES}
    assert by_name["decades_ago"] == ("centuries", "century", "decade", "year")
    assert by_name["congress_term"] == ("committee", "politburo", "term")
    assert run_anchors(re.compile(r"years.")) is None  # "." may consume a run's end
    assert run_anchors(re.compile(r"(?<=, )years")) is None  # a positive look-behind may hold text before the run
    assert run_anchors(re.compile(r"years(?=,)")) is None
    pattern = re.compile(r"(?<![\d,.])\b\d+(?:-\d+)?\s+years?\b(?!\s+old)(?:\s+ago\b)?")
    assert run_anchors(pattern) == ("year",)
    for text in ["20 years, 3 years old; 5 years-5 years", "1,5 years.20 years ago", "years", "", "x\x0020 years",
                 "7 years\u2019 10 years\u201c ago", "3-4 years\u00a0ago, 12 years\x1fago"]:  # fmt: skip
        assert _hits(pattern, text) == [hit.span() for hit in pattern.finditer(text)], text


@pytest.mark.parametrize(
    "tail",
    ["resolution", "Resolution  ", "see resolutions\n", "No.", "nos. ", "pianos ", "US$", "the EUR", "paragraph\u00a0",
     "resolution x", "", " ", "ſ", "next ", "the NEXT\t", "nextx ", "context ", "for the following  \n", "next",
     "additional", "\u0130nitial ", "a" * 70 + " further "],
)  # fmt: skip
def test_a_label_or_qualifier_is_looked_for_at_the_end_of_the_tail_only_where_it_can_match(tail):
    from fplang.periods import rules

    for pattern, words in ((rules._LABEL_BEFORE_NUMBER, rules._LABEL_WORDS),
                           (rules._DURATION_NOT_FROM_NOW, rules._NOT_FROM_NOW_WORDS)):  # fmt: skip
        assert rules._ends_tail(pattern, words, tail) == (pattern.search(tail) is not None), (tail, words)


# --------------------------------------------------------------------------
# The corpus build's path: Arrow columns in, Arrow columns out
# --------------------------------------------------------------------------


def _build_dates(texts: list[str], published: list[str | None], periods: pd.DataFrame, chunks: int = 1) -> pd.DataFrame:
    """The date columns :func:`fplang.build.stages.date` gives for these sentences, as pandas reads them back."""
    from fplang.build import stages

    cut = [len(texts) * part // chunks for part in range(chunks + 1)]
    pieces = list(zip(cut[:-1], cut[1:], strict=True))
    columns = {
        "doc_id": pa.chunked_array([[f"d{row}" for row in range(a, b)] for a, b in pieces], pa.string()),
        "sentence_id": pa.chunked_array([list(range(a, b)) for a, b in pieces], pa.int64()),
        "text": pa.chunked_array([texts[a:b] for a, b in pieces], pa.string()),
        "published": pa.chunked_array([published[a:b] for a, b in pieces], pa.string()),
    }  # fmt: skip
    return stages.date(pa.table(columns), periods).to_pandas()


def test_the_build_stage_dates_arrow_columns_as_attribute_periods_dates_the_frame(periods):
    texts = HAND_MADE + ["ſince 1960 \u0131n 1954"] * 3 + ["nothing", "In 1975 and 1954 and the 1990s."]
    published = [["2025", "1995-09-27", "1960-10", "2026-01-20"][row % 4] for row in range(len(texts))]
    frame = pd.DataFrame({"doc_id": "d", "sentence_id": range(len(texts)), "text": texts, "published": published})
    expected = attribute_periods(frame, periods)[list(dict(DATE_COLUMNS))].reset_index(drop=True)
    for chunks in (1, 3):
        pd.testing.assert_frame_equal(_build_dates(texts, published, periods, chunks), expected)
    # a partition that is a slice of a larger table (its buffers hold other sentences too)
    from fplang.build import stages

    table = pa.table({"doc_id": ["x"] * len(texts), "sentence_id": range(len(texts)), "text": texts,
                      "published": published})  # fmt: skip
    sliced = stages.date(table.slice(5, 9), periods).to_pandas()
    pd.testing.assert_frame_equal(sliced, expected.iloc[5:14].reset_index(drop=True))
    assert _build_dates([], [], periods).shape == (0, len(DATE_COLUMNS))


@pytest.mark.parametrize("published", ["2026-13-01", "21/01/2026", "", None])
def test_the_build_stage_names_the_row_of_a_bad_publication_date(periods, published):
    from fplang.periods import SentenceTableError

    with pytest.raises(SentenceTableError, match=r"row 1: " + re.escape(repr(published))):
        _build_dates(["In 1954.", "In 1975."], ["2025", published], periods)


def test_period_facts_are_read_again_when_any_cell_of_the_table_changes(periods):
    from fplang.periods import PeriodsError

    facts = period_facts(periods)
    assert period_facts(periods.copy()) is facts  # the same table: its facts kept
    later = periods.copy()
    later.loc[later["period_id"] == "geneva_agreements_1954", ["start_year", "end_year"]] += 1
    geneva = facts.spans["geneva_agreements_1954"]
    assert period_facts(later).spans["geneva_agreements_1954"] == (geneva[0] + 1, geneva[1] + 1)
    broken = periods.astype({"start_year": object})  # a column that may hold a word, as a hand-edited table would
    broken.loc[0, "start_year"] = "soon"
    for _ in range(2):  # a table that fails is never kept
        with pytest.raises(PeriodsError):
            period_facts(broken)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(alphabet="abcdeı ſİKk19đổ", max_size=30), max_size=8),
    st.lists(st.text(alphabet="abcdeisk19đổ", min_size=1, max_size=6), min_size=1, max_size=6),
)
def test_literal_rows_agrees_with_a_substring_test_on_folded_text(texts, literals):
    """Every literal found where it occurs, whatever it shares with others (first two, three or four bytes)."""
    expected = [[literal in fold(text) for literal in literals] for text in texts]
    assert literal_rows(texts, literals).tolist() == expected
    assert literal_rows(pa.chunked_array([texts[:2], texts[2:]], pa.string()), literals).tolist() == expected


def test_a_rule_is_tested_for_the_clauses_that_narrow_its_candidates():
    """A clause of common words (most sentences hold "to" or "the") or one another clause implies is not tested."""
    from fplang.periods.evidence import _requirement

    requirement = {rule.name: _requirement(rule) for rule in ATTRIBUTION_RULES if rule.name != "named_event"}
    assert requirement["until_year"] == (frozenset({"19", "20", "203"}),)  # not "to", "by", ...
    assert requirement["new_era"] == (frozenset({"era"}), frozenset({"nation's", "nation\u2019s", "national", "new"}))
    assert requirement["decades_ago"] == (frozenset({"year", "decade", "century", "centuries"}),)  # not "centur" too
    for rule in ATTRIBUTION_RULES:  # each clause kept is one required_literals gives
        assert set(_requirement(rule) or ()) <= set(required_literals(rule.pattern.pattern, rule.pattern.flags) or ())


def test_candidate_matrix_holds_where_every_clause_tested_holds():
    from fplang.periods.evidence import _requirement

    texts = [*HAND_MADE, "the TERM of the Central Committee", "PARIS peace talks", "normalised ties", "represent"]
    expected = [
        [all(any(literal in fold(text) for literal in clause) for clause in _requirement(rule) or ()) for rule in
         ATTRIBUTION_RULES]
        for text in texts
    ]  # fmt: skip
    assert candidate_matrix(texts, ATTRIBUTION_RULES).tolist() == expected


def test_the_cycle_collector_is_paused_only_while_the_matches_are_found(periods, monkeypatch):
    import gc

    from fplang.periods import attribution

    seen = []
    real = attribution.matches_by_row
    monkeypatch.setattr(attribution, "matches_by_row", lambda *args: seen.append(gc.isenabled()) or real(*args))
    facts, years = period_facts(periods), np.array([2025, 1995])
    try:
        for enabled in (True, False):
            gc.enable() if enabled else gc.disable()
            attribution.date_columns(["In 1954.", "nothing"], years, facts)
            assert gc.isenabled() is enabled
        gc.enable()
        monkeypatch.setattr(attribution, "matches_by_row", lambda *args: 1 / 0)
        with pytest.raises(ZeroDivisionError):
            attribution.date_columns(["In 1954."], years[:1], facts)
        assert gc.isenabled()
        assert seen == [False, False]
    finally:
        gc.enable()
