"""Digest windows: ISO weeks in the configured zone, custom spans, bad input."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from litwatch.digest.window import days_window, last_complete_week, week_window

LONDON = "Europe/London"


def test_week_window_runs_monday_to_sunday_in_the_zone() -> None:
    w = week_window("2026-W46", LONDON)
    assert w.start == datetime(2026, 11, 9, tzinfo=ZoneInfo(LONDON))
    assert w.end == datetime(2026, 11, 16, tzinfo=ZoneInfo(LONDON))
    assert (w.first_day, w.last_day) == (date(2026, 11, 9), date(2026, 11, 15))
    assert w.contains_date("2026-11-15") and not w.contains_date("2026-11-16")
    assert not w.contains_date("2026-11")          # a partial date is no particular day


@pytest.mark.parametrize("label", ["2026-46", "2026-W54", "2026-W00", "W46", ""])
def test_bad_week_labels_are_refused(label: str) -> None:
    with pytest.raises(ValueError):
        week_window(label, LONDON)


@pytest.mark.parametrize("now, tz, expected", [
    (datetime(2026, 11, 16, 0, 30, tzinfo=ZoneInfo(LONDON)), LONDON, "2026-W46"),
    (datetime(2026, 11, 15, 23, 30, tzinfo=ZoneInfo(LONDON)), LONDON, "2026-W45"),
    # 05:00 UTC on Monday is still Sunday evening in Los Angeles: W46 is not over there.
    (datetime(2026, 11, 16, 5, 0, tzinfo=UTC), "America/Los_Angeles", "2026-W45"),
    (datetime(2027, 1, 4, 9, 0, tzinfo=UTC), LONDON, "2026-W53"),
])
def test_last_complete_week_depends_on_the_zone(now: datetime, tz: str, expected: str) -> None:
    assert last_complete_week(now, tz).label == expected


def test_days_window_is_inclusive_and_checks_order() -> None:
    w = days_window(date(2026, 11, 1), date(2026, 11, 14), LONDON)
    assert w.label == "2026-11-01..2026-11-14" and not w.is_iso_week
    assert w.contains_date("2026-11-14") and not w.contains_date("2026-10-31")
    with pytest.raises(ValueError):
        days_window(date(2026, 11, 14), date(2026, 11, 1), LONDON)
