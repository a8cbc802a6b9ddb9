"""The world chapter's charts: sized for the 688 px text column, legends below, years never from zero.

Each builder takes a table from :mod:`fplang.analysis.world_views` and returns
an Altair chart for :func:`fplang.book.charts.show`.  Viet Nam is drawn in the
palette's orange wherever it appears, every other state in grey or the
remaining colours, so a caption can say "Viet Nam in orange" and be true.
"""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from fplang.book.charts import OKABE_ITO, wrap_label

__all__ = ["WIDTH", "first_use_chart", "mention_share_chart", "position_chart"]

WIDTH: int = 560
"""Plot width in CSS pixels: with axis labels and padding the chart stays inside the 688 px column."""

FOCUS_COLOUR: str = OKABE_ITO[1]
"""Orange: Viet Nam, in every chart of the chapter."""

OTHER_COLOURS: tuple[str, ...] = tuple(colour for colour in OKABE_ITO if colour not in (FOCUS_COLOUR, "#F0E442"))
"""The rest of the Okabe–Ito palette, without orange and the low-contrast yellow."""

TRACED_COLOURS: tuple[str, ...] = tuple(colour for colour in OTHER_COLOURS if colour != "#D55E00") + ("#999999",)
"""For states drawn beside the focus state: no vermilion, which beside orange reads as the same colour."""

LABEL_WRAP: int = 30

FORMULA_WRAP: int = 34
"""The first-use chart's formula labels: at 34 characters the longest takes two lines, not three."""
"""Characters per line of a formula's label on the first-use chart: long labels wrap instead of being cut."""


def _legend(title: str, columns: int = 3) -> alt.Legend:
    return alt.Legend(title=title, orient="bottom", direction="horizontal", columns=columns, labelLimit=220)


def _years(years: pd.Series) -> alt.Scale:
    return alt.Scale(domain=[int(years.min()), int(years.max())], zero=False, nice=False)


def mention_share_chart(by_year: pd.DataFrame, *, title: str, era_order: Sequence[str]) -> alt.TopLevelMixin:
    """Share of speeches mentioning Viet Nam per year, with exact intervals, coloured by era."""
    x = alt.X("year:Q", title="Year of the General Debate", axis=alt.Axis(format="d"), scale=_years(by_year["year"]))
    colour = alt.Color(
        "era_label:N", sort=list(era_order), scale=alt.Scale(range=list(OTHER_COLOURS)), legend=_legend("Era")
    )
    tooltip = [
        alt.Tooltip("year:Q", title="Year", format="d"),
        alt.Tooltip("era_label:N", title="Era"),
        alt.Tooltip("speeches:Q", title="Speeches by other states"),
        alt.Tooltip("mentioning:Q", title="Mentioning Viet Nam"),
        alt.Tooltip("share:Q", title="Share", format=".0%"),
        alt.Tooltip("ci_low:Q", title="95 % interval from", format=".0%"),
        alt.Tooltip("ci_high:Q", title="to", format=".0%"),
    ]
    y_axis = alt.Axis(format="%")
    base = alt.Chart(by_year)
    bars = base.mark_rule(strokeWidth=2, opacity=0.5).encode(
        x=x,
        y=alt.Y("ci_low:Q", title="Speeches mentioning Viet Nam", axis=y_axis),
        y2="ci_high:Q",
        color=colour,
        tooltip=tooltip,
    )
    points = base.mark_point(filled=True, size=40).encode(
        x=x, y=alt.Y("share:Q", title="Speeches mentioning Viet Nam", axis=y_axis), color=colour, tooltip=tooltip
    )
    return alt.layer(bars, points).properties(title=title, width=WIDTH, height=300)


def first_use_chart(points: pd.DataFrame, *, title: str) -> alt.TopLevelMixin:
    """Each state's first use of each formula: grey ticks, Viet Nam's an orange diamond."""
    points = points.assign(
        formula_name=points["label"], label=points["label"].map(lambda text: wrap_label(str(text), FORMULA_WRAP))
    )
    order = list(dict.fromkeys(points.sort_values("formula_order")["label"]))
    x = alt.X(
        "first_year:Q",
        title="Year of first use in the General Debate",
        axis=alt.Axis(format="d"),
        scale=_years(points["first_year"]),
    )
    y = alt.Y(
        "label:N", title="Formula", sort=order, axis=alt.Axis(labelExpr="split(datum.label, '|')", labelLimit=260)
    )
    tooltip = [
        alt.Tooltip("formula_name:N", title="Formula"),
        alt.Tooltip("country:N", title="State"),
        alt.Tooltip("first_year:Q", title="First use", format="d"),
        alt.Tooltip("n_speeches:Q", title="Speeches stating it"),
    ]
    others = (
        alt.Chart(points[~points["is_focus"]])
        .mark_tick(color="#8c8c8c", thickness=1.5, size=14)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    focus = (
        alt.Chart(points[points["is_focus"]])
        .mark_point(shape="diamond", filled=True, size=140, color=FOCUS_COLOUR, stroke="black", strokeWidth=0.8)
        .encode(x=x, y=y, tooltip=tooltip)
    )
    # 36 px a row: two label lines (about 12 px each) and air between rows
    return alt.layer(others, focus).properties(title=title, width=380, height=alt.Step(36))


def position_chart(
    trace: pd.DataFrame, *, title: str, focus_label: str = "Viet Nam", others_label: str | None = None
) -> alt.TopLevelMixin:
    """Wordfish positions of a few states, session by session, as points; the focus state in orange.

    No line joins a state's sessions: each session is fitted on its own and its
    dimension's meaning changes, so a line would draw a trend that is not there.

    With ``others_label``, every state but the focus is drawn in grey under
    that one legend entry (the tooltip names each), for groups too large for
    a colour each.
    """
    if others_label is not None:
        trace = trace.assign(
            state=trace["state"].where(trace["state"] == focus_label, others_label), name=trace["state"]
        )
        colour = alt.Color(
            "state:N",
            sort=[focus_label, others_label],
            scale=alt.Scale(domain=[focus_label, others_label], range=[FOCUS_COLOUR, "#9e9e9e"]),
            legend=_legend("State", 2),
        )
        tooltip = [
            alt.Tooltip("name:N", title="State"),
            alt.Tooltip("year:Q", title="Year", format="d"),
            alt.Tooltip("theta:Q", title="Position", format=".2f"),
        ]
        return _positions(trace, focus_label, colour, tooltip, opacity=0.7).properties(title=title)
    labels = list(dict.fromkeys(trace["state"]))
    ordered = [focus_label, *[label for label in labels if label != focus_label]] if focus_label in labels else labels
    palette = [FOCUS_COLOUR, *TRACED_COLOURS] if focus_label in labels else list(TRACED_COLOURS)
    colour = alt.Color(
        "state:N",
        sort=ordered,
        scale=alt.Scale(domain=ordered, range=palette[: len(ordered)]),
        legend=_legend("State", 4),
    )
    tooltip = [
        alt.Tooltip("state:N", title="State"),
        alt.Tooltip("year:Q", title="Year", format="d"),
        alt.Tooltip("theta:Q", title="Position", format=".2f"),
        alt.Tooltip("theta_se:Q", title="Standard error", format=".3f"),
    ]
    return _positions(trace, focus_label, colour, tooltip, opacity=0.75).properties(title=title)


def _positions(
    trace: pd.DataFrame, focus_label: str, colour: alt.Color, tooltip: list[alt.Tooltip], *, opacity: float
) -> alt.TopLevelMixin:
    """Each state's position in each session as a point, the focus state larger and drawn last.

    Points, no lines: each session is its own dimension, so a line from one
    session to the next would join positions that are not comparable.
    """
    x = alt.X("year:Q", title="Year of the General Debate", axis=alt.Axis(format="d"), scale=_years(trace["year"]))
    y = alt.Y("theta:Q", title="Position on the session's dimension (SD units)")
    rest = alt.Chart(trace[trace["state"] != focus_label])
    focus = alt.Chart(trace[trace["state"] == focus_label])
    return alt.layer(
        rest.mark_point(filled=True, size=16, opacity=opacity).encode(x=x, y=y, color=colour, tooltip=tooltip),
        focus.mark_point(filled=True, size=44, stroke="black", strokeWidth=0.5).encode(
            x=x, y=y, color=colour, tooltip=tooltip
        ),
    ).properties(width=WIDTH, height=320)
