"""Axes and panels shared by the chart builders, and the checks every builder makes.

A year or date axis spans its data, never from zero (:func:`position`, checked on built pages by
:func:`time_scales_from_zero`); facet panels share the text column and get their own scales where
their ranges differ more than :data:`~fplang.book.charts.theme.INDEPENDENT_RATIO`-fold; long
category labels wrap instead of being cut.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Sequence
from typing import Any

import altair as alt
import pandas as pd

from fplang.book.charts.theme import (
    AXIS_ROOM,
    CHART_WIDTH,
    FACET_SPACING,
    INDEPENDENT_RATIO,
    OKABE_ITO,
    PADDING,
    PANEL_AXIS_ROOM,
    TEXT_COLUMN_WIDTH,
)
from fplang.errors import FplangError


class ChartSpecError(FplangError, ValueError):
    """A chart lacks something the book requires (a title, an axis title, tooltips...)."""


_TIME_NAME = re.compile(r"year|decade", re.IGNORECASE)


_TIME_TITLE = re.compile(r"\b(?:year|decade|date)", re.IGNORECASE)


_YEAR_RANGE = (1500, 2100)
"""Values all within this range make a quantitative field a field of years."""


def check_labels(builder: str, **labels: str) -> None:
    for parameter, value in labels.items():
        if not isinstance(value, str) or not value.strip():
            raise ChartSpecError(
                f"{builder}: {parameter}={value!r} is empty; every chart needs a title "
                "stating its finding and axis titles naming the unit, "
                "e.g. y_title='Rate (per 1,000 tokens)'"
            )


def check_tooltip(builder: str, tooltip: Sequence[str]) -> list[str]:
    if isinstance(tooltip, str):
        tooltip = [tooltip]
    fields = list(tooltip)
    if not fields or not all(isinstance(field, str) and field.strip() for field in fields):
        raise ChartSpecError(
            f"{builder}: tooltip={tooltip!r} must name at least one field, "
            "e.g. tooltip=['period:O', 'rate_per_1000:Q']"
        )
    return fields


def is_discrete(shorthand: str) -> bool:
    return shorthand.rsplit(":", 1)[-1] in {"N", "O", "nominal", "ordinal"}


def field_of(shorthand: str) -> str:
    return shorthand.rsplit(":", 1)[0] if ":" in shorthand else shorthand


def position(
    channel: Any,
    shorthand: str,
    title: str | None,
    *,
    label_format: str | None = None,
    sort: Any = None,
    domain: Sequence[Any] | None = None,
    label_expr: str | None = None,
) -> Any:
    """An x or y encoding; a year or date field gets a scale that spans its data, not zero."""
    axis: dict[str, Any] = {}
    if label_format is not None:
        axis["format"] = label_format
    if label_expr is not None:
        axis["labelExpr"] = label_expr
    scale: dict[str, Any] = {}
    if is_time_field(shorthand, title):
        scale["zero"] = False
        scale["padding"] = 8  # marks at the first and last date stay whole
        if label_format is None and shorthand.rsplit(":", 1)[-1] in {"Q", "quantitative"}:
            axis["format"] = "d"  # a year: 1990, not 1,990
    if domain is not None:
        scale["domain"] = list(domain)
    return channel(
        shorthand,
        title=title,
        axis=alt.Axis(**axis) if axis else alt.Undefined,
        scale=alt.Scale(**scale) if scale else alt.Undefined,
        sort=alt.Undefined if sort is None else sort,
    )


def second_channel(channel: Any, shorthand: str) -> Any:
    return (alt.X2 if channel is alt.X else alt.Y2)(field_of(shorthand))


def is_time_field(shorthand: str, title: str | None) -> bool:
    kind = shorthand.rsplit(":", 1)[-1] if ":" in shorthand else ""
    if kind in {"T", "temporal"}:
        return True
    return kind in {"Q", "quantitative"} and bool(
        _TIME_NAME.search(field_of(shorthand)) or _TIME_TITLE.search(title or "")
    )


def fit_width(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart as wide as the text column, its axes, labels and legend included."""
    return chart.properties(width=CHART_WIDTH, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


def panel_width(columns: int, *, independent: bool = False, label_room: int = 0) -> int:
    """Width of one facet panel so that ``columns`` of them fit the text column.

    The text column holds the chart's padding, one shared axis (or one axis
    per panel when the panels have ``independent`` scales), ``label_room``
    for a categorical axis's labels, and the spacing between panels.
    """
    axes = columns * PANEL_AXIS_ROOM if independent else AXIS_ROOM
    room = TEXT_COLUMN_WIDTH - 2 * PADDING - axes - label_room - (columns - 1) * FACET_SPACING
    return max(room // columns, 60)


def facet_panels(
    panel: Any,  # a Chart or a LayerChart; both facet
    facet: str,
    columns: int,
    title: str,
    value_title: str | None,
    independent: bool,
    independent_channel: str = "y",
) -> alt.FacetChart:
    """Panels of ``panel`` by ``facet``, the value's unit in the subtitle (and whether each panel has its own scale).

    A vertical axis title repeated beside each row of small panels is longer
    than the panels are tall; the subtitle says it once.
    """
    chart = panel.facet(alt.Facet(facet, title=None), columns=columns, spacing=FACET_SPACING)
    if independent:
        chart = chart.resolve_scale(**{independent_channel: "independent"})
    notes = [note for note in (value_title, "each panel has its own scale" if independent else None) if note]
    if not notes:
        return chart.properties(title=title)
    return chart.properties(title=alt.TitleParams(title, subtitle="; ".join(notes)))


def independent_scales(data: pd.DataFrame, facet: str, fields: Sequence[str], mode: str) -> bool:
    """Whether panels need their own scales: their largest values differ more than INDEPENDENT_RATIO-fold."""
    if mode not in {"auto", "shared", "independent"}:
        raise ChartSpecError(f"y_scales={mode!r} is not one of 'auto', 'shared', 'independent'")
    if mode != "auto" or data.empty:
        return mode == "independent"
    tops = data.groupby(facet)[list(fields)].max().max(axis=1).astype(float)
    if tops.max() <= 0:
        return False
    return bool(tops.min() <= 0 or tops.max() / tops.min() > INDEPENDENT_RATIO)


LEGEND_CHAR_PX = 7
"""Rough width of one character of a 12 px legend or axis label, for planning a legend's columns."""


def legend_columns(labels: Sequence[str], left_room: float, most: int = 3) -> int:
    """How many columns a legend below the plot can have without running past the chart's right edge.

    A bottom legend starts under the plot area, after the y axis's labels
    (``left_room`` pixels), so long category labels on y leave less room for
    the legend than the chart's width; Vega clips what passes the edge, and
    the width check on the drawn chart cannot see it.  A column takes its
    longest label, the symbol and the padding.
    """
    longest = max((len(str(label)) for label in labels), default=0)
    column = longest * LEGEND_CHAR_PX + 16 + 14
    return max(1, min(most, int((CHART_WIDTH - left_room) // max(column, 1))))


def wrap_label(text: str, width: int) -> str:
    """``text`` broken onto lines of about ``width`` characters, joined by ``|`` (see ``y_wrap``)."""
    return "|".join(textwrap.wrap(text, width=width)) or text


def highlight_scale(groups: Sequence[str], focus: str, reference: str | None = None) -> alt.Scale:
    """Colours for groups compared with one in focus: the focus in vermilion, a reference in grey.

    The other groups take the palette's blue, green, pink and sky blue, in
    the order given, so a reader finds the focus at once and the legend
    lists the groups in that order.
    """
    others = [OKABE_ITO[i] for i in (0, 2, 3, 4, 1, 7)]
    domain, colours = [focus], ["#D55E00"]
    rest = [g for g in groups if g not in {focus, reference}]
    for index, group in enumerate(rest):
        domain.append(group)
        colours.append(others[index % len(others)])
    if reference is not None and reference in groups:
        domain.append(reference)
        colours.append("#8C8C8C")
    return alt.Scale(domain=domain, range=colours)


def max_of(data: pd.DataFrame, field: str) -> float:
    values = pd.to_numeric(data[field], errors="coerce") if field in data else pd.Series(dtype=float)
    top = values.max()
    return float(top) if pd.notna(top) else 0.0


def time_scales_from_zero(spec: dict[str, Any]) -> list[str]:
    """Where a chart's year or date axis would include zero: one line per encoding.

    A field is taken for time when its type is temporal, or when it is
    quantitative and its name says so (``year``, ``decade``), its axis title
    does (``"Year of the speech"``), or every value in its data lies between
    1500 and 2100.  Such an x or y scale includes zero when it sets
    ``zero: true``, gives a domain reaching down to zero, or leaves both
    unset: Vega-Lite then starts a quantitative scale at zero, and eighty
    years sit in a sliver at the end of an axis from 0 to 2,200.  The book's
    tests apply this to every chart in the built pages.
    """
    datasets = spec.get("datasets", {})
    found: list[str] = []

    def values_of(data: Any, inherited: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if isinstance(data, dict) and "name" in data:
            return list(datasets.get(data["name"], []))
        if isinstance(data, dict) and "values" in data:
            return list(data["values"])
        return inherited

    def walk(node: Any, rows: list[dict[str, Any]], where: str) -> None:
        if isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, rows, f"{where}[{index}]")
            return
        if not isinstance(node, dict):
            return
        rows = values_of(node.get("data"), rows)
        for channel, encoding in (node.get("encoding") or {}).items():
            if channel in {"x", "y"} and isinstance(encoding, dict):
                problem = _time_scale_from_zero(encoding, rows)
                if problem:
                    found.append(f"{where}.encoding.{channel} ({encoding.get('field')}): {problem}")
        for key in ("layer", "spec", "concat", "hconcat", "vconcat"):
            if key in node:
                walk(node[key], rows, f"{where}.{key}")

    walk(spec, [], "spec")
    return found


def _time_scale_from_zero(encoding: dict[str, Any], rows: list[dict[str, Any]]) -> str | None:
    field, kind = encoding.get("field"), encoding.get("type")
    if not isinstance(field, str) or kind not in {"quantitative", "temporal"} or encoding.get("bin"):
        return None
    title = encoding.get("title") or (encoding.get("axis") or {}).get("title") or ""
    values = [row.get(field) for row in rows if isinstance(row, dict)]
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    in_range = all(_YEAR_RANGE[0] <= v <= _YEAR_RANGE[1] for v in numbers)
    years = bool(numbers) and len(numbers) == len(values) and in_range
    if kind == "quantitative" and not (_TIME_NAME.search(field) or _TIME_TITLE.search(str(title)) or years):
        return None
    scale = encoding.get("scale", {})
    if scale is None:
        return None
    domain = scale.get("domain")
    if scale.get("zero") is True:
        return "the scale sets zero: true"
    if isinstance(domain, list) and domain and isinstance(domain[0], int | float) and domain[0] <= 0:
        return f"the scale's domain starts at {domain[0]}"
    if kind == "quantitative" and "zero" not in scale and domain is None:
        return "a quantitative scale with neither zero: false nor a domain starts at zero"
    return None
