"""Cleaning rules for the UN General Debate records: furniture, paragraph numbers, wrapped lines.

The speeches of the UN General Debate Corpus (:mod:`fplang.sources.ungdc`)
carry the printed record's page furniture, paragraph numbers, interpretation
notes, editors' citations, OCR soft hyphens and hard-wrapped lines.  These
rules, keyed on ``doc_type: un_speech``, take them out; :func:`fplang.corpus.clean.default_rules`
runs them after the normalising rules and before the site rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fplang.corpus.rule import AnchoredRule, Removal, Rule, removals_of
from fplang.corpus.wrapped import CLOSING_MARKS, SENTENCE_FINAL, WrappedLinesRule, open_line_share

__all__ = ["UN_RECORD_RULES", "UN_SPEECH", "UN_SPEECH_DOC_TYPE", "WrappedLinesRule", "open_line_share"]

UN_SPEECH_DOC_TYPE: str = "un_speech"
"""The manifest ``doc_type`` of a UN General Debate speech."""

UN_SPEECH: dict[str, str] = {"doc_type": UN_SPEECH_DOC_TYPE}
"""The ``where`` of every UN-record rule: they clean UN speeches only."""

_SPACE = r"[ \t]"
_SPACES_BEFORE = r"(?<![ \t])[ \t]*+"
"""The spaces before a removed span, matched only from the run's first space and without backtracking,
so that a long run of spaces is scanned once, not once per space (which is quadratic)."""
_LINE_END = r"[ \t]*(?:\n|\Z)"
_ORDINAL_WORD = r"[A-Z][a-z]+(?:-[a-z]+)?"
_CLOSING = CLOSING_MARKS
_CLOSING_CHARACTERS = CLOSING_MARKS.replace("\\", "")
_AFTER_PUNCTUATION = SENTENCE_FINAL + ","
"""The characters of the class :data:`CLOSING_MARKS` (its one escape is ``\\]``)."""
_SENTENCE_FINAL = SENTENCE_FINAL

_RUNNING_HEADS = "|".join(
    [
        # job number and page, 2005-2020: "06-53323 42", "21 08-51570", "24/54 15-29562"
        r"(?:\d{1,3}(?:/\d{1,3})?[ \t]+)?\d{2}-\d{5}(?:[ \t]+\d{1,3}(?:/\d{1,3})?)?",
        # record symbol and date, 2015-2017: "30/09/2015 A/70/PV.19", "A/70/PV.19 30/09/2015"
        r"\d{2}/\d{2}/\d{4}[ \t]+A/\d+/PV\.\d+|A/\d+/PV\.\d+[ \t]+\d{2}/\d{2}/\d{4}",
        # a record symbol alone, perhaps after a typist's mark: "A/36/PV.30", "NS/at A/41/PV.5"
        r"(?:\S+[ \t]+)?A/(?:\d+/)?PV\.[ \t]?\d+",
        # 1993: "22 General Assembly - Forty-eighth session"
        rf"(?:\d{{1,3}}[ \t]+)?General Assembly - {_ORDINAL_WORD} session(?:[ \t]+\d{{1,3}})?",
        # 1993-1996: "Forty-eighth session - 6 October l993 7", "Fiftieth session 13 October 1995"
        rf"{_ORDINAL_WORD} session[ \t,-]+\d{{1,2}} [A-Z][a-z]+ [l1]?\d{{3,4}}(?:[ \t]+\d{{1,3}})?",
        # 1994-1996: "General Assembly 22nd plenary meeting"
        r"General Assembly[ \t]+\d{1,3}(?:st|nd|rd|th)[ \t]+(?:plenary[ \t]+)?meeting",
        # 1986-1991: the speaker as a running head, "(Mr. Wagner Tizon, Peru)"
        r"\((?:Mr|Mrs|Ms)\.[^()\n]{1,40}[,.] [A-Z][A-Za-z ]+\)",
    ]
)

_RUNNING_HEADS_FOUND = _RUNNING_HEADS.replace(r"(?:\S+[ \t]+)?A/", r"(?:\S++[ \t]++)?A/").replace(
    r"[A-Z][a-z]+(?:-[a-z]+)? session", r"[A-Z][a-z]++(?:-[a-z]++)? session"
)
"""The running heads for the anchor's search: a word before a symbol and an ordinal word, read without backtracking
(each ends where its run of characters does, as the next item, a space or a hyphen, demands: the same matches)."""

# Citations may be broken across a wrapped line ("(see\nA/65/PV.19)"), so white space
# inside them includes line breaks; otherwise the join would leave one for a second pass.
_DOCUMENT_SYMBOL = r"(?:A|S|E)/[^()\[\]]{1,60}?"
_LOCATOR = r"(?:\s*,\s*(?:p|pp|para|paras|sect|annex)\b[^()\[\]]{0,30})?"
_CITATION = (
    rf"(?:\((?:see\s+)?{_DOCUMENT_SYMBOL}{_LOCATOR}\)"
    rf"|\[(?:see\s+)?{_DOCUMENT_SYMBOL}{_LOCATOR}\]"
    r"|\[\d+(?:st|nd|rd|th)\s+(?:plenary\s+)?meeting[^\[\]]{0,40}\])"
)
"""An editors' citation in brackets (``un_record_citation`` removes it with the spaces before it)."""
_LANGUAGE_NOTE = r"\((?:spoke|interpretation)\s+(?:in|from)\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\)"


_NUMBERS_AFTER_BREAK = re.compile(rf"\n{_SPACE}*+(?:\d{{1,3}}\.{_SPACE}++)+(?=\S)")
"""The part of a paragraph-number match from the line break that ends its context (the rest of the pattern)."""


@dataclass(frozen=True)
class ParagraphNumberRule(Rule):
    """The paragraph-number rule, its matches found from the line break before the numbers, not at every position.

    ``pattern`` (the reference, compared in ``tests/test_prefilters.py``) is a
    context, then :data:`_NUMBERS_AFTER_BREAK`'s part; the context is the
    start of the text and white space, or ends with a line break: after
    punctuation, closing marks and spaces, or after a line break and spaces.
    ``re`` tries the pattern at every position (it starts with a choice);
    here the numbers after a line break are found first, at memchr speed
    (literal-first, and they hold one line break: found left to right, none
    is missed), and the context is read backwards from the break: spaces and
    tabs, then a line break, or closing marks and a punctuation mark.  Both
    contexts are possessive, so that reading is the one way the pattern can
    match there, and its start the only one; each match keeps its context
    (``replacement`` is ``\\1``) and loses the numbers.  A match at the start
    of the text (the first context) is tried with the pattern itself.
    """

    def apply(self, text: str) -> tuple[str, list[Removal]]:
        positions: list[int] = []
        removed: list[str] = []
        contexts: list[str] = []
        pieces: list[str] = []
        last = 0  # where the last match ended
        first = self.compiled.match(text)
        if first is not None:
            positions.append(0)
            removed.append(first.group())
            contexts.append(first.group(1))
            pieces.append(first.group(1))
            last = first.end()
        for numbers in _NUMBERS_AFTER_BREAK.finditer(text, last):
            start = numbers.start()  # the line break that ends the context
            context = start
            while context > last and text[context - 1] in " \t":
                context -= 1
            if context > last and text[context - 1] == "\n":
                context -= 1
            else:
                while context > last and text[context - 1] in _CLOSING_CHARACTERS:
                    context -= 1
                if not (context > last and text[context - 1] in _AFTER_PUNCTUATION):
                    continue
                context -= 1
            positions.append(context)
            removed.append(text[context : numbers.end()])
            contexts.append(text[context : start + 1])
            pieces.append(text[last : start + 1])
            last = numbers.end()
        if not positions:
            return text, []
        pieces.append(text[last:])
        return "".join(pieces), removals_of(self.name, positions, removed, contexts)


UN_RECORD_RULES: tuple[Rule, ...] = (
    AnchoredRule(
        "un_interpretation_note",
        "The record's interpretation notes, '(spoke in French)', '(interpretation from Arabic)', "
        "say which language was spoken; they are the editors' words, not the speaker's.",
        rf"^{_SPACE}*+{_LANGUAGE_NOTE}{_LINE_END}|{_SPACES_BEFORE}{_LANGUAGE_NOTE}",
        where=UN_SPEECH,
        anchors=(r"\((?:spoke|interpretation)\s",),  # the note, after spaces or tabs
        back_over=" \t",
    ),
    AnchoredRule(
        "un_running_head",
        "Page furniture of the printed record on lines of their own: document job numbers with "
        "the page ('06-53323 42'), the record symbol with the date ('30/09/2015 A/70/PV.19') or "
        "alone ('A/36/PV.30'), session and meeting heads ('22 General Assembly - Forty-eighth "
        "session', 'General Assembly 22nd plenary meeting') and the speaker as a running head "
        "('(Mr. Wagner Tizon, Peru)'). Left in, their numbers and letters would count as tokens.",
        rf"^{_SPACE}*(?:{_RUNNING_HEADS}){_LINE_END}",
        where=UN_SPEECH,
        # the line break before a head: one that starts with a digit, 'A', 'G', '(' or an ordinal word and a
        # session, or a record symbol after a typist's mark (in a text holding 'PV.')
        anchors=(
            rf"\n{_SPACE}*+(?=[\dAG(]|[A-Z][a-z]++(?:-[a-z]++)? s)(?:{_RUNNING_HEADS_FOUND}){_LINE_END}",
            rf"\n{_SPACE}*+\S++{_SPACE}++A/(?:\d+/)?PV\.",
        ),
        reach=1,
    ),
    AnchoredRule(
        "un_page_number",
        "A line holding only a number of one to three digits is a page number of the printed "
        "record (common 1994-2005, found from the 1960s to 2024); the text around it often "
        "continues mid-sentence, which the wrapped-lines rule then joins.",
        rf"^{_SPACE}*\d{{1,3}}{_LINE_END}",
        where=UN_SPEECH,
        anchors=(rf"\n{_SPACE}*\d{{1,3}}{_LINE_END}",),  # the line break before the number
        reach=1,
    ),
    AnchoredRule(
        "un_record_citation",
        "Editors' references inserted into the verbatim record: a UN document symbol in "
        "brackets, perhaps after 'see' and with a page or paragraph, '(see A/63/PV.13)', "
        "'(A/34/PV.31, p. 3-5)', '[A/33/44, annex]', and meeting references '[2126th meeting, "
        "para. 5]', also when a wrapped line breaks them. The speaker did not say them; removed, "
        "with the space before them. A symbol the speaker names in a sentence stays.",
        rf"{_SPACES_BEFORE}{_CITATION}",
        where=UN_SPEECH,
        # an opening bracket, perhaps 'see', and a document symbol; or a bracket and an ordinal (after spaces)
        anchors=(r"\((?:see\s+)?[ASE]/", r"\[(?:see\s+)?[ASE]/", r"\[\d+(?:st|nd|rd|th)\s"),
        back_over=" \t",
    ),
    AnchoredRule(
        "un_soft_hyphen_break",
        "OCR of the 1976-1992 records renders the typesetter's soft hyphen as '¬' inside a word, "
        "at a line end or before a space ('con¬gratulations', 'sover¬ eignty', 'render¬\\ning'); "
        "when a lower-case letter follows, the word is joined again.",
        r"(?:(?<=[^\W\d_])|(?<=-))\u00ac[ \t]*\n?[ \t]*(?=[a-z\u00df-\u00f6\u00f8-\u00ff])",
        where=UN_SPEECH,
        anchors=("\u00ac",),  # a match starts at the mark
    ),
    AnchoredRule(
        "un_soft_hyphen_as_hyphen",
        "Before a capital or a digit the '¬' stood for a real hyphen ('South¬East', "
        "'super¬Powers', '1981¬1982'): it becomes '-', which splits tokens as the hyphen did.",
        r"(?<=[^\W_])\u00ac[ \t]*\n?[ \t]*(?=[A-Z0-9])",
        "-",
        where=UN_SPEECH,
        anchors=("\u00ac",),  # a match starts at the mark
    ),
    ParagraphNumberRule(
        "un_paragraph_number",
        "Records before the 1990s number their paragraphs ('59.\\tFirst of all, …'); the number "
        "is the record's, not the speaker's. It is removed at the start of a paragraph only: "
        "after a line ending in punctuation (a comma too, as OCR often reads the full stop), a "
        "blank line or the start of the text, so a wrapped line that starts with a number "
        "('Group of\\n77. As') keeps it.",
        rf"(\A\s*+|[{re.escape(_SENTENCE_FINAL)},][{_CLOSING}]*+{_SPACE}*+\n|\n{_SPACE}*+\n)"
        rf"{_SPACE}*+(?:\d{{1,3}}\.{_SPACE}++)+(?=\S)",  # possessive: a long run of spaces is scanned once
        r"\1",
        where=UN_SPEECH,
        flags=0,
    ),
    WrappedLinesRule(
        "un_wrapped_lines",
        "Hard-wrapped lines (1982, 1992-2014 and others) are joined into paragraphs, so a line is "
        "a paragraph in every era; documents with a paragraph a line are only joined where the "
        "next line starts in lower case (see fplang.corpus.rules_un.WrappedLinesRule).",
        where=UN_SPEECH,
    ),
    AnchoredRule(
        "un_run_together_sentence",
        "Sentences run together without a space ('Peace.However', 'threats.We welcome') get the "
        "space back, so segmentation sees two sentences. Only after two lower-case letters and "
        "before a capitalised word, which spares 'U.S.A.' and 'Mr.Smith'.",
        r"(?<=[a-z][a-z][.?!])(?=[A-Z][a-z])",
        " ",
        where=UN_SPEECH,
        # the mark before the place, followed by a capitalised word (literal-first: `re` finds them fast)
        anchors=tuple(rf"\{mark}(?=[A-Z][a-z])" for mark in ".?!"),
        reach=1,
    ),
    Rule(
        "un_viet_nam_after_joins",
        "Joining wrapped lines and soft hyphens can bring 'Viet' and 'Nam' together after the "
        "normalising rule ran ('Viet\\nNam', 'Viet-\\nNam'); they become one token here too.",
        r"(?i)\b(v)iet[ ]*+-?[ ]*+nam\b",
        r"\1ietnam",
        where=UN_SPEECH,
        starts_with="viet",
    ),
)
"""Cleaning rules for the UN General Debate texts, in the order they run (see each description).

Order matters: furniture, page numbers and citations go before paragraph
numbers (whose context they would hide) and before the wrapped-lines join
(which would otherwise glue them into the text); soft hyphens are mended
before lines are joined.  The byte-order mark and bare carriage returns (the
1991 speech) are handled by :data:`fplang.corpus.clean.NORMALISE_RULES`.  A known
transcription error cannot be repaired: in 2023 commas were read as full stops
("At the outset. I would"); the manifest notes it.
"""
