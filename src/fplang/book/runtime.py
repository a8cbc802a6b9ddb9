"""What ``fplang run`` does around the chapters: one corpus build first, quiet kernels, the closing figures.

- :func:`build_inputs` makes the corpus build (:mod:`fplang.build`) of the run's corpus, and of
  its UN corpus when it has one, in the run's ``data/`` folder before any chapter starts, so
  the chapters (run in parallel) all read it instead of each cleaning the corpus again.
- :func:`quiet_kernel_manager` starts each chapter's kernel with its own output going to a log
  file: the kernels' start-up warning ("Kernel is running over TCP without encryption") and
  their notice of an interrupt ("KeyboardInterrupt caught in kernel") never reach the terminal.
- :class:`RunSummary` is what a finished run produced; :func:`stage_lines` its account of each
  stage: its time and the peak memory of all the run's processes while it ran.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jupyter_client.manager import AsyncKernelManager

from fplang.build import STAGES, build_corpus

KERNEL_NOISE = ("Kernel is running over TCP without encryption", "KeyboardInterrupt caught in kernel")
"""Lines the kernels write that say nothing about the run; left out of the log's tail in an error."""


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
    builds: dict[str, dict] = field(default_factory=dict)
    peak_mb: float = 0.0

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
        lines += stage_lines(self.builds)
        if self.timings:
            slowest = sorted(self.timings.items(), key=lambda item: -item[1])
            lines.append("seconds:   " + ", ".join(f"{Path(name).stem} {seconds:.0f}" for name, seconds in slowest))
        if self.peak_mb:
            lines.append(f"memory:    {self.peak_mb:,.0f} MB at the peak (this process, its workers and kernels)")
        return "\n".join(lines)


def build_inputs(params: Mapping[str, object], data_dir: Path, scheduler: object, progress: bool) -> dict[str, dict]:
    """Build the run's corpus (and UN corpus) under ``data_dir``; each build's stage seconds and peak MB."""
    figures: dict[str, dict] = {}
    for key in ("corpus", "un_corpus"):
        manifest = params.get(key)
        if not manifest:
            continue
        built = build_corpus(
            str(manifest), str(params["lexicon"]), str(params["periods"]), data_dir,
            scheduler=scheduler, progress=progress,
        )
        figures[key] = {"seconds": built.seconds, "peak_mb": built.peak_mb, "where": built.where}
    return figures


def quiet_kernel_manager(log: Path) -> type[AsyncKernelManager]:
    """A kernel manager class whose kernels write their own output to ``log`` instead of the terminal."""

    class QuietKernelManager(AsyncKernelManager):
        async def _async_launch_kernel(self, kernel_cmd: list[str], **kw: Any) -> None:
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("ab") as handle:  # the kernel holds its own copy of the descriptor
                kw["stdout"], kw["stderr"], kw["stdin"] = handle, handle, subprocess.DEVNULL
                await super()._async_launch_kernel(kernel_cmd, **kw)

    return QuietKernelManager


def log_tail(log: Path, lines: int = 8) -> str:
    """The last lines a kernel wrote, without its routine notices ('' when it wrote nothing else)."""
    if not log.is_file():
        return ""
    kept = [line for line in log.read_text(encoding="utf-8", errors="replace").splitlines()
            if line.strip() and not any(noise in line for noise in KERNEL_NOISE)]  # fmt: skip
    return "\n".join(kept[-lines:])


def stage_lines(figures: Mapping[str, Mapping[str, Any]]) -> list[str]:
    """One summary line per corpus build: where it ran, then each stage's seconds and peak MB."""
    lines = []
    for key, built in figures.items():
        seconds, peak = built["seconds"], built["peak_mb"]
        stages = [stage for stage in STAGES if stage in seconds]
        parts = ", ".join(f"{stage} {seconds[stage]:.1f} s" + (f" ({peak[stage]:,.0f} MB)" if stage in peak else "")
                          for stage in stages)  # fmt: skip
        lines.append(f"{key + ' build:':<10} {parts} [{built['where']}]")
    return lines
