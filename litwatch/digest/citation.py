"""How an item is cited: "Berman RM, Cappiello A, Anand A, et al. Biol Psychiatry.
2000;47(4):351-4." plus its identifiers (PMID, NCT, DOI) with public links.

Paper has no volume, issue or pages fields, so they are read from the stored
efetch XML (the row's raw payload); a record without them is cited without.
The journal is NLM's ISO abbreviation (MedlineTA as a fallback), not the long
lowercase title NLM stores in Journal/Title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from litwatch.records import FeedItem, Paper, Record, Trial
from litwatch.store.codec import payload_xml
from litwatch.store.read import ctgov_url, doi_url, pubmed_url

MAX_AUTHORS = 3
_FEED_AUTHOR = re.compile(r"(?<=\.),\s+")


@dataclass
class Identifier:
    label: str              # "PMID 10686270", "NCT04338321", "doi:10.1016/..."
    url: str | None


@dataclass
class Citation:
    text: str                                   # authors, journal, year;volume(issue):pages
    ids: list[Identifier] = field(default_factory=list)


def cite(record: Record, raw: bytes = b"") -> Citation:
    if isinstance(record, Paper):
        return Citation(_paper_text(record, raw), _paper_ids(record))
    if isinstance(record, Trial):
        return Citation(_trial_text(record), [Identifier(record.nct_id, ctgov_url(record.nct_id))])
    return Citation(_feed_text(record), _feed_ids(record))


def author_list(names: list[str]) -> str:
    names = [n.strip() for n in names if n and n.strip()]
    if len(names) > MAX_AUTHORS:
        return ", ".join(names[:MAX_AUTHORS]) + ", et al."
    return ", ".join(names)


def journal_abbrev(paper: Paper, raw: bytes = b"") -> str:
    if paper.journal_abbrev:
        return paper.journal_abbrev
    issue = _issue_fields(raw)
    return issue.get("medline_ta") or paper.journal


def _paper_text(paper: Paper, raw: bytes) -> str:
    issue = _issue_fields(raw)
    where = paper.journal_abbrev or issue.get("medline_ta") or paper.journal
    when = str(paper.pub_year or "")
    locator = issue.get("volume", "") + (f"({issue['issue']})" if issue.get("issue") else "")
    if issue.get("pages"):
        locator += f":{issue['pages']}"
    if when and locator:
        when += f";{locator}"
    parts = [author_list(paper.authors), where, when]
    return " ".join(_sentence(p) for p in parts if p)


def _sentence(part: str) -> str:
    return part if part.endswith(".") else part + "."


def _paper_ids(paper: Paper) -> list[Identifier]:
    ids = [Identifier(f"PMID {paper.pmid}", pubmed_url(paper.pmid))]
    if paper.doi:
        ids.append(Identifier(f"doi:{paper.doi}", doi_url(paper.doi)))
    return ids


def _trial_text(trial: Trial) -> str:
    # Placeholder sponsors exist in the demo corpus; they say so themselves.
    return " ".join(_sentence(p) for p in (trial.sponsor, "ClinicalTrials.gov") if p)


def feed_source(item: FeedItem) -> str:
    """medRxiv / bioRxiv by name (their feed titles are long), else the feed's title."""
    title = item.feed_title or item.feed_name or "Feed"
    for server in ("medRxiv", "bioRxiv"):
        if server.lower() in title.lower() or server.lower() in (item.link or "").lower():
            return f"{server} preprint"
    return title


def feed_authors(authors: list[str]) -> list[str]:
    """bioRxiv-style "Yuan, H., Park, J. S." (often one string) -> ["Yuan H", "Park JS"]."""
    names = []
    for part in (p.strip() for a in authors for p in _FEED_AUTHOR.split(a) if p.strip()):
        last, _, first = part.partition(",")
        initials = "".join(ch for ch in first if ch.isupper())
        names.append(f"{last.strip()} {initials}".strip() if first else part.rstrip("."))
    return names


def _feed_text(item: FeedItem) -> str:
    names = feed_authors(item.authors)
    year = (item.published or "")[:4]
    parts = [author_list(names), feed_source(item), year]
    return " ".join(_sentence(p) for p in parts if p)


def _feed_ids(item: FeedItem) -> list[Identifier]:
    ids = []
    if item.pmid:
        ids.append(Identifier(f"PMID {item.pmid}", pubmed_url(item.pmid)))
    if item.doi:
        ids.append(Identifier(f"doi:{item.doi}", doi_url(item.doi)))
    return ids


def _issue_fields(raw: bytes) -> dict[str, str]:
    """volume, issue, pages (MedlinePgn) and MedlineTA from the stored efetch XML."""
    root = payload_xml(raw)     # a damaged payload costs the locator, not the digest
    if root is None:
        return {}
    found = {"volume": root.findtext(".//JournalIssue/Volume"),
             "issue": root.findtext(".//JournalIssue/Issue"),
             "pages": root.findtext(".//Pagination/MedlinePgn"),
             "medline_ta": root.findtext(".//MedlineJournalInfo/MedlineTA")}
    return {k: " ".join(v.split()) for k, v in found.items() if v and v.strip()}
