"""What happened to a trial this week, in sentences: "recruitment ended early:
terminated, 11 of 30 enrolled; why stopped: slow accrual".

Input is the week's trial_change rows (field, before, after) and the trial as it
stands now.  Per field the value before the week's first change and after its
last are compared, so three edits in a week read as one change.  Status, why
stopped and enrollment are told together because together they say what
happened (stopped early with 11 of 30); results come with the primary outcome
they report on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Protocol

from litwatch.digest.registry_words import date_words, phase_words, status_words
from litwatch.records import Trial

_ENROLLMENT = re.compile(r"^(\d+)(?:\s*\((\w+)\))?$")
_DATE_FIELDS = {"start_date": "start date", "primary_completion_date": "primary completion",
                "completion_date": "study completion"}
_STATUS_NEWS = {
    "TERMINATED": "recruitment ended early: terminated",
    "WITHDRAWN": "withdrawn before enrolling participants",
    "SUSPENDED": "recruitment paused: suspended",
    "COMPLETED": "completed",
    "ACTIVE_NOT_RECRUITING": "recruitment closed (active, not recruiting)",
    "RECRUITING": "now recruiting",
    "ENROLLING_BY_INVITATION": "now enrolling by invitation",
    "UNKNOWN": "status now unknown (not verified by the sponsor for over 2 years)",
}


class ChangeLike(Protocol):
    field: str
    before: str
    after: str


def week_span(changes: Iterable[ChangeLike]) -> dict[str, tuple[str, str]]:
    """field -> (value before the first change, value after the last), real changes only."""
    first: dict[str, str] = {}
    last: dict[str, str] = {}
    for change in changes:
        first.setdefault(change.field, change.before or "")
        last[change.field] = change.after or ""
    return {f: (first[f], last[f]) for f in first if first[f] != last[f]}


def describe_changes(changes: Iterable[ChangeLike], trial: Trial | None) -> list[str]:
    span = week_span(changes)
    news = []
    if "status" in span or "why_stopped" in span:
        news.append(_status_news(span))
    elif "enrollment" in span:
        news.append(_enrollment_news(*span["enrollment"]))
    for field, name in _DATE_FIELDS.items():
        if field in span:
            news.append(_date_news(name, *span[field]))
    if "phase" in span:
        before, after = (phase_words(v) or "not applicable" for v in span["phase"])
        news.append(f"phase changed: {before} → {after}")
    if "primary_outcomes" in span:
        news.append(_outcome_news(*span["primary_outcomes"]))
    if "interventions" in span:
        news.append(_intervention_news(*span["interventions"]))
    if "results" in span and span["results"][1] != "none":
        news.append(_results_news(span["results"][1], trial))
    return [n for n in news if n]


def _status_news(span: dict[str, tuple[str, str]]) -> str:
    before, after = span.get("status", ("", ""))
    parts = []
    if after:
        parts.append(_STATUS_NEWS.get(after.upper(), f"status: {status_words(before)} → "
                                                     f"{status_words(after)}"))
    if "enrollment" in span:
        parts.append(_enrolled(*span["enrollment"]))
    text = ", ".join(p for p in parts if p)
    why = span.get("why_stopped", ("", ""))[1]
    return f"{text}; why stopped: {why}" if why and text else (f"why stopped: {why}"
                                                               if why else text)


def _count(value: str) -> tuple[int | None, str]:
    m = _ENROLLMENT.match(value.strip())
    return (int(m.group(1)), (m.group(2) or "").lower()) if m else (None, "")


def _enrolled(before: str, after: str) -> str:
    """"11 of 30 enrolled" when a planned count became an actual one."""
    (was, was_kind), (now, now_kind) = _count(before), _count(after)
    if now is None:
        return ""
    if now_kind == "actual" and was is not None and was_kind != "actual":
        return f"{now} of {was} enrolled"
    if now_kind == "actual" or was is None:
        return f"{now} enrolled" if now_kind == "actual" else f"enrollment {now}"
    return f"enrollment {was} → {now}"


def _enrollment_news(before: str, after: str) -> str:
    (was, was_kind), (now, now_kind) = _count(before), _count(after)
    if now is None:
        return "enrollment no longer given"
    if now_kind == "actual" and was_kind != "actual":
        return f"enrollment final: {now}" + (f" (planned {was})" if was is not None else "")
    if was is None:
        return f"target enrollment set: {now}"
    direction = "raised" if now > was else "lowered"
    return f"target enrollment {direction} from {was} to {now}"


def _date_news(name: str, before: str, after: str) -> str:
    if not before:
        return f"{name} date set: {date_words(after)}"
    if not after:
        return f"{name} date removed (was {date_words(before)})"
    when = "later" if after > before else "earlier"
    return f"{name} moved {when}: {date_words(before)} → {date_words(after)}"


def _outcome_news(before: str, after: str) -> str:
    # A reworded primary outcome is what outcome switching looks like: quote both.
    was = before.split(" | ")[0] if before else "none"
    now = after.split(" | ")[0] if after else "none"
    return f"primary outcome changed: “{was}” → “{now}”"


def _intervention_news(before: str, after: str) -> str:
    was = {x.strip() for x in before.split(";") if x.strip()}
    now = {x.strip() for x in after.split(";") if x.strip()}
    parts = []
    if now - was:
        parts.append("intervention added: " + ", ".join(sorted(now - was)))
    if was - now:
        parts.append("intervention removed: " + ", ".join(sorted(was - now)))
    return "; ".join(parts)


def _results_news(after: str, trial: Trial | None) -> str:
    """The item's own line names the primary outcome the results report on."""
    when = date_words(after.removeprefix("posted").strip())
    text = "results posted on ClinicalTrials.gov" + (f" {when}" if when else "")
    return text + (" for the primary outcome below" if trial and trial.primary_outcomes else "")
