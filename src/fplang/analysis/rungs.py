"""The rungs of the formula ladder, and the lexicon concepts that find each in a sentence.

Party Congresses since the renewal have each restated a formula for the
country's place in the world.  Seed 001 tells the sequence in the Party's own
words: "from aspiring to be a friend, to being ready to be a friend, to
becoming a friend, a trusted partner, and an active, responsible member of the
international community; from economic integration to proactive and
comprehensive international integration; ... to assuming a more core and
leading role in multilateral mechanisms".  This module makes each step of that
sequence a **rung** (:data:`RUNGS`): an id, a label, its position on the ladder
and the **lexicon concepts** that state it; :mod:`fplang.analysis.formulas`
sets the records side by side.

One operationalisation per idea
-------------------------------
A rung has no patterns of its own: it is stated wherever the counting engine
(:func:`fplang.counting.find_matches`) counts one of its concepts of
``data/lexicon.yml``.  Chapter 3's counts of "friend of all countries" or
"responsible member" and chapter 4's ladder therefore rest on the same
phrases and cannot disagree; a change to a pattern changes both.

The ladder's order follows seed 001's sentence above, then the two terms the
14th Congress (2026) adds: strategic autonomy, and external relations as a
"key and regular task".

Matching rules (those of the counting engine)
---------------------------------------------
* Patterns are the lexicon's: words in order, case ignored, commas ignored, a
  trailing ``*`` for any continuation.  The friendship concepts list the
  variants with and without articles ("a friend, a reliable partner" / "a
  friend and reliable partner").
* **A sentence may state several rungs** ("a friend, a reliable partner and a
  responsible member of the international community").
* **Where phrases overlap, the longest wins** and a word counts once: "an
  active, responsible member of the international community" is
  ``active_responsible_member`` only; "willing to be a friend and a reliable
  partner" is ``ready_to_be_friend`` only.  A rung's ``includes`` says which
  lower rungs its phrase contains, for the comparison of first appearances
  (:func:`fplang.analysis.formulas.rungs_ahead_of_congress`).

Known limits, kept because each pattern must stay explicit and checkable:

* the patterns cannot tell who is named: the 2022 UN speech calls *the United
  Nations* "a trusted friend and reliable partner" of Viet Nam, and that
  sentence counts;
* "responsible member" and "active … responsible member" count only "of (in)
  the international (world) community": membership of the Security Council
  (UN 2008) or of "the Organization" (UN 2012) is not the formula;
* "pioneering role" is not ``core_leading_role``: in the seeds it is the role of
  diplomacy at home (seed 002), and at the UN the role of "major Powers"
  (2023), never Viet Nam's place in multilateral bodies.
"""


from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd

from fplang.counting import find_matches
from fplang.counting.lexicon import Lexicon, load_lexicon
from fplang.paths import DATA_DIR
from fplang.tables import is_missing

BOOK_LEXICON = DATA_DIR / "lexicon.yml"
"""The lexicon the rungs read when none is given."""


@dataclass(frozen=True)
class Rung:
    """One step of the ladder.

    Attributes
    ----------
    id
        snake_case key used in every table.
    label
        What the book prints.
    order
        Position on the ladder, from 1 (lowest, earliest).
    concepts
        The lexicon concepts whose matches state this rung.
    note
        Where the wording comes from.
    includes
        Lower rungs whose phrase this rung's phrase contains ("ready to be a
        friend and a reliable partner" contains "a friend and a reliable
        partner"), so a Congress stating this rung also states those.
    """

    id: str
    label: str
    order: int
    concepts: tuple[str, ...]
    note: str
    includes: tuple[str, ...] = ()


RUNGS: tuple[Rung, ...] = (
    Rung(
        id="friends_with_all",
        label="Wants to be a friend of all countries",
        order=1,
        concepts=("friend_of_all",),
        note="Hồ Chí Minh 1947; 7th Congress 1991 'a friend of all countries'; UN 1991, 1994; seed 001.",
    ),
    Rung(
        id="ready_to_be_friend",
        label="Ready to be a friend (and reliable partner)",
        order=2,
        concepts=("ready_to_be_friend",),
        note="9th Congress 2001 (2002 restatement) 'willing to be a friend and a reliable partner'; UN 2004-2005.",
        includes=("friend_and_reliable_partner",),
    ),
    Rung(
        id="friend_and_reliable_partner",
        label="A friend and reliable partner",
        order=3,
        concepts=("friend_and_reliable_partner",),
        note="10th Congress (English text of seed 003); 11th 2011; UN from 2001.",
    ),
    Rung(
        id="responsible_member",
        label="A responsible member of the international community",
        order=4,
        concepts=("responsible_member",),
        note="11th Congress 2011 'thanh vien co trach nhiem trong cong dong quoc te'; UN 2011, 2013, 2016.",
    ),
    Rung(
        id="active_responsible_member",
        label="An active and responsible member of the international community",
        order=5,
        concepts=("active_responsible_member",),
        note="13th Congress 2021 (2026 restatement); UN 2007 and 2009 with 'constructive, cooperative'; UN 2013-2023.",
        includes=("responsible_member",),
    ),
    Rung(
        id="proactive_integration",
        label="Proactive, comprehensive and deep international integration",
        order=6,
        concepts=("comprehensive_integration", "proactive_integration"),
        note="10th Congress 2006 'chu dong va tich cuc hoi nhap kinh te quoc te'; 11th-12th 'hoi nhap quoc te'.",
    ),
    Rung(
        id="core_leading_role",
        label="A core and leading role in multilateral mechanisms",
        order=7,
        concepts=("core_leading_role",),
        note="Seed 001 'assuming a more core and leading role in multilateral mechanisms'.",
    ),
    Rung(
        id="strategic_autonomy",
        label="Strategic autonomy",
        order=8,
        concepts=("strategic_autonomy",),
        note="14th Congress 2026 'tu chu chien luoc' (seeds 001, 004; the Foreign Minister's restatement).",
    ),
    Rung(
        id="key_regular_task",
        label="External relations a key and regular task",
        order=9,
        concepts=("key_regular_task",),
        note="Resolution 59 (2025) and the 14th Congress 2026 'trong yeu, thuong xuyen' (seeds 001, 004).",
    ),
)
"""The ladder, lowest rung first; ``order`` counts from 1 in this sequence."""

RUNG_IDS: tuple[str, ...] = tuple(rung.id for rung in RUNGS)


@dataclass(frozen=True)
class RungMatch:
    """One rung stated in a text: the rung id and the matched characters ``text[start:end]``."""

    rung: str
    start: int
    end: int
    matched: str


# --------------------------------------------------------------------------
# Finding the rungs in text
# --------------------------------------------------------------------------


def rung_table(lexicon: Lexicon | None = None) -> pd.DataFrame:
    """The ladder as a table for the method notes.

    Returns
    -------
    pandas.DataFrame
        One row per rung in ladder order: ``rung``, ``label``, ``order``,
        ``concepts`` (the lexicon concepts, ``", "``-joined), ``patterns``
        (their patterns, ``" | "``-joined, from ``lexicon`` or the book's) and ``note``.
    """
    patterns = _patterns_by_concept(lexicon or book_lexicon())
    return pd.DataFrame(
        {
            "rung": [rung.id for rung in RUNGS],
            "label": [rung.label for rung in RUNGS],
            "order": pd.array([rung.order for rung in RUNGS], dtype="int64"),
            "concepts": [", ".join(rung.concepts) for rung in RUNGS],
            "patterns": [" | ".join(p for c in rung.concepts for p in patterns.get(c, [])) for rung in RUNGS],
            "note": [rung.note for rung in RUNGS],
        }
    )


@functools.lru_cache(maxsize=1)
def book_lexicon() -> Lexicon:
    """The book's lexicon (``data/lexicon.yml``), loaded once."""
    return load_lexicon(BOOK_LEXICON)


def missing_rung_concepts(lexicon: Lexicon) -> list[str]:
    """The rungs' concepts that ``lexicon`` lacks (a rung without its concepts is never stated)."""
    keys = set(lexicon.concept_keys)
    return [concept for rung in RUNGS for concept in rung.concepts if concept not in keys]


def rung_matches(texts: pd.Series, lexicon: Lexicon | None = None) -> pd.DataFrame:
    """Every rung stated in each text: the counting engine's matches of the rungs' concepts.

    Returns
    -------
    pandas.DataFrame
        Columns ``position`` (0-based place of the text in ``texts``), ``rung``,
        ``start``, ``end`` (character offsets) and ``matched``; ordered by
        position, then start.
    """
    lexicon = lexicon or book_lexicon()
    texts = pd.Series(["" if is_missing(value) else str(value) for value in texts])
    matches = find_matches(texts, lexicon, doc_ids=range(len(texts)))
    rung_of = {concept: rung.id for rung in RUNGS for concept in rung.concepts}
    chosen = matches[matches["concept"].astype(str).isin(rung_of)]
    return pd.DataFrame(
        {
            "position": chosen["doc_id"].astype("int64").to_numpy(),
            "rung": chosen["concept"].astype(str).map(rung_of).to_numpy(),
            "start": chosen["start"].astype("int64").to_numpy(),
            "end": chosen["end"].astype("int64").to_numpy(),
            "matched": chosen["text"].astype(str).to_numpy(),
        }
    )


def find_rungs(text: str, lexicon: Lexicon | None = None) -> list[RungMatch]:
    """Every rung ``text`` states, with the span of each match.

    The rungs' concepts are counted by the counting engine with the whole
    ``lexicon`` (the book's by default), so a phrase another concept owns (a
    longer one) states no rung here either.

    Returns
    -------
    list of RungMatch
        Sorted by start, then ladder order; the same rung may appear more than
        once when the text states it twice.
    """
    order = {rung.id: rung.order for rung in RUNGS}
    found = rung_matches(pd.Series([text]), lexicon)
    matches = [
        RungMatch(rung, int(start), int(end), matched)
        for rung, start, end, matched in zip(found["rung"], found["start"], found["end"], found["matched"], strict=True)
    ]
    return sorted(matches, key=lambda match: (match.start, order[match.rung], match.end))


def _patterns_by_concept(lexicon: Lexicon) -> dict[str, list[str]]:
    return {concept.key: [pattern.text for pattern in concept.patterns] for concept in lexicon.concepts}
