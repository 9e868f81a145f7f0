"""Parsed records: what the sources yield and everything downstream consumes.

Plain dataclasses, independent of the database and of the API formats, so the
classifier, the linker and the digest can be tested on hand-built values.
Dates are ISO strings (`YYYY`, `YYYY-MM` or `YYYY-MM-DD`) because the sources
give partial dates and a fake day would be a lie.
"""

from __future__ import annotations

from dataclasses import dataclass, field, is_dataclass
from typing import Any


def plain_dict(obj: Any) -> dict[str, Any]:
    """A record as JSON-ready dict.  dataclasses.asdict deep-copies every value and was
    the slowest step of ingest; our records nest one level, so a shallow walk suffices."""
    out = dict(obj.__dict__)
    for key, value in out.items():
        if isinstance(value, list) and value and is_dataclass(value[0]):
            out[key] = [dict(v.__dict__) for v in value]
    return out


@dataclass
class AbstractSection:
    label: str | None
    category: str | None
    text: str


@dataclass
class Reference:
    """A CommentsCorrections entry (PubMed) or a referencesModule entry (trial)."""

    kind: str            # RetractionIn, ErratumIn, CommentIn ... / RESULT, BACKGROUND, DERIVED
    pmid: str | None
    citation: str = ""


@dataclass
class Paper:
    pmid: str
    title: str
    abstract_sections: list[AbstractSection] = field(default_factory=list)
    authors: list[str] = field(default_factory=list)
    journal: str = ""
    journal_abbrev: str = ""
    pub_year: int | None = None
    pub_date: str = ""                 # as printed: "2019 Jun", "1978 Jul-Sep", "1990 Spring"
    entrez_date: str | None = None     # EDAT, the date PubMed received the record
    modified_date: str | None = None   # DateRevised, our stand-in for MDAT
    doi: str | None = None
    publication_types: list[str] = field(default_factory=list)
    mesh: list[str] = field(default_factory=list)
    mesh_major: list[str] = field(default_factory=list)
    chemicals: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    status: str = ""                   # MEDLINE, PubMed-not-MEDLINE, In-Data-Review, Publisher
    languages: list[str] = field(default_factory=list)
    vernacular_title: str = ""
    nct_ids: list[str] = field(default_factory=list)        # DataBankList ClinicalTrials.gov
    comments_corrections: list[Reference] = field(default_factory=list)
    is_book: bool = False

    source = "pubmed"

    @property
    def source_id(self) -> str:
        return self.pmid

    @property
    def abstract(self) -> str:
        """Abstract as text, section labels kept ("METHODS: ...")."""
        parts = []
        for s in self.abstract_sections:
            parts.append(f"{s.label}: {s.text}" if s.label else s.text)
        return "\n".join(parts)

    @property
    def indexed(self) -> bool:
        """True once NLM indexers assigned MeSH and publication types."""
        return self.status == "MEDLINE" or bool(self.mesh)

    def to_dict(self) -> dict[str, Any]:
        return plain_dict(self)


@dataclass
class Intervention:
    type: str
    name: str
    description: str = ""
    other_names: list[str] = field(default_factory=list)
    arm_labels: list[str] = field(default_factory=list)


@dataclass
class ArmGroup:
    label: str
    type: str = ""
    description: str = ""
    intervention_names: list[str] = field(default_factory=list)


@dataclass
class Trial:
    nct_id: str
    brief_title: str
    official_title: str = ""
    acronym: str = ""
    overall_status: str = ""
    why_stopped: str = ""
    last_known_status: str = ""
    phases: list[str] = field(default_factory=list)
    study_type: str = ""
    allocation: str = ""
    masking: str = ""
    intervention_model: str = ""
    primary_purpose: str = ""
    enrollment: int | None = None
    enrollment_type: str = ""
    conditions: list[str] = field(default_factory=list)
    condition_mesh: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    interventions: list[Intervention] = field(default_factory=list)
    arm_groups: list[ArmGroup] = field(default_factory=list)
    brief_summary: str = ""
    detailed_description: str = ""
    primary_outcomes: list[str] = field(default_factory=list)
    start_date: str | None = None
    primary_completion_date: str | None = None
    completion_date: str | None = None
    first_post_date: str | None = None
    last_update_post_date: str | None = None
    results_first_post_date: str | None = None
    has_results: bool = False
    sponsor: str = ""
    collaborators: list[str] = field(default_factory=list)
    references: list[Reference] = field(default_factory=list)
    version_holder: str | None = None

    source = "ctgov"

    @property
    def source_id(self) -> str:
        return self.nct_id

    @property
    def title(self) -> str:
        return self.brief_title or self.official_title

    def to_dict(self) -> dict[str, Any]:
        return plain_dict(self)


@dataclass
class FeedItem:
    guid: str
    title: str
    link: str = ""
    summary: str = ""
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    pmid: str | None = None
    doi: str | None = None
    feed_name: str = ""
    feed_title: str = ""

    source = "feed"

    @property
    def source_id(self) -> str:
        return self.guid

    def to_dict(self) -> dict[str, Any]:
        return plain_dict(self)


Record = Paper | Trial | FeedItem


def paper_from_dict(d: dict[str, Any]) -> Paper:
    d = dict(d)
    d["abstract_sections"] = [AbstractSection(**s) for s in d.get("abstract_sections", [])]
    d["comments_corrections"] = [Reference(**r) for r in d.get("comments_corrections", [])]
    return Paper(**d)


def trial_from_dict(d: dict[str, Any]) -> Trial:
    d = dict(d)
    d["interventions"] = [Intervention(**i) for i in d.get("interventions", [])]
    d["arm_groups"] = [ArmGroup(**a) for a in d.get("arm_groups", [])]
    d["references"] = [Reference(**r) for r in d.get("references", [])]
    return Trial(**d)


def record_from_dict(source: str, d: dict[str, Any]) -> Record:
    if source == "pubmed":
        return paper_from_dict(d)
    if source == "ctgov":
        return trial_from_dict(d)
    return FeedItem(**d)
