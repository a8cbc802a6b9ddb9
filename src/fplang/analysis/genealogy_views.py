"""The world chapter's genealogy, as the chapter and the findings show it.

Summaries of the genealogy tables of :mod:`fplang.analysis.world_tables`
(who said each formula first, the focus state's standing, the readings of
first uses, and how far a rung's lexicon concept reaches beyond the term's
own words), split from :mod:`fplang.analysis.world_views`, whose names and
loaders they use.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from fplang.analysis.genealogy import CONCEPT_SUFFIX, FAMILIES, FORMULAS, OWN_FAMILIES, SHOWN_FAMILIES
from fplang.analysis.world_views import WorldData, _capital, _count, common_name

__all__ = [
    "CONCEPT_REACH_KEYS",
    "GENEALOGY_KEYS",
    "STANDING_WORDS",
    "concept_reach",
    "first_use_points",
    "genealogy_sentences",
    "genealogy_table",
    "reading_check",
]


STANDING_WORDS: dict[str, str] = {
    "only": "only Viet Nam",
    "first": "first",
    "early": "early",
    "late": "late",
    "too_few": "too few states to say",
    "never": "never said it",
    "unused": "nobody said it",
}


def genealogy_table(world: WorldData) -> pd.DataFrame:
    """One row a formula: states that said it, the first, Viet Nam's first use and standing, with chance."""
    summary = world["genealogy"]
    rows = []
    for row in summary[summary["family"].isin(SHOWN_FAMILIES)].itertuples(index=False):
        if row.n_states == 0:
            first = "\u2013"
        else:
            first = f"{_capital(_names(world, row.first_states, int(row.first_year)))} {int(row.first_year)}"
        chance = _chance(row)
        rows.append(
            {
                "Formula": row.label,
                "Family": FAMILIES[row.family],
                "States": int(row.n_states),
                "First said by": first,
                "Viet Nam first": "\u2013" if pd.isna(row.focus_first_year) else str(int(row.focus_first_year)),
                "Viet Nam's place": STANDING_WORDS[row.standing]
                + (
                    ""
                    if pd.isna(row.focus_rank) or row.standing == "only"
                    else f" ({int(row.focus_rank)} of {int(row.n_states)})"
                ),
                "Chance of first / early": chance,
            }
        )
    return pd.DataFrame(rows)


def _chance(row: Any) -> str:
    """The chance of Viet Nam's place were the order of first use random: "2 % / 11 %" (first / early).

    Only where there is a place to weigh: not when Viet Nam alone said a formula
    (a certain "first") or never did; "7 % / same" when the first tenth is one
    state, so that early means first.
    """
    if pd.isna(row.chance_first) or row.standing in {"only", "never", "unused"}:
        return ""
    if row.standing == "too_few":
        return f"{_percent(row.chance_first)} / same"
    return f"{_percent(row.chance_first)} / {_percent(row.chance_early)}"


def _names(world: WorldData, iso3s: str, year: int | None = None) -> str:
    """``Spain, the European Union, Greece and Russia``: the states of a ``;``-joined list of codes."""
    names = [common_name(world, iso3, year) for iso3 in str(iso3s).split(";")]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def reading_check(world: WorldData, readings: pd.DataFrame, focus: str = "VNM") -> pd.DataFrame:
    """The first uses a reader must see read: each formula's first use(s) and the focus state's, with the reading.

    Every such first use must have a row in ``readings`` (formula, iso3,
    year, reading, note); one without is an error naming it.
    """
    first = _shown(world["formula_first_uses"])
    earliest = first.groupby("formula")["first_year"].transform("min")
    wanted = first[(first["first_year"] == earliest) | (first["iso3"] == focus)]
    merged = wanted.merge(
        readings, left_on=["formula", "iso3", "first_year"], right_on=["formula", "iso3", "year"], how="left"
    )
    missing = merged[merged["reading"].isna()]
    if not missing.empty:
        raise ValueError(
            "first uses not read: " + "; ".join(f"{r.formula} {r.iso3} {r.first_year}" for r in missing.itertuples())
        )
    labels = {formula.id: formula.label for formula in FORMULAS}
    return pd.DataFrame(
        {
            "Formula": merged["formula"].map(labels),
            "State, year": [
                f"{_capital(common_name(world, iso3, int(year)))}, {int(year)}"
                for iso3, year in zip(merged["iso3"], merged["first_year"], strict=True)
            ],
            "Sentence": merged["left"].fillna("") + " [" + merged["matched"] + "] " + merged["right"].fillna(""),
            "Reading": merged["reading"] + (": " + merged["note"]).where(merged["note"].fillna("") != "", ""),
        }
    )


def _shown(first: pd.DataFrame) -> pd.DataFrame:
    """First uses of the formulas the chapter shows: without the lexicon-concept rows of the method check."""
    family = {formula.id: formula.family for formula in FORMULAS}
    return first[first["formula"].map(family).isin(SHOWN_FAMILIES)]


GENEALOGY_KEYS: tuple[str, ...] = tuple(f"gen_{formula.id}" for formula in FORMULAS if formula.family in OWN_FAMILIES)
"""The keys of :func:`genealogy_sentences`: one clause for each of Viet Nam's formulas."""

CONCEPT_REACH_KEYS: tuple[str, ...] = (
    "concept_states",
    "own_word_states",
    "concept_gloss_firsts",
    "concept_other_sense",
    "concept_gloss_other_sense",
    "concept_first_year",
)
"""The values :func:`concept_reach` returns, for the chapters to glue (also in ``world_views.FACT_KEYS``)."""


def concept_reach(world: WorldData, readings: pd.DataFrame, rung: str = "strategic_autonomy") -> dict[str, int | str]:
    """How far a rung's lexicon concept reaches beyond the term's own words, across the Debate's states.

    Compares the ``<rung>_concept`` row (the lexicon's concept, as chapters 3
    and 6 count it) with the rung's own row (the term's words): states whose
    speeches match each, and, of the concept's first matches by state, how
    many are not the term's words and how many were read as speaking in
    another sense.  Every such first match must have been read (``readings``);
    one that was not is an error naming it.
    """
    first = world["formula_first_uses"]
    concept = first[first["formula"] == rung + CONCEPT_SUFFIX]
    merged = concept.merge(
        readings, left_on=["formula", "iso3", "first_year"], right_on=["formula", "iso3", "year"], how="left"
    )
    missing = merged[merged["reading"].isna()]
    if not missing.empty:
        raise ValueError(
            "concept matches not read: "
            + "; ".join(f"{r.formula} {r.iso3} {r.first_year}" for r in missing.itertuples())
        )
    own_words = set(first.loc[first["formula"] == rung, "iso3"])
    return {
        "concept_states": int(len(concept)),
        "own_word_states": len(own_words),
        "concept_gloss_firsts": int((~concept["iso3"].isin(own_words)).sum()),
        "concept_other_sense": int((merged["reading"] == "other sense").sum()),
        "concept_gloss_other_sense": int(
            ((merged["reading"] == "other sense") & ~merged["iso3"].isin(own_words)).sum()
        ),
        # a year, glued unseparated ("1979", not "1,979")
        "concept_first_year": str(int(concept["first_year"].min())) if len(concept) else "\u2013",
    }


def first_use_points(world: WorldData, focus: str = "VNM") -> pd.DataFrame:
    """Every state's first use of every used formula, for the chart (formulas nobody used are left out)."""
    first = _shown(world["formula_first_uses"])
    order = {formula.id: i for i, formula in enumerate(FORMULAS)}
    labels = {formula.id: formula.label for formula in FORMULAS}
    return first.assign(
        label=first["formula"].map(labels),
        formula_order=first["formula"].map(order),
        is_focus=first["iso3"] == focus,
        country=[
            _capital(common_name(world, iso3, int(year)))
            for iso3, year in zip(first["iso3"], first["first_year"], strict=True)
        ],
    )[["formula", "label", "formula_order", "iso3", "country", "first_year", "n_speeches", "is_focus"]]


def genealogy_sentences(world: WorldData, focus: str = "VNM", readings: pd.DataFrame | None = None) -> dict[str, str]:
    """For each of Viet Nam's formulas (ladder and 14th Congress), what the genealogy shows, as one clause.

    Keys are ``gen_<formula id>``, for the findings chapter to glue; every
    number in a clause comes from the genealogy table.  Given ``readings``
    (``first_use_readings.csv``), a clause says when a first match was read
    as speaking in another sense: a match is not yet a use of the formula.
    """
    summary = world["genealogy"]
    other_sense = set()
    if readings is not None:
        other = readings[readings["reading"] == "other sense"]
        other_sense = {(row.formula, row.iso3, int(row.year)) for row in other.itertuples(index=False)}
    clauses = {}
    for row in summary[summary["family"].isin(OWN_FAMILIES)].itertuples(index=False):
        if row.n_states == 0:
            text = "no state said it in the General Debate, Viet Nam included"
        else:
            first = f"{_names(world, row.first_states, int(row.first_year))} in {int(row.first_year)}"
            states = f"{_count(int(row.n_states))} states" if row.n_states > 1 else "one state"
            if row.standing == "only":
                speeches = f"{_count(int(row.n_speeches))} speeches" if row.n_speeches > 1 else "one speech"
                text = f"only Viet Nam said it ({speeches}, from {int(row.focus_first_year)})"
            elif row.standing == "never":
                text = f"first said by {first}; {states} said it, never Viet Nam"
            elif row.standing == "too_few":
                text = (
                    f"first said by {first}; Viet Nam from {int(row.focus_first_year)}, "
                    f"{_ordinal(int(row.focus_rank))} of {states} (too few states to call that early or late; "
                    f"{_percent(row.chance_first)} chance of being first if the order were random)"
                )
            else:
                text = (
                    f"first said by {first}; Viet Nam from {int(row.focus_first_year)}, "
                    f"{_ordinal(int(row.focus_rank))} of {states} ({row.standing}; "
                    f"{_percent(row.chance_first)} chance of being first if the order were random)"
                )
            firsts = str(row.first_states).split(";")
            misread = [iso3 for iso3 in firsts if (row.formula, iso3, int(row.first_year)) in other_sense]
            if misread:
                whose = (
                    "the first match"
                    if len(firsts) == 1
                    else f"{_names(world, ';'.join(misread), int(row.first_year))}'s match"
                )
                text += f"; read in its sentence, {whose} speaks in another sense"
            if not pd.isna(row.focus_first_year) and (row.formula, focus, int(row.focus_first_year)) in other_sense:
                text += "; so does Viet Nam's first"
        clauses[f"gen_{row.formula}"] = text
    return clauses


def _percent(share: float) -> str:
    """``2 %``: a share as the book writes percentages, with a space before the sign."""
    return f"{100 * share:.0f}\u00a0%"  # no break between the number and its sign


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"
