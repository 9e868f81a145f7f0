"""Dates as yyyymmdd ints: cheap to compare across 50,000 records per search."""

from __future__ import annotations

import re
from datetime import date, timedelta

OPEN_END = 99991231


def day_of(text: str | None, *, high: bool = False) -> int | None:
    """'2026-11-16', '2026/11', '2026' -> yyyymmdd. Partial dates take their first
    (or, with high=True, last) day; a year of 3000 or later means "open end"."""
    if not text:
        return None
    parts = re.split(r"[-/.]", text.strip())
    if len(parts[0]) != 4 or not all(p.isdigit() for p in parts) or len(parts) > 3:
        return None
    year = int(parts[0])
    if year >= 3000:
        return OPEN_END
    month = int(parts[1]) if len(parts) > 1 else (12 if high else 1)
    day = int(parts[2]) if len(parts) > 2 else (31 if high else 1)
    return year * 10000 + month * 100 + day


def to_day(value: date) -> int:
    return value.year * 10000 + value.month * 100 + value.day


def minus_days(day: int, days: int) -> int:
    value = date(day // 10000, day // 100 % 100, day % 100) - timedelta(days=days)
    return to_day(value)


def parse_date(value: date | str) -> date:
    """A date, or its ISO text ('2026-11-16'), as a date; ValueError otherwise."""
    return value if isinstance(value, date) else date.fromisoformat(str(value).strip())
