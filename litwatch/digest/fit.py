"""Keeping the email under Gmail's clipping limit (~102 KB of HTML).

By design a week fits: one short item per record, no repeated entries.  A week
too large even then (a new query, a backlog of 1,000 records) keeps the records
a reader can least afford to miss and says, in each condition, how many it
left out and of which designs.  Kept first: retractions and concerns, trial
updates with news, then the strongest designs, the largest studies, the newest;
records older than the week go last.  The order is global, so a condition full of
preclinical reports cannot crowd out another condition's trial.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import replace

from litwatch.digest.items import ItemView
from litwatch.digest.model import FLAGGED, OLDER, ConditionGroup, LeftOut, design_groups
from litwatch.digest.palette import strength_order
from litwatch.digest.view import DigestView


def keep_order(groups: list[ConditionGroup]) -> list[int]:
    """Record ids, the first to keep first."""
    items = [item for group in groups for item in group.items]
    items.sort(key=lambda i: i.date, reverse=True)
    items.sort(key=lambda i: (_urgency(i), strength_order(i.design_key), -i.n))
    return [item.record_id for item in items]


def _urgency(item: ItemView) -> int:
    if item.kind == FLAGGED:
        return 0
    if item.kind == "updated_trial" and item.news:
        return 1
    return 3 if item.kind == OLDER else 2


def fit_view(view: DigestView, max_bytes: int, render: Callable[[DigestView], str],
             full_html: str | None = None) -> tuple[str, DigestView]:
    """The HTML for the email and the view it shows: complete if it fits, else the
    most items that fit and a note naming what was left out.

    Each item's size is measured once, in the full rendering, so the cut is planned
    rather than searched for; a final rendering checks it (trimming a little more
    in the rare case headings made the estimate short)."""
    html = full_html if full_html is not None else render(view)
    if len(html.encode()) <= max_bytes:
        return html, view
    sizes = item_sizes(html)
    budget = max_bytes - len(render(_keep(view, set())).encode())
    keep: list[int] = []
    for record_id in keep_order(view.all_groups):
        budget -= sizes.get(record_id, 0)
        if budget < 0:
            break
        keep.append(record_id)
    while True:
        candidate = _keep(view, set(keep))
        html = render(candidate)
        if len(html.encode()) <= max_bytes or not keep:
            return html, candidate
        keep = keep[:len(keep) * 19 // 20]


_ITEM = re.compile(rb'<div [^>]*\bdata-record="(\d+)"')


def item_sizes(html: str) -> dict[int, int]:
    """record id -> bytes from its item's start to the next item's (its headings too)."""
    data = html.encode()
    marks = [(m.start(), int(m.group(1))) for m in _ITEM.finditer(data)]
    ends = [start for start, _ in marks[1:]] + [len(data)]
    return {record_id: end - start for (start, record_id), end in zip(marks, ends, strict=True)}


def _keep(view: DigestView, keep: set[int]) -> DigestView:
    groups = [_cap(g, keep) for g in view.groups]
    older = _cap(view.older, keep) if view.older else None
    left_out = sum(g.left_out.total for g in groups + ([older] if older else []))
    return replace(view, groups=groups, older=older, left_out=left_out)


def _cap(group: ConditionGroup, keep: set[int]) -> ConditionGroup:
    kept = [i for i in group.items if i.record_id in keep]
    left = LeftOut()
    left.by_design.update(i.design_key for i in group.items if i.record_id not in keep)
    return replace(group, designs=design_groups(kept), left_out=left)
