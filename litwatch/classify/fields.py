"""The searchable text of a record, named by field, whatever its source.

Each classifier reads a RecordView instead of knowing Paper, Trial and FeedItem:
the same rule then runs on a PubMed abstract, a trial's brief summary and a
preprint's feed summary, and evidence always names the field it came from.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field

from litwatch.records import FeedItem, Paper, Record, Trial

_TAGS = re.compile(r"<[^>]+>")
_SPACES = re.compile(r"\s+")


@dataclass
class RecordView:
    source: str                        # pubmed | ctgov | feed
    title: str
    body: str                          # abstract, brief summary or feed summary
    body_field: str                    # field name used as evidence for `body`
    conditions: list[str] = field(default_factory=list)
    mesh: list[str] = field(default_factory=list)
    mesh_major: list[str] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)
    publication_types: list[str] = field(default_factory=list)
    chemicals: list[str] = field(default_factory=list)
    indexed: bool = False

    @property
    def text(self) -> str:
        """Title and body together, for rules that do not care which."""
        return f"{self.title}\n{self.body}"


def view_of(record: Record) -> RecordView:
    if isinstance(record, Paper):
        return _paper_view(record)
    if isinstance(record, Trial):
        return _trial_view(record)
    if isinstance(record, FeedItem):
        return _feed_view(record)
    raise TypeError(f"cannot classify {type(record).__name__}")


def _paper_view(paper: Paper) -> RecordView:
    return RecordView(
        source="pubmed", title=paper.title or paper.vernacular_title, body=paper.abstract,
        body_field="abstract", mesh=list(paper.mesh), mesh_major=list(paper.mesh_major),
        keywords=list(paper.keywords), publication_types=list(paper.publication_types),
        chemicals=list(paper.chemicals), indexed=paper.indexed)


def _trial_view(trial: Trial) -> RecordView:
    titles = [t for t in (trial.brief_title, trial.official_title) if t]
    if trial.official_title == trial.brief_title:
        titles = titles[:1]
    # ctgov derived condition MeSH play the role of PubMed major MeSH: the
    # registry's own mapping of what the study is about.
    return RecordView(
        source="ctgov", title=" | ".join(titles), body=trial.brief_summary,
        body_field="brief_summary", conditions=list(trial.conditions),
        mesh=list(trial.condition_mesh), mesh_major=list(trial.condition_mesh),
        keywords=list(trial.keywords), indexed=True)


def _feed_view(item: FeedItem) -> RecordView:
    return RecordView(source="feed", title=plain_text(item.title), body=plain_text(item.summary),
                      body_field="summary")


def plain_text(text: str) -> str:
    """Feed titles and summaries carry HTML (sometimes escaped twice)."""
    text = html.unescape(html.unescape(text or ""))
    return _SPACES.sub(" ", _TAGS.sub(" ", text)).strip()
