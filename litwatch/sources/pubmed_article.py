"""One PubMed record element (PubmedArticle or PubmedBookArticle) to a Paper.

Shapes handled are those of real responses (see ../shared/realdata/pubmed):
structured abstracts, inline markup and MathML, CollectiveName, MedlineDate and
Season, PubmedBookArticle, DataBankList, CommentsCorrections.  The document
around the records (safe parsing, NCBI errors, DeleteCitation) is
litwatch.sources.pubmed_xml's.
"""

from __future__ import annotations

import re

from lxml import etree

from litwatch.errors import BadPayload
from litwatch.records import AbstractSection, Paper, Reference

_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], 1)}
_NCT = re.compile(r"NCT\d{8}", re.I)


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
