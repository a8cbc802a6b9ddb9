"""Cleaning: named, declarative rules that remove what is not the author's text.

Web copies carry site chrome (time stamps, section names), sign-offs, photo
captions, generated summaries and repeated paragraphs; UN records carry
paragraph numbers and line-wrap debris.  Counted as words, all of that would
distort every rate in the book, so each kind is removed by a named rule, and
every removal is reported: for each document, characters before and after and
every removed span with the rule that removed it.

A rule (:class:`~fplang.corpus.rule.Rule`) applies to the documents whose
manifest metadata match its ``where`` (column -> regular expression, full
match), so a rule for one web site's chrome is keyed on that site's address
and also cleans other articles from it.  This module holds the rules every
document gets (normalising first, tidying last), puts them in order with the
site rules (:mod:`~fplang.corpus.rules_sites`), the UN-record rules
(:mod:`~fplang.corpus.rules_un`) and the repeated-paragraph rule
(:mod:`~fplang.corpus.repeats`), and applies them.

Two guarantees, both tested with hypothesis:

* cleaning never adds text: the letters and digits of the cleaned text, read
  in order and compared case-insensitively, are a subsequence of the raw
  text's (a rule may delete, join, or replace a mark by another mark);
* cleaning is idempotent: cleaning a cleaned text changes nothing.
"""

from __future__ import annotations

import itertools
import operator
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd

from fplang.collector import collector_paused
from fplang.corpus.prefilters import HoldsAny, HoldsCharacterIn, has_line_edge_space
from fplang.corpus.repeats import REPEATED_PARAGRAPHS
from fplang.corpus.rule import EdgeWhitespaceRule, NfcRule, Removal, Rule, RunsRule
from fplang.corpus.rules_sites import RESTATEMENT_RULES, SITE_RULES
from fplang.corpus.rules_un import UN_RECORD_RULES
from fplang.corpus.wrapped import WRAPPED_LINES

REPORT_COLUMNS = ["doc_id", "rule", "position", "removed", "replaced_by", "chars_removed"]
"""Columns of the cleaning report: one row a removed (or replaced) span.

``position`` is the span's character offset in the text as it stood when the
rule ran (rules run in order, so earlier removals shift later offsets).
"""


# --- the rules ---------------------------------------------------------------

_SPACES = "\u00a0\u2000-\u200a\u202f\u205f\u3000\t\f\v"
_IRREGULAR_SPACES = ("\u00a0", *map(chr, range(0x2000, 0x200B)), "\u202f", "\u205f", "\u3000", "\t", "\f", "\v")
"""The characters of :data:`_SPACES`, one by one: a text holding none has no irregular space."""

FORMAT_CHARACTERS = "\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069"
"""Invisible format characters (a character class): soft hyphen, Arabic letter mark, Mongolian vowel
separator, zero-width space, zero-width non-joiner and joiner, left-to-right and right-to-left marks,
bidirectional embeddings and isolates, word joiner and the invisible operators.  The byte-order mark
(zero-width no-break space) has a rule of its own."""

CONTROL_CHARACTERS = "\x00-\x08\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff"
"""Control characters (a character class) other than tab, line feed, vertical tab, form feed, carriage
return and next line (U+0085), which the line and space rules handle; and the two non-characters
U+FFFE and U+FFFF.  Charts are drawn through SVG (XML), which cannot hold them."""

NORMALISE_RULES: tuple[Rule, ...] = (
    Rule(
        "byte_order_mark",
        "A byte-order mark is an encoding artefact, not text.",
        "\ufeff",
    ),
    Rule(
        "format_characters",
        "Invisible format characters (soft hyphen U+00AD, zero-width space, zero-width joiner and "
        "non-joiner, word joiner, direction marks) and control characters are removed wherever they "
        "stand: inside a word (a soft hyphen in 'co-operation' as a web page hyphenates it, a word "
        "joiner in 'neutrality') they would split it into two tokens, and elsewhere they carry nothing.",
        f"[{FORMAT_CHARACTERS}{CONTROL_CHARACTERS}]+",
        prefilter=HoldsCharacterIn(f"{FORMAT_CHARACTERS}{CONTROL_CHARACTERS}"),
    ),
    NfcRule(
        "unicode_nfc",
        "Text is put in Unicode normalisation form C (NFC): a letter and its combining accents "
        "become the one precomposed character ('o' + U+0302 + U+0301 becomes 'ố'), so text typed "
        "or converted in decomposed form (NFD) counts exactly as composed text does.",
    ),
    Rule(
        "line_endings",
        "Windows and old Mac line endings, and the Unicode next-line, line and paragraph "
        "separators, become plain newlines.",
        "\r\n?|[\x85\u2028\u2029]",
        "\n",
    ),
    RunsRule(
        "irregular_spaces",
        "Non-breaking, thin and other irregular spaces and tabs become one plain space.",
        # A run of spaces holding at least one irregular one (the whole run, from its start).
        f"(?<![ {_SPACES}]) *+[{_SPACES}][ {_SPACES}]*+",
        " ",
        prefilter=HoldsAny(_IRREGULAR_SPACES),
        members=" " + "".join(_IRREGULAR_SPACES),
        needed="".join(_IRREGULAR_SPACES),
    ),
    RunsRule(
        "curly_quotes",
        "Curly quotation marks and apostrophes become straight ones, so 'nation’s' and "
        "\"nation's\" are the same token.",
        "[\u2018\u2019\u201a\u201b\u2032]",
        "'",
        members="\u2018\u2019\u201a\u201b\u2032",
        each=True,
    ),
    RunsRule(
        "curly_double_quotes",
        "Curly double quotation marks become straight ones.",
        "[\u201c\u201d\u201e\u201f\u2033]",
        '"',
        members="\u201c\u201d\u201e\u201f\u2033",
        each=True,
    ),
    Rule(
        "viet_nam_one_token",
        "'Viet Nam' (the UN's and the state's spelling), 'Viet-nam', 'VIET NAM' and 'Vietnam' name "
        "one country; written as one word they count as one token, so rates do not depend on an "
        "outlet's spelling convention. Lexicon patterns are rewritten by the same rule.",
        r"(?i)\b(v)iet[ -]*+nam\b",
        r"\1ietnam",
        starts_with="viet",
    ),
)
"""Rules every document gets first: encoding, typography and spelling, nothing of the text removed.

They are also the rules every lexicon pattern goes through
(:func:`normalise_pattern`), so a pattern and the text it should match are
written alike: "viet nam" in a lexicon becomes "vietnam", as "Viet Nam" does
in the text.
"""

SPACE_RUNS = RunsRule(
    "space_runs",
    "Runs of spaces become one space.",
    r" {2,}",
    " ",
    prefilter=HoldsAny(("  ",)),
    members=" ",
    min_run=2,
)
LINE_EDGE_SPACES = RunsRule(
    "trailing_spaces",
    "Spaces at the start or end of a line carry nothing.",
    # The runs of spaces that start or end a line: `^ +|(?<! ) ++$`, written to start with the space itself
    # (the pattern's statement; the rule finds the runs with a compiled scan).
    r" (?:(?<=^ ) *+|(?<!  ) *+$)",
    prefilter=has_line_edge_space,
    members=" ",
    line_edges=True,
)

TIDY_RULES: tuple[Rule, ...] = (
    SPACE_RUNS,
    LINE_EDGE_SPACES,
    RunsRule(
        "blank_line_runs",
        "Runs of blank lines (where images stood) become one blank line.",
        r"\n{3,}",
        "\n\n",
        prefilter=HoldsAny(("\n\n\n",)),
        members="\n",
        min_run=3,
    ),
    EdgeWhitespaceRule(
        "document_edges",
        "Blank lines at the start and end of a document.",
    ),
)
"""Rules every document gets last, after site rules may have left gaps."""

def normalise_pattern(pattern: str) -> str:
    """A lexicon pattern written as the cleaned text writes it: the normalising rules applied.

    The same NFC, format characters, quotes and spelling rules that clean
    every document (:data:`NORMALISE_RULES`), so that a pattern can match what
    cleaning left: "viet nam" becomes "vietnam", an NFD "đổi mới" the NFC one.
    """
    for rule in NORMALISE_RULES:
        pattern, _ = rule.apply(pattern)
    return pattern


def default_rules() -> list[Rule]:
    """Every rule in the order it runs: normalise, UN record, site, wrapped lines, repeats, restatements, tidy.

    The site rules (:mod:`fplang.corpus.rules_sites`) apply to copies from
    their sites only, the UN-record rules (:mod:`fplang.corpus.rules_un`:
    paragraph numbers, wrapped lines, soft hyphens) to UN speeches only.
    """
    return [
        *NORMALISE_RULES,
        SPACE_RUNS,  # line-anchored site rules must see trimmed lines; they run again at the end
        LINE_EDGE_SPACES,
        *UN_RECORD_RULES,
        *SITE_RULES,
        WRAPPED_LINES,  # after the line-anchored site rules, before paragraphs are compared
        REPEATED_PARAGRAPHS,
        *RESTATEMENT_RULES,
        *TIDY_RULES,
    ]


# --- applying them -----------------------------------------------------------


def clean_text(
    text: str, metadata: Mapping[str, object], rules: Sequence[Rule] | None = None
) -> tuple[str, list[Removal]]:
    """Clean one document: apply each rule that applies to it, in order.

    Returns the cleaned text and every removal, in the order made.
    """
    active = [rule for rule in (default_rules() if rules is None else rules) if rule.applies_to(metadata)]
    return _apply_rules(text, active)


def _apply_rules(text: str, rules: Sequence[Rule]) -> tuple[str, list[Removal]]:
    """Apply each rule in order (all of them: the caller chose those that apply); every removal, in order."""
    removals: list[Removal] = []
    for rule in rules:
        text, made = rule.apply(text)
        removals += made
    return text, removals


def clean_corpus(
    manifest: pd.DataFrame, raw_texts: pd.Series, rules: Sequence[Rule] | None = None
) -> tuple[pd.Series, pd.DataFrame]:
    """Clean every document of a corpus.

    Parameters
    ----------
    manifest
        The validated manifest (one row a document, ``doc_id`` first).
    raw_texts
        Raw text by ``doc_id`` (:func:`fplang.corpus.manifest.read_texts`).

    Returns
    -------
    cleaned
        Cleaned text by ``doc_id``, in manifest order.
    report
        One row a removed span, columns :data:`REPORT_COLUMNS`.
    """
    doc_ids = [str(doc_id) for doc_id in manifest["doc_id"]]
    cleaned, spans = clean_texts(manifest, [str(raw_texts[doc_id]) for doc_id in doc_ids], rules)
    cleaned_texts = pd.Series(dict(zip(doc_ids, cleaned, strict=True)), name="text", dtype="string")
    return cleaned_texts.rename_axis("doc_id"), _report(spans)


REMOVED_SPAN_COLUMNS = REPORT_COLUMNS[:-1]
"""The report's columns but ``chars_removed`` (:func:`clean_texts` gives these; the length is worked out from them)."""


def clean_texts(
    manifest: pd.DataFrame, texts: Sequence[str], rules: Sequence[Rule] | None = None
) -> tuple[list[str], dict[str, list[str] | list[int]]]:
    """The cleaned texts (in the order of ``texts``, one a manifest row) and every removal, as columns.

    The columns (:data:`REMOVED_SPAN_COLUMNS`, lists) go to a data frame
    (:func:`clean_corpus`) or straight to Arrow (the corpus build), without a
    frame between.  Python's cycle collector is paused meanwhile: the removals
    are named tuples, which it tracks for as long as they live (it stops
    tracking plain tuples of strings and numbers, not those of a subclass), so
    the two million of the full UN corpus made every full collection longer; a
    third of the cleaning stage's time went to collections that found nothing
    (strings, tuples and lists of them hold no reference cycles).
    """
    rules_for = _RulesFor(default_rules() if rules is None else list(rules))
    read = ["doc_id", *(column for column in rules_for.columns if column in manifest.columns and column != "doc_id")]
    cleaned: list[str] = []
    removed_in: list[str] = []
    removals: list[Removal] = []
    with collector_paused():
        for metadata, raw in zip(manifest[read].to_dict("records"), texts, strict=True):
            text, made = _apply_rules(raw, rules_for(metadata))
            cleaned.append(text)
            removed_in += itertools.repeat(str(metadata["doc_id"]), len(made))
            removals += made
        # the named tuples transposed, a column at a time (``zip(*removals)`` passes two million arguments)
        rule, position, removed, replaced_by = (list(map(operator.itemgetter(k), removals)) for k in range(4))
    return cleaned, dict(zip(REMOVED_SPAN_COLUMNS, (removed_in, rule, position, removed, replaced_by), strict=True))


class _RulesFor:
    """The rules that apply to a document (:meth:`Rule.applies_to`), worked out once per distinct metadata.

    Every rule's ``where`` is a set of full matches on a few manifest columns
    (``doc_type``, ``source_url``); the UN corpus has one value of those for
    all its 10,952 speeches, so the regexes are matched once, not once a
    document and rule.
    """

    def __init__(self, rules: Sequence[Rule]) -> None:
        self.rules = list(rules)
        self.columns = sorted({column for rule in self.rules for column in rule.where})
        self.known: dict[tuple[str, ...], list[Rule]] = {}

    def __call__(self, metadata: Mapping[str, object]) -> list[Rule]:
        key = tuple(str(metadata.get(column, "")) for column in self.columns)
        if key not in self.known:
            self.known[key] = [rule for rule in self.rules if rule.applies_to(metadata)]
        return self.known[key]


def cleaning_summary(raw_texts: pd.Series, cleaned: pd.Series, report: pd.DataFrame) -> pd.DataFrame:
    """Per document: characters before and after, spans removed, and by which rules.

    Columns: doc_id, chars_raw, chars_clean, chars_removed, share_removed
    (a fraction of the raw characters), spans, rules (comma-joined names).
    """
    by_doc = report.groupby("doc_id", sort=False)
    summary = pd.DataFrame(
        {
            "doc_id": cleaned.index,
            "chars_raw": [len(raw_texts[d]) for d in cleaned.index],
            "chars_clean": [len(cleaned[d]) for d in cleaned.index],
        }
    )
    summary["chars_removed"] = summary["chars_raw"] - summary["chars_clean"]
    summary["share_removed"] = summary["chars_removed"] / summary["chars_raw"]
    spans = by_doc.size()
    rules = by_doc["rule"].agg(lambda names: ", ".join(dict.fromkeys(names)))
    summary["spans"] = summary["doc_id"].map(spans).fillna(0).astype("int64")
    summary["rules"] = summary["doc_id"].map(rules).fillna("")
    return summary


def rule_table(rules: Iterable[Rule] | None = None, *, used_in: pd.DataFrame | None = None) -> pd.DataFrame:
    """The rules as a table for the book: name, applies to, what and why.

    With ``used_in`` (a cleaning report, :data:`REPORT_COLUMNS`), only the
    rules that removed or replaced something in it are listed: a re-run shows
    the rules that changed its own texts, not those written for the book's sites.
    """
    rows = []
    unique = {rule.name: rule for rule in (default_rules() if rules is None else rules)}
    if used_in is not None:
        fired = set(used_in["rule"])
        unique = {name: rule for name, rule in unique.items() if name in fired}
    for rule in unique.values():
        where = rule.scope or "; ".join(f"{k} ~ {v}" for k, v in rule.where.items()) or "every document"
        rows.append({"rule": rule.name, "applies_to": where, "description": rule.description})
    return pd.DataFrame(rows, columns=["rule", "applies_to", "description"])  # the columns even when no rule fired


def _report(spans: Mapping[str, Sequence[object]]) -> pd.DataFrame:
    """The cleaning report (:data:`REPORT_COLUMNS`) from the removed spans' columns (:func:`clean_texts`).

    Each column is made a typed array before the frame: the full UN corpus has
    about two million removals, and letting pandas infer the types of lists costs seconds.
    """
    columns: dict[str, np.ndarray] = {}
    for name in ("doc_id", "rule", "removed", "replaced_by"):
        columns[name] = np.empty(len(spans[name]), dtype=object)
        columns[name][:] = spans[name]
    columns["position"] = np.fromiter(spans["position"], dtype=np.int64, count=len(spans["position"]))
    lengths = np.fromiter(map(len, spans["removed"]), dtype=np.int64, count=len(spans["removed"]))  # type: ignore[arg-type]
    replaced = np.fromiter(map(len, spans["replaced_by"]), dtype=np.int64, count=len(spans["replaced_by"]))  # type: ignore[arg-type]
    columns["chars_removed"] = lengths - replaced
    return pd.DataFrame({name: columns[name] for name in REPORT_COLUMNS}, copy=False)
