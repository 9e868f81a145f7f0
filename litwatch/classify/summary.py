"""Deterministic, offline, extractive summaries (one or two lines per record).

Paper: design, N, comparator, route, dose when stated, then the conclusion (the
CONCLUSIONS section of a structured abstract, else the sentence that states the
finding).  Trial: status, phase, design, enrollment, primary outcome.  Nothing is
generated: every word after the facts line is quoted from the record.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from litwatch.classify.labels import Classification
from litwatch.classify.sentences import Sentence
from litwatch.records import FeedItem, Paper, Record, Trial
from litwatch.vocab import COMPARATORS, DESIGNS, ROUTES

MAX_CONCLUSION = 320
_CONCLUSION_LABEL = re.compile(r"conclu|interpretation|implication|significance|take[- ]home",
                               re.IGNORECASE)
# Sentences that state the finding, strongest cue first.
# Matched on lower-cased sentences (re.IGNORECASE is several times slower).
_FINDING_CUES = [re.compile(p) for p in (
    r"\b(?:in conclusion|we conclude|to conclude|in summary|taken together|overall,)",
    r"\b(?:these|our|the) (?:results|findings|data|observations) (?:suggest|indicate|show|"
    r"demonstrate|support|provide|highlight)",
    r"\b(?:suggest|suggests|indicate|indicates|demonstrate|demonstrates|demonstrated|show|shows|"
    r"showed) that\b",
    r"\b(?:was|were) (?:associated with|superior|non-?inferior|effective|not (?:superior|"
    r"associated|effective)|significantly)",
)]
# Where a paper or feed item states what it found (not its title).
_BODY_FIELDS = frozenset(("abstract", "summary", "description"))
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z(\[])")
_TAGS = re.compile(r"<[^>]+>")


def summarize(record: Record, result: Classification,
              sentences: Sequence[Sentence] | None = None) -> str:
    if isinstance(record, Trial):
        return _trial_line(record, result)
    facts = _paper_facts(result)
    if sentences is not None:
        found = finding_of(sentences)
    elif isinstance(record, Paper):
        found = conclusion(record)
    elif isinstance(record, FeedItem):
        text = html.unescape(_TAGS.sub(" ", record.summary or ""))
        found = finding_sentence(" ".join(text.split()))
    else:
        found = ""
    return f"{facts}\n{found}" if found else facts


def finding_of(sentences: Sequence[Sentence]) -> str:
    """What the study found, from the sentence layer: its conclusions, else the results
    sentence that states the finding.  Never a background, objective or methods
    sentence: an abstract stored without its results (a page that cut it short) gets
    no finding line rather than a line about earlier studies or the analysis dates."""
    own = [s for s in sentences if s.field in _BODY_FIELDS]
    concluded = [s for s in own if s.role == "conclusions"]
    results = [s for s in own if s.role == "results"]
    # A conclusion that points somewhere first; "our follow-up was limited to six
    # weeks" is a conclusions sentence too, but not what the study found.
    for pool in ([s for s in concluded if _points(s)], [s for s in results if _points(s)]):
        if pool:
            return _clip(" ".join(s.text for s in pool), MAX_CONCLUSION) \
                if pool[0].role == "conclusions" else _cued(pool)
    if concluded:
        return _clip(" ".join(s.text for s in concluded), MAX_CONCLUSION)
    return _cued(results) if results else ""


def _points(sentence: Sentence) -> bool:
    return sentence.direction not in (None, "none")


def _cued(pool: Sequence[Sentence]) -> str:
    texts = [s.text for s in pool]
    return _clip(_strongest_cued(texts) or texts[-1], MAX_CONCLUSION)


def _strongest_cued(texts: Sequence[str]) -> str | None:
    """The text with the strongest finding cue (later beats earlier), None without one."""
    lows = [t.lower() for t in texts]
    for cue in _FINDING_CUES:
        matching = [t for t, low in zip(texts, lows, strict=True) if cue.search(low)]
        if matching:
            return matching[-1]
    return None


def _paper_facts(result: Classification) -> str:
    parts = [DESIGNS.get(result.first("design") or "other", "Other")]
    if result.sample_size:
        parts.append(f"N={result.sample_size}")
    comparators = [c for c in result.values("comparator") if c != "none"]
    if comparators:
        parts.append("vs " + " / ".join(COMPARATORS[c].lower() for c in comparators))
    routes = [r for r in result.values("route") if r != "not_stated"]
    if routes:
        parts.append(", ".join(ROUTES[r].lower() for r in routes))
    dose = result.first("dose")
    if dose:
        parts.append(dose)
    return "; ".join(parts)


def _trial_line(trial: Trial, result: Classification) -> str:
    status = (trial.overall_status or "status unknown").replace("_", " ").lower()
    parts = [status.capitalize()]
    phase = result.first("phase")
    if phase:
        parts.append(phase.replace("PHASE", "phase ").replace("/", "/"))
    parts.append(DESIGNS.get(result.first("design") or "other", "Other"))
    if trial.enrollment is not None:
        kind = (trial.enrollment_type or "").lower()
        parts.append(f"enrollment {trial.enrollment}" + (f" ({kind})" if kind else ""))
    line = "; ".join(parts)
    if trial.primary_outcomes:
        outcome = _clip(trial.primary_outcomes[0], 200)
        return f"{line}\nPrimary outcome: {outcome}"
    return line


def conclusion(paper: Paper) -> str:
    """The conclusions section of a structured abstract, else the finding sentence."""
    for section in paper.abstract_sections:
        if (section.category or "").upper() == "CONCLUSIONS":
            return _clip(section.text, MAX_CONCLUSION)
    for section in paper.abstract_sections:
        if section.label and _CONCLUSION_LABEL.search(section.label):
            return _clip(section.text, MAX_CONCLUSION)
    body = " ".join(s.text for s in paper.abstract_sections
                    if (s.category or "").upper() not in ("BACKGROUND", "METHODS", "OBJECTIVE"))
    return finding_sentence(body or paper.abstract)


def finding_sentence(text: str) -> str:
    """The sentence that states the finding: strongest cue wins, later beats earlier."""
    sentences = [s.strip() for s in _SENTENCE.split(text) if s.strip()]
    if not sentences:
        return ""
    found = _strongest_cued(sentences)
    if found is not None:
        return _clip(found, MAX_CONCLUSION)
    return _clip(sentences[-1], MAX_CONCLUSION) if len(sentences) > 1 else ""


def _clip(text: str, limit: int) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut.rstrip(",;:") + "…"
