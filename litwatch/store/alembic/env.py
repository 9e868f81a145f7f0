"""Alembic environment for litwatch: run from code, on a connection it is handed.

`litwatch.store.migrations` builds the Config (no alembic.ini) and puts the open
connection, inside its transaction and lock, into `config.attributes`.  The target
metadata is the SQLModel tables, for `alembic revision --autogenerate`; objects made
by hand-written SQL (full-text search, listing indexes) are left out of that comparison.
"""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

from litwatch.store import tables  # noqa: F401  (registers the tables on SQLModel.metadata)
from litwatch.store.migrations import include_in_autogenerate

config = context.config
connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("litwatch migrations run on a connection: use "
                       "litwatch.store.migrations.migrate(engine) or alembic_config(connection)")

context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    include_object=include_in_autogenerate,
    on_version_apply=config.attributes.get("on_version_apply", ()),
)
with context.begin_transaction():
    context.run_migrations()
