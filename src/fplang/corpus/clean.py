"""Cleaning: named, declarative rules that remove what is not the author's text.

Web copies carry site chrome (time stamps, section names), sign-offs, photo
captions, generated summaries and repeated paragraphs; UN records carry
paragraph numbers and line-wrap debris.  Counted as words, all of that would
distort every rate in the book, so each kind is removed by a named rule, and
every removal is reported: for each document, characters before and after and
every removed span with the rule that removed it.

A rule applies to the documents whose manifest metadata match its ``where``
(column -> regular expression, full match), so a rule for one web site's
chrome is keyed on that site's address and also cleans other articles from it.

Two guarantees, both tested with hypothesis:

* cleaning never adds text: the letters and digits of the cleaned text, read
  in order and compared case-insensitively, are a subsequence of the raw
  text's (a rule may delete, join, or replace a mark by another mark);
* cleaning is idempotent: cleaning a cleaned text changes nothing.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import sparse

from fplang.corpus.tokens import tokenize

REPORT_COLUMNS = ["doc_id", "rule", "position", "removed", "replaced_by", "chars_removed"]
"""Columns of the cleaning report: one row a removed (or replaced) span.

``position`` is the span's character offset in the text as it stood when the
rule ran (rules run in order, so earlier removals shift later offsets).
"""


@dataclass(frozen=True)
class Removal:
    """One span a rule took out (or replaced) of a document."""

    rule: str
    position: int
    removed: str
    replaced_by: str = ""


@dataclass(frozen=True)
class Rule:
    """A regular-expression rule: every match is replaced by ``replacement``.

    ``replacement`` may use group references (``\\1``) but must never bring
    letters or digits that the match did not hold; an empty replacement
    deletes the match.
    """

    name: str
    description: str
    pattern: str
    replacement: str = ""
    where: Mapping[str, str] = field(default_factory=dict)
    flags: int = re.MULTILINE

    def applies_to(self, metadata: Mapping[str, object]) -> bool:
        """Whether the document with this manifest row is cleaned by the rule."""
        return all(
            re.fullmatch(regex, str(metadata.get(column, ""))) is not None
            for column, regex in self.where.items()
        )

    def apply(self, text: str) -> tuple[str, list[Removal]]:
        """The text with every match replaced, and what was removed."""
        compiled = re.compile(self.pattern, self.flags)
        removals: list[Removal] = []
        pieces: list[str] = []
        last = 0
        for match in compiled.finditer(text):
            replaced_by = match.expand(self.replacement)
            if match.group() == replaced_by:
                continue
            removals.append(Removal(self.name, match.start(), match.group(), replaced_by))
            pieces.append(text[last : match.start()])
            pieces.append(replaced_by)
            last = match.end()
        if not removals:
            return text, []
        pieces.append(text[last:])
        return "".join(pieces), removals


@dataclass(frozen=True)
class RepeatedParagraphRule(Rule):
    """Drop a paragraph (a line) that repeats an earlier one of the same document.

    Web pages repeat a paragraph as a photo caption or a pull quote; counted
    twice, its words would weigh double.  Two paragraphs are the same when
    their token sequences agree to at least ``threshold`` (difflib's ratio),
    which catches captions that differ by a word.  The first occurrence stays.
    Paragraphs shorter than ``min_tokens`` (headings, "VNA") are left alone.
    """

    pattern: str = ""
    threshold: float = 0.9
    min_tokens: int = 8

    def apply(self, text: str) -> tuple[str, list[Removal]]:
        lines = text.splitlines(keepends=True)
        tokens = [tokenize(line) for line in lines]
        bounds = _quick_ratios(tokens, self.min_tokens)
        kept: set[int] = set()  # long paragraphs kept so far: what a later one may repeat
        matchers: dict[int, difflib.SequenceMatcher] = {}  # made when first needed; the paragraph is seq2
        removals: list[Removal] = []
        out: list[str] = []
        position = 0
        for index, line in enumerate(lines):
            long_enough = len(tokens[index]) >= self.min_tokens
            candidates = np.flatnonzero(bounds[index, :index] >= self.threshold) if long_enough else []
            if any(
                earlier in kept and _similar(_matcher(matchers, tokens, earlier), tokens[index], self.threshold)
                for earlier in candidates
            ):
                removals.append(Removal(self.name, position, line))
            else:
                out.append(line)
                if long_enough:
                    kept.add(index)
            position += len(line)
        return "".join(out), removals


def _matcher(cache: dict[int, difflib.SequenceMatcher], tokens: Sequence[list[str]], index: int) -> difflib.SequenceMatcher:
    """The matcher with paragraph ``index`` as its second sequence, made once (difflib indexes it)."""
    if index not in cache:
        cache[index] = difflib.SequenceMatcher(None, b=tokens[index], autojunk=False)
    return cache[index]


def _quick_ratios(tokens: Sequence[list[str]], min_tokens: int) -> np.ndarray:
    """difflib's ``quick_ratio`` for every pair of paragraphs of at least ``min_tokens`` tokens.

    ``quick_ratio`` (twice the shared tokens, counted as a multiset, over the
    two lengths) bounds ``ratio`` from above, so a pair below the threshold
    here cannot be a repeat.  Computed for all pairs at once from a count
    matrix, it spares the quadratic Python loop that made cleaning a UN
    speech slow; pairs of short paragraphs are left at 0.
    """
    n = len(tokens)
    bounds = np.zeros((n, n))
    long_rows = [i for i, words in enumerate(tokens) if len(words) >= min_tokens]
    if len(long_rows) < 2:
        return bounds
    vocabulary: dict[str, int] = {}
    rows, columns = [], []
    for row, i in enumerate(long_rows):
        for word in tokens[i]:
            rows.append(row)
            columns.append(vocabulary.setdefault(word, len(vocabulary)))
    counts = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int64), (rows, columns)), shape=(len(long_rows), len(vocabulary))
    )  # duplicates are summed: each paragraph's token counts
    lengths = np.asarray(counts.sum(axis=1)).ravel()
    # shared[i, j] = sum over tokens of min(count in i, count in j): the tokens both hold
    # (a sparse product), corrected, for the few tokens some paragraph repeats, by their
    # minimum counts (dense, on those columns only).
    held = (counts > 0).astype(np.int64)
    shared = (held @ held.T).toarray()
    repeated = np.flatnonzero(np.asarray(counts.max(axis=0).todense()).ravel() > 1)
    if repeated.size:
        many = counts[:, repeated].toarray()
        many_held = (many > 0).astype(np.int64)
        minimum = np.stack([np.minimum(row, many).sum(axis=1) for row in many])
        shared += minimum - many_held @ many_held.T
    bounds[np.ix_(long_rows, long_rows)] = 2.0 * shared / (lengths[:, None] + lengths[None, :])
    return bounds


def _similar(matcher: difflib.SequenceMatcher, tokens: list[str], threshold: float) -> bool:
    """Whether ``tokens`` agree with the matcher's paragraph to ``threshold`` (difflib's ``ratio``).

    Only pairs whose ``quick_ratio`` bound already reaches the threshold
    (:func:`_quick_ratios`) get here, so the full comparison is all that is left.
    """
    matcher.set_seq1(tokens)
    return matcher.ratio() >= threshold


# --- the rules ---------------------------------------------------------------

_SPACES = "\u00a0\u2000-\u200a\u202f\u205f\u3000\t\f\v"

NORMALISE_RULES: tuple[Rule, ...] = (
    Rule(
        "byte_order_mark",
        "A byte-order mark is an encoding artefact, not text.",
        "\ufeff",
    ),
    Rule(
        "line_endings",
        "Windows and old Mac line endings become plain newlines.",
        r"\r\n?",
        "\n",
    ),
    Rule(
        "irregular_spaces",
        "Non-breaking, thin and other irregular spaces and tabs become one plain space.",
        f"[ {_SPACES}]*[{_SPACES}][ {_SPACES}]*",
        " ",
    ),
    Rule(
        "curly_quotes",
        "Curly quotation marks and apostrophes become straight ones, so 'Vietnam’s' and "
        "\"Vietnam's\" are the same token.",
        "[\u2018\u2019\u201a\u201b\u2032]",
        "'",
    ),
    Rule(
        "curly_double_quotes",
        "Curly double quotation marks become straight ones.",
        "[\u201c\u201d\u201e\u201f\u2033]",
        '"',
    ),
    Rule(
        "viet_nam_one_token",
        "'Viet Nam' (the UN's and the state's spelling), 'Viet-nam' and 'Vietnam' name one "
        "country; written as one word they count as one token, so rates do not depend on an "
        "outlet's spelling convention.",
        r"\b(V)iet[ -]*[Nn]am\b",
        r"\1ietnam",
    ),
)
"""Rules every document gets first: encoding and typography, nothing removed."""

SPACE_RUNS = Rule(
    "space_runs",
    "Runs of spaces become one space.",
    r" {2,}",
    " ",
)
LINE_EDGE_SPACES = Rule(
    "trailing_spaces",
    "Spaces at the start or end of a line carry nothing.",
    r"^ +| +$",
)

TIDY_RULES: tuple[Rule, ...] = (
    SPACE_RUNS,
    LINE_EDGE_SPACES,
    Rule(
        "blank_line_runs",
        "Runs of blank lines (where images stood) become one blank line.",
        r"\n{3,}",
        "\n\n",
    ),
    Rule(
        "document_edges",
        "Blank lines at the start and end of a document.",
        r"\A\s+|\s+\Z",
        flags=0,
    ),
)
"""Rules every document gets last, after site rules may have left gaps."""

VIETNAMPLUS = {"source_url": r"https?://(en\.)?vietnamplus\.vn/.*"}
CONGTHUONG = {"source_url": r"https?://(ven\.)?congthuong\.vn/.*"}
ASB_MEDIA = {"source_url": r"https?://(www\.)?asb-media\.info/.*"}
VOVWORLD = {"source_url": r"https?://(www\.)?vovworld\.vn/.*"}

SITE_RULES: tuple[Rule, ...] = (
    Rule(
        "crawler_date_prefix",
        "VietnamPlus copies start with the crawler's ' date YYYY-MM-DD' before the lead.",
        r"\A\s*(?:date \d{4}-\d{2}-\d{2}\s+)+",
        where=VIETNAMPLUS,
    ),
    Rule(
        "vna_sign_off",
        "Vietnam News Agency stories end with '/.' and the sign-off 'VNA'.",
        r"(?:/\.\s*VNA\s*)+\Z",
        where=VIETNAMPLUS,
        flags=0,
    ),
    Rule(
        "site_chrome_timestamp",
        "Vietnam Economic News prints '19:05 | 23/03/2025 15:58 | 21/01/2026' plus a section "
        "name above the article and under each related-article link (whose titles were lost).",
        r"^\d{2}:\d{2} \| \d{2}/\d{2}/\d{4} \d{2}:\d{2} \| \d{2}/\d{2}/\d{4}[^\n]*(\n|\Z)",
        where=CONGTHUONG,
    ),
    Rule(
        "photo_caption",
        "VOV World photo captions are lines ending in ' |' with a '(Photo: …)' credit.",
        r"^[^\n]*\(Photo: [^)\n]*\)\s*\|[ ]*(\n|\Z)",
        where=VOVWORLD,
    ),
    Rule(
        "vovworld_prefix",
        "VOV World stories open with the outlet's tag '(VOVWORLD) - '.",
        r"\A\s*(?:\(VOVWORLD\)\s*-\s*)+",
        where=VOVWORLD,
    ),
    Rule(
        "generated_summary",
        "The aggregator's rewrite ends with an 'In conclusion' paragraph and '- ' bullet points "
        "that summarise, and add claims the body does not support (amnesties tied to "
        "'environmental policies'); they are not reporting.",
        r"^(In conclusion\b|- )[^\n]*(\n|\Z)",
        where=ASB_MEDIA,
    ),
)
"""Rules for the chrome and furniture of particular web sites, keyed on their address."""

RESTATEMENT_RULES: tuple[Rule, ...] = (
    Rule(
        "lead_restated_in_body",
        "The Vietnam Economic News lead restates two body paragraphs (the renewal-period "
        "paragraph and the presenter with his theme); the body's versions are kept.",
        r"^(Entering the renewal period, external relations took the lead|Nguyen Manh Cuong, a "
        r"member of the Party Central Committee,[^\n]*delivered a presentation)[^\n]*(\n|\Z)",
        where=CONGTHUONG,
    ),
)
"""Site rules that must run after repeated paragraphs are gone (they match a paragraph's first copy)."""

REPEATED_PARAGRAPHS = RepeatedParagraphRule(
    "repeated_paragraph",
    "A paragraph that repeats an earlier one (a photo caption, a pull quote) is counted once.",
)


def default_rules() -> list[Rule]:
    """Every rule in the order it runs: normalise, UN record, site, repeats, restatements, tidy.

    The UN-record rules (paragraph numbers, wrapped lines, soft hyphens) come
    from :mod:`fplang.sources.ungdc` and only apply to speeches of that collection.
    """
    return [
        *NORMALISE_RULES,
        SPACE_RUNS,  # line-anchored site rules must see trimmed lines; they run again at the end
        LINE_EDGE_SPACES,
        *_un_record_rules(),
        *SITE_RULES,
        REPEATED_PARAGRAPHS,
        *RESTATEMENT_RULES,
        *TIDY_RULES,
    ]


def _un_record_rules() -> list[Rule]:
    try:
        from fplang.sources.ungdc import UN_RECORD_RULES
    except ImportError:  # the UN module is optional for a corpus without speeches
        return []
    return list(UN_RECORD_RULES)


# --- applying them -----------------------------------------------------------


def clean_text(
    text: str, metadata: Mapping[str, object], rules: Sequence[Rule] | None = None
) -> tuple[str, list[Removal]]:
    """Clean one document: apply each rule that applies to it, in order.

    Returns the cleaned text and every removal, in the order made.
    """
    removals: list[Removal] = []
    for rule in default_rules() if rules is None else rules:
        if rule.applies_to(metadata):
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
    active = default_rules() if rules is None else list(rules)
    cleaned: dict[str, str] = {}
    rows: list[dict[str, object]] = []
    for metadata in manifest.to_dict("records"):
        doc_id = str(metadata["doc_id"])
        text, removals = clean_text(str(raw_texts[doc_id]), metadata, active)
        cleaned[doc_id] = text
        rows += [_report_row(doc_id, removal) for removal in removals]
    report = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    report["position"] = report["position"].astype("int64")
    report["chars_removed"] = report["chars_removed"].astype("int64")
    return pd.Series(cleaned, name="text", dtype="string").rename_axis("doc_id"), report


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


def rule_table(rules: Iterable[Rule] | None = None) -> pd.DataFrame:
    """The rules as a table for the book: name, applies to, what and why."""
    rows = []
    unique = {rule.name: rule for rule in (default_rules() if rules is None else rules)}
    for rule in unique.values():
        where = "; ".join(f"{k} ~ {v}" for k, v in rule.where.items()) or "every document"
        rows.append({"rule": rule.name, "applies_to": where, "description": rule.description})
    return pd.DataFrame(rows)


def letters_and_digits(text: str) -> str:
    """The letters and digits of ``text`` in order, case-folded: what cleaning must not add."""
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def is_subsequence(needle: str, haystack: str) -> bool:
    """Whether ``needle``'s characters occur in ``haystack`` in the same order."""
    remaining = iter(haystack)
    return all(ch in remaining for ch in needle)


def _report_row(doc_id: str, removal: Removal) -> dict[str, object]:
    return {
        "doc_id": doc_id,
        "rule": removal.rule,
        "position": removal.position,
        "removed": removal.removed,
        "replaced_by": removal.replaced_by,
        "chars_removed": len(removal.removed) - len(removal.replaced_by),
    }


