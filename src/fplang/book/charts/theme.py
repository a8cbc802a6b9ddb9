"""The book's look for charts: sizes that keep a chart inside the text column, fonts, colours, the theme.

Every other module of :mod:`fplang.book.charts` sizes its charts from these numbers, so the
column width is written once.
"""

from __future__ import annotations

import altair as alt

THEME_NAME = "fplang"
"""Name under which :func:`book_theme` is registered with ``alt.theme``."""


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
            "axisQuantitative": {"labelOverlap": True, "labelSeparation": 6},
            "axisTemporal": {"labelOverlap": True, "labelSeparation": 6},
            # Only along x: flush on a y axis sets the "0" label above its tick, so marks at zero
            # seem to sit below the axis's zero.
            "axisXQuantitative": {"labelFlush": True},
            "axisXTemporal": {"labelFlush": True},
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
