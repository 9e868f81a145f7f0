"""Parse E-utilities responses: the efetch PubmedArticleSet and the esearch eSearchResult.

This module reads the envelope: untrusted bytes to a safe lxml tree, NCBI's error
bodies (sent as HTTP 200), the esearch counts and ids, and the efetch set's
records and DeleteCitation lists.  Each record element is handed to
litwatch.sources.pubmed_article.  Entity declarations are refused: efetch never
sends them, attackers do.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from lxml import etree

from litwatch.errors import BadPayload
from litwatch.records import Paper
from litwatch.sources.pubmed_article import parse_article, parse_book, text_of

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, remove_comments=True)
_NCBI_ERRORS = (b"Search Backend failed", b"Database is not supported",
                b"Unable to obtain query", b"API rate limit exceeded")


@dataclass
class EfetchResult:
    papers: list[Paper] = field(default_factory=list)
    raw: dict[str, bytes] = field(default_factory=dict)   # PMID -> the record's XML
    deleted: list[str] = field(default_factory=list)      # DeleteCitation PMIDs


@dataclass
class SearchResult:
    count: int
    ids: list[str]
    retstart: int = 0
    retmax: int = 0
    webenv: str | None = None
    query_key: str | None = None


def declares_entities(body: bytes) -> bool:
    """True when the document declares entities (in UTF-8 or UTF-16 byte order)."""
    return any(marker in body for marker in _ENTITY_MARKERS)


_ENTITY_MARKERS = tuple("<!ENTITY".encode(codec) for codec in ("utf-8", "utf-16-le",
                                                                "utf-16-be"))


def parse_xml(body: bytes, what: str) -> etree._Element:
    """Parse untrusted XML safely; raise BadPayload with a reason when it is not XML."""
    if declares_entities(body):
        raise BadPayload(f"{what}: XML entity declarations are refused")
    try:
        root = etree.fromstring(body, _PARSER)
    except etree.XMLSyntaxError as exc:
        raise BadPayload(f"{what}: malformed XML ({exc})") from None
    if root is None:
        raise BadPayload(f"{what}: empty body")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise BadPayload(f"{what}: XML entity declarations are refused")
    return root


def check_ncbi_error(root: etree._Element, body: bytes, what: str) -> None:
    """NCBI reports many failures as HTTP 200 with an error body."""
    error = root.find("ERROR") if root.tag != "ERROR" else root
    if error is not None:
        raise BadPayload(f"{what}: NCBI error: {text_of(error)[:200]}")
    if any(marker in body[:4096] for marker in _NCBI_ERRORS):
        raise BadPayload(f"{what}: NCBI error body")


def parse_esearch(body: bytes) -> SearchResult:
    root = parse_xml(body, "esearch")
    check_ncbi_error(root, body, "esearch")
    if root.tag != "eSearchResult":
        raise BadPayload(f"esearch: unexpected root element <{root.tag}>")
    count = root.findtext("Count")
    if count is None or not count.strip().isdigit():
        raise BadPayload("esearch: no <Count> in the result")
    return SearchResult(
        count=int(count),
        ids=[i.text.strip() for i in root.iterfind("IdList/Id") if i.text],
        retstart=int(root.findtext("RetStart") or 0),
        retmax=int(root.findtext("RetMax") or 0),
        webenv=root.findtext("WebEnv"),
        query_key=root.findtext("QueryKey"),
    )


def efetch_root(body: bytes) -> etree._Element:
    """The parsed efetch document, or BadPayload when it is not a PubmedArticleSet
    (malformed, truncated, an NCBI error body): what decides a retry."""
    root = parse_xml(body, "efetch")
    check_ncbi_error(root, body, "efetch")
    if root.tag != "PubmedArticleSet":
        raise BadPayload(f"efetch: unexpected root element <{root.tag}>")
    return root


def parse_efetch(body: bytes) -> EfetchResult:
    root = efetch_root(body)
    result = EfetchResult()
    for node in root:
        if node.tag == "PubmedArticle":
            paper = parse_article(node)
        elif node.tag == "PubmedBookArticle":
            paper = parse_book(node)
        elif node.tag == "DeleteCitation":
            result.deleted.extend(t.text.strip() for t in node.iterfind("PMID") if t.text)
            continue
        else:
            continue
        result.papers.append(paper)
        result.raw[paper.pmid] = etree.tostring(node, encoding="utf-8")
    return result
