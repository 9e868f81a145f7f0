"""Indications: what condition a record studies.

Evidence is weighed by where it sits.  A condition named in the title, in a
trial's conditions or in (major) MeSH is what the record is about; the same word
once in an abstract may be an outcome ("depression scores after surgery") or a
side effect ("anxiety, nausea").  Keys reaching STRONG points are kept; when none
does, the best-supported key is kept if it has any real support; the configured
query that found the record is the last resort, and "other" means nothing matched.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

from litwatch.classify.fields import RecordView
from litwatch.classify.labels import Label
from litwatch.classify.taxonomy import PhraseScanner, build_scanner, keyed_sections, load
from litwatch.vocab import INDICATIONS

STRONG = 3.0
# Points per phrase by field, strong phrase / weak phrase.  A weak phrase in the
# title ("sedation", "depressive symptoms") is usually what the study is about.
_FIELD_WEIGHT = {"title": (3.0, 2.0), "condition": (3.0, 2.0), "keyword": (2.0, 0.5)}
# Without a key at STRONG, the best key needs this much (two abstract mentions).
_FALLBACK = 2.0
_BODY_WEIGHT = (1.0, 0.25)
_BODY_CAP = 4.0
_MESH_WEIGHT = {"major": 3.0, "minor": 2.0, "weak": 0.5}


@dataclass(frozen=True)
class IndicationRules:
    scanner: PhraseScanner
    mesh: dict[str, str]
    weak_mesh: dict[str, str]
    suppressed_by: dict[str, tuple[str, ...]]
    weak_suppressed_by: dict[str, tuple[str, ...]]
    explicit: dict[str, tuple[str, ...]]
    queries: dict[str, str]


@cache
def rules() -> IndicationRules:
    data = load("indications")
    sections = keyed_sections(data, exclude=("queries",))
    unknown = set(sections) - set(INDICATIONS)
    if unknown:
        raise ValueError(f"indications.toml: keys not in vocab.INDICATIONS: {sorted(unknown)}")
    return IndicationRules(
        scanner=build_scanner(data, exclude=("queries",)),
        mesh={t.lower(): k for k, s in sections.items() for t in s.get("mesh", [])},
        weak_mesh={t.lower(): k for k, s in sections.items() for t in s.get("weak_mesh", [])},
        suppressed_by={k: tuple(s.get("suppressed_by", [])) for k, s in sections.items()},
        weak_suppressed_by={k: tuple(s.get("weak_suppressed_by", []))
                            for k, s in sections.items()},
        explicit={k: tuple(s.get("explicit", [])) for k, s in sections.items()},
        queries=dict(data.get("queries", {})),
    )


class _Tally:
    """Points and first evidence per key, and whether any strong phrase was seen."""

    def __init__(self) -> None:
        self.points: dict[str, float] = defaultdict(float)
        self.body_points: dict[str, float] = defaultdict(float)
        # ctgov derived condition MeSH add ancestors ("Depressive Disorder, Major" for
        # every TRD trial), so they never count as a key's own support.
        self.derived_points: dict[str, float] = defaultdict(float)
        self.evidence: dict[str, Label] = {}
        self.strong_seen: set[str] = set()

    def add(self, key: str, points: float, field: str, text: str, strong: bool) -> None:
        self.points[key] += points
        if strong:
            self.strong_seen.add(key)
        best = self.evidence.get(key)
        if best is None or (strong and best.field not in ("title", "condition", "mesh",
                                                          "condition_mesh")):
            self.evidence[key] = Label("indication", key, field, text)


def classify_indications(view: RecordView, matched_queries: tuple[str, ...] = ()) -> list[Label]:
    tally = _score(view)
    keys = _select(tally)
    if keys:
        return [tally.evidence[k] for k in keys]
    return _query_fallback(matched_queries) or [
        Label("indication", "other", "default", "no listed condition named")]


def _score(view: RecordView) -> _Tally:
    tally = _Tally()
    scanner = rules().scanner
    fields = [("title", view.title)] + [("condition", c) for c in view.conditions]
    fields += [("keyword", k) for k in view.keywords]
    for field, text in fields:
        strong_w, weak_w = _FIELD_WEIGHT[field]
        as_mesh = rules().mesh.get(text.strip().lower()) if field == "condition" else None
        if as_mesh:
            # Registrants often type a MeSH heading ("Depressive Disorder,
            # Treatment-Resistant"), whose inverted word order defeats the phrases.
            tally.add(as_mesh, strong_w, field, text, True)
            continue
        for hit in scanner.scan(text):
            tally.add(hit.key, strong_w if hit.strong else weak_w, field, hit.text, hit.strong)
    for hit in scanner.scan(view.body):
        points = _BODY_WEIGHT[0] if hit.strong else _BODY_WEIGHT[1]
        room = _BODY_CAP - tally.body_points[hit.key]
        if room > 0:
            tally.body_points[hit.key] += min(points, room)
            tally.add(hit.key, min(points, room), view.body_field, hit.text, hit.strong)
    _score_mesh(view, tally)
    return tally


def _score_mesh(view: RecordView, tally: _Tally) -> None:
    field = "condition_mesh" if view.source == "ctgov" else "mesh"
    major = {m.lower() for m in view.mesh_major}
    for term in view.mesh:
        low = term.lower()
        if low in rules().mesh:
            weight = _MESH_WEIGHT["major" if low in major else "minor"]
            tally.add(rules().mesh[low], weight, field, term, True)
            if field == "condition_mesh":
                tally.derived_points[rules().mesh[low]] += weight
        elif low in rules().weak_mesh:
            tally.add(rules().weak_mesh[low], _MESH_WEIGHT["weak"], field, term, False)


def _select(tally: _Tally) -> list[str]:
    points = tally.points
    keys = [k for k, p in points.items() if p >= STRONG]
    if not keys:
        # No key is clearly the subject: keep the best supported one.
        backed = {k: p for k, p in points.items() if p >= _FALLBACK}
        if backed:
            top = max(backed.values())
            keys = [k for k, p in backed.items() if p == top]
    keys = [k for k in keys if not _suppressed(k, keys, tally)]
    return sorted(keys, key=list(INDICATIONS).index)


def _suppressed(key: str, keys: list[str], tally: _Tally) -> bool:
    """A generic key next to a specific one ("mdd" next to "trd") needs its own support.

    It stays when the record names it outside the abstract (title, condition, MeSH)
    strongly enough; words inside the abstract mostly restate the specific key.
    """
    own = tally.points[key] - tally.body_points[key] - tally.derived_points[key]
    if any(other in keys for other in rules().suppressed_by.get(key, ())):
        return own < STRONG
    evidence = tally.evidence[key]
    explicit = own >= STRONG or any(
        word in evidence.evidence.lower() for word in rules().explicit.get(key, ()))
    return not explicit and any(other in keys
                                for other in rules().weak_suppressed_by.get(key, ()))


def _query_fallback(matched_queries: tuple[str, ...]) -> list[Label]:
    labels = []
    for name in matched_queries:
        key = name if name in INDICATIONS else rules().queries.get(name)
        if key and key != "other" and all(lb.value != key for lb in labels):
            labels.append(Label("indication", key, "query", name))
    return labels
