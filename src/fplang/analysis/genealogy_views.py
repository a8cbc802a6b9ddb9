"""The world chapter's genealogy, as the chapter and the findings show it.

Summaries of the genealogy tables of :mod:`fplang.analysis.world_tables`
(who said each formula first, the focus state's standing, the readings of
first uses, and how far a rung's lexicon concept reaches beyond the term's
own words), split from :mod:`fplang.analysis.world_views`, whose names and
loaders they use.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from fplang.analysis.genealogy import (
    CONCEPT_SUFFIX,
    EARLY_SHARE,
    FAMILIES,
    FORMULAS,
    OWN_FAMILIES,
    SHOWN_FAMILIES,
    _standing,  # noqa: PLC2701 - the table's own rule, reused
)
from fplang.analysis.world_views import CONCEPT_REACH_KEYS, WorldData, _capital, _count, common_name

__all__ = [
    "CONCEPT_REACH_KEYS",
    "GENEALOGY_KEYS",
    "STANDING_WORDS",
    "concept_reach",
    "first_use_points",
    "genealogy_sentences",
    "genealogy_table",
    "reading_check",
    "ROBUSTNESS_KEYS",
    "robustness_facts",
    "robustness_table",
    "standing_robustness",
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
                "States": _state_count(world, row.formula, int(row.n_states)),
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


def _state_count(world: WorldData, formula: str, n: int) -> str:
    """The table's count of speakers: "5", or "4 and the EU" when the European Union is among them."""
    codes = set(world["formula_first_uses"].loc[lambda t: t["formula"] == formula, "iso3"])
    apart = [NOT_STATES[code] for code in sorted(codes & set(NOT_STATES))]
    return " and ".join([str(n - len(apart)), *apart])


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


NOT_STATES: dict[str, str] = {"EU": "the EU"}
"""Speakers in the Debate that are not states (the European Union speaks as an observer since 2011): counted apart."""


def speakers(iso3s: Any) -> str:
    """``four states and the EU``: how many speakers, the states counted apart from the EU, which is not one."""
    codes = list(dict.fromkeys(str(code) for code in iso3s))
    apart = [NOT_STATES[code] for code in codes if code in NOT_STATES]
    n = len(codes) - len(apart)
    states = f"{_count(n)} state" + ("" if n == 1 else "s") if n else ""
    return " and ".join(part for part in (states, *apart) if part) or "no state"


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
        # the same counts in words, the EU apart from the states
        "concept_speakers": speakers(concept["iso3"]),
        "own_word_speakers": speakers(own_words),
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
            states = speakers(world["formula_first_uses"].loc[lambda t, f=row.formula: t["formula"] == f, "iso3"])
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
                if row.standing in {"first", "early", "late", "too_few"}:
                    text += _recount_without(world, row, set(misread))
            if not pd.isna(row.focus_first_year) and (row.formula, focus, int(row.focus_first_year)) in other_sense:
                text += "; so does Viet Nam's first"
        clauses[f"gen_{row.formula}"] = text
    return clauses


def _recount_without(world: WorldData, row: Any, dropped: set[str]) -> str:
    """``; without it, Viet Nam is 28th of 56 (still late)``: the place recounted without the dropped first users."""
    first = world["formula_first_uses"]
    table = first[(first["formula"] == row.formula) & ~first["iso3"].isin(dropped)]
    k = len(table)
    place = _place(table["first_year"], int(row.focus_first_year))
    standing = _standing(k, place, math.ceil(EARLY_SHARE * k))
    word = ("still " if standing == row.standing else "") + STANDING_WORDS[standing]
    return f"; without it, Viet Nam is {_ordinal(place)} of {k} ({word})"


def _percent(share: float) -> str:
    """``2 %``: a share as the book writes percentages, with a space before the sign."""
    return f"{100 * share:.0f}\u00a0%"  # no break between the number and its sign


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def first_speech_year(world: WorldData, focus: str = "VNM") -> int:
    """The year of the focus state's first speech in the corpus (Viet Nam: 1978, its first after admission)."""
    years = world["speeches"].loc[world["speeches"]["iso3"] == focus, "year"]
    if years.empty:
        raise ValueError(f"no speech by {focus} in the world tables' speeches.csv")
    return int(years.min())


def _place(years: pd.Series, focus_year: int) -> int:
    """Competition rank: 1 + the states whose first use came in an earlier year (a same-year first use ties)."""
    return 1 + int((years < focus_year).sum())


def standing_robustness(world: WorldData, readings: pd.DataFrame, focus: str = "VNM") -> pd.DataFrame:
    """The focus state's place for each of its formulas others also said, under two checks of the standing.

    * *Without other-sense first matches*: every state whose first match was
      read as speaking in another sense (``readings``) is dropped, and the
      place recounted among the rest.  A dropped state may have said the
      formula in its sense later; dropping it can only move the focus state
      up, so a place that stays late is late on the reader's terms too.
    * *Among states that could answer it*: the focus state could not speak
      before its first speech (Viet Nam: no seat before 1977, first speech
      1978), so a random order of first uses that puts it first is possible
      only among the states whose first use came in or after that year.  The
      place is recounted among those k′ states, with chance 1/k′ of first
      and ⌈k′/10⌉/k′ of early.

    Places are competition ranks (see :func:`_place`): states whose first use
    came in the same year share the best place.
    """
    summary = world["genealogy"]
    first = world["formula_first_uses"]
    other = readings[readings["reading"] == "other sense"]
    misread = {(row.formula, row.iso3, int(row.year)) for row in other.itertuples(index=False)}
    seat = first_speech_year(world, focus)
    rows = []
    chosen = summary[
        summary["family"].isin(OWN_FAMILIES) & summary["standing"].isin(["first", "early", "late", "too_few"])
    ]
    for row in chosen.itertuples(index=False):
        table = first[first["formula"] == row.formula]
        focus_year = int(row.focus_first_year)
        read = table[
            [(row.formula, i, int(y)) not in misread for i, y in zip(table["iso3"], table["first_year"], strict=True)]
        ]
        present = table[table["first_year"] >= seat]
        k_read, k_present = len(read), len(present)
        cutoff = math.ceil(EARLY_SHARE * k_present)
        rows.append(
            {
                "formula": row.formula,
                "label": row.label,
                "n_states": int(row.n_states),
                "place": int(row.focus_rank),
                "standing": row.standing,
                "n_read": k_read,
                "place_read": _place(read["first_year"], focus_year),
                "dropped": _names(world, ";".join(sorted(set(table["iso3"]) - set(read["iso3"]))), None)
                if k_read < len(table)
                else "",
                "seat_year": seat,
                "n_present": k_present,
                "place_present": _place(present["first_year"], focus_year),
                "standing_read": _standing(
                    k_read, _place(read["first_year"], focus_year), math.ceil(EARLY_SHARE * k_read)
                ),
                "standing_present": _standing(k_present, _place(present["first_year"], focus_year), cutoff),
                "chance_first_present": 1.0 / k_present,
                "chance_early_present": cutoff / k_present,
            }
        )
    return pd.DataFrame(rows)


def robustness_table(robust: pd.DataFrame) -> pd.DataFrame:
    """:func:`standing_robustness` as the chapter shows it: one row a formula, places as "29 of 57"."""
    return pd.DataFrame(
        {
            "Formula": robust["label"],
            "Place in the table": [f"{p} of {k}" for p, k in zip(robust["place"], robust["n_states"], strict=True)],
            "Without first matches read in another sense": [
                f"{STANDING_WORDS[w]}, {p} of {k}" + (f" (without {d})" if d else " (none dropped)")
                for w, p, k, d in zip(
                    robust["standing_read"], robust["place_read"], robust["n_read"], robust["dropped"], strict=True
                )
            ],
            "Among the states whose first use came in or after Viet Nam's first speech": [
                f"{STANDING_WORDS[w]}, {p} of {k}"
                for w, p, k in zip(
                    robust["standing_present"], robust["place_present"], robust["n_present"], strict=True
                )
            ],
            "Chance of first / early among them": [
                f"{_percent(f)} / " + ("same" if w == "too_few" else _percent(e))
                for f, e, w in zip(
                    robust["chance_first_present"],
                    robust["chance_early_present"],
                    robust["standing_present"],
                    strict=True,
                )
            ],
        }
    )


def robustness_facts(robust: pd.DataFrame) -> dict[str, str]:
    """The two checks as clauses for the prose, every number from :func:`standing_robustness`."""
    dropped = robust[robust["dropped"] != ""]
    read = " and ".join(
        f"{p} of {k} for \u201c{_lower(label)}\u201d without {d} ({'still ' if w == was else ''}{STANDING_WORDS[w]})"
        for label, p, k, d, w, was in zip(
            dropped["label"],
            dropped["place_read"],
            dropped["n_read"],
            dropped["dropped"],
            dropped["standing_read"],
            dropped["standing"],
            strict=True,
        )
    )
    late = robust[robust["standing_present"] == "late"]
    present = "; ".join(
        f"{p} of {k} for \u201c{_lower(label)}\u201d, where chance would make it late "
        f"with probability {_percent(1 - e)}"
        for label, p, k, e in zip(
            late["label"], late["place_present"], late["n_present"], late["chance_early_present"], strict=True
        )
    )
    same = (robust["standing_read"] == robust["standing_present"]).all() and (
        robust["standing_read"] == robust["standing"]
    ).all()
    changed = robust[
        (robust["standing_read"] != robust["standing"]) | (robust["standing_present"] != robust["standing"])
    ]
    summary = (
        "leave every standing as it is"
        if same
        else "change the standing of "
        + "; ".join(
            f"\u201c{_lower(label)}\u201d ({STANDING_WORDS[a]}; {STANDING_WORDS[b]} without the other-sense matches; "
            f"{STANDING_WORDS[c]} from {int(y)})"
            for label, a, b, c, y in zip(
                changed["label"],
                changed["standing"],
                changed["standing_read"],
                changed["standing_present"],
                changed["seat_year"],
                strict=True,
            )
        )
    )
    return {
        "robust_summary": summary,
        "robust_read": read or "no first match was read in another sense",
        "robust_present": present or "it is late in none",
        "robust_n_late_present": _count(len(late)),
        "seat_year": str(int(robust["seat_year"].iloc[0])) if len(robust) else "\u2013",
    }


ROBUSTNESS_KEYS: tuple[str, ...] = (
    "robust_read",
    "robust_present",
    "robust_n_late_present",
    "seat_year",
    "robust_summary",
)
"""The values :func:`robustness_facts` returns (also in ``world_views.FACT_KEYS``)."""


def _lower(label: str) -> str:
    """A formula's label inside a sentence: "A friend of all" -> "a friend of all" (a name keeps its capital)."""
    return label if label.startswith(("China", "Viet")) else label[:1].lower() + label[1:]
