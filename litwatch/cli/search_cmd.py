"""`litwatch search`, `litwatch show`, `litwatch export`: reading the local store."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, TypeVar, overload

from litwatch import vocab
from litwatch.cli.app import App, UsageError, parse_date
from litwatch.errors import FilterError, QueryError
from litwatch.search.filters import PHASES, STATUSES, SearchFilters, build_filters

if TYPE_CHECKING:
    from litwatch.search.hits import SearchHit

# Export and show (lxml, rich, the record codec) are imported by their commands only:
# `litwatch search` is the command a person waits for, and with a current index on a
# SQLite store it loads no SQLAlchemy at all (litwatch.search.fast).  The export formats are
# litwatch.search.export.FORMATS (tests/test_search_index.py checks they agree).
EXPORT_FORMATS = ("csv", "json", "ris")
MAX_LIMIT = 10_000

_N = TypeVar("_N")

_QUERY_HELP = ('words to find in titles and abstracts: "exact phrase", prefix*, a OR b, '
               "NOT word or -word; other symbols are ignored")


def add_filter_arguments(p: argparse.ArgumentParser) -> None:
    """The filters search and export share; label options are repeatable or comma lists."""
    for option, keys in (("indication", vocab.INDICATIONS), ("route", vocab.ROUTES),
                         ("design", vocab.DESIGNS), ("drug", vocab.DRUGS)):
        p.add_argument(f"--{option}", action="append", metavar="KEY",
                       help=f"records labelled with this {option}: {', '.join(keys)}")
    p.add_argument("--source", action="append", metavar="NAME",
                   help="pubmed, ctgov or feed")
    p.add_argument("--phase", action="append", metavar="PHASE",
                   help=f"trial phase: {', '.join(PHASES)} (also 2, phase 2, II)")
    p.add_argument("--status", action="append", metavar="STATUS",
                   help=f"trial status: {', '.join(STATUSES)}")
    p.add_argument("--since", metavar="DATE", help="entered on or after YYYY-MM-DD")
    p.add_argument("--until", metavar="DATE", help="entered on or before YYYY-MM-DD")


def filters_from_args(args: argparse.Namespace) -> SearchFilters:
    since, until = parse_date(args.since, "--since"), parse_date(args.until, "--until")
    if since and until and since > until:
        raise UsageError("--since must not be after --until")
    try:
        return build_filters(indication=args.indication, route=args.route, design=args.design,
                             drug=args.drug, source=args.source, phase=args.phase,
                             status=args.status, since=since, until=until)
    except FilterError as exc:
        raise UsageError(str(exc)) from None


def to_stdout(write: Callable[[], object]) -> None:
    """Run a writer; a reader that stops early (| head) is not an error."""
    try:
        write()
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at /dev/null so the interpreter's final flush stays quiet.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


class QueryArgumentParser(argparse.ArgumentParser):
    """A parser whose QUERY words may start with a dash: `search depression -placebo`.

    argparse takes every unknown "-word" for an option and refuses it, or worse reads
    "-hallucination" as -h + "allucination" and prints the help.  Here a single-dash
    token that is not exactly one of our options is a query word, and query words
    after options are joined to the query, so the `-word` exclusion the help
    advertises works without quoting.  `--long` options keep argparse's rules.
    """

    # The return type is argparse's before 3.12 (pyproject's mypy target); the value
    # is only ever None here or passed through from argparse, so it fits either form.
    def _parse_optional(self, arg_string: str) -> tuple[argparse.Action | None, str,
                                                           str | None] | None:
        # Two-character tokens (-v, -x) stay options, so a misplaced global flag is
        # still reported instead of silently excluding the word "v".
        if (arg_string.startswith("-") and _is_query_word(arg_string)
                and arg_string.split("=", 1)[0] not in self._option_string_actions):
            return None                                  # a positional: a query word
        return super()._parse_optional(arg_string)

    # argparse's own overloads: the namespace returned is the one passed in, if any.
    @overload
    def parse_known_args(self, args: Iterable[str] | None = None, namespace: None = None,
                         ) -> tuple[argparse.Namespace, list[str]]: ...
    @overload
    def parse_known_args(self, args: Iterable[str] | None,
                         namespace: _N) -> tuple[_N, list[str]]: ...
    @overload
    def parse_known_args(self, *, namespace: _N) -> tuple[_N, list[str]]: ...

    def parse_known_args(self, args: Iterable[str] | None = None,
                         namespace: Any = None) -> tuple[Any, list[str]]:
        namespace, extras = super().parse_known_args(args, namespace)
        # argparse gives QUERY (nargs="*") only the words before the first option;
        # the words after it come back as extras.  An unknown option stays an error.
        if extras and all(_is_query_word(e) for e in extras):
            namespace.query = [*namespace.query, *extras]
            extras = []
        return namespace, extras


def _is_query_word(token: str) -> bool:
    return not token.startswith("-") or (len(token) > 2 and token[1] != "-")


def _query_parser(sub: argparse._SubParsersAction, name: str, *, help: str,
                  description: str) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=help, description=description)
    parser.__class__ = QueryArgumentParser   # add_parser builds the parent's class
    parser.add_argument("query", nargs="*", default=[], metavar="QUERY", help=_QUERY_HELP)
    return parser


def query_text(args: argparse.Namespace) -> str:
    """QUERY as one string: `search nasal spray -placebo` == `search "nasal spray -placebo"`."""
    return " ".join(args.query)


def register(sub: argparse._SubParsersAction) -> None:
    p = _query_parser(sub, "search", help="full-text search of the local store",
                      description="Search titles and abstracts (title matches rank higher). "
                                  "Without QUERY, list the records the filters select, "
                                  "newest first. Exit status 1 when nothing matched.")
    add_filter_arguments(p)
    p.add_argument("--limit", type=int, default=20, help="at most this many results (20)")
    p.add_argument("--format", choices=("table", "json", "csv"), default="table")
    p.add_argument("--reindex", action="store_true",
                   help="rebuild the search index from the store first (it is derived "
                        "data: nothing is lost); alone, rebuild and exit")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("show", help="one record: labels with evidence, links, flags, changes")
    p.add_argument("ident", metavar="ID",
                   help="PMID, NCT id, DOI, or source:id (pubmed:123, ctgov:NCT..., feed:guid)")
    p.add_argument("--format", choices=("text", "json"), default="text")
    p.set_defaults(func=cmd_show)

    p = _query_parser(sub, "export", help="export matching records as CSV, JSON or RIS",
                      description="Export every record the query and filters select "
                                  "(all records without either). RIS is for reference "
                                  "managers. Exit status 1 when nothing matched.")
    add_filter_arguments(p)
    p.add_argument("--format", choices=EXPORT_FORMATS, default="csv")
    p.add_argument("--out", metavar="FILE", help="write here instead of standard output")
    p.set_defaults(func=cmd_export)


def cmd_search(app: App, args: argparse.Namespace) -> int:
    filters = filters_from_args(args)
    if not 1 <= args.limit <= MAX_LIMIT:
        raise UsageError(f"--limit: expected 1 to {MAX_LIMIT}, got {args.limit}")
    query = query_text(args)
    if args.reindex:
        reindex(app)
        if not query.strip() and not filters.any():
            return 0
    if not query.strip() and not filters.any():
        raise UsageError("give a QUERY, or at least one filter to list records by date")
    try:
        hits = find_hits(app, query, filters, args.limit)
    except QueryError as exc:
        raise UsageError(str(exc)) from None
    if not hits:
        print("litwatch: no records matched", file=sys.stderr)
        return 1
    from litwatch.search.output import write_csv, write_json, write_table
    if args.format == "json":
        to_stdout(lambda: write_json(hits, sys.stdout))
    elif args.format == "csv":
        to_stdout(lambda: write_csv(hits, sys.stdout))
    else:
        more = " (--limit reached)" if len(hits) == args.limit else ""
        if more and not sys.stdout.isatty():
            # Piped lines carry no title; the hint that there is more goes to stderr.
            print(f"litwatch: {len(hits)} records{more}", file=sys.stderr)
        to_stdout(lambda: write_table(hits, sys.stdout, title=f"{len(hits)} records{more}"))
    return 0


def find_hits(app: App, query: str, filters: SearchFilters, limit: int) -> list[SearchHit]:
    """The fast path's hits when it can answer (a SQLite store with a current index),
    else search_records' through the opened store: the same hits either way."""
    from litwatch.search.fast import fast_search
    hits = fast_search(app.settings.database_url, query, filters, limit)
    if hits is None:
        from litwatch.search.service import search_records
        hits = search_records(app.engine, query, filters, limit)
    return hits


def reindex(app: App) -> None:
    from litwatch.search.index import index_for
    index = index_for(app.engine)
    if index is None:
        print("litwatch: this store has no search index (in-memory database, or "
              "LITWATCH_SEARCH_INDEX=off): search uses the database's full text",
              file=sys.stderr)
        return
    count = index.rebuild(app.engine)
    print(f"litwatch: search index {index.folder} rebuilt from {count} records",
          file=sys.stderr)


def cmd_show(app: App, args: argparse.Namespace) -> int:
    from litwatch.search.show import find_record, record_detail, render_detail, write_detail_json
    row = find_record(app.engine, args.ident)
    if row is None:
        print(f"litwatch: no record {args.ident!r} in the store "
              "(try a PMID, an NCT id, a DOI or source:id)", file=sys.stderr)
        return 1
    detail = record_detail(app.engine, row)
    if args.format == "json":
        to_stdout(lambda: write_detail_json(detail, sys.stdout))
    else:
        from rich.console import Console
        to_stdout(lambda: render_detail(detail, Console()))
    return 0


def cmd_export(app: App, args: argparse.Namespace) -> int:
    from litwatch.search.export import select_ids, write_export
    filters = filters_from_args(args)
    try:
        ids = select_ids(app.engine, query_text(args), filters)
    except QueryError as exc:
        raise UsageError(str(exc)) from None
    if not ids:
        print("litwatch: no records matched", file=sys.stderr)
        return 1
    if not args.out:
        to_stdout(lambda: write_export(app.engine, ids, args.format, sys.stdout))
        return 0
    with open(args.out, "w", encoding="utf-8", newline="") as stream:
        count = write_export(app.engine, ids, args.format, stream)
    print(f"wrote {count} records to {args.out}", file=sys.stderr)
    return 0
