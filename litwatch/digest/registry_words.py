"""ClinicalTrials.gov enums and values in the words a reader uses.

The registry stores RECRUITING, ACTIVE_NOT_RECRUITING, PHASE2/PHASE3 and
dates such as "2026-06"; a clinician forwarding the email should never see a
code.  Unknown codes are turned into words rather than shown raw.
"""

from __future__ import annotations

import re
from datetime import date

STATUS_WORDS = {
    "RECRUITING": "Recruiting", "NOT_YET_RECRUITING": "Not yet recruiting",
    "ENROLLING_BY_INVITATION": "Enrolling by invitation",
    "ACTIVE_NOT_RECRUITING": "Active, not recruiting", "COMPLETED": "Completed",
    "SUSPENDED": "Suspended", "TERMINATED": "Terminated", "WITHDRAWN": "Withdrawn",
    "UNKNOWN": "Unknown status", "AVAILABLE": "Available (expanded access)",
    "NO_LONGER_AVAILABLE": "No longer available", "TEMPORARILY_NOT_AVAILABLE":
    "Temporarily not available", "APPROVED_FOR_MARKETING": "Approved for marketing",
    "WITHHELD": "Withheld",
}
_PHASE = re.compile(r"^(EARLY_)?PHASE(\d)$")
_CODE = re.compile(r"^[A-Z0-9]+(?:_[A-Z0-9]+)+$|^[A-Z]{4,}$")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def status_words(code: str | None) -> str:
    """RECRUITING -> Recruiting; text that is not a code is returned as it is."""
    if not code:
        return ""
    code = code.strip()
    return STATUS_WORDS.get(code.upper(), _uncode(code))


def phase_words(raw: str | list[str] | None) -> str:
    """PHASE2/PHASE3 (or ["PHASE2", "PHASE3"]) -> Phase 2/3; NA (not applicable) -> ""."""
    parts = raw if isinstance(raw, list) else re.split(r"[/,\s]+", raw or "")
    numbers, early = [], False
    for part in (p.strip().upper() for p in parts if p.strip()):
        m = _PHASE.match(part)
        if m:
            early = early or bool(m.group(1))
            numbers.append(m.group(2))
    if not numbers:
        return ""
    return ("Early phase " if early else "Phase ") + "/".join(dict.fromkeys(numbers))


def date_words(iso: str | None) -> str:
    """2026-10-15 -> 15 Oct 2026, 2026-06 -> Jun 2026, 2026 -> 2026."""
    if not iso:
        return ""
    parts = iso[:10].split("-")
    try:
        if len(parts) == 3:
            day = date(int(parts[0]), int(parts[1]), int(parts[2]))
            return f"{day.day:02d} {_MONTHS[day.month - 1]} {day.year}"
        if len(parts) == 2:
            return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    except (ValueError, IndexError):
        return iso
    return parts[0]


def _uncode(value: str) -> str:
    """SOME_CODE -> Some code (a code we do not know yet still reads as words)."""
    return value.replace("_", " ").capitalize() if _CODE.match(value) else value
