"""Parse E-utilities XML (efetch PubmedArticleSet, esearch eSearchResult).

Shapes handled are those of real responses (see ../shared/realdata/pubmed):
structured abstracts, inline markup and MathML, CollectiveName, MedlineDate and
Season, PubmedBookArticle, DataBankList, CommentsCorrections, DeleteCitation.
Entity declarations are refused: efetch never sends them, attackers do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from litwatch.errors import BadPayload
from litwatch.records import AbstractSection, Paper, Reference

_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                          huge_tree=False, remove_comments=True)
_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_NCT = re.compile(r"NCT\d{8}", re.I)
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


def text_of(el: etree._Element | None) -> str:
    """All text inside an element (markup and MathML flattened), whitespace squeezed."""
    if el is None:
        return ""
    # Most elements (names, dates, identifiers) have no children: their text alone,
    # without itertext's generator, is a third of the parse.
    text = el.text if len(el) == 0 else "".join(el.itertext())
    return " ".join(text.split()) if text else ""


def parse_article(node: etree._Element) -> Paper:
    mc = node.find("MedlineCitation")
    art = mc.find("Article") if mc is not None else None
    if mc is None or art is None or not mc.findtext("PMID"):
        raise BadPayload("efetch: PubmedArticle without MedlineCitation/PMID/Article")
    journal = art.find("Journal")
    pub_date = journal.find("JournalIssue/PubDate") if journal is not None else None
    title, vernacular = text_of(art.find("ArticleTitle")), text_of(art.find("VernacularTitle"))
    paper = Paper(
        pmid=mc.findtext("PMID").strip(),
        title=title or vernacular,
        abstract_sections=_abstract(art.find("Abstract")),
        authors=_authors(art.find("AuthorList")),
        journal=text_of(journal.find("Title")) if journal is not None else "",
        journal_abbrev=text_of(journal.find("ISOAbbreviation")) if journal is not None else "",
        pub_date=_pub_date_text(pub_date),
        pub_year=_year(pub_date),
        entrez_date=_history_date(node, "entrez") or _history_date(node, "pubmed"),
        modified_date=_ymd(mc.find("DateRevised")),
        doi=_doi(art, node),
        publication_types=[text_of(p) for p in art.iterfind("PublicationTypeList/PublicationType")],
        mesh=[text_of(d) for d in mc.iterfind("MeshHeadingList/MeshHeading/DescriptorName")],
        mesh_major=_major_mesh(mc),
        chemicals=[text_of(c) for c in mc.iterfind("ChemicalList/Chemical/NameOfSubstance")],
        keywords=[text_of(k) for k in mc.iterfind("KeywordList/Keyword") if text_of(k)],
        status=mc.get("Status", ""),
        languages=[(lang.text or "").strip() for lang in art.iterfind("Language")],
        vernacular_title=vernacular,
        nct_ids=_databank_ncts(art),
        comments_corrections=_comments(mc),
    )
    if not paper.pub_year and paper.entrez_date:
        paper.pub_year = int(paper.entrez_date[:4])
    return paper


def parse_book(node: etree._Element) -> Paper:
    doc = node.find("BookDocument")
    if doc is None or not doc.findtext("PMID"):
        raise BadPayload("efetch: PubmedBookArticle without BookDocument/PMID")
    book = doc.find("Book")
    pub_date = book.find("PubDate") if book is not None else None
    title = text_of(doc.find("ArticleTitle")) or text_of(book.find("BookTitle") if book is not None
                                                          else None)
    authors = []
    for author_list in doc.iterfind("AuthorList"):
        if author_list.get("Type") != "editors":
            authors.extend(_authors(author_list))
    return Paper(
        pmid=doc.findtext("PMID").strip(),
        title=title,
        abstract_sections=_abstract(doc.find("Abstract")),
        authors=authors,
        journal=text_of(book.find("BookTitle")) if book is not None else "",
        pub_date=_pub_date_text(pub_date),
        pub_year=_year(pub_date),
        entrez_date=_history_date(node, "entrez") or _history_date(node, "pubmed"),
        modified_date=_ymd(doc.find("DateRevised")),
        doi=next((text_of(a) for a in node.iterfind(".//ArticleId[@IdType='doi']")), None),
        publication_types=[text_of(p) for p in doc.iterfind("PublicationType")],
        keywords=[text_of(k) for k in doc.iterfind("KeywordList/Keyword")],
        status="Book",
        languages=[(lang.text or "").strip() for lang in doc.iterfind("Language")],
        is_book=True,
    )


def _abstract(abstract: etree._Element | None) -> list[AbstractSection]:
    if abstract is None:
        return []
    return [AbstractSection(label=t.get("Label"), category=t.get("NlmCategory"), text=text_of(t))
            for t in abstract.iterfind("AbstractText") if text_of(t)]


def _authors(author_list: etree._Element | None) -> list[str]:
    if author_list is None:
        return []
    names = []
    for a in author_list.iterfind("Author"):
        collective = text_of(a.find("CollectiveName"))
        if collective:
            names.append(collective)
            continue
        last = text_of(a.find("LastName"))
        initials = text_of(a.find("Initials")) or text_of(a.find("ForeName"))[:1]
        if last:
            names.append(f"{last} {initials}".strip())
    return names


def _pub_date_text(pub_date: etree._Element | None) -> str:
    if pub_date is None:
        return ""
    medline = pub_date.findtext("MedlineDate")
    if medline:
        return medline.strip()
    parts = [pub_date.findtext(t) for t in ("Year", "Season", "Month", "Day")]
    return " ".join(p.strip() for p in parts if p and p.strip())


def _year(pub_date: etree._Element | None) -> int | None:
    if pub_date is None:
        return None
    found = re.search(r"\b(1[89]|20)\d\d\b", pub_date.findtext("Year") or
                      pub_date.findtext("MedlineDate") or "")
    return int(found.group(0)) if found else None


def _ymd(el: etree._Element | None) -> str | None:
    """A Year/Month/Day element as ISO, as precise as it is."""
    if el is None or not (el.findtext("Year") or "").strip():
        return None
    year = el.findtext("Year").strip()
    month = (el.findtext("Month") or "").strip()
    month_num = int(month) if month.isdigit() else _MONTHS.get(month[:3].lower())
    if not month_num:
        return year
    day = (el.findtext("Day") or "").strip()
    if not day.isdigit():
        return f"{year}-{month_num:02d}"
    return f"{year}-{month_num:02d}-{int(day):02d}"


def _history_date(node: etree._Element, status: str) -> str | None:
    # PubmedData for articles, PubmedBookData for books.
    el = node.find(f"*/History/PubMedPubDate[@PubStatus='{status}']")
    return _ymd(el)


def _doi(art: etree._Element, node: etree._Element) -> str | None:
    for el in art.iterfind("ELocationID"):
        if el.get("EIdType") == "doi" and text_of(el):
            return text_of(el)
    for el in node.iterfind("PubmedData/ArticleIdList/ArticleId"):
        if el.get("IdType") == "doi" and text_of(el):
            return text_of(el)
    return None


def _major_mesh(mc: etree._Element) -> list[str]:
    out = []
    for heading in mc.iterfind("MeshHeadingList/MeshHeading"):
        desc = heading.find("DescriptorName")
        major = desc is not None and desc.get("MajorTopicYN") == "Y"
        major = major or any(q.get("MajorTopicYN") == "Y"
                             for q in heading.iterfind("QualifierName"))
        if major and desc is not None:
            out.append(text_of(desc))
    return out


def _databank_ncts(art: etree._Element) -> list[str]:
    ids: list[str] = []
    for bank in art.iterfind("DataBankList/DataBank"):
        if "clinicaltrials" not in (bank.findtext("DataBankName") or "").lower():
            continue
        for acc in bank.iterfind("AccessionNumberList/AccessionNumber"):
            found = _NCT.search(acc.text or "")
            if found and found.group(0).upper() not in ids:
                ids.append(found.group(0).upper())
    return ids


def _comments(mc: etree._Element) -> list[Reference]:
    return [Reference(kind=c.get("RefType", ""), pmid=(c.findtext("PMID") or "").strip() or None,
                      citation=text_of(c.find("RefSource")))
            for c in mc.iterfind("CommentsCorrectionsList/CommentsCorrections")]
