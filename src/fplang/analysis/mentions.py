"""How the world spoke of Viet Nam: every mention in every state's speech, its collocates, its concordance.

For 1946-1977 neither Vietnamese state had a seat in the General Assembly, so
the only primary record of how the world spoke of Viet Nam is others' words.
This module finds them.

The rule
--------
A **mention** is a match, in a cleaned sentence, of one of the terms of
:data:`MENTION_TERMS`, matched case-insensitively on word boundaries, with
any run of spaces or a hyphen allowed between the parts of a name ("Viet Nam",
"Viet-Nam", "Vietnam"; "Dien Bien Phu", "Dienbienphu"):

* **names** — Viet Nam and its adjective (Vietnamese), the Viet Minh and the
  Viet Cong, Vietnamization; the states' full names (Democratic Republic of
  Viet-Nam, Republic of Viet-Nam, Socialist Republic of Viet Nam) contain the
  name and count once;
* **places** — Hanoi, Saigon, Haiphong, Dien Bien Phu, Da Nang, Ho Chi Minh
  City, and the colonial names Tonkin, Annam and Cochin-China;
* **Indo-China** (and Indo-Chinese) — counted only where the sentence does
  not narrow it to the other two states of former French Indochina (names
  neither Laos nor Cambodia, Kampuchea or the Khmer): "the war in Indo-China"
  is counted, "Indo-China, and Cambodia in particular" is not.

A sentence holding several matches is one **mention sentence** with several
mentions; matches do not overlap (the longest alternative wins).  Speeches by
Viet Nam itself are not others' words and are left out by the caller.

What the rule cannot tell, its measured precision says: a seeded sample of
matches of each kind is read and labelled by hand (``data/world/
mention_labels.csv``) and the chapter reports the share that speak of Viet
Nam, with an exact interval.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from fplang.corpus.tokens import TOKEN_RE

__all__ = [
    "MENTION_COLUMNS",
    "MENTION_TERMS",
    "STATE_NAMES",
    "TIERS",
    "MentionTerm",
    "collocate_window_counts",
    "find_mentions",
    "kwic",
    "mention_pattern",
    "states_named",
]

_GAP = r"[\s-]*"
"""Between the parts of a name: nothing, spaces, line breaks or a hyphen."""


@dataclass(frozen=True)
class MentionTerm:
    """One way of naming Viet Nam: an id, its tier (``name``, ``place``, ``indochina``) and its pattern."""

    id: str
    tier: str
    label: str
    pattern: str


MENTION_TERMS: tuple[MentionTerm, ...] = (
    MentionTerm("vietnamization", "name", "Vietnamization", rf"viet{_GAP}nami[sz]ation"),
    MentionTerm("vietnamese", "name", "Vietnamese", rf"viet{_GAP}namese"),
    MentionTerm("viet_nam", "name", "Viet Nam (any spelling)", rf"viet{_GAP}nam"),
    MentionTerm("viet_minh", "name", "Viet Minh", rf"viet{_GAP}minh"),
    MentionTerm("viet_cong", "name", "Viet Cong", rf"viet{_GAP}cong"),
    MentionTerm("ho_chi_minh_city", "place", "Ho Chi Minh City", rf"ho{_GAP}chi{_GAP}minh\s+city"),
    MentionTerm("hanoi", "place", "Hanoi", rf"ha{_GAP}noi"),
    MentionTerm("saigon", "place", "Saigon", rf"sai{_GAP}gon"),
    MentionTerm("haiphong", "place", "Haiphong", rf"hai{_GAP}phong"),
    MentionTerm("dien_bien_phu", "place", "Dien Bien Phu", rf"dien{_GAP}bien{_GAP}phu"),
    MentionTerm("da_nang", "place", "Da Nang", rf"da{_GAP}nang"),
    MentionTerm("tonkin", "place", "Tonkin", r"tonkin"),
    MentionTerm("annam", "place", "Annam", r"annam"),
    MentionTerm("cochin_china", "place", "Cochin-China", rf"cochin{_GAP}china"),
    MentionTerm("indochina", "indochina", "Indo-China (not narrowed to Laos or Cambodia)", rf"indo{_GAP}chin(?:a|ese)"),
)
"""The terms, longest alternatives first where one could start another."""

TIERS: tuple[str, ...] = ("name", "place", "indochina")

_TERM_RE = re.compile(
    # The look-ahead on the first letters lets the engine skip most positions at once
    # (the same matches, several times faster on a whole speech).
    r"\b(?=[vhsdtaci])(?:" + "|".join(rf"(?P<{term.id}>{term.pattern}\b)" for term in MENTION_TERMS) + ")",
    flags=re.IGNORECASE,
)
_TIER_OF = {term.id: term.tier for term in MENTION_TERMS}

NARROWING_PATTERN: str = r"\b(?:laos|lao|laotian|cambodia|cambodian|kampuchea|kampuchean|khmer)\b"
"""Names that narrow an Indo-China sentence to the other states of former French Indochina."""
_NARROWING_RE = re.compile(NARROWING_PATTERN, flags=re.IGNORECASE)

STATE_NAMES: dict[str, str] = {
    "drv": rf"\bdemocratic\s+republic\s+of\s+viet{_GAP}nam\b|\bnorth(?:ern)?{_GAP}viet{_GAP}nam(?:ese)?\b",
    "rvn": rf"(?<!democratic )(?<!socialist )\brepublic\s+of\s+viet{_GAP}nam\b"
    rf"|(?<!republic of )\bsouth(?:ern)?{_GAP}viet{_GAP}nam(?:ese)?\b",
    "prg": r"\bprovisional\s+revolutionary\s+government\b",
    "srv": rf"\bsocialist\s+republic\s+of\s+viet{_GAP}nam\b",
}
"""Which Viet Nam a sentence names: the North (DRV), the South (Republic of Viet-Nam), the
South's Provisional Revolutionary Government (1969-76), the reunified Socialist Republic."""
_STATE_RES = {state: re.compile(pattern, flags=re.IGNORECASE) for state, pattern in STATE_NAMES.items()}

MENTION_COLUMNS: tuple[str, ...] = ("doc_id", "sentence_id", "term", "tier", "start", "end", "matched")
"""Columns of :func:`find_mentions`: one row a mention; ``start``/``end`` are offsets in the sentence."""


def mention_pattern() -> re.Pattern[str]:
    """The compiled alternation of every term (also used to skip texts with no mention at all)."""
    return _TERM_RE


def find_mentions(sentences: pd.DataFrame) -> pd.DataFrame:
    """Every mention of Viet Nam in ``sentences`` (columns ``doc_id``, ``sentence_id``, ``text``).

    Returns one row per mention, columns :data:`MENTION_COLUMNS`, in input
    order; Indo-China matches in sentences that also name Laos or Cambodia
    are left out (see the module docstring).
    """
    rows: list[tuple[object, object, str, str, int, int, str]] = []
    for doc_id, sentence_id, text in zip(sentences["doc_id"], sentences["sentence_id"], sentences["text"], strict=True):
        narrowed: bool | None = None
        for match in _TERM_RE.finditer(text):
            term = match.lastgroup or ""
            if _TIER_OF[term] == "indochina":
                if narrowed is None:
                    narrowed = _NARROWING_RE.search(text) is not None
                if narrowed:
                    continue
            rows.append((doc_id, sentence_id, term, _TIER_OF[term], match.start(), match.end(), match.group()))
    return pd.DataFrame(rows, columns=list(MENTION_COLUMNS))


def states_named(text: str) -> str:
    """The Vietnamese states a sentence names, as ``;``-joined ids of :data:`STATE_NAMES` ('' for none)."""
    return ";".join(state for state, pattern in _STATE_RES.items() if pattern.search(text))


def collocate_window_counts(text: str, spans: Iterable[tuple[int, int]], window: int = 5) -> Counter[str]:
    """Tokens within ``window`` tokens of a mention in one sentence, each position counted once.

    The window is the ``window`` tokens before the first token of a mention
    and after its last, inside the sentence; tokens that are themselves part
    of a mention are not collocates.  Where the windows of two mentions
    overlap, a token is counted once, so a sentence that names Viet Nam
    twice does not double its neighbours.
    """
    tokens = [(m.start(), m.end(), m.group().lower()) for m in TOKEN_RE.finditer(text)]
    if not tokens:
        return Counter()
    starts = np.array([start for start, _, _ in tokens])
    ends = np.array([end for _, end, _ in tokens])
    inside = np.zeros(len(tokens), dtype=bool)
    chosen = np.zeros(len(tokens), dtype=bool)
    for span_start, span_end in spans:
        covered = np.flatnonzero((starts < span_end) & (ends > span_start))
        if covered.size == 0:
            continue
        inside[covered] = True
        first, last = covered[0], covered[-1]
        chosen[max(0, first - window) : first] = True
        chosen[last + 1 : last + 1 + window] = True
    return Counter(tokens[i][2] for i in np.flatnonzero(chosen & ~inside))


def kwic(text: str, start: int, end: int, width: int = 90) -> tuple[str, str, str]:
    """A keyword-in-context line: up to ``width`` characters either side of ``text[start:end]``, cut at words.

    White space is collapsed, and an ellipsis marks a cut, so each part reads
    as a person would quote it.
    """
    left = " ".join(text[:start].split())
    right = " ".join(text[end:].split())
    if len(left) > width:
        cut = left[-width:]
        if left[-width - 1] != " " and " " in cut:  # the cut fell inside a word: drop its end
            cut = cut[cut.find(" ") + 1 :]
        left = "\u2026" + cut
    if len(right) > width:
        cut = right[:width]
        if right[width] != " " and " " in cut:
            cut = cut[: cut.rfind(" ")]
        right = cut + "\u2026"
    return left, " ".join(text[start:end].split()), right
