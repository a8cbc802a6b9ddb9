"""What the world chapter shows, derived from the committed tables of :mod:`fplang.analysis.world_tables`.

The command writes raw tables (one row a speech, a first use, a collocate);
the chapter shows summaries of them.  Each summary is a small function here,
so the notebook only calls and displays, and every number it glues is
computed once.

Intervals: a share of speeches gets an exact (Clopper–Pearson) 95 % binomial
interval — the speech is the unit, and speeches by one state in different
years are treated as independent; a precision gets the same interval over
the labelled matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from fplang.analysis.blocs import BLOC_LABELS, load_alignment, load_eras
from fplang.analysis.genealogy import OWN_FAMILIES

__all__ = [
    "WorldData",
    "clopper_pearson",
    "collocate_table",
    "era_bloc_table",
    "load_world",
    "mention_share_by_year",
    "neighbour_table",
    "precision_table",
    "traced_positions",
]

TABLES: tuple[str, ...] = (
    "speeches",
    "sessions",
    "mention_terms",
    "mention_states",
    "collocates",
    "kwic",
    "precision_sample",
    "formula_first_uses",
    "formula_by_year",
    "genealogy",
    "neighbours",
    "position_words",
    "position_fits",
    "position_starts",
)


@dataclass(frozen=True)
class WorldData:
    """The committed tables, read once, with the era table they were computed with."""

    tables: dict[str, pd.DataFrame]
    eras: pd.DataFrame

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.tables[name]

    def era_label(self, era_id: str) -> str:
        """The era's label, a span of years written with an en dash ("1975–1978", whatever the csv has)."""
        label = str(self.eras.set_index("era_id").loc[era_id, "label"])
        return re.sub(r"(\d{4})-(\d{4})", "\\1\u2013\\2", label)


def load_world(folder: str | Path, eras_csv: str | Path | None = None) -> WorldData:
    """Read every table of ``folder`` (written by ``fplang world``); a missing one is named in the error.

    The era table defaults to ``eras.csv`` beside the folder (``data/world/``),
    where the hand-made tables live.
    """
    folder = Path(folder)
    eras_csv = folder.parent / "eras.csv" if eras_csv is None else eras_csv
    missing = [name for name in TABLES if not (folder / f"{name}.csv").is_file()]
    if missing:
        raise FileNotFoundError(
            f"{folder}: missing table(s) {', '.join(missing)}; run `fplang world` (see data/world/README.md)"
        )
    tables = {name: pd.read_csv(folder / f"{name}.csv", keep_default_na=False, na_values=[""]) for name in TABLES}
    return WorldData(tables, load_eras(eras_csv))


def clopper_pearson(successes: np.ndarray | pd.Series, trials: np.ndarray | pd.Series, level: float = 0.95):
    """Exact binomial interval (low, high) for each share ``successes / trials``."""
    from scipy.stats import beta

    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    alpha = 1 - level
    with np.errstate(invalid="ignore", divide="ignore"):
        low = np.where(k > 0, beta.ppf(alpha / 2, k, n - k + 1), 0.0)
        high = np.where(k < n, beta.ppf(1 - alpha / 2, k + 1, n - k), 1.0)
    return low, high


def others(world: WorldData, focus: str = "VNM") -> pd.DataFrame:
    """The speeches of every state but ``focus``: the world's words."""
    speeches = world["speeches"]
    return speeches[speeches["iso3"] != focus]


def mention_share_by_year(world: WorldData, focus: str = "VNM") -> pd.DataFrame:
    """Per year: speeches, speeches that mention Viet Nam, their share with its exact 95 % interval, the era."""
    table = (
        others(world, focus)
        .assign(mentioning=lambda t: t["mention_sentences"] > 0)
        .groupby(["year", "era"])
        .agg(
            speeches=("doc_id", "size"),
            mentioning=("mentioning", "sum"),
            mention_sentences=("mention_sentences", "sum"),
        )
        .reset_index()
    )
    table["share"] = table["mentioning"] / table["speeches"]
    table["ci_low"], table["ci_high"] = clopper_pearson(table["mentioning"], table["speeches"])
    table["era_label"] = table["era"].map(world.era_label)
    return table


def era_bloc_table(world: WorldData, focus: str = "VNM") -> pd.DataFrame:
    """Per era and bloc: speeches, the share mentioning Viet Nam (with its interval), and
    mention sentences per mentioning speech."""
    speeches = others(world, focus).assign(mentioning=lambda t: t["mention_sentences"] > 0)
    table = (
        speeches.groupby(["era", "bloc"])
        .agg(
            speeches=("doc_id", "size"),
            states=("iso3", "nunique"),
            mentioning=("mentioning", "sum"),
            mention_sentences=("mention_sentences", "sum"),
        )
        .reset_index()
    )
    table["share"] = table["mentioning"] / table["speeches"]
    table["ci_low"], table["ci_high"] = clopper_pearson(table["mentioning"], table["speeches"])
    table["sentences_per_mentioning_speech"] = table["mention_sentences"] / table["mentioning"].where(
        table["mentioning"] > 0
    )
    era_order = {era: i for i, era in enumerate(world.eras["era_id"])}
    bloc_order = {bloc: i for i, bloc in enumerate(BLOC_LABELS)}
    table = table.sort_values(["era", "bloc"], key=lambda s: s.map(era_order if s.name == "era" else bloc_order))
    table["era_label"] = table["era"].map(world.era_label)
    table["bloc_label"] = table["bloc"].map(BLOC_LABELS)
    return table.reset_index(drop=True)


def precision_table(sample: pd.DataFrame, labels: pd.DataFrame) -> pd.DataFrame:
    """Precision of each tier of the mention rule on the hand-labelled sample, with an exact interval.

    ``labels`` holds ``doc_id``, ``sentence_id``, ``start`` and ``about_viet_nam``
    (``yes`` / ``no``) for every row of ``sample``; a sample row without a
    label is an error, so a regenerated sample cannot silently go unread.
    """
    keys = ["doc_id", "sentence_id", "start"]
    merged = sample.merge(labels[[*keys, "about_viet_nam"]], on=keys, how="left")
    unlabelled = merged[merged["about_viet_nam"].isna()]
    if not unlabelled.empty:
        raise ValueError(
            f"{len(unlabelled)} sampled mention(s) have no label, e.g. {unlabelled[keys].iloc[0].tolist()}"
        )
    table = (
        merged.assign(right=merged["about_viet_nam"].eq("yes"))
        .groupby("tier", sort=False)
        .agg(labelled=("right", "size"), right=("right", "sum"))
        .reset_index()
    )
    table["precision"] = table["right"] / table["labelled"]
    table["ci_low"], table["ci_high"] = clopper_pearson(table["right"], table["labelled"])
    table["kind"] = table["tier"].map(TIER_LABELS).fillna(table["tier"])
    return table


TIER_LABELS: dict[str, str] = {
    "name": "The country, its people and its states",
    "place": "Its places",
    "indochina": "Indo-China, not narrowed to Laos or Cambodia",
}
"""The kinds of term of :data:`fplang.analysis.mentions.MENTION_TERMS`, as a reader reads them."""


def interval_text(low: pd.Series, high: pd.Series) -> pd.Series:
    """Shares' intervals as a reader reads them: ``14–30 %``, with a decimal where both ends are under 10 %.

    Whole percentages would print a narrow interval near zero as ``1–1 %``.
    """
    narrow = high < 0.1
    as_text = [
        f"{lo * 100:.1f}–{hi * 100:.1f} %" if small else f"{lo * 100:.0f}–{hi * 100:.0f} %"
        for lo, hi, small in zip(low, high, narrow, strict=True)
    ]
    return pd.Series(as_text, index=low.index)


def collocate_table(world: WorldData, top: int = 10) -> pd.DataFrame:
    """Per era, the words most attracted to mentions of Viet Nam (by G²), as one readable line."""
    collocates = world["collocates"]
    rows = []
    for era in world.eras["era_id"]:
        chosen = collocates[collocates["era"] == era].sort_values("rank").head(top)
        if chosen.empty:
            continue
        rows.append(
            {
                "Era": world.era_label(era),
                "Words around the mentions (G²)": ", ".join(
                    f"{t} ({g:,.0f})" for t, g in zip(chosen["term"], chosen["g2"], strict=True)
                ),
            }
        )
    return pd.DataFrame(rows)


def neighbour_table(world: WorldData, top: int = 10) -> pd.DataFrame:
    """Per decade, Viet Nam's ``top`` nearest states by cosine similarity, as one readable line.

    A state is named as its seat's holder was at the decade's end (the Ukrainian
    SSR and the USSR in the 1980s, Ukraine and Russia in the 1990s), as in the
    genealogy; only the line's first name takes a capital.
    """
    table = world["neighbours"]
    rows = []
    for decade, group in table.groupby("decade"):
        chosen = group.sort_values("rank").head(top)
        names = [
            f"{common_name(world, i, int(decade) + 9)} ({v:.2f})"
            for i, v in zip(chosen["iso3"], chosen["cosine"], strict=True)
        ]
        rows.append({"Decade": f"{decade}s", "Nearest states (cosine)": _capital(", ".join(names))})
    return pd.DataFrame(rows)


def traced_positions(world: WorldData, traced: dict[str, str]) -> pd.DataFrame:
    """Wordfish positions of the traced states (iso3 -> label), one row a state and session."""
    speeches = world["speeches"]
    table = speeches[speeches["iso3"].isin(list(traced)) & speeches["theta"].notna()]
    return table.assign(state=table["iso3"].map(traced))[["year", "session", "iso3", "state", "theta", "theta_se"]]


def dimension_words(
    world: WorldData, years: tuple[int, ...] = (1950, 1966, 1975, 1985, 1995, 2005, 2015, 2024)
) -> pd.DataFrame:
    """For one session a decade, the five words at each end of its Wordfish dimension."""
    words = world["position_words"]
    fits = world["position_fits"].set_index("year")
    rows = []
    for year in years:
        if year not in fits.index:
            continue
        session = int(fits.loc[year, "session"])
        chosen = words[(words["session"] == session) & (words["rank"] <= 5)]
        rows.append(
            {
                "Year": str(year),
                "Words at the pole the USSR / Russia is placed on": ", ".join(
                    chosen[chosen["side"] == "low"].sort_values("rank")["word"]
                ),
                "Words at the pole the United States is placed on": ", ".join(
                    chosen[chosen["side"] == "high"].sort_values("rank")["word"]
                ),
            }
        )
    return pd.DataFrame(rows)


CONCEPT_REACH_KEYS: tuple[str, ...] = (
    "concept_states",
    "own_word_states",
    "concept_gloss_firsts",
    "concept_other_sense",
    "concept_gloss_other_sense",
    "concept_first_year",
    "concept_speakers",
    "own_word_speakers",
)
"""The values ``genealogy_views.concept_reach`` returns, for the chapters to glue; part of :data:`FACT_KEYS`."""


FACT_KEYS: list[str] = [
    "focus_name",
    "n_nam_1961",
    "n_nam_1964",
    "genealogy_overview",
    "nearest_summary",
    "era_spans",
    "mention_shape",
    "asean_run",
    "nearer_pole",
    "robust_read",
    "robust_present",
    "robust_n_late_present",
    "seat_year",
    "peak_era_share",
    "peak_year",
    "peak_year_share",
    "n_vn_formulas_used",
    "n_only",
    "n_first",
    "n_early",
    "n_late",
    "n_too_few",
    *CONCEPT_REACH_KEYS,
    "nearest_1980s",
    "nearest_last_decade",
    "last_decade",
    "n_labelled",
    "precision_all",
    "n_other_speeches",
    "n_mentioning",
    "per_tier",
    "kwic_per_era",
    "median_r_states",
    "median_r_words",
    "n_flips",
    "n_pairs",
    "n_starts",
    "n_start_sessions",
    "n_reached",
    "min_r_start",
    "better_found",
]
"""Every value the chapter glues (so a chapter that does not apply can glue them all as n/a)."""


def non_aligned_cohorts(alignment_csv: str | Path) -> dict[str, int]:
    """How many states the Non-Aligned bloc holds from Belgrade (1961) and from Cairo (1964).

    The alignment table has no later cohort (no source a specialist accepts
    was found for the states that joined at Lusaka in 1970 or after), so the
    chapter says how small the bloc is, from the table itself.
    """
    nam = load_alignment(alignment_csv).query("bloc == 'nam'")
    return {
        "n_nam_1961": int((nam["from_year"] == 1961).sum()),
        "n_nam_1964": int((nam["from_year"] == 1964).sum()),
    }


def chapter_facts(world: WorldData, precision: pd.DataFrame, focus: str = "VNM") -> dict[str, object]:
    """The numbers the chapter's prose states, and the checks behind its chart titles."""
    by_year = mention_share_by_year(world, focus)
    speeches = others(world, focus)
    american = speeches[speeches["era"] == "american_war"]
    peak = by_year.sort_values(["share", "year"], ascending=[False, True]).iloc[0]
    summary = world["genealogy"]
    vietnam = summary[summary["family"].isin(OWN_FAMILIES) & (summary["n_states"] > 0)]
    standings = {key: int(n) for key, n in vietnam["standing"].value_counts().items()}
    neighbours = world["neighbours"]
    nearest = neighbours[neighbours["rank"] == 1].set_index("decade")["iso3"].map(lambda iso3: common_name(world, iso3))
    fits = world["position_fits"].dropna(subset=["r_states"])
    starts = world["position_starts"]
    reached = starts[starts["reached_default_optimum"]]
    late_share = by_year.loc[by_year["era"] == "normalisation", "share"].max()
    facts: dict[str, object] = {
        "peak_era_share": round(100 * float((american["mention_sentences"] > 0).mean())),
        "peak_year": str(int(peak["year"])),
        "peak_year_share": round(100 * float(peak["share"])),
        "n_vn_formulas_used": int(len(vietnam)),
        "n_only": standings.get("only", 0),
        "n_first": standings.get("first", 0),
        "n_early": standings.get("early", 0),
        "n_late": standings.get("late", 0),
        "n_too_few": standings.get("too_few", 0),
        "nearest_1980s": str(nearest.get(1980, "\u2013")),
        "nearest_last_decade": str(nearest.iloc[-1]),
        "last_decade": f"{int(nearest.index[-1])}s",
        "n_labelled": int(precision["labelled"].sum()),
        "precision_all": round(100 * float(precision["right"].sum() / precision["labelled"].sum())),
        "n_other_speeches": int(len(speeches)),
        "n_mentioning": int((speeches["mention_sentences"] > 0).sum()),
        "per_tier": int(precision["labelled"].max()),
        "kwic_per_era": int(world["kwic"].groupby("era").size().max()),
        "median_r_states": float(fits["r_states"].median()),
        "median_r_words": float(fits["r_words"].median()),
        "n_flips": int((fits["r_states"] < 0.5).sum()),
        "n_pairs": int(len(fits)),
        "n_starts": int(starts["start"].nunique()),
        "n_start_sessions": int(starts["session"].nunique()),
        "n_reached": f"{len(reached)} of {len(starts)}",
        # floored, so that 0.999999 reads "0.999", not a rounded "1.0" that no start reached
        "min_r_start": f"{np.floor(reached['r_with_default'].min() * 1000) / 1000:.3f}" if len(reached) else "\u2013",
        "better_found": (
            "no start found a better optimum"
            if (starts["log_posterior"] <= starts["default_log_posterior"] + 1.0).all()
            else "some start found a better optimum than the default fit"
        ),
    }
    facts["era_spans"] = era_spans(world)
    facts["claim_peak_american_war"] = bool(peak["era"] == "american_war" and late_share < 0.25)
    facts["claim_genealogy"] = standings.get("only", 0) > 0 and standings.get("late", 0) > 0
    return facts


STATE_NAMES: dict[str, str] = {
    "VNM": "Viet Nam",
    "USA": "the United States",
    "RUS": "USSR / Russia",
    "LAO": "Laos",
    "YMD": "South Yemen",
    "DDR": "the German Democratic Republic",
    "PRK": "the Democratic People's Republic of Korea",
    "EU": "the European Union",
    "CZE": "the Czech Republic",
}
"""Names for the states whose labels in the UN speakers list are codes (``YMD``, ``DDR``), vary with
the year (``Lao``, ``Laos People's Democratic Republic``) or read badly in a sentence."""


NAMES_BY_YEAR: dict[str, tuple[tuple[int, int, str], ...]] = {
    "RUS": ((0, 1991, "the USSR"),),
    # the Republic of China held China's seat until Resolution 2758 (25 October 1971), after that session's debate
    "CHN": ((0, 1971, "the Republic of China"),),
    # Democratic Kampuchea's seat (from 1982 the coalition government's, under the same name) until 1990
    "KHM": ((1976, 1990, "Democratic Kampuchea"),),
    # the Soviet republics' seats, renamed Ukraine (24 August 1991) and Belarus (19 September 1991)
    "UKR": ((0, 1990, "the Ukrainian SSR"),),
    "BLR": ((0, 1990, "the Byelorussian SSR"),),
}
"""Names of the states whose code in the corpus spans a change of state or of name: (first year, last year, name)."""


def common_name(world: WorldData, iso3: str, year: int | None = None) -> str:
    """A state's name for tables and prose: :data:`STATE_NAMES`, else the speakers list's most frequent label.

    Given the ``year``, a code that spans a change of state or name (:data:`NAMES_BY_YEAR`: the USSR and
    Russia, the Republic of China, Democratic Kampuchea, the Ukrainian and Byelorussian SSRs) is named as
    the seat's holder was then.
    """
    if year is not None:
        for first, last, name in NAMES_BY_YEAR.get(iso3, ()):
            if first <= year <= last:
                return name
    if iso3 == "RUS":
        return "Russia" if year is not None else STATE_NAMES[iso3]
    if iso3 in STATE_NAMES:
        return STATE_NAMES[iso3]
    names = world["speeches"].loc[world["speeches"]["iso3"] == iso3, "country"]
    return str(names.value_counts().index[0]) if len(names) else iso3


def _capital(name: str) -> str:
    """``the United States`` at the head of a table cell: ``The United States``."""
    return name[:1].upper() + name[1:]


def opening_clauses(world: WorldData, focus: str = "VNM") -> dict[str, str]:
    """The chapter's opening, as computed clauses: the genealogy overview and the nearest neighbours."""
    summary = world["genealogy"]
    own = summary[summary["family"].isin(OWN_FAMILIES) & (summary["n_states"] > 0)]
    counts = own["standing"].value_counts()
    words = {
        "only": "{n} only Viet Nam said",
        "first": "{n} Viet Nam said first of several",
        "early": "{n} it said among the first tenth of the states",
        "late": "{n} it said after the first tenth of the states that did",
        "too_few": "{n} too few states said to call its place",
        "never": "{n} only others said",
    }
    parts = [template.format(n=_count(int(counts[key]))) for key, template in words.items() if counts.get(key, 0)]
    nearest = world["neighbours"][world["neighbours"]["rank"] == 1].sort_values("decade")
    if nearest["iso3"].nunique() == 1:
        first_decade, last_decade = nearest["decade"].iloc[0], nearest["decade"].iloc[-1]
        name = common_name(world, nearest["iso3"].iloc[0])
        neighbour = f"{name}, in every decade from the {first_decade}s to the {last_decade}s"
    else:
        neighbour = "; ".join(
            f"{common_name(world, i)} in the {d}s" for i, d in zip(nearest["iso3"], nearest["decade"], strict=True)
        )
    overview = "; ".join(parts[:-1]) + "; and " + parts[-1] if len(parts) > 1 else "".join(parts)
    return {"genealogy_overview": overview, "nearest_summary": neighbour}


def era_spans(world: WorldData) -> str:
    """The eras with their years, for the prose: "the French war (1946–1953); …; Normalisation … (1992–2024)".

    A label that already holds its years ("Reunification, 1975–1978") is not given them twice.
    """
    spans = []
    for era in world.eras.itertuples(index=False):
        label = world.era_label(era.era_id)
        label = label if label.startswith("Geneva") else label[:1].lower() + label[1:]  # a name keeps its capital
        years = f"{int(era.first_year)}–{int(era.last_year)}"
        spans.append(label if years in label else f"{label} ({years})")
    return "; ".join(spans)


def _count(number: int) -> str:
    return (
        ["no formula", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"][number]
        if number < 10
        else str(number)
    )


ASEAN_JOINED: dict[str, int] = {
    "IDN": 1967, "MYS": 1967, "PHL": 1967, "SGP": 1967, "THA": 1967,
    "BRN": 1984, "VNM": 1995, "LAO": 1997, "MMR": 1997, "KHM": 1999,
}  # fmt: skip
"""Year each state joined ASEAN: the Bangkok Declaration (8 August 1967), then each accession.

Source: ASEAN-Japan Centre, "Outline of ASEAN" (``aseanjapan_outline`` in book/references.bib).
"""


def position_contrasts(world: WorldData, traced: dict[str, str], focus: str = "VNM") -> dict[str, str | bool]:
    """What the two position charts show, computed for their captions.

    * ``asean_run``: the first run of sessions, from the focus state's first
      speech, in which it is placed below every state that was then a member
      of ASEAN (:data:`ASEAN_JOINED`), with its range of positions there and
      the members' median range, e.g. "1978–1985 … −2.61 to −1.39 … 0.27 to 0.63".
    * ``claim_asean_run`` / ``claim_nearer_rus``: whether the charts' titles hold.
    * ``nearer_pole``: in how many of its sessions the focus state is nearer
      the USSR / Russia than the United States (the anchor pair), and which
      traced state is most often its nearest.

    Each is a comparison within a session, the only kind Wordfish allows here.
    """
    speeches = world["speeches"].dropna(subset=["theta"])
    theta = speeches.pivot_table(index="year", columns="iso3", values="theta")
    mine = theta[focus].dropna()
    below = []
    for year, value in mine.items():
        members = [iso3 for iso3, joined in ASEAN_JOINED.items() if joined <= year and iso3 != focus]
        others = theta.loc[year, [m for m in members if m in theta.columns]].dropna()
        below.append((int(year), bool(len(others)) and bool((value < others).all()), float(others.median())))
    run = []
    for year, is_below, median in below:
        if not is_below:
            break
        run.append((year, median))
    facts: dict[str, str | bool] = {"claim_asean_run": bool(run)}
    if run:
        years = [year for year, _ in run]
        medians = [median for _, median in run]
        span = mine.loc[years]
        facts["asean_run"] = (
            f"from {years[0]} to {years[-1]} it is placed below every member of the time in each session, "
            f"at {_signed(span.min())} to {_signed(span.max())}, where the members' median lies at "
            f"{_signed(min(medians))} to {_signed(max(medians))}"
        )
    else:
        facts["asean_run"] = "it is not placed below every member of the time in its first session"
    both = theta.loc[mine.index, ["USA", "RUS"]].dropna()
    nearer = ((mine.loc[both.index] - both["RUS"]).abs() < (mine.loc[both.index] - both["USA"]).abs()).sum()
    rest = [iso3 for iso3 in traced if iso3 != focus and iso3 in theta.columns]
    nearest = (theta.loc[mine.index, rest].sub(mine, axis=0).abs()).idxmin(axis=1).value_counts()
    facts["claim_nearer_rus"] = bool(nearer > len(both) / 2)
    facts["nearer_pole"] = (
        f"it is nearer the USSR / Russia than the United States in {int(nearer)} of its {len(both)} sessions, "
        f"and of the traced states {traced[nearest.index[0]]} is nearest it in {int(nearest.iloc[0])}"
    )
    return facts


def _signed(value: float) -> str:
    """``−2.61``: a position with a true minus sign, two decimals."""
    return f"{value:.2f}".replace("-", "\u2212")


def mention_shape(world: WorldData, by_year: pd.DataFrame) -> str:
    """What the mention chart shows, era by era, for its caption: each era's highest share, and the American war's fall.

    "from 96 % in 1966 the share falls to 48 % in 1974; it rises again to 92 % in 1977 (…); in the Cambodian
    conflict it peaks at 36 % in 1980" — every figure from ``by_year`` (:func:`mention_share_by_year`).
    """

    def peak(era: str) -> tuple[int, int]:
        rows = by_year[by_year["era"] == era].sort_values(["share", "year"], ascending=[False, True])
        return int(rows["year"].iloc[0]), round(100 * float(rows["share"].iloc[0]))

    clauses = []
    eras = list(world.eras["era_id"])
    if "american_war" in eras:
        war = by_year[by_year["era"] == "american_war"].sort_values("year")
        top_year, top = peak("american_war")
        end_year, end = int(war["year"].iloc[-1]), round(100 * float(war["share"].iloc[-1]))
        clauses.append(f"the share climbs to {top}\u00a0% in {top_year} and falls to {end}\u00a0% in {end_year}")
    if "after_1975" in eras:
        year, share = peak("after_1975")
        clauses.append(f"it rises again to {share}\u00a0% in {year}")
    if "cambodian_conflict" in eras:
        year, share = peak("cambodian_conflict")
        clauses.append(f"in the Cambodian conflict it peaks at {share}\u00a0% in {year}")
    return "; ".join(clauses)
