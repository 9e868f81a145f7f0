"""ClinicalTrials.gov API v2: /studies pages for the drug interventions.

Follows nextPageToken to its absence (an empty page is not the end), repeats
every parameter but pageToken on later pages, sorts so that paging is stable,
and refuses a token that comes back twice instead of looping forever.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from litwatch.config.loader import CtgovSettings
from litwatch.errors import SourceError
from litwatch.http import HttpClient
from litwatch.sources.ctgov_json import StudiesPage, parse_studies_page

SOURCE = "ctgov"
MAX_PAGES = 10000


def or_terms(terms: Iterable[str]) -> str:
    """Essie OR-expression; multi-word and punctuated terms are quoted."""
    out = []
    for term in terms:
        term = term.strip()
        out.append(f'"{term}"' if any(not c.isalnum() for c in term) else term)
    return " OR ".join(out)


def study_params(drug_terms: Iterable[str], conditions: str, since: date | None,
                 page_size: int) -> dict[str, Any]:
    params: dict[str, Any] = {
        "format": "json",
        "query.intr": or_terms(drug_terms),
        "query.cond": conditions,
        "sort": "LastUpdatePostDate:asc",
        "pageSize": page_size,
        "countTotal": "true",
    }
    if since:
        params["filter.advanced"] = f"AREA[LastUpdatePostDate]RANGE[{since.isoformat()},MAX]"
    return params


class CtgovClient:
    def __init__(self, http: HttpClient, settings: CtgovSettings):
        self.http, self.settings = http, settings
        http.set_rate(SOURCE, settings.rate_limit)

    def pages(self, params: dict[str, Any]) -> Iterator[StudiesPage]:
        seen_tokens: set[str] = set()
        token: str | None = None
        for _ in range(MAX_PAGES):
            query = dict(params, pageToken=token) if token else params
            page = self.http.fetch("GET", self.settings.base_url + "studies", source=SOURCE,
                                   params=query, parse=lambda r: parse_studies_page(r.body))
            yield page
            token = page.next_page_token
            if not token:
                return
            if token in seen_tokens:
                raise SourceError(f"ctgov: page token {token!r} repeated; stopping to avoid a loop")
            seen_tokens.add(token)
        raise SourceError(f"ctgov: more than {MAX_PAGES} pages")
