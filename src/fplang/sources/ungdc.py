"""Viet Nam at the UN: the committed General Debate subset, its manifest and README.

The UN General Debate Corpus (UNGDC, doi:10.7910/DVN/0TJX8Y, CC0) holds every
statement of the General Assembly's annual General Debate, 1946-2024, one row a
speech in ``ungdc_1946_2024.parquet``, with the speakers in
``speakers_by_session.csv``.  The book needs three things from it; this module
makes the first:

* the **subset** it reads as a corpus: Viet Nam's 47 speeches (1978-2024) and
  those of the comparison countries (the other ASEAN members, Timor-Leste,
  China, Cuba), 1976-2024, each stored as its own text file with a corpus
  manifest (:func:`fplang.sources.regenerate.regenerate`; ``fplang ungdc``);
* the **cleaning rules** for the quirks of the UN's records
  (:data:`fplang.corpus.rules_un.UN_RECORD_RULES`, plugged into
  :func:`fplang.corpus.clean.default_rules`);
* a **world reference**: each lexicon concept's yearly rate per 1,000 tokens
  across every speech of the full corpus (:func:`fplang.analysis.world.world_reference`).

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

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from fplang.corpus.manifest import REQUIRED_COLUMNS
from fplang.corpus.rules_un import UN_RECORD_RULES, UN_SPEECH_DOC_TYPE, open_line_share
from fplang.errors import FplangError
from fplang.files import csv_bytes, sha256_of_file
from fplang.tables import require_columns

# --- the source and the subset ---------------------------------------------------

SOURCE_PARQUET: str = "ungdc_1946_2024.parquet"
"""The full corpus: columns iso3, session, year, text, sha256 (of ``text.encode('utf-8')``)."""

SPEAKERS_CSV: str = "speakers_by_session.csv"
"""Who spoke: year, session, iso3, country, speaker, post."""

DOI_URL: str = "https://doi.org/10.7910/DVN/0TJX8Y"
RIGHTS: str = "CC0 1.0 (UN General Debate Corpus)"
OUTLET: str = "UN General Assembly, General Debate"
DOC_TYPE: str = UN_SPEECH_DOC_TYPE

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


class UngdcError(FplangError, RuntimeError):
    """Base class of this module's errors."""


class SourceError(UngdcError):
    """The UNGDC source folder is missing a file or column, or a text fails its checksum."""


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
    hashes = {name: sha256_of_file(path) for name, path in paths.items()}
    speeches = pd.read_parquet(paths[SOURCE_PARQUET])
    require_columns(speeches, ["iso3", "session", "year", "text", "sha256"], SOURCE_PARQUET, SourceError)
    speeches = speeches[["iso3", "session", "year", "text", "sha256"]].astype(
        {"session": "int64", "year": "int64"}
    )
    speakers = pd.read_csv(paths[SPEAKERS_CSV], dtype=str, keep_default_na=False, na_filter=False)
    require_columns(speakers, ["year", "session", "iso3", "country", "speaker", "post"], SPEAKERS_CSV, SourceError)
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
            names = "; ".join(f"{s} ({p})" if p else s for s, p, _ in kept)
            note = f"{SPEAKERS_CSV} lists {len(kept)} different speakers ({names}); all kept"
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
    files["manifest.csv"] = csv_bytes(manifest)
    files["README.md"] = subset_readme(subset, manifest, hashes).encode("utf-8")
    return files


def text_file_name(iso3: str, session: int, year: int) -> str:
    """The UNGDC's own file name for a speech: ``ISO3_SESSION_YEAR.txt``."""
    return f"{iso3}_{session}_{year}.txt"


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
other text of its corpus (rules `un_*` in `fplang.corpus.rules_un.UN_RECORD_RULES`).

## Source and licence

- UN General Debate Corpus (UNGDC), version 12 (sessions 1–78, 1946–2023) plus session 79
  (2024), as published by its authors on the Harvard Dataverse: doi:10.7910/DVN/0TJX8Y
  ({DOI_URL}).
- Licence: CC0 1.0 (public domain dedication). The repository's MIT licence (`LICENSE`) covers its
  code and prose, not these texts.
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


# --- helpers ---------------------------------------------------------------------


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
