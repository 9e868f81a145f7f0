"""The digest_run table: one row per week (or custom window) and what became of it.

Statuses: rendered (archived, not sent), sent, failed (send refused; retried by
the next run), skipped (an empty week with send_empty = false: deliberately not
sent, and not to be retried).  A row never goes back from sent to rendered, so
a preview after a send cannot make the week look unsent.
"""

from __future__ import annotations

import re
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from litwatch.digest.window import Window
from litwatch.store.tables import DigestRunRow, utcnow

DONE = ("sent", "skipped")
_WEEK = re.compile(r"^\d{4}-W\d{2}$")


def get_run(engine: Engine, label: str) -> DigestRunRow | None:
    with Session(engine) as session:
        return session.exec(select(DigestRunRow).where(DigestRunRow.week == label)
                            .order_by(col(DigestRunRow.id).desc())).first()


def is_done(engine: Engine, label: str) -> bool:
    run = get_run(engine, label)
    return run is not None and run.status in DONE


def failed_weeks(engine: Engine, before: datetime) -> list[str]:
    """ISO weeks whose last send failed and that ended before `before`, oldest first."""
    with Session(engine) as session:
        runs = session.exec(select(DigestRunRow).where(DigestRunRow.status == "failed")).all()
    return sorted({r.week for r in runs
                   if _WEEK.match(r.week) and datetime.fromisoformat(r.window_end) <= before})


def record_rendered(engine: Engine, window: Window, archive_path: str, item_count: int,
                    html_bytes: int) -> None:
    with Session(engine) as session, session.begin():
        run = _row(session, window)
        run.archive_path, run.item_count, run.html_bytes = archive_path, item_count, html_bytes
        session.add(run)


def record_outcome(engine: Engine, window: Window, status: str, error: str = "",
                   message_id: str = "", now: datetime | None = None) -> None:
    """Store the result of a send attempt (sent | failed | skipped)."""
    with Session(engine) as session, session.begin():
        run = _row(session, window)
        run.status, run.error = status, error
        if status in ("sent", "failed"):
            run.attempts += 1
        if status == "sent":
            run.sent_at, run.message_id = now or utcnow(), message_id
        session.add(run)


def _row(session: Session, window: Window) -> DigestRunRow:
    run = session.exec(select(DigestRunRow).where(DigestRunRow.week == window.label)
                       .order_by(col(DigestRunRow.id).desc())).first()
    if run is None:
        run = DigestRunRow(week=window.label, window_start=window.start.isoformat(),
                           window_end=window.end.isoformat(), status="rendered")
    return run
