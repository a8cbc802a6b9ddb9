"""Tests for fplang.book.charts (chart output, escaping, theme, CSV) and fplang.book.sphinxext."""

from __future__ import annotations

import base64
import html.parser
import io
import json
import os
import re
import struct
import subprocess
import sys
import textwrap
import zlib
from pathlib import Path

import altair as alt
import pandas as pd
import pytest
import vl_convert

from fplang.book import charts
from fplang.book.charts.heatmap import row_label_room
from fplang.book.sphinxext import BUNDLE_FILENAME, external_address, vega_bundle_source

HOSTILE_TEXTS = [
    "</script><script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<!-- <script>",
    "a & b --> c",
]

# Okabe & Ito (2008), "Color Universal Design", typed from the published table.
OKABE_ITO_PUBLISHED = {
    "#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000",
}

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def rates_table() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "period": ["1945–1954", "Đổi Mới (1986–2000)", "Hội nhập (2001–2026)"],
            "rate_per_1000": [1.25, 0.5, 2.125],
            "speeches": [3, 14, 26],
        }
    )


def rates_bar_chart(data: pd.DataFrame) -> alt.Chart:
    return charts.bar_chart(
        data,
        "period:N",
        "rate_per_1000:Q",
        title="Integration words rise after Đổi Mới",
        x_title="Period",
        y_title="Rate (per 1,000 tokens)",
        tooltip=["period:N", "rate_per_1000:Q"],
    )


def rates_output(name: str = "rate-by-period") -> charts.ChartOutput:
    data = rates_table()
    return charts.show(rates_bar_chart(data), data, name)


def csv_link_payload(page_html: str) -> tuple[str, str]:
    match = re.search(
        r'<a download="([^"]+)" href="data:text/csv;charset=utf-8;base64,([A-Za-z0-9+/=]+)">',
        page_html,
    )
    assert match, "no CSV download link found"
    return match.group(1), base64.b64decode(match.group(2)).decode("utf-8")


class ScriptCollector(html.parser.HTMLParser):
    """Records what an HTML tokenizer sees as script elements and as other tags."""

    def __init__(self) -> None:
        super().__init__()
        self.scripts: list[str] = []
        self.tags: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)
        if tag == "script":
            self._in_script = True
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data

    def handle_comment(self, data: str) -> None:
        self.tags.append("<!--")


# --- the HTML output ---------------------------------------------------------


def test_chart_html_holds_no_web_address():
    page_html = rates_output().html
    assert not re.search(r"https?:|//cdn|cdn\.", page_html, re.IGNORECASE)


def test_chart_id_is_derived_from_the_name_only():
    first = rates_output("keyness-by-period").html
    other_data = pd.DataFrame({"period": ["x"], "rate_per_1000": [9.0]})
    second = charts.show(rates_bar_chart(other_data), other_data, "keyness-by-period").html
    for page_html in (first, second):
        assert '<div id="fplang-chart-keyness-by-period"' in page_html
        assert '"#fplang-chart-keyness-by-period"' in page_html


def test_script_waits_for_the_page_and_calls_local_vega_embed_with_svg_and_no_actions():
    page_html = rates_output().html
    assert "window.vegaEmbed(target, {" in page_html
    assert "DOMContentLoaded" in page_html
    options = json.loads(re.search(r'(\{"actions".*?\})\)', page_html).group(1))
    # tooltip: true is vega-embed's default vega-tooltip handler, which HTML-escapes values.
    assert options == {"actions": False, "mode": "vega-lite", "renderer": "svg", "tooltip": True}


def test_csv_link_decodes_back_to_the_data():
    data = rates_table()
    file_name, csv_text = csv_link_payload(charts.show(rates_bar_chart(data), data, "rates").html)
    assert file_name == "rates.csv"
    assert csv_text == (
        "period,rate_per_1000,speeches\n"
        "1945–1954,1.250000,3\n"
        "Đổi Mới (1986–2000),0.500000,14\n"
        "Hội nhập (2001–2026),2.125000,26\n"
    )
    round_trip = pd.read_csv(pd.io.common.StringIO(csv_text))
    pd.testing.assert_frame_equal(round_trip, data)


def test_link_counts_the_rows_it_offers():
    assert "(CSV, 3 rows)" in rates_output().html


# --- escaping of untrusted text ---------------------------------------------


@pytest.mark.parametrize("hostile", HOSTILE_TEXTS)
def test_hostile_data_cannot_end_the_script_or_add_elements(hostile):
    data = pd.DataFrame({"period": [hostile, "safe"], "rate_per_1000": [1.0, 2.0]})
    page_html = charts.show(rates_bar_chart(data), data, "hostile").html
    collector = ScriptCollector()
    collector.feed(page_html)
    collector.close()
    assert collector.tags == ["div", "div", "script", "p", "a"]
    assert len(collector.scripts) == 1
    assert collector.scripts[0].rstrip().endswith("})();")
    assert hostile not in page_html
    assert page_html.count("</script") == 1


@pytest.mark.parametrize("hostile", HOSTILE_TEXTS + ["line\u2028separator\u2029end"])
def test_script_safe_json_round_trips_without_markup_characters(hostile):
    value = {"text": hostile, "nested": [hostile]}
    encoded = charts.script_safe_json(value)
    assert json.loads(encoded) == value
    assert not set(encoded) & {"<", ">", "&", "\u2028", "\u2029"}


def test_hostile_title_is_escaped_in_the_aria_label():
    data = rates_table()
    chart = rates_bar_chart(data).properties(title='"><img src=x onerror=alert(1)>')
    page_html = charts.show(chart, data, "title").html
    assert "<img" not in page_html
    assert 'aria-label="&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"' in page_html


# --- PNG and determinism ------------------------------------------------------


def test_png_is_a_valid_png_at_twice_the_css_width():
    png = rates_output().png
    assert png.startswith(PNG_SIGNATURE)
    chunk_length, chunk_type = struct.unpack(">I4s", png[8:16])
    assert (chunk_length, chunk_type) == (13, b"IHDR")
    width, height = struct.unpack(">II", png[16:24])
    assert width > 0 and height > 0
    line = charts.scatter(
        pd.DataFrame({"year": [1990, 2000], "rate": [1.0, 2.0]}),
        "year:Q",
        "rate:Q",
        title="Continuous charts are as wide as the text column",
        x_title="Year",
        y_title="Rate (per 1,000 tokens)",
        tooltip=["year:Q"],
        x_format="d",
    )
    line_png = charts.show(line, pd.DataFrame(), "line").png
    line_width = struct.unpack(">I", line_png[16:20])[0]
    assert line_width == 2 * charts.CHART_WIDTH  # labels and padding included, drawn at scale 2


def test_mimebundle_offers_html_png_and_plain_text():
    bundle = rates_output()._repr_mimebundle_()
    assert set(bundle) == {"text/html", "image/png", "text/plain"}
    assert bundle["text/plain"] == (
        "[chart rate-by-period: Integration words rise after Đổi Mới; 3 data rows]"
    )


def test_ipython_display_uses_the_bundle_and_no_memory_address():
    from IPython.core.formatters import DisplayFormatter

    data, _metadata = DisplayFormatter().format(rates_output())
    assert set(data) == {"text/html", "image/png", "text/plain"}
    assert "0x" not in data["text/plain"]


def test_two_calls_give_identical_bytes():
    first, second = rates_output()._repr_mimebundle_(), rates_output()._repr_mimebundle_()
    assert first == second


DETERMINISM_SCRIPT = textwrap.dedent(
    """
    import hashlib, pandas as pd
    from fplang.book import charts
    data = pd.DataFrame({"label": ["Đổi Mới", "<b>x</b>"], "value": [1.5, 2.25]})
    chart = charts.scatter(data, "value:Q", "value:Q", title="Same bytes",
                           x_title="Value (units)", y_title="Value (units)",
                           tooltip=["label:N"], color="label:N")
    bundle = charts.show(chart, data, "same")._repr_mimebundle_()
    print(hashlib.sha256(bundle["text/html"].encode()).hexdigest(),
          hashlib.sha256(bundle["image/png"]).hexdigest())
    """
)


def test_another_python_process_gives_identical_bytes(capsys):
    exec(DETERMINISM_SCRIPT, {})
    here = capsys.readouterr().out
    # A different hash seed would expose any dependence on set or dict-of-set order.
    environment = {**os.environ, "PYTHONHASHSEED": "12345"}
    there = subprocess.run(
        [sys.executable, "-c", DETERMINISM_SCRIPT],
        capture_output=True, text=True, check=True, env=environment,
    ).stdout
    assert len(here.split()) == 2
    assert here == there


# --- required labels and names ----------------------------------------------

BUILDER_CALLS = {
    "bar_chart": lambda **labels: charts.bar_chart(
        rates_table(), "period:N", "rate_per_1000:Q", **labels
    ),
    "scatter": lambda **labels: charts.scatter(
        rates_table(), "speeches:Q", "rate_per_1000:Q", **labels
    ),
    "interval_chart": lambda **labels: charts.interval_chart(
        rates_table(), "period:N", "rate_per_1000:Q", "speeches:Q", "speeches:Q", **labels
    ),
    "heatmap": lambda **labels: charts.heatmap(
        rates_table(), "period:N", "speeches:O", "rate_per_1000:Q",
        color_title="Rate (per 1,000 tokens)", **labels
    ),
}

GOOD_LABELS = {
    "title": "A finding",
    "x_title": "X (units)",
    "y_title": "Y (units)",
    "tooltip": ["rate_per_1000:Q"],
}


@pytest.mark.parametrize("builder", sorted(BUILDER_CALLS))
def test_every_builder_makes_a_chart_show_accepts(builder):
    chart = BUILDER_CALLS[builder](**GOOD_LABELS)
    output = charts.show(chart, rates_table(), builder.replace("_", "-"))
    assert charts.output.title_text(output.spec) == "A finding"
    assert output.png.startswith(PNG_SIGNATURE)


@pytest.mark.parametrize("builder", sorted(BUILDER_CALLS))
@pytest.mark.parametrize("label", ["title", "x_title", "y_title", "tooltip"])
def test_builders_refuse_a_missing_label(builder, label):
    labels = {key: value for key, value in GOOD_LABELS.items() if key != label}
    with pytest.raises(TypeError, match=label):
        BUILDER_CALLS[builder](**labels)


@pytest.mark.parametrize("builder", sorted(BUILDER_CALLS))
@pytest.mark.parametrize(
    ("label", "empty"), [("title", ""), ("x_title", "  "), ("y_title", None), ("tooltip", [])]
)
def test_builders_refuse_an_empty_label(builder, label, empty):
    with pytest.raises(charts.ChartSpecError, match=label):
        BUILDER_CALLS[builder](**{**GOOD_LABELS, label: empty})


def test_heatmap_refuses_an_empty_legend_title():
    with pytest.raises(charts.ChartSpecError, match="color_title"):
        charts.heatmap(
            rates_table(), "period:N", "speeches:O", "rate_per_1000:Q",
            color_title="", **GOOD_LABELS,
        )


def test_show_refuses_an_untitled_chart():
    data = rates_table()
    chart = alt.Chart(data).mark_bar().encode(x="period:N", y="rate_per_1000:Q")
    with pytest.raises(charts.ChartSpecError, match="no title"):
        charts.show(chart, data, "untitled")


def test_show_refuses_data_loaded_from_a_url():
    chart = alt.Chart(alt.UrlData("https://example.org/data.csv")).mark_bar().encode(
        x="a:N", y="b:Q"
    ).properties(title="Remote")
    with pytest.raises(charts.ChartSpecError, match="URL"):
        charts.show(chart, rates_table(), "remote")


@pytest.mark.parametrize(
    "name",
    ["", "Rate-by-period", "rate by period", "rate--period", "-rate", "../rate", "tỉ-lệ", "a" * 81],
)
def test_show_refuses_names_that_are_not_slugs(name):
    data = rates_table()
    with pytest.raises(charts.ChartNameError, match="slug"):
        charts.show(rates_bar_chart(data), data, name)


def test_show_refuses_a_chart_with_more_rows_than_a_page_should_hold():
    data = pd.DataFrame({"x": range(charts.MAX_CHART_ROWS + 1), "y": 1.0})
    chart = charts.scatter(data, "x:Q", "y:Q", title="Too big", x_title="X (n)",
                           y_title="Y (n)", tooltip=["x:Q"])
    with pytest.raises(charts.ChartSpecError, match="aggregate"):
        charts.show(chart, data.head(), "too-big")


def test_show_refuses_a_table_that_is_not_a_dataframe():
    with pytest.raises(TypeError, match="DataFrame"):
        charts.show(rates_bar_chart(rates_table()), [1, 2], "rates")


# --- theme ------------------------------------------------------------------


def test_theme_is_applied_by_show_without_changing_altairs_active_theme():
    theme_before = alt.theme.active
    config = rates_output().spec["config"]
    assert alt.theme.active == theme_before
    assert alt.data_transformers.active == "default"
    assert config["view"]["continuousWidth"] == charts.CHART_WIDTH
    assert config["title"]["anchor"] == "start"
    assert "DejaVu Sans" in config["font"]
    assert set(config["range"]["category"]) == OKABE_ITO_PUBLISHED


def test_spec_carries_no_schema_address():
    assert "$schema" not in rates_output().spec


def test_vl_convert_knows_the_vega_lite_version_altair_writes():
    assert charts.vega_lite_version() in vl_convert.get_vegalite_versions()


# --- CSV files ----------------------------------------------------------------


def test_save_chart_table_writes_fixed_precision_lf_csv(tmp_path):
    data = pd.DataFrame({"term": ["hội nhập", "độc lập"], "rate": [1 / 3, 2.0], "n": [1, 2]})
    path = charts.save_chart_table(data, tmp_path / "tables" / "rates.csv")
    expected = "term,rate,n\nhội nhập,0.333333,1\nđộc lập,2.000000,2\n"
    assert path.read_bytes() == expected.encode("utf-8")
    assert sorted(p.name for p in path.parent.iterdir()) == ["rates.csv"]


def test_save_chart_table_leaves_the_old_file_whole_when_the_move_fails(tmp_path, monkeypatch):
    target = tmp_path / "rates.csv"
    target.write_text("old\n")

    def failing_replace(source, destination):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        charts.save_chart_table(rates_table(), target)
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["rates.csv"]


def test_save_chart_table_matches_the_download_link(tmp_path):
    output = rates_output()
    path = charts.save_chart_table(output.data, tmp_path / "rates.csv")
    assert path.read_text(encoding="utf-8") == csv_link_payload(output.html)[1]


# --- Sphinx extension -------------------------------------------------------


MATHJAX_CDN = "https://cdn.jsdelivr.net/npm/mathjax@3/es5/tex-mml-chtml.js"
THEBE_CDN = "https://unpkg.com/thebe@0.8.2/lib/index.js"


@pytest.mark.parametrize(
    ("filename", "body", "expected"),
    [
        (MATHJAX_CDN, "", MATHJAX_CDN),
        ("//unpkg.com/x.js", "", "//unpkg.com/x.js"),
        (None, f'const THEBE_JS_URL = "{THEBE_CDN}"; const x = 1', THEBE_CDN),
        ("fplang-vega.js", "", None),
        (None, "var togglebuttonSelector = '.toggle';", None),
    ],
)
def test_external_address_finds_network_assets_only(filename, body, expected):
    class Asset:
        def __init__(self) -> None:
            self.filename = filename
            self.attributes = {"body": body}

    assert external_address(Asset()) == expected


def test_bundle_defines_vega_embed_globally_inside_a_function_scope():
    source = vega_bundle_source()
    assert "window.vegaEmbed=" in source
    assert source.splitlines()[1] == "(function () {"
    assert source.rstrip().endswith("})();")
    assert source == vega_bundle_source()


def write_sphinx_project(folder: Path, chart_html: str, extra_conf: str = "") -> Path:
    source = folder / "source"
    source.mkdir()
    (source / "conf.py").write_text(
        f"project = 'smoke'\nextensions = ['fplang.book.sphinxext']\n{extra_conf}\n", encoding="utf-8"
    )
    raw = textwrap.indent(chart_html, "   ")
    (source / "index.rst").write_text(
        f"Smoke\n=====\n\n.. raw:: html\n\n{raw}\n", encoding="utf-8"
    )
    return source


def build_html(source: Path) -> tuple[Path, str]:
    """Build ``source`` in-process with the HTML builder; return (output folder, warnings)."""
    from sphinx.testing.util import SphinxTestApp

    warnings = io.StringIO()
    app = SphinxTestApp("html", srcdir=source, builddir=source.parent / "_build", warning=warnings)
    try:
        app.build()
    finally:
        app.cleanup()
    return Path(app.outdir), warnings.getvalue()


def test_sphinx_build_serves_the_bundle_from_static_and_loads_nothing_remote(tmp_path):
    output = rates_output()
    html_folder, warnings = build_html(write_sphinx_project(tmp_path, output.html))
    assert warnings == ""
    bundle_path = html_folder / "_static" / BUNDLE_FILENAME
    bundle = bundle_path.read_bytes()
    assert bundle_path.stat().st_mode & 0o777 == 0o644
    assert bundle == vega_bundle_source().encode("utf-8")
    page = (html_folder / "index.html").read_text(encoding="utf-8")
    # Sphinx's cache-busting query: CRC-32 of the served file without carriage returns.
    checksum = format(zlib.crc32(bundle.translate(None, b"\r")), "08x")
    assert f'<script defer="defer" src="_static/{BUNDLE_FILENAME}?v={checksum}"></script>' in page
    assert 'id="fplang-chart-rate-by-period"' in page
    script_sources = re.findall(r'<script[^>]*\bsrc="([^"]+)"', page)
    assert script_sources and not [s for s in script_sources if "//" in s]


def test_sphinx_build_warns_about_a_cdn_script(tmp_path):
    source = write_sphinx_project(
        tmp_path, "<p>no chart</p>", "html_js_files = ['https://cdn.example.org/x.js']"
    )
    _html_folder, warnings = build_html(source)
    assert "https://cdn.example.org/x.js" in warnings
    assert "fplang.external_asset" in warnings
    assert warnings.count("WARNING") == 1  # once per asset, not once per page


def years_table() -> pd.DataFrame:
    return pd.DataFrame({"year": [1978, 1990, 2024], "spoken": [1946.0, 1990.5, 2026.0], "rate": [1.0, 2.5, 0.5]})


def test_a_year_axis_left_to_altairs_default_is_found_starting_at_zero():
    chart = alt.Chart(years_table()).mark_point().encode(x="year:Q", y="rate:Q").properties(title="t")
    (problem,) = charts.time_scales_from_zero(charts.chart_spec(chart))
    assert problem.startswith("spec.encoding.x (year)")


def test_a_field_of_years_is_known_by_its_title_or_its_values_as_well_as_its_name():
    by_title = alt.Chart(years_table()).mark_point().encode(x=alt.X("rate:Q", title="Year of speech"), y="rate:Q")
    by_values = alt.Chart(years_table()).mark_point().encode(x="rate:Q", y=alt.Y("spoken:Q", title="Period"))
    assert [p.split(" ")[0] for p in charts.time_scales_from_zero(charts.chart_spec(by_title.properties(title="t")))] == ["spec.encoding.x"]
    assert [p.split(" ")[0] for p in charts.time_scales_from_zero(charts.chart_spec(by_values.properties(title="t")))] == ["spec.encoding.y"]


def test_year_axes_with_zero_false_or_a_domain_pass_and_a_domain_from_zero_does_not():
    table = years_table()
    fine = alt.Chart(table).mark_point().encode(
        x=alt.X("year:Q", scale=alt.Scale(zero=False)), y=alt.Y("spoken:Q", scale=alt.Scale(domain=[1940, 2030]))
    )
    assert charts.time_scales_from_zero(charts.chart_spec(fine.properties(title="t"))) == []
    from_zero = alt.Chart(table).mark_point().encode(x=alt.X("year:Q", scale=alt.Scale(domain=[0, 2030])), y="rate:Q")
    assert "domain starts at 0" in charts.time_scales_from_zero(charts.chart_spec(from_zero.properties(title="t")))[0]


def test_year_axes_are_checked_inside_layers_and_facets():
    table = years_table().assign(panel=["a", "b", "a"])
    layered = alt.layer(
        alt.Chart(table).mark_rule().encode(x=alt.datum(1986)),
        alt.Chart(table).mark_point().encode(x="year:Q", y="rate:Q"),
    ).facet("panel:N").properties(title="t")
    (problem,) = charts.time_scales_from_zero(charts.chart_spec(layered))
    assert problem.startswith("spec.spec.layer[1].encoding.x (year)")


def test_every_builder_with_a_year_axis_keeps_it_off_zero():
    table = years_table().assign(panel=["a", "b", "a"], low=0.1, high=3.0, end=[1990, 2000, 2026])
    built = [
        charts.scatter(table, "year:Q", "spoken:Q", title="t", x_title="Year", y_title="Period (year)", tooltip=["year:Q"]),
        charts.interval_chart(table, "year:Q", "rate:Q", "low:Q", "high:Q", title="t", x_title="Year", y_title="r", tooltip=["year:Q"]),
        charts.heatmap(table, "year:O", "panel:N", "rate:Q", title="t", x_title="Year", y_title="p", color_title="r", tooltip=["year:Q"]),
        charts.interval_chart(table, "year:Q", "rate:Q", "low:Q", "high:Q", title="t", x_title="Year", y_title="r", tooltip=["year:Q"], facet="panel:N"),
    ]
    for chart in built:
        assert charts.time_scales_from_zero(charts.chart_spec(chart)) == [], chart.to_dict().get("mark")


# --- fitting the text column ---------------------------------------------------


def svg_width(chart) -> float:
    """The drawn width of a chart in CSS pixels, as vl-convert lays it out."""
    svg = vl_convert.vegalite_to_svg(charts.show(chart, pd.DataFrame(), "w").spec, vl_version=charts.vega_lite_version())
    return float(re.search(r'<svg[^>]*\bwidth="([\d.]+)"', svg).group(1))


def panels_table(tops=(12.0, 9.0, 0.8, 0.5, 2.0, 1.0)) -> pd.DataFrame:
    rows = []
    for index, top in enumerate(tops):
        for year in (1978, 1990, 2024):
            rows.append({"concept": f"Concept number {index}", "year": year, "rate": top / 2, "low": 0.0, "high": top, "doc": f"Outlet {year}"})
    return pd.DataFrame(rows)


def interval_panels(table: pd.DataFrame, **options):
    return charts.interval_chart(
        table, "year:Q", "rate:Q", "low:Q", "high:Q", facet="concept:N", title="Rates by year",
        x_title="Year of the speech", y_title="Rate (per 1,000 tokens)", tooltip=["rate:Q"], x_format="d", **options,
    )


@pytest.mark.parametrize(
    "chart",
    [
        pytest.param(lambda: interval_panels(panels_table()), id="panels-independent"),
        pytest.param(lambda: interval_panels(panels_table((3.0, 2.0, 2.5, 1.5, 2.0, 1.0))), id="panels-shared"),
        pytest.param(
            lambda: charts.interval_chart(
                panels_table(), "doc:N", "rate:Q", "low:Q", "high:Q", facet="concept:N", horizontal=True,
                title="t", x_title="Document", y_title="Rate (per 1,000 tokens)", tooltip=["rate:Q"],
            ),
            id="panels-horizontal",
        ),
        pytest.param(
            lambda: charts.scatter(
                panels_table(), "year:Q", "concept:N", color="doc:N", title="A long title " * 12,
                x_title="Year", y_title="Concept", tooltip=["year:Q"], y_wrap=12,
            ),
            id="scatter-with-legend",
        ),
    ],
)
def test_every_chart_fits_the_text_column(chart):
    assert svg_width(chart()) <= charts.TEXT_COLUMN_WIDTH + 1


def test_panels_get_their_own_scales_only_when_their_ranges_differ_more_than_threefold():
    apart = charts.show(interval_panels(panels_table()), pd.DataFrame(), "a").spec
    assert apart["resolve"] == {"scale": {"y": "independent"}}
    assert apart["title"]["subtitle"] == "Rate (per 1,000 tokens); each panel has its own scale"
    close = charts.show(interval_panels(panels_table((3.0, 2.0, 2.5, 1.5, 2.0, 1.0))), pd.DataFrame(), "c").spec
    assert "resolve" not in close and close["title"] == {"text": "Rates by year", "subtitle": "Rate (per 1,000 tokens)"}


def test_a_long_title_is_set_on_lines_inside_the_column():
    title = "The partnership and responsibility rungs arrive in the 2000s; the 14th-Congress terms never appear"
    chart = charts.bar_chart(rates_table(), "rate_per_1000:Q", "period:N", title=title, x_title="x", y_title="y", tooltip=["period:N"])
    lines = charts.show(chart, rates_table(), "long").spec["title"]
    assert " ".join(lines) == title and all(len(line) <= charts.TITLE_CHARACTERS for line in lines)


def test_heatmaps_shade_higher_values_darker_from_white():
    chart = BUILDER_CALLS["heatmap"](**GOOD_LABELS)
    colour = charts.show(chart, rates_table(), "heat").spec["encoding"]["color"]
    assert colour["scale"]["range"] == ["#ffffff", "#08306b"]  # white (zero) to ColorBrewer's darkest blue
    assert colour["scale"]["zero"] is True


def test_the_focus_group_is_vermilion_first_and_the_reference_grey_last():
    scale = charts.highlight_scale(["China", "Viet Nam", "World", "Cuba"], "Viet Nam", "World").to_dict()
    assert scale["domain"] == ["Viet Nam", "China", "Cuba", "World"]
    assert scale["range"][0] == "#D55E00" and scale["range"][-1] == "#8C8C8C"


def test_scatter_draws_and_labels_the_diagonal_of_equal_years():
    data = pd.DataFrame({"published": ["2006-07-01", "2026-01-21"], "spoken": [1954.0, 2026.0]})
    chart = charts.scatter(
        data, "published:T", "spoken:Q", title="t", x_title="Published", y_title="Year spoken about",
        tooltip=["spoken:Q"], identity="spoken about = published",
    )
    spec = charts.show(chart, data, "diagonal").spec
    line, label = (spec["datasets"][layer["data"]["name"]] for layer in spec["layer"][0]["layer"])
    assert [round(row["spoken"], 2) for row in line] == [2006.5, 2026.05]
    assert label[0]["label"] == "spoken about = published"
    assert charts.time_scales_from_zero(spec) == []


def test_a_bottom_legend_takes_only_the_columns_that_fit_beside_the_y_labels():
    from fplang.book.charts.axes import legend_columns

    # Figure 3.3: "International integration" (25 characters) makes a column of 25 * 7 + 16 + 14 = 205 px;
    # after 270 px of document labels, (680 - 270) // 205 = 2 columns fit, not the theme's 3.
    assert legend_columns(["Independence", "International integration"], left_room=270) == 2
    # Short labels beside a numeric axis: the theme's three.
    assert legend_columns(["Party wording", "Seed claim", "UN record"], left_room=50) == 3
    # One label too long for any second column still gets one.
    assert legend_columns(["x" * 120], left_room=240) == 1


def test_a_scatter_whose_colour_and_shape_share_a_field_has_one_legend_of_fitted_columns():
    data = pd.DataFrame(
        {
            "position": [0.1, 0.5, 0.9],
            "document": ["Embassy of Viet Nam in India 2006", "VOV World 2026", "VietnamPlus 2023"],
            "label": ["Independence", "International integration", "New era"],
        }
    )
    spec = charts.scatter(
        data, x="position:Q", y="document:N", color="label:N", shape="label:N", color_title="Concept",
        title="t", x_title="Position", y_title="Document", tooltip=["label:N"],
    ).to_dict()
    assert spec["encoding"]["color"]["legend"] == {"columns": 2}
    assert spec["encoding"]["shape"]["legend"] == {"columns": 2}


def rung_grid(columns: int) -> pd.DataFrame:
    """One long row label (60 characters, like chapter 3's rungs) and one short, over ``columns`` eras."""
    rows = ["Active and responsible member of the international community", "Peace"]
    return pd.DataFrame(
        [{"era": f"{1950 + 5 * i}", "concept": row, "rate": float(i)} for i in range(columns) for row in rows]
    )


def rung_heatmap(columns: int) -> alt.TopLevelMixin:
    return charts.heatmap(
        rung_grid(columns), "era:N", "concept:N", "rate:Q", title="t", x_title="Era", y_title="Concept",
        color_title="Rate (per 1,000 tokens)", tooltip=["rate:Q"], cell=(62, 18), y_wrap=34,
    )


def test_a_narrow_heatmap_keeps_long_row_labels_on_one_line_so_its_rows_stay_short():
    # Three eras of 62 px leave 680 - 186 - 64 = 430 px, capped at 420: 60 characters at 7 px fit.
    assert row_label_room(3, 62) == 420
    spec = charts.show(rung_heatmap(3), rung_grid(3), "narrow").spec
    labels = {row["concept"] for row in spec["datasets"][next(iter(spec["datasets"]))]}
    assert "|" not in "".join(labels)
    assert spec["height"] == {"step": 21}  # one line: 15 px + 6
    assert svg_width(rung_heatmap(3)) <= charts.TEXT_COLUMN_WIDTH + 1


def test_a_wide_heatmap_still_wraps_long_row_labels():
    # Eight eras leave 680 - 496 - 64 = 120 px: below the 240 px label limit, so wrap at 34 characters.
    assert row_label_room(8, 62) == 240
    spec = charts.show(rung_heatmap(8), rung_grid(8), "wide").spec
    labels = {row["concept"] for row in spec["datasets"][next(iter(spec["datasets"]))]}
    assert "Active and responsible member of|the international community" in labels
    assert spec["height"] == {"step": 36}  # two lines: 2 x 15 px + 6
