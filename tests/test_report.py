"""Glued values read well in prose; tables escape untrusted text and carry their CSV."""

from __future__ import annotations

import base64
import re

import numpy as np
import pandas as pd

from fplang.report import format_value, show_table, year


def test_values_are_formatted_once_for_prose():
    assert format_value(3238) == "3,238"
    assert format_value(np.int64(12)) == "12"
    assert format_value(2.6541) == "2.7"
    assert format_value(True) == "yes"
    assert format_value(pd.NA) == "\u2014"


def test_years_have_no_thousands_separator():
    assert year(2006) == "2006"
    assert year(np.int64(1991)) == "1991"
    assert year(pd.NA) == "\u2014"


def test_table_html_escapes_document_text_and_offers_the_csv(tmp_path):
    data = pd.DataFrame({"doc_id": ["x"], "text": ["<script>alert(1)</script><img src=x onerror=alert(1)>"]})
    html = show_table(data, "evil", out_dir=tmp_path).html()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    encoded = re.search(r"base64,([A-Za-z0-9+/=]+)", html).group(1)
    assert base64.b64decode(encoded).decode("utf-8") == (tmp_path / "evil.csv").read_text(encoding="utf-8")


def test_markdown_table_escapes_every_mark_and_points_to_the_csv():
    data = pd.DataFrame({"text": ["<script>a|b</script>", "*bold* [link](x)"] + ["row"] * 50})
    markdown = show_table(data, "evil").markdown(max_rows=2)
    lines = markdown.splitlines()
    assert lines[2] == r"| \<script\>a\|b\<\/script\> |"
    assert lines[3] == r"| \*bold\* \[link\]\(x\) |"
    assert "First 2 of 52 rows; the full table is evil.csv" in markdown


def test_a_headline_states_the_finding_only_where_the_data_show_it():
    from fplang.report import headline

    assert headline("A rises", holds=True, otherwise="Rates of A") == "A rises"
    assert headline("A rises", holds=False, otherwise="Rates of A") == "Rates of A"
