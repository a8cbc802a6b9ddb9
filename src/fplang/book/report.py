"""What a chapter shows: glued numbers, tables, and the files behind them.

Numbers in the book's prose are never typed: a chapter computes them and
``glue_values`` formats each once (integers with thousands separators, rates
to one decimal, small counts in words where the chapter asks) and glues it for
``{glue:text}`` roles.  Tables are shown as a reader reads them (years as
years, rates rounded, shares as percentages, a missing value as a dash the
caption explains), with their text escaped (document text is untrusted), and
offered as CSV with their data as computed, both as a download link under the
table and as a file in the run's output folder.  ``reading_problems`` says
where a page's text still shows machine output; the book's tests apply it.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fplang.book.charts import save_chart_table, table_csv
from fplang.book.numbers import format_int, format_rate


def year(value: object) -> str:
    """A year for prose: ``2006`` (no separator), an em dash if missing, ``1041 BCE`` for year -1040 (astronomical)."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return "\u2014"
    return f"{1 - int(value)} BCE" if int(value) < 1 else str(int(value))  # type: ignore[call-overload]


def year_span(start: object, end: object, *, short: bool = False) -> str:
    """A span of years for a table or a label: ``1946–1954``, ``1945`` when it is one year, an en dash when unknown.

    ``short=True`` gives the end within the same century by its last two
    digits (``1946–54``), for labels that must be narrow.
    """
    if _is_missing(start):
        return MISSING
    if _is_missing(end) or int(end) == int(start):  # type: ignore[call-overload]
        return year(start)
    first, last = year(start), year(end)
    if short and first[:2] == last[:2]:
        last = last[2:]
    return f"{first}\u2013{last}"


def decade_label(decade: int, first_year: int, last_year: int) -> str:
    """A decade as a chart labels it: ``1990s`` when the data cover it whole, else the years they cover (``2020–24``).

    A column headed "2020s" that holds five years would claim a decade; the
    label says which years are there.
    """
    start, end = max(int(decade), int(first_year)), min(int(decade) + 9, int(last_year))
    if (start, end) == (int(decade), int(decade) + 9):
        return f"{int(decade)}s"
    return year_span(start, end, short=True)


def format_value(value: object) -> str:
    """How a value reads in prose: ``1,234``, ``2.7`` (one decimal) or the text itself.

    Years are not numbers to format: pass them through :func:`year` first.
    """
    if value is None or value is pd.NA:
        return "\u2014"
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | np.integer):
        return format_int(value)
    if isinstance(value, float | np.floating):
        return format_rate(value)
    return str(value)


_NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def number_word(n: int) -> str:
    """A count as prose writes it: ``"one"`` to ``"nine"`` in words, ``"no"`` for zero, then ``"10"``, ``"1,234"``."""
    n = int(n)
    return _NUMBER_WORDS[n] if 0 <= n < len(_NUMBER_WORDS) else format_int(n)


def ordinal(n: int) -> str:
    """An ordinal as English writes it in figures: ``1st``, ``2nd``, ``3rd``, ``11th``, ``14th``, ``21st``."""
    n = int(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def counted(n: int, noun: str, plural: str | None = None) -> str:
    """A count with its noun, as prose writes it: ``"one document"``, ``"five documents"``, ``"12 documents"``.

    ``plural`` defaults to ``noun + "s"``; zero reads ``"no documents"``.
    """
    n = int(n)
    return f"{number_word(n)} {noun if n == 1 else plural or noun + 's'}"


def times(n: int) -> str:
    """How often, as prose says it: ``"never"``, ``"once"``, ``"twice"``, ``"five times"``, ``"12 times"``."""
    n = int(n)
    return {0: "never", 1: "once", 2: "twice"}.get(n) or counted(n, "time")


def listed(items: Sequence[str]) -> str:
    """Items as prose lists them: ``"a"``, ``"a and b"``, ``"a, b and c"`` (no serial comma); empty for none."""
    items = [str(item) for item in items]
    return " and ".join(items) if len(items) < 3 else ", ".join(items[:-1]) + " and " + items[-1]


def capitalised(text: str) -> str:
    """``text`` with its first letter capitalised, for a count that opens a sentence (``"Five documents"``)."""
    return text[:1].upper() + text[1:]


def document_labels(documents: pd.DataFrame) -> pd.Series:
    """Each document's name for charts: its outlet and year (``"VOV World 2026"``), by ``doc_id``.

    The outlet is cut before its first parenthesis ("VOV World (Voice of
    Vietnam)" is "VOV World"); the year is the publication year.  Where two
    documents would share a label, the id is added to each (``"VOV World 2026 (seed_004)"``), first
    where the label would be cut on an axis (``"un_VNM_1995_50 (UN ...)"``); it stays in the tooltips.
    """
    outlet = documents["outlet"].astype(str).str.split("(", n=1).str[0].str.strip()
    label, doc_id = outlet + " " + documents["published_year"].map(year), documents["doc_id"].astype(str)
    fits = label.str.len() + doc_id.str.len() + 3 <= 34  # about what an axis label shows (240 px)
    told_apart = (label + " (" + doc_id + ")").where(fits, doc_id + " (" + label + ")")
    label = label.where(~label.duplicated(keep=False), told_apart)
    return pd.Series(label.to_numpy(), index=documents["doc_id"].to_numpy(), name="document")


def glue_values(values: dict[str, object]) -> dict[str, str]:
    """Format each value (:func:`format_value`) and glue it under its name for the prose.

    Returns the formatted strings, so a chapter can also print them.
    """
    from myst_nb import glue

    formatted = {name: format_value(value) for name, value in values.items()}
    for name, text in formatted.items():
        glue(name, text, display=False)
    return formatted


MISSING = "\u2013"
"""How a table prints a missing value: an en dash, which its caption explains (``TableOutput.missing``)."""

SHORT_CELL = 12
"""Characters: a cell this short with no space (``2023-05-19``, ``1946–1954``) is not broken across lines."""

_YEAR_COLUMN = re.compile(r"(?:^|_)(?:year|decade)s?(?:$|_)", re.IGNORECASE)
_P_VALUE_COLUMN = re.compile(r"^p(?:_|$)|p_value|p_adjusted", re.IGNORECASE)
_IDENTIFIER = re.compile(r"[A-Za-z0-9_.-]{1,40}")  # a name in a code cell: byte_order_mark, doc_type
_URL = re.compile(r"https?://[A-Za-z0-9\-._~:/?#\[\]@!$&*+,;=%]+[A-Za-z0-9/_#=-]")


@dataclass(frozen=True)
class ReadableTable:
    """A table's cells as a reader reads them: every value formatted once, for HTML and the PDF alike."""

    headers: list[str]
    rows: list[list[str]]
    numeric: list[bool]
    code: list[bool]
    caption: str


@dataclass(frozen=True, eq=False)
class TableOutput:
    """A table for the book: readable cells in HTML and in the PDF, its full data as CSV.

    ``data`` is the table as computed; its CSV (the download link, and the
    file in the run's output folder) keeps every column and full precision.
    What the reader sees is formatted once, by :meth:`readable`: the columns
    named in ``columns`` (all when ``None``) under the headers given there;
    years as ``1945`` (columns named for a year or decade, and those in
    ``years``); other integers as ``1,234``; fractions to ``decimals``
    places (one unless set per column); the columns in ``percent`` (shares
    between 0 and 1) as ``1.5 %``; p-values to three decimals or ``< 0.001``;
    yes/no for booleans; the columns in ``code`` in a monospace font (patterns,
    regular expressions); web addresses as links.  A missing value prints as
    an en dash, and the caption says what it means (``missing``); a column
    with no value in any row is left out, and the caption names it.  With
    ``collapsed`` (the label of the toggle), the HTML shows the table folded
    away; the PDF prints it in full.
    """

    name: str
    data: pd.DataFrame
    caption: str = ""
    columns: Mapping[str, str] | None = None
    decimals: Mapping[str, int] = field(default_factory=dict)
    percent: Sequence[str] = ()
    code: Sequence[str] = ()
    missing: str = "a missing value"
    collapsed: str | None = None
    years: Sequence[str] = ()

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        # No text/latex: myst-nb turns it into a math node on every builder, which makes
        # Sphinx load MathJax from a CDN on the HTML page. The PDF takes the Markdown table.
        return {"text/html": self.html(), "text/markdown": self.markdown(), "text/plain": self.text()}

    @cached_property
    def readable(self) -> ReadableTable:
        """The cells as the reader reads them (see the class docstring)."""
        chosen = dict(self.columns) if self.columns is not None else {c: _header(str(c)) for c in self.data.columns}
        unknown = [c for c in chosen if c not in self.data.columns]
        if unknown:
            raise KeyError(f"table {self.name!r}: no column {unknown} (it has {list(self.data.columns)})")
        headers, columns, numeric, code, empty = [], [], [], [], []
        for column, header in chosen.items():
            values = self.data[column]
            if len(values) and _is_missing_series(values).all():
                empty.append(header)
                continue
            is_year = column in self.years or bool(_YEAR_COLUMN.search(str(column)))
            percent = column in self.percent
            cells, is_number = _column_cells(values, self.decimals.get(column), percent, is_year, str(column))
            headers.append(header)
            columns.append(cells)
            numeric.append(is_number)
            code.append(column in self.code)
        rows = [list(row) for row in zip(*columns, strict=True)] if columns else []
        caption = self.caption
        if any(MISSING in row for row in rows):
            caption = f"{caption} A dash ({MISSING}) marks {self.missing}.".strip()
        if empty:
            caption = f"{caption} Not shown, having no value in any row: {', '.join(empty)}.".strip()
        return ReadableTable(headers, rows, numeric, code, caption)

    def html(self) -> str:
        """The table with every cell escaped, and its full data as a CSV download."""
        table = self.readable
        encoded = base64.b64encode(table_csv(self.data).encode("utf-8")).decode("ascii")
        name = html.escape(self.name)
        caption = f"<p class='fplang-table-caption'>{html.escape(table.caption)}</p>" if table.caption else ""
        head = "".join(
            ("<th class='num'>" if number else "<th>") + html.escape(header) + "</th>"
            for header, number in zip(table.headers, table.numeric, strict=True)
        )
        body = "".join(
            "<tr>"
            + "".join(
                _html_cell(cell, number, code)
                for cell, number, code in zip(row, table.numeric, table.code, strict=True)
            )
            + "</tr>"
            for row in table.rows
        )
        grid = (
            f"<div class='fplang-table-scroll'><table class='fplang-table'><thead><tr>{head}</tr></thead>"
            f"<tbody>{body}</tbody></table></div>"
        )
        if not table.rows:
            columns = html.escape(", ".join(table.headers))
            grid = f"<p class='fplang-table-empty'><em>No rows (columns: {columns}).</em></p>"
        if self.collapsed:
            summary = html.escape(self.collapsed)
            grid = f"<details class='fplang-table-collapsed'><summary>{summary}</summary>{grid}</details>"
        link = (
            f"<p class='fplang-download'><a download='{name}.csv' "
            f"href='data:text/csv;charset=utf-8;base64,{encoded}'>Download this table as CSV "
            f"({name}.csv)</a></p>"
        )
        return f"<div class='fplang-table-wrap' id='fplang-table-{name}'>{caption}{grid}{link}</div>"

    def markdown(self, max_rows: int = 40) -> str:
        """A MyST list-table titled by the caption (a numbered table in the PDF), every character escaped.

        Each ASCII punctuation mark in a cell is backslash-escaped, so document
        text can never become markup; code columns are inline code (which the
        PDF may break after a backslash, slash or punctuation mark) and web
        addresses autolinks (which it may break anywhere).  Column widths
        follow the content (:func:`column_widths`): short columns such as ids
        keep their natural width and long text columns share the rest of the
        line.  Long tables are cut to ``max_rows`` rows with a note pointing
        to the CSV.
        """
        table = self.readable
        rows = table.rows[:max_rows]
        if not rows:  # a list-table needs a body row
            caption = f"**{_markdown_cell(table.caption)}**\n\n" if table.caption else ""
            columns = ", ".join(_markdown_cell(h) for h in table.headers)
            return caption + f"*No rows (columns: {columns}).*"
        widths = column_widths([[h, *(row[i] for row in rows)] for i, h in enumerate(table.headers)])
        # The caption is the table's title, so the PDF numbers it ("Table 4.2: ...") as it does where the
        # table continues. A longtable may break across pages: a tall table (the rungs and their
        # patterns) never runs off the foot of a page, nor leaves most of one blank before it.
        title = f" {_markdown_cell(table.caption)}" if table.caption else ""
        widths_option = " ".join(map(str, widths))
        lines = [f":::{{list-table}}{title}", ":header-rows: 1", f":widths: {widths_option}", ":class: longtable", ""]
        for position, header in enumerate(table.headers):
            lines.append(("* - " if position == 0 else "  - ") + _markdown_cell(header))
        for row in rows:
            for position, (cell, code) in enumerate(zip(row, table.code, strict=True)):
                text = _markdown_code(cell) if code and cell != MISSING else _markdown_text(cell)
                lines.append(("* - " if position == 0 else "  - ") + text)
        lines.append(":::")
        note = ""
        if len(table.rows) > max_rows:
            full = f"{_markdown_cell(self.name)}.csv"
            note = f"\n\n*First {max_rows} of {len(table.rows):,} rows; the full table is {full}.*"
        return "\n".join(lines) + note

    def text(self) -> str:
        """The readable cells as plain text, for front ends without HTML."""
        table = self.readable
        return pd.DataFrame(table.rows, columns=table.headers).to_string(index=False)

    def __repr__(self) -> str:
        return f"TableOutput(name={self.name!r})"


def _header(column: str) -> str:
    """A raw column name as a header when the chapter gives none: ``chars_raw`` -> ``Chars raw``."""
    words = column.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float | np.floating) and np.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _is_missing_series(values: pd.Series) -> pd.Series:
    return values.map(_is_missing).astype(bool)


def _column_cells(
    values: pd.Series, decimals: int | None, percent: bool, is_year: bool, column: str
) -> tuple[list[str], bool]:
    """One column's cells as text, and whether the column is numeric (set right-aligned)."""
    present = [v for v in values if not _is_missing(v)]
    if present and all(isinstance(v, bool | np.bool_) for v in present):
        return [MISSING if _is_missing(v) else ("yes" if v else "no") for v in values], False
    numbers = present and all(isinstance(v, int | float | np.integer | np.floating) for v in present)
    if not numbers:  # text, or text mixed with numbers (a findings table): each value on its own
        return [_mixed_cell(v, decimals) for v in values], False
    integral = all(float(v).is_integer() for v in present)
    if is_year and integral:
        form = lambda v: str(int(v))  # noqa: E731 - a year: 1945, never 1,945 or 1945.0
    elif percent:
        form = lambda v: f"{100 * float(v):.{1 if decimals is None else decimals}f} %"  # noqa: E731
    elif _P_VALUE_COLUMN.search(column):
        form = lambda v: "< 0.001" if float(v) < 0.001 else f"{float(v):.3f}"  # noqa: E731
    elif integral and decimals is None:
        form = lambda v: format_int(int(v))  # noqa: E731
    else:
        form = lambda v: f"{float(v):,.{1 if decimals is None else decimals}f}"  # noqa: E731
    return [MISSING if _is_missing(v) else form(v) for v in values], True


def _mixed_cell(value: object, decimals: int | None) -> str:
    if _is_missing(value):
        return MISSING
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | np.integer):
        return format_int(value)
    if isinstance(value, float | np.floating):
        return f"{float(value):,.{1 if decimals is None else decimals}f}"
    return str(value)


def _html_cell(cell: str, number: bool, code: bool) -> str:
    if number:
        return f"<td class='num'>{html.escape(cell)}</td>"
    if code and cell != MISSING:
        # A pattern may break anywhere, or the longest regular expression would widen the table; a name
        # in it (a rule's, "source_url") is a word and stays whole, so its column is at least that wide.
        pieces = [
            f"<span class='word'>{html.escape(piece)}</span>" if _IDENTIFIER.fullmatch(piece) else html.escape(piece)
            for piece in re.split(r"(\s+)", cell)
        ]
        return f"<td class='code'><code>{''.join(pieces)}</code></td>"
    parts, last = [], 0
    for match in _URL.finditer(cell):
        address = html.escape(match.group(0), quote=True)
        parts.append(html.escape(cell[last : match.start()]))
        parts.append(f"<a href=\"{address}\">{address}</a>")
        last = match.end()
    parts.append(html.escape(cell[last:]))
    # A short cell without a space (a date, a span of years, an id) is kept on one line.
    short = len(cell) <= SHORT_CELL and " " not in cell
    opening = "<td class='short'>" if short else "<td>"
    return opening + "".join(parts) + "</td>"


def _markdown_text(cell: str) -> str:
    """Escaped text, with each web address an autolink."""
    flat = " ".join(cell.split())
    parts, last = [], 0
    for match in _URL.finditer(flat):
        parts.append(_escape(flat[last : match.start()]))
        parts.append(f"<{match.group(0)}>")
        last = match.end()
    parts.append(_escape(flat[last:]))
    return "".join(parts)


def _markdown_code(cell: str) -> str:
    """``cell`` as inline code, fenced by more backticks than it holds in a row."""
    flat = " ".join(cell.split())
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    padded = f" {flat} " if flat.startswith("`") or flat.endswith("`") else flat
    return f"{fence}{padded}{fence}"


LINE_CHARACTERS = 105
"""About how many characters fit on one line of a table in the PDF (A4; tables in 8 pt FreeSerif, see _config.yml)."""

COLUMN_PADDING = 3
"""The space between two columns (LaTeX's 2 * tabcolsep), in characters, taken out of each column's share."""

TEXT_COLUMN_FLOOR = 16
"""Long text columns are narrowed no further than this many characters."""


def column_widths(columns: list[list[str]], line: int = LINE_CHARACTERS, longest: int = 60) -> list[int]:
    """Relative column widths for a typeset table, from each column's header and cells.

    A column's natural width is its longest cell (at most ``longest``
    characters) or its header's longest word, plus one character of slack
    and the padding between columns (:data:`COLUMN_PADDING`), which the
    LaTeX column type takes out of each column's share of the line.  When
    the columns do not fit on a line, the widest column is narrowed a
    character at a time, but no column below its natural width or
    :data:`TEXT_COLUMN_FLOOR` (plus the padding), whichever is less: short
    columns (ids, dates, counts, and headers such as "Tokens") keep their
    natural width and do not break mid-word, and long text columns share
    what is left.  The widths are relative; LaTeX scales them to the line.
    """
    padding = int(COLUMN_PADDING)
    natural = [
        1
        + padding
        + max(
            3,
            max((len(word) for word in column[0].split()), default=0),
            max((min(len(cell), longest) for cell in column[1:]), default=0),
        )
        for column in columns
    ]
    floors = [min(width, TEXT_COLUMN_FLOOR + padding) for width in natural]
    widths = list(natural)
    room = max(line, len(widths))
    while sum(widths) > room:
        narrowable = [i for i, width in enumerate(widths) if width > floors[i]]
        if not narrowable:
            break
        widest = max(narrowable, key=lambda i: (widths[i], -i))
        widths[widest] -= 1
    return widths


_MARKDOWN_SPECIAL = frozenset("\\`*_{}[]()<>#+-.!|~$&^%@=:;,'\"?/")


def _markdown_cell(text: str) -> str:
    """Escape every ASCII punctuation mark so MyST reads the text literally (white space made single)."""
    return _escape(" ".join(str(text).split()))


def _escape(text: str) -> str:
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in text)


def show_table(
    data: pd.DataFrame,
    name: str,
    out_dir: str | Path | None = None,
    caption: str = "",
    *,
    columns: Mapping[str, str] | None = None,
    decimals: Mapping[str, int] | None = None,
    percent: Sequence[str] = (),
    code: Sequence[str] = (),
    missing: str = "a missing value",
    collapsed: str | None = None,
    years: Sequence[str] = (),
) -> TableOutput:
    """Display ``data`` readably (see :class:`TableOutput`) and, given ``out_dir``, write it there as ``<name>.csv``.

    ``columns`` maps each column to show to its header, in the order shown;
    ``missing`` completes the caption's sentence "A dash (–) marks ...";
    ``collapsed`` folds the table away in the HTML behind a toggle with that label; ``years`` names
    columns of years whose names do not say so (``nearest_landmark``).
    """
    if out_dir is not None:
        save_chart_table(data, Path(out_dir) / f"{name}.csv")
    return TableOutput(
        name=name,
        data=data.reset_index(drop=True),
        caption=caption,
        columns=columns,
        decimals=dict(decimals or {}),
        percent=tuple(percent),
        code=tuple(code),
        missing=missing,
        collapsed=collapsed,
        years=tuple(years),
    )


def save_tables(tables: dict[str, pd.DataFrame], out_dir: str | Path) -> list[Path]:
    """Write each table as ``<name>.csv`` in ``out_dir`` (atomically); returns the paths."""
    return [save_chart_table(frame, Path(out_dir) / f"{name}.csv") for name, frame in tables.items()]


@dataclass(frozen=True)
class NoticeOutput:
    """A boxed note telling the reader why a chapter (or part of one) does not apply, or what it leaves out."""

    message: str
    title: str = "Not applicable to this corpus"

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        text = html.escape(self.message)
        return {
            "text/html": f"<div class='admonition warning fplang-not-applicable'><p class='admonition-title'>"
            f"{html.escape(self.title)}</p><p>{text}</p></div>",
            "text/plain": f"{self.title}: {self.message}",
        }


def not_applicable(reason: str, keys: list[str]) -> NoticeOutput:
    """Glue every prose value ``keys`` as "n/a" and return the notice to display.

    Chapters call this when their input cannot support them (a corpus with no
    UN speeches, no document variable to compare on), so a re-run on another
    corpus says so in the book instead of failing or showing the default results.
    """
    glue_values(dict.fromkeys(keys, "n/a"))
    return NoticeOutput(reason)


def headline(claim: str, *, holds: bool, otherwise: str) -> str:
    """A chart title that states a finding only when the data show it.

    The book titles its charts with what to notice ("The 14th-Congress texts
    alone speak of strategic autonomy").  A re-run on another corpus draws
    the same chart from other data; the chapter computes whether the claim
    still holds and, where it does not, the chart gets the neutral
    ``otherwise`` title instead of the book's finding.
    """
    return claim if holds else otherwise


_YEAR_WITH_SEPARATOR = r"(?:1,[5-9]\d\d|2,0\d\d)"
_READING_RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("a missing value printed as <NA>", re.compile(r"<NA>")),
    ("a missing value printed as nan", re.compile(r"\b(?:nan|NaN)\b")),
    ("a missing value printed as None", re.compile(r"\bNone\b")),
    ("a year printed with a decimal point", re.compile(r"(?<![\d.,])(?:1[5-9]\d\d|20\d\d)\.\d+")),
    (
        "a year printed with a thousands separator",
        re.compile(
            rf"(?<![\d.,])(?:{_YEAR_WITH_SEPARATOR}(?=\.\d)"  # 1,945.00: a float year typeset
            rf"|\b(?:in|since|from|until|between) {_YEAR_WITH_SEPARATOR}(?![\d,])"  # in 1,945
            rf"|{_YEAR_WITH_SEPARATOR}(?=[\u2013-]\d))"  # 1,945–1,954
        ),
    ),
    ("a number with more than three decimals", re.compile(r"(?<![\d.])\d+\.\d{4,}(?![\d/])")),
)


def reading_problems(text: str) -> list[str]:
    """Where ``text`` shows machine output instead of numbers a person would write.

    One line per finding, naming the rule and quoting the match in its
    context: a missing value printed as ``<NA>``, ``nan`` or ``None``; a year
    with a decimal point (``1945.0``) or a thousands separator (``1,945.00``,
    ``in 1,945``, ``1,945–1,954``); a number with more than three decimals
    (``0.015182``; a DOI such as ``10.1111/j.1540-5907.2008.00338.x`` is not a number).  A count such as
    ``1,729 tokens`` is not taken for a year: only a separated number with a decimal part, after "in",
    "since", "from", "until" or "between", or before a dash and a digit is.  The book's tests apply
    this to every page of the HTML and to the PDF's text.
    """
    text = re.sub(r"\b10\.\d{4,9}/(?:\S*-\s+)*\S+", " ", text)  # DOIs, also one a line split after a hyphen
    found: list[str] = []
    for rule, pattern in _READING_RULES:
        for match in pattern.finditer(text):
            start, end = max(match.start() - 30, 0), match.end() + 30
            context = " ".join(text[start:end].split())
            found.append(f"{rule}: {match.group(0)!r} in '...{context}...'")
    return found
