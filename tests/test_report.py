"""Glued values read well in prose; tables escape untrusted text and carry their CSV."""

from __future__ import annotations

import base64
import re

import numpy as np
import pandas as pd
import pytest

from fplang.book.labels import doc_type_label
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
    assert (year(-1040), year(0), year(1)) == ("1041 BCE", "1 BCE", "1")  # astronomical numbering before year 1


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
    assert lines[:4] == [":::{list-table}", ":header-rows: 1", ":widths: 24", ":class: longtable"]  # may break across pages
    assert lines[6] == r"* - \<script\>a\|b\<\/script\>"
    assert lines[7] == r"* - \*bold\* \[link\]\(x\)"
    assert lines[8] == ":::"
    assert "First 2 of 52 rows; the full table is evil.csv" in markdown


def test_markdown_table_lists_each_rows_cells_in_order_with_a_caption():
    data = pd.DataFrame({"doc_id": ["seed_000"], "tokens": [277], "rate": [1.23456], "note": [None]})
    markdown = show_table(data, "t", caption="Sizes.").markdown()
    assert markdown.splitlines()[0] == r":::{list-table} Sizes\. Not shown\, having no value in any row\: Note\."
    body = markdown.split(":widths: ")[1].splitlines()
    assert body[3:9] == ["* - Doc id", "  - Tokens", "  - Rate", "* - seed\\_000", "  - 277", "  - 1\\.2"]


def test_an_empty_table_is_a_sentence_not_a_list_table_without_a_body():
    markdown = show_table(pd.DataFrame({"ngram": [], "count": []}), "none", caption="Bigrams.").markdown()
    assert markdown == "**Bigrams\\.**\n\n*No rows (columns: Ngram, Count).*"


def test_column_widths_keep_short_columns_natural_and_narrow_the_widest():
    from fplang.book.report import column_widths

    # natural widths are the longest cell or header word (a cell capped at 60), plus one, plus the
    # three characters of padding that LaTeX takes out of each column's share
    columns = [["doc_id", "seed_000"], ["title", "x" * 120], ["published", "2023-05-19"], ["tokens", "277"]]
    assert column_widths(columns) == [12, 64, 14, 10]  # 100 fit in 105
    # 7 + 64 + 44 = 115 > 105: the widest gives up the ten characters
    assert column_widths([["id", "abc"], ["text", "x" * 100], ["note", "y" * 40]]) == [7, 54, 44]
    # a header is measured by its longest word, since it may wrap between words
    assert column_widths([["share removed", "0.1"]]) == [11]
    # five long columns share the line equally: 105 / 5
    assert column_widths([["a", "x" * 100]] * 5) == [21] * 5
    # the documents table: the short columns keep their 66 characters; title and outlet share the other 39
    documents = [
        ["doc_id", "seed_000"], ["title", "x" * 60], ["outlet", "y" * 45], ["published", "2023-05-19"],
        ["doc_type", "official_news"], ["tokens", "277"], ["sentences", "8"],
    ]  # fmt: skip
    assert column_widths(documents) == [12, 19, 20, 14, 17, 10, 13]


def test_a_headline_states_the_finding_only_where_the_data_show_it():
    from fplang.book.report import headline

    assert headline("A rises", holds=True, otherwise="Rates of A") == "A rises"
    assert headline("A rises", holds=False, otherwise="Rates of A") == "Rates of A"


def test_reading_problems_finds_machine_output_and_passes_what_a_person_writes():
    from fplang.book.report import reading_problems

    written = (
        "In 1945 and 2006 the 5 documents held 3,238 tokens, the target 1,729; 2,000 replicates; "
        "rate 2.7, share 1.5 %; 2023-05-19; 1945–1954; doi:10.1177/2053168017712821; "
        "doi:10.1111/j.1540-\n5907.2008.00338.x (a DOI the PDF's line broke after a hyphen)."
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
    from fplang.book.report import reading_problems

    (problem,) = reading_problems("the first year is 1945.0 in the table")
    assert "'1945.0'" in problem and "first year is 1945.0 in the" in problem


def machine_table() -> pd.DataFrame:
    """A table as the analysis leaves it: float years, long decimals, missing values, an empty column."""
    return pd.DataFrame(
        {
            "label": ["Resistance", "Renewal"],
            "start_year": [1946.0, np.nan],
            "tokens": [1432, 5],
            "share_removed": [0.015182, 0.2],
            "g2": [12.724118, 1.0],
            "p_adjusted": [0.000707, 0.0721],
            "significant": [True, False],
            "pmi": [np.nan, np.nan],
            "pattern": [r"\bready\s+to", None],
            "source": ["Signed 1973: https://example.org/a_b?x=1&y=2.", pd.NA],
        }
    )


def test_a_table_prints_years_counts_shares_and_p_values_as_a_person_writes_them():
    table = show_table(machine_table(), "t", caption="Machine output.", percent=["share_removed"], missing="no year known").readable
    assert table.headers == ["Label", "Start year", "Tokens", "Share removed", "G2", "P adjusted", "Significant", "Pattern", "Source"]
    assert table.rows[0][:7] == ["Resistance", "1946", "1,432", "1.5 %", "12.7", "< 0.001", "yes"]
    assert table.rows[1][:7] == ["Renewal", "\u2013", "5", "20.0 %", "1.0", "0.072", "no"]
    assert table.numeric == [False, True, True, True, True, True, False, False, False]
    assert table.caption == "Machine output. A dash (\u2013) marks no year known. Not shown, having no value in any row: Pmi."


def test_a_table_shows_the_chosen_columns_under_their_headers_with_set_decimals():
    table = show_table(machine_table(), "t", columns={"label": "Period", "g2": "G\u00b2"}, decimals={"g2": 2}).readable
    assert table.headers == ["Period", "G\u00b2"] and table.rows == [["Resistance", "12.72"], ["Renewal", "1.00"]]
    with pytest.raises(KeyError, match="no column \\['gone'\\]"):
        _ = show_table(machine_table(), "t", columns={"gone": "Gone"}).readable


def test_html_links_addresses_sets_code_in_monospace_and_folds_a_collapsed_table():
    output = show_table(machine_table(), "t", code=["pattern"], collapsed="Show the patterns")
    page = output.html()
    assert '<a href="https://example.org/a_b?x=1&amp;y=2">https://example.org/a_b?x=1&amp;y=2</a>.' in page
    assert "<td class='code'><code>\\bready\\s+to</code></td>" in page  # a pattern may break anywhere
    named = show_table(pd.DataFrame({"rule": ["byte_order_mark", "doc_type ~ (a|b)"]}), "r", code=["rule"]).html()
    assert "<td class='code'><code><span class='word'>byte_order_mark</span></code></td>" in named  # a name stays whole
    assert "<td class='code'><code><span class='word'>doc_type</span> ~ (a|b)</code></td>" in named
    assert "<details class='fplang-table-collapsed'><summary>Show the patterns</summary>" in page
    assert "<td class='num'>1,432</td>" in page
    assert "<td class='short'>Renewal</td>" in page  # a short word is never broken
    # the download keeps the data as computed
    encoded = re.search(r"base64,([A-Za-z0-9+/=]+)", page).group(1)
    assert "0.015182" in base64.b64decode(encoded).decode("utf-8")


def test_markdown_gives_code_as_inline_code_and_addresses_as_autolinks():
    markdown = show_table(machine_table(), "t", code=["pattern"]).markdown()
    assert "  - `\\bready\\s+to`" in markdown.splitlines()
    assert "  - Signed 1973\\: <https://example.org/a_b?x=1&y=2>\\." in markdown.splitlines()


def test_small_counts_read_in_words_and_large_ones_in_figures():
    from fplang.book.report import capitalised, counted, number_word

    assert [counted(n, "document") for n in (0, 1, 5, 12, 3238)] == [
        "no documents", "one document", "five documents", "12 documents", "3,238 documents",
    ]
    assert counted(1, "country", "countries") == "one country" and counted(2, "country", "countries") == "two countries"
    assert number_word(9) == "nine" and number_word(10) == "10"
    assert capitalised(counted(5, "document")) == "Five documents"
    from fplang.book.report import times

    assert [times(n) for n in (0, 1, 2, 9, 22)] == ["never", "once", "twice", "nine times", "22 times"]
    from fplang.book.report import listed

    assert [listed(items) for items in ([], ["a"], ["a", "b"], ["a", "b", "c"])] == ["", "a", "a and b", "a, b and c"]


def test_documents_are_named_by_outlet_and_year_and_told_apart_by_id_only_when_needed():
    from fplang.book.report import document_labels

    documents = pd.DataFrame(
        {
            "doc_id": ["seed_000", "seed_004", "seed_005", "seed_006"],
            "outlet": ["VietnamPlus (Vietnam News Agency)", "VOV World (Voice of Vietnam)", "Nhân Dân", "Nhân Dân"],
            "published_year": [2023, 2026, 2025, 2025],
        }
    )
    assert document_labels(documents).to_dict() == {
        "seed_000": "VietnamPlus 2023",
        "seed_004": "VOV World 2026",
        "seed_005": "Nhân Dân 2025 (seed_005)",
        "seed_006": "Nhân Dân 2025 (seed_006)",
    }
    speeches = pd.DataFrame(
        {"doc_id": ["un_VNM_1995_50", "un_LAO_1995_50"], "outlet": ["UN General Assembly, General Debate"] * 2, "published_year": [1995] * 2}
    )
    # too long for an axis with the id last (it would be cut to "UN General Assembly, General Debat..." for every speech)
    assert document_labels(speeches).tolist() == [
        "un_VNM_1995_50 (UN General Assembly, General Debate 1995)", "un_LAO_1995_50 (UN General Assembly, General Debate 1995)"
    ]


def test_a_column_mixing_text_and_numbers_formats_each_value_on_its_own():
    data = pd.DataFrame({"finding": ["share", "top"], "value": [11.016949, "integration"], "n": [3, "four"]})
    assert show_table(data, "t").readable.rows == [["share", "11.0", "3"], ["top", "integration", "four"]]


def test_a_span_of_years_reads_as_one_year_two_years_or_a_dash():
    from fplang.book.report import year_span

    assert year_span(1946.0, 1954.0) == "1946\u20131954"
    assert year_span(1945, 1945) == year_span(1945, None) == "1945"
    assert year_span(np.nan, 1954) == "\u2013"
    assert year_span(1946, 1954, short=True) == "1946\u201354" and year_span(1999, 2001, short=True) == "1999\u20132001"


def test_ordinals_read_as_english_writes_them():
    from fplang.book.report import ordinal

    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 14, 21, 22, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "14th", "21st", "22nd", "101st", "111th",
    ]


def test_a_decade_the_data_cover_in_part_is_labelled_by_its_years():
    from fplang.book.report import decade_label

    assert [decade_label(d, 1978, 2024) for d in (1970, 1980, 2010, 2020)] == ["1978\u201379", "1980s", "2010s", "2020\u201324"]
    assert decade_label(2020, 1978, 2020) == "2020"


def test_a_column_of_years_not_named_so_prints_its_years_without_a_separator_when_told():
    data = pd.DataFrame({"landmark": ["6th Congress"], "nearest_landmark": [1986.0], "tokens": [1986]})
    assert show_table(data, "t", years=["nearest_landmark"]).readable.rows == [["6th Congress", "1986", "1,986"]]


@pytest.mark.parametrize(
    ("doc_type", "label"),
    [("un_speech", "UN speech"), ("derivative_news", "Derivative news"), ("party_document", "Party document"),
     ("official_news", "Official news"), ("eu_statement", "EU statement"), ("speech", "Speech"),
     ("union_report", "Union report")],
)
def test_a_document_type_is_labelled_as_a_reader_writes_it(doc_type, label):
    assert doc_type_label(doc_type) == label
