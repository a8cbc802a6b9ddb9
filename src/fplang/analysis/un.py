"""Viet Nam at the UN: yearly rates, peers, the world reference, change points.

The UN General Debate gives one comparable speech a year per country.  These
functions turn the counted subset (:mod:`fplang.analysis.concepts` on the committed
speeches) into the chapter's tables: a speech's rate with its exact interval
and its speaker, groups of countries pooled by decade against the world
reference, rungs of the formula ladder by decade, and change points in a
yearly series set against the landmark years of the run's periods table.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import pandas as pd

from fplang.analysis.change_points import change_points
from fplang.analysis.rates import poisson_rate_ci, rate_per_1000
from fplang.errors import SeriesTooShortError


def speech_rates(document_rates: pd.DataFrame, documents: pd.DataFrame) -> pd.DataFrame:
    """Per speech and concept: the rate and its interval, with country, year, speaker and post.

    ``document_rates`` comes from :func:`fplang.analysis.concepts.document_rates`;
    ``documents`` is the corpus's documents table, whose variables iso3,
    country, year, speaker and post are joined on.
    """
    wanted = [c for c in ["iso3", "country", "year", "speaker", "post", "group"] if c in documents]
    speeches = documents.set_index("doc_id")[wanted]
    frame = document_rates.join(speeches, on="doc_id")
    for column in ("speaker", "post"):
        if column in frame:
            frame[column] = frame[column].fillna("not recorded")
    return frame


def pooled_rates(
    speech_counts: pd.DataFrame,
    group_of: Mapping[str, str],
    world: pd.DataFrame | None,
    concepts: Sequence[str],
    bin_years: int = 10,
) -> pd.DataFrame:
    """Rates pooled by country group and period of ``bin_years``, with exact Poisson intervals.

    ``speech_counts`` has one row per speech and concept (iso3, year, concept,
    count, tokens); ``group_of`` maps an iso3 to its group's name (countries
    not listed are left out); ``world`` is the world reference (year, concept,
    count, tokens), shown as the group "World (all speeches)" over the same
    years as the countries.  A period is
    labelled by its first year ("1990" for 1990-1999).
    """
    frame = speech_counts[speech_counts["concept"].isin(list(concepts))].copy()
    frame["group"] = frame["iso3"].map(group_of)
    frame = frame[frame["group"].notna()]
    parts = [frame[["group", "year", "concept", "count", "tokens"]]]
    if world is not None:
        in_span = world["year"].between(frame["year"].min(), frame["year"].max())
        chosen = world[world["concept"].isin(list(concepts)) & in_span]
        parts.append(chosen.assign(group="World (all speeches)")[["group", "year", "concept", "count", "tokens"]])
    combined = pd.concat(parts, ignore_index=True)
    combined["period"] = (combined["year"] // bin_years) * bin_years
    pooled = combined.groupby(["group", "period", "concept"], as_index=False)[["count", "tokens"]].sum()
    pooled["rate_per_1000"] = rate_per_1000(pooled["count"], pooled["tokens"])
    low, high = poisson_rate_ci(pooled["count"].to_numpy(), pooled["tokens"].to_numpy())
    pooled["ci_low"], pooled["ci_high"] = low, high
    return pooled.sort_values(["concept", "group", "period"], kind="stable").reset_index(drop=True)


def rungs_by_decade(statements: pd.DataFrame, year_col: str = "published_year") -> pd.DataFrame:
    """How many speeches state each rung, by decade: rung, rung_label, rung_order, decade, speeches."""
    frame = statements.assign(decade=(statements[year_col] // 10) * 10)
    table = (
        frame.groupby(["rung", "rung_label", "rung_order", "decade"], as_index=False)["doc_id"]
        .nunique()
        .rename(columns={"doc_id": "speeches"})
    )
    return table.sort_values(["rung_order", "decade"]).reset_index(drop=True)


def yearly_series(rates: pd.DataFrame, concept: str) -> pd.Series:
    """One concept's rate per 1,000 tokens by year (index: year), for change-point search."""
    chosen = rates[rates["concept"] == concept]
    by_year = chosen.groupby("year")[["count", "tokens"]].sum()
    return (1000 * by_year["count"] / by_year["tokens"]).rename(concept)


def change_point_table(rates: pd.DataFrame, concepts: Sequence[str], landmarks: Mapping[int, str]) -> pd.DataFrame:
    """Change points (PELT) in each concept's yearly series, with the nearest landmark year.

    ``landmarks`` (year -> label) come from the run's periods table
    (:func:`fplang.periods.table.landmarks`), never from the book: a re-run on
    another state sets its change points against that state's landmarks.
    Columns: concept, change_year (first year of a new level), mean_before,
    mean_after (the rates' means over the neighbouring segments),
    nearest_landmark, landmark, years_from_landmark; the last three are empty
    (missing) when there are no landmarks.  A concept whose series is too
    short gives no rows.
    """
    rows = []
    for concept in concepts:
        series = yearly_series(rates, concept).sort_index()
        try:
            starts = change_points(series)
        except SeriesTooShortError:
            continue
        bounds = [int(series.index[0]), *starts, int(series.index[-1]) + 1]
        for before_start, change, after_end in zip(bounds[:-2], bounds[1:-1], bounds[2:], strict=True):
            nearest = min(landmarks, key=lambda year: (abs(year - change), year)) if landmarks else None
            rows.append(
                {
                    "concept": concept,
                    "change_year": int(change),
                    "mean_before": float(series[(series.index >= before_start) & (series.index < change)].mean()),
                    "mean_after": float(series[(series.index >= change) & (series.index < after_end)].mean()),
                    "nearest_landmark": nearest,
                    "landmark": "" if nearest is None else landmarks[nearest],
                    "years_from_landmark": None if nearest is None else int(change - nearest),
                }
            )
    columns = [
        "concept", "change_year", "mean_before", "mean_after", "nearest_landmark", "landmark", "years_from_landmark"
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def genre_comparison(seed_rates: pd.DataFrame, un_rates: pd.DataFrame, concepts: Sequence[str]) -> pd.DataFrame:
    """Seed documents and UN speeches in one table for shared concepts.

    Columns: source ("seed" or "UN speech"), doc_id, year, concept, label,
    count, tokens, rate_per_1000, ci_low, ci_high.
    """
    columns = ["doc_id", "concept", "label", "count", "tokens", "rate_per_1000", "ci_low", "ci_high"]
    seeds = seed_rates[seed_rates["concept"].isin(list(concepts))][[*columns, "published_year"]]
    seeds = seeds.rename(columns={"published_year": "year"}).assign(source="seed")
    speeches = un_rates[un_rates["concept"].isin(list(concepts))][[*columns, "year"]].assign(source="UN speech")
    both = pd.concat([seeds, speeches], ignore_index=True)
    both["year"] = both["year"].astype("int64")
    return both[["source", "doc_id", "year", *columns[1:]]].reset_index(drop=True)


def pooled_before_after(rates: pd.DataFrame, concept: str, year: int) -> tuple[float, float]:
    """A concept's pooled rate per 1,000 tokens in speeches before ``year`` and from ``year`` on.

    Pooled (total count over total tokens), not a mean of speech rates, so a
    short speech weighs as little as its tokens.  ``nan`` for a side with no
    speech.  Used to check a chart title's "recedes after 1986" on the data.
    """
    chosen = rates[rates["concept"] == concept]
    sides = []
    for part in (chosen[chosen["year"] < year], chosen[chosen["year"] >= year]):
        tokens = part["tokens"].sum()
        sides.append(float(1000 * part["count"].sum() / tokens) if tokens else float("nan"))
    return sides[0], sides[1]


def share_of_periods_led(pooled: pd.DataFrame, group: str, concept: str) -> float:
    """Share of periods in which ``group`` has the highest pooled rate of ``concept`` (0 when absent).

    ``pooled`` comes from :func:`pooled_rates`; a period counts only when the
    group and at least one other group spoke in it.
    """
    chosen = pooled[pooled["concept"] == concept]
    led = total = 0
    for _, period in chosen.groupby("period"):
        mine = period.loc[period["group"] == group, "rate_per_1000"]
        others = period.loc[period["group"] != group, "rate_per_1000"]
        if mine.empty or others.empty:
            continue
        total += 1
        led += bool(mine.iloc[0] > others.max())
    return led / total if total else 0.0


def falls_then_rises(
    rates: pd.DataFrame, falling: Sequence[str], fall_year: int, rising: Sequence[str], rise_year: int
) -> bool:
    """Whether each ``falling`` concept's pooled rate is lower from ``fall_year`` on, and each ``rising`` one's higher
    from ``rise_year`` on."""
    fell = all(before > after for before, after in (pooled_before_after(rates, c, fall_year) for c in falling))
    rose = all(after > before for before, after in (pooled_before_after(rates, c, rise_year) for c in rising))
    return fell and rose


def rungs_first_stated_between(first_last: pd.DataFrame, rungs: Sequence[str], start: int, end: int) -> bool:
    """Whether each of ``rungs`` is first stated in a year from ``start`` to ``end`` (a rung never stated is not)."""
    first_year = first_last.set_index("rung")["first_year"]
    return all(pd.notna(first_year.get(rung)) and start <= first_year[rung] <= end for rung in rungs)


def rungs_never_stated(first_last: pd.DataFrame, rungs: Sequence[str]) -> bool:
    """Whether none of ``rungs`` is stated in any speech."""
    statements = first_last.set_index("rung")["n_statements"].reindex(list(rungs)).fillna(0)
    return bool((statements == 0).all())


def documents_outpace_speeches(genres: pd.DataFrame, concept: str, factor: float = 2.0) -> bool:
    """Whether some document's rate of ``concept`` exceeds ``factor`` times the highest UN speech's.

    ``genres`` comes from :func:`genre_comparison`.
    """
    chosen = genres[genres["concept"] == concept]
    documents = chosen.loc[chosen["source"] == "seed", "rate_per_1000"]
    speeches = chosen.loc[chosen["source"] == "UN speech", "rate_per_1000"]
    return bool(len(documents) and len(speeches) and documents.max() > factor * speeches.max())


def book_headline_checks(
    focus: pd.DataFrame, first_last: pd.DataFrame, peers: pd.DataFrame, genres: pd.DataFrame, focus_group: str
) -> dict[str, bool]:
    """Whether each finding the UN chapter's chart titles state holds on this run's data.

    The titles (see the chapter) claim: independence and imperialism recede
    after 1986 while integration rises from 1991; the partnership and
    responsibility rungs arrive in the 2000s and the 14th Congress's never
    appear; the focus country speaks of independence more than its peers in
    most decades; the documents speak of integration far more than any
    speech.  A title whose check fails is replaced by a neutral one.
    """
    return {
        "trend": falls_then_rises(focus, ["independence", "imperialism"], 1986, ["international_integration"], 1991),
        "rungs": rungs_first_stated_between(
            first_last, ["friend_and_reliable_partner", "responsible_member"], 2000, 2009
        )
        and rungs_never_stated(first_last, ["strategic_autonomy", "key_regular_task"]),
        "peers": share_of_periods_led(peers, focus_group, "independence") > 0.5,
        "genres": documents_outpace_speeches(genres, "international_integration"),
    }
