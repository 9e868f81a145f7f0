"""Load the corpus folder once: PubMed records, ClinicalTrials.gov studies, feeds.

Every record keeps all its versions (raw bytes plus a small search index) so the
simulated clock can decide per request which version, if any, is visible.
Raw PubMed XML is zlib-compressed in memory: 50,000 real records with reference
lists weigh about 1 GB as text and a fifth of that compressed.
Dates are ints (yyyymmdd) because the matcher compares millions of them.
"""

from __future__ import annotations

import json
import logging
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lxml import etree

from testkit.emulator.dates import day_of
from testkit.emulator.feeds import Feed
from testkit.emulator.pubmed_index import PaperVersion, index_pubmed_file

log = logging.getLogger(__name__)

_FILE = re.compile(r"^(?P<id>[^.]+)(?:\.v(?P<ver>\d+))?\.(?P<ext>xml|json)$")


@dataclass(slots=True)
class PaperEntry:
    pmid: str
    edat: int
    versions: list[PaperVersion]   # ordered by version number

    def current(self, today: int) -> PaperVersion | None:
        """The version visible on `today`: the latest already modified, else the oldest."""
        if self.edat > today:
            return None
        best = None
        for version in self.versions:
            if version.mdat <= today:
                best = version
        return best or self.versions[0]


@dataclass(slots=True)
class StudyVersion:
    first_post: int
    last_update: int
    raw: bytes          # compact JSON of the study object
    status: str         # overallStatus, for filter.overallStatus
    intr: str           # lower-cased search texts, see _study_texts
    cond: str
    term: str


@dataclass(slots=True)
class StudyEntry:
    nct: str
    first_post: int
    versions: list[StudyVersion]

    def current(self, today: int) -> StudyVersion | None:
        if self.first_post > today:
            return None
        best = None
        for version in self.versions:
            if version.last_update <= today:
                best = version
        return best or self.versions[0]


class Corpus:
    """Everything the emulator serves, indexed by id; immutable after load."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.papers: dict[str, PaperEntry] = {}
        self.studies: dict[str, StudyEntry] = {}      # insertion order = corpus order
        self.feeds: dict[str, Feed] = {}
        self.problems: list[str] = []
        self._load_pubmed(self.root / "pubmed")
        self._load_ctgov(self.root / "ctgov")
        for path in _files(self.root / "feeds"):
            if path.suffix in (".xml", ".rss", ".atom"):
                self.feeds[path.name] = Feed(path)
        # Newest PMID first is what esearch answers (sort is ignored).
        self.pmids_desc = sorted(self.papers, key=lambda p: (len(p), p), reverse=True)

    def _load_pubmed(self, folder: Path) -> None:
        found: dict[str, list[tuple[int, int, PaperVersion]]] = {}
        for path in _files(folder):
            match = _FILE.match(path.name)
            if not match or match["ext"] != "xml":
                continue
            try:
                records = index_pubmed_file(path.read_bytes())
            except (etree.XMLSyntaxError, ValueError) as exc:
                self._problem(path, exc)
                continue
            for pmid, edat, version in records:
                found.setdefault(pmid, []).append((int(match["ver"] or 1), edat, version))
        for pmid, items in found.items():
            items.sort(key=lambda item: item[0])
            edat = items[0][1]
            for _, _, version in items:
                version.mdat = max(version.mdat, edat)   # MDAT is never before EDAT
            self.papers[pmid] = PaperEntry(pmid, edat, [v for _, _, v in items])

    def _load_ctgov(self, folder: Path) -> None:
        found: dict[str, list[tuple[int, StudyVersion]]] = {}
        for path in _files(folder):
            match = _FILE.match(path.name)
            if not match or match["ext"] != "json":
                continue
            try:
                data = json.loads(path.read_bytes())
                studies = data["studies"] if isinstance(data, dict) and "studies" in data \
                    else [data]
                for study in studies:
                    nct, version = _index_study(study)
                    found.setdefault(nct, []).append((int(match["ver"] or 1), version))
            except (ValueError, KeyError, TypeError, AttributeError) as exc:
                self._problem(path, exc)
        for nct, items in found.items():
            items.sort(key=lambda item: item[0])
            self.studies[nct] = StudyEntry(nct, items[0][1].first_post, [v for _, v in items])

    def _problem(self, path: Path, exc: Exception) -> None:
        # One bad file must not take the demo down, but it must not pass silently.
        self.problems.append(f"{path}: {exc}")
        log.warning("corpus: skipped %s: %s", path, exc)


def _files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(Path(e.path) for e in os.scandir(folder) if e.is_file())


def _index_study(study: dict[str, Any]) -> tuple[str, StudyVersion]:
    proto = study["protocolSection"]
    nct = proto["identificationModule"]["nctId"]
    status = proto.get("statusModule") or {}
    first = day_of((status.get("studyFirstPostDateStruct") or {}).get("date")) or 0
    updated = day_of((status.get("lastUpdatePostDateStruct") or {}).get("date")) or first
    intr, cond, term = _study_texts(study)
    raw = json.dumps(study, separators=(",", ":"), ensure_ascii=False).encode()
    return nct, StudyVersion(first, max(first, updated), raw, status.get("overallStatus", ""),
                             intr, cond, term)


def _study_texts(study: dict[str, Any]) -> tuple[str, str, str]:
    """What query.intr, query.cond and query.term search, as the registry documents."""
    proto = study.get("protocolSection") or {}
    derived = study.get("derivedSection") or {}
    arms = proto.get("armsInterventionsModule") or {}
    intr: list[str] = []
    for item in arms.get("interventions", []):
        intr += [item.get("name", ""), item.get("description", ""), *item.get("otherNames", [])]
    for arm in arms.get("armGroups", []):
        intr += [arm.get("label", ""), arm.get("description", "")]
    intr += [m.get("term", "") for m in
             (derived.get("interventionBrowseModule") or {}).get("meshes", [])]
    conditions = proto.get("conditionsModule") or {}
    ident = proto.get("identificationModule") or {}
    cond = [*conditions.get("conditions", []), *conditions.get("keywords", []),
            ident.get("briefTitle", ""), ident.get("officialTitle", "")]
    cond += [m.get("term", "") for m in
             (derived.get("conditionBrowseModule") or {}).get("meshes", [])]
    term = list(_strings(proto)) + list(_strings(derived))
    return (" | ".join(intr).lower(), " | ".join(cond).lower(), " | ".join(term).lower())


def _strings(node: Any):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)

