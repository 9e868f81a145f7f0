"""When a record arrived, measured against the digest's week.

Three facts decide how a new record is introduced (the digest says so in words):

- late arrival: it entered PubMed (its entry date) this week but was published
  at least LATE_AFTER_DAYS earlier.  PubMed indexes papers late; the reader
  should know "new to PubMed" is not "new research".
- caught up: it entered its source shortly before the week (within
  CAUGHT_UP_DAYS) and reached litwatch only this week, after the previous
  digest went out.  It is news the reader has not had, so it is listed as such.
- older: it entered its source long before the week (a feed listing a 2019
  preprint, a widened query finding old papers).  It is listed apart, at the
  end, as "older records first seen this week", and never as this week's
  evidence or as a late arrival.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from litwatch.digest.registry_words import date_words
from litwatch.digest.window import Window, iso_day

LATE_AFTER_DAYS = 180
CAUGHT_UP_DAYS = 14
_MONTH = {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
_SEASON_END = {"winter": 3, "spring": 6, "summer": 9, "fall": 12, "autumn": 12}
_SOURCE_WORD = {"pubmed": "PubMed", "ctgov": "the registry", "feed": "its feed"}


@dataclass(frozen=True)
class Arrival:
    kind: str = ""            # "" (this week) | caught_up | older
    late: bool = False        # published well before it entered its source
    note: str = ""            # the words the digest prints, "" when nothing to say


def classify_arrival(source: str, entry_date: str | None, pub_date: str, window: Window
                     ) -> Arrival:
    entered = iso_day(entry_date)
    if entered is None:
        return Arrival()
    published = latest_publication_day(pub_date)
    late = published is not None and (entered - published).days >= LATE_AFTER_DAYS
    where = _SOURCE_WORD.get(source, "its source")
    if entered >= window.first_day:
        note = f"late arrival: published {_month(published)}, entered {where} " \
               f"{date_words(entered.isoformat())}" if late else ""
        return Arrival("", late, note)
    kind = "caught_up" if entered >= window.first_day - timedelta(days=CAUGHT_UP_DAYS) else "older"
    verb = "posted" if source == "feed" else f"entered {where}"
    note = f"{verb} {date_words(entered.isoformat())}, first seen by litwatch this week"
    if late:
        note = f"published {_month(published)}; " + note
    return Arrival(kind, late, note)


def _month(day: date | None) -> str:
    return f"{calendar.month_abbr[day.month]} {day.year}" if day else ""


def latest_publication_day(text: str | None) -> date | None:
    """The last day a printed publication date can mean: "2025 Jul" -> 2025-07-31,
    "1990 Spring" -> 1990-06-30, "2019" -> 2019-12-31, ISO dates as they are.

    The latest day, so that an issue dated only by year is not called late.
    """
    if not text:
        return None
    iso = iso_day(text)
    if iso:
        return iso
    year = re.search(r"\b(1[89]|20)\d\d\b", text)
    if not year:
        return None
    y = int(year.group(0))
    months = [_MONTH[w[:3].lower()] for w in re.findall(r"[A-Za-z]+", text)
              if w[:3].lower() in _MONTH]
    seasons = [_SEASON_END[w.lower()] for w in re.findall(r"[A-Za-z]+", text)
               if w.lower() in _SEASON_END]
    month = max(months + seasons, default=12)
    day = re.search(r"\b\d{1,2}$", text.strip())
    if months and day and len(months) == 1 and int(day.group(0)) <= 31:
        try:
            return date(y, month, int(day.group(0)))
        except ValueError:
            pass
    return date(y, month, calendar.monthrange(y, month)[1])
