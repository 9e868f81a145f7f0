"""Classify a parsed record: indication, route, design, drug and more.

Interim version: drug only.  The full classifier (taxonomies as data, evidence
for every label) replaces this module.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from litwatch.labels import Classification, Label
from litwatch.records import Record


def classify_record(record: Record, matched_queries: Iterable[str] = ()) -> Classification:
    text = f"{getattr(record, 'title', '')}"
    labels = []
    for drug, pattern in (("esketamine", r"esketamine|spravato"), ("arketamine", r"arketamine"),
                          ("ketamine", r"\bketamine")):
        m = re.search(pattern, text, re.I)
        if m:
            labels.append(Label("drug", drug, "title", m.group(0)))
    return Classification(labels=labels)
