"""Reading the records the evidence map shows, with the search filters.

What a map counts as evidence: every stored record the filters select, except
off-topic records (label topic = off_topic), retracted papers and the
retraction / concern notices themselves; how many were left out, and why, is
reported with the map.  Only the columns the map needs are read: the parsed
record (`data`) is loaded for feed items alone, whose link lives in it.
"""

from __future__ import annotations

from sqlalchemy import Engine, and_, select
from sqlalchemy.engine import Connection

from litwatch.digest.palette import DESIGN_NOT_STATED
from litwatch.evidence_map.cells import MapRecord
from litwatch.search.filters import SearchFilters, where_all
from litwatch.store.read import RECORD, chunked, labels_by_record, record_url
from litwatch.store.tables import FlagRow, LabelRow, table_of

NOT_EVIDENCE_FLAGS = ("retraction_notice", "expression_of_concern_notice")
_R = RECORD          # the table search filters are written against (where_all)
_L = table_of(LabelRow)
_F = table_of(FlagRow)
_COLUMNS = (_R.c.id, _R.c.source, _R.c.source_id, _R.c.title, _R.c.year, _R.c.entry_date,
            _R.c.design, _R.c.retracted)


def load_records(engine: Engine, filters: SearchFilters | None = None, lean: bool = False
                 ) -> tuple[list[MapRecord], dict[str, int]]:
    """(the records to map, {reason: count} of those left out).

    `lean` reads only what placing records needs (labels, design, date): the
    digest counts cells and shows no titles or links from here."""
    stmt = select(*_COLUMNS).order_by(_R.c.id)
    where = where_all(filters) if filters else None
    if where is not None:
        stmt = stmt.where(where)
    with engine.connect() as conn:
        rows = conn.execute(stmt).all()
        ids = [r.id for r in rows]
        off_topic = _ids_with(conn, ids, _L, and_(_L.c.family == "topic",
                                                  _L.c.value == "off_topic"))
        notices = _ids_with(conn, ids, _F, _F.c.kind.in_(NOT_EVIDENCE_FLAGS))
        retracted = {r.id for r in rows if r.retracted}
        keep = [r for r in rows if r.id not in off_topic | notices | retracted]
        labels = labels_by_record(conn, [r.id for r in keep])
        feeds = [] if lean else [r.id for r in keep if r.source == "feed"]
        feed_data = _feed_data(conn, feeds)
    records = [_record(r, labels.get(r.id, {}), feed_data.get(r.id), lean) for r in keep]
    left_out = {"off-topic": len(off_topic), "retracted": len(retracted - off_topic),
                "retraction or concern notices": len(notices - off_topic - retracted)}
    return records, {why: n for why, n in left_out.items() if n}


def _ids_with(conn: Connection, ids: list[int], table, condition) -> set[int]:
    found: set[int] = set()
    for chunk in chunked(ids):
        found.update(conn.execute(select(table.c.record_id).where(
            condition, table.c.record_id.in_(chunk))).scalars())
    return found


def _feed_data(conn: Connection, ids: list[int]) -> dict[int, str]:
    out: dict[int, str] = {}
    for chunk in chunked(ids):
        out.update(conn.execute(select(_R.c.id, _R.c.data).where(_R.c.id.in_(chunk))).all())
    return out


def _record(row, labels: dict[str, list[str]], data: str | None, lean: bool) -> MapRecord:
    design = row.design or next(iter(labels.get("design", [])), DESIGN_NOT_STATED)
    return MapRecord(
        id=row.id, source=row.source, source_id=row.source_id,
        title="" if lean else " ".join((row.title or "(untitled)").split()), year=row.year,
        entered=row.entry_date or "", design=design,
        url="" if lean else record_url(row.source, row.source_id, data),
        indications=list(labels.get("indication", [])), routes=list(labels.get("route", [])))
