"""Heatmaps: a grid of categories shaded from white (zero) to dark blue, so darker means more."""

from __future__ import annotations

from collections.abc import Sequence

import altair as alt
import pandas as pd

from fplang.book.charts.axes import (
    LEGEND_CHAR_PX,
    check_labels,
    check_tooltip,
    field_of,
    is_discrete,
    max_of,
    wrap_label,
)
from fplang.book.charts.theme import AXIS_LABEL_LIMIT, AXIS_ROOM, CHART_WIDTH, HEATMAP_RAMP


def heatmap(
    data: pd.DataFrame,
    x: str,
    y: str,
    color: str,
    *,
    title: str,
    x_title: str,
    y_title: str,
    color_title: str,
    tooltip: Sequence[str],
    x_sort: Sequence[str] | None = None,
    y_sort: Sequence[str] | None = None,
    labels: str | None = None,
    cell: tuple[int, int] = (40, 20),
    x_label_angle: int = 0,
    y_wrap: int | None = None,
) -> alt.TopLevelMixin:
    """Rectangles on an ``x`` by ``y`` grid, shaded by ``color``: the darker, the higher.

    The colour scale runs from white (zero) to dark blue (:data:`HEATMAP_RAMP`),
    so the caption can say "darker cells are higher" and a zero reads as
    nothing there.  ``color_title`` labels the legend (set below the chart) and
    should name the unit.  ``x_sort`` and ``y_sort`` order the categories
    (e.g. periods in time order) instead of alphabetically.  ``labels`` names
    a field to print in each cell (a count, say), white on dark cells.
    ``cell`` is the width and height of one cell in pixels; ``x_label_angle``
    turns the x labels (``-40`` for long ones); ``y_wrap`` breaks long row
    labels (the rungs of the ladder) onto lines of about that many characters,
    or more when the grid is narrow enough to leave the labels more room
    (:func:`row_label_room`): Vega-Lite gives every row the same height, so one
    wrapped label makes every row tall.

    Raises
    ------
    ChartSpecError
        If a title is empty or ``tooltip`` names no field.
    """
    check_labels(
        "heatmap", title=title, x_title=x_title, y_title=y_title, color_title=color_title
    )
    tooltip_fields = check_tooltip("heatmap", tooltip)
    row_height = cell[1]
    label_room = AXIS_LABEL_LIMIT
    if y_wrap and is_discrete(y):
        field = field_of(y)
        label_room = row_label_room(data[field_of(x)].nunique(), cell[0])
        width = max(y_wrap, label_room // LEGEND_CHAR_PX)
        data = data.assign(**{field: data[field].map(lambda text: wrap_label(str(text), width))})
        y_sort = None if y_sort is None else [wrap_label(str(v), width) for v in y_sort]
        lines = max((label.count("|") + 1 for label in data[field].astype(str)), default=1)
        row_height = max(row_height, 15 * lines + 6)
    base = alt.Chart(data).encode(
        x=alt.X(
            x,
            title=x_title,
            sort=alt.Undefined if x_sort is None else list(x_sort),
            axis=alt.Axis(labelAngle=x_label_angle),
        ),
        y=alt.Y(
            y,
            title=y_title,
            sort=alt.Undefined if y_sort is None else list(y_sort),
            axis=alt.Axis(labelExpr="split(datum.label, '|')", labelLimit=label_room) if y_wrap else alt.Undefined,
        ),
        tooltip=tooltip_fields,
    )
    colour = alt.Color(
        color,
        title=color_title,
        scale=alt.Scale(range=list(HEATMAP_RAMP), interpolate="lab", zero=True),
        legend=alt.Legend(gradientLength=180),
    )
    layers: list[alt.Chart] = [base.mark_rect(stroke="#d9d9d9", strokeWidth=0.5).encode(color=colour)]
    if labels is not None:
        field = field_of(color)
        layers.append(
            base.mark_text(fontSize=11).encode(
                text=alt.Text(labels),
                color=alt.condition(
                    f"datum['{field}'] > 0.6 * {max_of(data, field)}", alt.value("white"), alt.value("#222222")
                ),
            )
        )
    chart = alt.layer(*layers) if len(layers) > 1 else layers[0]
    return chart.properties(title=title, width=alt.Step(cell[0]), height=alt.Step(row_height))


def row_label_room(columns: int, cell_width: int) -> int:
    """Pixels the row labels may take beside a grid of ``columns`` cells, within the chart's width.

    Never less than the theme's label limit, and never more than the room a
    grid of that many cells leaves (the y title and padding take ``AXIS_ROOM``),
    capped at 420 px so the cells keep their place near the labels.
    """
    return int(max(AXIS_LABEL_LIMIT, min(420, CHART_WIDTH - columns * cell_width - AXIS_ROOM)))
