"""What changed between two versions of a registered trial.

The digest reports these as "before -> after"; only fields a reader of trial
evidence cares about are compared (status, phase, enrollment, dates, results,
primary outcomes, interventions), so cosmetic registry edits stay quiet.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from litwatch.records import Trial


@dataclass(frozen=True)
class Change:
    field: str
    before: str
    after: str


def _enrollment(t: Trial) -> str:
    if t.enrollment is None:
        return ""
    return f"{t.enrollment} ({t.enrollment_type.lower()})" if t.enrollment_type else str(
        t.enrollment)


def _results(t: Trial) -> str:
    if t.results_first_post_date:
        return f"posted {t.results_first_post_date}"
    return "posted" if t.has_results else "none"


TRACKED: dict[str, Callable[[Trial], str]] = {
    "status": lambda t: t.overall_status,
    "why_stopped": lambda t: t.why_stopped,
    "phase": lambda t: "/".join(t.phases),
    "enrollment": _enrollment,
    "start_date": lambda t: t.start_date or "",
    "primary_completion_date": lambda t: t.primary_completion_date or "",
    "completion_date": lambda t: t.completion_date or "",
    "results": _results,
    "primary_outcomes": lambda t: " | ".join(t.primary_outcomes),
    "interventions": lambda t: "; ".join(sorted(i.name for i in t.interventions)),
}


def diff_trials(old: Trial, new: Trial) -> list[Change]:
    changes = []
    for name, read in TRACKED.items():
        before, after = read(old), read(new)
        if before != after:
            changes.append(Change(name, before, after))
    return changes
