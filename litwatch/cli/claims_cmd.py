"""`litwatch claims`: claims held against the stored records, with verdicts by rule.

    litwatch claims [ID]                 every claim of claims.toml (or one)
    litwatch claims check "TEXT"         one claim typed in: what it implies, verdict
    litwatch claims extract ARTICLE      a popular article's checkable claims, as TOML

Registration is argparse only; the claims package is loaded by the handler when
the command runs (and by --help, for the rule table).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from litwatch.cli.app import App, UsageError, check_out_path

# The same as litwatch.claims.render.FORMATS (a test holds them equal); spelled
# out so that building the parser does not import the renderer.
FORMATS = ("text", "json", "html")
ACTIONS = ("check", "extract")


class _HelpWithRules(argparse.Action):
    """--help with the verdict rule table, imported only when help is asked for."""

    def __init__(self, option_strings: list[str], dest: str, **kwargs: object) -> None:
        super().__init__(option_strings, dest, nargs=0, help="show this help and the rules")

    def __call__(self, parser: argparse.ArgumentParser, *args: object) -> None:
        from litwatch.claims.rules import rules_text
        try:
            parser.print_help()
            print("\nHow verdicts are reached:\n" + rules_text())
            sys.stdout.flush()
        except BrokenPipeError:          # `litwatch claims --help | head`
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - interpreter shutdown writes
        parser.exit()


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "claims", add_help=False,
        help="check the seed articles' claims against the stored records",
        usage="litwatch claims [ID] | check TEXT | extract ARTICLE [options]",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Each claim of claims.toml (or one claim typed in with `check`): what "
                    "it implies, the stored records and sentences that bear on it, and a "
                    "verdict with the rule that decided it. `extract` finds the checkable "
                    "sentences of an article (.txt or .html) and writes a claims TOML to "
                    "review. A reviewer's verdict in claims.toml takes precedence.")
    p.add_argument("-h", "--help", action=_HelpWithRules)
    p.add_argument("words", nargs="*", metavar="ID | check TEXT | extract ARTICLE",
                   help="a claim id, or an action and its argument")
    p.add_argument("--format", choices=FORMATS, default="text", help="output format")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    p.add_argument("--claims", metavar="PATH",
                   help="claims file (default: claims.toml beside the config, else bundled)")
    p.add_argument("--limit", type=int, default=None, metavar="N",
                   help="records shown per claim in text/html (default 10/15; 0: all)")
    p.set_defaults(func=cmd_claims)


def cmd_claims(app: App, args: argparse.Namespace) -> int:
    out = check_out_path(args.out)          # before any work: nothing to lose on a typo
    if args.limit is not None and args.limit < 0:
        raise UsageError("--limit: must be 0 or more")
    action = args.words[0] if args.words and args.words[0] in ACTIONS else None
    if action == "extract":
        output = _extract(args)
    elif action == "check":
        output = _check(app, args)
    else:
        from litwatch.claims import check_claims
        reports = check_claims(app.engine, _selected_claims(app, args))
        output = _render(reports, args.format, args.limit)
    if out:
        out.write_text(output, encoding="utf-8")
        print(f"wrote {out}", file=sys.stderr)
    else:
        sys.stdout.write(output)
    return 0


def _check(app: App, args: argparse.Namespace) -> str:
    from litwatch.claims.engine import check_text
    from litwatch.claims.render import render_one_json, render_text
    text = " ".join(args.words[1:]).strip()
    if not text:
        raise UsageError('claims check: give the claim, e.g. litwatch claims check "Ketamine '
                         'is non-addictive"')
    if args.format == "html":
        raise UsageError("claims check: --format must be text or json")
    report = check_text(app.engine, text)
    if args.format == "json":
        return render_one_json(report)
    return render_text([report], None if args.limit == 0 else args.limit or 10)


def _extract(args: argparse.Namespace) -> str:
    from litwatch.claims.extract import extract
    if len(args.words) != 2:
        raise UsageError("claims extract: give one article file (.txt or .html)")
    path = Path(args.words[1])
    if not path.is_file():
        raise UsageError(f"claims extract: no such file {path}")
    return extract(path)


def _selected_claims(app: App, args: argparse.Namespace) -> list:
    from litwatch.claims import ClaimsError, default_claims_path, load_claims

    path = Path(args.claims) if args.claims else default_claims_path(app.settings.path)
    try:
        claims = load_claims(path)
    except ClaimsError as exc:
        raise UsageError(f"claims: {exc}") from None
    if len(args.words) > 1:
        raise UsageError(f"claims: one claim id at a time, or one of: {', '.join(ACTIONS)}")
    if args.words:
        claims = [c for c in claims if c.id == args.words[0]]
        if not claims:
            raise UsageError(f"claims: no claim with id {args.words[0]!r} in {path}")
    return claims


def _render(reports: list, fmt: str, limit: int | None) -> str:
    from litwatch.claims.render import render_html, render_json, render_text

    shown = None if limit == 0 else limit
    if fmt == "json":
        return render_json(reports)
    if fmt == "html":
        return render_html(reports, shown if limit is not None else 15)
    return render_text(reports, shown if limit is not None else 10)
