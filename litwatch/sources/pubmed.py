"""PubMed through E-utilities: esearch for ids, efetch (POST, batched) for records.

Knows nothing of the database.  Bio.Entrez is not used for transport because
it hard-codes NCBI's URLs and its own sleeping; our HttpClient does rate limits
and retries for every source, and lxml parses (see pubmed_xml).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from litwatch.config.loader import PubmedSettings
from litwatch.errors import SourceError
from litwatch.http import HttpClient, Reply
from litwatch.sources.pubmed_xml import (
    EfetchResult,
    SearchResult,
    efetch_root,
    parse_efetch,
    parse_esearch,
)

SOURCE = "pubmed"
PUBMED_MAX_RESULTS = 10000     # esearch will not page past this many ids
EARLIEST = date(1960, 1, 1)    # ketamine was first synthesised in 1962


def drug_clause(terms: Iterable[str]) -> str:
    """PubMed syntax for "mentions any drug term" (title/abstract or the MeSH heading)."""
    parts = [f'"{t}"[tiab]' for t in terms]
    parts.append('"Ketamine"[mh]')
    return "(" + " OR ".join(parts) + ")"


def window_clause(start: date) -> str:
    """Entered OR modified since `start`: new records and records that gained indexing."""
    day = start.strftime("%Y/%m/%d")
    return f'(("{day}"[EDAT] : "3000"[EDAT]) OR ("{day}"[MDAT] : "3000"[MDAT]))'


def build_term(drug_terms: Iterable[str], indication_terms: str, since: date | None) -> str:
    term = f"{drug_clause(drug_terms)} AND ({indication_terms})"
    return f"{term} AND {window_clause(since)}" if since else term


class PubmedClient:
    def __init__(self, http: HttpClient, settings: PubmedSettings,
                 max_results: int = PUBMED_MAX_RESULTS):
        self.http, self.settings = http, settings
        self.max_results = max_results
        http.set_rate(SOURCE, settings.rate_limit)

    def _params(self, **extra: object) -> dict[str, object]:
        params: dict[str, object] = {"db": "pubmed", "tool": self.settings.tool}
        if self.settings.email:
            params["email"] = self.settings.email
        if self.settings.api_key:
            params["api_key"] = self.settings.api_key
        params.update(extra)
        return params

    def esearch(self, term: str, retstart: int = 0) -> SearchResult:
        return self.http.fetch(
            "POST", self.settings.base_url + "esearch.fcgi", source=SOURCE,
            data=self._params(term=term, retstart=retstart, retmax=self.settings.retmax),
            parse=lambda r: parse_esearch(r.body))

    def search_ids(self, term: str, today: date | None = None) -> list[str]:
        """Every id the term matches.  PubMed returns at most 10,000 ids per search, so a
        larger result is read in Entrez-date windows, newest first (see _windows)."""
        first = self.esearch(term)
        if first.count <= self.max_results:
            return self._page(term, first)
        return self._windows(term, first.count, today or date.today())

    def _windows(self, term: str, total: int, today: date) -> list[str]:
        """Walk back from today in Entrez-date windows sized from the density seen so
        far (aiming at 80% of the cap), so a big backfill costs about total/8,000
        searches instead of a bisection's many probes.  Stops once every id is read."""
        target = self.max_results * 0.8
        hi = today + timedelta(days=1)          # EDAT is US Eastern; allow for the offset
        # First guess: everything within the last year.  Too small a window only costs
        # a cheap under-filled search; too large a one is a wasted search.
        density = total / 365
        ids: list[str] = []
        found = 0
        while found < total and hi >= EARLIEST:
            span = max(1, min(int(target / max(density, 1e-9)), (hi - EARLIEST).days + 1))
            lo = hi - timedelta(days=span - 1)
            sliced = f'{term} AND ("{lo:%Y/%m/%d}"[EDAT] : "{hi:%Y/%m/%d}"[EDAT])'
            page = self.esearch(sliced)
            days = (hi - lo).days + 1
            if page.count > self.max_results:
                if days == 1:
                    raise SourceError(f"pubmed: {page.count} records entered on {lo} exceed "
                                      f"what esearch can return ({self.max_results})")
                density = page.count / days
                continue
            ids.extend(self._page(sliced, page))
            found += page.count
            density = max(page.count, 1) / days
            hi = lo - timedelta(days=1)
        if found < total:
            raise SourceError(f"pubmed: read {found} of {total} ids in Entrez-date windows")
        return list(dict.fromkeys(ids))

    def _page(self, term: str, first: SearchResult) -> list[str]:
        ids = list(first.ids)
        while len(ids) < first.count:
            page = self.esearch(term, retstart=len(ids))
            if not page.ids:
                raise SourceError(f"pubmed: esearch returned {len(ids)} of {first.count} ids")
            ids.extend(page.ids)
        return list(dict.fromkeys(ids))

    def efetch(self, ids: list[str]) -> EfetchResult:
        def parse(reply: Reply) -> EfetchResult:
            return parse_efetch(reply.body)
        return self.http.fetch(
            "POST", self.settings.base_url + "efetch.fcgi", source=SOURCE,
            data=self._params(id=",".join(ids), retmode="xml"), parse=parse)

    def efetch_body(self, ids: list[str]) -> bytes:
        """The efetch reply for `ids`, checked to be a whole PubmedArticleSet (so a bad
        body is retried as in `efetch`) but not turned into records: the sync's worker
        processes parse it (litwatch.sync.workers)."""
        def check(reply: Reply) -> bytes:
            efetch_root(reply.body)
            return reply.body
        return self.http.fetch(
            "POST", self.settings.base_url + "efetch.fcgi", source=SOURCE,
            data=self._params(id=",".join(ids), retmode="xml"), parse=check)

    def efetch_batches(self, ids: list[str]) -> Iterator[tuple[list[str], EfetchResult]]:
        size = self.settings.batch_size
        for start in range(0, len(ids), size):
            batch = ids[start:start + size]
            yield batch, self.efetch(batch)
