"""Viet Nam at the UN: the committed General Debate subset and the UN record's cleaning rules.

The UN General Debate Corpus (UNGDC, doi:10.7910/DVN/0TJX8Y, CC0) holds every
statement of the General Assembly's annual General Debate, 1946-2024, one row a
speech in ``ungdc_1946_2024.parquet``, with the speakers in
``speakers_by_session.csv``.  The book needs three things from it:

* the **subset** it reads as a corpus: Viet Nam's 47 speeches (1978-2024) and
  those of the comparison countries (the other ASEAN members, Timor-Leste,
  China, Cuba), 1976-2024, each stored as its own text file with a corpus
  manifest (:func:`regenerate`; ``fplang ungdc``);
* the **cleaning rules** for the quirks of the UN's records
  (:data:`UN_RECORD_RULES`, plugged into :func:`fplang.corpus.clean.default_rules`);
* a **world reference**: each lexicon concept's yearly rate per 1,000 tokens
  across every speech of the full corpus (:func:`world_reference`).

The window starts in 1976, the year Viet Nam was reunified as the Socialist
Republic: it covers every session in which that state could speak (it joined
the UN in September 1977; the corpus has no text of its 1977 speech) and gives
the comparison countries a two-year baseline before Viet Nam's first speech.
Earlier speeches belong to a world in which neither Vietnamese state sat in the
Assembly; they stay in the full corpus, which the world reference covers.

Timor-Leste is kept although it joined ASEAN only in October 2025, after the
last speech: ``asean_member_since`` (2025) and ``asean_member_at_speech``
(false for all its speeches) let a chapter compare with ASEAN as it stood each
year or as it stands now, at a cost of 22 speeches.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
import time
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from io import StringIO
from pathlib import Path

import pandas as pd

from fplang.files import write_bytes
from fplang.corpus.clean import Removal, Rule, clean_text
from fplang.corpus.manifest import REQUIRED_COLUMNS
from fplang.paths import DATA_DIR

# --- the source and the subset ---------------------------------------------------

SOURCE_PARQUET: str = "ungdc_1946_2024.parquet"
"""The full corpus: columns iso3, session, year, text, sha256 (of ``text.encode('utf-8')``)."""

SPEAKERS_CSV: str = "speakers_by_session.csv"
"""Who spoke: year, session, iso3, country, speaker, post."""

DOI_URL: str = "https://doi.org/10.7910/DVN/0TJX8Y"
RIGHTS: str = "CC0 1.0 (UN General Debate Corpus)"
OUTLET: str = "UN General Assembly, General Debate"
DOC_TYPE: str = "un_speech"

FIRST_YEAR: int = 1976
"""First year of the subset: Viet Nam's reunification (see the module docstring)."""
LAST_YEAR: int = 2024

CITATIONS: tuple[str, ...] = (
    "Slava Jankin, Alexander Baturo and Niheer Dasandi, \"Words to unite nations: The complete "
    "UN General Debate Corpus, 1946-present\", Journal of Peace Research.",
    "Alexander Baturo, Niheer Dasandi and Slava Mikhaylov, \"Understanding State Preferences With "
    "Text As Data: Introducing the UN General Debate Corpus\", Research & Politics, 2017.",
)

REGENERATE_COMMAND: str = "fplang ungdc --source ../shared/data/ungdc --out data/raw/ungdc"
"""The command, run from the repository root, that writes the subset and the world reference."""


@dataclass(frozen=True)
class Country:
    """A country of the subset.

    ``group`` is ``focus`` (Viet Nam), ``asean`` (the other members and
    Timor-Leste) or ``comparison`` (China, Cuba).  ``asean_member_since`` is
    the year of admission to ASEAN (None for non-members); ``first_debate``
    the year of the first General Debate after admission to the UN (Timor-Leste
    was admitted in September 2002, after that year's debate), from which
    missing speeches are listed.
    """

    iso3: str
    name: str
    group: str
    asean_member_since: int | None
    first_debate: int


COUNTRIES: tuple[Country, ...] = (
    Country("VNM", "Viet Nam", "focus", 1995, 1977),
    Country("BRN", "Brunei Darussalam", "asean", 1984, 1984),
    Country("KHM", "Cambodia", "asean", 1999, 1955),
    Country("IDN", "Indonesia", "asean", 1967, 1950),
    Country("LAO", "Lao People's Democratic Republic", "asean", 1997, 1955),
    Country("MYS", "Malaysia", "asean", 1967, 1957),
    Country("MMR", "Myanmar", "asean", 1997, 1948),
    Country("PHL", "Philippines", "asean", 1967, 1945),
    Country("SGP", "Singapore", "asean", 1967, 1965),
    Country("THA", "Thailand", "asean", 1967, 1946),
    Country("TLS", "Timor-Leste", "asean", 2025, 2003),
    Country("CHN", "China", "comparison", None, 1945),
    Country("CUB", "Cuba", "comparison", None, 1945),
)
"""The subset's countries, in the order the README lists them (names as the UN writes them)."""

MANIFEST_VARIABLES: tuple[str, ...] = (
    "iso3",
    "country",
    "name_in_record",
    "session:int",
    "year:int",
    "speaker",
    "post",
    "group",
    "asean_member_since:int",
    "asean_member_at_speech:bool",
)
"""The document variables of the subset's manifest, after the corpus-manifest's required columns."""

KNOWN_QUIRKS: dict[tuple[str, int], str] = {
    ("VNM", 1982): "Some quotation marks lost in the source ('a for limited nuclear warfare ,').",
    ("VNM", 1991): "Where a viewer shows 'duty.I should' the file has a carriage return between "
    "two paragraphs; cleaning makes it a line break, so no sentences run together.",
    ("VNM", 2023): "Transcription errors left as in the source: commas read as full stops ('At the "
    "outset. I would like', 'Mr. Csaba Korosi. President of the General Assembly') and diacritics "
    "stripped ('Korosi'); they cannot be told from real full stops, so cleaning keeps them. "
    "Counting does not match a phrase across such a full stop.",
}
"""Hand-written notes for speeches whose quirks no rule can detect or repair."""

DEMOCRATIC_KAMPUCHEA_YEARS: range = range(1979, 1991)
"""Sessions in which Democratic Kampuchea, in exile, held Cambodia's seat."""


class UngdcError(RuntimeError):
    """Base class of this module's errors."""


class SourceError(UngdcError):
    """The UNGDC source folder is missing a file or column, or a text fails its checksum."""


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
    common = dict(
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
        report = SubsetReport(**common, problems=tuple(compare_folder(out_dir, expected)))
        if not report.ok:
            raise SubsetMismatchError(report)
        return report
    written, removed = _write_folder(out_dir, expected)
    return SubsetReport(**common, written=written, removed=removed)


def read_source(source_dir: Path) -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """The speeches, the speakers and the two files' SHA-256, checked for shape.

    Returns
    -------
    speeches
        Columns iso3, session (int), year (int), text, sha256; one row a speech.
    speakers
        Columns year (int), session (int), iso3, country, speaker, post (str,
        stripped, '' when empty), in file order.
    hashes
        File name -> hex SHA-256 of its bytes.
    """
    source_dir = Path(source_dir)
    paths = {name: source_dir / name for name in (SOURCE_PARQUET, SPEAKERS_CSV)}
    missing = [str(path) for path in paths.values() if not path.is_file()]
    if missing:
        raise SourceError(
            f"UN General Debate source not found: {', '.join(missing)} (give --source the folder "
            "holding ungdc_1946_2024.parquet and speakers_by_session.csv)"
        )
    hashes = {name: _sha256_file(path) for name, path in paths.items()}
    speeches = pd.read_parquet(paths[SOURCE_PARQUET])
    _require_columns(speeches, ["iso3", "session", "year", "text", "sha256"], SOURCE_PARQUET)
    speeches = speeches[["iso3", "session", "year", "text", "sha256"]].astype(
        {"session": "int64", "year": "int64"}
    )
    speakers = pd.read_csv(paths[SPEAKERS_CSV], dtype=str, keep_default_na=False, na_filter=False)
    _require_columns(speakers, ["year", "session", "iso3", "country", "speaker", "post"], SPEAKERS_CSV)
    speakers = speakers[["year", "session", "iso3", "country", "speaker", "post"]].apply(
        lambda column: column.str.strip()
    )
    speakers = speakers.astype({"year": "int64", "session": "int64"})
    return speeches, speakers, hashes


def select_subset(speeches: pd.DataFrame) -> pd.DataFrame:
    """The subset's speeches, sorted by country (iso3) then year, each text checked.

    Raises :class:`SourceError` naming every speech whose text does not give
    back its recorded SHA-256, or a country-year that appears twice.
    """
    countries = [country.iso3 for country in COUNTRIES]
    chosen = speeches[
        speeches["iso3"].isin(countries) & speeches["year"].between(FIRST_YEAR, LAST_YEAR)
    ]
    chosen = chosen.sort_values(["iso3", "year"], kind="stable").reset_index(drop=True)
    problems = [
        f"{row.iso3} session {row.session} ({row.year}): text.encode('utf-8') has SHA-256 "
        f"{actual}, the parquet records {row.sha256}"
        for row in chosen.itertuples()
        if (actual := hashlib.sha256(row.text.encode("utf-8")).hexdigest()) != row.sha256
    ]
    twice = chosen[chosen.duplicated(["iso3", "year"], keep=False)]
    problems += [f"{row.iso3} {row.year}: more than one speech" for row in twice.itertuples()]
    if problems:
        raise SourceError(f"{SOURCE_PARQUET}: {len(problems)} problem(s):\n  - " + "\n  - ".join(problems))
    return chosen


def speakers_by_speech(speakers: pd.DataFrame) -> pd.DataFrame:
    """One row per (year, session, iso3): speaker, post, name_in_record, speaker_note.

    A country-year listed more than once is resolved deterministically: rows
    that agree (ignoring case and spacing) count once, keeping the spelling
    that sorts first; different speakers are all kept, sorted and joined with
    " / " (which one spoke cannot be told from the file), and ``speaker_note``
    says so.  A speech with no row gets no row here (see :func:`build_manifest`).
    """
    listed: dict[tuple[int, int, str], list[tuple[str, str, str]]] = {}
    for row in speakers.itertuples(index=False):
        key = (int(row.year), int(row.session), row.iso3)
        listed.setdefault(key, []).append((row.speaker, row.post, row.country))
    rows = []
    for (year, session, iso3), entries in sorted(listed.items()):
        distinct: dict[tuple[str, str], tuple[str, str, str]] = {}
        for speaker, post, country in sorted(entries):
            distinct.setdefault((_fold(speaker), _fold(post)), (speaker, post, country))
        kept = list(distinct.values())
        note = ""
        if len(entries) > 1 and len(kept) == 1:
            note = f"listed {len(entries)} times in {SPEAKERS_CSV} (same speaker)"
        elif len(kept) > 1:
            listed = "; ".join(f"{s} ({p})" if p else s for s, p, _ in kept)
            note = f"{SPEAKERS_CSV} lists {len(kept)} different speakers ({listed}); all kept"
        rows.append(
            {
                "year": year,
                "session": session,
                "iso3": iso3,
                "speaker": " / ".join(s for s, _, _ in kept),
                "post": " / ".join(p for _, p, _ in kept) if any(p for _, p, _ in kept) else "",
                "name_in_record": kept[0][2],
                "speaker_note": note,
            }
        )
    return pd.DataFrame(
        rows, columns=["year", "session", "iso3", "speaker", "post", "name_in_record", "speaker_note"]
    )


def build_manifest(subset: pd.DataFrame, speakers: pd.DataFrame) -> pd.DataFrame:
    """The subset's corpus manifest, one row a speech, every value a string.

    Columns: the required manifest columns of :mod:`fplang.corpus.manifest` then
    :data:`MANIFEST_VARIABLES`.  ``path`` is relative to the manifest
    (``texts/ISO3_SESSION_YEAR.txt``); ``notes`` lists what is known to be odd
    about the speech (speaker missing or listed twice, byte-order mark,
    paragraph separators, record furniture, hand-noted transcription errors).
    """
    by_iso3 = {country.iso3: country for country in COUNTRIES}
    who = speakers_by_speech(speakers).set_index(["year", "session", "iso3"])
    rows = []
    for speech in subset.itertuples():
        country = by_iso3[speech.iso3]
        key = (speech.year, speech.session, speech.iso3)
        found = who.loc[key] if key in who.index else None
        notes = []
        if found is None:
            notes.append(f"speaker missing from {SPEAKERS_CSV}")
        elif found["speaker_note"]:
            notes.append(f"speaker {found['speaker_note']}")
        notes += _source_notes(speech.text)
        notes += _history_notes(speech.iso3, speech.year)
        if (speech.iso3, speech.year) in KNOWN_QUIRKS:
            notes.append(KNOWN_QUIRKS[(speech.iso3, speech.year)])
        since = country.asean_member_since
        rows.append(
            {
                "doc_id": f"un_{speech.iso3}_{speech.year}",
                "path": f"texts/{text_file_name(speech.iso3, speech.session, speech.year)}",
                "title": f"{country.name}, UN General Debate, {_ordinal(speech.session)} session "
                f"({speech.year})",
                "published": str(speech.year),
                "doc_type": DOC_TYPE,
                "outlet": OUTLET,
                "source_url": DOI_URL,
                "sha256": speech.sha256,
                "rights": RIGHTS,
                "notes": _sentence_list(notes),
                "iso3": speech.iso3,
                "country": country.name,
                "name_in_record": "" if found is None else found["name_in_record"],
                "session:int": str(speech.session),
                "year:int": str(speech.year),
                "speaker": "" if found is None else found["speaker"],
                "post": "" if found is None else found["post"],
                "group": country.group,
                "asean_member_since:int": "" if since is None else str(since),
                "asean_member_at_speech:bool": str(since is not None and speech.year >= since).lower(),
            }
        )
    return pd.DataFrame(rows, columns=[*REQUIRED_COLUMNS, *MANIFEST_VARIABLES])


def subset_files(subset: pd.DataFrame, speakers: pd.DataFrame, hashes: Mapping[str, str]) -> dict[str, bytes]:
    """Every file of the subset: relative path -> exact bytes (texts, manifest.csv, README.md)."""
    files = {
        f"texts/{text_file_name(row.iso3, row.session, row.year)}": row.text.encode("utf-8")
        for row in subset.itertuples()
    }
    manifest = build_manifest(subset, speakers)
    files["manifest.csv"] = _csv_bytes(manifest)
    files["README.md"] = subset_readme(subset, manifest, hashes).encode("utf-8")
    return files


def text_file_name(iso3: str, session: int, year: int) -> str:
    """The UNGDC's own file name for a speech: ``ISO3_SESSION_YEAR.txt``."""
    return f"{iso3}_{session}_{year}.txt"


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


# --- the README ------------------------------------------------------------------


def subset_readme(subset: pd.DataFrame, manifest: pd.DataFrame, hashes: Mapping[str, str]) -> str:
    """The subset's README.md: source, licence, citations, contents, choices, how it was made."""
    table = ["| iso3 | country | group | ASEAN member since | speeches | years | MB |",
             "|---|---|---|---|---:|---|---:|"]
    for country in COUNTRIES:
        rows = subset[subset["iso3"] == country.iso3]
        size = sum(len(text.encode("utf-8")) for text in rows["text"])
        years = f"{rows['year'].min()}–{rows['year'].max()}" if len(rows) else "–"
        since = "" if country.asean_member_since is None else str(country.asean_member_since)
        table.append(
            f"| {country.iso3} | {country.name} | {country.group} | {since} | {len(rows)} | "
            f"{years} | {size / 1e6:.2f} |"
        )
    text_bytes = sum(len(text.encode("utf-8")) for text in subset["text"])
    table.append(f"| | **total** | | | **{len(subset)}** | | **{text_bytes / 1e6:.2f}** |")
    gaps = _missing_speeches(subset)
    gap_lines = [
        f"  - {country.name}: {', '.join(str(year) for year in years)}" for country, years in gaps
    ] or ["  - none"]
    no_speaker = manifest[manifest["speaker"] == ""]["doc_id"].tolist()
    dk_years = f"{DEMOCRATIC_KAMPUCHEA_YEARS.start}–{DEMOCRATIC_KAMPUCHEA_YEARS.stop - 1}"
    citations = "\n".join(f"  - {citation}" for citation in CITATIONS)
    return f"""# UN General Debate speeches: Viet Nam, ASEAN, China and Cuba, {FIRST_YEAR}–{LAST_YEAR}

Generated by `fplang ungdc` from the UN General Debate Corpus; do not edit by hand.
Each speech is stored byte for byte as in the source; the book cleans them like every
other text of its corpus (rules `un_*` in `fplang.sources.ungdc.UN_RECORD_RULES`).

## Source and licence

- UN General Debate Corpus (UNGDC), version 12 (sessions 1–78, 1946–2023) plus session 79
  (2024), as published by its authors on the Harvard Dataverse: doi:10.7910/DVN/0TJX8Y
  ({DOI_URL}).
- Licence: CC0 1.0 (public domain dedication).
- Cite as:
{citations}

## What is here

- `texts/ISO3_SESSION_YEAR.txt`: one file a speech, the UNGDC's own file name; its bytes are
  exactly the source text encoded as UTF-8 (a leading byte-order mark kept where the original
  file had one), checked against the source's SHA-256.
- `manifest.csv`: the corpus manifest (`fplang.corpus.manifest.load_manifest`), one row a speech: doc_id
  `un_ISO3_YEAR`, path, title, published (the year), doc_type `{DOC_TYPE}`, outlet, source_url (the
  DOI), sha256, rights, notes, then the document variables {", ".join(f"`{v}`" for v in MANIFEST_VARIABLES)}.
  `name_in_record` is the country's name as `speakers_by_session.csv` gives it that year
  ("Burma", "Democratic Kampuchea"); `asean_member_at_speech` is true when the speech was given
  in or after the year the country joined ASEAN.

{chr(10).join(table)}

## Choices

- **Window {FIRST_YEAR}–{LAST_YEAR}.** The Socialist Republic of Viet Nam dates from the
  reunification of July 1976; it joined the UN in September 1977 and its first speech in the
  corpus is of 1978. Starting in 1976 covers every session in which that state could speak and
  gives the comparison countries two sessions before it. Earlier speeches (1946–1975) are left
  out to keep the commit small; the world reference (`data/world_reference.csv`) covers the
  full corpus.
- **Timor-Leste** joined ASEAN in October 2025, after its last speech here. It is kept, with
  `asean_member_since` 2025 and `asean_member_at_speech` false, so a chapter can compare with
  ASEAN as it stood each year or as it stands now.
- **Cambodia, {dk_years}:** the UN seat was held by Democratic Kampuchea in exile (from 1982
  its coalition government), not by the Viet Nam-backed People's Republic of Kampuchea; these
  speeches oppose Viet Nam's intervention. Each carries a note.
- **Speakers** come from `speakers_by_session.csv`. A country-year listed twice counts once when
  the rows agree; different speakers would all be kept, joined with " / ", and noted. Speeches
  with no row keep an empty speaker and the note "speaker missing from speakers_by_session.csv":
  {", ".join(no_speaker) if no_speaker else "none"}.
- **Speeches missing from the corpus** (years within the window, from the country's first
  General Debate as a UN member, with no text; Viet Nam's 1977 speaker is listed in
  `speakers_by_session.csv` but the text is not in the corpus):
{chr(10).join(gap_lines)}

## How it was prepared

From the repository root, with the UNGDC folder beside the repository:

```
{REGENERATE_COMMAND}
{REGENERATE_COMMAND} --check
```

The first writes this folder (and the world reference); the second writes nothing and fails
unless every file here is byte-identical to what the source gives, with nothing missing and
nothing extra.

Inputs:

| file | sha256 |
|---|---|
| `{SOURCE_PARQUET}` | `{hashes[SOURCE_PARQUET]}` |
| `{SPEAKERS_CSV}` | `{hashes[SPEAKERS_CSV]}` |
"""


# --- cleaning rules for the UN record --------------------------------------------

UN_SPEECH: dict[str, str] = {"doc_type": DOC_TYPE}
"""The ``where`` of every UN-record rule: they clean UN speeches only."""

_SPACE = r"[ \t]"
_LINE_END = r"[ \t]*(?:\n|\Z)"
_ORDINAL_WORD = r"[A-Z][a-z]+(?:-[a-z]+)?"
_CLOSING = "\"'\u201d\u2019)\\]\u00bb"
_SENTENCE_FINAL = ".!?:;\u2026"
_CLOSED_LINE_RE = re.compile(f"[{re.escape(_SENTENCE_FINAL)}][{_CLOSING}]*[ \t]*$")

_RUNNING_HEADS = "|".join(
    [
        # job number and page, 2005-2020: "06-53323 42", "21 08-51570", "24/54 15-29562"
        r"(?:\d{1,3}(?:/\d{1,3})?[ \t]+)?\d{2}-\d{5}(?:[ \t]+\d{1,3}(?:/\d{1,3})?)?",
        # record symbol and date, 2015-2017: "30/09/2015 A/70/PV.19", "A/70/PV.19 30/09/2015"
        r"\d{2}/\d{2}/\d{4}[ \t]+A/\d+/PV\.\d+|A/\d+/PV\.\d+[ \t]+\d{2}/\d{2}/\d{4}",
        # a record symbol alone, perhaps after a typist's mark: "A/36/PV.30", "NS/at A/41/PV.5"
        r"(?:\S+[ \t]+)?A/(?:\d+/)?PV\.[ \t]?\d+",
        # 1993: "22 General Assembly - Forty-eighth session"
        rf"(?:\d{{1,3}}[ \t]+)?General Assembly - {_ORDINAL_WORD} session(?:[ \t]+\d{{1,3}})?",
        # 1993-1996: "Forty-eighth session - 6 October l993 7", "Fiftieth session 13 October 1995"
        rf"{_ORDINAL_WORD} session[ \t,-]+\d{{1,2}} [A-Z][a-z]+ [l1]?\d{{3,4}}(?:[ \t]+\d{{1,3}})?",
        # 1994-1996: "General Assembly 22nd plenary meeting"
        r"General Assembly[ \t]+\d{1,3}(?:st|nd|rd|th)[ \t]+(?:plenary[ \t]+)?meeting",
        # 1986-1991: the speaker as a running head, "(Mr. Wagner Tizon, Peru)"
        r"\((?:Mr|Mrs|Ms)\.[^()\n]{1,40}[,.] [A-Z][A-Za-z ]+\)",
    ]
)

# Citations may be broken across a wrapped line ("(see\nA/65/PV.19)"), so white space
# inside them includes line breaks; otherwise the join would leave one for a second pass.
_DOCUMENT_SYMBOL = r"(?:A|S|E)/[^()\[\]]{1,60}?"
_LOCATOR = r"(?:\s*,\s*(?:p|pp|para|paras|sect|annex)\b[^()\[\]]{0,30})?"
_LANGUAGE_NOTE = r"\((?:spoke|interpretation)\s+(?:in|from)\s+[A-Z][a-z]+(?:\s+[A-Z][a-z]+)?\)"


@dataclass(frozen=True)
class WrappedLinesRule(Rule):
    """Join hard-wrapped lines into paragraphs, so that a line is a paragraph in every era.

    The eras disagree: 1978-1984 records give one paragraph a line, 1992-2014
    copies wrap lines at 50-70 characters, 2015 on give one paragraph a line
    again, and some texts mix both.  A line is *open* when it does not end
    with sentence-final punctuation (``. ! ? : ; …``, perhaps followed by a
    closing quote or bracket).  A document is *hard-wrapped* when at least
    ``wrapped_share`` of its non-blank lines are open; in the corpus the share
    is below 0.3 for nine documents in ten of the paragraph-a-line kind and
    above 0.75 for the wrapped ones.

    * In a hard-wrapped document every open line is joined to the next
      non-blank line, across blank lines too (a page break leaves blank lines
      in mid-sentence: "the Security\\n\\n\\nCouncil").
    * In any other document an open line is joined only when the next
      non-blank line starts with a lower-case letter, the one sign of a wrap
      that a heading or salutation ("Mr. President,") never gives.

    The join is one space, or nothing after a hyphen that follows a letter or
    digit ("sixty-\\nthird" -> "sixty-third") or before a closing mark ("," ")").
    Only white space is removed or replaced, so no letter or digit is ever
    added.  Idempotent: after a pass a hard-wrapped document has no open line
    followed by text, and in any other document the joins lower the open share,
    so it stays below the threshold and finds nothing new to join.
    """

    pattern: str = ""
    wrapped_share: float = 0.5

    def apply(self, text: str) -> tuple[str, list[Removal]]:
        lines = text.split("\n")
        starts = _line_starts(lines)
        content = [i for i, line in enumerate(lines) if line.strip()]
        if len(content) < 2:
            return text, []
        hard_wrapped = open_line_share(text) >= self.wrapped_share
        removals: list[Removal] = []
        pieces: list[str] = []
        last = 0
        for current, following in zip(content, content[1:]):
            line, next_line = lines[current], lines[following]
            if _CLOSED_LINE_RE.search(line):
                continue
            if not hard_wrapped and not next_line.lstrip()[:1].islower():
                continue
            gap_start = starts[current] + len(line.rstrip(" \t"))
            gap_end = starts[following] + len(next_line) - len(next_line.lstrip(" \t"))
            joiner = _joiner(line.rstrip(" \t"), next_line.lstrip(" \t"))
            removals.append(Removal(self.name, gap_start, text[gap_start:gap_end], joiner))
            pieces += [text[last:gap_start], joiner]
            last = gap_end
        if not removals:
            return text, []
        pieces.append(text[last:])
        return "".join(pieces), removals


def open_line_share(text: str) -> float:
    """Share of the non-blank lines of ``text`` that do not end a sentence (0 for no lines).

    A line ends a sentence when its last mark is one of ``. ! ? : ; …``,
    perhaps followed by closing quotes or brackets and spaces.
    """
    content = [line for line in text.split("\n") if line.strip()]
    if not content:
        return 0.0
    return sum(1 for line in content if not _CLOSED_LINE_RE.search(line)) / len(content)


def _line_starts(lines: list[str]) -> list[int]:
    starts, offset = [], 0
    for line in lines:
        starts.append(offset)
        offset += len(line) + 1
    return starts


def _joiner(left: str, right: str) -> str:
    """What replaces the line break between two joined lines: a space or nothing."""
    if re.search(r"[^\W_]-$", left) or right[:1] in ",.;:!?)]\u00bb\u201d":
        return ""
    return " "


UN_RECORD_RULES: tuple[Rule, ...] = (
    Rule(
        "un_interpretation_note",
        "The record's interpretation notes, '(spoke in French)', '(interpretation from Arabic)', "
        "say which language was spoken; they are the editors' words, not the speaker's.",
        rf"^{_SPACE}*{_LANGUAGE_NOTE}{_LINE_END}|{_SPACE}*{_LANGUAGE_NOTE}",
        where=UN_SPEECH,
    ),
    Rule(
        "un_running_head",
        "Page furniture of the printed record on lines of their own: document job numbers with "
        "the page ('06-53323 42'), the record symbol with the date ('30/09/2015 A/70/PV.19') or "
        "alone ('A/36/PV.30'), session and meeting heads ('22 General Assembly - Forty-eighth "
        "session', 'General Assembly 22nd plenary meeting') and the speaker as a running head "
        "('(Mr. Wagner Tizon, Peru)'). Left in, their numbers and letters would count as tokens.",
        rf"^{_SPACE}*(?:{_RUNNING_HEADS}){_LINE_END}",
        where=UN_SPEECH,
    ),
    Rule(
        "un_page_number",
        "A line holding only a number of one to three digits is a page number of the printed "
        "record (common 1994-2005, found from the 1960s to 2024); the text around it often "
        "continues mid-sentence, which the wrapped-lines rule then joins.",
        rf"^{_SPACE}*\d{{1,3}}{_LINE_END}",
        where=UN_SPEECH,
    ),
    Rule(
        "un_record_citation",
        "Editors' references inserted into the verbatim record: a UN document symbol in "
        "brackets, perhaps after 'see' and with a page or paragraph, '(see A/63/PV.13)', "
        "'(A/34/PV.31, p. 3-5)', '[A/33/44, annex]', and meeting references '[2126th meeting, "
        "para. 5]', also when a wrapped line breaks them. The speaker did not say them; removed, "
        "with the space before them. A symbol the speaker names in a sentence stays.",
        rf"{_SPACE}*(?:\((?:see\s+)?{_DOCUMENT_SYMBOL}{_LOCATOR}\)"
        rf"|\[(?:see\s+)?{_DOCUMENT_SYMBOL}{_LOCATOR}\]"
        r"|\[\d+(?:st|nd|rd|th)\s+(?:plenary\s+)?meeting[^\[\]]{0,40}\])",
        where=UN_SPEECH,
    ),
    Rule(
        "un_soft_hyphen_break",
        "OCR of the 1976-1992 records renders the typesetter's soft hyphen as '¬' inside a word, "
        "at a line end or before a space ('con¬gratulations', 'sover¬ eignty', 'render¬\\ning'); "
        "when a lower-case letter follows, the word is joined again.",
        r"(?:(?<=[^\W\d_])|(?<=-))\u00ac[ \t]*\n?[ \t]*(?=[a-z\u00df-\u00f6\u00f8-\u00ff])",
        where=UN_SPEECH,
    ),
    Rule(
        "un_soft_hyphen_as_hyphen",
        "Before a capital or a digit the '¬' stood for a real hyphen ('South¬East', "
        "'super¬Powers', '1981¬1982'): it becomes '-', which splits tokens as the hyphen did.",
        r"(?<=[^\W_])\u00ac[ \t]*\n?[ \t]*(?=[A-Z0-9])",
        "-",
        where=UN_SPEECH,
    ),
    Rule(
        "un_paragraph_number",
        "Records before the 1990s number their paragraphs ('59.\\tFirst of all, …'); the number "
        "is the record's, not the speaker's. It is removed at the start of a paragraph only: "
        "after a line ending in punctuation (a comma too, as OCR often reads the full stop), a "
        "blank line or the start of the text, so a wrapped line that starts with a number "
        "('Group of\\n77. As') keeps it.",
        rf"(\A\s*|[{re.escape(_SENTENCE_FINAL)},][{_CLOSING}]*{_SPACE}*\n|\n{_SPACE}*\n)"
        rf"{_SPACE}*(?:\d{{1,3}}\.{_SPACE}+)+(?=\S)",
        r"\1",
        where=UN_SPEECH,
        flags=0,
    ),
    WrappedLinesRule(
        "un_wrapped_lines",
        "Hard-wrapped lines (1982, 1992-2014 and others) are joined into paragraphs, so a line is "
        "a paragraph in every era; documents with a paragraph a line are only joined where the "
        "next line starts in lower case (see fplang.sources.ungdc.WrappedLinesRule).",
        where=UN_SPEECH,
    ),
    Rule(
        "un_run_together_sentence",
        "Sentences run together without a space ('Peace.However', 'threats.We welcome') get the "
        "space back, so segmentation sees two sentences. Only after two lower-case letters and "
        "before a capitalised word, which spares 'U.S.A.' and 'Mr.Smith'.",
        r"(?<=[a-z][a-z][.?!])(?=[A-Z][a-z])",
        " ",
        where=UN_SPEECH,
    ),
    Rule(
        "un_viet_nam_after_joins",
        "Joining wrapped lines and soft hyphens can bring 'Viet' and 'Nam' together after the "
        "normalising rule ran ('Viet\\nNam', 'Viet-\\nNam'); they become one token here too.",
        r"\b(V)iet[ ]*-?[ ]*[Nn]am\b",
        r"\1ietnam",
        where=UN_SPEECH,
    ),
)
"""Cleaning rules for the UN General Debate texts, in the order they run (see each description).

Order matters: furniture, page numbers and citations go before paragraph
numbers (whose context they would hide) and before the wrapped-lines join
(which would otherwise glue them into the text); soft hyphens are mended
before lines are joined.  The byte-order mark and bare carriage returns (the
1991 speech) are handled by :data:`fplang.corpus.clean.NORMALISE_RULES`.  A known
transcription error cannot be repaired: in 2023 commas were read as full stops
("At the outset. I would"); the manifest notes it.
"""


# --- the world reference ---------------------------------------------------------

WORLD_REFERENCE_COLUMNS: list[str] = ["year", "concept", "count", "tokens", "speeches", "rate_per_1000"]
"""Columns of :func:`world_reference`: one row a year and concept."""


def world_reference(source_dir: Path, lexicon_path: Path, *, workers: int | None = None) -> pd.DataFrame:
    """Each lexicon concept's yearly rate per 1,000 tokens across every speech of the full corpus.

    Every speech (1946-2024, all countries) is cleaned with the same rules as
    the subset (:func:`fplang.corpus.clean.clean_text` with the default rules and
    metadata ``doc_type: un_speech``), then counted with
    :func:`fplang.counting.engine.count_concepts`.

    Returns
    -------
    pandas.DataFrame
        One row per year and concept (lexicon order within a year, zeros
        kept).  Columns: ``year`` (int64); ``concept`` (str, the lexicon key);
        ``count`` (int64, matches that year); ``tokens`` (int64, tokens of
        all that year's cleaned speeches); ``speeches`` (int64);
        ``rate_per_1000`` (float64, ``count / tokens * 1000``).

    Cleaning the 10,952 speeches dominates the run time; it is spread over
    ``workers`` processes (default: one per CPU), which changes nothing in
    the result.
    """
    from fplang.counting.engine import count_concepts
    from fplang.counting.lexicon import load_lexicon

    lexicon = load_lexicon(lexicon_path)
    speeches, _, _ = read_source(Path(source_dir))
    speeches = speeches.sort_values(["year", "iso3"], kind="stable").reset_index(drop=True)
    doc_ids = [f"un_{iso3}_{year}" for iso3, year in zip(speeches["iso3"], speeches["year"])]
    cleaned = pd.Series(
        clean_speeches(speeches["text"].tolist(), workers=workers), index=doc_ids, dtype="string"
    )
    counts = count_concepts(cleaned, lexicon)
    counts["year"] = counts["doc_id"].map(dict(zip(doc_ids, speeches["year"])))
    per_doc = counts.drop_duplicates("doc_id")
    yearly_tokens = per_doc.groupby("year")["n_tokens"].sum()
    yearly_speeches = per_doc.groupby("year").size()
    frame = (
        counts.groupby(["year", "concept"], observed=False, sort=True)["count"].sum().reset_index()
    )
    frame["concept"] = frame["concept"].astype(str)
    frame["tokens"] = frame["year"].map(yearly_tokens).astype("int64")
    frame["speeches"] = frame["year"].map(yearly_speeches).astype("int64")
    frame["count"] = frame["count"].astype("int64")
    frame["year"] = frame["year"].astype("int64")
    frame["rate_per_1000"] = frame["count"] / frame["tokens"] * 1000.0
    order = {key: i for i, key in enumerate(lexicon.concept_keys)}
    frame = frame.sort_values(["year", "concept"], key=lambda s: s.map(order) if s.name == "concept" else s)
    return frame[WORLD_REFERENCE_COLUMNS].reset_index(drop=True)


SPEECH_METADATA: dict[str, str] = {"doc_type": DOC_TYPE, "outlet": OUTLET, "source_url": DOI_URL}
"""What the subset's manifest gives every speech, so rules keyed on any of it apply alike."""


def clean_speeches(texts: Sequence[str], *, workers: int | None = None) -> list[str]:
    """UN speeches cleaned with the default rules, as the corpus pipeline cleans the subset.

    ``workers`` processes share the work (default: one per CPU; 1 runs in
    this process); the result is the same list, in input order.
    """
    workers = (os.cpu_count() or 1) if workers is None else workers
    if workers <= 1 or len(texts) < 2:
        return [_clean_speech(text) for text in texts]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_clean_speech, texts, chunksize=max(1, len(texts) // (workers * 20))))


def _clean_speech(text: str) -> str:
    return clean_text(text, SPEECH_METADATA)[0]


def world_reference_files(frame: pd.DataFrame, source_sha256: str, lexicon_path: Path) -> dict[str, bytes]:
    """The world reference CSV and its sidecar JSON, as bytes (``csv``, ``json``).

    The JSON records what the table was computed from: the input parquet's
    and the lexicon's SHA-256, the number of speeches and tokens.
    """
    lexicon_path = Path(lexicon_path)
    per_year = frame.drop_duplicates("year")
    sidecar = {
        "description": "Yearly rate per 1,000 tokens of each lexicon concept across every speech of "
        "the UN General Debate Corpus, cleaned with fplang's default rules (UN record rules "
        "included) and counted with fplang.counting.engine.count_concepts.",
        "columns": WORLD_REFERENCE_COLUMNS,
        "source": SOURCE_PARQUET,
        "source_doi": DOI_URL,
        "source_sha256": source_sha256,
        "lexicon": lexicon_path.name,
        "lexicon_sha256": _sha256_file(lexicon_path),
        "years": [int(per_year["year"].min()), int(per_year["year"].max())],
        "speeches": int(per_year["speeches"].sum()),
        "tokens": int(per_year["tokens"].sum()),
        "command": REGENERATE_COMMAND,
    }
    return {
        "csv": _csv_bytes(frame, float_format="%.6g"),
        "json": (json.dumps(sidecar, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8"),
    }


# --- the command -----------------------------------------------------------------


def cli_main(argv: list[str] | None = None) -> int:
    """``fplang ungdc``: regenerate or ``--check`` the UN subset and the world reference.

    Returns the exit status: 0 when written or verified, 1 when a check fails
    or the source is unusable.
    """
    args = _cli_parser().parse_args(argv)
    source, out = Path(args.source), Path(args.out)
    try:
        started = time.perf_counter()
        report = regenerate(source, out, check=args.check)
        print(report.summary())
        print(f"subset: {time.perf_counter() - started:.1f} s")
        if not args.no_world_reference:
            started = time.perf_counter()
            problems = _world_reference_step(
                source, Path(args.lexicon), Path(args.world_reference), report.source_sha256, args.check
            )
            print(f"world reference: {time.perf_counter() - started:.1f} s")
            if problems:
                print("\n".join(f"  - {problem}" for problem in problems), file=sys.stderr)
                return 1
    except SubsetMismatchError as error:
        print(f"fplang ungdc: {error}", file=sys.stderr)
        return 1
    except (SourceError, OSError) as error:
        print(f"fplang ungdc: {error}", file=sys.stderr)
        return 1
    return 0


def _cli_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fplang ungdc",
        description="Write the committed UN General Debate subset (Viet Nam, ASEAN, China, Cuba, "
        f"{FIRST_YEAR}-{LAST_YEAR}: texts/, manifest.csv, README.md) from the full corpus, and the "
        "world reference table (each lexicon concept's yearly rate across all speeches). "
        "With --check, write nothing and fail unless the committed files are byte-identical to "
        "what the source gives.",
        epilog=f"Example, from the repository root: {REGENERATE_COMMAND} [--check]",
    )
    parser.add_argument(
        "--source", required=True, help=f"folder holding {SOURCE_PARQUET} and {SPEAKERS_CSV}"
    )
    parser.add_argument("--out", required=True, help="the subset's folder (data/raw/ungdc)")
    parser.add_argument(
        "--check", action="store_true", help="verify the committed files byte for byte; write nothing"
    )
    parser.add_argument(
        "--lexicon",
        default=str(DATA_DIR / "lexicon.yml"),
        help="lexicon for the world reference (default: the project's data/lexicon.yml)",
    )
    parser.add_argument(
        "--world-reference",
        default=str(DATA_DIR / "world_reference.csv"),
        help="where the world reference CSV goes; its sidecar .json beside it "
        "(default: the project's data/world_reference.csv)",
    )
    parser.add_argument(
        "--no-world-reference",
        action="store_true",
        help="skip the world reference (cleaning and counting the full corpus takes minutes)",
    )
    return parser


def _world_reference_step(
    source: Path, lexicon: Path, csv_path: Path, source_sha256: str, check: bool
) -> list[str]:
    """Compute the world reference and write it, or compare it with the files on disk."""
    frame = world_reference(source, lexicon)
    files = world_reference_files(frame, source_sha256, lexicon)
    targets = {"csv": csv_path, "json": csv_path.with_suffix(".json")}
    if check:
        problems = []
        for kind, path in targets.items():
            if not path.is_file():
                problems.append(f"{path}: missing")
            elif path.read_bytes() != files[kind]:
                problems.append(f"{path}: differs from what the source and lexicon give")
        if not problems:
            print(f"OK: {csv_path} and its .json identical to what the source and lexicon give")
        return problems
    for kind, path in targets.items():
        write_bytes(path, files[kind])
    print(f"wrote {csv_path} ({len(frame)} rows) and {targets['json'].name}")
    return []


# --- helpers ---------------------------------------------------------------------


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


def _missing_speeches(subset: pd.DataFrame) -> list[tuple[Country, list[int]]]:
    """Per country, the years from its first General Debate (within the window) with no speech."""
    gaps = []
    for country in COUNTRIES:
        have = set(subset.loc[subset["iso3"] == country.iso3, "year"])
        first = max(FIRST_YEAR, country.first_debate)
        missing = [year for year in range(first, LAST_YEAR + 1) if year not in have]
        if missing:
            gaps.append((country, missing))
    return gaps


_NOTE_FOR_RULE: dict[str, str] = {
    "un_paragraph_number": "numbered paragraphs, as in the meeting record",
    "un_page_number": "page numbers on lines of their own",
    "un_running_head": "running heads of the printed record (job numbers, record symbols, session heads)",
    "un_record_citation": "editors' references to other documents ('(see A/63/PV.10)')",
    "un_interpretation_note": "interpretation notes ('(spoke in French)')",
    "un_run_together_sentence": "sentences run together without a space",
}
"""What the manifest's notes say when a UN-record rule finds something in a raw speech."""


def _source_notes(text: str) -> list[str]:
    """Notes on what the raw text holds that cleaning deals with, found by looking at it.

    Each rule of :data:`UN_RECORD_RULES` named in :data:`_NOTE_FOR_RULE` is
    searched for in the raw text (line endings normalised), so the notes
    describe the source, not the cleaned text.
    """
    notes = []
    if text.startswith("\ufeff"):
        notes.append("starts with a byte-order mark")
    if "\r" in text and "\n" not in text:
        notes.append("paragraphs separated by bare carriage returns")
    soft_hyphens = text.count("\u00ac")
    if soft_hyphens:
        notes.append(f"{soft_hyphens} '¬' soft-hyphen break(s)")
    plain = re.sub(r"\r\n?", "\n", text.lstrip("\ufeff"))
    by_name = {rule.name: rule for rule in UN_RECORD_RULES}
    for name, note in _NOTE_FOR_RULE.items():
        rule = by_name[name]
        if re.search(rule.pattern, plain, rule.flags):
            notes.append(note)
    if open_line_share(plain) >= 0.5:
        notes.append("lines hard-wrapped")
    return notes


def _history_notes(iso3: str, year: int) -> list[str]:
    if iso3 == "KHM" and year in DEMOCRATIC_KAMPUCHEA_YEARS:
        return [
            "Cambodia's seat was held by Democratic Kampuchea in exile (from 1982 its coalition "
            "government), not by the Viet Nam-backed People's Republic of Kampuchea"
        ]
    return []


def _sentence_list(notes: list[str]) -> str:
    """Notes joined into one cell: each ends with a full stop, separated by a space."""
    return " ".join(note if note.endswith(".") else f"{note[:1].upper()}{note[1:]}." for note in notes)


def _ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def _fold(value: str) -> str:
    return " ".join(value.split()).casefold()


def _csv_bytes(frame: pd.DataFrame, float_format: str | None = None) -> bytes:
    buffer = StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n", float_format=float_format)
    return buffer.getvalue().encode("utf-8")


def _require_columns(frame: pd.DataFrame, columns: list[str], file_name: str) -> None:
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise SourceError(f"{file_name}: missing column(s) {', '.join(missing)}")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _first_difference(a: bytes, b: bytes) -> int:
    for index, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return index
    return min(len(a), len(b))
