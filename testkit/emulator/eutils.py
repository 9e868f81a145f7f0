"""esearch.fcgi and efetch.fcgi over the corpus, in the shapes NCBI sends today.

Errors come as HTTP 200 with an <ERROR> element, as NCBI does, so clients learn
to treat them as failures rather than as "0 results".
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable
from xml.sax.saxutils import escape

from testkit.emulator.corpus import Corpus
from testkit.emulator.dates import OPEN_END, day_of, minus_days
from testkit.emulator.query import Bool, DateRange, Node, QueryError, parse_term
from testkit.emulator.wire import Request, Response

ESEARCH_HEAD = (b'<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eSearchResult PUBLIC '
                b'"-//NLM//DTD esearch 20060628//EN" '
                b'"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20060628/esearch.dtd">\n')
EFETCH_HEAD = (b'<?xml version="1.0" ?>\n<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD '
               b'PubMedArticle, 1st January 2025//EN" '
               b'"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">\n')
EFETCH_ERROR_HEAD = (b'<?xml version="1.0" encoding="UTF-8" ?>\n<!DOCTYPE eEfetchResult PUBLIC '
                     b'"-//NLM//DTD efetch 20131226//EN" '
                     b'"https://eutils.ncbi.nlm.nih.gov/eutils/dtd/20131226/efetch.dtd">\n')
MAX_RETMAX = 10_000          # PubMed's cap per esearch request
MAX_RETSTART = 9_998         # ... and how deep esearch paging may go
BACKEND_FAILED = "Search Backend failed: Exception:\n'Connection reset by peer'"


def esearch_error(message: str) -> Response:
    body = f"<eSearchResult><ERROR>{escape(message)}</ERROR></eSearchResult>\n"
    return Response(200, ESEARCH_HEAD + body.encode())


def efetch_error(message: str) -> Response:
    body = f"<eFetchResult>\n\t<ERROR>{escape(message)}</ERROR>\n</eFetchResult>\n"
    return Response(200, EFETCH_ERROR_HEAD + body.encode())


class History:
    """The history server: WebEnv -> result sets, query_key = 1-based position."""

    def __init__(self) -> None:
        self._sets: dict[str, list[list[str]]] = {}
        self._lock = threading.Lock()

    def store(self, webenv: str | None, ids: list[str]) -> tuple[str, int]:
        with self._lock:
            if not webenv or webenv not in self._sets:
                webenv = "MCID_" + secrets.token_hex(12)
                self._sets[webenv] = []
            self._sets[webenv].append(ids)
            return webenv, len(self._sets[webenv])

    def get(self, webenv: str | None, key: str | None) -> list[str] | None:
        with self._lock:
            sets = self._sets.get(webenv or "")
            if sets is None or not (key or "").strip().isdigit():
                return None
            index = int(key) - 1
            return sets[index] if 0 <= index < len(sets) else None


class Eutils:
    def __init__(self, corpus: Corpus, today: Callable[[], int]):
        self.corpus, self.today, self.history = corpus, today, History()

    def esearch(self, request: Request) -> Response:
        p = request.params
        if p.get("db", "pubmed").lower() != "pubmed":
            return esearch_error(f"Invalid db name specified: {p.get('db')}")
        term, webenv, key = p.get("term", "").strip(), p.get("WebEnv"), p.get("query_key")
        if not term and not key:
            return esearch_error("Empty term and query_key - nothing todo")
        try:
            retstart, retmax = _int(p, "retstart", 0), min(_int(p, "retmax", 20), MAX_RETMAX)
            node = self._query(term, webenv, key, p)
        except QueryError as exc:
            return esearch_error(str(exc))
        if retstart > MAX_RETSTART:
            return esearch_error(
                "Search Backend failed: Exception:\n'retstart' cannot be larger than 9998. "
                "For PubMed, ESearch can only retrieve the first 9,999 records matching the query.")
        ids = self.search(node)
        page = ids[retstart:retstart + retmax]
        parts = [f"<eSearchResult><Count>{len(ids)}</Count><RetMax>{len(page)}</RetMax>"
                 f"<RetStart>{retstart}</RetStart>"]
        if p.get("usehistory", "").lower() == "y":
            webenv, query_key = self.history.store(webenv, ids)
            parts.append(f"<QueryKey>{query_key}</QueryKey><WebEnv>{webenv}</WebEnv>")
        parts.append("<IdList>\n" + "".join(f"<Id>{i}</Id>\n" for i in page) + "</IdList>"
                     if page else "<IdList/>")
        parts.append(f"<TranslationSet/><QueryTranslation>{escape(node.render())}"
                     "</QueryTranslation>")
        if not ids:
            parts.append("<WarningList><OutputMessage>No items found.</OutputMessage>"
                         "</WarningList>")
        return Response(200, ESEARCH_HEAD + ("".join(parts) + "</eSearchResult>\n").encode())

    def _query(self, term: str, webenv: str | None, key: str | None,
               p: dict[str, str]) -> Node:
        def resolve(ref: str) -> frozenset[str] | None:
            found = self.history.get(webenv, ref)
            return None if found is None else frozenset(found)

        node = parse_term(f"#{key} AND ({term})" if key and term else term or f"#{key}",
                          resolve)
        window = _date_window(p, self.today())
        return node if window is None else Bool("AND", window, node)

    def search(self, node: Node) -> list[str]:
        """Visible PMIDs matching `node`, newest PMID first."""
        today, papers, out = self.today(), self.corpus.papers, []
        for pmid in self.corpus.pmids_desc:
            entry = papers[pmid]
            version = entry.current(today)
            if version is not None and node.match(pmid, entry.edat, version):
                out.append(pmid)
        return out

    def efetch(self, request: Request) -> Response:
        p = request.params
        if p.get("db", "pubmed").lower() != "pubmed":
            return efetch_error(f"Invalid db name specified: {p.get('db')}")
        if p.get("id", "").strip():
            ids = [i for i in re.split(r"[\s,]+", p["id"]) if i]
        elif p.get("query_key") or p.get("WebEnv"):
            found = self.history.get(p.get("WebEnv"), p.get("query_key"))
            if found is None:
                return efetch_error(f"Cannot retrieve history data. query_key: "
                                    f"{p.get('query_key')}, WebEnv: {p.get('WebEnv')}")
            try:
                start, count = _int(p, "retstart", 0), _int(p, "retmax", 20)
            except QueryError as exc:
                return efetch_error(str(exc))
            ids = found[start:start + count]
        else:
            return efetch_error("Empty id list - nothing todo")
        today, records, seen = self.today(), [], set()
        for pmid in ids:
            entry = self.corpus.papers.get(pmid)
            version = entry.current(today) if entry and pmid not in seen else None
            if version is not None:     # unknown or not yet visible: skipped, as NCBI does
                records.append(version.raw)
                seen.add(pmid)
        body = EFETCH_HEAD + b"<PubmedArticleSet>\n" + b"".join(records) + b"</PubmedArticleSet>"
        return Response(200, body)


def _int(p: dict[str, str], name: str, default: int) -> int:
    value = p.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit():
        raise QueryError(f"Invalid {name}: {value!r}")
    return int(value)


def _date_window(p: dict[str, str], today: int) -> Node | None:
    """datetype + mindate/maxdate (or reldate) as a date node, None when absent."""
    tag = {"edat": "edat", "mdat": "mdat", "pdat": "pdat", "crdt": "crdt"}.get(
        p.get("datetype", "pdat").lower())
    if tag is None:
        raise QueryError(f"Invalid datetype: {p.get('datetype')}")
    if p.get("reldate", "").strip().isdigit():
        return DateRange(tag, minus_days(today, int(p["reldate"])), OPEN_END)
    mindate, maxdate = p.get("mindate", "").strip(), p.get("maxdate", "").strip()
    if not mindate and not maxdate:
        return None
    low = day_of(mindate) if mindate else 0
    high = day_of(maxdate, high=True) if maxdate else OPEN_END
    if low is None or high is None:
        raise QueryError(f"Invalid date range: {mindate} - {maxdate}")
    return DateRange(tag, low, high)


NCBI_ERRORS: dict[str, Callable[[str], Response]] = {"esearch": esearch_error,
                                                     "efetch": efetch_error}
