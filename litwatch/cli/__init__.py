"""The `litwatch` command: thin argparse front-end over the library functions.

Each command module registers its subcommands; every handler takes (app, args)
and returns an exit status: 0 success, 1 failure or nothing matched, 2 bad
configuration, usage or database.  A failure ends as one line on stderr (`-v`
adds the traceback).

Start-up is kept small: only the module of the command being run is imported
(claims alone costs a quarter of a second); `litwatch --help` lists the commands
from COMMANDS without importing any of them.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence
from types import ModuleType

from litwatch import __version__
from litwatch.cli.app import App, report_failure

# Command -> (module in litwatch.cli that registers it, its line in `litwatch --help`),
# in --help order; a module's commands stand together.  tests/test_cli_startup.py
# checks each line against the module's own registration.
COMMANDS: dict[str, tuple[str, str]] = {
    "init": ("sync_cmd", "create the database (and config.toml if missing)"),
    "sync": ("sync_cmd", "pull new and changed records from the sources"),
    "stats": ("sync_cmd", "what the store holds and how the last runs went"),
    "reclassify": ("classify_cmd", "re-label every stored record offline"),
    "labels": ("classify_cmd", "list the label keys (indications, routes, designs...)"),
    "digest": ("digest_cmd", "render the weekly digest (and send it with --send)"),
    "search": ("search_cmd", "full-text search of the local store"),
    "show": ("search_cmd", "one record: labels with evidence, links, flags, changes"),
    "export": ("search_cmd", "export matching records as CSV, JSON or RIS"),
    "schedule": ("schedule_cmd", "run sync and digest on the config.toml crontabs"),
    "run": ("schedule_cmd", "one sync, then the weekly digest if due (for cron)"),
    "claims": ("claims_cmd", "check the seed articles' claims against the stored records"),
    "map": ("map_cmd", "draw the evidence gap map (indications x routes) of the store"),
}


def command_module(name: str) -> ModuleType:
    return importlib.import_module(f"litwatch.cli.{name}")


def build_parser(command: str | None = None, lazy: bool = False) -> argparse.ArgumentParser:
    """The whole parser; with `lazy`, every command but `command` is a stub (its
    help line only), so that only that command's module is imported."""
    parser = argparse.ArgumentParser(
        prog="litwatch",
        description="Watch the primary literature on ketamine, esketamine and arketamine: "
                    "PubMed, ClinicalTrials.gov and feeds, classified and digested.")
    parser.add_argument("--version", action="version", version=f"litwatch {__version__}")
    parser.add_argument("--config", metavar="PATH",
                        help="config file (default: $LITWATCH_CONFIG, else ./config.toml, "
                             "else none: built-in defaults, paths relative to the "
                             "working directory)")
    parser.add_argument("-v", "--verbose", action="store_true",
                        help="log HTTP retries etc., and show the traceback of a failure")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    wanted = COMMANDS[command][0] if command in COMMANDS else None
    registered: set[str] = set()
    for name, (module, help_line) in COMMANDS.items():
        if not lazy or module == wanted:
            if module not in registered:
                command_module(module).register(sub)
                registered.add(module)
        else:
            _stub(sub, name, help_line)
    return parser


def _stub(sub: argparse._SubParsersAction, name: str, help_line: str) -> None:
    # Takes any arguments (parse_known_args leaves the options): if it is ever chosen,
    # parse_args() parses again with every command.
    stub = sub.add_parser(name, help=help_line, add_help=False)
    stub.add_argument("rest", nargs=argparse.REMAINDER)
    stub.set_defaults(func=None)


def command_in(argv: Sequence[str]) -> str | None:
    """The command named in argv, found without parsing (it picks what to import)."""
    tokens = iter(argv)
    for token in tokens:
        if token == "--config":
            next(tokens, None)
        elif not token.startswith("-"):
            return token if token in COMMANDS else None
    return None


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = build_parser(command_in(argv), lazy=True)
    args, extra = parser.parse_known_args(argv)
    if getattr(args, "func", None) is None:      # a stub was chosen: the guess was wrong
        return build_parser().parse_args(argv)
    return parser.parse_args(argv) if extra else args   # argparse says what is extra


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse_args(argv)
    app = App(args.config)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        app.install_log_redaction()
        return int(args.func(app, args) or 0)
    except KeyboardInterrupt:
        print("litwatch: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        return report_failure(exc, app, args.verbose)
    finally:
        app.close()
