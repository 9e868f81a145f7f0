"""Schema migrations for SQLite and PostgreSQL: alembic revisions shipped in the package.

The revisions live in litwatch/store/alembic/versions/ (0001: the original schema with
full-text search and listing indexes; 0002: the sentence layer; 0003: the
record change sequence) and run from code, on
the caller's connection: no alembic.ini is read.

`migrate(engine)` brings a database to HEAD.  Opening a current database costs one or
two small queries and does not import alembic.  Otherwise, in one transaction that
holds a lock (pg_advisory_xact_lock on PostgreSQL, BEGIN IMMEDIATE on SQLite) so that
two processes starting at once do not both create the schema, the version is read
again, a database made by the old numbered steps (table schema_version, steps 1-3,
which revision 0001 reproduces) is completed and stamped at 0001, and alembic upgrades
it to head.

Adding a revision: write versions/NNNN_name.py revising the current head (or have
alembic write it: `command.revision(alembic_config(conn), "message", rev_id="0003",
autogenerate=True)` with a connection to a database at head) and set HEAD below; a
test checks that HEAD is alembic's head.  Revisions are never edited once released.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Engine, text

if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

SCRIPT_LOCATION = Path(__file__).with_name("alembic")
HEAD = "0003"                   # the newest revision in SCRIPT_LOCATION/versions
_PG_LOCK_KEY = 727274

# The numbered steps of the old scheme, as recorded in schema_version, and the revision
# that now holds each.  Revision 0001 records them too, for older litwatch versions.
STEPS: list[tuple[int, str, str]] = [
    (1, "tables", "0001"),
    (2, "full-text search", "0001"),
    (3, "listing indexes", "0001"),
]

# Made by hand-written SQL in the revisions, not by the SQLModel tables: autogenerate
# must neither drop nor report them.
NOT_IN_MODELS = {
    "table": {"record_fts", "record_fts_config", "record_fts_data", "record_fts_docsize",
              "record_fts_idx", "record_fts_content"},
    "column": {"search_vector"},
    "index": {"ix_record_search_vector", "ix_record_source_entry", "ix_label_record_family"},
}


def include_in_autogenerate(obj: Any, name: str | None, type_: str, reflected: bool,
                            compare_to: Any) -> bool:
    return name not in NOT_IN_MODELS.get(type_, set())


def migrate(engine: Engine) -> list[str]:
    """Bring the schema to HEAD; return the revisions applied now (oldest first)."""
    with engine.connect() as conn:
        if current_revisions(conn) == [HEAD]:
            return []
    return _upgrade(engine)


def current_revisions(conn: Connection) -> list[str]:
    """The revisions in alembic_version ([] when there is no such table yet)."""
    if not _has_table(conn, "alembic_version"):
        return []
    return sorted(conn.execute(text("SELECT version_num FROM alembic_version")).scalars())


def _has_table(conn: Connection, name: str) -> bool:
    if conn.dialect.name == "sqlite":
        query = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = :n"
    else:
        # A catalog query, not to_regclass(): that reads the backend's catalog cache,
        # which can still hold "no such table" from before the lock was granted even
        # though the process we waited for has committed the table since.
        query = ("SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n "
                 "ON n.oid = c.relnamespace WHERE c.relname = :n AND c.relkind IN ('r', 'p') "
                 "AND n.nspname = current_schema()")
    return bool(conn.execute(text(query), {"n": name}).scalar())


def alembic_config(connection: Connection | None = None,
                   on_version_apply: Callable[..., None] | None = None) -> Config:
    """An alembic Config for the package's revisions, built in code.

    env.py runs the migrations on `connection` (which stays in the caller's transaction);
    `on_version_apply` is called after each revision that alembic applies.
    """
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(SCRIPT_LOCATION).replace("%", "%%"))
    config.set_main_option("path_separator", "os")
    config.attributes["connection"] = connection
    config.attributes["on_version_apply"] = () if on_version_apply is None else on_version_apply
    return config


def script_directory() -> ScriptDirectory:
    from alembic.script import ScriptDirectory
    return ScriptDirectory.from_config(alembic_config())


def _upgrade(engine: Engine) -> list[str]:
    from alembic import command

    applied: list[str] = []
    with engine.begin() as conn:
        _lock(conn)
        have = current_revisions(conn)        # again: another process may have upgraded
        if have == [HEAD]:
            return []
        script = script_directory()
        known = {rev.revision for rev in script.walk_revisions()}
        if unknown := [rev for rev in have if rev not in known]:
            raise RuntimeError(f"the database schema is at revision {', '.join(unknown)}, "
                               f"which this litwatch does not know (its newest is {HEAD}): "
                               "upgrade litwatch")
        if not have:
            if _has_table(conn, "schema_version"):
                _adopt_numbered_steps(conn, script)
            elif _has_table(conn, "record"):
                raise RuntimeError("the database has litwatch tables but no record of "
                                   "its schema version (alembic_version or schema_version)")

        def note(ctx: Any, step: Any, heads: Any, run_args: Any) -> None:
            if step.is_upgrade:
                applied.append(step.up_revision_id)

        command.upgrade(alembic_config(conn, note), "head")
    return applied


def _lock(conn: Connection) -> None:
    """Serialise migrations: two processes starting at once must not both create the
    schema.  Held until the transaction ends."""
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
    elif conn.dialect.name == "sqlite":
        # pysqlite opens a transaction only before DML, so DDL would autocommit and a
        # second process would race us; BEGIN IMMEDIATE takes the write lock now (a
        # contender waits its busy timeout) and makes the whole migration one transaction.
        if not getattr(conn.connection.dbapi_connection, "in_transaction", False):
            conn.exec_driver_sql("BEGIN IMMEDIATE")


def _adopt_numbered_steps(conn: Connection, script: ScriptDirectory) -> None:
    """A database made by the old numbered steps: complete any step it lacks (the
    listing indexes came later than the rest), then stamp it at revision 0001."""
    from alembic.operations import Operations
    from alembic.runtime.migration import MigrationContext

    done = set(conn.execute(text("SELECT version FROM schema_version")).scalars())
    if 1 not in done:
        raise RuntimeError("schema_version does not record the tables step (1): "
                           "the database was not made by litwatch")
    initial = script.get_revision("0001").module
    context = MigrationContext.configure(conn)
    with Operations.context(context):
        if 2 not in done:
            initial.full_text_search()
        if 3 not in done:
            initial.listing_indexes()
    for version, description, _ in STEPS:
        if version not in done:
            conn.execute(text("INSERT INTO schema_version (version, description, applied_at) "
                              "VALUES (:v, :d, CURRENT_TIMESTAMP)"),
                         {"v": version, "d": description})
    context.stamp(script, "0001")
