"""Load and validate a corpus manifest, and read its texts.

A manifest is a CSV file, one row a document, whose ``path`` column points to
a UTF-8 text file relative to the manifest's own folder.  Validation runs
before any other work and reports *every* problem at once, each naming the
file, the row and the column, so a user can fix a manifest in one pass:

    corpus.csv row 4 (doc_id 'x'), column published: '2026-13-01' is not a date

Required columns are listed in :data:`REQUIRED_COLUMNS`.  Any other column is
kept as a *document variable*.  Its header may declare a type with a suffix,
``congress:int``; the types are those of :data:`VARIABLE_TYPES`, and a column
without a suffix is text.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from fplang.errors import InputError, Problem, problem_order

REQUIRED_COLUMNS: tuple[str, ...] = (
    "doc_id",
    "path",
    "title",
    "published",
    "doc_type",
    "outlet",
    "source_url",
    "sha256",
    "rights",
    "notes",
)
"""Columns every manifest must have, in the order the book shows them."""

VARIABLE_TYPES: dict[str, str] = {
    "str": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "date": "an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)",
}
"""Types a document-variable column may declare with a ``name:type`` header."""

DATE_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
DOC_ID_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
TRUE_WORDS = frozenset({"true", "yes", "1"})
FALSE_WORDS = frozenset({"false", "no", "0"})


class CorpusError(InputError):
    """A manifest or one of its texts cannot be used; ``problems`` lists why."""

    what = "the corpus"


def validate_manifest(manifest_path: str | Path) -> list[Problem]:
    """Every problem with a manifest and its texts; an empty list means usable.

    Checks, in this order, and all of them even after a failure: that the
    file is a readable UTF-8 CSV; the required columns; typed headers; the
    values of each row (pandera schema); unique ``doc_id``; then each text:
    its path stays inside the manifest's folder, the file exists, its SHA-256
    matches, it is UTF-8 and not empty.
    """
    manifest_path = Path(manifest_path)
    name = manifest_path.name
    frame, problems = _read_manifest_frame(manifest_path)
    if frame is None:
        return problems
    problems += _check_columns(frame, name)
    if any(p.where is None for p in problems):
        return sorted(problems, key=problem_order)
    problems += _check_values(frame, name)
    problems += _check_texts(frame, manifest_path.parent, name)
    return sorted(set(problems), key=problem_order)


def load_manifest(manifest_path: str | Path) -> pd.DataFrame:
    """The validated manifest, with typed document variables.

    Raises :class:`CorpusError` listing every problem when the manifest is not
    usable; nothing is read beyond the manifest and its texts.  Typed headers
    lose their suffix (``congress:int`` becomes ``congress``).  The frame gains
    ``file`` (the text's absolute path) and ``published_year``.
    """
    manifest_path = Path(manifest_path)
    problems = validate_manifest(manifest_path)
    if problems:
        raise CorpusError(problems)
    frame, _ = _read_manifest_frame(manifest_path)
    assert frame is not None
    frame = _apply_variable_types(frame)
    frame["file"] = [str((manifest_path.parent / p).resolve()) for p in frame["path"]]
    frame["published_year"] = frame["published"].str.slice(0, 4).astype(int)
    return frame


def read_texts(manifest: pd.DataFrame) -> pd.Series:
    """The raw text of each document, indexed by ``doc_id``, exactly as stored.

    A leading byte-order mark is kept: removing it is a cleaning rule, so that
    the cleaning report accounts for every character.
    """
    texts = {
        doc_id: Path(file).read_bytes().decode("utf-8")
        for doc_id, file in zip(manifest["doc_id"], manifest["file"], strict=True)
    }
    return pd.Series(texts, name="raw_text", dtype="string").rename_axis("doc_id")


def document_variables(manifest: pd.DataFrame) -> list[str]:
    """Names of the manifest's extra columns (its document variables), in order."""
    derived = {"file", "published_year"}
    return [c for c in manifest.columns if c not in REQUIRED_COLUMNS and c not in derived]


# --- reading -----------------------------------------------------------------


def _read_manifest_frame(path: Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    """The manifest as strings, or the problem that stops it being read at all."""
    name = path.name
    if not path.is_file():
        return None, [Problem(str(path), message="manifest file not found")]
    try:
        raw = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return None, [Problem(name, message=f"not valid UTF-8 (byte {error.start})")]
    if not raw.strip():
        return None, [Problem(name, message="the manifest is empty")]
    try:
        from io import StringIO

        frame = pd.read_csv(
            StringIO(raw), dtype=str, keep_default_na=False, na_filter=False
        )
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        return None, [Problem(name, message=f"not a readable CSV file ({error})")]
    frame.columns = [c.strip() for c in frame.columns]
    frame = frame.apply(lambda column: column.str.strip())
    return frame, []


def _check_columns(frame: pd.DataFrame, name: str) -> list[Problem]:
    problems = [
        Problem(name, column=column, message="required column is missing")
        for column in REQUIRED_COLUMNS
        if column not in frame.columns
    ]
    seen: set[str] = set()
    for header in frame.columns:
        base, _, declared = header.partition(":")
        if base in seen:
            problems.append(Problem(name, column=header, message="column appears twice"))
        seen.add(base)
        if declared and declared not in VARIABLE_TYPES:
            known = ", ".join(VARIABLE_TYPES)
            problems.append(
                Problem(name, column=header, message=f"unknown column type {declared!r} (use one of: {known})")
            )
        if declared and base in REQUIRED_COLUMNS:
            problems.append(Problem(name, column=header, message="a required column cannot declare a type"))
    if len(frame) == 0:
        problems.append(Problem(name, message="the manifest has no documents"))
    return problems


def _manifest_schema(frame: pd.DataFrame) -> pa.DataFrameSchema:
    """The pandera schema of one manifest: fixed columns plus its typed variables."""

    def matches(regex: re.Pattern[str], what: str) -> pa.Check:
        return pa.Check(lambda s: s.str.match(regex), element_wise=False, error=what)

    columns: dict[str, pa.Column] = {
        "doc_id": pa.Column(
            str,
            [matches(DOC_ID_RE, "is not a usable id (letters, digits, '_', '-', '.'; no spaces)")],
        ),
        "path": pa.Column(str, pa.Check.str_length(min_value=1, error="is empty")),
        "title": pa.Column(str, pa.Check.str_length(min_value=1, error="is empty")),
        "published": pa.Column(str, matches(DATE_RE, "is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")),
        "doc_type": pa.Column(
            str, matches(re.compile(r"^[a-z][a-z0-9_]*$"), "is not a snake_case type name")
        ),
        "sha256": pa.Column(str, matches(SHA256_RE, "is not a SHA-256 (64 lower-case hex digits)")),
    }
    for header in frame.columns:
        _, _, declared = header.partition(":")
        check = _VARIABLE_CHECKS.get(declared)
        if check is not None:
            columns[header] = pa.Column(str, check)
    return pa.DataFrameSchema(columns, strict=False, coerce=False)


def _is_int(value: str) -> bool:
    return value == "" or re.fullmatch(r"[+-]?\d+", value) is not None


def _is_float(value: str) -> bool:
    if value == "":
        return True
    try:
        float(value)
    except ValueError:
        return False
    return True


_VARIABLE_CHECKS: dict[str, pa.Check] = {
    "int": pa.Check(_is_int, element_wise=True, error="is not a whole number"),
    "float": pa.Check(_is_float, element_wise=True, error="is not a number"),
    "bool": pa.Check(
        lambda v: v.lower() in TRUE_WORDS | FALSE_WORDS | {""},
        element_wise=True,
        error="is not true/false",
    ),
    "date": pa.Check(
        lambda v: v == "" or DATE_RE.match(v) is not None,
        element_wise=True,
        error="is not a date (YYYY-MM-DD, YYYY-MM or YYYY)",
    ),
}


def _check_values(frame: pd.DataFrame, name: str) -> list[Problem]:
    """Row-level problems, from the pandera schema and the unique-id rule."""
    problems: list[Problem] = []
    try:
        _manifest_schema(frame).validate(frame, lazy=True)
    except SchemaErrors as errors:
        for _, case in errors.failure_cases.iterrows():
            index = case["index"]
            if index is None or pd.isna(index):
                continue
            row = int(index)
            value = case["failure_case"]
            problems.append(
                Problem(name, row + 1, case["column"], f"{value!r} {case['check']}", _row_detail(frame, row))
            )
    problems += _check_real_dates(frame, name)
    duplicated = frame["doc_id"].duplicated(keep="first")
    for row in frame.index[duplicated]:
        first = int(frame.index[frame["doc_id"] == frame.at[row, "doc_id"]][0]) + 1
        problems.append(
            Problem(
                name,
                int(row) + 1,
                "doc_id",
                f"duplicate id {frame.at[row, 'doc_id']!r} (first used in row {first})",
                _row_detail(frame, int(row)),
            )
        )
    return problems


def _check_real_dates(frame: pd.DataFrame, name: str) -> list[Problem]:
    """Dates that have the right shape but do not exist (2025-02-30)."""
    problems = []
    for row, value in frame["published"].items():
        if len(value) == 10 and DATE_RE.match(value):
            if pd.to_datetime(value, format="%Y-%m-%d", errors="coerce") is pd.NaT:
                problems.append(
                    Problem(
                        name, int(row) + 1, "published", f"{value!r} is not a real date", _row_detail(frame, int(row))
                    )
                )
    return problems


def _check_texts(frame: pd.DataFrame, folder: Path, name: str) -> list[Problem]:
    """Problems with the text files the manifest points to."""
    problems = []
    root = folder.resolve()
    for row, relative in frame["path"].items():
        if not relative:
            continue
        detail = _row_detail(frame, int(row))

        def problem(message: str, column: str = "path", row: int = int(row), detail: str | None = detail) -> Problem:
            return Problem(name, row + 1, column, message, detail)

        if Path(relative).is_absolute():
            problems.append(problem(f"{relative!r} is absolute; give a path relative to the manifest"))
            continue
        target = (root / relative).resolve()
        if not target.is_relative_to(root):
            problems.append(problem(f"{relative!r} points outside the manifest's folder"))
            continue
        if not target.is_file():
            problems.append(problem(f"file {relative!r} not found"))
            continue
        data = target.read_bytes()
        digest = hashlib.sha256(data).hexdigest()
        expected = frame.at[row, "sha256"]
        if SHA256_RE.match(expected) and digest != expected:
            problems.append(problem(f"checksum mismatch: the file's SHA-256 is {digest}", "sha256"))
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(problem(f"{relative!r} is not valid UTF-8 (byte {error.start})"))
            continue
        if not text.lstrip("\ufeff").strip():
            problems.append(problem(f"text file {relative!r} is empty (nothing but white space)"))
    return problems


def _apply_variable_types(frame: pd.DataFrame) -> pd.DataFrame:
    """Convert ``name:type`` columns to their declared types and drop the suffix."""
    frame = frame.copy()
    renames = {}
    for header in list(frame.columns):
        base, _, declared = header.partition(":")
        if not declared:
            continue
        values = frame[header].replace("", None)
        if declared == "int":
            frame[header] = pd.array([None if v is None else int(v) for v in values], dtype="Int64")
        elif declared == "float":
            frame[header] = pd.to_numeric(values, errors="raise").astype("Float64")
        elif declared == "bool":
            frame[header] = pd.array(
                [None if v is None else v.lower() in TRUE_WORDS for v in values], dtype="boolean"
            )
        else:
            frame[header] = values.astype("string")
        renames[header] = base
    return frame.rename(columns=renames)


def _row_detail(frame: pd.DataFrame, row: int) -> str | None:
    """How a problem names the row's document after its number: ``doc_id 'x'`` (nothing without an id)."""
    if "doc_id" not in frame.columns:
        return None
    value = frame.at[row, "doc_id"]
    return f"doc_id {value!r}" if value else None

