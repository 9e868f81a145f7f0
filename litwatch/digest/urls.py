"""Where a record lives on the web: PubMed, ClinicalTrials.gov, DOI or its feed link.

Identifiers come from outside (feeds especially), so every URL is built from a
validated identifier or checked to be plain http(s): a `javascript:` link in a
hostile feed must never become a clickable link in the digest.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

from litwatch.records import FeedItem, Paper, Record, Trial

_PMID = re.compile(r"^\d{1,10}$")
_NCT = re.compile(r"^NCT\d{8}$")


def pubmed_url(pmid: str | None) -> str | None:
    return f"https://pubmed.ncbi.nlm.nih.gov/{pmid}/" if pmid and _PMID.match(pmid) else None


def ctgov_url(nct_id: str | None) -> str | None:
    return f"https://clinicaltrials.gov/study/{nct_id}" if nct_id and _NCT.match(nct_id) else None


def doi_url(doi: str | None) -> str | None:
    if not doi or not doi.startswith("10."):
        return None
    return "https://doi.org/" + quote(doi.strip(), safe="/:;()._-")


def web_url(url: str | None) -> str | None:
    """An http(s) URL as given, anything else (javascript:, data:, relative) dropped."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def record_url(record: Record) -> str | None:
    """PubMed for papers, the registry for trials, then DOI, then the feed's own link."""
    if isinstance(record, Paper):
        return pubmed_url(record.pmid) or doi_url(record.doi)
    if isinstance(record, Trial):
        return ctgov_url(record.nct_id)
    if isinstance(record, FeedItem):
        return pubmed_url(record.pmid) or doi_url(record.doi) or web_url(record.link)
    return None


def source_url(source: str, source_id: str) -> str | None:
    return pubmed_url(source_id) if source == "pubmed" else ctgov_url(source_id)
