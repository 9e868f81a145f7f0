"""Label and Classification: what the classifier hands the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from litwatch.classify.sentences import Sentence


@dataclass(frozen=True)
class Label:
    family: str          # indication | route | design | drug | topic | comparator | ...
    value: str
    field: str = ""      # where the evidence is: title, methods, brief_summary, mesh ...
    evidence: str = ""   # the sentence (or registry value) the label was read from
    sentence_index: int | None = None   # Sentence.index of that sentence, when it is one


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


def label_from(family: str, value: str, sentence: Sentence) -> Label:
    """A label whose evidence is a whole sentence, named by its role or registry field."""
    where = sentence.role if sentence.field == "abstract" else sentence.field
    return Label(family, value, where, sentence.text, sentence.index)
