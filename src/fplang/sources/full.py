"""The whole UN General Debate Corpus as a corpus of the book's kind: a text file a speech and a manifest.

Not committed (about 200 MB): ``make scale`` and ``make bench`` write it under
``_build/`` from ``../shared/data/ungdc`` with::

    fplang ungdc --source ../shared/data/ungdc --full-corpus _build/ungdc_full

Every speech's bytes are exactly the source's ``text.encode("utf-8")``
(checked against its sha256); the manifest has the required columns and the
document variables ``iso3``, ``country``, ``session:int``, ``year:int``,
``speaker`` and ``post``, so chapter 6 can read it as its UN corpus.  Files
already present with the right bytes are not written again.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from fplang.corpus.manifest import REQUIRED_COLUMNS
from fplang.files import csv_bytes, write_bytes
from fplang.sources.ungdc import (
    DOC_TYPE,
    DOI_URL,
    OUTLET,
    RIGHTS,
    SourceError,
    read_source,
    speakers_by_speech,
    text_file_name,
)

FULL_VARIABLES = ("iso3", "country", "session:int", "year:int", "speaker", "post")


def write_full_corpus(source_dir: Path, out_dir: Path) -> int:
    """Write every speech and ``manifest.csv`` into ``out_dir``; returns the number of speeches."""
    speeches, speakers, _ = read_source(Path(source_dir))
    speeches = speeches.sort_values(["iso3", "year", "session"], kind="stable").reset_index(drop=True)
    who = speakers_by_speech(speakers).set_index(["year", "session", "iso3"])
    out_dir = Path(out_dir)
    rows = []
    for speech in speeches.itertuples():
        data = speech.text.encode("utf-8")
        if hashlib.sha256(data).hexdigest() != speech.sha256:
            raise SourceError(f"{speech.iso3} {speech.year}: the text does not give back its recorded sha256")
        path = out_dir / "texts" / text_file_name(speech.iso3, speech.session, speech.year)
        if not path.is_file() or path.read_bytes() != data:
            write_bytes(path, data)
        key = (speech.year, speech.session, speech.iso3)
        found = who.loc[key] if key in who.index else None
        rows.append(
            {
                "doc_id": f"un_{speech.iso3}_{speech.year}_{speech.session}",
                "path": path.relative_to(out_dir).as_posix(),
                "title": f"{speech.iso3}, UN General Debate, session {speech.session} ({speech.year})",
                "published": str(speech.year),
                "doc_type": DOC_TYPE,
                "outlet": OUTLET,
                "source_url": DOI_URL,
                "sha256": speech.sha256,
                "rights": RIGHTS,
                "notes": "",
                "iso3": speech.iso3,
                "country": "" if found is None else found["name_in_record"],
                "session:int": str(speech.session),
                "year:int": str(speech.year),
                "speaker": "" if found is None else found["speaker"],
                "post": "" if found is None else found["post"],
            }
        )
    manifest = pd.DataFrame(rows, columns=[*REQUIRED_COLUMNS, *FULL_VARIABLES])
    write_bytes(out_dir / "manifest.csv", csv_bytes(manifest))
    return len(manifest)
