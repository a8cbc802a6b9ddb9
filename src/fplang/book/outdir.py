"""The output folder of ``fplang run``: the run's own, one run at a time, intact when a run is stopped.

``fplang run --out OUT`` deletes and replaces what it wrote before, so it must
never take a folder that holds anything else.  The rules, all checked before
any chapter runs:

1. OUT is a usable path (not empty, no NUL, not too long), and not a file or
   below one.
2. OUT neither contains, nor equals, nor lies inside an input of the run: the
   parameters file, the manifest's folder (which holds its texts), the
   lexicon, the periods and formulas tables, the world reference, the UN
   manifest's folder, and the book's own tree.
3. OUT is new, empty, or marked as made by an earlier ``fplang run``
   (:data:`MARKER`, which lists every file that run wrote) and holds nothing
   that run did not write.
4. A lock (:data:`LOCK`, an advisory ``flock``) makes a second run into the
   same OUT fail at once.

A run writes under ``OUT/.partial`` and only at the end swaps ``notebooks/``,
``data/`` and ``html/`` into place (:meth:`OutputFolder.publish`), removing an
older ``html/`` when it built none, so OUT always holds the outputs of one
complete run.  SIGTERM and SIGINT (:func:`stopped_cleanly`) stop the
chapters' kernels, remove ``.partial`` and leave the previous outputs as they
were; a signal that arrives during the swap waits for it to finish.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import signal
import sys
import threading
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from fplang.errors import FplangError
from fplang.files import usable_path, write_text

MARKER = ".fplang-run.json"
"""The file that marks a folder as made by ``fplang run``; it lists the files the run wrote."""

LOCK = ".fplang-run.lock"
"""The lock file; it holds the process id of the run that has the lock."""

PARTIAL = ".partial"
"""Where a run writes until it has finished; never left behind."""

OUTPUTS: tuple[str, ...] = ("notebooks", "data", "html")
"""The folders a run writes in OUT."""

MADE_BY = "fplang run"


class OutputFolderError(FplangError, ValueError):
    """The output folder cannot be used: it holds other files, inputs, or another run has it."""


class RunInterrupted(FplangError):
    """The run was stopped by a signal; nothing of it was kept (``exit_status`` is 128 + the signal)."""

    def __init__(self, signum: int) -> None:
        name = signal.Signals(signum).name
        super().__init__(
            f"stopped by {name}: nothing of this run was kept, and the output folder holds what it held before"
        )
        self.exit_status = 128 + signum


# --- checking the folder ------------------------------------------------------


def check_output_folder(out: str | Path, inputs: Iterable[tuple[str, Path]]) -> Path:
    """The absolute output folder, or :class:`OutputFolderError` saying why the run may not use it.

    ``inputs`` are ``(what, path)`` pairs: every file and folder the run
    reads (:func:`fplang.book.run.run_inputs`).  Only paths are checked here;
    what the folder holds is checked under the lock (:func:`claim`).
    """
    text = str(out)
    if not text.strip():
        raise OutputFolderError("--out is empty; name a new or empty folder for the run's outputs")
    shown = text if len(text) <= 200 else text[:199] + "…"
    target, why = usable_path(text)
    if target is None:
        raise OutputFolderError(f"--out {shown} {why}")
    for what, path in inputs:
        if target == path or path.is_relative_to(target):
            relation = f"is {what}" if target == path else f"holds {what} ({path})"
            raise OutputFolderError(
                f"--out {target} {relation}, an input of this run; "
                "fplang run replaces what is in its folder, so choose a new or empty folder elsewhere"
            )
        if path.is_dir() and target.is_relative_to(path):
            raise OutputFolderError(
                f"--out {target} lies inside {what} ({path}), which holds this run's inputs; "
                "choose a folder outside it"
            )
    existing = next(parent for parent in (target, *target.parents) if parent.exists())
    if not existing.is_dir():
        where = "is a file" if existing == target else f"is below {existing}, which is a file"
        raise OutputFolderError(f"--out {target} {where}; name a folder")
    return target


def foreign_entries(folder: Path) -> list[str]:
    """What ``folder`` holds that no earlier ``fplang run`` wrote there (relative paths, sorted).

    Empty for a new or empty folder, or a marked one that holds only what its
    marker lists (and the lock and a ``.partial`` of a run that was killed).
    """
    if not folder.exists():
        return []
    recorded = _recorded_files(folder)
    ours = {LOCK} | ({MARKER, PARTIAL} if recorded is not None else set())
    foreign = []
    for root, folders, files in os.walk(folder):
        here = Path(root).relative_to(folder)
        for name in sorted(folders):
            relative = (here / name).as_posix()
            if Path(root, name).is_symlink():
                foreign.append(relative)  # never followed, never the run's own
                folders.remove(name)
            elif relative in ours:
                folders.remove(name)  # .partial: what a killed run left; removed before the run
        for name in files:
            relative = (here / name).as_posix()
            ours_here = relative in ours or (recorded is not None and relative in recorded)
            if Path(root, name).is_symlink() or not ours_here:
                foreign.append(relative)
    return sorted(foreign)


def _recorded_files(folder: Path) -> set[str] | None:
    """The files a marked folder's marker lists, or ``None`` when the folder has no valid marker."""
    try:
        marker = json.loads((folder / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(marker, dict) or marker.get("made_by") != MADE_BY or not isinstance(marker.get("files"), list):
        return None
    return {str(name) for name in marker["files"]}


# --- claiming and publishing ----------------------------------------------------


@dataclass
class OutputFolder:
    """An output folder this process has locked; outputs are written in :attr:`partial`."""

    path: Path
    created: bool

    @property
    def partial(self) -> Path:
        """Where the run writes until :meth:`publish`."""
        return self.path / PARTIAL

    def publish(self, built: Sequence[str]) -> None:
        """Swap the built outputs (names in :data:`OUTPUTS`) into place; remove the older ones not rebuilt.

        Each old folder is moved aside into ``.partial`` and the new one moved
        in (``os.replace``, atomic on one file system); signals wait until the
        marker lists the new files, so OUT never holds half of two runs.
        """
        with _signals.deferred():
            for name in OUTPUTS:
                final, new = self.path / name, self.partial / name
                if final.exists() or final.is_symlink():
                    os.replace(final, self.partial / f"replaced-{name}")
                if name in built and new.exists():
                    os.replace(new, final)
            _write_marker(self.path)
            _signals.published = True


def _write_marker(folder: Path) -> None:
    files = sorted(
        path.relative_to(folder).as_posix()
        for name in OUTPUTS
        if (folder / name).is_dir()
        for path in (folder / name).rglob("*")
        if path.is_file() and not path.is_symlink()
    )
    marker = {"made_by": MADE_BY, "about": "fplang run replaces the files listed here", "files": files}
    write_text(folder / MARKER, json.dumps(marker, indent=1) + "\n")


@contextlib.contextmanager
def claim(folder: Path) -> Iterator[OutputFolder]:
    """Create (if need be) and lock ``folder``, check what it holds, and give it to the run.

    Raises :class:`OutputFolderError` when the folder cannot be created, when
    another run holds its lock, or when it holds anything an earlier run did
    not write.  On leaving, ``.partial`` is removed, the lock released, and a
    folder this call created is removed again if the run published nothing.
    """
    _refuse_foreign(folder)  # before writing anything in it
    created = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise OutputFolderError(f"--out {folder} cannot be created ({error.strerror or error})") from error
    lock = _lock(folder)
    published = False
    try:
        _refuse_foreign(folder)  # again, under the lock: another process may have written meanwhile
        if not (folder / MARKER).exists():
            _write_marker(folder)  # the folder is the run's own from now on
        shutil.rmtree(folder / PARTIAL, ignore_errors=True)  # left by a run that was killed
        (folder / PARTIAL).mkdir()
        output = OutputFolder(folder, created)
        yield output
        published = any((folder / name).exists() for name in OUTPUTS)
    finally:
        with _signals.deferred():
            shutil.rmtree(folder / PARTIAL, ignore_errors=True)
            if created and not published:
                shutil.rmtree(folder, ignore_errors=True)
            os.close(lock)


def _refuse_foreign(folder: Path) -> None:
    foreign = foreign_entries(folder)
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3:,} more" if len(foreign) > 3 else "")
        raise OutputFolderError(
            f"--out {folder} holds files that fplang run did not write ({shown}); fplang run replaces "
            "what is in its folder, so name a new or empty folder, or one an earlier run made"
        )


def _lock(folder: Path) -> int:
    """Take the folder's lock without waiting; the open descriptor holds it until closed."""
    path = folder / LOCK
    try:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as error:
        raise OutputFolderError(f"--out {folder}: cannot write its lock file ({error.strerror or error})") from error
    if not _try_lock(descriptor):
        holder = os.pread(descriptor, 32, 0).decode("ascii", "replace").strip() or "unknown"
        os.close(descriptor)
        raise OutputFolderError(
            f"--out {folder} is being written by another fplang run (process {holder}); "
            "wait for it to finish or choose another folder"
        )
    os.ftruncate(descriptor, 0)
    os.pwrite(descriptor, f"{os.getpid()}\n".encode("ascii"), 0)
    return descriptor


if sys.platform == "win32":  # pragma: no cover - the project runs on Linux; kept so the package imports

    def _try_lock(descriptor: int) -> bool:
        import msvcrt

        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

else:
    import fcntl

    def _try_lock(descriptor: int) -> bool:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True


# --- signals ---------------------------------------------------------------------


class _Signals:
    """SIGTERM and SIGINT as :class:`RunInterrupted`, raised in the main thread, deferred in swaps."""

    HANDLED = (signal.SIGTERM, signal.SIGINT)

    def __init__(self) -> None:
        self.depth = 0  # how many deferred() sections are open
        self.pending: int | None = None
        self.published = False  # once the outputs are in place, the run only tidies up: it finishes

    def handle(self, signum: int, frame: FrameType | None) -> None:
        if self.published:
            return
        if self.depth:
            self.pending = signum
            return
        for handled in self.HANDLED:  # one stop is enough: the clean-up must not be interrupted
            signal.signal(handled, signal.SIG_IGN)
        for name in ("traitlets", "papermill", "nbclient"):  # "Kernel died…": the kernels are stopped on purpose
            logging.getLogger(name).setLevel(logging.CRITICAL)
        stop_child_processes()
        raise RunInterrupted(signum)

    @contextlib.contextmanager
    def deferred(self) -> Iterator[None]:
        """A section a signal does not interrupt; it is acted on when the section ends."""
        self.depth += 1
        try:
            yield
        finally:
            self.depth -= 1
        if not self.depth and self.pending is not None:
            signum, self.pending = self.pending, None
            self.handle(signum, None)


_signals = _Signals()


@contextlib.contextmanager
def stopped_cleanly() -> Iterator[None]:
    """Turn SIGTERM and SIGINT into :class:`RunInterrupted` while a run is in this block.

    The first signal stops every child process (the chapters' kernels, the
    book's build) so the run's threads return at once, and raises in the main
    thread, where the ``finally`` clauses remove ``.partial``; further signals
    are ignored until the block ends.  Once the outputs are in place
    (:meth:`OutputFolder.publish`) the run is complete and a signal is
    ignored.  Outside the main thread (where Python cannot install handlers)
    the block does nothing.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {handled: signal.getsignal(handled) for handled in _Signals.HANDLED}
    _signals.published, _signals.pending = False, None
    for handled in _Signals.HANDLED:
        signal.signal(handled, _signals.handle)
    try:
        yield
    finally:
        for handled, handler in previous.items():
            signal.signal(handled, handler)


def stop_child_processes(grace: float = 3.0) -> None:
    """Terminate this process's children (and theirs), killing those still alive after ``grace`` seconds."""
    import psutil

    children = psutil.Process().children(recursive=True)
    for child in children:
        with contextlib.suppress(psutil.Error):
            child.terminate()
    _, alive = psutil.wait_procs(children, timeout=grace)
    for child in alive:
        with contextlib.suppress(psutil.Error):
            child.kill()
