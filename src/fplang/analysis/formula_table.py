"""The table of Party formulas (``data/formulas.csv``): Congress and Politburo wording, with its source.

:func:`load_formulas` reads and validates it, reporting every problem at once;
each English wording must state the rung its row names, and a row names the
highest rung its wording states (checked with :func:`fplang.analysis.rungs.find_rungs`).
A row's source must not be on a host of :data:`fplang.tables.WEAK_SOURCE_DOMAINS`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from fplang.analysis.rungs import RUNG_IDS, RUNGS, find_rungs
from fplang.errors import InputError, Problem
from fplang.files import read_text_table
from fplang.tables import cell, row_problem, weak_domains_in, whole_number

FORMULA_COLUMNS: tuple[str, ...] = (
    "document_id",
    "congress",
    "year",
    "document",
    "wording_vi",
    "wording",
    "rung",
    "citation",
    "source_url",
    "source_note",
    "has_source",
)
"""Columns of ``data/formulas.csv``, in file order."""

EARLIEST_FORMULA_YEAR: int = 1900
LATEST_FORMULA_YEAR: int = 2035


class FormulasError(InputError):
    """A formulas table is unusable; ``problems`` lists every problem found.

    Each problem names the file, the row (and file line) and the column, and
    says what is wrong, so one run shows everything that needs fixing.
    """

    what = "the formulas table"


# --------------------------------------------------------------------------
# The Congress formulas table
# --------------------------------------------------------------------------


def load_formulas(path: str | Path) -> pd.DataFrame:
    """Read and validate the table of Congress formulas (``data/formulas.csv``).

    Columns (:data:`FORMULA_COLUMNS`):

    ``document_id``
        a unique snake_case key (``congress_11``, ``politburo_22_2013``, ``hcm_1947``).
    ``congress``
        the Congress ordinal, or empty for a text outside a Congress (Hồ Chí
        Minh 1947, a Politburo resolution); unique.
    ``year``
        the year of the Congress (or of the text), 1900-2035; rows in
        chronological order.
    ``document``
        what the text is: the document's title, or whose restatement it is.
    ``wording_vi``
        the Vietnamese original as the source quotes it; may be empty (the
        ``source_note`` then says it was not found).
    ``wording``
        the English rendering; empty when no wording was found.
    ``rung``
        the highest rung (largest ``order``) the English wording states, or
        empty when it states none (checked with :func:`find_rungs`).
    ``citation``
        the document, or the page quoting it, as a specialist would cite it;
        required with a wording.
    ``source_url``
        an ``http(s)://`` address where the citation was read, required with
        a wording; never on a host of :data:`fplang.tables.WEAK_SOURCE_DOMAINS`.
    ``source_note``
        who translated, what was not seen, or why there is no wording;
        required when ``has_source`` is false.
    ``has_source``
        ``true`` or ``false``: whether a sourced wording is given.

    Returns
    -------
    pandas.DataFrame
        One row per line in file order: ``congress`` as ``Int64``, ``year`` as
        ``int64``, ``has_source`` as ``bool``, the rest as ``str`` (empty
        string where the cell is empty).

    Raises
    ------
    FormulasError
        Listing *every* problem at once, each with file, row and column.
    """
    path = Path(path)
    table, problems = read_text_table(path, FORMULA_COLUMNS, "formulas table")
    if table is not None:
        problems += _formula_table_problems(table, path.name)
    if problems:
        raise FormulasError(problems, str(path))
    assert table is not None
    return _typed_formulas(table)


def validate_formulas(path: str | Path) -> list[Problem]:
    """Every problem :func:`load_formulas` would report, without raising (empty when usable)."""
    path = Path(path)
    table, problems = read_text_table(path, FORMULA_COLUMNS, "formulas table")
    if table is not None:
        problems += _formula_table_problems(table, path.name)
    return problems


def _formula_table_problems(table: pd.DataFrame, name: str) -> list[Problem]:
    """Every problem in a formulas table whose cells are still text.

    Rows count from 1 for the first data row; the file line (header = line 1)
    is given too.  Problems come in row order, within a row in column order,
    then the problems between rows.
    """
    problems = [
        Problem(name, message=f"missing column {column!r} (the table needs {', '.join(FORMULA_COLUMNS)})")
        for column in FORMULA_COLUMNS
        if column not in table.columns
    ]
    problems += [
        Problem(name, message=f"unknown column {column!r} (the table has exactly {', '.join(FORMULA_COLUMNS)})")
        for column in table.columns
        if column not in FORMULA_COLUMNS
    ]
    congress_rows: dict[int, int] = {}
    document_rows: dict[str, int] = {}
    previous_year: tuple[int, int] | None = None
    for position, record in enumerate(table.to_dict("records")):
        cells = {column: cell(record[column]) for column in FORMULA_COLUMNS if column in table.columns}
        row_problems, congress, year = _formula_row_problems(cells)
        problems += [row_problem(name, position, problem) for problem in row_problems]
        document_id = cells.get("document_id", "")
        if document_id in document_rows:
            first = document_rows[document_id]
            problems.append(
                row_problem(name, position, f"document_id: {document_id!r} repeats row {first + 1} (line {first + 2})")
            )
        elif document_id:
            document_rows[document_id] = position
        if congress is not None:
            if congress in congress_rows:
                first = congress_rows[congress]
                problems.append(
                    row_problem(
                        name,
                        position,
                        f"congress: {congress} repeats row {first + 1} (line {first + 2}); one row per Congress",
                    )
                )
            else:
                congress_rows[congress] = position
        if year is not None:
            if previous_year is not None and year < previous_year[1]:
                problems.append(
                    row_problem(
                        name,
                        position,
                        f"year: {year} comes after {previous_year[1]} in row {previous_year[0] + 1}; "
                        "list the rows in chronological order",
                    )
                )
            previous_year = (position, year)
    return problems


def _formula_row_problems(cells: Mapping[str, str]) -> tuple[list[str], int | None, int | None]:
    """Problems within one row, each starting with the column name; also the usable congress and year."""
    problems: list[str] = []
    if "document_id" in cells and not re.fullmatch(r"[a-z][a-z0-9_]*", cells["document_id"]):
        problems.append(f"document_id: {cells['document_id']!r} is not a snake_case key (e.g. congress_11)")
    congress: int | None = None
    congress_text = cells.get("congress", "")
    if congress_text:
        congress = whole_number(congress_text)
        if congress is None or congress < 1:
            problems.append(f"congress: {congress_text!r} is not a Congress ordinal (a whole number from 1, or empty)")
            congress = None
    year: int | None = None
    if "year" in cells:
        year = whole_number(cells["year"])
        if year is None:
            problems.append(f"year: {cells['year']!r} is not a whole year")
        elif not EARLIEST_FORMULA_YEAR <= year <= LATEST_FORMULA_YEAR:
            problems.append(f"year: {year} is outside {EARLIEST_FORMULA_YEAR}-{LATEST_FORMULA_YEAR}")
            year = None
    wording = cells.get("wording", "")
    rung = cells.get("rung", "")
    has_source_text = cells.get("has_source", "")
    has_source = {"true": True, "false": False}.get(has_source_text.lower())
    if "has_source" in cells and has_source is None:
        problems.append(f"has_source: {has_source_text!r} is not true or false")
    if "rung" in cells and rung and rung not in RUNG_IDS:
        problems.append(f"rung: {rung!r} is not a rung id (known: {', '.join(RUNG_IDS)})")
    if has_source is True:
        if "wording" in cells and not wording:
            problems.append("wording: empty, but has_source is true; quote the formula or set has_source to false")
        if "citation" in cells and not cells["citation"]:
            problems.append("citation: empty, but has_source is true; name the document or the page quoting it")
        url = cells.get("source_url", "")
        if "source_url" in cells and not re.match(r"https?://\S+$", url):
            problems.append(f"source_url: {url!r} is not an http(s) address; has_source is true")
    problems += [
        f"{column}: cites {domain}, which a specialist would not accept; find a Party, State or scholarly source"
        for column in ("citation", "source_url", "source_note")
        for domain in weak_domains_in(cells.get(column, ""))
    ]
    if has_source is False:
        if wording:
            problems.append("wording: given, but has_source is false; a wording needs its source")
        if rung:
            problems.append("rung: given, but has_source is false; a rung needs a sourced wording")
        if "source_note" in cells and not cells["source_note"]:
            problems.append(
                "source_note: empty; say why no wording is given (e.g. 'Congress wording not found with a source')"
            )
    if wording and (not rung or rung in RUNG_IDS):
        problems += _wording_rung_problems(wording, rung)
    return problems, congress, year


def _wording_rung_problems(wording: str, rung: str) -> list[str]:
    by_id = {each.id: each for each in RUNGS}
    stated = sorted({match.rung for match in find_rungs(wording)}, key=lambda rung_id: by_id[rung_id].order)
    if not rung:
        if stated:
            return [f"rung: empty, but the wording states {', '.join(stated)}; name the highest, {stated[-1]!r}"]
        return []
    if rung not in stated:
        return [f"rung: the wording does not state {rung!r} (it states {', '.join(stated) or 'no rung'})"]
    if stated[-1] != rung:
        return [
            f"rung: {rung!r} is not the highest rung the wording states; it also states {stated[-1]!r} "
            f"(order {by_id[stated[-1]].order})"
        ]
    return []


def _typed_formulas(table: pd.DataFrame) -> pd.DataFrame:
    formulas = pd.DataFrame({column: table[column].map(cell) for column in FORMULA_COLUMNS})
    formulas["congress"] = pd.array(
        [int(value) if value else pd.NA for value in formulas["congress"]], dtype="Int64"
    )
    formulas["year"] = formulas["year"].astype("int64")
    formulas["has_source"] = formulas["has_source"].str.lower().eq("true").astype(bool)
    return formulas.reset_index(drop=True)
