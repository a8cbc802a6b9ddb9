"""Scatter plots: points placed by two fields, with the diagonal y = x where time is set against time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from fplang.book.charts.axes import (
    LEGEND_CHAR_PX,
    check_labels,
    check_tooltip,
    field_of,
    fit_width,
    is_discrete,
    legend_columns,
    position,
    wrap_label,
)
from fplang.book.charts.theme import AXIS_LABEL_LIMIT


def scatter(
    data: pd.DataFrame,
    x: str,
    y: str,
    *,
    title: str,
    x_title: str,
    y_title: str,
    tooltip: Sequence[str],
    x_format: str | None = None,
    color: str | None = None,
    color_title: str | None = None,
    size: str | None = None,
    y_sort: Sequence[str] | None = None,
    shape: str | None = None,
    x_domain: Sequence[Any] | None = None,
    y_wrap: int | None = None,
    y_step: int | None = None,
    identity: str | None = None,
) -> alt.TopLevelMixin:
    """Points at (``x``, ``y``), optionally coloured, shaped and sized by further fields.

    The chart takes the text column's width, labels and legend (below it)
    included.  ``x_format`` formats the x labels (``"d"`` for numeric years);
    a year or date axis spans the data, never zero.  ``y_sort`` orders
    categorical y values (e.g. the rungs of a ladder, bottom to top) and
    ``y_wrap`` breaks their labels onto lines of about that many characters;
    ``y_step`` sets the height of each category's row (by default room for
    the wrapped labels).  ``x_domain`` fixes the x range.  ``identity`` draws the diagonal y = x
    (a temporal x read as a fractional year) with that text as its label,
    e.g. "spoken about = published".

    Raises
    ------
    ChartSpecError
        If a title is empty or ``tooltip`` names no field.
    """
    check_labels("scatter", title=title, x_title=x_title, y_title=y_title)
    tooltip_fields = check_tooltip("scatter", tooltip)
    label_expr = "split(datum.label, '|')" if y_wrap else None
    y_values = data
    if y_wrap and is_discrete(y):
        field = field_of(y)
        y_values = data.assign(**{field: data[field].map(lambda text: wrap_label(str(text), y_wrap))})
        y_sort = None if y_sort is None else [wrap_label(str(v), y_wrap) for v in y_sort]
        lines = max((label.count("|") + 1 for label in y_values[field].astype(str)), default=1)
        y_step = y_step or 15 * lines + 8
    x_encoding = position(alt.X, x, x_title, label_format=x_format, domain=x_domain)
    y_encoding = position(alt.Y, y, y_title, sort=None if y_sort is None else list(y_sort), label_expr=label_expr)
    encoding: dict[str, Any] = {"x": x_encoding, "y": y_encoding, "tooltip": tooltip_fields}
    if color is not None:
        y_labels = y_values[field_of(y)].astype(str).str.split("|") if is_discrete(y) else pd.Series([["0000"]])
        longest_y = max((len(part) for parts in y_labels for part in parts), default=4)
        y_label_px = min(longest_y * LEGEND_CHAR_PX, AXIS_LABEL_LIMIT)
        columns = legend_columns(data[field_of(color)].dropna().astype(str).unique(), y_label_px + 30)
        legend = alt.Legend(columns=columns)
        encoding["color"] = alt.Color(color, title=color_title, legend=legend)
    if size is not None:
        encoding["size"] = alt.Size(size)
    if shape is not None:
        shared = shape == color and color is not None
        encoding["shape"] = alt.Shape(
            shape,
            title=color_title if shared else alt.Undefined,
            legend=legend if shared else alt.Undefined,
        )
        points = alt.Chart(y_values).mark_point(filled=True, size=80, opacity=0.8)
    else:
        points = alt.Chart(y_values).mark_circle(opacity=0.7, size=50)
    chart: Any = points.encode(**encoding)  # a Chart, or a LayerChart once the diagonal is added
    if identity is not None:
        chart = alt.layer(_identity_line(data, x, y, identity), chart)
    if y_step is not None:
        chart = chart.properties(height=alt.Step(y_step))
    return fit_width(chart.properties(title=title))


def _identity_line(data: pd.DataFrame, x: str, y: str, label: str) -> Any:
    """The diagonal y = x over the data's x range, with ``label`` at its upper end."""
    x_field, y_field = field_of(x), field_of(y)
    temporal = x.rsplit(":", 1)[-1] in {"T", "temporal"}
    xs = pd.to_datetime(data[x_field]) if temporal else data[x_field].astype(float)
    ends = [xs.min(), xs.max()]
    as_year = [(v.year + (v.dayofyear - 1) / 365.25) if temporal else float(v) for v in ends]
    at = ends[0] + (ends[1] - ends[0]) * 0.6  # the label sits on the line, 60 % of the way along
    rows = [*ends, at]
    line = pd.DataFrame(
        {
            x_field: [v.strftime("%Y-%m-%d") if temporal else v for v in rows],
            y_field: [*as_year, as_year[0] + (as_year[1] - as_year[0]) * 0.6],
            "label": ["", "", label],
        }
    )
    encoding = {
        "x": alt.X(x, title=None, scale=alt.Undefined if temporal else alt.Scale(zero=False)),
        "y": alt.Y(f"{y_field}:Q", title=None, scale=alt.Scale(zero=False)),
    }
    return alt.layer(
        alt.Chart(line.iloc[:2]).mark_line(color="#999999", strokeDash=[5, 4], strokeWidth=1).encode(**encoding),
        alt.Chart(line.iloc[2:]).mark_text(align="center", dy=-9, color="#555555", fontSize=11).encode(
            text="label:N", **encoding
        ),
    )
