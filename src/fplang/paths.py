"""Where the project's own files are, found from this package's location.

Notebooks take their input paths as parameters; these are only the defaults
and the places the runner copies the book's pages from.  Nothing is logged or
created at import.
"""

from __future__ import annotations

from pathlib import Path

PROJECT_ROOT: Path = Path(__file__).resolve().parents[2]
"""The repository root (``src/fplang/paths.py`` is two folders below it)."""

DATA_DIR: Path = PROJECT_ROOT / "data"
