"""Links between papers and trials, and correction flags, read off parsed records.

A paper names its registration in DataBankList or in its text; a trial lists
its papers in referencesModule (RESULT, BACKGROUND and DERIVED kept apart).
Retractions, errata and expressions of concern come from CommentsCorrections
and publication types.
"""

from __future__ import annotations

from dataclasses import dataclass

from litwatch.classify.regex_index import FoldedPattern
from litwatch.records import FeedItem, Paper, Record, Trial

# Gated on "nct": most texts name no registration, and the case-blind scan is slow.
_NCT_IN_TEXT = FoldedPattern(r"\bNCT\s?(\d{8})\b")

FLAG_REFTYPES = {
    "RetractionIn": "retracted",
    "ErratumIn": "erratum",
    "ExpressionOfConcernIn": "expression_of_concern",
}
FLAG_PUBTYPES = {
    "Retracted Publication": "retracted",
    "Expression of Concern": "expression_of_concern_notice",
    "Retraction of Publication": "retraction_notice",
    "Published Erratum": "erratum_notice",
}


@dataclass(frozen=True)
class LinkSpec:
    pmid: str
    nct_id: str
    kind: str        # databank | text | RESULT | BACKGROUND | DERIVED
    found_in: str    # pubmed | ctgov


@dataclass(frozen=True)
class FlagSpec:
    kind: str
    ref_pmid: str = ""
    evidence: str = ""


def nct_ids_in_text(text: str) -> list[str]:
    out: list[str] = []
    for digits in _NCT_IN_TEXT.findall(text or ""):
        nct = f"NCT{digits}"
        if nct not in out:
            out.append(nct)
    return out


def links_for(record: Record) -> list[LinkSpec]:
    if isinstance(record, Paper):
        links = [LinkSpec(record.pmid, nct, "databank", "pubmed") for nct in record.nct_ids]
        for nct in nct_ids_in_text(f"{record.title}\n{record.abstract}"):
            if nct not in record.nct_ids:
                links.append(LinkSpec(record.pmid, nct, "text", "pubmed"))
        return links
    if isinstance(record, Trial):
        return [LinkSpec(ref.pmid, record.nct_id, ref.kind or "REFERENCE", "ctgov")
                for ref in record.references if ref.pmid and ref.pmid.strip().isdigit()]
    return []


def flags_for(record: Record) -> list[FlagSpec]:
    if isinstance(record, FeedItem) or isinstance(record, Trial):
        return []
    flags = [FlagSpec(FLAG_REFTYPES[c.kind], c.pmid or "", f"CommentsCorrections {c.kind}")
             for c in record.comments_corrections if c.kind in FLAG_REFTYPES]
    for pt in record.publication_types:
        kind = FLAG_PUBTYPES.get(pt)
        if kind and not any(f.kind == kind for f in flags):
            flags.append(FlagSpec(kind, "", f"publication type {pt}"))
    return flags


def is_retracted(record: Record) -> bool:
    return any(f.kind == "retracted" for f in flags_for(record))
