"""What a run reads, checked before any work: its input files and every parameter.

``fplang validate --params`` and ``fplang run`` call :func:`validate_inputs`.
Beyond each input file's own validator (manifest, lexicon, periods, formulas,
UN corpus, world reference), it checks the parameters against what the
chapters declare (:func:`parameter_problems`: unknown keys, wrong types) and
against what they need to finish: numbers within a range a run can afford,
document ids that exist and leave something to analyse, concepts that are in
the lexicon, a UN country that has speeches.  Anything a chapter would crash
on after minutes of work is reported here, naming the file, line and key.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable, Mapping
from pathlib import Path

import pandas as pd

from fplang.errors import Problem, quoted

INPUT_KEYS = (
    "corpus",
    "lexicon",
    "periods",
    "formulas",
    "un_corpus",
    "world_reference",
    "precision_dir",
    "world_tables",
    "alignment",
)
"""Parameters that name input files or folders; the rest are analysis knobs."""

DOC_ID_PARAMETERS = ("exclude_doc_ids", "sensitivity_exclude")
"""Parameters that list document ids; each id must be in the corpus."""

CONCEPT_LIST_PARAMETERS = ("key_concepts", "trend_concepts")
"""Parameters that list concepts; each must be a concept of the run's lexicon."""

PARAMETERS = "parameters"
"""How a problem names the parameters file's keys when the file itself is not at hand."""

RUN_KEYS = ("out_dir",)
"""Parameters the runner sets itself; a parameters file may not."""

PARAMETER_RANGES: dict[str, tuple[int, int, str]] = {
    "n_boot": (100, 100_000, "fewer than 100 replicates cannot place a 95 % interval's ends; more cost memory"),
    "min_frequency": (1, 1_000_000, "a term must be seen at least once to be tested"),
    "top_n": (1, 500, "the chart shows at most 500 keywords"),
}
"""Whole-number parameters: the smallest and largest value a run accepts, and why."""

BOOTSTRAP_CELLS = 20_000_000
"""The most bootstrap replicates × concepts a run holds in memory at once (8 bytes each, a few copies)."""


class RunParameters(dict[str, object]):
    """A run's parameters (name -> value), remembering the file they came from and each key's line.

    Behaves as the plain mapping the chapters receive; ``file`` and ``lines``
    let a problem name the line a user must edit.
    """

    def __init__(self, values: Mapping[str, object], file: str = PARAMETERS, lines: Mapping[str, int] | None = None):
        super().__init__(values)
        self.file = file
        self.lines: dict[str, int] = dict(lines or {})

    def problem(self, key: str, message: str) -> Problem:
        """A problem with ``key``, located at its line when the key was in the file."""
        line = self.lines.get(key)
        where = f"line {line}, key {quoted(key)}" if line else f"key {quoted(key)}"
        return Problem(self.file, where, message=message)


def validate_inputs(
    params: Mapping[str, object], declared: dict[str, dict[str, object]] | None = None
) -> list[Problem]:
    """Every problem with the inputs and parameters a run would use.

    ``declared`` is what the chapters declare (:func:`fplang.book.run.declared_parameters`);
    when given, the parameters are checked too: unknown keys and mistyped
    values, then ranges, document ids, concept lists and the UN country.
    """
    from fplang.analysis.formula_table import validate_formulas
    from fplang.analysis.world import validate_world_reference
    from fplang.corpus.manifest import validate_manifest
    from fplang.counting.lexicon import validate_lexicon
    from fplang.periods.table import validate_periods

    validators: dict[str, Callable[[str], list[Problem]]] = {
        "corpus": validate_manifest,
        "lexicon": validate_lexicon,
        "periods": validate_periods,
        "formulas": validate_formulas,
        "un_corpus": validate_manifest,
        "world_reference": validate_world_reference,
    }
    failed: set[str] = set()
    problems: list[Problem] = []
    for key, validate in validators.items():
        if params.get(key):
            found = validate(str(params[key]))
            problems += found
            if found:
                failed.add(key)
    if declared is None:
        return problems
    run_params = params if isinstance(params, RunParameters) else RunParameters(params)
    typed = parameter_problems(run_params, declared)
    problems += typed
    if typed:
        return problems  # the checks below need values of the declared types
    problems += _range_problems(run_params, declared)
    if "corpus" not in failed:
        problems += _doc_id_problems(run_params)
    if "lexicon" not in failed and params.get("lexicon"):
        problems += _concept_problems(run_params, declared)
    if "un_corpus" not in failed and params.get("un_corpus"):
        problems += _un_country_problems(run_params, declared)
    return problems


def parameter_problems(params: Mapping[str, object], declared: dict[str, dict[str, object]]) -> list[Problem]:
    """Keys no chapter declares, and values whose type differs from the chapter's default.

    ``declared`` maps each parameter to papermill's description of it (its
    ``default`` as source text).  A misspelt key would otherwise be silently
    ignored and the chapter would run on its default.
    """
    run_params = params if isinstance(params, RunParameters) else RunParameters(params)
    problems = [
        run_params.problem(key, "is set by fplang run itself; remove it from the parameters file")
        for key in RUN_KEYS
        if key in params
    ]
    unknown = sorted(set(params) - set(declared) - set(INPUT_KEYS) - set(RUN_KEYS), key=str)
    if unknown:
        known = ", ".join(sorted(set(declared) - set(RUN_KEYS)))
        problems += [
            run_params.problem(str(key), f"is not a parameter of any chapter (the parameters are: {known})")
            for key in unknown
        ]
    for key, value in params.items():
        if key in INPUT_KEYS or key not in declared:
            continue
        expected = _declared_types(declared[key])
        if expected and not any(_fits(value, kind) for kind in expected):
            words = " or ".join(_TYPE_WORDS[kind] for kind in expected)
            default = declared[key]["default"]
            problems.append(
                run_params.problem(key, f"must be {words} (the chapter's default is {default}), not {quoted(value)}")
            )
    return problems


def effective_value(params: Mapping[str, object], declared: dict[str, dict[str, object]], key: str) -> object:
    """The value a chapter will use: the parameters file's, else the chapter's default (``None`` if neither)."""
    if key in params:
        return params[key]
    info = declared.get(key)
    if info is None:
        return None
    try:
        return ast.literal_eval(str(info.get("default")))
    except (ValueError, SyntaxError):
        return None


# --- the checks a chapter would otherwise fail on ---------------------------------


def _range_problems(params: RunParameters, declared: dict[str, dict[str, object]]) -> list[Problem]:
    """Whole numbers outside :data:`PARAMETER_RANGES`, and a bootstrap too large for memory."""
    problems = []
    for key, (lowest, highest, why) in PARAMETER_RANGES.items():
        value = params.get(key)
        if isinstance(value, int) and not lowest <= value <= highest:
            problems.append(params.problem(key, f"{value:,} is outside {lowest:,} to {highest:,} ({why})"))
    return problems


def _manifest_ids(manifest: str) -> list[str]:
    """The ``doc_id`` column of a manifest that its validator accepted."""
    frame = pd.read_csv(manifest, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.columns = [str(column).strip().partition(":")[0] for column in frame.columns]
    return [doc_id.strip() for doc_id in frame["doc_id"]]


def _doc_id_problems(params: RunParameters) -> list[Problem]:
    """Listed document ids that the manifest does not have, and lists that would leave no document."""
    corpus = str(params["corpus"])
    ids = _manifest_ids(corpus)
    name = Path(corpus).name
    problems: list[Problem] = []
    for key in DOC_ID_PARAMETERS:
        listed = params.get(key)
        if not isinstance(listed, list):
            continue
        problems += [
            params.problem(key, f"no document {quoted(doc_id)} in {name}")
            for doc_id in listed
            if str(doc_id) not in ids
        ]
        if listed and set(ids) <= {str(doc_id) for doc_id in listed}:
            problems.append(
                params.problem(
                    key,
                    f"lists every document of {name} ({len(ids):,}), so nothing would be left to analyse; "
                    "leave at least one out of the list",
                )
            )
    return problems


def _concept_problems(params: RunParameters, declared: dict[str, dict[str, object]]) -> list[Problem]:
    """Concepts named in a concept-list parameter that the lexicon does not have.

    Only lists written in the parameters file are checked: a chapter's default
    names the book's concepts and is filtered to the lexicon's.  The lexicon's
    size is checked against the bootstrap's memory here too.
    """
    from fplang.counting.lexicon import load_lexicon

    lexicon = load_lexicon(str(params["lexicon"]))
    known = set(lexicon.concept_keys)
    problems: list[Problem] = []
    for key in CONCEPT_LIST_PARAMETERS:
        listed = params.get(key)
        if isinstance(listed, list):
            unknown = [concept for concept in listed if not isinstance(concept, str) or concept not in known]
            problems += [
                params.problem(key, f"{quoted(concept)} is not a concept of {lexicon.source}") for concept in unknown
            ]
    n_boot = effective_value(params, declared, "n_boot")
    if isinstance(n_boot, int) and n_boot * len(known) > BOOTSTRAP_CELLS:
        problems.append(
            params.problem(
                "n_boot",
                f"{n_boot:,} replicates × {len(known):,} concepts would hold {n_boot * len(known):,} rates in memory "
                f"(at most {BOOTSTRAP_CELLS:,}); use fewer replicates or concepts",
            )
        )
    return problems


def _un_country_problems(params: RunParameters, declared: dict[str, dict[str, object]]) -> list[Problem]:
    """The UN country chapters 4 and 7 select (``un_iso3``) must have speeches in the UN corpus."""
    un_corpus = str(params["un_corpus"])
    frame = pd.read_csv(un_corpus, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame.columns = [str(column).strip().partition(":")[0] for column in frame.columns]
    name = Path(un_corpus).name
    if "iso3" not in frame.columns:
        return [params.problem("un_corpus", f"{name} has no iso3 column (the country of each speech)")]
    iso3 = effective_value(params, declared, "un_iso3")
    countries = sorted(set(frame["iso3"].str.strip()) - {""})
    if iso3 is not None and str(iso3) not in countries:
        shown = ", ".join(countries[:12]) + (f" and {len(countries) - 12:,} more" if len(countries) > 12 else "")
        default = "" if "un_iso3" in params else " (the chapters' default)"
        return [params.problem("un_iso3", f"{quoted(iso3)}{default} has no speech in {name}; it has {shown}")]
    return []


# --- types -----------------------------------------------------------------------

_TYPE_WORDS: dict[type, str] = {
    bool: "true or false", int: "a whole number", float: "a number", str: "text", list: "a list", dict: "a mapping",
}


def _declared_types(info: dict[str, object]) -> tuple[type, ...]:
    """The types a parameter accepts: its annotation's (``int | str``) or else its default's."""
    annotation = str(info.get("inferred_type_name") or "None")
    if annotation != "None":
        union = re.fullmatch(r"(?:typing\.)?Union\[(.*)\]", annotation)
        alternatives = union.group(1).split(",") if union else annotation.split("|")
        names = [part.strip().split("[")[0] for part in alternatives]
        return tuple(kind for kind in _TYPE_WORDS if kind.__name__ in names)
    try:
        value = ast.literal_eval(str(info.get("default")))
    except (ValueError, SyntaxError):
        return ()
    return tuple(kind for kind in _TYPE_WORDS if isinstance(value, kind))[:1]


def _fits(value: object, expected: type) -> bool:
    if expected is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if expected is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if expected is str:
        return isinstance(value, (str, int, float)) and not isinstance(value, bool)
    return isinstance(value, expected)
