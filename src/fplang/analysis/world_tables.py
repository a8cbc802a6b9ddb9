"""The world chapter's tables, computed from the whole General Debate by one command.

``fplang world --source ../shared/data/ungdc --out data/world/tables`` reads
all 10,952 speeches (checking each against its sha256), cleans them with the
book's rules, and writes the small tables the chapter draws from, with a
sidecar (``world.json``) recording the sha256 of every input and output and
the command.  The tables are committed, so the book builds on a fresh clone
without the corpus; ``--check`` recomputes them and fails if any differs.

The work per speech — cleaning, counting tokens, finding the sentences that
mention Viet Nam or state a formula — runs in parallel processes
(:func:`digest_speeches`); everything after it works on those digests: cleaned
sentences and token counts, which is what the corpus build of the scale issue
will hand over instead.  Wordfish fits run in parallel too, one session each.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from io import StringIO
from pathlib import Path

import numpy as np
import pandas as pd

from fplang.analysis import genealogy, mentions, neighbours, positions
from fplang.analysis.blocs import assign_blocs, assign_eras, load_alignment, load_eras
from fplang.analysis.keyness import keyness
from fplang.analysis.vocabulary import MIN_WORD_LENGTH, STOP_WORDS, term_matrix
from fplang.analysis.world import SPEECH_METADATA
from fplang.corpus.clean import clean_text
from fplang.corpus.segment import split_sentences
from fplang.corpus.tokens import tokenize
from fplang.files import write_bytes
from fplang.paths import DATA_DIR
from fplang.sources.ungdc import read_source

__all__ = ["REGENERATE_COMMAND", "WorldTables", "compute_world_tables", "digest_speeches", "run_world"]

REGENERATE_COMMAND: str = "fplang world --source ../shared/data/ungdc --out data/world/tables"
"""The command, run from the repository root, that writes the chapter's tables."""

FOCUS: str = "VNM"
WORLD_DIR: Path = DATA_DIR / "world"
ALIGNMENT_CSV: Path = WORLD_DIR / "alignment.csv"
ERAS_CSV: Path = WORLD_DIR / "eras.csv"
SIDECAR: str = "world.json"

@dataclass(frozen=True)
class WorldParameters:
    """Every choice the tables depend on, recorded in the sidecar and in the rules' checksum."""

    focus: str = FOCUS
    collocate_window: int = 5
    collocates_per_era: int = 15
    collocate_min_frequency: int = 5
    kwic_per_era: int = 8
    precision_sample_per_tier: int = 30
    seed: int = 20260115
    neighbour_min_states: int = neighbours.MIN_STATES
    wordfish_min_share: float = positions.MIN_SHARE
    wordfish_start_sessions: tuple[int, ...] = (5, 25, 45, 65)
    wordfish_random_starts: int = 3


PARAMETERS = WorldParameters()
"""Every choice the tables depend on, recorded in the sidecar."""

FLOAT_FORMAT = "%.6g"


@dataclass
class SpeechDigest:
    """What the tables need from one cleaned speech."""

    tokens: int
    counts: Counter[str]
    sentences: list[tuple[int, str]] = field(default_factory=list)
    """(sentence number, text) of the sentences that may mention Viet Nam or state a formula."""


@dataclass
class WorldTables:
    """The computed tables (name -> frame) and the inputs' sha256."""

    tables: dict[str, pd.DataFrame]
    inputs: dict[str, str]
    speeches: int
    tokens: int


def digest_speeches(texts: Sequence[str], *, workers: int | None = None) -> list[SpeechDigest]:
    """Clean each raw speech with the book's rules and digest it, in ``workers`` processes (default: all cores).

    The order of the result is the order of ``texts``, whatever the number of
    processes, so the tables do not depend on it.
    """
    workers = (os.cpu_count() or 1) if workers is None else workers
    if workers <= 1 or len(texts) < 2:
        return [_clean_and_digest(text) for text in texts]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_clean_and_digest, texts, chunksize=max(1, len(texts) // (workers * 20))))


def _clean_and_digest(text: str) -> SpeechDigest:
    return digest_cleaned(clean_text(text, SPEECH_METADATA)[0])


def digest_cleaned(text: str) -> SpeechDigest:
    """Token counts of a cleaned speech, and its sentences that may mention Viet Nam or state a formula.

    A sentence is kept when any mention term or formula pattern matches in it,
    or it holds every word of a rung pattern (the analysis functions then apply
    their full rules: the counting engine decides which rungs it states).  Each
    pattern runs only where a word it cannot match without is present
    (:func:`_gated_patterns`), and the text is split into sentences only if
    some pattern matches or it holds every word of a rung pattern
    (:func:`fplang.analysis.genealogy.may_state_rung`), which keeps the
    search a small part of the work.
    """
    tokens = tokenize(text)
    digest = SpeechDigest(tokens=len(tokens), counts=Counter(tokens))
    any_pattern, any_rung = _matches_any(text), genealogy.may_state_rung(text)
    if any_pattern or any_rung:
        for number, (start, end) in enumerate(split_sentences(text)):
            sentence = text[start:end]
            if (any_rung and genealogy.may_state_rung(sentence)) or (any_pattern and _matches_any(sentence)):
                digest.sentences.append((number, sentence))
    return digest


WINDOW: int = 300
"""Characters searched either side of a gate word: longer than any match of any pattern."""


def _matches_any(text: str) -> bool:
    """Whether any mention pattern or formula regular expression matches somewhere in ``text``.

    Each pattern is searched only in windows of :data:`WINDOW` characters
    around the occurrences of its gate words, since every match contains one;
    a window's edges can at worst let a pattern match where the whole text
    would not, which only keeps a sentence for the full rules to judge.
    """
    lowered = text.lower()
    for gates, pattern in _gated_patterns():
        if not gates:
            if pattern.search(text):
                return True
            continue
        for gate in gates:
            position = lowered.find(gate)
            while position >= 0:
                # The window reaches far enough past this occurrence to hold any match of a
                # later occurrence that the next find() skips.
                if pattern.search(text, max(0, position - WINDOW), position + len(gate) + 2 * WINDOW):
                    return True
                position = lowered.find(gate, position + WINDOW)
    return False


@functools.cache
def _gated_patterns() -> tuple[tuple[tuple[str, ...], re.Pattern[str]], ...]:
    """Every mention and formula pattern, each with the lower-case words one of which it needs to match.

    The gates are necessary conditions read off the patterns (a rung about
    partners cannot match a text without "partner"); a pattern with no gate
    always runs.  They change only how fast the search is, never what it finds.
    """
    gated: list[tuple[tuple[str, ...], re.Pattern[str]]] = [(MENTION_GATES, mentions.mention_pattern())]
    for formula_id, patterns in genealogy.regex_patterns().items():
        gates = FORMULA_GATES.get(formula_id, ())
        gated += [(gates, pattern) for pattern in patterns]
    return tuple(gated)


MENTION_GATES: tuple[str, ...] = (
    "viet",
    "noi",
    "gon",
    "phong",
    "dien",
    "nang",
    "minh",
    "tonkin",
    "annam",
    "cochin",
    "indo",
)
"""Every mention term contains one of these (lower-case) without a break inside it."""

FORMULA_GATES: dict[str, tuple[str, ...]] = {
    "strategic_autonomy": ("autonom",),
    "self_strengthening": ("strengthen",),
    "era_of_rise": ("era of",),
    "multilateralisation_diversification": ("multilaterali",),
    "peaceful_development_path": ("peaceful",),
    "shared_future": ("shared future",),
    "responsible_major_country": ("responsible",),
    "win_win_cooperation": ("win",),
}
"""For each formula found by regular expressions, words (lower-case) one of which every match contains."""


def compute_world_tables(
    source_dir: Path, *, alignment_csv: Path = ALIGNMENT_CSV, eras_csv: Path = ERAS_CSV, workers: int | None = None
) -> WorldTables:
    """Every table of the chapter, from the corpus folder and the two committed input tables."""
    alignment, eras = load_alignment(alignment_csv), load_eras(eras_csv)
    raw, speakers, hashes = read_source(Path(source_dir))
    raw = raw.sort_values(["year", "iso3"], kind="stable").reset_index(drop=True)
    speeches = raw[["iso3", "session", "year"]].copy()
    speeches.insert(0, "doc_id", raw["iso3"] + "_" + raw["year"].astype(str))
    speeches["country"] = _country_names(speeches, speakers)
    speeches["era"] = assign_eras(speeches["year"], eras)
    speeches["bloc"] = assign_blocs(speeches, alignment)
    digests = digest_speeches(raw["text"].tolist(), workers=workers)
    speeches["tokens"] = [digest.tokens for digest in digests]
    matrix = term_matrix([digest.counts for digest in digests], speeches["doc_id"].tolist())
    sentences = pd.DataFrame(
        [
            (doc_id, number, text)
            for doc_id, digest in zip(speeches["doc_id"], digests, strict=True)
            for number, text in digest.sentences
        ],
        columns=["doc_id", "sentence_id", "text"],
    )
    tables: dict[str, pd.DataFrame] = {}
    tables.update(_mention_tables(speeches, sentences, matrix))
    tables.update(_genealogy_tables(speeches, sentences))
    tables["neighbours"] = _named(
        neighbours.similarity_by_decade(matrix, speeches, FOCUS, min_states=PARAMETERS.neighbour_min_states),
        speeches,
    )
    tables.update(_position_tables(speeches, matrix, workers))
    tables["speeches"] = tables["speeches"].merge(tables.pop("positions"), on="doc_id", how="left")
    tables["sessions"] = (
        speeches.groupby(["session", "year"]).agg(speeches=("doc_id", "size"), tokens=("tokens", "sum")).reset_index()
    )
    inputs = {
        "ungdc_1946_2024.parquet": hashes["ungdc_1946_2024.parquet"],
        "speakers_by_session.csv": hashes["speakers_by_session.csv"],
        "alignment.csv": _sha256(Path(alignment_csv).read_bytes()),
        "eras.csv": _sha256(Path(eras_csv).read_bytes()),
        "rules": rules_sha256(),
    }
    return WorldTables(tables, inputs, speeches=len(speeches), tokens=int(speeches["tokens"].sum()))


def rules_sha256() -> str:
    """The sha256 of everything in code the tables depend on: the mention terms, the formulas, the parameters."""
    rules = {
        "mention_terms": [(t.id, t.tier, t.pattern) for t in mentions.MENTION_TERMS],
        "narrowing": mentions.NARROWING_PATTERN,
        "states": mentions.STATE_NAMES,
        "formulas": genealogy.formula_table().to_dict("records"),
        "parameters": asdict(PARAMETERS),
        "stop_words": sorted(STOP_WORDS),
        "min_word_length": MIN_WORD_LENGTH,
        "anchors": positions.ANCHORS,
    }
    return _sha256(json.dumps(rules, sort_keys=True, ensure_ascii=False).encode("utf-8"))


# --------------------------------------------------------------------------- the tables


def _mention_tables(speeches: pd.DataFrame, sentences: pd.DataFrame, matrix) -> dict[str, pd.DataFrame]:
    others = speeches[speeches["iso3"] != FOCUS]
    found = mentions.find_mentions(sentences[sentences["doc_id"].isin(others["doc_id"])])
    per_doc = found.groupby("doc_id").agg(mentions=("term", "size"), mention_sentences=("sentence_id", "nunique"))
    table = speeches.merge(per_doc, on="doc_id", how="left")
    table[["mentions", "mention_sentences"]] = table[["mentions", "mention_sentences"]].fillna(0).astype("int64")
    table.loc[table["iso3"] == FOCUS, ["mentions", "mention_sentences"]] = pd.NA
    located = found.merge(speeches[["doc_id", "iso3", "country", "year", "era"]], on="doc_id")
    located = located.merge(sentences, on=["doc_id", "sentence_id"])
    terms = (
        located.groupby(["era", "tier", "term"])
        .agg(mentions=("term", "size"), speeches=("doc_id", "nunique"))
        .reset_index()
    )
    first_in_sentence = located.drop_duplicates(["doc_id", "sentence_id"])
    named = first_in_sentence.assign(states=first_in_sentence["text"].map(mentions.states_named))
    states = (
        named.assign(state=named["states"].str.split(";"))
        .explode("state")
        .query("state != ''")
        .groupby(["era", "state"])
        .size()
        .rename("sentences")
        .reset_index()
    )
    return {
        "speeches": table,
        "mention_terms": terms,
        "mention_states": states,
        "collocates": _collocates(others, located, matrix),
        "kwic": _kwic_sample(first_in_sentence, "era", PARAMETERS.kwic_per_era),
        "precision_sample": _kwic_sample(located, "tier", PARAMETERS.precision_sample_per_tier),
    }


def _collocates(others: pd.DataFrame, located: pd.DataFrame, matrix) -> pd.DataFrame:
    window = PARAMETERS.collocate_window
    tables = []
    row_of = {doc_id: i for i, doc_id in enumerate(matrix.doc_ids)}
    for era, era_mentions in located.groupby("era", sort=False):
        target: Counter[str] = Counter()
        for _, group in era_mentions.groupby(["doc_id", "sentence_id"]):
            target.update(
                mentions.collocate_window_counts(
                    group["text"].iloc[0], zip(group["start"], group["end"], strict=True), window
                )
            )
        rows = [row_of[doc_id] for doc_id in others.loc[others["era"] == era, "doc_id"]]
        era_counts = pd.Series(np.asarray(matrix.counts[rows].sum(axis=0)).ravel(), index=matrix.terms)
        era_counts = era_counts[era_counts > 0]
        target_counts = pd.Series(target, dtype="int64")
        reference = era_counts.sub(target_counts, fill_value=0).astype("int64")
        scored = keyness(
            target_counts,
            reference,
            int(target_counts.sum()),
            int(reference.sum()),
            min_frequency=PARAMETERS.collocate_min_frequency,
        )
        content = scored["term"].map(lambda t: t.isalpha() and len(t) >= MIN_WORD_LENGTH and t not in STOP_WORDS)
        kept = scored[content & scored["significant"] & (scored["g2"] > 0)].head(PARAMETERS.collocates_per_era)
        kept = kept.assign(era=era, rank=np.arange(1, len(kept) + 1), window_tokens=int(target_counts.sum()))
        tables.append(kept)
    columns = [
        "era",
        "rank",
        "term",
        "target_count",
        "reference_count",
        "g2",
        "log_ratio",
        "p_adjusted",
        "window_tokens",
    ]
    return pd.concat(tables, ignore_index=True)[columns]


def _kwic_sample(located: pd.DataFrame, by: str, per_group: int) -> pd.DataFrame:
    """A seeded sample of ``per_group`` rows of each group, as keyword-in-context lines."""
    seed = PARAMETERS.seed
    ordered = located.sort_values(["doc_id", "sentence_id", "start"], kind="stable")
    picked = pd.concat(
        [group.sample(min(per_group, len(group)), random_state=seed) for _, group in ordered.groupby(by, sort=True)]
    ).sort_values([by, "year", "iso3", "sentence_id"], kind="stable")
    lines = [
        mentions.kwic(text, start, end)
        for text, start, end in zip(picked["text"], picked["start"], picked["end"], strict=True)
    ]
    left, keyword, right = (list(part) for part in zip(*lines, strict=True)) if lines else ([], [], [])
    picked = picked.assign(left=left, keyword=keyword, right=right)
    columns = [by, "year", "iso3", "country", "doc_id", "sentence_id", "term", "start", "left", "keyword", "right"]
    return picked[[c for c in columns if c in picked.columns]].reset_index(drop=True)


def _genealogy_tables(speeches: pd.DataFrame, sentences: pd.DataFrame) -> dict[str, pd.DataFrame]:
    uses = genealogy.find_formula_uses(sentences)
    first = genealogy.first_uses(uses, speeches)
    first = first.merge(speeches[["doc_id", "country"]], left_on="first_doc_id", right_on="doc_id").drop(
        columns="doc_id"
    )
    texts = sentences.set_index(["doc_id", "sentence_id"])["text"]
    spans = uses.set_index(["doc_id", "sentence_id", "formula"])[["start", "end"]]
    lines = []
    for row in first.itertuples(index=False):
        start, end = spans.loc[(row.first_doc_id, row.first_sentence_id, row.formula)]
        lines.append(mentions.kwic(texts.loc[(row.first_doc_id, row.first_sentence_id)], int(start), int(end)))
    left, matched, right = (list(part) for part in zip(*lines, strict=True)) if lines else ([], [], [])
    first = first.assign(left=left, matched=matched, right=right)
    return {
        "formula_first_uses": first,
        "formula_by_year": genealogy.uses_by_year(uses, speeches),
        "genealogy": genealogy.genealogy_summary(first, FOCUS),
    }


def _position_tables(speeches: pd.DataFrame, matrix, workers: int | None) -> dict[str, pd.DataFrame]:
    sessions = sorted(speeches["session"].unique())
    data = [positions.session_data(matrix, speeches, int(session)) for session in sessions]
    workers = (os.cpu_count() or 1) if workers is None else workers
    if workers <= 1:
        fits = [positions.fit_session(item) for item in data]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            fits = list(pool.map(positions.fit_session, data))
    placed, ends, summaries, weights = [], [], [], {}
    for item, fit in zip(data, fits, strict=True):
        located, words, summary = positions.fit_summary(item, fit)
        placed.append(located.assign(session=item.session, iso3=item.iso3))
        ends.append(words)
        summaries.append(summary)
        weights[item.session] = pd.Series(fit.beta, index=item.words)
    placed_frame = pd.concat(placed, ignore_index=True)
    stability = positions.session_stability(placed_frame, weights)
    fits_table = pd.DataFrame(summaries).merge(stability, on="session", how="left")
    fits_table.insert(1, "year", fits_table["session"] + 1945)
    start_sessions = [s for s in PARAMETERS.wordfish_start_sessions if s in set(sessions)]
    by_session = {item.session: (item, fit) for item, fit in zip(data, fits, strict=True)}
    starts = pd.concat(
        [
            positions.start_stability(
                *by_session[s], PARAMETERS.wordfish_random_starts, PARAMETERS.seed + s
            )
            for s in start_sessions
        ],
        ignore_index=True,
    )
    return {
        "positions": placed_frame[["doc_id", "theta", "theta_se"]],
        "position_words": pd.concat(ends, ignore_index=True),
        "position_fits": fits_table,
        "position_starts": starts,
    }


def _country_names(speeches: pd.DataFrame, speakers: pd.DataFrame) -> pd.Series:
    """Each speech's state as the UN's speakers list names it that year (the nearest year's name otherwise)."""
    labels = speakers.assign(country=speakers["country"].str.replace("\u2019", "'", regex=False).str.strip())
    labels = labels[labels["country"] != ""].drop_duplicates(["iso3", "year"]).set_index(["iso3", "year"])["country"]
    names = []
    for iso3, year in zip(speeches["iso3"], speeches["year"], strict=True):
        if (iso3, year) in labels.index:
            names.append(labels.loc[(iso3, year)])
            continue
        years = labels.loc[iso3].index if iso3 in labels.index.get_level_values(0) else []
        names.append(labels.loc[(iso3, min(years, key=lambda y: (abs(y - year), y)))] if len(years) else iso3)
    return pd.Series(names, index=speeches.index)


def _named(table: pd.DataFrame, speeches: pd.DataFrame) -> pd.DataFrame:
    """Add each state's name in the latest year of the table's decade it spoke."""
    latest = speeches.assign(decade=neighbours.decade_of(speeches["year"])).sort_values("year")
    names = latest.drop_duplicates(["iso3", "decade"], keep="last").set_index(["iso3", "decade"])["country"]
    return table.assign(
        country=[names.loc[(iso3, decade)] for iso3, decade in zip(table["iso3"], table["decade"], strict=True)]
    )


# --------------------------------------------------------------------------- files


def table_files(result: WorldTables) -> dict[str, bytes]:
    """Each table as CSV bytes, plus the sidecar recording inputs, outputs and the command."""
    files = {f"{name}.csv": _csv_bytes(frame) for name, frame in sorted(result.tables.items())}
    sidecar = {
        "description": "Tables of the chapter 'Viet Nam among nations', computed from every speech of the UN "
        "General Debate Corpus (cleaned with fplang's rules) by the command below.",
        "command": REGENERATE_COMMAND,
        "inputs_sha256": result.inputs,
        "parameters": asdict(PARAMETERS),
        "speeches": result.speeches,
        "tokens": result.tokens,
        "files_sha256": {name: _sha256(data) for name, data in files.items()},
    }
    files[SIDECAR] = (json.dumps(sidecar, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode("utf-8")
    return files


def run_world(source: Path, out: Path, *, check: bool = False, workers: int | None = None) -> int:
    """Compute the tables and write them to ``out`` (or, with ``check``, compare); the exit status.

    What ``fplang world`` runs: 0 when written or identical, 1 when a check
    finds a file that differs (each is named).
    """
    started = time.perf_counter()
    files = table_files(compute_world_tables(Path(source), workers=workers))
    out = Path(out)
    if check:
        differ = [
            name for name, data in files.items() if not (out / name).is_file() or (out / name).read_bytes() != data
        ]
        if differ:
            print(
                f"fplang world: {len(differ)} file(s) differ from what the source gives: {', '.join(differ)}",
                file=sys.stderr,
            )
            return 1
        print(f"OK: the {len(files)} files in {out} are what the source gives ({time.perf_counter() - started:.0f} s)")
        return 0
    for name, data in files.items():
        write_bytes(out / name, data)
    print(f"wrote {len(files)} files to {out} in {time.perf_counter() - started:.0f} s")
    return 0


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    buffer = StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n", float_format=FLOAT_FORMAT)
    return buffer.getvalue().encode("utf-8")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
