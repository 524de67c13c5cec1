"""The `scrgraph` command runner: one subcommand per module in `scrgraph.commands`."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from scrgraph import __version__
from scrgraph.errors import InputError, ScrgraphError

# Each module defines `register(subparsers)`; the parser's `func(args) -> int` runs it.
COMMAND_MODULES: tuple[str, ...] = (
    "scrgraph.commands.bench",
    "scrgraph.commands.brief",
    "scrgraph.commands.demo",
    "scrgraph.commands.export",
    "scrgraph.commands.generate",
    "scrgraph.commands.load",
    "scrgraph.commands.query",
    "scrgraph.commands.extract",
    "scrgraph.commands.keys",
    "scrgraph.commands.schema",
    "scrgraph.commands.serve",
    "scrgraph.commands.stats",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scrgraph",
        description="A knowledge graph of what child-safeguarding case reviews have taught, "
        "and of whether anyone acted on it.",
    )
    parser.add_argument("--version", action="version", version=f"scrgraph {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        code = int(args.func(args))
        sys.stdout.flush()  # a closed pipe shows here, inside the handler, not at exit
        return code
    except BrokenPipeError:
        return _quiet_broken_pipe()
    except InputError as e:
        print(f"error: {e}", file=sys.stderr)
        for p in e.problems:
            print(f"  {p}", file=sys.stderr)
        return e.exit_code
    except ScrgraphError as e:
        print(f"error: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


# The exit status of a process that SIGPIPE ended (128 + 13), as `yes | head` gives for `yes`.
BROKEN_PIPE_EXIT = 141


def _quiet_broken_pipe() -> int:
    """The reader of our output went away (`scrgraph query ... | head`): stop, saying nothing.

    Standard output is pointed at /dev/null so that the interpreter's final flush does not
    raise again on the way out.
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):  # stdout has no file descriptor (captured): nothing to flush
        pass
    return BROKEN_PIPE_EXIT


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
