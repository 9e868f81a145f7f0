"""The digest's public API for the CLI and the scheduler.

render_week()        render a window, archive it, return the email parts.
run_weekly_digest()  once-per-week send with the digest_run bookkeeping.
digest_due()         which week (if any) should be sent now.

Order of work is what makes "nothing is lost" hold: the archive is written
before any send is tried, and the outcome of every send attempt is recorded,
so a failed send leaves an archived digest and a `failed` row the next run retries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from litwatch.config.loader import Settings
from litwatch.digest import runs
from litwatch.digest.claims import claims_for_window
from litwatch.digest.render import fit_email, render_html, render_text
from litwatch.digest.select import select_window, stored_id
from litwatch.digest.send import MailError, send_email
from litwatch.digest.view import build_view
from litwatch.digest.window import Window, last_complete_week, week_window, window_from_bounds
from litwatch.evidence_map.week import map_changes


@dataclass
class RenderedDigest:
    html: str                # what the email carries (complete unless the week is too big)
    text: str
    subject: str
    item_count: int
    archive_path: Path       # the full digest, standalone HTML


@dataclass
class DigestOutcome:
    status: str              # sent | skipped | failed | rendered
    week: str
    archive_path: Path | None
    error: str | None = None


def render_week(settings: Settings, engine: Engine, start: datetime, end: datetime,
                label: str) -> RenderedDigest:
    return render_window(settings, engine, window_from_bounds(start, end, label))


def render_window(settings: Settings, engine: Engine, window: Window,
                  now: datetime | None = None) -> RenderedDigest:
    cfg = settings.digest
    archive_path = archive_path_for(settings, window.label)
    generated = (now or datetime.now(UTC)).astimezone(ZoneInfo(cfg.timezone))
    claims = claims_for_window(settings, engine, window.start, window.end)
    selection = select_window(engine, window)
    changes = map_changes(engine, {stored_id(e.row) for e in selection.new})
    view = build_view(selection, cfg.timezone, claims, generated,
                      archive_url_for(settings, archive_path), changes)
    full_html = render_html(view)
    _write_atomically(archive_path, full_html)
    html, shown = fit_email(view, cfg.max_html_kb * 1024, full_html)
    return RenderedDigest(html, render_text(shown), view.subject, view.item_count,
                          archive_path)


def archive_path_for(settings: Settings, label: str) -> Path:
    safe = re.sub(r"[^0-9A-Za-z_.-]+", "_", label)
    return Path(settings.digest.archive_dir) / f"litwatch-{safe}.html"


def archive_url_for(settings: Settings, path: Path) -> str | None:
    """The public address of the archived digest, None unless archive_base_url is set:
    a file: path means nothing to the reader the email is forwarded to."""
    base = settings.digest.archive_base_url
    return f"{base.rstrip('/')}/{path.name}" if base else None


def _write_atomically(path: Path, html: str) -> None:
    # A half-written archive must never replace a good one (the email links to it).
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)


def run_weekly_digest(settings: Settings, engine: Engine, now: datetime | None = None,
                      week: str | None = None, send: bool = True,
                      force: bool = False) -> DigestOutcome:
    """Render, archive and (unless send=False) send one week's digest, at most once.

    Without `week`: the oldest week whose send failed, else the last complete week.
    Raises ValueError for a malformed week label.
    """
    now = now or datetime.now(UTC)
    label = week or digest_due(settings, engine, now) or \
        last_complete_week(now, settings.digest.timezone).label
    return run_digest(settings, engine, week_window(label, settings.digest.timezone),
                      now=now, send=send, force=force)


def run_digest(settings: Settings, engine: Engine, window: Window, now: datetime | None = None,
               send: bool = True, force: bool = False) -> DigestOutcome:
    """The same as run_weekly_digest for any window (e.g. --since/--until)."""
    previous = runs.get_run(engine, window.label)
    if send and not force and previous is not None and previous.status in runs.DONE:
        return DigestOutcome("skipped", window.label,
                             Path(previous.archive_path) if previous.archive_path else None,
                             f"already {previous.status}; use force to send again")
    rendered = render_window(settings, engine, window, now)
    runs.record_rendered(engine, window, str(rendered.archive_path), rendered.item_count,
                         len(rendered.html.encode()))
    if not send:
        return DigestOutcome("rendered", window.label, rendered.archive_path)
    if rendered.item_count == 0 and not settings.digest.send_empty:
        runs.record_outcome(engine, window, "skipped", "empty window; digest.send_empty = false")
        return DigestOutcome("skipped", window.label, rendered.archive_path, "nothing new")
    return _send(settings, engine, window, rendered)


def _send(settings: Settings, engine: Engine, window: Window,
          rendered: RenderedDigest) -> DigestOutcome:
    try:
        message_id = send_email(settings.smtp, rendered.subject, rendered.text, rendered.html)
    except MailError as exc:
        runs.record_outcome(engine, window, "failed", str(exc))
        return DigestOutcome("failed", window.label, rendered.archive_path, str(exc))
    runs.record_outcome(engine, window, "sent", message_id=message_id)
    return DigestOutcome("sent", window.label, rendered.archive_path)


def digest_due(settings: Settings, engine: Engine, now: datetime) -> str | None:
    """The ISO week to send now: a failed one first (oldest), else the last complete
    week if it has not been sent; None when everything is sent."""
    now = now if now.tzinfo else now.replace(tzinfo=UTC)
    failed = runs.failed_weeks(engine, before=now)
    if failed:
        return failed[0]
    label = last_complete_week(now, settings.digest.timezone).label
    return None if runs.is_done(engine, label) else label
