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

import numpy as np
import pandas as pd

from fplang.analysis.change_points import landmark_permutation_test, poisson_change_points
from fplang.analysis.rates import rate_per_1000
from fplang.errors import SeriesTooShortError, StatsInputError

LANDMARK_WINDOW: int = 2
"""A change year "near" a landmark lies within this many years of it."""


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


DEMOCRATIC_KAMPUCHEA_SEAT: tuple[str, int, int] = ("KHM", 1979, 1990)
"""Cambodia's UN seat after the fall of the Khmer Rouge government (January 1979) stayed with the
Democratic Kampuchea delegation (confirmed by the General Assembly in October 1980) and, from
June 1982, the Coalition Government of Democratic Kampuchea; its speeches attack Viet Nam and are
no peer's voice.  When that representation ended (1990-91) was not verified; 1990 is the last
year the book treats as the seat's."""

DEMOCRATIC_KAMPUCHEA_GROUP: str = "Democratic Kampuchea (1979\u20131990)"
"""The seat's group in tables and chart legends: the name and years, short enough for a legend label."""
ASEAN_GROUP: str = "Other ASEAN members"


def peer_groups_at_speech(
    documents: pd.DataFrame, fixed: Mapping[str, str], asean_group: str = ASEAN_GROUP
) -> pd.Series:
    """Each speech's peer group at the time it was given, by ``doc_id``; missing when it belongs to none.

    * a country in ``fixed`` (iso3 -> group name: Viet Nam, China, Cuba) is always that group;
    * Cambodia's seat in 1979-1990 is :data:`DEMOCRATIC_KAMPUCHEA_GROUP`, shown apart;
    * a country of the manifest's ``group`` "asean" counts as ``asean_group`` only for speeches
      given while it was a member (``asean_member_at_speech``): Brunei from 1984, Laos and
      Myanmar from 1997, Cambodia from 1999, Timor-Leste (admitted October 2025) never in
      speeches to 2024;
    * any other speech belongs to no group and is left out of the pooled rates.
    """
    needed = ("doc_id", "iso3", "year", "group", "asean_member_at_speech")
    missing = [column for column in needed if column not in documents]
    if missing:
        raise StatsInputError(f"peer_groups_at_speech: the documents table lacks {', '.join(missing)}")
    iso3, years = documents["iso3"].astype(str), documents["year"].astype("int64")
    seat_iso3, seat_first, seat_last = DEMOCRATIC_KAMPUCHEA_SEAT
    member = documents["asean_member_at_speech"].astype("boolean").fillna(False).astype(bool)
    groups = pd.Series(pd.NA, index=documents.index, dtype="object")
    groups[(documents["group"].astype(str) == "asean") & member] = asean_group
    groups[(iso3 == seat_iso3) & years.between(seat_first, seat_last)] = DEMOCRATIC_KAMPUCHEA_GROUP
    for code, name in fixed.items():
        groups[iso3 == code] = name
    return pd.Series(groups.to_numpy(), index=documents["doc_id"].to_numpy(), name="peer_group")


def pooled_rates(
    speech_counts: pd.DataFrame,
    group_of: Mapping[str, str],
    world: pd.DataFrame | None,
    concepts: Sequence[str],
    bin_years: int = 10,
    *,
    speech_groups: Mapping[str, object] | pd.Series | None = None,
    n_boot: int = 2000,
    seed: int = 20260121,
) -> pd.DataFrame:
    """Rates pooled by country group and period of ``bin_years``, with intervals from a bootstrap over speeches.

    ``speech_counts`` has one row per speech and concept (doc_id, iso3, year,
    concept, count, tokens).  A speech's group is ``speech_groups[doc_id]``
    when given (membership at the time: :func:`peer_groups_at_speech`), else
    ``group_of[iso3]``; speeches without a group are left out.  ``world`` is
    the world reference (year, concept, count, tokens), shown as the group
    "World (all speeches)" over the same years as the countries.  A period is
    labelled by its first year ("1990" for 1990-1999).

    The rate is pooled (total count over total tokens).  Its 95 % interval is a
    percentile bootstrap over the group's **speeches** in the period (for the
    world, over its years, the finest unit the reference keeps): words of one
    speech are not independent draws, so an interval from tokens (Poisson)
    is far too narrow.  A group-period with a single unit gets no interval
    (``NaN``).  Columns: group, period, concept, count, tokens, rate_per_1000,
    ci_low, ci_high, n_units, interval_unit (``"speech"`` or ``"year"``).
    """
    frame = speech_counts[speech_counts["concept"].isin(list(concepts))].copy()
    if speech_groups is not None:
        frame["group"] = frame["doc_id"].map(speech_groups)
    else:
        frame["group"] = frame["iso3"].map(group_of)
    frame = frame[frame["group"].notna()]
    by_country_year = frame["iso3"] + "_" + frame["year"].astype(str)
    frame["unit"] = frame["doc_id"].astype(str) if "doc_id" in frame else by_country_year
    frame["interval_unit"] = "speech"
    parts = [frame[["group", "year", "concept", "count", "tokens", "unit", "interval_unit"]]]
    if world is not None:
        in_span = world["year"].between(frame["year"].min(), frame["year"].max())
        chosen = world[world["concept"].isin(list(concepts)) & in_span]
        parts.append(
            chosen.assign(group="World (all speeches)", unit=chosen["year"].astype(str), interval_unit="year")[
                ["group", "year", "concept", "count", "tokens", "unit", "interval_unit"]
            ]
        )
    combined = pd.concat(parts, ignore_index=True)
    combined["period"] = (combined["year"] // bin_years) * bin_years
    rows = []
    for (group, period, concept), cell in combined.groupby(["group", "period", "concept"], sort=True):
        units = cell.groupby("unit")[["count", "tokens"]].sum()
        counts, tokens = units["count"].to_numpy(float), units["tokens"].to_numpy(float)
        low, high = _unit_bootstrap(counts, tokens, n_boot, _cell_seed(seed, str(group), int(period), str(concept)))
        rows.append(
            {
                "group": group,
                "period": int(period),
                "concept": concept,
                "count": int(counts.sum()),
                "tokens": int(tokens.sum()),
                "rate_per_1000": float(rate_per_1000(counts.sum(), tokens.sum())),
                "ci_low": low,
                "ci_high": high,
                "n_units": len(units),
                "interval_unit": cell["interval_unit"].iloc[0],
            }
        )
    pooled = pd.DataFrame(rows)
    return pooled.sort_values(["concept", "group", "period"], kind="stable").reset_index(drop=True)


def _unit_bootstrap(counts: np.ndarray, tokens: np.ndarray, n_boot: int, seed: int) -> tuple[float, float]:
    """Percentile 95 % interval of 1000 * sum(count) / sum(tokens) over units drawn with replacement."""
    if len(counts) < 2:
        return float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, len(counts), size=(n_boot, len(counts)))
    rates = 1000 * counts[draws].sum(axis=1) / tokens[draws].sum(axis=1)
    low, high = np.quantile(rates, [0.025, 0.975])
    return float(low), float(high)


def _cell_seed(seed: int, *key: object) -> int:
    """A seed for one group-period-concept cell that does not depend on the other cells."""
    import zlib

    return (seed + zlib.crc32("|".join(map(str, key)).encode())) % 2**32


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


def change_point_table(
    rates: pd.DataFrame, concepts: Sequence[str], landmarks: Mapping[int, str], min_size: int = 3
) -> pd.DataFrame:
    """Change points in each concept's yearly counts (segment-wise Poisson), with the nearest landmark year.

    Each year's count over its tokens is one observation of a Poisson rate
    (:func:`fplang.analysis.change_points.poisson_change_points`), so a short
    speech with no hit weighs as little as its length.  ``landmarks`` (year ->
    label) come from the run's periods table
    (:func:`fplang.periods.table.landmarks`), never from the book.  Columns:
    concept, change_year (first year of a new level), rate_before, rate_after
    (pooled rates per 1,000 tokens over the neighbouring segments),
    nearest_landmark, landmark, years_from_landmark; the last three are empty
    (missing) when there are no landmarks.  A concept whose series is too
    short gives no rows.
    """
    rows = []
    for concept in concepts:
        chosen = rates[rates["concept"] == concept]
        by_year = chosen.groupby("year")[["count", "tokens"]].sum().sort_index()
        by_year.index = by_year.index.astype("int64")
        try:
            starts = poisson_change_points(by_year["count"], by_year["tokens"], min_size=min_size)
        except SeriesTooShortError:
            continue
        bounds = [int(by_year.index[0]), *starts, int(by_year.index[-1]) + 1]
        for before_start, change, after_end in zip(bounds[:-2], bounds[1:-1], bounds[2:], strict=True):
            nearest = min(landmarks, key=lambda year: (abs(year - change), year)) if landmarks else None
            before = by_year[(by_year.index >= before_start) & (by_year.index < change)]
            after = by_year[(by_year.index >= change) & (by_year.index < after_end)]
            rows.append(
                {
                    "concept": concept,
                    "change_year": int(change),
                    "rate_before": float(1000 * before["count"].sum() / before["tokens"].sum()),
                    "rate_after": float(1000 * after["count"].sum() / after["tokens"].sum()),
                    "nearest_landmark": nearest,
                    "landmark": "" if nearest is None else landmarks[nearest],
                    "years_from_landmark": None if nearest is None else int(change - nearest),
                }
            )
    columns = [
        "concept", "change_year", "rate_before", "rate_after", "nearest_landmark", "landmark", "years_from_landmark"
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=columns)


def change_point_baseline(
    table: pd.DataFrame,
    years: Sequence[int],
    landmarks: Mapping[int, str],
    window: int = LANDMARK_WINDOW,
    min_size: int = 3,
    n_permutations: int = 10_000,
) -> dict[str, float]:
    """How many of ``table``'s change years lie near a landmark, against chance.

    The candidate years are those where a change could be found: from the
    ``min_size``-th year of the series to ``min_size`` years before its end.
    Each concept's change years are redrawn separately (a concept cannot
    change twice in one year; two concepts can).
    See :func:`fplang.analysis.change_points.landmark_permutation_test`.
    """
    ordered = sorted(int(year) for year in years)
    candidates = ordered[min_size : len(ordered) - min_size + 1]
    return landmark_permutation_test(
        [int(year) for year in table["change_year"]],
        candidates,
        list(landmarks),
        window,
        n_permutations,
        groups=[str(concept) for concept in table["concept"]] if "concept" in table else None,
    )


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
    after 1986 while integration rises from 1991; the friend-and-partner and
    the active-member rungs arrive in the 2000s and the 14th Congress's never
    appear; the focus country speaks of independence more than its peers in
    most decades; the documents speak of integration far more than any
    speech.  A title whose check fails is replaced by a neutral one.
    """
    return {
        "trend": falls_then_rises(focus, ["independence", "imperialism"], 1986, ["international_integration"], 1991),
        "rungs": rungs_first_stated_between(
            first_last, ["friend_and_reliable_partner", "active_responsible_member"], 2000, 2009
        )
        and rungs_never_stated(first_last, ["strategic_autonomy", "key_regular_task"]),
        "peers": share_of_periods_led(peers, focus_group, "independence") > 0.5,
        "genres": documents_outpace_speeches(genres, "international_integration"),
    }
