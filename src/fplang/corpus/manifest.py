"""Load and validate a corpus manifest, and read its texts.

A manifest is a CSV file, one row a document, whose ``path`` column points to
a UTF-8 text file relative to the manifest's own folder.  Validation runs
before any other work and reports *every* problem at once, each naming the
file, the row and the column, so a user can fix a manifest in one pass:

    corpus.csv row 4 (doc_id 'x'), column published: '2026-13-01' is not a date

Required columns are listed in :data:`REQUIRED_COLUMNS`.  Any other column is
kept as a *document variable*.  Its header may declare a type with a suffix,
``congress:int``; the types are those of :data:`VARIABLE_TYPES`, and a column
without a suffix is text.  A variable may not take the name of a column the
pipeline computes (:data:`COMPUTED_COLUMNS`), and no column may appear twice.

A file whose header names none of the required columns is refused as a
whole, without quoting it: it is not a manifest (a mistyped path may point at
any file on the machine).
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import math
import os
import re
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from fplang.errors import InputError, Problem, problem_order, quoted, shorten, shown_path
from fplang.files import MAX_NAME_BYTES, MAX_PATH_CHARS, read_text, repeated_columns, usable_path

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

COMPUTED_COLUMNS: tuple[str, ...] = (
    "file",
    "published_year",
    "tokens",
    "sentences",
    "chars_raw",
    "chars_clean",
)
"""Columns the pipeline adds to each document's row; a document variable may not take their names.

``file`` and ``published_year`` come from :func:`load_manifest`, the rest from
:func:`fplang.corpus.prepare.prepare_corpus` (its ``DOCUMENT_COLUMNS``).  A
variable called ``tokens`` would replace the token count every rate divides by.
"""

VARIABLE_TYPES: dict[str, str] = {
    "str": "text",
    "int": "a whole number",
    "float": "a number",
    "bool": "true or false",
    "date": "an ISO date (YYYY-MM-DD, YYYY-MM or YYYY)",
}
"""Types a document-variable column may declare with a ``name:type`` header."""

DATE_RE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$")
FIRST_YEAR, LAST_YEAR = 1678, 2261
"""The years a publication date may have: those pandas can place on a time axis (1677-09-21 to 2262-04-11).

A year alone is placed at 1 July and a month at its 15th, so the whole of
each year in this range is representable.
"""
INT64_MAX = 2**63 - 1
"""The largest whole-number variable (a 64-bit integer, as pandas stores it)."""
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
    return _validated(Path(manifest_path), keep_texts=False).problems


def load_manifest(manifest_path: str | Path) -> pd.DataFrame:
    """The validated manifest, with typed document variables.

    Raises :class:`CorpusError` listing every problem when the manifest is not
    usable; nothing is read beyond the manifest and its texts.  Typed headers
    lose their suffix (``congress:int`` becomes ``congress``).  The frame gains
    ``file`` (the text's absolute path) and ``published_year``.
    """
    return load_manifest_and_texts(manifest_path, keep_texts=False)[0]


def load_manifest_and_texts(manifest_path: str | Path, *, keep_texts: bool = True) -> tuple[pd.DataFrame, list[bytes]]:
    """:func:`load_manifest`, and the bytes of every text as validation read them (their SHA-256 checked).

    Validation reads every text once to check its checksum and encoding; a
    caller that needs the texts takes those bytes instead of reading and
    hashing every file a second time (the corpus build: 199 MB for the whole
    UN corpus).  With ``keep_texts=False`` the list is empty.
    """
    manifest_path = Path(manifest_path)
    checked = _validated(manifest_path, keep_texts=keep_texts)
    if checked.problems:
        raise CorpusError(checked.problems)
    assert checked.frame is not None
    frame = _apply_variable_types(checked.frame)
    frame["file"] = checked.files
    frame["published_year"] = frame["published"].str.slice(0, 4).astype(int)
    return frame, checked.texts


@dataclass
class _Checked:
    """What one validation pass found: the manifest as strings, every problem, each text's path and bytes."""

    frame: pd.DataFrame | None
    problems: list[Problem]
    files: list[str] = field(default_factory=list)
    texts: list[bytes] = field(default_factory=list)


def _validated(manifest_path: Path, *, keep_texts: bool) -> _Checked:
    """Read the manifest once and check it and every text once (see :func:`validate_manifest`)."""
    name = manifest_path.name
    frame, problems = _read_manifest_frame(manifest_path)
    if frame is None:
        return _Checked(None, problems)
    problems += _check_columns(frame, name)
    if any(p.where is None for p in problems):
        return _Checked(frame, sorted(problems, key=problem_order))
    problems += _check_values(frame, name)
    texts = _check_texts(frame, manifest_path.parent, name, keep_texts)
    problems += texts.problems
    return _Checked(frame, sorted(set(problems), key=problem_order), texts.files, texts.texts)


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
    name = shorten(path.name)
    where, why = usable_path(str(path))
    if where is None:
        return None, [Problem(shown_path(path), message=f"the manifest's path {why}")]
    if not where.exists():
        return None, [Problem(shown_path(path), message="manifest file not found")]
    raw, problems = read_text(where, encoding="utf-8-sig")
    if raw is None:
        return None, [Problem(name, message=problem.message) for problem in problems]
    if not raw.strip():
        return None, [Problem(name, message="the manifest is empty")]
    header = next(csv.reader(StringIO(raw)), [])
    if not {cell.strip().partition(":")[0] for cell in header} & set(REQUIRED_COLUMNS):
        return None, [
            Problem(
                name,
                message="is not a corpus manifest: its first line names none of the columns "
                f"{', '.join(REQUIRED_COLUMNS)}",
            )
        ]
    problems = repeated_columns(raw, name)
    if problems:
        return None, problems
    try:
        frame = pd.read_csv(StringIO(raw), dtype=str, keep_default_na=False, na_filter=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        return None, [Problem(name, message=f"not a readable CSV file ({shorten(error, 200)})")]
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
        seen.add(base)
        if declared and declared not in VARIABLE_TYPES:
            known = ", ".join(VARIABLE_TYPES)
            problems.append(
                Problem(
                    name,
                    column=shorten(header),
                    message=f"unknown column type {quoted(declared)} (use one of: {known})",
                )
            )
        if declared and base in REQUIRED_COLUMNS:
            problems.append(Problem(name, column=header, message="a required column cannot declare a type"))
        if base in COMPUTED_COLUMNS:
            problems.append(
                Problem(
                    name,
                    column=header,
                    message=f"{base!r} is the name of a column fplang computes ({', '.join(COMPUTED_COLUMNS)}); "
                    "rename the variable",
                )
            )
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


def _fits_int64(value: str) -> bool:
    """Whether a whole number fits a 64-bit integer, as pandas stores it (10²³ overflows in every chapter)."""
    return not _is_int(value) or value == "" or abs(int(value)) <= INT64_MAX


def _is_float(value: str) -> bool:
    """An empty cell, or a finite number (``inf`` and ``nan`` would break every rate and chart)."""
    if value == "":
        return True
    try:
        return math.isfinite(float(value))
    except ValueError:
        return False


_VARIABLE_CHECKS: dict[str, pa.Check | list[pa.Check]] = {
    "int": [
        pa.Check(_is_int, element_wise=True, error="is not a whole number"),
        pa.Check(
            _fits_int64, element_wise=True, error=f"is too large for a whole number (at most {INT64_MAX:,} either way)"
        ),
    ],
    "float": pa.Check(_is_float, element_wise=True, error="is not a finite number"),
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
                Problem(name, row + 1, case["column"], f"{quoted(value)} {case['check']}", _row_detail(frame, row))
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
    """Dates that have the right shape but do not exist (2025-02-30, year 0) or cannot be charted (0999)."""
    problems = []
    for row, value in frame["published"].items():
        if not DATE_RE.match(value):
            continue  # the schema reports the shape
        why = _date_problem(value)
        if why:
            problems.append(Problem(name, int(row) + 1, "published", f"{value!r} {why}", _row_detail(frame, int(row))))
    return problems


def _date_problem(value: str) -> str | None:
    """Why a ``YYYY[-MM[-DD]]`` date cannot be used, or ``None``."""
    parts = [int(part) for part in value.split("-")]
    year, month, day = (parts + [1, 1])[:3]
    if year == 0:
        return "is not a real date (there is no year 0)"
    try:
        datetime.date(year, month, day)
    except ValueError:
        return "is not a real date"
    if not FIRST_YEAR <= year <= LAST_YEAR:
        return f"is outside the years the book can place on a time axis ({FIRST_YEAR} to {LAST_YEAR})"
    return None


def _check_texts(frame: pd.DataFrame, folder: Path, name: str, keep_texts: bool = False) -> _Checked:
    """Problems with the text files the manifest points to; each file's resolved path, and its bytes if kept.

    Each file is read once.  Paths are resolved a folder at a time
    (:func:`_TextPaths`): resolving every path component of every file took
    most of the validation of a corpus of 10,000 texts.
    """
    problems = []
    root = folder.resolve()
    paths = _TextPaths(root)
    files = [""] * len(frame)
    texts: list[bytes] = []
    expected_sha256 = frame["sha256"].tolist()
    for row, relative in enumerate(frame["path"].tolist()):
        if not relative:
            continue
        shown = quoted(relative)

        def problem(message: str, column: str = "path", row: int = row) -> Problem:
            return Problem(name, row + 1, column, message, _row_detail(frame, row))

        target, why = paths.resolve(relative)
        if target is None:
            problems.append(problem(f"{shown} {why}"))
            continue
        files[row] = target
        if Path(relative).is_absolute():
            problems.append(problem(f"{shown} is absolute; give a path relative to the manifest"))
            continue
        if not (target == paths.root or target.startswith(paths.inside)):
            problems.append(problem(f"{shown} points outside the manifest's folder"))
            continue
        if not os.path.isfile(target):
            problems.append(problem(f"file {shown} not found"))
            continue
        try:
            with open(target, "rb") as handle:
                data = handle.read()
        except OSError as error:
            problems.append(problem(f"{shown} cannot be read ({error.strerror or error})"))
            continue
        digest = hashlib.sha256(data).hexdigest()
        expected = expected_sha256[row]
        if SHA256_RE.match(expected) and digest != expected:
            problems.append(problem(f"checksum mismatch: the file's SHA-256 is {digest}", "sha256"))
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            problems.append(problem(f"{shown} is not valid UTF-8 (byte {error.start})"))
            continue
        if keep_texts:
            texts.append(data)
        if "\x00" in text:
            problems.append(
                problem(
                    f"{shown} holds a NUL character (at character {text.index(chr(0)) + 1:,}); a plain-text file "
                    "has none (is it UTF-16, or not text?)"
                )
            )
        elif not text.lstrip("\ufeff").strip():
            problems.append(problem(f"text file {shown} is empty (nothing but white space)"))
    return _Checked(frame, problems, files, texts)


class _TextPaths:
    """:func:`fplang.files.usable_path` for the texts of one manifest, each folder resolved once.

    A file's resolved path is its folder's resolved path and its name, unless
    the file is itself a symbolic link (or its name is ``.``, ``..`` or
    unusual): those are resolved in full, as before.
    """

    def __init__(self, root: Path):
        self.root = str(root)
        self.inside = os.path.join(self.root, "")
        self._folders: dict[str, tuple[str | None, str | None]] = {}

    def resolve(self, relative: str) -> tuple[str | None, str | None]:
        head, _, tail = relative.rpartition("/")
        plain = (
            tail not in ("", ".", "..")
            and not relative.startswith("/")
            and "\x00" not in relative
            and len(tail.encode("utf-8", "surrogateescape")) <= MAX_NAME_BYTES
        )
        if plain and head not in self._folders:
            resolved, why = usable_path(head or ".", Path(self.root))
            self._folders[head] = (None if resolved is None else str(resolved), why)
        folder = self._folders.get(head, (None, None))[0] if plain else None
        if folder is not None:
            candidate = os.path.join(folder, tail)
            if len(candidate) <= MAX_PATH_CHARS and len(relative) <= MAX_PATH_CHARS and not os.path.islink(candidate):
                return candidate, None
        target, why = usable_path(relative, Path(self.root))
        return (None, why) if target is None else (str(target), None)


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
