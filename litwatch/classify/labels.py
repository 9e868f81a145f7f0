"""Label and Classification: what the classifier hands the store."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Label:
    family: str          # indication | route | design | drug | comparator | phase | ...
    value: str
    field: str = ""      # where the evidence is: title, abstract, mesh, intervention ...
    evidence: str = ""   # the phrase that matched


@dataclass
class Classification:
    labels: list[Label] = field(default_factory=list)
    summary: str = ""
    sample_size: int | None = None

    def values(self, family: str) -> list[str]:
        seen: list[str] = []
        for label in self.labels:
            if label.family == family and label.value not in seen:
                seen.append(label.value)
        return seen

    def first(self, family: str) -> str | None:
        values = self.values(family)
        return values[0] if values else None
