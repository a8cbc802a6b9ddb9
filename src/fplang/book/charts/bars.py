"""Bars and intervals: counts and rates by category, and estimates with their confidence intervals."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from fplang.book.charts.axes import (
    check_labels,
    check_tooltip,
    facet_panels,
    field_of,
    fit_width,
    independent_scales,
    is_discrete,
    panel_width,
    position,
    second_channel,
)
from fplang.book.charts.theme import LABEL_ROOM


def bar_chart(
    data: pd.DataFrame,
    x: str,
    y: str,
    *,
    title: str,
    x_title: str,
    y_title: str,
    tooltip: Sequence[str],
    color: str | None = None,
    color_title: str | None = None,
    sort: str | Sequence[str] | None = None,
) -> alt.TopLevelMixin:
    """Bars of ``y`` against ``x`` (swap the encodings' types for horizontal bars).

    ``x``, ``y``, ``color`` and the ``tooltip`` fields are Altair shorthands
    with explicit types, e.g. ``"period:O"``, ``"rate_per_1000:Q"``.  ``sort``
    orders the categorical axis: ``"-y"``/``"-x"`` (by value, descending) or an
    explicit list of categories; ``None`` keeps Vega-Lite's ascending order.
    ``title`` should state the finding; the axis titles should name the unit.
    Horizontal bars (a quantitative ``x``) take the text column's width,
    their labels and legend included.

    Raises
    ------
    ChartSpecError
        If a title is empty or ``tooltip`` names no field.
    """
    check_labels("bar_chart", title=title, x_title=x_title, y_title=y_title)
    tooltip_fields = check_tooltip("bar_chart", tooltip)
    category_sort = alt.Undefined if sort is None else sort
    categorical_is_x = is_discrete(x)
    x_encoding = position(alt.X, x, x_title, sort=category_sort if categorical_is_x else None)
    y_encoding = position(alt.Y, y, y_title, sort=None if categorical_is_x else category_sort)
    encoding: dict[str, Any] = {"x": x_encoding, "y": y_encoding, "tooltip": tooltip_fields}
    if color is not None:
        encoding["color"] = alt.Color(color, title=color_title)
    chart = alt.Chart(data).mark_bar().encode(**encoding).properties(title=title)
    return chart if categorical_is_x else fit_width(chart)


def interval_chart(
    data: pd.DataFrame,
    x: str,
    y: str,
    low: str,
    high: str,
    *,
    title: str,
    x_title: str,
    y_title: str,
    tooltip: Sequence[str],
    color: str | None = None,
    color_title: str | None = None,
    color_scale: alt.Scale | None = None,
    facet: str | None = None,
    columns: int = 3,
    x_marks: Sequence[float] = (),
    x_format: str | None = None,
    x_sort: Sequence[str] | None = None,
    horizontal: bool = False,
    dodge: bool = False,
    y_scales: str = "auto",
    panel_height: int = 130,
) -> alt.TopLevelMixin:
    """Estimates as points with their intervals as bars (``low`` to ``high``).

    The book's way of showing uncertainty where counts are small: the point is
    the rate, the bar its confidence interval.  ``x`` is the category or year
    the estimates are placed at and ``y`` the estimate; ``horizontal=True``
    lays them out the other way round (categories down the side, estimates
    along the bottom), which suits long category labels; ``x_sort`` orders
    the categories.  ``dodge`` sets the
    ``color`` groups side by side within each category instead of on top of
    one another; ``color_scale`` fixes their colours (see :func:`highlight_scale`).

    With ``facet``, one small panel per value, ``columns`` to a row, together
    as wide as the text column.  The panels share the estimate's scale unless
    their largest upper bounds differ more than :data:`INDEPENDENT_RATIO`-fold
    (``y_scales="auto"``); then each panel has its own, and the subtitle says
    so.  ``x_marks`` draws a dashed rule at each of these x values (e.g.
    Congress years) in every panel.  A year axis does not start at zero;
    ``x_format`` formats its labels (``"d"`` for years).

    Raises
    ------
    ChartSpecError
        If a title is empty or ``tooltip`` names no field.
    """
    check_labels("interval_chart", title=title, x_title=x_title, y_title=y_title)
    tooltip_fields = check_tooltip("interval_chart", tooltip)
    independent = facet is not None and independent_scales(
        data, field_of(facet), [field_of(high), field_of(y)], y_scales
    )
    # Vertical panels give the value's unit once, in the subtitle; horizontal ones under each panel.
    value_title = None if (facet is not None and not horizontal) else y_title
    place_channel, value_channel = (alt.Y, alt.X) if horizontal else (alt.X, alt.Y)
    place_name, value_name = ("y", "x") if horizontal else ("x", "y")
    # Panels of horizontal intervals name their categories in the labels; a title on each row would crowd them.
    place_title = None if (horizontal and facet is not None) else x_title
    place = position(
        place_channel, x, place_title, label_format=x_format, sort=None if x_sort is None else list(x_sort)
    )
    extra: dict[str, Any] = {}
    if color is not None:
        scale = color_scale if color_scale is not None else alt.Undefined
        # The legend shows the points' full colour, not the faded interval bars' (a caption names it).
        legend = alt.Legend(symbolOpacity=1, symbolType="circle")
        extra["color"] = alt.Color(color, title=color_title, scale=scale, legend=legend)
        if dodge:
            extra["yOffset" if horizontal else "xOffset"] = (alt.YOffset if horizontal else alt.XOffset)(color)
    base = alt.Chart(data)
    bars = base.mark_rule(strokeWidth=2, opacity=0.6).encode(
        **{
            place_name: place,
            value_name: position(value_channel, low, value_title),
            f"{value_name}2": second_channel(value_channel, high),
        },
        tooltip=tooltip_fields,
        **extra,
    )
    points = base.mark_point(filled=True, size=45, opacity=1).encode(
        **{place_name: place, value_name: position(value_channel, y, value_title)}, tooltip=tooltip_fields, **extra
    )
    rules = [
        base.mark_rule(strokeDash=[4, 3], color="#999999", strokeWidth=1).encode(**{place_name: alt.datum(value)})
        for value in x_marks
    ]
    layered = alt.layer(*rules, bars, points)
    if facet is None:
        return fit_width(layered.properties(title=title))
    width = panel_width(columns, independent=independent and not horizontal, label_room=LABEL_ROOM if horizontal else 0)
    sized = layered.properties(width=width, height=alt.Step(22) if horizontal else panel_height)
    value_unit = None if horizontal else y_title
    return facet_panels(sized, facet, columns, title, value_unit, independent, independent_channel=value_name)
