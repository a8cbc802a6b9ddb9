"""The ``fplang`` command: validate inputs, re-run the book, regenerate the UN subset and the world tables."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from fplang.errors import FplangError, format_problems, shown_path
from fplang.paths import DATA_DIR
from fplang.sources.ungdc import FIRST_YEAR, LAST_YEAR, REGENERATE_COMMAND, SOURCE_PARQUET, SPEAKERS_CSV


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``fplang`` console command; returns the exit code.

    Every error of fplang's own family (:class:`fplang.errors.FplangError`) is
    caught here, once, and printed with every problem it lists: exit status 1
    (128 + the signal for a run stopped by SIGTERM or SIGINT).  An interrupt
    or an error of the operating system is printed in one line too: no
    traceback reaches the user.
    """
    args = _parser().parse_args(argv)
    try:
        return int(args.handler(args))
    except FplangError as error:
        print(f"fplang {args.command}: {error}", file=sys.stderr)
        return int(getattr(error, "exit_status", 1))
    except KeyboardInterrupt:  # outside a run (a run turns the signal into RunInterrupted)
        print(f"fplang {args.command}: interrupted", file=sys.stderr)
        return 130
    except OSError as error:  # the machine refused: a disk full, a file removed under the run
        where = f" ({shown_path(error.filename)})" if error.filename else ""
        print(f"fplang {args.command}: {error.strerror or error}{where}", file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fplang",
        description="The language of Viet Nam's foreign policy: validate a corpus, re-run the book.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    validate = commands.add_parser(
        "validate",
        help="check a manifest (and optionally a lexicon and periods table), or a run's parameters file",
        description="Check a corpus manifest and its texts, and optionally a lexicon and a periods "
        "table; or, with --params, everything 'fplang run --params' would use (inputs, parameter "
        "names and types, document ids). Every problem is reported at once, naming the file, row "
        "or key, and what is wrong. Exit status 0 when everything is usable, 1 otherwise.",
    )
    validate.add_argument("manifest", nargs="?", help="the corpus manifest (CSV)")
    validate.add_argument("--params", help="a parameters file (YAML) for 'fplang run': check all it names")
    validate.add_argument("--lexicon", help="a lexicon (YAML) to check as well")
    validate.add_argument("--periods", help="a periods table (CSV) to check as well")
    validate.set_defaults(handler=_validate)

    run = commands.add_parser(
        "run",
        help="execute every chapter with papermill on your inputs and build the book",
        description="Execute every chapter notebook with papermill, using the inputs and parameters "
        "of a YAML file (keys: corpus, lexicon, periods; any other key is passed to the notebooks), "
        "then build the HTML book from the executed copies. OUT receives notebooks/, data/ and html/; "
        "it must be new, empty or made by an earlier fplang run, and hold none of the run's inputs.",
    )
    run.add_argument("--params", required=True, help="parameters file (YAML)")
    run.add_argument("--out", required=True, help="output folder")
    run.add_argument("--no-html", action="store_true", help="execute the notebooks, skip the book")
    run.add_argument(
        "--scheduler",
        default=None,
        help="where the corpus build's per-document stages run: 'processes' (default: every local core), "
        "'synchronous' (this process), or a running Dask scheduler's address, tcp://HOST:8786 "
        "(default: the environment variable FPLANG_SCHEDULER if set)",
    )
    run.add_argument("--jobs", type=_positive_int, default=None, help="notebooks run at once (default: cores)")
    run.set_defaults(handler=_run)

    ungdc = commands.add_parser(
        "ungdc",
        help="regenerate (or --check) the committed UN General Debate subset and the world reference",
        description="Write the committed UN General Debate subset (Viet Nam, ASEAN, China, Cuba, "
        f"{FIRST_YEAR}-{LAST_YEAR}: texts/, manifest.csv, README.md) from the full corpus, and the "
        "world reference table (each lexicon concept's yearly rate across all speeches). "
        "With --check, write nothing and fail unless the committed files are byte-identical to "
        "what the source gives.",
        epilog=f"Example, from the repository root: {REGENERATE_COMMAND} [--check]",
    )
    ungdc.add_argument("--source", required=True, help=f"folder holding {SOURCE_PARQUET} and {SPEAKERS_CSV}")
    ungdc.add_argument("--out", required=True, help="the subset's folder (data/raw/ungdc)")
    ungdc.add_argument(
        "--check", action="store_true", help="verify the committed files byte for byte; write nothing"
    )
    ungdc.add_argument(
        "--lexicon",
        default=str(DATA_DIR / "lexicon.yml"),
        help="lexicon for the world reference (default: the project's data/lexicon.yml)",
    )
    ungdc.add_argument(
        "--world-reference",
        default=str(DATA_DIR / "world_reference.csv"),
        help="where the world reference CSV goes; its sidecar .json beside it "
        "(default: the project's data/world_reference.csv)",
    )
    ungdc.add_argument(
        "--no-world-reference",
        action="store_true",
        help="skip the world reference (cleaning and counting the full corpus takes minutes)",
    )
    ungdc.set_defaults(handler=_ungdc)

    full = commands.add_parser(
        "ungdc-full",
        help="write the whole UN General Debate Corpus as a corpus (a text file a speech and a manifest)",
        description="Write every speech of the UN General Debate Corpus (10,952, about 200 MB) as a text file, "
        "with a corpus manifest, into OUT: the corpus of 'make scale' and 'make bench'. Not committed.",
        epilog="Example, from the repository root: "
        "fplang ungdc-full --source ../shared/data/ungdc --out _build/ungdc_full",
    )
    full.add_argument("--source", required=True, help=f"folder holding {SOURCE_PARQUET} and {SPEAKERS_CSV}")
    full.add_argument("--out", required=True, help="folder to write texts/ and manifest.csv into")
    full.set_defaults(handler=_ungdc_full)

    world = commands.add_parser(
        "world",
        help="compute (or --check) the world chapter's tables from the full UN General Debate",
        description="Compute the tables of the chapter 'Viet Nam among nations' from every speech of the UN "
        "General Debate Corpus (in parallel) and write them, small, with a sidecar recording the sha256 of "
        "every input and table. With --check, write nothing and fail unless the files are identical.",
        epilog="From the repository root: fplang world --source ../shared/data/ungdc --out data/world/tables [--check]",
    )
    world.add_argument("--source", required=True, help=f"folder holding {SOURCE_PARQUET} and {SPEAKERS_CSV}")
    world.add_argument("--out", required=True, help="folder for the tables (data/world/tables)")
    world.add_argument("--check", action="store_true", help="compare with the files in --out; write nothing")
    world.add_argument("--workers", type=int, default=None, help="processes (default: one per core)")
    world.set_defaults(handler=_world)
    return parser


def _positive_int(text: str) -> int:
    """An argument that must be a whole number of at least 1 (``--jobs``)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is not at least 1")
    return value


def _validate(args: argparse.Namespace) -> int:
    from fplang.book.inputs import INPUT_KEYS, validate_inputs
    from fplang.book.run import declared_parameters, read_params

    if (args.manifest is None) == (args.params is None):
        print("fplang validate: give a manifest or --params (not both)", file=sys.stderr)
        return 2
    if args.params is not None:
        if args.lexicon or args.periods:
            message = "with --params, name the lexicon and periods in the parameters file"
            print(f"fplang validate: {message}", file=sys.stderr)
            return 2
        params: dict[str, object] = read_params(args.params)
        problems = validate_inputs(params, declared_parameters())
    else:
        params = {"corpus": args.manifest, "lexicon": args.lexicon, "periods": args.periods}
        problems = validate_inputs(params)
    if problems:
        print(format_problems(problems), file=sys.stderr)
        return 1
    checked = [f"{name} ({params[name]})" for name in INPUT_KEYS if params.get(name)]
    others = sorted(set(params) - set(INPUT_KEYS))
    print("OK, usable: " + ", ".join(checked) + (f"; parameters {', '.join(others)}" if others else ""))
    return 0


def _run(args: argparse.Namespace) -> int:
    from fplang.book.run import run_book

    summary = run_book(args.params, args.out, build_html=not args.no_html, jobs=args.jobs, scheduler=args.scheduler)
    print(summary)
    return 0


def _world(args: argparse.Namespace) -> int:
    """``fplang world``: the world chapter's tables, written or checked."""
    from fplang.analysis.world_tables import run_world

    return run_world(Path(args.source), Path(args.out), check=args.check, workers=args.workers)


def _ungdc(args: argparse.Namespace) -> int:
    """``fplang ungdc``: regenerate or ``--check`` the UN subset and the world reference.

    Returns the exit status: 0 when written or verified, 1 when a check fails
    or the source is unusable.
    """
    from fplang.sources import regenerate

    source, out = Path(args.source), Path(args.out)
    try:
        started = time.perf_counter()
        report = regenerate(source, out, check=args.check)
        print(report.summary())
        print(f"subset: {time.perf_counter() - started:.1f} s")
        if not args.no_world_reference:
            started = time.perf_counter()
            problems = _world_reference_step(
                source, Path(args.lexicon), Path(args.world_reference), report.source_sha256, args.check
            )
            print(f"world reference: {time.perf_counter() - started:.1f} s")
            if problems:
                print("\n".join(f"  - {problem}" for problem in problems), file=sys.stderr)
                return 1
    except OSError as error:  # a file the source or the subset needs cannot be read or written
        print(f"fplang ungdc: {error}", file=sys.stderr)
        return 1
    return 0


def _ungdc_full(args: argparse.Namespace) -> int:
    """``fplang ungdc-full``: the whole corpus as texts and a manifest."""
    from fplang.sources.full import write_full_corpus

    started = time.perf_counter()
    count = write_full_corpus(Path(args.source), Path(args.out))
    print(f"wrote {count:,} speeches and manifest.csv to {args.out} in {time.perf_counter() - started:.1f} s")
    return 0


def _world_reference_step(
    source: Path, lexicon: Path, csv_path: Path, source_sha256: str, check: bool
) -> list[str]:
    """Compute the world reference and write it, or compare it with the files on disk."""
    from fplang.analysis.world import world_reference, world_reference_files
    from fplang.files import write_bytes

    frame = world_reference(source, lexicon)
    files = world_reference_files(frame, source_sha256, lexicon)
    targets = {"csv": csv_path, "json": csv_path.with_suffix(".json")}
    if check:
        problems = []
        for kind, path in targets.items():
            if not path.is_file():
                problems.append(f"{path}: missing")
            elif path.read_bytes() != files[kind]:
                problems.append(f"{path}: differs from what the source and lexicon give")
        if not problems:
            print(f"OK: {csv_path} and its .json identical to what the source and lexicon give")
        return problems
    for kind, path in targets.items():
        write_bytes(path, files[kind])
    print(f"wrote {csv_path} ({len(frame)} rows) and {targets['json'].name}")
    return []


if __name__ == "__main__":
    raise SystemExit(main())
