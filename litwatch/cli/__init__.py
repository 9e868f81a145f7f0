"""The `litwatch` command: thin argparse front-end over the library functions.

Each command module registers its subcommands; every handler takes (app, args)
and returns an exit status: 0 success, 1 failure or nothing matched, 2 bad
configuration or usage.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from litwatch import __version__
from litwatch.cli import claims_cmd, classify_cmd, digest_cmd, schedule_cmd, search_cmd, sync_cmd
from litwatch.cli.app import App, UsageError
from litwatch.config.loader import ConfigError

COMMAND_MODULES = [sync_cmd, classify_cmd, digest_cmd, search_cmd, schedule_cmd, claims_cmd]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="litwatch",
        description="Watch the primary literature on ketamine, esketamine and arketamine: "
                    "PubMed, ClinicalTrials.gov and feeds, classified and digested.")
    parser.add_argument("--version", action="version", version=f"litwatch {__version__}")
    parser.add_argument("--config", metavar="PATH",
                        help="config file (default: $LITWATCH_CONFIG, ./config.toml, "
                             "else the bundled example)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log HTTP retries etc.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMAND_MODULES:
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    app = App(args.config)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        app.install_log_redaction()
        return int(args.func(app, args) or 0)
    except ConfigError as exc:
        print(f"litwatch: configuration error: {exc}", file=sys.stderr)
        return 2
    except UsageError as exc:
        print(f"litwatch: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("litwatch: interrupted", file=sys.stderr)
        return 130
    finally:
        app.close()
