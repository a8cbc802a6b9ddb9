"""What a corpus build was made from: the sha256 of every input and of the package's own code.

A build is reused only when its stamp equals the stamp of the inputs at hand;
any changed text, manifest, lexicon, periods table or line of fplang makes a
new build.  (Jupyter Book's execution cache, by contrast, looks only at a
notebook's code cells.)
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
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


def make_stamp(
    manifest: Path, text_sha256: Mapping[str, str], lexicon: Path, periods: Path, partitions: Sequence[int] = ()
) -> dict[str, object]:
    """The stamp of a build from these inputs (``text_sha256``: doc_id -> sha256 of the text's bytes).

    ``partitions`` is not part of the identity (any partitioning gives the same
    tables) and is left out.
    """
    return {
        "stamp_version": STAMP_VERSION,
        "manifest_sha256": sha256_of_file(manifest),
        "texts_sha256": hashlib.sha256(json.dumps(dict(text_sha256), sort_keys=True).encode("utf-8")).hexdigest(),
        "n_texts": len(text_sha256),
        "lexicon_sha256": sha256_of_file(lexicon),
        "periods_sha256": sha256_of_file(periods),
        "package_sha256": package_sha256(),
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
