"""Digest windows: an ISO week (Monday..Sunday) or a --since/--until span, in a time zone.

A window is half-open, [start, end): `end` is the midnight after the last day, so
a record stamped at 23:59 on Sunday belongs to that week and one at 00:00 on
Monday to the next.  Entry dates are calendar dates without a zone, so they are
compared with the window's local dates; timestamps (first_seen, detected_at) are
compared as aware UTC datetimes, the way the store's columns take them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from litwatch.store.read import as_utc

# "2026-w46" is accepted too (people type it); labels are always written upper-case.
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$", re.IGNORECASE)


@dataclass(frozen=True)
class Window:
    start: datetime          # aware, inclusive
    end: datetime            # aware, exclusive
    label: str               # "2026-W46" or "2026-11-01..2026-11-14"

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        return (self.end - timedelta(microseconds=1)).date()

    @property
    def start_utc(self) -> datetime:
        return self.start.astimezone(UTC)

    @property
    def end_utc(self) -> datetime:
        return self.end.astimezone(UTC)

    @property
    def is_iso_week(self) -> bool:
        return bool(_WEEK.match(self.label))

    def contains_date(self, iso: str | None) -> bool:
        """True when an ISO date string (YYYY-MM-DD...) falls on one of the window's days."""
        day = iso_day(iso)
        return day is not None and self.first_day <= day <= self.last_day

    def describe(self) -> str:
        first, last = self.first_day, self.last_day
        return f"{first:%d %b %Y} – {last:%d %b %Y}"


def iso_day(iso: str | None) -> date | None:
    """The day of a full ISO date; partial dates (2026-11) fall on no particular day."""
    if not iso or len(iso) < 10:
        return None
    try:
        return date.fromisoformat(iso[:10])
    except ValueError:
        return None


def week_window(label: str, tz: str) -> Window:
    """The window of an ISO week label such as 2026-W46; ValueError if it is not one."""
    m = _WEEK.match(label.strip())
    if not m:
        raise ValueError(f"expected an ISO week like 2026-W46, got {label!r}")
    try:
        monday = date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    except ValueError:
        raise ValueError(f"{label!r} is not a week of that year") from None
    return days_window(monday, monday + timedelta(days=6), tz, label=label.strip().upper())


def days_window(since: date, until: date, tz: str, label: str | None = None) -> Window:
    """Whole days since..until inclusive; ValueError when until is before since."""
    if until < since:
        raise ValueError(f"until ({until}) is before since ({since})")
    zone = ZoneInfo(tz)
    start = datetime.combine(since, time.min, zone)
    end = datetime.combine(until + timedelta(days=1), time.min, zone)
    return Window(start, end, label or f"{since}..{until}")


def week_label(day: date) -> str:
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def last_complete_week(now: datetime, tz: str) -> Window:
    """The most recent Monday..Sunday week that has fully ended at `now` in zone `tz`."""
    local = as_utc(now).astimezone(ZoneInfo(tz))
    previous_week_day = local.date() - timedelta(days=7)
    return week_window(week_label(previous_week_day), tz)


def window_from_bounds(start: datetime, end: datetime, label: str) -> Window:
    """Wrap caller-given bounds (naive values are taken as UTC)."""
    if end <= start:
        raise ValueError("window end must be after its start")
    return Window(as_utc(start), as_utc(end), label)
