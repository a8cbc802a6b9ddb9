"""The ``fplang`` command: validate inputs, re-run the book, regenerate the UN subset."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``fplang`` console command; returns the exit code."""
    parser = _parser()
    args, rest = parser.parse_known_args(argv)
    if args.command == "ungdc":
        from fplang.sources.ungdc import cli_main

        return cli_main(rest)
    if rest:
        parser.error(f"unrecognised arguments: {' '.join(rest)}")
    return int(args.handler(args))


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
        "then build the HTML book from the executed copies. OUT receives notebooks/, data/ and html/.",
    )
    run.add_argument("--params", required=True, help="parameters file (YAML)")
    run.add_argument("--out", required=True, help="output folder")
    run.add_argument("--no-html", action="store_true", help="execute the notebooks, skip the book")
    run.add_argument("--jobs", type=int, default=None, help="notebooks run at once (default: cores)")
    run.set_defaults(handler=_run)

    commands.add_parser(
        "ungdc",
        add_help=False,
        help="regenerate (or --check) the committed UN General Debate subset; see 'fplang ungdc --help'",
    )
    return parser


def _validate(args: argparse.Namespace) -> int:
    from fplang.book.run import INPUT_KEYS, RunError, declared_parameters, read_params, validate_inputs

    if (args.manifest is None) == (args.params is None):
        print("fplang validate: give a manifest or --params (not both)", file=sys.stderr)
        return 2
    if args.params is not None:
        if args.lexicon or args.periods:
            print("fplang validate: with --params, name the lexicon and periods in the parameters file", file=sys.stderr)
            return 2
        try:
            params = read_params(args.params)
        except RunError as error:
            print(f"fplang validate: {error}", file=sys.stderr)
            return 1
        problems = validate_inputs(params, declared_parameters())
    else:
        params = {"corpus": args.manifest, "lexicon": args.lexicon, "periods": args.periods}
        problems = validate_inputs(params)
    if problems:
        print(f"{len(problems)} problem(s):", file=sys.stderr)
        for problem in problems:
            print(f"  - {problem}", file=sys.stderr)
        return 1
    checked = [f"{name} ({params[name]})" for name in INPUT_KEYS if params.get(name)]
    others = sorted(set(params) - set(INPUT_KEYS))
    print("OK, usable: " + ", ".join(checked) + (f"; parameters {', '.join(others)}" if others else ""))
    return 0


def _run(args: argparse.Namespace) -> int:
    from fplang.book.run import RunError, run_book

    try:
        summary = run_book(args.params, args.out, build_html=not args.no_html, jobs=args.jobs)
    except RunError as error:
        print(f"fplang run: {error}", file=sys.stderr)
        return 1
    print(summary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
