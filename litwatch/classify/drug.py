"""Which of ketamine, esketamine and arketamine a record is about.

Enantiomer phrases are consumed before the racemic one ("S-ketamine" is not also
"ketamine").  An esketamine paper usually calls it "the S-enantiomer of ketamine"
in passing, so racemic ketamine is only added next to an enantiomer when the
record leans on it: title, a trial's intervention, an explicit racemate name, or
repeated mentions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from litwatch.classify.fields import RecordView
from litwatch.classify.labels import Label
from litwatch.classify.taxonomy import Hit, PhraseScanner, build_scanner, compile_any, load
from litwatch.records import Record, Trial

# Passing mentions of the racemate in an enantiomer paper rarely exceed this.
_RACEMIC_MENTIONS = 3


@dataclass(frozen=True)
class DrugRules:
    scanner: PhraseScanner
    mesh: dict[str, str]
    explicit_racemic: object
    implied_routes: list[tuple[object, str]]


@cache
def rules() -> DrugRules:
    data = load("drugs")
    mesh = {t.lower(): k for k, sec in data.items() if isinstance(sec, dict)
            for t in sec.get("mesh", [])}
    implied = [(compile_any([pattern]), route)
               for pattern, route in data.get("implies_route", {}).items()]
    return DrugRules(build_scanner(data, exclude=("implies_route",)), mesh,
                     compile_any(data["ketamine"].get("explicit", [])), implied)


def drug_hits(text: str) -> list[Hit]:
    """Drug mentions in a text (used by the route rules for proximity too)."""
    return rules().scanner.scan(text)


def classify_drugs(record: Record, view: RecordView) -> list[Label]:
    found: dict[str, Label] = {}
    counts: dict[str, int] = {}
    for field, text in _drug_fields(record, view):
        for hit in drug_hits(text):
            counts[hit.key] = counts.get(hit.key, 0) + 1
            found.setdefault(hit.key, Label("drug", hit.key, field, hit.text))
    for term in view.mesh + view.chemicals:
        key = rules().mesh.get(term.lower())
        if key and key not in found:
            found[key] = Label("drug", key, "mesh", term)
    enantiomer = "esketamine" in found or "arketamine" in found
    if enantiomer and "ketamine" in found and not _racemate_meant(record, view, found,
                                                                    counts):
        del found["ketamine"]
    order = ("ketamine", "esketamine", "arketamine")
    return [found[k] for k in order if k in found]


def _drug_fields(record: Record, view: RecordView) -> list[tuple[str, str]]:
    fields = [("title", view.title), (view.body_field, view.body)]
    if isinstance(record, Trial):
        for iv in record.interventions:
            fields.append(("intervention", " ; ".join([iv.name, *iv.other_names])))
        fields += [("arm_group", a.label) for a in record.arm_groups]
        fields += [("keyword", k) for k in record.keywords]
    else:
        fields += [("keyword", k) for k in view.keywords]
    return fields


def _racemate_meant(record: Record, view: RecordView, found: dict[str, Label],
                    counts: dict[str, int]) -> bool:
    label = found["ketamine"]
    if label.field in ("title", "intervention", "arm_group"):
        return True
    if rules().explicit_racemic.search(view.text):
        return True
    return label.field != "mesh" and counts.get("ketamine", 0) >= _RACEMIC_MENTIONS
