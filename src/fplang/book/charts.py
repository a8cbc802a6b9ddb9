"""The book's charts: small Altair builders and one way to show them.

Every chart in the book reaches the page through :func:`show`, which returns a
:class:`ChartOutput`.  In a notebook that object displays as

* ``text/html``: a ``<div>`` with an id derived from the caller's ``name``, a
  ``<script>`` that draws the chart with the *local* ``vegaEmbed`` (served from
  the book's own ``_static`` by :mod:`fplang.book.sphinxext`, so nothing is fetched
  from the network), and a link that downloads the chart's table as CSV from a
  ``data:`` URL (works offline, no files to manage);
* ``image/png``: the same chart drawn by vl-convert at scale 2, which the
  LaTeX/PDF build picks;
* ``text/plain``: one line naming the chart, for plain-text front ends.

Everything is deterministic: the same chart, data and name give byte-identical
output, so re-executing a notebook leaves its outputs unchanged.

Document text ends up in charts (labels, tooltips).  It is made inert twice:
the spec embedded in the ``<script>`` escapes ``<``, ``>`` and ``&`` as JSON
``\\u003c``-style escapes (so ``</script>`` or ``<!--`` in the data cannot end
or disturb the script element), and the tooltips use vega-tooltip's default
handler, which HTML-escapes every value before showing it.

The builders (:func:`bar_chart`, :func:`line_chart`, :func:`heatmap`,
:func:`scatter`, :func:`timeline`, :func:`small_multiples`) each require a
title, axis titles (state the unit: ``"Rate (per 1,000 tokens)"``) and tooltip
fields, because a figure without them does not earn its place.  Chapters may
also build Altair charts directly and pass them to :func:`show`; the book's
theme (:func:`book_theme`) is applied inside :func:`show`, never enabled as a
side effect on Altair's global settings.
"""

from __future__ import annotations

import base64
import html
import json
import math
import os
import re
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import vl_convert

from fplang.errors import FplangError
from fplang.files import write_bytes

THEME_NAME = "fplang"
"""Name under which :func:`book_theme` is registered with ``alt.theme``."""

CHART_ID_PREFIX = "fplang-chart-"
"""Prefix of the HTML id of every chart: ``fplang-chart-<name>``."""

PNG_SCALE = 2
"""Scale factor of the PNG rendering (2 = sharp in print and on HiDPI screens)."""

CSV_FLOAT_DECIMALS = 6
"""Decimal places of every float in a chart's CSV table (fixed, for stable diffs)."""

FONT_FAMILY = '"Noto Sans", "DejaVu Sans", FreeSans, "Liberation Sans", Arial, sans-serif'
"""Chart font stack; every named family covers Vietnamese diacritics."""

OKABE_ITO = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#CC79A7",
    "#56B4E9",
    "#D55E00",
    "#F0E442",
    "#000000",
)
"""Okabe & Ito's colour-blind-safe palette, blue first and low-contrast yellow late."""

TEXT_COLUMN_WIDTH = 688
"""Width in CSS pixels of the book's text column in a 1280 px window: no chart is wider."""

CHART_WIDTH = 680
"""Width in CSS pixels of a single chart, its axes, labels, legend and padding included (the column less FIT_MARGIN)."""

CHART_HEIGHT = 320
"""Height in CSS pixels of the plot area of a single continuous chart."""

PADDING = 8
"""Space around every chart, in CSS pixels."""

FACET_SPACING = 16
"""Space between two facet panels, in CSS pixels."""

AXIS_ROOM = 64
"""Room for a quantitative y axis shared by a row of panels: its title and labels."""

PANEL_AXIS_ROOM = 34
"""Room for each panel's own y axis (labels only) when the panels have independent scales."""

LABEL_ROOM = 250
"""Room for a categorical axis's labels (the theme's label limit) and their ticks."""

INDEPENDENT_RATIO = 3.0
"""Panels whose largest values differ more than this many times get their own scales."""

AXIS_LABEL_LIMIT = 240
"""Longest axis label in CSS pixels; a longer one is cut with an ellipsis (wrap it instead)."""

DRAWN_MARGIN = 24
"""Pixels kept free at the right of a chart sized by a trial drawing: Chromium sets some labels (rotated
ones most) up to about a dozen pixels wider than vl-convert measures them."""

FIT_MARGIN = TEXT_COLUMN_WIDTH - CHART_WIDTH
"""Pixels kept free at the right of the column: a browser may set labels a little wider than vl-convert."""

TITLE_CHARACTERS = 66
"""A chart title longer than this is set on several lines, so it stays inside the column."""

HEATMAP_RAMP = ("#ffffff", "#08306b")
"""A heatmap's colours, from zero to its largest value: white to ColorBrewer's darkest blue."""

MAX_CHART_ROWS = 5000
"""Most rows one data set of a chart may have (each is inlined in the HTML page)."""

_NAME_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
_NAME_MAX_LENGTH = 80

# Characters that could end or disturb an HTML <script> element ("</script>",
# "<!--", "-->") or break JavaScript parsing, written as JSON escapes instead.
_SCRIPT_ESCAPES = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}

_EMBED_OPTIONS = {"actions": False, "mode": "vega-lite", "renderer": "svg", "tooltip": True}
"""vegaEmbed options; ``tooltip: true`` selects vega-tooltip's sanitising default."""


class ChartSpecError(FplangError, ValueError):
    """A chart lacks something the book requires (a title, an axis title, tooltips...)."""


class ChartNameError(FplangError, ValueError):
    """A chart name cannot serve as an HTML id and CSV file name."""


@dataclass(frozen=True, eq=False)
class ChartOutput:
    """A chart ready to display: what :func:`show` returns.

    Attributes
    ----------
    name
        Slug naming the chart (``[a-z0-9]`` words joined by ``-``); gives the
        HTML id ``fplang-chart-<name>`` and the download name ``<name>.csv``.
    spec
        Vega-Lite spec with the book's theme merged in and no ``$schema`` URL.
    data
        The table offered for download, as given to :func:`show`.
    """

    name: str
    spec: dict[str, Any]
    data: pd.DataFrame

    @property
    def element_id(self) -> str:
        """HTML id of the element the chart is drawn into."""
        return CHART_ID_PREFIX + self.name

    @cached_property
    def csv(self) -> str:
        """The data as CSV text (see :func:`table_csv`)."""
        return table_csv(self.data)

    @cached_property
    def html(self) -> str:
        """HTML fragment: chart container, drawing script and CSV download link."""
        return chart_html(self.spec, self.element_id, self.name, self.csv, len(self.data))

    @cached_property
    def png(self) -> bytes:
        """PNG image of the chart at :data:`PNG_SCALE`, drawn offline by vl-convert."""
        return chart_png(self.spec)

    @property
    def text(self) -> str:
        """One-line plain-text stand-in naming the chart."""
        return f"[chart {self.name}: {_title_text(self.spec)}; {len(self.data)} data rows]"

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> dict[str, str | bytes]:
        """IPython display hook: HTML for the web book, PNG for LaTeX, text otherwise."""
        return {"text/html": self.html, "image/png": self.png, "text/plain": self.text}

    def __repr__(self) -> str:
        # IPython falls back on repr(); keep it free of memory addresses.
        return f"ChartOutput(name={self.name!r})"


def show(chart: alt.TopLevelMixin, data: pd.DataFrame, name: str) -> ChartOutput:
    """Prepare ``chart`` for display in the book, with ``data`` as its download.

    Parameters
    ----------
    chart
        Any top-level Altair chart (single, layered, faceted, concatenated).
        It must have a non-empty top-level title and must carry its data
        inline (no ``url`` data: the book works offline).
    data
        The table the reader can download as ``<name>.csv`` — usually the
        data the chart draws, in tidy form.  Its index is not written.
    name
        Slug unique within the page: lower-case ASCII letters and digits in
        words joined by single hyphens, at most 80 characters.

    Returns
    -------
    ChartOutput
        Displays as HTML (web), PNG (LaTeX) or one line of text.

    Raises
    ------
    ChartNameError
        If ``name`` is not a slug.
    ChartSpecError
        If the chart has no title, loads data from a URL, or inlines more than
        :data:`MAX_CHART_ROWS` rows.
    TypeError
        If ``data`` is not a DataFrame.
    """
    _check_name(name)
    if not isinstance(data, pd.DataFrame):
        raise TypeError(
            f"show(name={name!r}): data must be a pandas DataFrame, got {type(data).__name__}"
        )
    spec = _wrap_title(chart_spec(chart))
    if not _title_text(spec).strip():
        raise ChartSpecError(
            f"show(name={name!r}): the chart has no title; give it one that states "
            "the finding, e.g. chart.properties(title='...')"
        )
    url_path = _find_url_data(spec)
    if url_path is not None:
        raise ChartSpecError(
            f"show(name={name!r}): the chart loads data from a URL at {url_path}; "
            "pass a DataFrame instead so the book works offline"
        )
    return ChartOutput(name=name, spec=fit_text_column(spec), data=data)


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
    _check_labels("bar_chart", title=title, x_title=x_title, y_title=y_title)
    tooltip_fields = _check_tooltip("bar_chart", tooltip)
    category_sort = alt.Undefined if sort is None else sort
    categorical_is_x = _is_discrete(x)
    x_encoding = _position(alt.X, x, x_title, sort=category_sort if categorical_is_x else None)
    y_encoding = _position(alt.Y, y, y_title, sort=None if categorical_is_x else category_sort)
    encoding: dict[str, Any] = {"x": x_encoding, "y": y_encoding, "tooltip": tooltip_fields}
    if color is not None:
        encoding["color"] = alt.Color(color, title=color_title)
    chart = alt.Chart(data).mark_bar().encode(**encoding).properties(title=title)
    return chart if categorical_is_x else _fit_width(chart)


def line_chart(
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
    points: bool = True,
) -> alt.TopLevelMixin:
    """Lines of ``y`` over ``x`` (usually time), one line per ``color`` value.

    ``points=True`` marks every observation, so sparse series (one speech a
    year) stay readable and each point carries the tooltip.  ``x_format`` is a
    d3-format/time-format string for the x labels: give ``"d"`` for years held
    as numbers, or they print as "1,990".  A year or date axis spans the data,
    not zero (:func:`time_scales_from_zero`).

    Raises
    ------
    ChartSpecError
        If a title is empty or ``tooltip`` names no field.
    """
    _check_labels("line_chart", title=title, x_title=x_title, y_title=y_title)
    tooltip_fields = _check_tooltip("line_chart", tooltip)
    encoding: dict[str, Any] = {
        "x": _position(alt.X, x, x_title, label_format=x_format),
        "y": _position(alt.Y, y, y_title),
        "tooltip": tooltip_fields,
    }
    if color is not None:
        encoding["color"] = alt.Color(color)
    return _fit_width(alt.Chart(data).mark_line(point=points).encode(**encoding).properties(title=title))


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
    the rows made tall enough for them.

    Raises
    ------
    ChartSpecError
        If a title is empty or ``tooltip`` names no field.
    """
    _check_labels(
        "heatmap", title=title, x_title=x_title, y_title=y_title, color_title=color_title
    )
    tooltip_fields = _check_tooltip("heatmap", tooltip)
    row_height = cell[1]
    if y_wrap and _is_discrete(y):
        field = _field_of(y)
        data = data.assign(**{field: data[field].map(lambda text: wrap_label(str(text), y_wrap))})
        y_sort = None if y_sort is None else [wrap_label(str(v), y_wrap) for v in y_sort]
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
            axis=alt.Axis(labelExpr="split(datum.label, '|')") if y_wrap else alt.Undefined,
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
        field = _field_of(color)
        layers.append(
            base.mark_text(fontSize=11).encode(
                text=alt.Text(labels),
                color=alt.condition(
                    f"datum['{field}'] > 0.6 * {_max_of(data, field)}", alt.value("white"), alt.value("#222222")
                ),
            )
        )
    chart = alt.layer(*layers) if len(layers) > 1 else layers[0]
    return chart.properties(title=title, width=alt.Step(cell[0]), height=alt.Step(row_height))


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
    _check_labels("scatter", title=title, x_title=x_title, y_title=y_title)
    tooltip_fields = _check_tooltip("scatter", tooltip)
    label_expr = "split(datum.label, '|')" if y_wrap else None
    y_values = data
    if y_wrap and _is_discrete(y):
        field = _field_of(y)
        y_values = data.assign(**{field: data[field].map(lambda text: wrap_label(str(text), y_wrap))})
        y_sort = None if y_sort is None else [wrap_label(str(v), y_wrap) for v in y_sort]
        lines = max((label.count("|") + 1 for label in y_values[field].astype(str)), default=1)
        y_step = y_step or 15 * lines + 8
    x_encoding = _position(alt.X, x, x_title, label_format=x_format, domain=x_domain)
    y_encoding = _position(alt.Y, y, y_title, sort=None if y_sort is None else list(y_sort), label_expr=label_expr)
    encoding: dict[str, Any] = {"x": x_encoding, "y": y_encoding, "tooltip": tooltip_fields}
    if color is not None:
        encoding["color"] = alt.Color(color, title=color_title)
    if size is not None:
        encoding["size"] = alt.Size(size)
    if shape is not None:
        encoding["shape"] = alt.Shape(shape, title=color_title if shape == color else alt.Undefined)
        points = alt.Chart(y_values).mark_point(filled=True, size=80, opacity=0.8)
    else:
        points = alt.Chart(y_values).mark_circle(opacity=0.7, size=50)
    chart: Any = points.encode(**encoding)  # a Chart, or a LayerChart once the diagonal is added
    if identity is not None:
        chart = alt.layer(_identity_line(data, x, y, identity), chart)
    if y_step is not None:
        chart = chart.properties(height=alt.Step(y_step))
    return _fit_width(chart.properties(title=title))


def timeline(
    data: pd.DataFrame,
    start: str,
    end: str,
    label: str,
    *,
    title: str,
    x_title: str,
    y_title: str,
    tooltip: Sequence[str],
    x_format: str | None = None,
    color: str | None = None,
) -> alt.TopLevelMixin:
    """One horizontal bar per ``label`` spanning ``start`` to ``end`` (e.g. periods).

    ``start`` and ``end`` are shorthands of the same type (``"start:T"`` and
    ``"end:T"``, or ``"start_year:Q"`` and ``"end_year:Q"``); the rows keep the
    data's order, so sort the frame chronologically first.  The x scale does
    not start at zero; ``x_format="d"`` prints numeric years without a comma.

    Raises
    ------
    ChartSpecError
        If a title is empty or ``tooltip`` names no field.
    """
    _check_labels("timeline", title=title, x_title=x_title, y_title=y_title)
    tooltip_fields = _check_tooltip("timeline", tooltip)
    encoding: dict[str, Any] = {
        "x": alt.X(start, title=x_title, axis=_axis(x_format), scale=alt.Scale(zero=False)),
        "x2": alt.X2(_field_of(end)),
        "y": alt.Y(label, title=y_title, sort=None),
        "tooltip": tooltip_fields,
    }
    if color is not None:
        encoding["color"] = alt.Color(color)
    return _fit_width(alt.Chart(data).mark_bar().encode(**encoding).properties(title=title))


def small_multiples(
    data: pd.DataFrame,
    x: str,
    y: str,
    facet: str,
    *,
    title: str,
    x_title: str,
    y_title: str,
    tooltip: Sequence[str],
    x_format: str | None = None,
    mark: str = "line",
    color: str | None = None,
    columns: int = 3,
    panel_height: int = 120,
    y_scales: str = "auto",
) -> alt.FacetChart:
    """One small panel per ``facet`` value, wrapped ``columns`` per row, together as wide as the text column.

    ``mark`` is ``"line"``, ``"bar"`` or ``"point"``.  With ``y_scales="auto"``
    the panels share the y scale, so heights compare across panels, unless
    their largest values differ more than :data:`INDEPENDENT_RATIO`-fold:
    then each panel gets its own scale (a shared one would flatten the small
    series) and the subtitle says so.  ``"shared"`` and ``"independent"``
    force either.  ``x_format`` formats the x labels (``"d"`` for numeric
    years); a year axis spans the data, never zero.

    Raises
    ------
    ChartSpecError
        If a title is empty, ``tooltip`` names no field, ``mark`` is unknown
        or ``columns`` is not positive.
    """
    _check_labels("small_multiples", title=title, x_title=x_title, y_title=y_title)
    tooltip_fields = _check_tooltip("small_multiples", tooltip)
    base = alt.Chart(data)
    marks = {
        "line": base.mark_line(point=True),
        "bar": base.mark_bar(),
        "point": base.mark_point(),
    }
    if mark not in marks:
        raise ChartSpecError(f"small_multiples: mark={mark!r} is not one of {sorted(marks)}")
    if columns < 1:
        raise ChartSpecError(f"small_multiples: columns={columns} must be at least 1")
    independent = _independent_scales(data, _field_of(facet), [_field_of(y)], y_scales)
    encoding: dict[str, Any] = {
        "x": _position(alt.X, x, x_title, label_format=x_format),
        "y": _position(alt.Y, y, None),
        "tooltip": tooltip_fields,
    }
    if color is not None:
        encoding["color"] = alt.Color(color)
    width = panel_width(columns, independent=independent)
    panel = marks[mark].encode(**encoding).properties(width=width, height=panel_height)
    return _facet(panel, facet, columns, title, y_title, independent)


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
    _check_labels("interval_chart", title=title, x_title=x_title, y_title=y_title)
    tooltip_fields = _check_tooltip("interval_chart", tooltip)
    independent = facet is not None and _independent_scales(
        data, _field_of(facet), [_field_of(high), _field_of(y)], y_scales
    )
    # Vertical panels give the value's unit once, in the subtitle; horizontal ones under each panel.
    value_title = None if (facet is not None and not horizontal) else y_title
    place_channel, value_channel = (alt.Y, alt.X) if horizontal else (alt.X, alt.Y)
    place_name, value_name = ("y", "x") if horizontal else ("x", "y")
    # Panels of horizontal intervals name their categories in the labels; a title on each row would crowd them.
    place_title = None if (horizontal and facet is not None) else x_title
    place = _position(
        place_channel, x, place_title, label_format=x_format, sort=None if x_sort is None else list(x_sort)
    )
    extra: dict[str, Any] = {}
    if color is not None:
        scale = color_scale if color_scale is not None else alt.Undefined
        extra["color"] = alt.Color(color, title=color_title, scale=scale)
        if dodge:
            extra["yOffset" if horizontal else "xOffset"] = (alt.YOffset if horizontal else alt.XOffset)(color)
    base = alt.Chart(data)
    bars = base.mark_rule(strokeWidth=2, opacity=0.6).encode(
        **{
            place_name: place,
            value_name: _position(value_channel, low, value_title),
            f"{value_name}2": _second(value_channel, high),
        },
        tooltip=tooltip_fields,
        **extra,
    )
    points = base.mark_point(filled=True, size=45, opacity=1).encode(
        **{place_name: place, value_name: _position(value_channel, y, value_title)}, tooltip=tooltip_fields, **extra
    )
    rules = [
        base.mark_rule(strokeDash=[4, 3], color="#999999", strokeWidth=1).encode(**{place_name: alt.datum(value)})
        for value in x_marks
    ]
    layered = alt.layer(*rules, bars, points)
    if facet is None:
        return _fit_width(layered.properties(title=title))
    width = panel_width(columns, independent=independent and not horizontal, label_room=LABEL_ROOM if horizontal else 0)
    sized = layered.properties(width=width, height=alt.Step(22) if horizontal else panel_height)
    value_unit = None if horizontal else y_title
    return _facet(sized, facet, columns, title, value_unit, independent, independent_channel=value_name)


def drawn_width(spec: dict[str, Any]) -> float:
    """The width in CSS pixels of ``spec`` as drawn (by vl-convert, offline): axes, legends and padding included."""
    svg = vl_convert.vegalite_to_svg(spec, vl_version=vega_lite_version(), allowed_base_urls=[])
    match = re.search(r'<svg[^>]*\bwidth="([\d.]+)"', svg)
    return float(match.group(1)) if match else 0.0


def fit_text_column(spec: dict[str, Any], attempts: int = 4) -> dict[str, Any]:
    """``spec`` narrowed, if need be, until it is drawn inside the text column.

    Facet panels and stepped categorical views are sized before their labels
    are known; this draws the chart, and where it is wider than
    :data:`TEXT_COLUMN_WIDTH` less :data:`DRAWN_MARGIN`, takes the excess off
    the panels' width (shared among the columns) or off the category step,
    and draws it again.  Single continuous views are already fitted by
    Vega-Lite (``autosize: fit-x``) and come back unchanged.
    """
    autosize = spec.get("autosize")
    if isinstance(autosize, dict) and str(autosize.get("type", "")).startswith("fit") and "facet" not in spec:
        return spec  # Vega-Lite fits it to its width already; no need to draw it
    fitted = json.loads(json.dumps(spec))
    target = TEXT_COLUMN_WIDTH - DRAWN_MARGIN
    drawn = drawn_width(fitted)
    for _ in range(attempts):
        excess = drawn - target
        if excess <= 0:
            return fitted
        inner = fitted.get("spec", fitted) if "facet" in fitted else fitted
        width = inner.get("width")
        if isinstance(width, int | float):
            columns = max(int(fitted.get("columns", 1)), 1) if "facet" in fitted else 1
            inner["width"] = max(int(width - math.ceil(excess / columns)), 40)
        elif isinstance(width, dict) and "step" in width:
            width["step"] = max(int(width["step"] * (1 - excess / max(drawn, 1.0))) - 1, 8)
        else:
            return fitted
        narrower = drawn_width(fitted)
        if narrower >= drawn:  # something else (a legend, a title) sets the width: narrowing cannot help
            return fitted
        drawn = narrower
    return fitted


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


def panel_width(columns: int, *, independent: bool = False, label_room: int = 0) -> int:
    """Width of one facet panel so that ``columns`` of them fit the text column.

    The text column holds the chart's padding, one shared axis (or one axis
    per panel when the panels have ``independent`` scales), ``label_room``
    for a categorical axis's labels, and the spacing between panels.
    """
    axes = columns * PANEL_AXIS_ROOM if independent else AXIS_ROOM
    room = TEXT_COLUMN_WIDTH - 2 * PADDING - axes - label_room - (columns - 1) * FACET_SPACING
    return max(room // columns, 60)


def _facet(
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


def _independent_scales(data: pd.DataFrame, facet: str, fields: Sequence[str], mode: str) -> bool:
    """Whether panels need their own scales: their largest values differ more than INDEPENDENT_RATIO-fold."""
    if mode not in {"auto", "shared", "independent"}:
        raise ChartSpecError(f"y_scales={mode!r} is not one of 'auto', 'shared', 'independent'")
    if mode != "auto" or data.empty:
        return mode == "independent"
    tops = data.groupby(facet)[list(fields)].max().max(axis=1).astype(float)
    if tops.max() <= 0:
        return False
    return bool(tops.min() <= 0 or tops.max() / tops.min() > INDEPENDENT_RATIO)


def _position(
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
    if _is_time_field(shorthand, title):
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


def _second(channel: Any, shorthand: str) -> Any:
    return (alt.X2 if channel is alt.X else alt.Y2)(_field_of(shorthand))


def _is_time_field(shorthand: str, title: str | None) -> bool:
    kind = shorthand.rsplit(":", 1)[-1] if ":" in shorthand else ""
    if kind in {"T", "temporal"}:
        return True
    return kind in {"Q", "quantitative"} and bool(
        _TIME_NAME.search(_field_of(shorthand)) or _TIME_TITLE.search(title or "")
    )


def _fit_width(chart: alt.TopLevelMixin) -> alt.TopLevelMixin:
    """The chart as wide as the text column, its axes, labels and legend included."""
    return chart.properties(width=CHART_WIDTH, autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


def _identity_line(data: pd.DataFrame, x: str, y: str, label: str) -> Any:
    """The diagonal y = x over the data's x range, with ``label`` at its upper end."""
    x_field, y_field = _field_of(x), _field_of(y)
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


def _max_of(data: pd.DataFrame, field: str) -> float:
    values = pd.to_numeric(data[field], errors="coerce") if field in data else pd.Series(dtype=float)
    top = values.max()
    return float(top) if pd.notna(top) else 0.0


def save_chart_table(data: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write ``data`` as CSV to ``path`` atomically; return the path written.

    The text is :func:`table_csv` (no index, floats to
    :data:`CSV_FLOAT_DECIMALS` places, ``\\n`` line ends, UTF-8), so the same
    frame always gives the same bytes.  The file is first written to a
    temporary file in the same folder and then moved over ``path`` with
    ``os.replace``, so a reader never sees half a file.  Missing parent folders
    are created.
    """
    return write_bytes(Path(path), table_csv(data).encode("utf-8"))


def table_csv(data: pd.DataFrame) -> str:
    """``data`` as CSV text: no index, fixed-precision floats, ``\\n`` line ends.

    Floats are written with :data:`CSV_FLOAT_DECIMALS` decimals (``2.5`` becomes
    ``2.500000``); missing values are empty fields.
    """
    return data.to_csv(
        index=False,
        float_format=f"%.{CSV_FLOAT_DECIMALS}f",
        lineterminator="\n",
    )


def chart_spec(chart: alt.TopLevelMixin) -> dict[str, Any]:
    """Vega-Lite spec of ``chart`` with the book's theme, inline data and no ``$schema``.

    The theme and Altair's default data transformer are enabled only for the
    duration of the call (Altair restores the previous settings), so a
    reader's own Altair settings neither leak in nor get changed.  The
    ``$schema`` URL is dropped: vegaEmbed is told the mode explicitly and the
    page must hold no external address.

    Raises
    ------
    ChartSpecError
        If a data set of the chart has more than :data:`MAX_CHART_ROWS` rows
        (they would all be inlined in the page).
    """
    register_book_theme()
    try:
        with alt.theme.enable(THEME_NAME), alt.data_transformers.enable(
            "default", max_rows=MAX_CHART_ROWS
        ):
            spec = chart.to_dict()
    except alt.MaxRowsError as error:
        raise ChartSpecError(
            f"the chart's data has more than {MAX_CHART_ROWS:,} rows, all of which would be "
            "written into the page; aggregate it first (e.g. one row per period and term)"
        ) from error
    spec.pop("$schema", None)
    return spec


def chart_html(
    spec: dict[str, Any], element_id: str, name: str, csv_text: str, row_count: int
) -> str:
    """HTML fragment drawing ``spec`` into ``element_id``, plus a CSV download link.

    The script waits for ``DOMContentLoaded`` while the page is still loading,
    so it works whether the vega bundle is loaded in ``<head>`` (plain or
    ``defer``) or at the end of ``<body>``.  If the bundle is absent (e.g. in
    JupyterLab) it writes a short notice instead of failing silently.
    """
    spec_js = script_safe_json(spec)
    options_js = script_safe_json(_EMBED_OPTIONS)
    id_js = script_safe_json("#" + element_id)
    csv_base64 = base64.b64encode(csv_text.encode("utf-8")).decode("ascii")
    label = html.escape(_title_text(spec), quote=True)
    script = (
        "(function () {\n"
        f"  var target = {id_js};\n"
        "  function draw() {\n"
        "    var element = document.querySelector(target);\n"
        "    if (typeof window.vegaEmbed !== 'function') {\n"
        "      element.textContent = 'This chart needs the book\\u2019s local Vega bundle "
        "(fplang-vega.js); its data can be downloaded below.';\n"
        "      return;\n"
        "    }\n"
        f"    window.vegaEmbed(target, {spec_js}, {options_js})"
        ".catch(function (error) { element.textContent = 'Chart failed to draw: ' + error; });\n"
        "  }\n"
        "  if (document.readyState === 'loading') {\n"
        "    document.addEventListener('DOMContentLoaded', draw);\n"
        "  } else {\n"
        "    draw();\n"
        "  }\n"
        "})();"
    )
    rows = "row" if row_count == 1 else "rows"
    return (
        f'<div class="fplang-chart" style="overflow-x: auto">\n'
        f'<div id="{element_id}" class="fplang-chart-view" role="figure" '
        f'aria-label="{label}"></div>\n'
        f"<script>\n{script}\n</script>\n"
        f'<p class="fplang-chart-data"><a download="{name}.csv" '
        f'href="data:text/csv;charset=utf-8;base64,{csv_base64}">'
        f"Download the data behind this chart (CSV, {row_count:,} {rows})</a></p>\n"
        f"</div>"
    )


def chart_png(spec: dict[str, Any]) -> bytes:
    """PNG of ``spec`` at :data:`PNG_SCALE`, rendered by vl-convert with no network access."""
    return vl_convert.vegalite_to_png(
        spec, vl_version=vega_lite_version(), scale=PNG_SCALE, allowed_base_urls=[]
    )


def script_safe_json(value: Any) -> str:
    """JSON text of ``value`` that is safe inside an HTML ``<script>`` element.

    Keys are sorted and output is ASCII, so equal values give equal text.
    ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e``, ``\\u0026`` (so
    ``</script>``, ``<!--`` and ``-->`` cannot appear), as do U+2028/U+2029;
    the result is still valid JSON and a valid JavaScript expression.
    """
    text = json.dumps(
        value, sort_keys=True, ensure_ascii=True, separators=(",", ":"), allow_nan=False
    )
    return text.translate(_SCRIPT_ESCAPES)


def book_theme() -> alt.theme.ThemeConfig:
    """The book's Altair theme: readable fonts, colour-blind-safe colours, legends below the plot.

    Fonts fall back through families that cover Vietnamese diacritics; the
    categorical palette is Okabe–Ito (heatmaps set their own ramp, white to
    dark blue, :data:`HEATMAP_RAMP`); titles are left-aligned above
    the plot; legends sit below it, three entries to a row, so they take no
    width from the text column.  Width/height apply to single continuous
    views (``config.view``), so facets and bar steps keep their own sizes.
    """
    return alt.theme.ThemeConfig(
        config={
            "font": FONT_FAMILY,
            "background": "white",
            "padding": 8,
            "view": {
                "continuousWidth": CHART_WIDTH,
                "continuousHeight": CHART_HEIGHT,
                "stroke": None,
            },
            "title": {
                "anchor": "start",
                "fontSize": 16,
                "fontWeight": 600,
                "subtitleFontSize": 13,
                "offset": 12,
            },
            "axis": {
                "labelFontSize": 12,
                "titleFontSize": 13,
                "titleFontWeight": 600,
                "gridColor": "#e6e6e6",
                "labelLimit": AXIS_LABEL_LIMIT,
                # Vega places an axis title at most maxExtent (200 by default) from the axis: past
                # the longest label it must be, or the title overlaps the labels.
                "maxExtent": AXIS_LABEL_LIMIT + 16,
            },
            # On continuous axes the end labels stay inside the chart and crowded labels are thinned;
            # categorical axes keep every label (each names a row or a column).
            "axisQuantitative": {"labelFlush": True, "labelOverlap": True, "labelSeparation": 6},
            "axisTemporal": {"labelFlush": True, "labelOverlap": True, "labelSeparation": 6},
            "header": {
                "labelFontSize": 12,
                "titleFontSize": 13,
            },
            "legend": {
                "labelFontSize": 12,
                "titleFontSize": 13,
                "labelLimit": 260,
                "titleLimit": 600,
                "orient": "bottom",
                "direction": "horizontal",
                "columns": 3,
                "columnPadding": 14,
                "titleOrient": "top",
            },
            "range": {"category": list(OKABE_ITO)},
            "mark": {"color": OKABE_ITO[0]},
        }
    )


def register_book_theme() -> str:
    """Register :func:`book_theme` as ``alt.theme`` ``"fplang"`` (not enabled); return the name.

    Idempotent.  Enable it yourself for exploratory work with
    ``alt.theme.enable("fplang")``; :func:`show` applies it on its own.
    """
    if THEME_NAME not in alt.theme.names():
        alt.theme.register(THEME_NAME, enable=False)(book_theme)
    return THEME_NAME


def vega_lite_version() -> str:
    """Vega-Lite ``major.minor`` Altair writes specs for (e.g. ``"6.4"``), as vl-convert names it.

    Used for both the PNG rendering and the page's JavaScript bundle, so the
    web and print versions of a chart come from the same Vega-Lite.
    """
    major, minor = alt.SCHEMA_VERSION.lstrip("v").split(".")[:2]
    return f"{major}.{minor}"


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not _NAME_RE.fullmatch(name) or len(name) > _NAME_MAX_LENGTH:
        raise ChartNameError(
            f"chart name {name!r} is not a slug: use lower-case ASCII letters and digits "
            f"in words joined by single hyphens, at most {_NAME_MAX_LENGTH} characters "
            "(e.g. 'keyness-by-period')"
        )


def _check_labels(builder: str, **labels: str) -> None:
    for parameter, value in labels.items():
        if not isinstance(value, str) or not value.strip():
            raise ChartSpecError(
                f"{builder}: {parameter}={value!r} is empty; every chart needs a title "
                "stating its finding and axis titles naming the unit, "
                "e.g. y_title='Rate (per 1,000 tokens)'"
            )


def _check_tooltip(builder: str, tooltip: Sequence[str]) -> list[str]:
    if isinstance(tooltip, str):
        tooltip = [tooltip]
    fields = list(tooltip)
    if not fields or not all(isinstance(field, str) and field.strip() for field in fields):
        raise ChartSpecError(
            f"{builder}: tooltip={tooltip!r} must name at least one field, "
            "e.g. tooltip=['period:O', 'rate_per_1000:Q']"
        )
    return fields


def _axis(label_format: str | None) -> alt.Axis | Any:
    return alt.Undefined if label_format is None else alt.Axis(format=label_format)


def _is_discrete(shorthand: str) -> bool:
    return shorthand.rsplit(":", 1)[-1] in {"N", "O", "nominal", "ordinal"}


def _field_of(shorthand: str) -> str:
    return shorthand.rsplit(":", 1)[0] if ":" in shorthand else shorthand


def _title_text(spec: dict[str, Any]) -> str:
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        return " ".join(str(line) for line in title)
    return title if isinstance(title, str) else ""


def _wrap_title(spec: dict[str, Any]) -> dict[str, Any]:
    """``spec`` with a title longer than :data:`TITLE_CHARACTERS` set on several lines (no cut, no overflow)."""
    title = spec.get("title")
    text = title.get("text") if isinstance(title, dict) else title
    if not isinstance(text, str) or len(text) <= TITLE_CHARACTERS:
        return spec
    lines = textwrap.wrap(text, width=TITLE_CHARACTERS)
    wrapped = {**title, "text": lines} if isinstance(title, dict) else lines
    return {**spec, "title": wrapped}


def _find_url_data(node: Any, path: str = "spec") -> str | None:
    """Location of the first ``{"url": ...}`` data source in a spec, or None."""
    if isinstance(node, dict):
        data = node.get("data")
        if isinstance(data, dict) and "url" in data:
            return f"{path}.data"
        for key in sorted(node):
            if key in {"datasets", "values"}:
                continue  # inline data: strings there are text, not sources
            found = _find_url_data(node[key], f"{path}.{key}")
            if found is not None:
                return found
    elif isinstance(node, list):
        for index, item in enumerate(node):
            found = _find_url_data(item, f"{path}[{index}]")
            if found is not None:
                return found
    return None


_TIME_NAME = re.compile(r"year|decade", re.IGNORECASE)
_TIME_TITLE = re.compile(r"\b(?:year|decade|date)", re.IGNORECASE)
_YEAR_RANGE = (1500, 2100)
"""Values all within this range make a quantitative field a field of years."""


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
