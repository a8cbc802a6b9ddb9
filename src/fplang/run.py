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

Relative paths are read from the parameters file's folder.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import yaml

from fplang.paths import PROJECT_ROOT

INPUT_KEYS = ("corpus", "lexicon", "periods", "formulas", "un_corpus", "world_reference")
"""Parameters that name input files; the rest are analysis knobs."""

BOOK_DEFAULTS = {"lexicon": "lexicon.yml", "periods": "periods.csv", "formulas": "formulas.csv"}
"""Inputs that default to the book's own reference tables (in data/) when a run does not name them.

The UN inputs (``un_corpus``, ``world_reference``) do not: a re-run on another
corpus must not show the book's UN results, so the UN chapter says it does
not apply unless the parameters name a UN corpus.
"""

JUPYTER_BOOK = [sys.executable, "-c", "import sys; from jupyter_book.cli.main import main; sys.exit(main())"]
"""How to call Jupyter Book's command line with this interpreter (it has no ``__main__``)."""
"""Parameters that name input files; the rest are analysis knobs."""


class RunError(RuntimeError):
    """A rerun could not start or did not finish; the message says what to fix."""


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
        return "\n".join(lines)


def read_params(params_path: str | Path) -> dict[str, object]:
    """The parameters of a run, with input paths made absolute.

    Raises :class:`RunError` when the file is not a YAML mapping or lacks ``corpus``.
    """
    params_path = Path(params_path)
    if not params_path.is_file():
        raise RunError(f"{params_path}: parameters file not found")
    try:
        params = yaml.safe_load(params_path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise RunError(f"{params_path}: not valid YAML ({error})") from error
    if not isinstance(params, dict):
        raise RunError(f"{params_path}: must be a mapping of parameter names to values")
    if "corpus" not in params:
        raise RunError(f"{params_path}: the key 'corpus' (the manifest's path) is required")
    base = params_path.parent.resolve()
    resolved: dict[str, object] = dict(params)
    for key in INPUT_KEYS:
        value = params.get(key)
        if value is None or value == "":
            resolved[key] = str(PROJECT_ROOT / "data" / BOOK_DEFAULTS[key]) if key in BOOK_DEFAULTS else ""
        elif not isinstance(value, str):
            raise RunError(f"{params_path}: '{key}' must be a path, not {value!r}")
        else:
            resolved[key] = str((base / value).resolve())
    return resolved


def validate_inputs(params: dict[str, object]) -> list[str]:
    """Every problem with the corpus, lexicon and periods a run would use."""
    from fplang.corpus import validate_manifest

    problems = [str(p) for p in validate_manifest(str(params["corpus"]))]
    problems += _validate_optional("fplang.lexicon", "validate_lexicon", params.get("lexicon"))
    problems += _validate_optional("fplang.periods", "validate_periods", params.get("periods"))
    problems += _validate_optional("fplang.formulas", "validate_formulas", params.get("formulas"))
    if params.get("un_corpus"):
        problems += [str(p) for p in validate_manifest(str(params["un_corpus"]))]
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
    problems = validate_inputs(params)
    if problems:
        raise RunError("the inputs are not usable:\n" + "\n".join(f"  - {p}" for p in problems))
    out_dir = Path(out_dir).resolve()
    partial = out_dir / ".partial"
    shutil.rmtree(partial, ignore_errors=True)
    (partial / "notebooks").mkdir(parents=True)
    (partial / "data").mkdir()
    notebook_params = {**params, "out_dir": str(partial / "data")}
    timings: dict[str, float] = {}
    try:
        executed = _execute_all(chapter_notebooks(), partial / "notebooks", notebook_params, jobs, progress, timings)
        html = None
        if build_html:
            began = time.perf_counter()
            html = _build_book(executed, partial)
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


def _validate_optional(module: str, function: str, path: object) -> list[str]:
    if not path:
        return []
    import importlib

    validate: Callable[[str], Iterable[object]] = getattr(importlib.import_module(module), function)
    return [str(p) for p in validate(str(path))]


def _execute_all(
    notebooks: list[Path],
    target: Path,
    params: dict[str, object],
    jobs: int | None,
    progress: bool,
    timings: dict[str, float],
) -> list[Path]:
    """Run the notebooks with papermill, in parallel; raise naming the failed one."""
    from tqdm.auto import tqdm

    workers = jobs or max(1, min(len(notebooks), os.cpu_count() or 1))
    bar = tqdm(total=len(notebooks), desc="notebooks", unit="nb", disable=not progress)
    failures: list[str] = []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(_execute_one, nb, target / nb.name, params): nb for nb in notebooks}
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


def _execute_one(source: Path, executed: Path, params: dict[str, object]) -> float:
    """Execute one notebook with the parameters it declares; seconds taken."""
    import papermill
    from papermill.exceptions import PapermillExecutionError

    declared = papermill.inspect_notebook(str(source))
    given = {key: value for key, value in params.items() if key in declared}
    began = time.perf_counter()
    try:
        papermill.execute_notebook(
            str(source),
            str(executed),
            parameters=given,
            cwd=str(source.parent),
            progress_bar=False,
            kernel_name="python3",
        )
    except PapermillExecutionError as error:
        raise RunError(
            f"notebook {source.name} failed in cell {error.exec_count} ({error.ename}: {error.evalue}); "
            f"the executed copy up to the failure is not kept"
        ) from error
    _hide_injected_parameters(executed)
    return time.perf_counter() - began


def _hide_injected_parameters(notebook_path: Path) -> None:
    """Tag papermill's injected-parameters cell ``remove-cell`` so the book hides it."""
    notebook = nbformat.read(notebook_path, as_version=4)
    for cell in notebook.cells:
        tags = cell.metadata.get("tags", [])
        if "injected-parameters" in tags and "remove-cell" not in tags:
            cell.metadata["tags"] = [*tags, "remove-cell"]
    nbformat.write(notebook, notebook_path)


def _build_book(executed: list[Path], partial: Path) -> Path:
    """Build the HTML book from the executed notebooks (no re-execution)."""
    source = partial / "book-source"
    shutil.copytree(PROJECT_ROOT / "book", source / "book")
    (source / "notebooks").mkdir()
    for notebook in executed:
        shutil.copy2(notebook, source / "notebooks" / notebook.name)
    shutil.copy2(PROJECT_ROOT / "_toc.yml", source / "_toc.yml")
    config = yaml.safe_load((PROJECT_ROOT / "_config.yml").read_text(encoding="utf-8"))
    config.setdefault("execute", {})["execute_notebooks"] = "off"
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

