"""Where a stored record lives on the web, from its identifiers: stdlib only.

Identifiers come from outside (feeds especially), so every URL is built from a
validated identifier or checked to be plain http(s): a `javascript:` link in a
hostile feed must never become a clickable link in the digest, an export or a
claims page.  No SQLAlchemy here: the fast search path (litwatch.search.fast)
prints links without loading the store's read API; litwatch.store.read
re-exports these for everything else.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote, urlsplit

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


def source_url(source: str, source_id: str) -> str | None:
    """The page of a PubMed or ClinicalTrials.gov id (links name no feed items)."""
    return pubmed_url(source_id) if source == "pubmed" else ctgov_url(source_id)


def record_url(source: str, source_id: str, data: str | Mapping[str, Any] | None = None
               ) -> str:
    """Where a stored record lives on the web, "" when nowhere safe is known.

    PubMed for papers, the registry for trials; a feed item links to PubMed when
    it names a PMID, else its DOI, else its own link.  `data` is the row's `data`
    column (JSON text) or that JSON already parsed.
    """
    fields = _fields(data)
    if source == "pubmed":
        url = pubmed_url(source_id) or doi_url(fields.get("doi"))
    elif source == "ctgov":
        url = ctgov_url(source_id)
    else:
        url = (pubmed_url(_text(fields.get("pmid"))) or doi_url(fields.get("doi"))
               or web_url(fields.get("link")))
    return url or ""


def _fields(data: str | Mapping[str, Any] | None) -> Mapping[str, Any]:
    if isinstance(data, Mapping):
        return data
    try:
        parsed = json.loads(data or "{}")
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


def _text(value: object) -> str | None:
    # A PMID may have been stored as a number by an older parser.
    return str(value) if value not in (None, "") else None
