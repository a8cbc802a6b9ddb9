"""`fplang run --out`: the folder is the run's own, one run writes it at a time, and a stopped run loses nothing.

The bad-input suite's cases for the output folder (issue 10): ``--out .`` in
a project deleted its corpus; ``--out ""`` did the same; a second run into
the same folder mixed two corpora; ``--no-html`` left an older book beside
new tables; SIGTERM left a 1 MB ``.partial``; SIGINT printed a traceback.
A whole ``--no-html`` run into a folder holding an older book is the full
run of ``test_bad_input.py``.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from conftest import ROOT
from fplang.book.cli import main
from fplang.book.outdir import LOCK, MARKER, OutputFolderError, claim, foreign_entries

EXAMPLE = ROOT / "data" / "examples" / "arcadia"


def _snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under ``folder`` (relative path -> bytes), but the lock file (it holds the last run's process id)."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and p.name != LOCK
    }


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A user's project: the worked example's corpus, lexicon, periods and parameters, and a notebook of their own."""
    folder = tmp_path / "project"
    subprocess.run(["cp", "-r", str(EXAMPLE), str(folder)], check=True)
    (folder / "analysis.ipynb").write_text("{}", encoding="utf-8")
    return folder


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    status = main(["run", *args])
    captured = capsys.readouterr()
    return status, captured.err.strip().splitlines()[-1] if captured.err.strip() else ""


def test_out_dot_in_a_folder_holding_the_corpus_is_refused_and_deletes_nothing(project, capsys, monkeypatch):
    monkeypatch.chdir(project)
    before = _snapshot(project)
    status, said = _run(capsys, "--params", "params.yml", "--out", ".")
    assert status == 1
    assert said == (
        f"fplang run: --out {project} holds the parameters file ({project / 'params.yml'}), an input of this run; "
        "fplang run replaces what is in its folder, so choose a new or empty folder elsewhere"
    )
    assert _snapshot(project) == before


def test_an_empty_out_is_refused(project, capsys, monkeypatch):
    monkeypatch.chdir(project)
    before = _snapshot(project)
    assert _run(capsys, "--params", "params.yml", "--out", "") == (
        1, "fplang run: --out is empty; name a new or empty folder for the run's outputs"
    )
    assert _snapshot(project) == before


@pytest.mark.parametrize(
    ("out", "expected"),
    [
        (lambda project: ROOT, lambda project: f"--out {ROOT} is the book's own tree, an input of this run"),
        (lambda project: ROOT / "notebooks", lambda project: f"--out {ROOT / 'notebooks'} lies inside the book's own tree ({ROOT})"),
        (lambda project: project / "texts", lambda project: f"--out {project / 'texts'} lies inside the folder of the corpus manifest ({project})"),
        (lambda project: project / "run", lambda project: f"--out {project / 'run'} lies inside the folder of the corpus manifest ({project})"),
        (lambda project: project.parent, lambda project: f"--out {project.parent} holds the parameters file"),
    ],
    ids=["the book's root", "a chapter folder", "the texts' folder", "inside the manifest's folder", "above the inputs"],
)
def test_an_out_that_holds_or_lies_inside_an_input_is_refused(project, capsys, out, expected):
    status, said = _run(capsys, "--params", str(project / "params.yml"), "--out", str(out(project)))
    assert status == 1 and said.startswith("fplang run: " + expected(project))


def test_a_folder_holding_other_files_is_refused_and_nothing_is_written_in_it(project, tmp_path, capsys):
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "thesis.docx").write_text("chapter 1", encoding="utf-8")
    status, said = _run(capsys, "--params", str(project / "params.yml"), "--out", str(mine), "--no-html")
    assert status == 1
    assert said == (
        f"fplang run: --out {mine} holds files that fplang run did not write (thesis.docx); fplang run replaces "
        "what is in its folder, so name a new or empty folder, or one an earlier run made"
    )
    assert sorted(p.name for p in mine.iterdir()) == ["thesis.docx"]


def test_an_out_below_a_file_or_in_a_folder_that_cannot_be_written_is_refused(project, tmp_path, capsys):
    afile = tmp_path / "afile"
    afile.write_text("x", encoding="utf-8")
    params = str(project / "params.yml")
    assert _run(capsys, "--params", params, "--out", str(afile / "run")) == (
        1, f"fplang run: --out {afile / 'run'} is below {afile}, which is a file; name a folder"
    )
    assert _run(capsys, "--params", params, "--out", str(afile)) == (1, f"fplang run: --out {afile} is a file; name a folder")
    if Path("/sys").is_dir():  # a system folder even root cannot write in
        status, said = _run(capsys, "--params", params, "--out", "/sys/fplang-run", "--no-html")
        assert status == 1 and said.startswith("fplang run: --out /sys/fplang-run cannot be created (")


def test_an_out_no_folder_can_have_is_refused(project, tmp_path, capsys):
    from fplang.book.run import run_book

    with pytest.raises(OutputFolderError, match="holds a NUL character, which no path can"):
        run_book(project / "params.yml", tmp_path / "a\x00b", progress=False)
    status, said = _run(capsys, "--params", str(project / "params.yml"), "--out", "y" * 6000)
    assert status == 1 and said.startswith("fplang run: --out yyyy") and "is too long (6,000 characters" in said
    assert len(said) < 400


def test_a_second_run_into_a_folder_being_written_fails_at_once(project, tmp_path, capsys):
    out = tmp_path / "out"
    with claim(out):  # a run in progress: it holds the lock
        began = time.perf_counter()
        status, said = _run(capsys, "--params", str(project / "params.yml"), "--out", str(out), "--no-html")
        assert time.perf_counter() - began < 60  # before any chapter runs (validation only)
        assert (status, said) == (
            1,
            f"fplang run: --out {out} is being written by another fplang run (process {os.getpid()}); "
            "wait for it to finish or choose another folder",
        )
    with claim(out):  # the lock was released with the first claim
        pass


def _previous_run(out: Path) -> dict[str, bytes]:
    """Outputs of an earlier run in ``out`` (notebooks, data, html), made as a run makes them."""
    with claim(out) as folder:
        for name, file in (("notebooks", "01_corpus.ipynb"), ("data", "documents.csv"), ("html", "index.html")):
            (folder.partial / name).mkdir()
            (folder.partial / name / file).write_text(f"the earlier run's {file}", encoding="utf-8")
        folder.publish(["notebooks", "data", "html"])
    return _snapshot(out)


def test_publishing_replaces_the_earlier_outputs_and_drops_an_html_not_rebuilt(tmp_path):
    out = tmp_path / "out"
    _previous_run(out)
    with claim(out) as folder:
        for name in ("notebooks", "data"):
            (folder.partial / name).mkdir()
            (folder.partial / name / "new.txt").write_text("new", encoding="utf-8")
        folder.publish(["notebooks", "data"])  # as --no-html does
    assert sorted(p.name for p in out.iterdir()) == sorted([LOCK, MARKER, "data", "notebooks"])
    assert json.loads((out / MARKER).read_text(encoding="utf-8"))["files"] == ["data/new.txt", "notebooks/new.txt"]
    (out / "data" / "my_notes.txt").write_text("mine", encoding="utf-8")
    assert foreign_entries(out) == ["data/my_notes.txt"]  # a later run would refuse the folder


@pytest.mark.slow
@pytest.mark.xdist_group("papermill")
@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT (Ctrl-C)"])
def test_a_stopped_run_leaves_the_earlier_outputs_no_partial_no_kernel_and_one_line(tmp_path, stop):
    out = tmp_path / "out"
    before = _previous_run(out)
    command = [sys.executable, "-m", "fplang.book.cli", "run", "--params", str(EXAMPLE / "params.yml"),
               "--out", str(out), "--no-html"]
    run = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, start_new_session=True)
    kernels = _wait_for_kernels(run.pid)
    if stop == signal.SIGINT:
        os.killpg(run.pid, stop)  # Ctrl-C signals the terminal's foreground process group
    else:
        os.kill(run.pid, stop)
    _, errors = run.communicate(timeout=120)
    assert run.returncode == 128 + stop
    assert "Traceback" not in errors
    assert errors.strip().splitlines()[-1] == (
        f"fplang run: stopped by {stop.name}: nothing of this run was kept, and the output folder holds what it held before"
    )
    assert _snapshot(out) == before  # the earlier outputs, byte for byte; no .partial
    assert not any(kernel.is_running() and kernel.status() != psutil.STATUS_ZOMBIE for kernel in kernels)


def _wait_for_kernels(pid: int, seconds: float = 180) -> list[psutil.Process]:
    """The run's kernels, once at least one is running (the chapters have started)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        kernels = [p for p in psutil.Process(pid).children(recursive=True) if "ipykernel" in " ".join(p.cmdline())]
        if kernels:
            return kernels
        time.sleep(0.5)
    raise AssertionError("no kernel started")
