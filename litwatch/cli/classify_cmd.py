"""`litwatch reclassify` and `litwatch labels`.

Registration is argparse only; the pipeline and rich are imported by the
handlers, when a command runs.
"""

from __future__ import annotations

import argparse

from litwatch.cli.app import App


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("reclassify", help="re-label every stored record offline",
                       description="Re-parse every stored raw payload and rebuild labels, "
                                   "summaries, links and flags (after a taxonomy change). "
                                   "Makes no network request.")
    p.set_defaults(func=cmd_reclassify)
    p = sub.add_parser("labels", help="list the label keys (indications, routes, designs...)")
    p.set_defaults(func=cmd_labels)


def cmd_reclassify(app: App, args: argparse.Namespace) -> int:
    from litwatch.sync.reclassify import reclassify_all

    count = reclassify_all(app.engine)
    print(f"reclassified {count} records")
    return 0


def cmd_labels(app: App, args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.table import Table

    from litwatch import vocab

    console = Console()
    for title, table_data in (("indication", vocab.INDICATIONS), ("route", vocab.ROUTES),
                              ("design (strongest first)", vocab.DESIGNS),
                              ("drug", vocab.DRUGS), ("comparator", vocab.COMPARATORS)):
        table = Table(title=title)
        table.add_column("key")
        table.add_column("name")
        for key, name in table_data.items():
            table.add_row(key, name)
        console.print(table)
    return 0
