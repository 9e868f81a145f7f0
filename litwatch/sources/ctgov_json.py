"""Parse ClinicalTrials.gov API v2 JSON (study objects and /studies pages).

Real records lack whole modules (old registrations), carry partial dates
("2006-11"), Markdown-escaped text ("\\>= 18") and no route field at all; the
parser tolerates all of it and keeps text close to what the registry shows.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from litwatch.errors import BadPayload
from litwatch.records import ArmGroup, Intervention, Reference, Trial

_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!<>|~=])")
_NCT = re.compile(r"^NCT\d{8}$")


@dataclass
class StudiesPage:
    studies: list[dict[str, Any]] = field(default_factory=list)
    next_page_token: str | None = None
    total_count: int | None = None


def load_json(body: bytes, what: str) -> Any:
    try:
        return json.loads(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise BadPayload(f"{what}: malformed JSON ({exc})") from None


def parse_studies_page(body: bytes) -> StudiesPage:
    data = load_json(body, "ctgov studies")
    if not isinstance(data, dict) or not isinstance(data.get("studies"), list):
        raise BadPayload("ctgov studies: no 'studies' list in the response")
    token = data.get("nextPageToken")
    return StudiesPage(studies=data["studies"], next_page_token=token or None,
                       total_count=data.get("totalCount"))


def unescape(text: str | None) -> str:
    """Undo the registry's Markdown escaping (`\\>=` -> `>=`)."""
    if not text:
        return ""
    return _MD_ESCAPE.sub(r"\1", text).replace("&Amp;", "&").strip()


def _date(struct: dict[str, Any] | None) -> str | None:
    return struct.get("date") if isinstance(struct, dict) else None


def parse_study(study: dict[str, Any]) -> Trial:
    """One study object (as GET /api/v2/studies/{id} returns, or an item of a page)."""
    if not isinstance(study, dict):
        raise BadPayload("ctgov: study is not a JSON object")
    proto = study.get("protocolSection") or {}
    ident = proto.get("identificationModule") or {}
    nct = ident.get("nctId", "")
    if not _NCT.match(nct):
        raise BadPayload(f"ctgov: study without a valid nctId ({nct!r})")
    status = proto.get("statusModule") or {}
    design = proto.get("designModule") or {}
    info = design.get("designInfo") or {}
    enrollment = design.get("enrollmentInfo") or {}
    sponsors = proto.get("sponsorCollaboratorsModule") or {}
    derived = study.get("derivedSection") or {}
    return Trial(
        nct_id=nct,
        brief_title=unescape(ident.get("briefTitle")),
        official_title=unescape(ident.get("officialTitle")),
        acronym=ident.get("acronym", ""),
        overall_status=status.get("overallStatus", ""),
        why_stopped=unescape(status.get("whyStopped")),
        last_known_status=status.get("lastKnownStatus", ""),
        phases=list(design.get("phases") or []),
        study_type=design.get("studyType", ""),
        allocation=info.get("allocation", ""),
        masking=(info.get("maskingInfo") or {}).get("masking", ""),
        intervention_model=info.get("interventionModel", ""),
        primary_purpose=info.get("primaryPurpose", ""),
        enrollment=enrollment.get("count"),
        enrollment_type=enrollment.get("type", ""),
        conditions=[unescape(c) for c in (proto.get("conditionsModule") or {}).get(
            "conditions", [])],
        condition_mesh=[m.get("term", "") for m in (derived.get("conditionBrowseModule") or {})
                        .get("meshes", [])],
        keywords=list((proto.get("conditionsModule") or {}).get("keywords", [])),
        interventions=_interventions(proto.get("armsInterventionsModule") or {}),
        arm_groups=_arm_groups(proto.get("armsInterventionsModule") or {}),
        brief_summary=unescape((proto.get("descriptionModule") or {}).get("briefSummary")),
        detailed_description=unescape((proto.get("descriptionModule") or {})
                                      .get("detailedDescription")),
        primary_outcomes=[unescape(o.get("measure")) for o in
                          (proto.get("outcomesModule") or {}).get("primaryOutcomes", [])],
        start_date=_date(status.get("startDateStruct")),
        primary_completion_date=_date(status.get("primaryCompletionDateStruct")),
        completion_date=_date(status.get("completionDateStruct")),
        first_post_date=_date(status.get("studyFirstPostDateStruct")),
        last_update_post_date=_date(status.get("lastUpdatePostDateStruct")),
        results_first_post_date=_date(status.get("resultsFirstPostDateStruct")),
        has_results=bool(study.get("hasResults")),
        sponsor=(sponsors.get("leadSponsor") or {}).get("name", ""),
        collaborators=[c.get("name", "") for c in sponsors.get("collaborators", [])],
        references=[Reference(kind=r.get("type", ""), pmid=r.get("pmid") or None,
                              citation=unescape(r.get("citation")))
                    for r in (proto.get("referencesModule") or {}).get("references", [])],
        version_holder=(derived.get("miscInfoModule") or {}).get("versionHolder"),
    )


def _interventions(module: dict[str, Any]) -> list[Intervention]:
    return [Intervention(type=i.get("type", ""), name=unescape(i.get("name")),
                         description=unescape(i.get("description")),
                         other_names=[unescape(n) for n in i.get("otherNames", [])],
                         arm_labels=list(i.get("armGroupLabels", [])))
            for i in module.get("interventions", [])]


def _arm_groups(module: dict[str, Any]) -> list[ArmGroup]:
    return [ArmGroup(label=unescape(a.get("label")), type=a.get("type", ""),
                     description=unescape(a.get("description")),
                     intervention_names=list(a.get("interventionNames", [])))
            for a in module.get("armGroups", [])]


def studies_in_file(data: Any) -> list[dict[str, Any]]:
    """Study objects in a saved response: a single study or a /studies page."""
    if isinstance(data, dict) and isinstance(data.get("studies"), list):
        return data["studies"]
    return [data]
