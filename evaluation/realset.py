"""The real-record evaluation set: records read off stored public pages, labelled by reading.

evaluation/records/*.jsonl hold one record per line in the shape FORMAT.md gives,
with the page address each text came from.  They are turned into the same
`Paper` / `Trial` objects the parsers produce, so the classifier and the sentence
layer see them exactly as they would see a record from PubMed or the registry.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from litwatch.records import AbstractSection, ArmGroup, Intervention, Paper, Record, Trial

RECORDS_DIR = Path(__file__).resolve().parent / "records"


@dataclass
class EvalRecord:
    record: Record
    gold: dict[str, Any]
    source_url: str
    file: str
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def source(self) -> str:
        return self.record.source


def load_eval_set(folder: Path = RECORDS_DIR) -> list[EvalRecord]:
    """Every labelled record, deduplicated by PMID / NCT id / title (first one wins)."""
    out: list[EvalRecord] = []
    seen: set[str] = set()
    for path in sorted(folder.glob("*.jsonl")):
        for line_no, data in _lines(path):
            record = to_record(data)
            key = f"{record.source}:{record.source_id}"
            title_key = record.title.lower().strip()
            if key in seen or (title_key and title_key in seen):
                continue
            seen.update({key, title_key} - {""})
            out.append(EvalRecord(record, data["gold"], data.get("source_url", ""),
                                  f"{path.name}:{line_no}", data))
    return out


def _lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
        if line.strip():
            yield number, json.loads(line)


def to_record(data: dict[str, Any]) -> Record:
    return _paper(data) if data["kind"] == "paper" else _trial(data)


def _paper(d: dict[str, Any]) -> Paper:
    # Records without a PMID on their page get a stable id from their title or DOI.
    ident = d.get("pmid") or "eval-" + hashlib.sha1(
        (d.get("doi") or d.get("title") or json.dumps(d["abstract"])).encode()).hexdigest()[:10]
    sections = [AbstractSection(label=(s.get("label") or None) and s["label"].upper(),
                                category=None, text=s["text"]) for s in d.get("abstract", [])]
    return Paper(pmid=str(ident), title=d.get("title") or "", abstract_sections=sections,
                 authors=list(d.get("authors") or []), journal=d.get("journal") or "",
                 pub_year=d.get("year"), doi=d.get("doi"),
                 publication_types=list(d.get("publication_types") or []))


def _trial(d: dict[str, Any]) -> Trial:
    interventions = [Intervention(type=i.get("type") or "", name=i.get("name") or "",
                                  description=i.get("description") or "",
                                  other_names=list(i.get("other_names") or []))
                     for i in d.get("interventions") or []]
    arms = [ArmGroup(label=a.get("label") or "", type=a.get("type") or "",
                     description=a.get("description") or "",
                     intervention_names=list(a.get("interventions") or []))
            for a in d.get("arm_groups") or []]
    trial = Trial(nct_id=d["nct"], brief_title=d.get("brief_title") or "",
                  official_title=d.get("official_title") or "",
                  overall_status=d.get("status") or "", why_stopped=d.get("why_stopped") or "",
                  phases=list(d.get("phase") or []), study_type=d.get("study_type") or "",
                  allocation=d.get("allocation") or "", masking=d.get("masking") or "",
                  enrollment=d.get("enrollment"), conditions=list(d.get("conditions") or []),
                  keywords=list(d.get("keywords") or []), interventions=interventions,
                  arm_groups=arms, brief_summary=d.get("brief_summary") or "",
                  primary_outcomes=list(d.get("primary_outcomes") or []),
                  sponsor=d.get("sponsor") or "")
    if hasattr(trial, "detailed_description"):
        trial.detailed_description = d.get("detailed_description") or ""
    return trial
