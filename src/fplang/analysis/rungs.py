"""The rungs of the formula ladder, and the patterns that find each in a sentence.

Party Congresses since the renewal have each restated a formula for the
country's place in the world.  Seed 001 tells the sequence in the Party's own
words: "from aspiring to be a friend, to being ready to be a friend, to
becoming a friend, a trusted partner, and an active, responsible member of the
international community; from economic integration to proactive and
comprehensive international integration; ... to assuming a more core and
leading role in multilateral mechanisms".  This module makes each step of that
sequence a **rung** (:data:`RUNGS`): an id, a label, its position on the ladder
and the regular expressions that recognise it in cleaned English text
(:func:`find_rungs`); :mod:`fplang.analysis.formulas` sets the records side by side.

The ladder's order follows seed 001's sentence above, then the two terms the
14th Congress (2026) adds: strategic autonomy, and external relations as a
"key and regular task".

Matching rules
--------------
* Patterns run over the cleaned sentence text, case-insensitively.  Cleaning
  writes "Viet Nam" as "Vietnam" and quotes as straight quotes; the patterns
  allow an article or not ("a friend, a reliable partner" / "a friend and
  reliable partner") and a comma or "and" between the parts.
* **A sentence may state several rungs** ("a friend, a reliable partner and a
  responsible member" states ``friend_and_reliable_partner`` and
  ``responsible_member``).
* **A match inside a longer match does not count**: "an active, responsible
  member" is ``active_responsible_member`` only, not also
  ``responsible_member``; "ready to be a friend and reliable partner" (the 9th
  Congress) is ``ready_to_be_friend`` only, because that rung's pattern reaches
  over the partner.  Matches that merely overlap both count: in "aspiring to
  be a friend and reliable partner", "aspiring to be a friend"
  (``friends_with_all``) and "a friend and reliable partner"
  (``friend_and_reliable_partner``) share words but neither holds the other.

Known limits, kept because each pattern must stay explicit and checkable:

* the patterns cannot tell who is named: the 2022 UN speech calls *the United
  Nations* "a trusted friend and reliable partner" of Viet Nam, and that
  sentence counts;
* in the English record "willing to be" stands both for "wants to" and for
  "ready to", so it counts as ``ready_to_be_friend`` only with the partner
  attached (the 9th Congress's "ready to be a friend and reliable partner");
  "willing to be the friend of all nations" (UN 1995) is ``friends_with_all``;
* "pioneering role" is not ``core_leading_role``: in the seeds it is the role of
  diplomacy at home (seed 002), and at the UN the role of "major Powers"
  (2023), never Viet Nam's place in multilateral bodies;
* ``active_responsible_member`` lets up to three adjectives stand between
  "active" and "responsible member" ("an active, constructive, cooperative
  and responsible member", UN 2007), so it is found earlier than the strict
  "active and responsible member" (UN 2012).
"""


from __future__ import annotations

import functools
import re
from dataclasses import dataclass

import pandas as pd

# --------------------------------------------------------------------------
# The rungs
# --------------------------------------------------------------------------

_ARTICLE = r"(?:(?:a|an|the)\s+)?"
_TRUSTED = r"(?:reliable|trustworthy|trusted)"
_LIST_SEPARATOR = r"(?:\s*,\s*(?:and\s+)?|\s+(?:to\s+)?and\s+)"
"""Between the parts of a formula: ", ", ", and ", " and ", and "friend to and reliable partner" (UN 2004)."""
_AND_PARTNER = rf"{_LIST_SEPARATOR}{_ARTICLE}{_TRUSTED}\s+partners?\b"
_QUOTE = r"[\"'\u2018\u2019\u201c\u201d]?"
"""An optional quotation mark, for formulas quoted inside a sentence ('a "key and regular" task')."""
_INTEGRATION_QUALIFIER = r"(?:comprehensive|extensive|deep|deeper|intensive)(?:ly)?"
_FURTHER_QUALIFIER = r"(?:comprehensive|extensive|deep|deeper|intensive|broad|flexible|effective|full)(?:ly)?|flexibly"


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
    patterns
        Regular expressions over cleaned sentence text, matched
        case-insensitively; a rung is stated when any of them matches.
    note
        Where the wording comes from and what the patterns leave out.
    """

    id: str
    label: str
    order: int
    patterns: tuple[str, ...]
    note: str


RUNGS: tuple[Rung, ...] = (
    Rung(
        id="friends_with_all",
        label="Wants to be a friend of all countries",
        order=1,
        patterns=(
            rf"\b(?:(?:be|become|becoming|being)\s+)?{_ARTICLE}friends?\s+(?:of|with|to)\s+all\b",
            r"\bhand\s+of\s+friendship\s+to\s+all\b",
            rf"\baspir\w*\s+to\s+(?:be|become)\s+{_ARTICLE}friends?\b",
        ),
        note=(
            "Hồ Chí Minh 1947 'friends with all democratic countries'; 7th Congress 1991 'a friend of all "
            "countries'; UN 1991 'extend the hand of friendship to all countries', 1994 'become the friend of "
            "all countries'; seed 001 'aspiring to be a friend'. 'friendly relations with all countries' is "
            "not the formula (it is also said of Cambodia)."
        ),
    ),
    Rung(
        id="ready_to_be_friend",
        label="Ready to be a friend (and reliable partner)",
        order=2,
        patterns=(
            rf"\bready\s+to\s+(?:be|become)\s+{_ARTICLE}friends?(?:{_AND_PARTNER})?",
            rf"\b(?:willing|prepared)\s+to\s+(?:be|become)\s+{_ARTICLE}friends?{_AND_PARTNER}",
        ),
        note=(
            "9th Congress 2001 'ready to be a friend and reliable partner' (2003 restatement); seed 001 'being "
            "ready to be a friend'; UN 2004-2005 'willing to be a friend and (a) reliable partner'. The "
            "partner is part of the match, so it is not counted again as friend_and_reliable_partner."
        ),
    ),
    Rung(
        id="friend_and_reliable_partner",
        label="A friend and reliable partner",
        order=3,
        patterns=(
            rf"\b{_ARTICLE}friends?{_AND_PARTNER}",
            rf"\b{_ARTICLE}{_TRUSTED}\s+friends?\s+and\s+partners?\b",
            rf"\bfriendship\s+and\s+{_TRUSTED}\s+partnerships?\b",
        ),
        note=(
            "10th Congress 2006 'a friend and reliable partner of all countries' (seed 003); 12th 'a friend, a "
            "trustworthy partner'; seed 001 'a friend, a trusted partner'; UN 2011 'a reliable friend and "
            "partner', 2001 'friendship and trusted partnership with all countries'. Not counted: 'a reliable "
            "partner' without the friend (UN 2013, 2020), 'a sincere friend and constructive companion' (UN "
            "1997), 'a sincere and reliable cooperation partner' (UN 1993)."
        ),
    ),
    Rung(
        id="responsible_member",
        label="A responsible member of the international community",
        order=4,
        patterns=(r"\bresponsible\s+members?\b",),
        note=(
            "11th Congress 2011 (2012 restatement) and 12th 2016 'a responsible member of the international "
            "community'; also 'a responsible Member State' (UN 2003) and 'a constructive and responsible "
            "member' (UN 2008). 'An active member' without 'responsible' (UN 1997, 1998) is not counted."
        ),
    ),
    Rung(
        id="active_responsible_member",
        label="An active and responsible member",
        order=5,
        patterns=(r"\bactive(?:\s*,\s*[a-z]+){0,3}(?:\s*,)?\s+(?:and\s+)?responsible\s+members?\b",),
        note=(
            "13th Congress 2021 'an active and responsible member'; UN 2023 'an active, responsible member'; up "
            "to three adjectives may stand between ('an active, constructive, cooperative and responsible "
            "member', UN 2007). Contains responsible_member, which then does not count."
        ),
    ),
    Rung(
        id="proactive_integration",
        label="Proactive, comprehensive and deep international integration",
        order=6,
        patterns=(
            r"\bproactive(?:ly)?\b(?:\W+\w+){0,6}?\W+integrat\w*",
            rf"\b{_INTEGRATION_QUALIFIER}(?:\s*(?:,|and)\s*(?:and\s+)?(?:{_FURTHER_QUALIFIER}))*"
            r"\s+(?:(?:international|global|regional|economic)\s+)*integrat\w*",
            r"\bintegrat\w*\s+(?:more\s+)?(?:deeply|extensively|comprehensively)\b",
        ),
        note=(
            "'proactive(ly)' up to six words before 'integrat…' (seed 003 'Proactively and actively engage in "
            "international economic integration'; UN 2012 'proactive international integration'); "
            "'comprehensive', 'extensive', 'deep' or 'intensive' (international) integration (seeds 001, 004); "
            "'integrate more deeply' (seed 003). Plain 'international integration' and 'actively integrating' "
            "are not counted."
        ),
    ),
    Rung(
        id="core_leading_role",
        label="A core and leading role in multilateral mechanisms",
        order=7,
        patterns=(
            r"\bcore\s*(?:,|and|or)\s*(?:(?:a|the)\s+)?leading\b(?:\s*(?:,|and|or)\s*mediating)?\s+roles?\b",
            r"\bleading\s*(?:,|and)\s*core\s+roles?\b",
        ),
        note=(
            "Seed 001 'assuming a more core and leading role in multilateral mechanisms'. 'Pioneering role' is "
            "left out (see the module notes)."
        ),
    ),
    Rung(
        id="strategic_autonomy",
        label="Strategic autonomy",
        order=8,
        patterns=(r"\bstrategic\s+autonomy\b",),
        note="14th Congress 2026 (seeds 001, 004; the Foreign Minister's restatement).",
    ),
    Rung(
        id="key_regular_task",
        label="External relations a key and regular task",
        order=9,
        patterns=(
            rf"\b(?:key|critical|crucial|core|important|vital){_QUOTE}(?:\s*,\s*(?:and\s+)?|\s+and\s+|\s+){_QUOTE}"
            rf"(?:regular|routine|ongoing|constant|permanent|continuous){_QUOTE}\s+(?:tasks?|missions?)\b",
        ),
        note=(
            "14th Congress 2026: 'a key and regular task' (seed 001), 'key, regular tasks', 'critical and regular "
            "tasks' and 'a core, ongoing mission' (seed 004), 'key routine task' (the paper's published title)."
        ),
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


def rung_table() -> pd.DataFrame:
    """The ladder as a table for the method notes.

    Returns
    -------
    pandas.DataFrame
        One row per rung in ladder order: ``rung``, ``label``, ``order``,
        ``patterns`` (the regular expressions joined by ``" | "``) and ``note``.
    """
    return pd.DataFrame(
        {
            "rung": [rung.id for rung in RUNGS],
            "label": [rung.label for rung in RUNGS],
            "order": pd.array([rung.order for rung in RUNGS], dtype="int64"),
            "patterns": [" | ".join(rung.patterns) for rung in RUNGS],
            "note": [rung.note for rung in RUNGS],
        }
    )


def find_rungs(text: str) -> list[RungMatch]:
    """Every rung ``text`` states, with the span of each match.

    All patterns of all rungs are matched; then a match lying inside a
    strictly longer match is dropped: of another rung ("responsible member"
    inside "active, responsible member"), or of the same rung ("extensive
    international integration" inside "proactive and engages actively in
    extensive international integration").  Matches that only overlap both
    stay, so one phrase may state two rungs.

    Returns
    -------
    list of RungMatch
        Sorted by start, then ladder order, then end; the same rung may appear
        more than once when the text states it twice.
    """
    found: set[tuple[int, int, int, str]] = set()
    for rung in RUNGS:
        for pattern in rung.patterns:
            for match in _compiled(pattern).finditer(text):
                if match.end() > match.start():
                    found.add((match.start(), rung.order, match.end(), rung.id))
    kept = [
        (start, order, end, rung_id)
        for start, order, end, rung_id in found
        if not any(
            other_start <= start and end <= other_end and other_end - other_start > end - start
            for other_start, _, other_end, _ in found
        )
    ]
    return [RungMatch(rung_id, start, end, text[start:end]) for start, _, end, rung_id in sorted(kept)]


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)
