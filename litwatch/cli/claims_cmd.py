"""`litwatch claims [ID]`: each seed claim, the records that bear on it, a verdict."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from litwatch.claims import ClaimsError, check_claims, default_claims_path, load_claims
from litwatch.claims.render import FORMATS, render_html, render_json, render_text
from litwatch.cli.app import App, UsageError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "claims", help="check the seed articles' claims against the stored records",
        description="For each claim in claims.toml: the stored records that bear on it "
                    "(strongest designs first), whether the cited study is there, counts "
                    "by design and a suggested verdict with the rules that produced it. "
                    "A reviewer's verdict in claims.toml takes precedence.")
    p.add_argument("id", nargs="?", metavar="ID", help="only this claim")
    p.add_argument("--format", choices=FORMATS, default="text", help="output format")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of stdout")
    p.add_argument("--claims", metavar="PATH",
                   help="claims file (default: claims.toml beside the config, else bundled)")
    p.add_argument("--limit", type=int, default=None, metavar="N",
                   help="records shown per claim in text/html (default 10/15; 0: all)")
    p.set_defaults(func=cmd_claims)


def cmd_claims(app: App, args: argparse.Namespace) -> int:
    path = Path(args.claims) if args.claims else default_claims_path(app.settings.path)
    try:
        claims = load_claims(path)
    except ClaimsError as exc:
        raise UsageError(f"claims: {exc}") from None
    if args.id:
        claims = [c for c in claims if c.id == args.id]
        if not claims:
            raise UsageError(f"claims: no claim with id {args.id!r} in {path}")
    if args.limit is not None and args.limit < 0:
        raise UsageError("--limit: must be 0 or more")
    reports = check_claims(app.engine, claims)
    limit = None if args.limit == 0 else args.limit
    if args.format == "json":
        output = render_json(reports)
    elif args.format == "html":
        output = render_html(reports, limit if args.limit is not None else 15)
    else:
        output = render_text(reports, limit if args.limit is not None else 10)
    if args.out:
        Path(args.out).write_text(output, encoding="utf-8")
        print(f"wrote {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(output)
    return 0
