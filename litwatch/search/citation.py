"""What a reference manager needs from a stored record: authors, volume, issue, pages.

litwatch.records.Paper keeps neither volume, issue nor pages, so they are read
from the row's raw efetch XML (Journal/JournalIssue/Volume and Issue,
Pagination/StartPage, EndPage or MedlinePgn), kept for exactly this kind of
re-reading.  The same XML gives authors as "Last, First", the form Zotero and
EndNote split into family and given name; "Doe J" would land whole in one field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from lxml import etree

from litwatch.store.codec import payload_xml

_PAGE = re.compile(r"^(?P<prefix>\D*)(?P<digits>\d+)(?P<suffix>\D*)$")
_INITIALS = re.compile(r"^[A-Z\u00C0-\u024F]{1,4}$")


@dataclass
class Citation:
    authors: list[str] = field(default_factory=list)     # "Last, First" or a group name
    volume: str = ""
    issue: str = ""
    start_page: str = ""
    end_page: str = ""

    @property
    def pages(self) -> str:
        if self.start_page and self.end_page and self.end_page != self.start_page:
            return f"{self.start_page}-{self.end_page}"
        return self.start_page


def _text(el: etree._Element | None) -> str:
    return " ".join("".join(el.itertext()).split()) if el is not None else ""


def paper_citation(raw: bytes, authors: list[str]) -> Citation:
    """Citation details from a row's compressed <PubmedArticle>; `authors` (the parsed
    record's "Last I" names) are the fallback when the XML holds none."""
    article = _article(raw)
    if article is None:
        return Citation(authors=[ris_name(a) for a in authors])
    issue = article.find("Journal/JournalIssue")
    start, end = pages(article.find("Pagination"))
    return Citation(authors=xml_authors(article.find("AuthorList"))
                    or [ris_name(a) for a in authors],
                    volume=_text(issue.find("Volume")) if issue is not None else "",
                    issue=_text(issue.find("Issue")) if issue is not None else "",
                    start_page=start, end_page=end)


def _article(raw: bytes) -> etree._Element | None:
    node = payload_xml(raw)
    if node is None or node.tag != "PubmedArticle":
        return None
    return node.find("MedlineCitation/Article")


def xml_authors(author_list: etree._Element | None) -> list[str]:
    """Every author, as "Last, First" (ForeName, else Initials), or the group's name."""
    if author_list is None:
        return []
    names = []
    for author in author_list.iterfind("Author"):
        collective = _text(author.find("CollectiveName"))
        last = _text(author.find("LastName"))
        given = _text(author.find("ForeName")) or _text(author.find("Initials"))
        suffix = _text(author.find("Suffix"))
        if collective:
            names.append(collective)
        elif last:
            names.append(", ".join(p for p in (last, given, suffix) if p))
    return names


def ris_name(name: str) -> str:
    """ "Doe J" -> "Doe, J"; a name without trailing initials ("Ketamine Study Group")
    is a group and stays as it is."""
    head, _, tail = name.rpartition(" ")
    return f"{head}, {tail}" if head and _INITIALS.match(tail) else name


def pages(pagination: etree._Element | None) -> tuple[str, str]:
    """(start, end) from StartPage/EndPage, else from MedlinePgn ("123-30" -> 123, 130)."""
    if pagination is None:
        return "", ""
    start, end = _text(pagination.find("StartPage")), _text(pagination.find("EndPage"))
    medline = medline_pages(_text(pagination.find("MedlinePgn")))
    if not start:
        return medline
    # PubMed often gives StartPage alone beside a full MedlinePgn range.
    return start, end or (medline[1] if medline[0] == start else "")


def medline_pages(text: str) -> tuple[str, str]:
    """MEDLINE abbreviates the end page ("1234-56" is 1234-1256); the first range of a
    list ("123-30; quiz 131") is the article's."""
    first = re.split(r"[;,]", text, maxsplit=1)[0].strip()
    start, _, end = (part.strip() for part in first.partition("-"))
    return start, _expand_end(start, end)


def _expand_end(start: str, end: str) -> str:
    s, e = _PAGE.match(start), _PAGE.match(end)
    if not (s and e) or e["prefix"] not in ("", s["prefix"]):
        return end
    digits = s["digits"]
    if len(e["digits"]) < len(digits):
        return s["prefix"] + digits[:len(digits) - len(e["digits"])] + e["digits"] + e["suffix"]
    return s["prefix"] + e["digits"] + e["suffix"] if not e["prefix"] else end
