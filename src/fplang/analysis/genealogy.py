"""Formula genealogy: which states said a formula in the General Debate, and when each first said it.

Was Viet Nam the first in the General Debate to say its formulas?  (Who said
words first in one forum is not who coined them, nor who borrowed.)  For each formula of
:data:`FORMULAS` — every rung of the book's ladder, the terms the 14th
Congress adds, and formulas of other states for contrast — this module finds
every sentence that states it, in every speech of the General Debate, and
dates each state's first use.

* The ladder's rungs are found exactly as chapters 3 and 4 find them
  (:func:`fplang.analysis.formulas.find_formula_statements`: the counting
  engine counts each rung's lexicon concepts, one operationalisation for the
  whole book): where phrases overlap the longest wins, so "an active and
  responsible member of the international community" is that rung only, and
  "responsible member" needs "of (in) the international (world) community".
* The other formulas are regular expressions stated here, each with a note
  on what it leaves out.
* Strategic autonomy is the exception to the first rule.  The lexicon's
  concept also counts the 14th Congress's gloss, "without dependence", and
  its paraphrases ("reduce dependence"), which in Viet Nam's speeches gloss
  *tự chủ chiến lược* but in the whole Debate mostly speak of oil, aid and
  markets.  Across states the genealogy follows the term's own words
  (:data:`STRATEGIC_AUTONOMY_WORDS`), and keeps the lexicon's concept as a
  separate row (family ``"concept"``, shown in no chart) so that the chapter
  can say, from the tables, how far the two differ.

"First" needs a baseline.  If the order in which the *k* states that ever
used a formula first used it were random, a given state would be first with
probability 1/*k* and among the first 10 % (rounded up) with probability
⌈0.1 *k*⌉ / *k*; :func:`genealogy_summary` reports both beside each
classification.  A formula only Viet Nam has used is Viet Nam's "first" with
probability 1: there the table says "only Viet Nam", not "first".

Every first use a chapter calls first is read in its sentence; the readings
are committed data (``data/world/first_use_readings.csv``).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass

import pandas as pd

from fplang.analysis.formulas import find_formula_statements
from fplang.analysis.rungs import RUNGS, book_lexicon, rung_table
from fplang.counting.lexicon import Lexicon, normalize_token

__all__ = [
    "EARLY_SHARE",
    "FAMILIES",
    "FORMULAS",
    "Formula",
    "find_formula_uses",
    "first_uses",
    "formula_table",
    "genealogy_summary",
    "may_state_rung",
    "regex_patterns",
    "OWN_FAMILIES",
    "SHOWN_FAMILIES",
    "STRATEGIC_AUTONOMY_WORDS",
    "RungGate",
    "rung_gate",
    "uses_by_year",
]

EARLY_SHARE: float = 0.10
"""A state is "early" when it is among the first 10 % of the states that used a formula (rounded up)."""

STRATEGIC_AUTONOMY_WORDS: tuple[str, ...] = (
    r"\bstrategic\s+autonomy\b",
    r"\bstrategically\s+autonomous\b",
    r"\bautonomy\s+in\s+strategy\b",
)
"""The term's own words: the lexicon's strategic-autonomy patterns without the "dependence" gloss."""

FAMILIES: dict[str, str] = {
    "ladder": "Viet Nam's ladder",
    "congress14": "14th Congress (2026)",
    "contrast": "China's formulas (contrast)",
    "concept": "The lexicon's concept (method check)",
}
"""Formula families; ``"concept"`` rows are for the method note only (no chart or genealogy table shows them)."""

SHOWN_FAMILIES: tuple[str, ...] = ("ladder", "congress14", "contrast")
"""The families the chapter's chart and tables show."""

OWN_FAMILIES: tuple[str, ...] = ("ladder", "congress14")
"""The families of Viet Nam's own formulas, whose standing the chapter and the findings state."""

_FOURTEENTH_RUNGS = ("strategic_autonomy", "key_regular_task")

_BY_OWN_WORDS = ("strategic_autonomy",)
"""Rungs followed across states by the term's own words; their lexicon concept becomes a ``"concept"`` row."""

CONCEPT_SUFFIX = "_concept"
"""The id of a ``"concept"`` row: the rung's id and this suffix (``strategic_autonomy_concept``)."""


@dataclass(frozen=True)
class Formula:
    """A formula followed through the General Debate.

    ``rung`` names the ladder rung it is (then ``patterns`` is empty: the
    rung's lexicon concepts find it); otherwise ``patterns`` are regular
    expressions matched case-insensitively on the cleaned sentence.
    """

    id: str
    label: str
    family: str
    note: str
    rung: str = ""
    patterns: tuple[str, ...] = ()


_LADDER = tuple(
    Formula(
        id=rung.id,
        label=rung.label,
        family="congress14" if rung.id in _FOURTEENTH_RUNGS else "ladder",
        note=f"The ladder rung's lexicon concepts ({', '.join(rung.concepts)}), as chapters 3 and 4 count them.",
        rung=rung.id,
    )
    if rung.id not in _BY_OWN_WORDS
    else Formula(
        id=rung.id,
        label=rung.label,
        family="congress14" if rung.id in _FOURTEENTH_RUNGS else "ladder",
        note="The term's own words ('strategic autonomy', 'strategically autonomous', 'autonomy in strategy'); "
        "the lexicon's concept also counts 'without / reduce dependence', which across states speaks of oil, aid "
        "and markets (its row is the method check below).",
        patterns=STRATEGIC_AUTONOMY_WORDS,
    )
    for rung in RUNGS
)

_CONCEPTS = tuple(
    Formula(
        id=rung.id + CONCEPT_SUFFIX,
        label=f"{rung.label}: the lexicon's concept",
        family="concept",
        note=f"The rung's lexicon concepts ({', '.join(rung.concepts)}), as chapters 3 and 6 count them, "
        "'dependence' gloss included; kept to measure how far they reach beyond the term.",
        rung=rung.id,
    )
    for rung in RUNGS
    if rung.id in _BY_OWN_WORDS
)

FORMULAS: tuple[Formula, ...] = (
    *_LADDER,
    *_CONCEPTS,
    Formula(
        "self_strengthening",
        "Self-strengthening (tự cường)",
        "congress14",
        "'self-strengthening' and 'self-strengthened'; plain 'self-reliance' (a 1960s-70s commonplace) is not counted.",
        patterns=(r"\bself[\s-]*strengthen(?:ing|ed)?\b",),
    ),
    Formula(
        "era_of_rise",
        "The era of the nation's rise (kỷ nguyên vươn mình)",
        "congress14",
        "'era of (the) nation's / national rise (rising, ascent)'; "
        "the old commonplace 'a new era' alone is not counted.",
        patterns=(
            r"\bera\s+of\s+(?:the\s+)?(?:(?:nation'?s?|national|vietnam'?s)\s+)(?:rise|rising|ascent|ascendancy)\b",
        ),
    ),
    Formula(
        "multilateralisation_diversification",
        "Multilateralisation and diversification of relations",
        "congress14",
        "Both nouns together, in either order (đa phương hóa, đa dạng hóa; 7th Congress 1991, restated by the 14th).",
        patterns=(
            r"\bmultilaterali[sz]ation\s*,?\s+(?:and\s+)?(?:the\s+)?diversification\b",
            r"\bdiversification\s*,?\s+(?:and\s+)?(?:the\s+)?multilaterali[sz]ation\b",
        ),
    ),
    Formula(
        "peaceful_development_path",
        "China's path of peaceful development",
        "contrast",
        "'road / path / course of peaceful development' or 'peaceful development road / path'; plain 'peaceful "
        "development' is a commonplace from 1946 on and is not counted.",
        patterns=(
            r"\b(?:road|path|course)\s+of\s+peaceful\s+development\b",
            r"\bpeaceful\s+development\s+(?:road|path)\b",
        ),
    ),
    Formula(
        "shared_future",
        "A community with a shared future for mankind",
        "contrast",
        "'community with / of a shared future' and 'shared future for mankind / humankind / humanity'; Algeria's "
        "'community of common destiny' (1977, of Africa and the Arab world) is another idea and is not counted.",
        patterns=(
            r"\bcommunit(?:y|ies)\s+(?:with|of)\s+(?:a\s+)?shared\s+future\b",
            r"\bshared\s+future\s+for\s+(?:mankind|humankind|humanity)\b",
        ),
    ),
    Formula(
        "responsible_major_country",
        "A responsible major country",
        "contrast",
        "'responsible major / great / big (developing) country / power / nation' and 'major responsible country'; "
        "word-bounded, so 'irresponsible majority' is not a match.",
        patterns=(
            r"\bresponsible\s+(?:major|great|big)\s+(?:developing\s+)?(?:country|power|nation)\b",
            r"\bmajor\s+responsible\s+(?:country|power|nation)\b",
        ),
    ),
    Formula(
        "win_win_cooperation",
        "Win-win cooperation",
        "contrast",
        "'win-win cooperation' (any hyphen or space); 'win-win' alone (solutions, outcomes) is not counted.",
        patterns=(r"\bwin[\s-]*win\s+co-?operation\b",),
    ),
)
"""Every formula followed, in the order tables list them."""

USE_COLUMNS: tuple[str, ...] = ("doc_id", "sentence_id", "formula", "matched", "start", "end")
"""Columns of :func:`find_formula_uses`; one row a sentence and formula (its first match)."""


def formula_table(lexicon: Lexicon | None = None) -> pd.DataFrame:
    """The formulas as a table for the chapter's method notes: id, label, family, patterns, note.

    A rung's patterns are its lexicon concepts' (``lexicon``, the book's by default).
    """
    rung_patterns = dict(zip(*(rung_table(lexicon)[c] for c in ("rung", "patterns")), strict=True))
    return pd.DataFrame(
        {
            "formula": [formula.id for formula in FORMULAS],
            "label": [formula.label for formula in FORMULAS],
            "family": [FAMILIES[formula.family] for formula in FORMULAS],
            "patterns": [
                rung_patterns[formula.rung] if formula.rung else " | ".join(formula.patterns) for formula in FORMULAS
            ],
            "note": [formula.note for formula in FORMULAS],
        }
    )


@functools.cache
def regex_patterns() -> dict[str, tuple[re.Pattern[str], ...]]:
    """The compiled patterns of the formulas that are not rungs (the rungs are found by the counting engine)."""
    return {
        formula.id: tuple(re.compile(pattern, flags=re.IGNORECASE) for pattern in formula.patterns)
        for formula in FORMULAS
        if not formula.rung
    }


@dataclass(frozen=True)
class RungGate:
    """What every text stating a rung holds: all the words of one of the rung concepts' patterns.

    ``by_key`` maps the longest word of each pattern to the patterns' words
    (a glob word without its ``*``) — of every pattern whose longest word
    the key contains, since ``keys``, which finds the keys at each position,
    reports only the longest key starting there ("integrate", not also "integrat").
    """

    by_key: dict[str, tuple[tuple[str, ...], ...]]
    keys: re.Pattern[str]


def rung_gate(lexicon: Lexicon) -> RungGate:
    """The :class:`RungGate` of ``lexicon``'s rung concepts."""
    concepts = {concept for rung in RUNGS for concept in rung.concepts}
    by_key: dict[str, set[tuple[str, ...]]] = {}
    for lexicon_pattern in lexicon.patterns:
        if lexicon_pattern.concept in concepts:
            words = tuple(word.text for word in lexicon_pattern.words)
            by_key.setdefault(max(words, key=len), set()).add(words)
    keys = sorted(by_key, key=lambda key: (-len(key), key))
    finder = re.compile("(?=(" + "|".join(re.escape(key) for key in keys) + "))")
    within = {key: tuple(sorted(words for inner in keys if inner in key for words in by_key[inner])) for key in keys}
    return RungGate(within, finder)


@functools.cache
def _book_rung_gate() -> RungGate:
    return rung_gate(book_lexicon())


def may_state_rung(text: str, gate: RungGate | None = None) -> bool:
    """Whether ``text`` holds every word of some rung pattern (if it does not, it states no rung).

    A necessary condition, cheap enough to run on every sentence of every
    speech: a token matches a pattern word only if it contains the word
    (lower-cased, ``’`` as ``'``, as the counting engine sees it).  The
    counting engine then decides (:func:`find_formula_uses`).  ``gate`` comes
    from :func:`rung_gate` (the book's lexicon's by default).
    """
    gate = gate or _book_rung_gate()
    lowered = normalize_token(text)
    found = set(gate.keys.findall(lowered))  # the longest key starting at each position
    return any(all(word in lowered for word in words) for key in found for words in gate.by_key[key])


def find_formula_uses(sentences: pd.DataFrame, lexicon: Lexicon | None = None) -> pd.DataFrame:
    """Each (sentence, formula) pair where the sentence states the formula, with its first match.

    ``sentences`` needs ``doc_id``, ``sentence_id`` and ``text``.  The rungs
    are :func:`fplang.analysis.formulas.find_formula_statements`' (``lexicon``,
    the book's by default); the other formulas are :func:`regex_patterns`.
    Returns columns :data:`USE_COLUMNS` in input order, formulas in
    :data:`FORMULAS` order.
    """
    order = {formula.id: position for position, formula in enumerate(FORMULAS)}
    texts = ["" if pd.isna(text) else str(text) for text in sentences["text"]]
    positioned = pd.DataFrame({"doc_id": 0, "sentence_id": range(len(texts)), "text": texts})
    stated = find_formula_statements(positioned, lexicon)  # sentence_id here is the sentence's position
    formula_of_rung = {formula.rung: formula.id for formula in FORMULAS if formula.rung}
    columns = ("sentence_id", "rung", "matched", "match_start", "match_end")
    found: list[tuple[int, str, str, int, int]] = [
        (position, formula_of_rung[rung], matched, start, end)
        for position, rung, matched, start, end in zip(*(stated[column] for column in columns), strict=True)
        if rung in formula_of_rung
    ]
    for position, text in enumerate(texts):
        for formula_id, patterns in regex_patterns().items():
            hits = [hit for hit in (pattern.search(text) for pattern in patterns) if hit]
            if hits:
                first = min(hits, key=lambda hit: hit.start())
                found.append((position, formula_id, first.group(), first.start(), first.end()))
    found.sort(key=lambda use: (use[0], order[use[1]]))
    doc_ids, sentence_ids = sentences["doc_id"].to_numpy(), sentences["sentence_id"].to_numpy()
    uses = pd.DataFrame(
        [(doc_ids[p], sentence_ids[p], formula, matched, start, end) for p, formula, matched, start, end in found],
        columns=list(USE_COLUMNS),
    )
    return uses.astype({"start": "int64", "end": "int64"})


def first_uses(uses: pd.DataFrame, speeches: pd.DataFrame) -> pd.DataFrame:
    """Each state's first use of each formula, and how many of its speeches state it.

    ``speeches`` maps ``doc_id`` to ``iso3`` and ``year``.  The first use is
    the earliest speech; within it, the first sentence stating the formula.

    Returns
    -------
    pandas.DataFrame
        formula, iso3, first_year, n_speeches (speeches stating it),
        first_doc_id, first_sentence_id; sorted by formula order, first_year, iso3.
    """
    located = uses.merge(speeches[["doc_id", "iso3", "year"]], on="doc_id", how="left", validate="many_to_one")
    if located["year"].isna().any():
        unknown = sorted(set(located.loc[located["year"].isna(), "doc_id"]))
        raise ValueError(f"formula uses in documents not in the speech table: {unknown[:5]}")
    located = located.sort_values(["formula", "iso3", "year", "sentence_id"], kind="stable")
    first = located.groupby(["formula", "iso3"], sort=False).head(1)
    counts = located.groupby(["formula", "iso3"])["doc_id"].nunique().rename("n_speeches")
    table = first.rename(
        columns={"year": "first_year", "doc_id": "first_doc_id", "sentence_id": "first_sentence_id"}
    ).merge(counts, on=["formula", "iso3"])
    table["first_year"] = table["first_year"].astype("int64")
    table["formula_order"] = table["formula"].map({formula.id: i for i, formula in enumerate(FORMULAS)})
    table = table.sort_values(["formula_order", "first_year", "iso3"], kind="stable")
    return table[["formula", "iso3", "first_year", "n_speeches", "first_doc_id", "first_sentence_id"]].reset_index(
        drop=True
    )


def uses_by_year(uses: pd.DataFrame, speeches: pd.DataFrame) -> pd.DataFrame:
    """Speeches and states stating each formula, year by year (years with none are left out)."""
    located = uses.merge(speeches[["doc_id", "iso3", "year"]], on="doc_id", how="left", validate="many_to_one")
    table = (
        located.groupby(["formula", "year"])
        .agg(speeches=("doc_id", "nunique"), states=("iso3", "nunique"))
        .reset_index()
    )
    table["formula_order"] = table["formula"].map({formula.id: i for i, formula in enumerate(FORMULAS)})
    return (
        table.sort_values(["formula_order", "year"], kind="stable")
        .drop(columns="formula_order")
        .astype({"year": "int64"})
        .reset_index(drop=True)
    )


def genealogy_summary(first: pd.DataFrame, focus: str = "VNM", early_share: float = EARLY_SHARE) -> pd.DataFrame:
    """For each formula: who said it first, when the focus state first said it, and how early that was.

    ``focus_rank`` is 1 + the number of states whose first use came in an
    earlier year (states first using it in the same year as the focus share
    its rank).  ``standing`` is

    * ``"only"`` — the focus state is the only state to use it;
    * ``"first"`` — no state used it in an earlier year;
    * ``"early"`` — among the first ⌈``early_share`` · k⌉ states (k = states using it);
    * ``"late"`` — otherwise;
    * ``"too_few"`` — neither first nor only, when that cut-off is one state
      (k ≤ 10): "early" would then mean "first", and 2nd of 3 is not late in
      any sense a reader gives the word, so the standing cannot be called;
    * ``"never"`` — the focus state never used it.

    ``chance_first`` = 1/k and ``chance_early`` = ⌈share · k⌉ / k are the
    probabilities of those standings if the order of first use among the k
    states were random (see the module docstring).
    """
    rows = []
    for formula in FORMULAS:
        table = first[first["formula"] == formula.id]
        k = int(len(table))
        row: dict[str, object] = {
            "formula": formula.id,
            "label": formula.label,
            "family": formula.family,
            "n_states": k,
            "n_speeches": int(table["n_speeches"].sum()),
        }
        if k == 0:
            row.update(first_year=pd.NA, first_states="", focus_first_year=pd.NA, focus_rank=pd.NA, standing="unused")
            row.update(chance_first=pd.NA, chance_early=pd.NA, early_cutoff=pd.NA)
            rows.append(row)
            continue
        first_year = int(table["first_year"].min())
        cutoff = math.ceil(early_share * k)
        row.update(
            first_year=first_year,
            first_states=";".join(sorted(table.loc[table["first_year"] == first_year, "iso3"])),
            early_cutoff=cutoff,
            chance_first=1.0 / k,
            chance_early=cutoff / k,
        )
        focus_row = table[table["iso3"] == focus]
        if focus_row.empty:
            row.update(focus_first_year=pd.NA, focus_rank=pd.NA, standing="never")
        else:
            focus_year = int(focus_row["first_year"].iloc[0])
            rank = 1 + int((table["first_year"] < focus_year).sum())
            row.update(focus_first_year=focus_year, focus_rank=rank, standing=_standing(k, rank, cutoff))
        rows.append(row)
    summary = pd.DataFrame(rows)
    for column in ("first_year", "focus_first_year", "focus_rank", "early_cutoff"):
        summary[column] = summary[column].astype("Int64")
    return summary


def _standing(k: int, rank: int, cutoff: int) -> str:
    """The standing of a state ranked ``rank`` among ``k``, "early" up to ``cutoff`` (see :func:`genealogy_summary`)."""
    if k == 1:
        return "only"
    if rank == 1:
        return "first"
    if cutoff == 1:  # the first tenth is the first state alone: a later place is neither early nor late
        return "too_few"
    return "early" if rank <= cutoff else "late"
