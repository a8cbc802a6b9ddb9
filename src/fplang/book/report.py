"""What a chapter shows: glued numbers, tables, and the files behind them.

Numbers in the book's prose are never typed: a chapter computes them and
``glue_values`` formats each once (integers with thousands separators, rates
to one decimal) and glues it for ``{glue:text}`` roles.  Tables are shown
with their text escaped (document text is untrusted) and offered as CSV, both as a download link under the table and as a file in the
run's output folder.
"""

from __future__ import annotations

import base64
import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from fplang.book.charts import MAX_CHART_ROWS, save_chart_table, table_csv
from fplang.book.numbers import format_int, format_rate


def year(value: object) -> str:
    """A year for prose: ``2006`` (no thousands separator), or an em dash when missing."""
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return "\u2014"
    return str(int(value))  # type: ignore[call-overload]


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


def glue_values(values: dict[str, object]) -> dict[str, str]:
    """Format each value (:func:`format_value`) and glue it under its name for the prose.

    Returns the formatted strings, so a chapter can also print them.
    """
    from myst_nb import glue

    formatted = {name: format_value(value) for name, value in values.items()}
    for name, text in formatted.items():
        glue(name, text, display=False)
    return formatted


@dataclass(frozen=True, eq=False)
class TableOutput:
    """A table for the book: escaped HTML with a CSV download link, and plain text."""

    name: str
    data: pd.DataFrame
    caption: str = ""

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, str]:
        # No text/latex: myst-nb turns it into a math node on every builder, which makes
        # Sphinx load MathJax from a CDN on the HTML page. The PDF takes the Markdown table.
        return {"text/html": self.html(), "text/markdown": self.markdown(), "text/plain": self.text()}

    def html(self) -> str:
        """The table with every cell escaped, and its data as a CSV download."""
        table = self.data.to_html(index=False, escape=True, border=0, classes="fplang-table", na_rep="")
        encoded = base64.b64encode(table_csv(self.data).encode("utf-8")).decode("ascii")
        name = html.escape(self.name)
        caption = f"<p class='fplang-table-caption'>{html.escape(self.caption)}</p>" if self.caption else ""
        link = (
            f"<p class='fplang-download'><a download='{name}.csv' "
            f"href='data:text/csv;charset=utf-8;base64,{encoded}'>Download this table as CSV "
            f"({name}.csv)</a></p>"
        )
        return f"<div class='fplang-table-wrap' id='fplang-table-{name}'>{caption}{table}{link}</div>"

    def markdown(self, max_rows: int = 40) -> str:
        """A MyST list-table (typeset as a real table in the PDF), every character escaped.

        Each ASCII punctuation mark in a cell is backslash-escaped, so document
        text can never become markup.  Column widths follow the content
        (:func:`column_widths`): short columns such as ids keep their natural
        width and long text columns share the rest of the line.  Long tables
        are cut to ``max_rows`` rows with a note pointing to the CSV.
        """
        shown = self.data.head(max_rows)
        caption = f"**{_markdown_cell(self.caption)}**\n\n" if self.caption else ""
        if shown.empty:  # a list-table needs a body row
            columns = ", ".join(_markdown_cell(str(c)) for c in shown.columns)
            return caption + f"*No rows (columns: {columns}).*"
        header = [str(c) for c in shown.columns]
        rows = [[_cell_text(v) for v in row] for row in shown.itertuples(index=False)]
        widths = column_widths([[h, *(row[i] for row in rows)] for i, h in enumerate(header)])
        lines = [":::{list-table}", ":header-rows: 1", f":widths: {' '.join(map(str, widths))}", ""]
        for cells in [header, *rows]:
            for position, cell in enumerate(cells):
                lines.append(("* - " if position == 0 else "  - ") + _markdown_cell(cell))
        lines.append(":::")
        note = ""
        if len(self.data) > max_rows:
            note = f"\n\n*First {max_rows} of {len(self.data):,} rows; the full table is {_markdown_cell(self.name)}.csv.*"
        return caption + "\n".join(lines) + note

    def text(self) -> str:
        return self.data.to_string(index=False)

    def __repr__(self) -> str:
        return f"TableOutput(name={self.name!r})"


LINE_CHARACTERS = 105
"""About how many characters fit on one line of a table in the PDF (A4; tables in 8 pt FreeSerif, see _config.yml)."""

COLUMN_PADDING = 3.0
"""The space between two columns (LaTeX's 2 * tabcolsep), in characters."""

TEXT_COLUMN_FLOOR = 16
"""Long text columns are narrowed no further than this many characters."""


def column_widths(columns: list[list[str]], line: int = LINE_CHARACTERS, longest: int = 60) -> list[int]:
    """Relative column widths for a typeset table, from each column's header and cells.

    A column's natural width is its longest cell (at most ``longest``
    characters) or its header's longest word, plus one character of slack.
    When the columns do not fit on a line (less the padding between
    columns), the widest column is narrowed a character at a time, but no
    column below its natural width or :data:`TEXT_COLUMN_FLOOR`, whichever
    is less: short columns (ids, dates, counts) keep their natural width and
    do not break mid-word, and long text columns share what is left.  The
    widths are relative; LaTeX scales them to the line.
    """
    natural = [
        1
        + max(
            3,
            max((len(word) for word in column[0].split()), default=0),
            max((min(len(cell), longest) for cell in column[1:]), default=0),
        )
        for column in columns
    ]
    floors = [min(width, TEXT_COLUMN_FLOOR) for width in natural]
    widths = list(natural)
    room = max(int(line - COLUMN_PADDING * len(widths)), len(widths))
    while sum(widths) > room:
        narrowable = [i for i, width in enumerate(widths) if width > floors[i]]
        if not narrowable:
            break
        widest = max(narrowable, key=lambda i: (widths[i], -i))
        widths[widest] -= 1
    return widths


_MARKDOWN_SPECIAL = frozenset("\\`*_{}[]()<>#+-.!|~$&^%@=:;,'\"?/")


def _markdown_cell(text: str) -> str:
    """Escape every ASCII punctuation mark so MyST reads the text literally."""
    flat = " ".join(str(text).split())
    return "".join("\\" + ch if ch in _MARKDOWN_SPECIAL else ch for ch in flat)


def _cell_text(value: object) -> str:
    if value is None or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return ""
    if isinstance(value, float | np.floating):
        return f"{value:,.2f}"
    return str(value)


def show_table(data: pd.DataFrame, name: str, out_dir: str | Path | None = None, caption: str = "") -> TableOutput:
    """Display ``data`` and, when ``out_dir`` is given, write it there as ``<name>.csv``."""
    if out_dir is not None:
        save_chart_table(data, Path(out_dir) / f"{name}.csv")
    return TableOutput(name=name, data=data.reset_index(drop=True), caption=caption)


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


MAX_CHART_GROUPS = 100
"""The most groups (e.g. concepts, one row each) a chart draws: 5,000 concepts made a 46 MB picture and stopped a run."""


def within_chart_limit(
    frame: pd.DataFrame,
    group: str,
    rank_by: str,
    table: str,
    what: str,
    limit: int = MAX_CHART_ROWS,
    max_groups: int = MAX_CHART_GROUPS,
) -> tuple[pd.DataFrame, NoticeOutput | None]:
    """``frame`` cut to what a chart can carry, whole groups at a time, and a note saying what was left out.

    A chart embeds its data in the page and takes at most ``limit`` rows
    (:data:`fplang.book.charts.MAX_CHART_ROWS`), and gives each group a row or
    column of its own, so more than ``max_groups`` of them cannot be read (nor
    drawn at a reasonable size).  When ``frame`` has more, the groups with the
    largest ``rank_by`` totals are kept, as many as fit both bounds, and the
    note names how many ``what`` were charted and the ``table`` (a CSV file
    of the run) that holds them all.  ``None`` when all fit.
    """
    totals = frame.groupby(group, sort=False)[rank_by].sum().sort_values(ascending=False, kind="stable")
    if len(frame) <= limit and len(totals) <= max_groups:
        return frame, None
    sizes = frame.groupby(group, sort=False).size().reindex(totals.index)
    kept = totals.index[(sizes.cumsum() <= limit).to_numpy()][:max_groups]
    if len(frame) > limit and len(kept) < max_groups:
        why = f"all of them would need {len(frame):,} cells, more than the {limit:,} a chart carries"
    else:
        why = f"a chart has room for {max_groups:,} at most"
    note = NoticeOutput(
        f"The chart shows the {len(kept):,} {what} of {len(totals):,} with the highest total {rank_by}: {why}. "
        f"The table {table} holds them all.",
        title="Not all of this corpus is charted",
    )
    return frame[frame[group].isin(kept)], note
