"""The fast paths of the cleaning rules give what the plain patterns gave, on hand-made and hostile texts.

Each rule that got a prefilter (:mod:`fplang.corpus.prefilters`), a rewritten
pattern or string methods in place of its pattern is compared here with the
rule as it was written before: a plain :class:`Rule` with the old pattern and
no prefilter.  Same cleaned text, same removals (position, text, replacement).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT
from fplang.corpus.clean import LINE_EDGE_SPACES, NORMALISE_RULES, SPACE_RUNS, TIDY_RULES, clean_text, default_rules
from fplang.corpus.manifest import load_manifest, read_texts
from fplang.corpus.rule import Rule
from fplang.corpus.rules_un import UN_RECORD_RULES
from fplang.corpus.wrapped import CLOSING_MARKS, SENTENCE_FINAL, WrappedLinesRule, _joiner, is_closed

_SPACES = "\u00a0\u2000-\u200a\u202f\u205f\u3000\t\f\v"


@dataclass(frozen=True)
class LineByLineWrappedLines(WrappedLinesRule):
    """The UN wrapped-lines rule as it was: each line read in Python (a subclass's :meth:`joins` takes that path)."""

    def joins(self, line: str, next_line: str, hard_wrapped: bool) -> bool:
        return WrappedLinesRule.joins(self, line, next_line, hard_wrapped)


def _by_name(name: str) -> Rule:
    return next(rule for rule in (*NORMALISE_RULES, *TIDY_RULES, *UN_RECORD_RULES) if rule.name == name)


BEFORE: dict[str, Rule] = {
    "trailing_spaces": Rule("trailing_spaces", "", r"^ +|(?<! ) ++$"),
    "document_edges": Rule("document_edges", "", r"\A\s++|(?<!\s)\s++\Z", flags=0),
    "space_runs": Rule("space_runs", "", r" {2,}", " "),
    "blank_line_runs": Rule("blank_line_runs", "", r"\n{3,}", "\n\n"),
    "irregular_spaces": Rule("irregular_spaces", "", f"(?<![ {_SPACES}]) *+[{_SPACES}][ {_SPACES}]*+", " "),
    "un_record_citation": Rule("un_record_citation", "", _by_name("un_record_citation").pattern),
    "un_paragraph_number": Rule("un_paragraph_number", "", _by_name("un_paragraph_number").pattern, r"\1", flags=0),
    "un_run_together_sentence": Rule(
        "un_run_together_sentence", "", r"(?<=[a-z][a-z][.?!])(?=[A-Z][a-z])", " "
    ),
    "viet_nam_one_token": Rule("viet_nam_one_token", "", r"(?i)\b(v)iet[ -]*+nam\b", r"\1ietnam"),
    "un_viet_nam_after_joins": Rule("un_viet_nam_after_joins", "", r"(?i)\b(v)iet[ ]*+-?[ ]*+nam\b", r"\1ietnam"),
    "curly_quotes": Rule("curly_quotes", "", "[\u2018\u2019\u201a\u201b\u2032]", "'"),
    "curly_double_quotes": Rule("curly_double_quotes", "", "[\u201c\u201d\u201e\u201f\u2033]", '"'),
    "format_characters": Rule("format_characters", "", _by_name("format_characters").pattern),
    "un_page_number": Rule("un_page_number", "", _by_name("un_page_number").pattern),
    "un_interpretation_note": Rule("un_interpretation_note", "", _by_name("un_interpretation_note").pattern),
    "un_soft_hyphen_break": Rule("un_soft_hyphen_break", "", _by_name("un_soft_hyphen_break").pattern),
    "un_soft_hyphen_as_hyphen": Rule("un_soft_hyphen_as_hyphen", "", _by_name("un_soft_hyphen_as_hyphen").pattern, "-"),
    "un_running_head": Rule("un_running_head", "", _by_name("un_running_head").pattern),
    "un_wrapped_lines": LineByLineWrappedLines("un_wrapped_lines", ""),
}
"""Each changed rule as it was: its old pattern, no prefilter."""

NOW: dict[str, Rule] = {
    "trailing_spaces": LINE_EDGE_SPACES,
    "space_runs": SPACE_RUNS,
    **{name: _by_name(name) for name in BEFORE if name not in ("trailing_spaces", "space_runs")},
}


def assert_same(name: str, text: str) -> None:
    before, now = BEFORE[name], NOW[name]
    expected, removals = before.apply(text)
    got, made = now.apply(text)
    assert got == expected, name
    assert [(r.position, r.removed, r.replaced_by) for r in made] == [
        (r.position, r.removed, r.replaced_by) for r in removals
    ], name


HAND_MADE = [
    "",
    " ",
    "\n",
    "   \n\t \n  ",
    "a",
    " a ",
    "line one  \n  line two\n\n\n\nline three   ",
    "\u00a0lead\u2009thin\t tab  \u3000\n\u202f",
    "  \t\u00a0 mixed run \t",
    "59.\tFirst of all, I speak.\n60. Next point.\n\nGroup of\n77. As we said,\n12. 13.\tDouble.",
    "1. Opening at the start.",
    "  \n 3.\tAfter blank space at the start.",
    "Peace.However, threats.We welcome U.S.A. and Mr.Smith.Here!Now?Yes",
    "as stated (see A/63/PV.13) and [A/33/44, annex] and [2126th meeting, para. 5] and (S/2020/123, p. 4).",
    "(see\nA/65/PV.19)\n[21st plenary\nmeeting]",
    "\ufeff\r\n\u2028text\u00ad here ",
    "Ends with a space \n",
    "Viet Nam, VIET NAM, viet-nam, Vietnam, VİET nam, vıet nam, Soviet Nam, xviet nam, Viet-\nNam, Viet - Nam",
    "\u0130\u0130 viet nam \u017f viet  nam \u212a Viet nam",
    "\u2014 Viet Nam \u2014 VIET-NAM, \u00e9 viet nam \U0001f600 Viet Nam",
    "\u0156\u0169iet nam \u5676\u6500 viet nam",
    "\u2018single\u2019 \u201cdouble\u201d \u201e\u201f\u2033\u2032\u201a\u201b\u2019\u2019 nation\u2019s",
    "soft\u00adhyphen, zero\u200bwidth, joiner\u2060, marks\u200e\u202a\u2066, controls \x00\x07\x1f\x7f\x9f\ufffe",
    "06-53323 42\nText continues\n  A/70/PV.19 30/09/2015\n12\n  7  \nGeneral Assembly 22nd plenary meeting\n",
    "(Mr. Wagner Tizon, Peru)\nFiftieth session 13 October 1995\n22 General Assembly - Forty-eighth session\n3",
    "the Security\n\n\nCouncil and\nthe sixty-\nthird session ;\nNew line.\n  lower case\n(closed.)\n, comma",
    "Mr. President,\nI speak.\nwe agree\n\u00e9t\u00e9\n\u2028\x0b\n ",
    "con\u00acgratulations sover\u00ac eignty render\u00ac\ning South\u00acEast 1981\u00ac1982 -\u00acx \u00aca a\u00ac \u00ac\u00ac",
    "(spoke in French)\n  (interpretation from Arabic)  \nWe (spoke in\nFrench) x\t (spoke  from Old Norse)(spoke in x)",
    "A/1/PV.2\nNS/at A/41/PV.5\n06-53323 42\n12\n(Mr. Wagner Tizon, Peru)\nFiftieth session 13 October 1995\n",
    "Peace.\n\n1. First.\n2. 3. Second,\n 4.\tThird;\u201d)\n5. x\n\n  \n6. y!\u00bb \t\n7. z",
    "  \t(A/1/PV.2)\n \t [2nd meeting] (see  S/1) \t(E/1, p. 2)(A/3)[A/4]x [ A/5] (see A/6",
]


@pytest.mark.parametrize("name", sorted(BEFORE))
@pytest.mark.parametrize("text", HAND_MADE)
def test_changed_rules_give_what_the_old_patterns_gave(name: str, text: str) -> None:
    assert_same(name, text)


HOSTILE = {
    "20,000 dots": "." * 20_000,
    "20,000 dots between words": "word" + ". " * 10_000 + "End.",
    "100,000 short lines": "".join(f"line {i}\n" for i in range(100_000)),
    "100,000 numbered lines": "".join(f"{i % 1000}. x,\n" for i in range(100_000)),
    "150,000 spaces inside a line": "a" + " " * 150_000 + "b",
    "150,000 spaces ending a line": "a" + " " * 150_000 + "\nb",
    "150,000 tabs and spaces": "a" + " \t" * 75_000 + "b",
    "50,000 blank lines": "a" + "\n" * 50_000 + "b",
    "20,000 run-together sentences": "ab.Cd" * 20_000,
    "20,000 citations": "(see A/1/PV.1) " * 20_000,
    "20,000 viets": "viet " * 20_000 + "nam",
    "20,000 soft hyphens": "a\u00ac \n b\u00acC \u00ac" * 20_000,
    "20,000 notes": "x (spoke in French) " * 20_000,
    "20,000 running heads": "A/70/PV.19\n" * 20_000,
    "100,000 closing marks before a number": "a." + ")" * 100_000 + "\n1. b",
    "only white space": " \n\t\u3000" * 10_000,
    "100,000 wrapped lines": "".join(f"a line of text {i}\n" for i in range(100_000)),
    "100,000 page numbers": "".join(f"{i % 1000}\n" for i in range(100_000)),
    "20,000 curly quotes": "\u2019\u201c" * 20_000,
}


@pytest.mark.parametrize("name", sorted(BEFORE))
@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_changed_rules_agree_on_hostile_text(name: str, case: str) -> None:
    assert_same(name, HOSTILE[case])


_ALPHABET = st.sampled_from(
    [" ", " ", "\n", "\t", "\u00a0", "\u3000", "\r", "a", "b", "Z", "1", "7", ".", ",", "?", "!", "(", ")", "[", "]",
     "A/", "S/", "see ", "meeting", "Ab", "ab.", "12. ", "viet", "VIET", "nam", "-", "\u0130", "\u017f",
     "\u2019", "\u201c", "\u00ad", "\x00", "06-53323", "PV.1", ";", "\u2026", "\u201d", "\u00e9", "\x0b",
     "(spoke in ", "French)", "A/1/PV.2", "General Assembly", "\n12\n", ")", "\u00bb", "\u00ac", "C"]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join))
def test_changed_rules_agree_on_generated_text(text: str) -> None:
    for name in BEFORE:
        assert_same(name, text)


def test_the_rewritten_trailing_spaces_pattern_is_the_old_one_on_every_line_shape() -> None:
    """Every text of up to six characters from {space, newline, 'a'}: the same matches, span by span."""
    old, new = re.compile(r"^ +|(?<! ) ++$", re.MULTILINE), re.compile(LINE_EDGE_SPACES.pattern, re.MULTILINE)
    texts = [""]
    for _ in range(7):
        texts += [text + char for text in texts[-(3**_) :] for char in " \na"]
    for text in texts:
        assert [m.span() for m in old.finditer(text)] == [m.span() for m in new.finditer(text)], repr(text)


def test_the_committed_corpora_clean_as_they_did_with_every_rule_as_it_was() -> None:
    """The seeds and the 584 committed UN speeches: the default rules and the old ones give the same text and report."""
    old_rules = [BEFORE.get(rule.name, rule) for rule in default_rules()]
    old_rules = [
        current if rule is current
        else replace(rule, where=current.where) if isinstance(rule, LineByLineWrappedLines)
        else Rule(rule.name, rule.description, rule.pattern, rule.replacement, current.where, rule.flags)
        for rule, current in zip(old_rules, default_rules(), strict=True)
    ]  # fmt: skip
    for manifest in (ROOT / "data" / "corpus.csv", ROOT / "data" / "raw" / "ungdc" / "manifest.csv"):
        frame = load_manifest(manifest)
        raw = read_texts(frame)
        for metadata in frame.to_dict("records"):
            text = str(raw[metadata["doc_id"]])
            assert clean_text(text, metadata) == clean_text(text, metadata, old_rules), metadata["doc_id"]


_LINE_ALPHABET = st.sampled_from([" ", "\t", "a", "Z", "1", ".", "!", ":", ";", "\u2026", ",", '"', "'", "\u201d", "\u2019",
                                  ")", "]", "\u00bb", "-", "_", "\u00e9", "\\"])  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_LINE_ALPHABET, max_size=12).map("".join), st.lists(_LINE_ALPHABET, max_size=3).map("".join))
def test_line_end_tests_read_as_the_old_patterns(line: str, right: str) -> None:
    """The wrapped-lines rule's end-of-line tests, read with str methods, against the patterns they replace."""
    old_closed = re.compile(f"[{re.escape(SENTENCE_FINAL)}][{CLOSING_MARKS}]*[ \t]*$")
    assert is_closed(line) == (old_closed.search(line) is not None)
    left = line.rstrip(" \t")
    old_joiner = "" if re.search(r"[^\W_]-$", left) or right[:1] in ",.;:!?)]\u00bb\u201d" else " "
    assert _joiner(left, right) == old_joiner


@pytest.mark.parametrize(
    ("pattern", "replacement", "text"),
    [
        (r"(?i)\b(v)iet[ -]*+nam\b", r"\1ietnam", "VIET NAM and viet-nam"),
        (r"(a)(b)?", r"\1x\2y", "a ab"),  # an unmatched group gives nothing
        (r"(\A\s*+|\n)(\d+\. )", r"\1", "1. a\n2. b"),
        (r"(a)", r"\1\n\g<1>", "a"),  # an escape and a named reference: left to Match.expand
        (r"(a)", "plain", "a"),
        (r"(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)(l)", r"\12\1", "abcdefghijkl"),  # two digits: group 12
    ],
)
def test_replacement_templates_expand_as_match_expand_does(pattern: str, replacement: str, text: str) -> None:
    from fplang.corpus.rule import _expander

    for match in re.finditer(pattern, text):
        assert _expander(replacement)(match) == match.expand(replacement)


def test_only_four_characters_fold_to_an_ascii_letter_other_than_by_bytes_lower() -> None:
    """Every code point: its fold is one character, and an ASCII letter only for an ASCII letter or the four."""
    from fplang.corpus.rule import _FOLDED_OTHERWISE
    from fplang.literals import fold

    odd = []
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        folded = fold(char)
        if char.isascii():
            assert folded == char.lower()
        elif len(folded) != 1 or folded.isascii():
            odd.append(char)
    assert "".join(odd) == _FOLDED_OTHERWISE


@pytest.mark.parametrize("text", [*HAND_MADE, "x" * 5 + "\u2014Viet", "\u0100iet viet", "\u5676\u6500"])
@pytest.mark.parametrize("literal", ["viet", "nam", "v", "et", " "])
def test_lowered_units_find_an_ascii_literal_where_the_fold_holds_it(text: str, literal: str) -> None:
    from fplang.corpus.rule import _LoweredUnits
    from fplang.literals import fold

    units = _LoweredUnits.of(text)
    if units is None:
        assert any(char in text for char in "\u0130\u0131\u017f\u212a")
        return
    folded = fold(text)
    starts = list(range(len(text) + 1))
    for start in [*starts, *reversed(starts)]:  # rising, as the rules ask, then falling
        assert units.find(literal, start) == folded.find(literal, start), (text, literal, start)
    assert units.holds(((literal,),)) == (literal in folded)
