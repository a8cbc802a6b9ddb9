"""The literals a pattern needs: every skip they allow must be a search that would have found nothing."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from fplang.corpus.clean import default_rules
from fplang.literals import fold, may_match, required_literals
from fplang.periods.rules import ATTRIBUTION_RULES

CLEANING_RULES = [rule for rule in default_rules() if rule.pattern]
ALL_PATTERNS = [(rule.pattern, rule.flags) for rule in CLEANING_RULES] + [
    (rule.pattern.pattern, rule.pattern.flags) for rule in ATTRIBUTION_RULES
]


def test_requirements_read_off_the_book_rules():
    def clauses(pattern: str, flags: int = 0) -> list[set[str]]:
        return [set(clause) for clause in required_literals(pattern, flags) or ()]

    assert {"Viet"} in clauses(r"\b(V)iet[ -]*[Nn]am\b")  # a group of literals joins its neighbours
    assert clauses("\u00ac[ \t]*\n?") == [{"\u00ac"}]
    assert {"renewal", "renovation"} in clauses(r"(?:renewal|renovation)\s+period", re.I)
    assert {"national"} in clauses(r"\b\d+th\s+National\s+Day\b", re.I) and {"day"} in clauses(r"National\s+Day", re.I)
    assert clauses(r"\A\s+|\s+\Z") == [] and required_literals(r"\s+") is None  # nothing to require
    assert required_literals(r"(?i:viet)nam") is not None and {"Viet"} not in clauses(r"(?i:viet)nam")  # scoped flag
    assert clauses(r"(?:a|b)?x+") == [{"x"}] and required_literals(r"[^a]") is None


def test_fold_reads_every_character_re_matches_to_an_ascii_letter_or_digit_as_that_character():
    everything = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF)
    for char in set(re.findall(r"[a-z0-9]", everything, re.IGNORECASE)):
        partner = re.fullmatch(r"[a-z0-9]", fold(char))
        assert partner is not None and re.fullmatch(re.escape(fold(char)), char, re.IGNORECASE), repr(char)


def test_every_non_ascii_character_of_a_requirement_is_matched_only_by_characters_that_fold_to_it():
    everything = "".join(chr(code) for code in range(0x110000) if not 0xD800 <= code <= 0xDFFF)
    needed = {
        char
        for pattern, flags in ALL_PATTERNS
        if flags & re.IGNORECASE
        for clause in required_literals(pattern, flags) or ()
        for literal in clause
        for char in literal
        if not char.isascii()
    }
    assert needed >= {"đ", "ổ"}  # the Vietnamese spelling of Đổi Mới
    for char in needed:
        for other in re.findall(re.escape(char), everything, re.IGNORECASE):
            assert fold(other) == char, (char, other)


_FRAGMENTS = st.sampled_from(
    ["Viet", " Nam", "Vietnam", "viet-nam", "\u00ac", "(spoke in French)", "(interpretation from Arabic)", "19", "20",
     "1954", "since ", "years", " ago", "Geneva Agreement", "Paris Peace Accords", "Đổi Mới", "doi moi", "renewal ",
     "period", "new era", "National Day", "80th", "today", "these days", "Congress", "13th term", "\n", "  ", "\t",
     "A/63/PV.13", "(see A/1/2)", "[2126th meeting]", " | ", "(Photo: VNA) |", "İ", "ı", "ſ", "K", "x", ". ", "The"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_FRAGMENTS, max_size=12).map("".join))
def test_a_text_without_the_required_literals_is_never_matched(text):
    for pattern, flags in ALL_PATTERNS:
        if not may_match(pattern, flags, text):
            assert re.search(pattern, flags=flags, string=text) is None, pattern


@pytest.mark.slow
def test_no_rule_is_skipped_where_it_matches_in_the_books_documents():
    from fplang.corpus import prepare_corpus
    from fplang.periods.attribution import candidate_rules

    skipped = 0
    for manifest, select in ((ROOT / "data" / "corpus.csv", None), (ROOT / "data" / "raw" / "ungdc" / "manifest.csv", {"iso3": ["VNM", "CHN"]})):
        corpus = prepare_corpus(manifest, select=select)
        for text in [*corpus.raw, *corpus.cleaned]:
            for rule in CLEANING_RULES:
                if not may_match(rule.pattern, rule.flags, text):
                    skipped += 1
                    assert re.search(rule.pattern, text, rule.flags) is None, rule.name
        sentences = corpus.sentences["text"].tolist()
        chosen = dict(candidate_rules(sentences))
        for row, text in enumerate(sentences):
            for rule in ATTRIBUTION_RULES:
                if rule not in chosen.get(row, ()):
                    skipped += 1
                    assert rule.pattern.search(text) is None, (rule.name, text)
    assert skipped > 100_000  # the test tested something
