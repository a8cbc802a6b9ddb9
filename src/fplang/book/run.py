"""Re-run the whole book on a corpus, lexicon and periods of one's own.

``run_book`` reads a parameters file (YAML), validates every input before any
work, executes each chapter notebook with papermill — independent chapters in
parallel — and builds the HTML book from the executed copies.  Everything is
first written under ``OUT/.partial`` and moved into place only when all of it
succeeded, so a failed or stopped run leaves no half-written outputs; nothing
outside ``OUT`` is written and the inputs are only read.  OUT must be the run's
own, and only one run writes in it at a time (:mod:`fplang.book.outdir`).

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
import dataclasses
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import nbformat
import yaml

from fplang.book.inputs import INPUT_KEYS, RunParameters, validate_inputs
from fplang.book.outdir import check_output_folder, claim, stopped_cleanly
from fplang.book.runtime import RunSummary, build_inputs, log_tail, quiet_kernel_manager
from fplang.build.memory import MemorySampler
from fplang.errors import FplangError, InputError, Problem, quoted, shorten, shown_path
from fplang.files import read_yaml, usable_path, yaml_key_lines
from fplang.paths import PROJECT_ROOT

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


class RunError(FplangError, RuntimeError):
    """A re-run did not finish (a chapter failed, the book did not build); the message says what to fix."""


class ParametersError(InputError):
    """A run's parameters file, or an input it names, cannot be used; ``problems`` lists every one."""

    what = "the run's parameters and inputs"


def read_params(params_path: str | Path) -> RunParameters:
    """The parameters of a run, with input paths made absolute.

    Raises :class:`ParametersError` when the file cannot be read (not UTF-8,
    a YAML error, an alias, a repeated key: each naming the line), is not a
    mapping, lacks ``corpus``, or names an input by a path no file can have.
    """
    params_path = Path(params_path)
    where, why = usable_path(str(params_path))
    if where is None:
        raise ParametersError([Problem(shown_path(params_path), message=f"the parameters file's path {why}")])
    name = where.name
    params, problems = read_yaml(where)
    if problems:
        raise ParametersError(problems)
    if not isinstance(params, dict):
        raise ParametersError([Problem(name, message="must be a mapping of parameter names to values")])
    if "corpus" not in params:
        raise ParametersError([Problem(name, message="the key 'corpus' (the manifest's path) is required")])
    base = where.parent
    resolved = RunParameters(params, where.name, yaml_key_lines(where))
    for key in INPUT_KEYS:
        value = params.get(key)
        if value is not None and value != "" and not isinstance(value, str):
            problems.append(Problem(name, f"key {key!r}", message=f"must be a path, not {quoted(value)}"))
        elif value:
            path, why = usable_path(str(value), base)
            if path is None:
                problems.append(Problem(name, f"key {key!r}", message=f"the path {why}"))
            else:
                resolved[key] = str(path)
    if problems:
        raise ParametersError(problems)
    defaults = dict(BOOK_DEFAULTS)
    if is_book_corpus(resolved):
        defaults |= BOOK_CORPUS_DEFAULTS
    else:
        resolved = RunParameters(BOOK_CORPUS_PARAMETERS | resolved, resolved.file, resolved.lines)
    for key in INPUT_KEYS:
        left_out = params.get(key) == "" and key not in BOOK_DEFAULTS  # "" says: no formulas, no UN speeches
        if not resolved.get(key):
            resolved[key] = str(PROJECT_ROOT / "data" / defaults[key]) if key in defaults and not left_out else ""
    return resolved


def is_book_corpus(params: dict[str, object]) -> bool:
    """Whether a run's corpus is the book's own manifest (so its Viet Nam-specific defaults apply)."""
    return Path(str(params["corpus"])).resolve() == BOOK_CORPUS.resolve()


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
    scheduler: object = None,
) -> RunSummary:
    """Execute every chapter on the parameters' inputs and build the book in ``out_dir``.

    ``out_dir`` receives ``notebooks/`` (the executed chapters), ``data/``
    (every table behind the book, written by the chapters, and the corpus
    build they share) and ``html/`` (the book).  It must be the run's own
    (:mod:`fplang.book.outdir`: new, empty or made by an earlier run, holding
    no input), which is checked with the inputs before any work.  Existing
    outputs there are replaced only after a successful run; SIGTERM or SIGINT
    leave them as they were.  ``scheduler`` says where the corpus build's
    per-document stages run (:mod:`fplang.build.parallel`).
    """
    with stopped_cleanly(), MemorySampler(interval=0.25) as memory:
        summary = _run_book(
            params_path, out_dir, build_html=build_html, jobs=jobs, progress=progress, scheduler=scheduler
        )
    return dataclasses.replace(summary, peak_mb=memory.overall_mb)


def run_inputs(params: dict[str, object], params_path: str | Path) -> list[tuple[str, Path]]:
    """Every file and folder a run reads, as ``(what, path)``: what its output folder must keep clear of.

    The manifests' folders count as a whole (they hold the texts), and so
    does the book's own tree (chapters, pages, the default inputs, the code).
    """
    inputs = [("the parameters file", Path(params_path).resolve()), ("the book's own tree", PROJECT_ROOT)]
    for key in INPUT_KEYS:
        if params.get(key):
            path = Path(str(params[key]))
            inputs.append((f"the {key} file", path))
            if key in ("corpus", "un_corpus"):
                inputs.append((f"the folder of the {key} manifest", path.parent))
    return inputs


def _run_book(
    params_path: str | Path,
    out_dir: str | Path,
    *,
    build_html: bool,
    jobs: int | None,
    progress: bool,
    scheduler: object,
) -> RunSummary:
    started = time.perf_counter()
    params = read_params(params_path)
    out_dir = check_output_folder(out_dir, run_inputs(params, params_path))
    notebooks = chapter_notebooks()
    by_chapter = chapter_parameters(notebooks)
    with _step("validating inputs", progress):
        problems = validate_inputs(params, declared_parameters(by_chapter))
    if problems:
        raise ParametersError(problems, str(params_path))
    with claim(out_dir) as folder:
        partial = folder.partial
        for name in ("notebooks", "data", "sources"):
            (partial / name).mkdir()
        notebook_params = {**params, "out_dir": str(partial / "data")}
        book_corpus = is_book_corpus(params)
        timings: dict[str, float] = {}
        builds = build_inputs(params, partial / "data", scheduler, progress)
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
        folder.publish(["notebooks", "data", "html"] if build_html else ["notebooks", "data"])
    documents, tokens = _corpus_size(out_dir / "data" / "documents.csv")
    return RunSummary(
        out_dir=out_dir,
        notebooks=[out_dir / "notebooks" / p.name for p in executed],
        html=out_dir / "html" if build_html else None,
        documents=documents,
        tokens=tokens,
        seconds=time.perf_counter() - started,
        timings=timings,
        builds=builds,
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
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        futures = {
            pool.submit(_execute_one, nb, target / nb.name, _given(params, by_chapter[nb.name])): nb
            for nb in longest_first(notebooks)
        }
        for future in as_completed(futures):
            notebook = futures[future]
            try:
                timings[notebook.name] = future.result()
            except RunError as error:
                failures.append(str(error))
            bar.set_postfix_str(notebook.name)
            bar.update()
    finally:  # when stopped, chapters not yet started must not start; the bar ends before any message
        pool.shutdown(wait=True, cancel_futures=True)
        bar.close()
    if failures:
        raise RunError("\n".join(sorted(failures)))
    return [target / nb.name for nb in notebooks]


def _given(params: dict[str, object], declared: dict[str, dict[str, object]]) -> dict[str, object]:
    """The run's parameters that this chapter declares (papermill would warn about the others)."""
    return {key: value for key, value in params.items() if key in declared}


CHAPTER_SECONDS: dict[str, float] = {
    "03_concepts": 89.0,
    "06_un": 51.0,
    "08_findings": 38.0,
    "05_distinctive": 33.0,
    "02_periods": 29.0,
    "01_corpus": 23.0,
    "04_formulas": 7.0,
    "07_world": 5.0,
}
"""Each chapter's seconds on all 10,952 UN General Debate speeches (``make scale``, 2 cores, two chapters at once).

Measured in session 19 on main bdcecba (load average 1.8-2.5), after chapter 3's bootstrap
was made faster.  The weights of :func:`longest_first`; only their order matters.
"""


def longest_first(notebooks: list[Path]) -> list[Path]:
    """The notebooks in the order to start them: the longest expected first (LPT scheduling).

    With two chapters running at once, the run lasts until the last one ends;
    a long chapter started last runs alone while the other core idles.
    Starting the longest first and giving each free worker the next keeps the
    run within 4/3 of the shortest possible (Graham's bound for LPT).  A
    chapter's expected time is :data:`CHAPTER_SECONDS`, measured at full
    scale, where the order matters (on a small corpus every chapter takes
    seconds); a chapter not in the table is expected to be the longest, so it
    never starts last.  Ties keep chapter order.
    """
    longest = max(CHAPTER_SECONDS.values())
    return sorted(notebooks, key=lambda notebook: -CHAPTER_SECONDS.get(notebook.stem, longest))


def _execute_one(source: Path, executed: Path, given: dict[str, object]) -> float:
    """Execute one notebook with ``given`` parameters, its kernel's own output to a log; seconds taken."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    began = time.perf_counter()
    log = executed.parent.parent / "logs" / f"{source.stem}.log"
    try:
        papermill.execute_notebook(
            str(source),
            str(executed),
            parameters=given,
            cwd=str(PROJECT_ROOT / "notebooks"),
            progress_bar=False,
            kernel_name="python3",
            kernel_manager_class=quiet_kernel_manager(log),
        )
    except PapermillExecutionError as error:
        tail = log_tail(log)
        raise RunError(
            f"notebook {source.name} failed in cell {error.exec_count} ({error.ename}: {error.evalue}); "
            f"the executed copy up to the failure is not kept" + (f"\nthe kernel said:\n{tail}" if tail else "")
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
    """The note a re-run on another corpus puts at the top of the book's introduction.

    The manifest's file name is the user's and may hold anything, backticks
    and HTML included; it goes in as a code span that nothing in it can close
    (:func:`code_span`), so the book prints it as text.
    """
    return (
        ":::{note}\n"
        f"This copy of the book was re-run with `fplang run` on another corpus (the manifest "
        f"{code_span(Path(str(params['corpus'])).name)}). The chapters show that corpus's numbers, tables and charts; "
        "passages that interpret the book's own documents are left out of them, and chapters that cannot "
        "apply say so. This introduction, the glossary and the pages on method and reproducibility describe "
        "the book itself.\n"
        ":::\n"
    )


def rerun_title(params: dict[str, object]) -> str:
    """The title a re-run on another corpus gives its book (every page shows it), naming that corpus, not the book's.

    The theme prints the title into the page without escaping it, so the
    manifest's name (the user's, which may hold HTML) keeps only letters,
    digits, spaces and ``. , ( ) + -``; anything else becomes ``_``.
    """
    name = re.sub(r"[^\w .,()+-]", "_", Path(str(params["corpus"])).name)
    return f"Foreign-policy language, re-run on {shorten(name, 80)}"


RERUN_INTRODUCTION_TITLE = "About the book this run re-ran"
"""The introduction's heading in a re-run: every page's navigation shows it, so it names no corpus."""


def code_span(text: str) -> str:
    """``text`` as a MyST (CommonMark) code span, shown literally whatever it holds.

    The span is fenced by one backtick more than the longest run of backticks
    in ``text`` and padded by a space each side (which CommonMark strips), so
    no backtick inside can close it; characters that are not printable (a
    line break could end the note) are shown as U+FFFD.  Inside a code span
    MyST renders no HTML, roles or substitutions.
    """
    shown = printable(text)
    fence = "`" * (max((len(run) for run in re.findall("`+", shown)), default=0) + 1)
    return f"{fence} {shown} {fence}"


def printable(text: str) -> str:
    """``text`` with every character that is not printable (a line break, a control) shown as U+FFFD."""
    return "".join(char if char.isprintable() else "\ufffd" for char in text)


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


def _corpus_size(documents_csv: Path) -> tuple[int, int]:
    if not documents_csv.is_file():
        return 0, 0
    import pandas as pd

    documents = pd.read_csv(documents_csv)
    return len(documents), int(documents["tokens"].sum())

