"""What a corpus build was made from: the sha256 of every input and of the package's own code.

A build is reused only when its stamp equals the stamp of the inputs at hand;
any changed text, manifest, lexicon, periods table or line of fplang makes a
new build.  (Jupyter Book's execution cache, by contrast, looks only at a
notebook's code cells.)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from pathlib import Path

from fplang.files import sha256_of_file

STAMP_VERSION = 1
"""Bumped when the build's tables change shape, so older builds are never read as current."""

PACKAGE_DIR = Path(__file__).resolve().parents[1]


def package_sha256() -> str:
    """One sha256 over every ``.py`` file of the fplang package (path and bytes, in path order)."""
    digest = hashlib.sha256()
    for path in sorted(PACKAGE_DIR.rglob("*.py")):
        digest.update(path.relative_to(PACKAGE_DIR).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def files_stamp(manifest: Path, lexicon: Path, periods: Path) -> dict[str, object]:
    """The part of a stamp known without reading the texts: the manifest, lexicon, periods and code."""
    return {
        "stamp_version": STAMP_VERSION,
        "manifest_sha256": sha256_of_file(manifest),
        "lexicon_sha256": sha256_of_file(lexicon),
        "periods_sha256": sha256_of_file(periods),
        "package_sha256": package_sha256(),
    }


def make_stamp(files: Mapping[str, object], text_sha256: Mapping[str, str]) -> dict[str, object]:
    """The stamp of a build: :func:`files_stamp` and the sha256 of every text (doc_id -> hex digest).

    How the documents were partitioned is not part of it: any partitioning
    gives the same tables.
    """
    return {
        **files,
        "texts_sha256": hashlib.sha256(json.dumps(dict(text_sha256), sort_keys=True).encode("utf-8")).hexdigest(),
        "n_texts": len(text_sha256),
    }


def stamp_bytes(stamp: Mapping[str, object]) -> bytes:
    """The stamp as the build stores it (``stamp.json``): sorted keys, one per line."""
    return (json.dumps(dict(stamp), indent=1, sort_keys=True) + "\n").encode("utf-8")


def read_stamp(path: Path) -> dict[str, object] | None:
    """The stamp stored at ``path``, or None if there is none or it cannot be read."""
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return loaded if isinstance(loaded, dict) else None
