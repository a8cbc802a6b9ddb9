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

The builders (:func:`bar_chart`, :func:`interval_chart`, :func:`heatmap`,
:func:`scatter`) each require a title, axis titles (state the unit:
``"Rate (per 1,000 tokens)"``) and tooltip fields, because a figure without them
does not earn its place.  Chapters may also build Altair charts directly and
pass them to :func:`show`; the book's theme (:func:`book_theme`) is applied
inside :func:`show`, never enabled as a side effect on Altair's global settings.

The modules, by what they hold:

- :mod:`~fplang.book.charts.theme`: the text column's sizes, fonts, colours and the Altair theme.
- :mod:`~fplang.book.charts.axes`: axes and facet panels the builders share, the checks on
  their labels, and :func:`time_scales_from_zero`, the check that no year axis starts at zero.
- :mod:`~fplang.book.charts.bars`: :func:`bar_chart` and :func:`interval_chart`.
- :mod:`~fplang.book.charts.heatmap`: :func:`heatmap`.
- :mod:`~fplang.book.charts.scatter`: :func:`scatter`, with the diagonal y = x.
- :mod:`~fplang.book.charts.output`: :func:`show` and the chart's HTML, PNG and CSV.

Chapters use the names below (``charts.show``, ``charts.heatmap``...), not the modules.
"""

from fplang.book.charts.axes import ChartSpecError, highlight_scale, panel_width, time_scales_from_zero, wrap_label
from fplang.book.charts.bars import bar_chart, interval_chart
from fplang.book.charts.heatmap import heatmap
from fplang.book.charts.output import (
    CHART_ID_PREFIX,
    CSV_FLOAT_DECIMALS,
    MAX_CHART_ROWS,
    PNG_SCALE,
    ChartNameError,
    ChartOutput,
    chart_html,
    chart_png,
    chart_spec,
    drawn_width,
    fit_text_column,
    save_chart_table,
    script_safe_json,
    show,
    table_csv,
)
from fplang.book.charts.scatter import scatter
from fplang.book.charts.theme import (
    CHART_HEIGHT,
    CHART_WIDTH,
    HEATMAP_RAMP,
    OKABE_ITO,
    TEXT_COLUMN_WIDTH,
    THEME_NAME,
    TITLE_CHARACTERS,
    book_theme,
    register_book_theme,
    vega_lite_version,
)

__all__ = [
    "CHART_HEIGHT",
    "CHART_ID_PREFIX",
    "CHART_WIDTH",
    "CSV_FLOAT_DECIMALS",
    "HEATMAP_RAMP",
    "MAX_CHART_ROWS",
    "OKABE_ITO",
    "PNG_SCALE",
    "TEXT_COLUMN_WIDTH",
    "THEME_NAME",
    "TITLE_CHARACTERS",
    "ChartNameError",
    "ChartOutput",
    "ChartSpecError",
    "bar_chart",
    "book_theme",
    "chart_html",
    "chart_png",
    "chart_spec",
    "drawn_width",
    "fit_text_column",
    "heatmap",
    "highlight_scale",
    "interval_chart",
    "panel_width",
    "register_book_theme",
    "save_chart_table",
    "scatter",
    "script_safe_json",
    "show",
    "table_csv",
    "time_scales_from_zero",
    "vega_lite_version",
    "wrap_label",
]
