"""Regenerate the committed UN subset from the full corpus, or check it byte for byte.

:func:`regenerate` writes ``data/raw/ungdc`` (texts, manifest, README, as
:func:`fplang.sources.ungdc.subset_files` builds them) or, with ``check``,
writes nothing and lists every file that is missing, differs or should not be
there.  Writing is atomic per file and deterministic.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from fplang.files import write_bytes
from fplang.sources.ungdc import (
    COUNTRIES,
    REGENERATE_COMMAND,
    SOURCE_PARQUET,
    SPEAKERS_CSV,
    UngdcError,
    read_source,
    select_subset,
    subset_files,
)


class SubsetMismatchError(UngdcError):
    """``--check`` found the committed subset differs from what the source gives.

    ``report`` holds the full :class:`SubsetReport`, ``report.problems`` each difference.
    """

    def __init__(self, report: SubsetReport):
        self.report = report
        problems = "\n".join(f"  - {problem}" for problem in report.problems)
        super().__init__(
            f"{report.out_dir}: the committed UN subset does not match the source "
            f"({len(report.problems)} problem(s)); rerun `{REGENERATE_COMMAND}`:\n{problems}"
        )


@dataclass(frozen=True)
class SubsetReport:
    """What :func:`regenerate` wrote or checked.

    Attributes
    ----------
    out_dir : the subset's folder.
    check : True when the subset was only verified, nothing written.
    source_sha256, speakers_sha256 : SHA-256 of the two input files.
    speeches : speeches per country (iso3 -> count), in :data:`COUNTRIES` order.
    text_bytes : bytes of all speech files; total_bytes adds the manifest and README.
    files : relative paths of every file of the subset, sorted.
    written : files (re)written because they were missing or differed (none when checking).
    removed : stale ``texts/*.txt`` files deleted (none when checking).
    problems : differences found when checking (empty when the subset matches).
    """

    out_dir: Path
    check: bool
    source_sha256: str
    speakers_sha256: str
    speeches: Mapping[str, int]
    text_bytes: int
    total_bytes: int
    files: tuple[str, ...]
    written: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the subset on disk matches the source (after writing, or as checked)."""
        return not self.problems

    def summary(self) -> str:
        """A few lines for the terminal: counts, size, what changed."""
        counts = ", ".join(f"{iso3} {n}" for iso3, n in self.speeches.items())
        lines = [
            f"{self.out_dir}: {sum(self.speeches.values())} speeches ({counts})",
            f"{len(self.files)} files, {self.total_bytes / 1e6:.2f} MB "
            f"({self.text_bytes / 1e6:.2f} MB of speeches); source sha256 {self.source_sha256}",
        ]
        if self.check:
            verdict = "OK: identical to the source, byte for byte"
            lines.append(verdict if self.ok else f"{len(self.problems)} problem(s)")
        else:
            lines.append(f"wrote {len(self.written)} file(s), removed {len(self.removed)} stale file(s)")
        return "\n".join(lines)


def regenerate(source_dir: Path, out_dir: Path, *, check: bool = False) -> SubsetReport:
    """Write (or, with ``check``, verify) the UN subset in ``out_dir``.

    The subset is ``texts/ISO3_SESSION_YEAR.txt`` (each speech's bytes exactly
    ``text.encode("utf-8")``, verified against the parquet's sha256 column),
    ``manifest.csv`` (a corpus manifest, :mod:`fplang.corpus.manifest`) and
    ``README.md``.  Writing is atomic per file and deterministic: the same
    source gives the same bytes; only files that differ are rewritten, and
    stale ``texts/*.txt`` files are removed.

    With ``check=True`` nothing is written: every expected file must exist
    with identical bytes and no other file may be in ``out_dir``.

    Raises
    ------
    SourceError
        A source file or column is missing, or a text does not match its sha256.
    SubsetMismatchError
        ``check`` found a difference (``error.report.problems`` lists them all).
    """
    source_dir, out_dir = Path(source_dir), Path(out_dir)
    speeches, speakers, hashes = read_source(source_dir)
    subset = select_subset(speeches)
    expected = subset_files(subset, speakers, hashes)
    files = tuple(sorted(expected))
    text_bytes = sum(len(data) for name, data in expected.items() if name.startswith("texts/"))
    report = SubsetReport(
        out_dir=out_dir,
        check=check,
        source_sha256=hashes[SOURCE_PARQUET],
        speakers_sha256=hashes[SPEAKERS_CSV],
        speeches=_speeches_per_country(subset),
        text_bytes=text_bytes,
        total_bytes=sum(len(data) for data in expected.values()),
        files=files,
    )
    if check:
        report = dataclasses.replace(report, problems=tuple(compare_folder(out_dir, expected)))
        if not report.ok:
            raise SubsetMismatchError(report)
        return report
    written, removed = _write_folder(out_dir, expected)
    return dataclasses.replace(report, written=written, removed=removed)


def compare_folder(out_dir: Path, expected: Mapping[str, bytes]) -> list[str]:
    """Every difference between ``out_dir`` and the expected files: missing, differing, extra."""
    out_dir = Path(out_dir)
    if not out_dir.is_dir():
        return [f"{out_dir} does not exist"]
    present = {
        path.relative_to(out_dir).as_posix() for path in out_dir.rglob("*") if path.is_file()
    }
    problems = []
    for name in sorted(expected):
        if name not in present:
            problems.append(f"{name}: missing")
            continue
        actual = (out_dir / name).read_bytes()
        if actual != expected[name]:
            problems.append(
                f"{name}: differs from the source (sha256 {_sha256(actual)[:12]}…, expected "
                f"{_sha256(expected[name])[:12]}…; first difference at byte "
                f"{_first_difference(actual, expected[name])})"
            )
    problems += [f"{name}: not part of the subset" for name in sorted(present - set(expected))]
    return problems


def _write_folder(out_dir: Path, expected: Mapping[str, bytes]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Write every expected file that is missing or differs; delete stale speech files."""
    written = []
    for name in sorted(expected):
        path = out_dir / name
        if path.is_file() and path.read_bytes() == expected[name]:
            continue
        write_bytes(path, expected[name])
        written.append(name)
    removed = []
    texts = out_dir / "texts"
    for path in sorted(texts.glob("*.txt")) if texts.is_dir() else []:
        name = path.relative_to(out_dir).as_posix()
        if name not in expected:
            path.unlink()
            removed.append(name)
    return tuple(written), tuple(removed)


def _speeches_per_country(subset: pd.DataFrame) -> dict[str, int]:
    counts = subset["iso3"].value_counts()
    return {country.iso3: int(counts.get(country.iso3, 0)) for country in COUNTRIES}


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _first_difference(a: bytes, b: bytes) -> int:
    for index, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return index
    return min(len(a), len(b))
