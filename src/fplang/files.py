"""Files: atomic, deterministic writing of every output, and the readers every input shares.

A reader who interrupts a run must never find a half-written table, and two
runs on the same input must give identical bytes.  Every writer here writes to
a temporary file in the destination folder and renames it into place
(``os.replace`` is atomic on one file system).

The readers turn a user's file into data or into problems (:class:`~fplang.errors.Problem`),
never into an exception: a CSV table whose header repeats a column, or a YAML
file with a repeated key or an alias, is refused naming the line, and no
message quotes more of a refused file than the key or cell at fault.
"""

from __future__ import annotations

import csv
import hashlib
import os
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from io import StringIO
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml

from fplang.errors import Problem, shorten, shown_path


def write_atomic(path: str | Path, write: Callable[[Path], object]) -> Path:
    """Call ``write(temporary_path)`` and move the result to ``path`` in one step."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(handle)
    os.chmod(temporary, 0o644)  # mkstemp makes 0600; outputs are for everyone to read
    try:
        write(Path(temporary))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return path


def write_text(path: str | Path, text: str) -> Path:
    """Write UTF-8 text with ``\\n`` line endings, atomically."""
    return write_atomic(path, lambda tmp: tmp.write_text(text, encoding="utf-8", newline="\n"))


def write_bytes(path: str | Path, data: bytes) -> Path:
    """Write bytes, atomically."""
    return write_atomic(path, lambda tmp: tmp.write_bytes(data))


def write_parquet(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write a table as Parquet, atomically and byte-for-byte reproducibly.

    The pandas index is dropped (pyarrow writes no time stamp), so
    the same frame always gives the same bytes.
    """
    table = pa.Table.from_pandas(frame.reset_index(drop=True), preserve_index=False)
    return write_atomic(
        path,
        lambda tmp: pq.write_table(
            table, tmp, compression="zstd", write_statistics=False
        ),
    )


def csv_bytes(frame: pd.DataFrame, float_format: str | None = None) -> bytes:
    """A table as CSV bytes, the same on every platform: no index, ``\n`` line ends, UTF-8."""
    buffer = StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n", float_format=float_format)
    return buffer.getvalue().encode("utf-8")


def sha256_of_file(path: str | Path) -> str:
    """Hex SHA-256 of a file's bytes, read in blocks (the checksum manifests record)."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def read_text_table(
    path: str | Path, columns: Sequence[str] = (), what: str = "table"
) -> tuple[pd.DataFrame | None, list[Problem]]:
    """A CSV input table as text cells (so bad values can be quoted back), or why it cannot be read.

    Used by every validator of a user's input table (periods, formulas, the
    world reference): the cells stay strings, empty cells stay empty strings,
    and an unreadable file gives one message naming it instead of an
    exception.  A header that repeats a column is refused.  When ``columns``
    are given and the header names none of them, the file is refused as not
    being ``what``, without quoting it.
    """
    path = Path(path)
    text, problems = read_text(path)
    if text is None:
        return None, problems
    name = shorten(path.name)
    header = {cell.strip() for cell in next(csv.reader(StringIO(text)), [])}
    if columns and not header & set(columns):
        named = ", ".join(columns)
        return None, [Problem(name, message=f"is not a {what}: its first line names none of the columns {named}")]
    problems = repeated_columns(text, name)
    if problems:
        return None, problems
    try:
        table = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as error:
        return None, [Problem(name, message=f"not a readable CSV file ({shorten(error, 200)})")]
    return table, []


def read_text(path: str | Path, *, encoding: str = "utf-8") -> tuple[str | None, list[Problem]]:
    """A user's text file, decoded, or the one problem that keeps it from being read.

    Missing files, folders, symbolic-link loops, unreadable files and bytes
    that are not UTF-8 each give a message naming the file (and the byte at
    fault) instead of an exception; ``encoding="utf-8-sig"`` drops a leading
    byte-order mark.
    """
    path = Path(path)
    usable, why = usable_path(str(path))
    if usable is None:
        return None, [Problem(shown_path(path), message=f"the path {why}")]
    try:
        data = usable.read_bytes()
    except FileNotFoundError:
        return None, [Problem(shown_path(path), message="file not found")]
    except IsADirectoryError:
        return None, [Problem(shown_path(path), message="is a folder, not a file")]
    except OSError as error:
        return None, [Problem(shown_path(path), message=f"cannot be read ({error.strerror or error})")]
    try:
        return data.decode(encoding), []
    except UnicodeDecodeError as error:
        return None, [Problem(shorten(path.name), message=f"not valid UTF-8 (byte {error.start})")]


MAX_PATH_CHARS = 4096
"""The longest path Linux accepts (``PATH_MAX``); a longer one fails in every system call."""

MAX_NAME_BYTES = 255
"""The longest file or folder name (one part of a path) most file systems accept, in bytes."""


def usable_path(text: str, base: Path | None = None) -> tuple[Path | None, str | None]:
    """``text`` as an absolute path (relative ones from ``base``), or why no file can have it.

    Catches what would otherwise surface as a traceback from the operating
    system: a NUL character, a path or a part of it too long for the file
    system, a loop of symbolic links.  Whether the file exists is not checked.
    """
    if "\x00" in text:
        return None, "holds a NUL character, which no path can"
    longest_name = max((len(part.encode("utf-8", "surrogateescape")) for part in Path(text).parts), default=0)
    if len(text) > MAX_PATH_CHARS or longest_name > MAX_NAME_BYTES:
        return None, (
            f"is too long ({len(text):,} characters; a path may have {MAX_PATH_CHARS:,}, "
            f"and a file or folder name in it {MAX_NAME_BYTES} bytes)"
        )
    try:
        path = ((base or Path.cwd()) / text).resolve()
    except RuntimeError:  # Python before 3.13 reports a symbolic-link loop so
        return None, "is a loop of symbolic links"
    except OSError as error:
        return None, f"cannot be used as a path ({error.strerror or error})"
    if len(str(path)) > MAX_PATH_CHARS:
        length = len(str(path))
        return None, f"is too long once made absolute ({length:,} characters; a path may have {MAX_PATH_CHARS:,})"
    return path, None


def repeated_columns(text: str, name: str) -> list[Problem]:
    """A problem for each column name that the CSV header in ``text`` repeats.

    pandas would read a second ``title`` as ``title.1``: a variable nobody
    declared, while the first silently keeps its place.  Names are compared
    after stripping spaces and a ``:type`` suffix (``year`` and ``year:int``
    are one column).
    """
    first_line = next(csv.reader(StringIO(text)), [])
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, header in enumerate(first_line, start=1):
        base = header.strip().partition(":")[0]
        if base in seen:
            problems.append(
                Problem(
                    name,
                    "line 1",
                    shorten(header.strip()),
                    f"column name repeats column {seen[base]} (columns {seen[base]} and {number}); "
                    "rename or remove one",
                )
            )
        else:
            seen[base] = number
    return problems


# --- YAML --------------------------------------------------------------------


class _Refused(yaml.YAMLError):
    """A YAML construct the readers refuse (an alias), with the line it is on."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML has it (a 5,000-concept lexicon loads in a second, not half a minute)."""


@dataclass
class _Collection:
    """A mapping or sequence still open while the events are read; a mapping alternates key and value."""

    is_mapping: bool
    expect_key: bool = True
    first_line: dict[str, int] = field(default_factory=dict)


def _check_events(text: str) -> tuple[list[tuple[int, str, int]], dict[str, int]]:
    """Refuse aliases and find repeated keys in one pass over the parser's events, before anything is built.

    An alias (``*name``) copies a structure by reference: nested, a few
    hundred bytes of aliases stand for billions of nodes ("billion laughs"),
    and anything that walks or prints the result hangs.  The book's inputs
    never need one, so the first alias stops the reading.  A key repeated in
    a mapping (compared as written) would silently replace the first value;
    each is returned as ``(line, key, first line)``.  Also returned: the line
    of each top-level key, for messages about a parameters file.
    """
    repeated: list[tuple[int, str, int]] = []
    top_level: dict[str, int] = {}
    stack: list[_Collection] = []
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(
                _line(event),
                f"uses the alias '*{shorten(event.anchor, 40)}'; aliases and merge keys are not "
                "allowed in fplang's YAML files (write the value out)",
            )
        if isinstance(event, yaml.MappingEndEvent | yaml.SequenceEndEvent):
            stack.pop()
            continue
        if not isinstance(event, yaml.ScalarEvent | yaml.MappingStartEvent | yaml.SequenceStartEvent):
            continue
        parent = stack[-1] if stack else None
        if parent is not None and parent.is_mapping:
            if parent.expect_key and isinstance(event, yaml.ScalarEvent):
                line = _line(event)
                if event.value in parent.first_line:
                    repeated.append((line, event.value, parent.first_line[event.value]))
                else:
                    parent.first_line[event.value] = line
                    if len(stack) == 1:
                        top_level[event.value] = line
            parent.expect_key = not parent.expect_key
        if not isinstance(event, yaml.ScalarEvent):
            stack.append(_Collection(is_mapping=isinstance(event, yaml.MappingStartEvent)))
    return repeated, top_level


def read_yaml(path: str | Path) -> tuple[object, list[Problem]]:
    """A user's YAML file, parsed safely, or every problem that keeps it from being used.

    Refused, each naming the file and the line: text that is not UTF-8, YAML
    syntax errors (the parser's reason, without the snippet of the file it
    would quote), an alias or merge key, a key repeated in any mapping.
    """
    path = Path(path)
    text, problems = read_text(path)
    if text is None:
        return None, problems
    return parse_yaml(text, path.name)


def parse_yaml(text: str, name: str) -> tuple[object, list[Problem]]:
    """The YAML document in ``text`` (see :func:`read_yaml`); ``name`` names it in problems."""
    try:
        data, repeated = _load_strictly(text)
    except _Refused as error:
        return None, [Problem(name, f"line {error.line}", message=error.message)]
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else None
        reason = shorten(error.problem or error.context or "unreadable", 200)
        return None, [Problem(name, where, message=f"is not valid YAML: {reason}")]
    except yaml.reader.ReaderError as error:
        code = ord(error.character) if isinstance(error.character, str) else int(error.character)
        return None, [
            Problem(
                name,
                message=f"is not valid YAML: it holds the character U+{code:04X} "
                f"(at character {error.position + 1}), which YAML does not allow",
            )
        ]
    except yaml.YAMLError as error:
        return None, [Problem(name, message=f"is not valid YAML: {shorten(str(error), 200)}")]
    problems = [
        Problem(
            name,
            f"line {line}",
            message=f"the key {shorten(repr(key), 60)} repeats line {first}; a repeated key would "
            "silently replace the first value (remove or rename one)",
        )
        for line, key, first in sorted(repeated, key=lambda item: item[0])
    ]
    return (None if problems else data), problems


def _line(event: yaml.Event) -> int:
    """The line (from 1) where a parser event starts."""
    return event.start_mark.line + 1 if event.start_mark is not None else 0


def yaml_key_lines(path: str | Path) -> dict[str, int]:
    """The line of each top-level key of a YAML mapping that :func:`read_yaml` accepted."""
    text, _ = read_text(path)
    return _check_events(text or "")[1]


def _load_strictly(text: str) -> tuple[object, list[tuple[int, str, int]]]:
    """The document and its repeated keys (line, key, first line); raises the parser's errors."""
    repeated, _ = _check_events(text)
    return yaml.load(text, Loader=_LOADER), repeated  # a safe loader, on a text without aliases
