"""Glued values read well in prose; tables escape untrusted text and carry their CSV."""

from __future__ import annotations

import base64
import re

import numpy as np
import pandas as pd

from fplang.book.report import format_value, show_table, year


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
    assert lines[:3] == [":::{list-table}", ":header-rows: 1", ":widths: 21"]
    assert lines[5] == r"* - \<script\>a\|b\<\/script\>"
    assert lines[6] == r"* - \*bold\* \[link\]\(x\)"
    assert lines[7] == ":::"
    assert "First 2 of 52 rows; the full table is evil.csv" in markdown


def test_markdown_table_lists_each_rows_cells_in_order_with_a_caption():
    data = pd.DataFrame({"doc_id": ["seed_000"], "tokens": [277], "rate": [1.23456], "note": [None]})
    markdown = show_table(data, "t", caption="Sizes.").markdown()
    assert markdown.splitlines()[:2] == [r"**Sizes\.**", ""]
    body = markdown.split(":widths: ")[1].splitlines()
    assert body[2:10] == ["* - doc\\_id", "  - tokens", "  - rate", "  - note", "* - seed\\_000", "  - 277", "  - 1\\.23", "  - "]


def test_an_empty_table_is_a_sentence_not_a_list_table_without_a_body():
    markdown = show_table(pd.DataFrame({"ngram": [], "count": []}), "none", caption="Bigrams.").markdown()
    assert markdown == "**Bigrams\\.**\n\n*No rows (columns: ngram, count).*"


def test_column_widths_keep_short_columns_natural_and_narrow_the_widest():
    from fplang.book.report import column_widths

    # natural widths are the longest cell or header word (a cell capped at 60) plus one
    columns = [["doc_id", "seed_000"], ["title", "x" * 120], ["published", "2023-05-19"], ["tokens", "277"]]
    assert column_widths(columns) == [9, 61, 11, 7]  # 88 fit in 105 - 3 * 4
    # 4 + 61 + 41 = 106 > 105 - 3 * 3 = 96: the widest gives up the ten characters
    assert column_widths([["id", "abc"], ["text", "x" * 100], ["note", "y" * 40]]) == [4, 51, 41]
    # a header is measured by its longest word, since it may wrap between words
    assert column_widths([["share removed", "0.1"]]) == [8]
    # five long columns share the line equally: (105 - 15) / 5
    assert column_widths([["a", "x" * 100]] * 5) == [18] * 5
    # the documents table: the short columns keep their 51 characters; title and outlet share the other 33
    documents = [
        ["doc_id", "seed_000"], ["title", "x" * 60], ["outlet", "y" * 45], ["published", "2023-05-19"],
        ["doc_type", "official_news"], ["tokens", "277"], ["sentences", "8"],
    ]  # fmt: skip
    assert column_widths(documents) == [9, 16, 17, 11, 14, 7, 10]


def test_a_headline_states_the_finding_only_where_the_data_show_it():
    from fplang.book.report import headline

    assert headline("A rises", holds=True, otherwise="Rates of A") == "A rises"
    assert headline("A rises", holds=False, otherwise="Rates of A") == "Rates of A"


def test_reading_problems_finds_machine_output_and_passes_what_a_person_writes():
    from fplang.report import reading_problems

    written = (
        "In 1945 and 2006 the 5 documents held 3,238 tokens, the target 1,729; 2,000 replicates; "
        "rate 2.7, share 1.5 %; 2023-05-19; 1945–1954; doi:10.1177/2053168017712821."
    )
    assert reading_problems(written) == []
    machine = "1945.0 | 1,945.00 | <NA> | nan | None | 12.724118 | NaN | in 2,006 | 1,946–1,954"
    rules = [problem.split(":")[0] for problem in reading_problems(machine)]
    assert rules == [
        "a missing value printed as <NA>",
        "a missing value printed as nan",
        "a missing value printed as nan",
        "a missing value printed as None",
        "a year printed with a decimal point",
        "a year printed with a thousands separator",
        "a year printed with a thousands separator",
        "a year printed with a thousands separator",
        "a number with more than three decimals",
    ]


def test_reading_problems_quotes_the_match_in_its_context():
    from fplang.report import reading_problems

    (problem,) = reading_problems("the first year is 1945.0 in the table")
    assert "'1945.0'" in problem and "first year is 1945.0 in the" in problem
