"""How a chart reaches the page: :func:`show`, its HTML, PNG and CSV, fitted to the text column."""

from __future__ import annotations

import base64
import html
import json
import math
import os
import re
import textwrap
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import altair as alt
import pandas as pd
import vl_convert

from fplang.book.charts.axes import ChartSpecError
from fplang.book.charts.theme import (
    DRAWN_MARGIN,
    TEXT_COLUMN_WIDTH,
    THEME_NAME,
    TITLE_CHARACTERS,
    register_book_theme,
    vega_lite_version,
)
from fplang.errors import FplangError
from fplang.files import write_atomic

CHART_ID_PREFIX = "fplang-chart-"
"""Prefix of the HTML id of every chart: ``fplang-chart-<name>``."""


PNG_SCALE = 2
"""Scale factor of the PNG rendering (2 = sharp in print and on HiDPI screens)."""


CSV_FLOAT_DECIMALS = 6
"""Decimal places of every float in a chart's CSV table (fixed, for stable diffs)."""


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
    note: str = ""
    """A sentence set above the chart, e.g. what a large corpus's chart draws of it (:mod:`fplang.analysis.sizes`)."""

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
        note = f'<p class="fplang-chart-note">{html.escape(self.note)}</p>\n' if self.note else ""
        return note + chart_html(self.spec, self.element_id, self.name, self.csv, len(self.data))

    @cached_property
    def png(self) -> bytes:
        """PNG image of the chart at :data:`PNG_SCALE`, drawn offline by vl-convert."""
        return chart_png(self.spec)

    @property
    def text(self) -> str:
        """One-line plain-text stand-in naming the chart."""
        return f"[chart {self.name}: {title_text(self.spec)}; {len(self.data)} data rows]"

    def _repr_mimebundle_(
        self, include: Any = None, exclude: Any = None
    ) -> dict[str, str | bytes]:
        """IPython display hook: HTML for the web book, PNG for LaTeX, text otherwise."""
        return {"text/html": self.html, "image/png": self.png, "text/plain": self.text}

    def __repr__(self) -> str:
        # IPython falls back on repr(); keep it free of memory addresses.
        return f"ChartOutput(name={self.name!r})"


def show(chart: alt.TopLevelMixin, data: pd.DataFrame, name: str, note: str = "") -> ChartOutput:
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
    if not title_text(spec).strip():
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
    return ChartOutput(name=name, spec=fit_text_column(spec), data=data, note=note)


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


def drawn_width(spec: dict[str, Any]) -> float:
    """The width in CSS pixels of ``spec`` as drawn (by vl-convert, offline): axes, legends and padding included."""
    svg = vl_convert.vegalite_to_svg(spec, vl_version=vega_lite_version(), allowed_base_urls=[])
    match = re.search(r'<svg[^>]*\bwidth="([\d.]+)"', svg)
    return float(match.group(1)) if match else 0.0


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
    label = html.escape(title_text(spec), quote=True)
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


def save_chart_table(data: pd.DataFrame, path: str | os.PathLike[str]) -> Path:
    """Write ``data`` as CSV to ``path`` atomically; return the path written.

    The text is :func:`table_csv` (no index, floats to
    :data:`CSV_FLOAT_DECIMALS` places, ``\\n`` line ends, UTF-8), so the same
    frame always gives the same bytes.  The file is first written to a
    temporary file in the same folder and then moved over ``path`` with
    ``os.replace``, so a reader never sees half a file.  Missing parent folders
    are created.  The rows are written as pandas formats them, a chunk at a
    time, never held whole in memory: a million sentences with their text are
    300 MB of CSV, which as one string and its UTF-8 copy took 900 MB more.
    """
    return write_atomic(
        Path(path),
        lambda temporary: data.to_csv(
            temporary, index=False, float_format=f"%.{CSV_FLOAT_DECIMALS}f", lineterminator="\n", encoding="utf-8"
        ),
    )


def _check_name(name: str) -> None:
    if not isinstance(name, str) or not _NAME_RE.fullmatch(name) or len(name) > _NAME_MAX_LENGTH:
        raise ChartNameError(
            f"chart name {name!r} is not a slug: use lower-case ASCII letters and digits "
            f"in words joined by single hyphens, at most {_NAME_MAX_LENGTH} characters "
            "(e.g. 'keyness-by-period')"
        )


def title_text(spec: dict[str, Any]) -> str:
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
