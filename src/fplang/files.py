"""Files: atomic, deterministic writing of every output, and the readers every input shares.

A reader who interrupts a run must never find a half-written table, and two
runs on the same input must give identical bytes.  Every writer here writes to
a temporary file in the destination folder and renames it into place
(``os.replace`` is atomic on one file system).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from fplang.errors import Problem


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


def read_text_table(path: str | Path) -> tuple[pd.DataFrame | None, list[Problem]]:
    """A CSV input table as text cells (so bad values can be quoted back), or why it cannot be read.

    Used by every validator of a user's input table (periods, formulas): the
    cells stay strings, empty cells stay empty strings, and an unreadable file
    gives one message naming it instead of an exception.
    """
    path = Path(path)
    if not path.is_file():
        return None, [Problem(str(path), message="file not found")]
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        return None, [Problem(path.name, message=f"not a readable CSV file ({error})")]
    return table, []
