"""Re-run the whole book on a corpus, lexicon and periods of one's own.

``run_book`` reads a parameters file (YAML), validates every input before any
work, executes each chapter notebook with papermill — independent chapters in
parallel — and builds the HTML book from the executed copies.  Everything is
first written under ``OUT/.partial`` and moved into place only when all of it
succeeded, so a failed run leaves no half-written outputs; nothing outside
``OUT`` is written and the inputs are only read.

The parameters file::

    corpus: my/corpus.csv        # manifest (required)
    lexicon: my/lexicon.yml      # optional: the book's lexicon otherwise
    periods: my/periods.csv      # optional: the book's periodisation otherwise
    min_frequency: 3             # any other key is passed to the notebooks

Relative paths are read from the parameters file's folder.  A key that no
chapter declares, or a value of another type than the chapter's default, is
an error before anything runs.

On a corpus other than the book's own, the book's Viet Nam-specific inputs
(the Congress formula table, the UN speeches, the world reference) are not
used unless named, and prose cells tagged ``book-corpus`` (passages that
interpret the book's own documents) are left out; cells tagged
``rerun-only`` (which say how to read a re-run) are shown instead.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

from fplang.errors import FplangError, InputError, Problem
from fplang.paths import PROJECT_ROOT

INPUT_KEYS = (
    "corpus", "lexicon", "periods", "formulas", "un_corpus", "world_reference",
    "precision_dir", "world_tables", "alignment",
)
"""Parameters that name input files; the rest are analysis knobs."""

BOOK_DEFAULTS = {"lexicon": "lexicon.yml", "periods": "periods.csv", "alignment": "world/alignment.csv"}
"""Inputs that default to the book's own tables (in data/) in every run that does not name them."""

BOOK_CORPUS_DEFAULTS = {
    "formulas": "formulas.csv",
    "un_corpus": "raw/ungdc/manifest.csv",
    "world_reference": "world_reference.csv",
    "precision_dir": "precision",
    "world_tables": "world/tables",
}
"""Inputs that default to the book's own only when the corpus is the book's own.

They are about Viet Nam (each Congress's formula, Viet Nam's UN speeches, the
precision sample labelled on those speeches): a
re-run on another corpus must not show them as its results, so the chapters
that need them say they do not apply unless the parameters name them.
"""

BOOK_CORPUS = PROJECT_ROOT / "data" / "corpus.csv"

BOOK_CORPUS_TAG = "book-corpus"
"""Cell tag: prose that interprets the book's own documents, left out of re-runs on another corpus."""

RERUN_ONLY_TAG = "rerun-only"
"""Cell tag: prose for re-runs on another corpus; hidden (``remove-cell``) in the book itself."""

JUPYTER_BOOK = [sys.executable, "-c", "import sys; from jupyter_book.cli.main import main; sys.exit(main())"]
"""How to call Jupyter Book's command line with this interpreter (it has no ``__main__``)."""

BOOK_CORPUS_PARAMETERS: dict[str, object] = {"sensitivity_exclude": []}
"""Chapter parameters whose defaults name the book's own documents; a re-run on another corpus starts them empty."""

DOC_ID_PARAMETERS = ("exclude_doc_ids", "sensitivity_exclude")
"""Parameters that list document ids; each id must be in the corpus."""

PARAMETERS = "parameters"
"""How a problem names the parameters file's keys when the file itself is not at hand."""

RUN_KEYS = ("out_dir",)
"""Parameters the runner sets itself; a parameters file may not."""


class RunError(FplangError, RuntimeError):
    """A re-run did not finish (a chapter failed, the book did not build); the message says what to fix."""


class ParametersError(InputError):
    """A run's parameters file, or an input it names, cannot be used; ``problems`` lists every one."""

    what = "the run's parameters and inputs"


@dataclass(frozen=True)
class RunSummary:
    """What a finished run produced."""

    out_dir: Path
    notebooks: list[Path]
    html: Path | None
    documents: int
    tokens: int
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)

    def __str__(self) -> str:
        lines = [
            f"documents: {self.documents:,}",
            f"tokens:    {self.tokens:,}",
            f"time:      {self.seconds:.1f} s",
            f"notebooks: {self.out_dir / 'notebooks'}",
            f"tables:    {self.out_dir / 'data'}",
        ]
        if self.html is not None:
            lines.append(f"book:      {self.html / 'index.html'}")
        if self.timings:
            slowest = sorted(self.timings.items(), key=lambda item: -item[1])
            lines.append("seconds:   " + ", ".join(f"{Path(name).stem} {seconds:.0f}" for name, seconds in slowest))
        return "\n".join(lines)


def read_params(params_path: str | Path) -> dict[str, object]:
    """The parameters of a run, with input paths made absolute.

    Raises :class:`ParametersError` when the file is not a YAML mapping or lacks ``corpus``.
    """
    params_path = Path(params_path)
    if not params_path.is_file():
        raise ParametersError([Problem(str(params_path), message="parameters file not found")])
    try:
        params = yaml.safe_load(params_path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise ParametersError([Problem(str(params_path), message=f"not valid YAML ({error})")]) from error
    if not isinstance(params, dict):
        raise ParametersError([Problem(str(params_path), message="must be a mapping of parameter names to values")])
    if "corpus" not in params:
        raise ParametersError([Problem(str(params_path), message="the key 'corpus' (the manifest's path) is required")])
    base = params_path.parent.resolve()
    resolved: dict[str, object] = dict(params)
    for key in INPUT_KEYS:
        value = params.get(key)
        if value is not None and value != "" and not isinstance(value, str):
            raise ParametersError([Problem(str(params_path), f"key {key!r}", message=f"must be a path, not {value!r}")])
        if value:
            resolved[key] = str((base / str(value)).resolve())
    defaults = dict(BOOK_DEFAULTS)
    if is_book_corpus(resolved):
        defaults |= BOOK_CORPUS_DEFAULTS
    else:
        resolved = BOOK_CORPUS_PARAMETERS | resolved
    for key in INPUT_KEYS:
        left_out = params.get(key) == "" and key not in BOOK_DEFAULTS  # "" says: no formulas, no UN speeches
        if not resolved.get(key):
            resolved[key] = str(PROJECT_ROOT / "data" / defaults[key]) if key in defaults and not left_out else ""
    return resolved


def is_book_corpus(params: dict[str, object]) -> bool:
    """Whether a run's corpus is the book's own manifest (so its Viet Nam-specific defaults apply)."""
    return Path(str(params["corpus"])).resolve() == BOOK_CORPUS.resolve()


def parameter_problems(params: dict[str, object], declared: dict[str, dict[str, object]]) -> list[Problem]:
    """Keys no chapter declares, and values whose type differs from the chapter's default.

    ``declared`` maps each parameter to papermill's description of it (its
    ``default`` as source text).  A misspelt key would otherwise be silently
    ignored and the chapter would run on its default.
    """
    problems = [
        Problem(PARAMETERS, f"key {key!r}", message="is set by fplang run itself; remove it from the parameters file")
        for key in RUN_KEYS
        if key in params
    ]
    unknown = sorted(set(params) - set(declared) - set(INPUT_KEYS) - set(RUN_KEYS))
    if unknown:
        known = ", ".join(sorted(set(declared) - set(RUN_KEYS)))
        problems += [
            Problem(
                PARAMETERS, f"key {key!r}", message=f"is not a parameter of any chapter (the parameters are: {known})"
            )
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
                Problem(
                    PARAMETERS,
                    f"key {key!r}",
                    message=f"must be {words} (the chapter's default is {default}), not {value!r}",
                )
            )
    return problems


_TYPE_WORDS: dict[type, str] = {
    bool: "true or false", int: "a whole number", float: "a number", str: "text", list: "a list", dict: "a mapping",
}


def _declared_types(info: dict[str, object]) -> tuple[type, ...]:
    """The types a parameter accepts: its annotation's (``int | str``) or else its default's."""
    import ast

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


def validate_inputs(params: dict[str, object], declared: dict[str, dict[str, object]] | None = None) -> list[Problem]:
    """Every problem with the inputs and parameters a run would use.

    ``declared`` is what the chapters declare (:func:`declared_parameters`);
    when given, unknown keys, mistyped values and document ids that are not
    in the corpus are reported too.
    """
    from fplang.analysis.formula_table import validate_formulas
    from fplang.corpus.manifest import validate_manifest
    from fplang.counting.lexicon import validate_lexicon
    from fplang.periods.table import validate_periods

    validators: dict[str, Callable[[str], list[Problem]]] = {
        "corpus": validate_manifest,
        "lexicon": validate_lexicon,
        "periods": validate_periods,
        "formulas": validate_formulas,
        "un_corpus": validate_manifest,
    }
    problems = [
        problem for key, validate in validators.items() if params.get(key) for problem in validate(str(params[key]))
    ]
    if declared is not None:
        problems += parameter_problems(params, declared)
        problems += _unknown_doc_ids(params)
    return problems


def chapter_parameters(notebooks: Iterable[Path] | None = None) -> dict[str, dict[str, dict[str, object]]]:
    """Each chapter's parameters, as papermill describes them, by notebook file name."""
    import papermill

    chosen = notebooks if notebooks is not None else chapter_notebooks()
    return {notebook.name: papermill.inspect_notebook(str(notebook)) for notebook in chosen}


def declared_parameters(
    by_chapter: dict[str, dict[str, dict[str, object]]] | None = None,
) -> dict[str, dict[str, object]]:
    """Every chapter parameter, merged over the chapters (the first declaration wins)."""
    declared: dict[str, dict[str, object]] = {}
    for parameters in (by_chapter if by_chapter is not None else chapter_parameters()).values():
        for name, info in parameters.items():
            declared.setdefault(name, dict(info))
    return declared


def _unknown_doc_ids(params: dict[str, object]) -> list[Problem]:
    """Ids in ``exclude_doc_ids`` / ``sensitivity_exclude`` that the manifest does not have."""
    import pandas as pd

    try:
        ids = set(pd.read_csv(str(params["corpus"]), dtype=str, usecols=["doc_id"])["doc_id"])
    except (OSError, ValueError):
        return []  # the manifest's own problems are reported by validate_manifest
    manifest_name = Path(str(params["corpus"])).name
    problems: list[Problem] = []
    for key in DOC_ID_PARAMETERS:
        listed = params.get(key)
        if isinstance(listed, list):
            problems += [
                Problem(PARAMETERS, f"key {key!r}", message=f"no document {doc_id!r} in {manifest_name}")
                for doc_id in listed
                if str(doc_id) not in ids
            ]
    return problems


def chapter_notebooks(notebook_dir: Path | None = None) -> list[Path]:
    """The book's chapter notebooks, in file-name (= chapter) order."""
    folder = notebook_dir or PROJECT_ROOT / "notebooks"
    return sorted(folder.glob("[0-9][0-9]_*.ipynb"))


def run_book(
    params_path: str | Path,
    out_dir: str | Path,
    *,
    build_html: bool = True,
    jobs: int | None = None,
    progress: bool = True,
) -> RunSummary:
    """Execute every chapter on the parameters' inputs and build the book in ``out_dir``.

    ``out_dir`` receives ``notebooks/`` (the executed chapters), ``data/``
    (every table behind the book, written by the chapters) and ``html/`` (the
    book).  Existing outputs there are replaced only after a successful run.
    """
    started = time.perf_counter()
    params = read_params(params_path)
    notebooks = chapter_notebooks()
    by_chapter = chapter_parameters(notebooks)
    with _step("validating inputs", progress):
        problems = validate_inputs(params, declared_parameters(by_chapter))
    if problems:
        raise ParametersError(problems, str(params_path))
    out_dir = Path(out_dir).resolve()
    partial = out_dir / ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    (partial / "notebooks").mkdir(parents=True)
    (partial / "data").mkdir()
    (partial / "sources").mkdir()
    notebook_params = {**params, "out_dir": str(partial / "data")}
    book_corpus = is_book_corpus(params)
    timings: dict[str, float] = {}
    try:
        sources = [prepare_chapter(nb, partial / "sources" / nb.name, book_corpus=book_corpus) for nb in notebooks]
        executed = _execute_all(sources, by_chapter, partial / "notebooks", notebook_params, jobs, progress, timings)
        for notebook in executed:
            show_run_parameters(notebook, str(partial), str(out_dir))
        if build_html:
            began = time.perf_counter()
            with _step("building the book (Sphinx)", progress):
                note, title = (None, None) if book_corpus else (rerun_note(params), rerun_title(params))
                _build_book(executed, partial, note, title)
            timings["book"] = time.perf_counter() - began
        _move_into_place(partial, out_dir, ["notebooks", "data", "html"])
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    shutil.rmtree(partial, ignore_errors=True)
    documents, tokens = _corpus_size(out_dir / "data" / "documents.csv")
    return RunSummary(
        out_dir=out_dir,
        notebooks=[out_dir / "notebooks" / p.name for p in executed],
        html=out_dir / "html" if build_html else None,
        documents=documents,
        tokens=tokens,
        seconds=time.perf_counter() - started,
        timings=timings,
    )


def prepare_chapter(source: Path, target: Path, *, book_corpus: bool) -> Path:
    """Write the chapter as it should run: on another corpus, without its book-corpus prose.

    Cells tagged ``book-corpus`` interpret the book's own documents ("seed 002
    is a machine rewrite"); on another corpus they would state the book's
    results as if they were the run's, so they are dropped.  Cells tagged
    ``rerun-only`` are hidden in the book and shown in a re-run.
    """
    notebook = nbformat.read(source, as_version=4)
    if not book_corpus:
        notebook.cells = [cell for cell in notebook.cells if BOOK_CORPUS_TAG not in cell.metadata.get("tags", [])]
        for cell in notebook.cells:
            tags = cell.metadata.get("tags", [])
            if RERUN_ONLY_TAG in tags:
                cell.metadata["tags"] = [tag for tag in tags if tag != "remove-cell"]
    nbformat.write(notebook, target)
    return target


@contextlib.contextmanager
def _step(description: str, progress: bool) -> Iterator[None]:
    """A one-step progress bar for a long step: its name while it runs, and how long it took."""
    from tqdm.auto import tqdm

    with tqdm(total=1, desc=description, disable=not progress, bar_format="{desc}: {n}/{total} [{elapsed}]") as bar:
        yield
        bar.update()


def _execute_all(
    notebooks: list[Path],
    by_chapter: dict[str, dict[str, dict[str, object]]],
    target: Path,
    params: dict[str, object],
    jobs: int | None,
    progress: bool,
    timings: dict[str, float],
) -> list[Path]:
    """Run the notebooks with papermill, in parallel, each given the parameters it declares.

    Raises :class:`RunError` naming every notebook that failed.
    """
    from tqdm.auto import tqdm

    workers = jobs or max(1, min(len(notebooks), os.cpu_count() or 1))
    bar = tqdm(total=len(notebooks), desc="notebooks", unit="nb", disable=not progress)
    failures: list[str] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {
            pool.submit(_execute_one, nb, target / nb.name, _given(params, by_chapter[nb.name])): nb
            for nb in _heaviest_first(notebooks, params, by_chapter)
        }
        for future in as_completed(futures):
            notebook = futures[future]
            try:
                timings[notebook.name] = future.result()
            except RunError as error:
                failures.append(str(error))
            bar.set_postfix_str(notebook.name)
            bar.update()
    bar.close()
    if failures:
        raise RunError("\n".join(sorted(failures)))
    return [target / nb.name for nb in notebooks]


def _given(params: dict[str, object], declared: dict[str, dict[str, object]]) -> dict[str, object]:
    """The run's parameters that this chapter declares (papermill would warn about the others)."""
    return {key: value for key, value in params.items() if key in declared}


def _heaviest_first(
    notebooks: list[Path], params: dict[str, object], by_chapter: dict[str, dict[str, dict[str, object]]]
) -> list[Path]:
    """The notebooks in the order to start them: those reading the most inputs first.

    The chapter that reads every UN speech takes longest; started last, it
    would run alone while the other cores idle.  The number of input files a
    chapter reads in this run is a cheap, stable proxy for its weight.
    """

    def inputs_read(notebook: Path) -> int:
        return sum(1 for key in INPUT_KEYS if key in by_chapter[notebook.name] and params.get(key))

    return sorted(notebooks, key=lambda notebook: -inputs_read(notebook))


def _execute_one(source: Path, executed: Path, given: dict[str, object]) -> float:
    """Execute one notebook with ``given`` parameters; seconds taken."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    began = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(source),
            str(executed),
            parameters=given,
            cwd=str(PROJECT_ROOT / "notebooks"),
            progress_bar=False,
            kernel_name="python3",
        )
    except PapermillExecutionError as error:
        raise RunError(
            f"notebook {source.name} failed in cell {error.exec_count} ({error.ename}: {error.evalue}); "
            f"the executed copy up to the failure is not kept"
        ) from error
    return time.perf_counter() - began


def show_run_parameters(notebook_path: Path, written_to: str, final: str) -> None:
    """Show the parameters the run used, not the chapter's defaults.

    The chapter's own ``parameters`` cell holds the book's defaults, which the
    run overrode; the book of a re-run hides it and shows papermill's
    injected cell instead, behind a toggle labelled as the run's parameters,
    with the output folder's final path in place of the temporary one it was
    written to.
    """
    notebook = nbformat.read(notebook_path, as_version=4)
    for cell in notebook.cells:
        tags = cell.metadata.get("tags", [])
        if "parameters" in tags and "remove-cell" not in tags:
            cell.metadata["tags"] = [*tags, "remove-cell"]
        if "injected-parameters" in tags:
            cell.source = cell.source.replace(written_to, final)
            # Behind a toggle, as the chapter's own parameters are in the book.
            cell.metadata["tags"] = [*tags, "hide-input"] if "hide-input" not in tags else tags
            cell.metadata["mystnb"] = {
                "code_prompt_show": "Show the parameters of this run",
                "code_prompt_hide": "Hide the parameters of this run",
            }
    nbformat.write(notebook, notebook_path)


def rerun_note(params: dict[str, object]) -> str:
    """The note a re-run on another corpus puts at the top of the book's introduction."""
    return (
        ":::{note}\n"
        f"This copy of the book was re-run with `fplang run` on another corpus (the manifest "
        f"`{Path(str(params['corpus'])).name}`). The chapters show that corpus's numbers, tables and charts; "
        "passages that interpret the book's own documents are left out of them, and chapters that cannot "
        "apply say so. This introduction, the glossary and the pages on method and reproducibility describe "
        "the book itself.\n"
        ":::\n"
    )


def rerun_title(params: dict[str, object]) -> str:
    """The title a re-run on another corpus gives its book (every page shows it), naming that corpus, not the book's."""
    return f"Foreign-policy language, re-run on {Path(str(params['corpus'])).name}"


RERUN_INTRODUCTION_TITLE = "About the book this run re-ran"
"""The introduction's heading in a re-run: every page's navigation shows it, so it names no corpus."""


def _with_note_after_title(markdown: str, note: str) -> str:
    """``markdown`` under a neutral title, with ``note`` first; the book's own title opens the text.

    The introduction's first ``# `` heading is the book's title, which every
    page's navigation would repeat; a re-run heads it :data:`RERUN_INTRODUCTION_TITLE`
    and keeps the book's title as the page's first line, after the note.
    """
    lines = markdown.splitlines(keepends=True)
    for index, line in enumerate(lines):
        if line.startswith("# "):
            book_title = line[2:].strip()
            heading = f"# {RERUN_INTRODUCTION_TITLE}\n"
            return "".join([*lines[:index], heading, "\n", note, "\n", f"**{book_title}**\n", *lines[index + 1 :]])
    return note + "\n" + markdown


def _build_book(executed: list[Path], partial: Path, note: str | None = None, title: str | None = None) -> Path:
    """Build the HTML book from the executed notebooks (no re-execution), with ``note`` atop the introduction."""
    source = partial / "book-source"
    shutil.copytree(PROJECT_ROOT / "book", source / "book")
    shutil.copytree(PROJECT_ROOT / "data" / "examples", source / "data" / "examples")  # the re-run guide includes them
    shutil.copy2(PROJECT_ROOT / "data" / "glossary.csv", source / "data" / "glossary.csv")  # the glossary page's table
    if note is not None:
        intro = source / "book" / "intro.md"
        intro.write_text(_with_note_after_title(intro.read_text(encoding="utf-8"), note), encoding="utf-8")
    (source / "notebooks").mkdir()
    for notebook in executed:
        shutil.copy2(notebook, source / "notebooks" / notebook.name)
    shutil.copy2(PROJECT_ROOT / "_toc.yml", source / "_toc.yml")
    config = yaml.safe_load((PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))
    config.setdefault("execute", {})["execute_notebooks"] = "off"
    if title is not None:
        config["title"] = title
    (source / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False), encoding="utf-8")
    command = [
        *JUPYTER_BOOK, "build", str(source),
        "--path-output", str(source), "-W", "-n", "--keep-going", "--quiet",
    ]  # fmt: skip
    result = subprocess.run(command, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RunError(f"the book did not build:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    html = partial / "html"
    shutil.move(source / "_build" / "html", html)
    shutil.rmtree(source)
    return html


def _move_into_place(partial: Path, out_dir: Path, names: list[str]) -> None:
    for name in names:
        built = partial / name
        if not built.exists():
            continue
        final = out_dir / name
        if final.exists():
            shutil.rmtree(final)
        os.replace(built, final)


def _corpus_size(documents_csv: Path) -> tuple[int, int]:
    if not documents_csv.is_file():
        return 0, 0
    import pandas as pd

    documents = pd.read_csv(documents_csv)
    return len(documents), int(documents["tokens"].sum())

