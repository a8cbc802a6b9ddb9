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

from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

from fplang.corpus.repeats import REPEATED_PARAGRAPHS
from fplang.corpus.rule import Removal, Rule
from fplang.corpus.rules_sites import RESTATEMENT_RULES, SITE_RULES
from fplang.corpus.rules_un import UN_RECORD_RULES

REPORT_COLUMNS = ["doc_id", "rule", "position", "removed", "replaced_by", "chars_removed"]
"""Columns of the cleaning report: one row a removed (or replaced) span.

``position`` is the span's character offset in the text as it stood when the
rule ran (rules run in order, so earlier removals shift later offsets).
"""


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
        "Curly quotation marks and apostrophes become straight ones, so 'nation’s' and "
        "\"nation's\" are the same token.",
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

def default_rules() -> list[Rule]:
    """Every rule in the order it runs: normalise, UN record, site, repeats, restatements, tidy.

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
        where = "; ".join(f"{k} ~ {v}" for k, v in rule.where.items()) or "every document"
        rows.append({"rule": rule.name, "applies_to": where, "description": rule.description})
    return pd.DataFrame(rows)


def _report_row(doc_id: str, removal: Removal) -> dict[str, object]:
    return {
        "doc_id": doc_id,
        "rule": removal.rule,
        "position": removal.position,
        "removed": removal.removed,
        "replaced_by": removal.replaced_by,
        "chars_removed": len(removal.removed) - len(removal.replaced_by),
    }


