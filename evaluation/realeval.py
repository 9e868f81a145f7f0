"""Score the classifier and the sentence layer on the real evaluation set.

Labels: macro F1 per family and source (evaluation/metrics.py), on the whole set
and on its development / held-out halves.  The split is by file, so a rule tuned on
the depression and pain records is checked on psychiatric records and registry
entries it never saw (see DEV_FILES).

Sentences: role accuracy (structured abstracts apart: their roles come from the
section labels and are right by construction) and finding-direction accuracy,
both against the `findings` / `roles` gold, matched by the sentence's `starts`
prefix.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from evaluation.metrics import REAL_FAMILIES, Scores
from evaluation.realset import EvalRecord
from litwatch.classify import classify_record
from litwatch.classify.labels import Classification
from litwatch.classify.sentences import Sentence, sentences_of

# Developed on these; the rest of evaluation/records is the held-out check.
DEV_FILES = ("papers_depression.jsonl", "trials_depression.jsonl", "papers_pain.jsonl")
_GOLD_KEYS = {"indication": "indications", "route": "routes", "drug": "drugs"}


def split_of(rec: EvalRecord) -> str:
    return "dev" if rec.file.split(":")[0] in DEV_FILES else "held_out"


def gold_values(gold: dict, family: str) -> set[str] | None:
    """The gold set of a family (None when the record does not label it)."""
    if family == "design":
        return {gold["design"]} if gold.get("design") else None
    if family == "topic":
        if "off_topic" not in gold:
            return None
        return {"off_topic" if gold["off_topic"] else "on_topic"}
    values = gold.get(_GOLD_KEYS[family])
    return None if values is None else set(values)


def predicted_values(cls: Classification, family: str) -> set[str]:
    if family == "design":
        return {cls.first("design")} - {None}
    if family == "topic" and not cls.values("topic"):
        # A classifier without a topic family: on topic whenever it names a drug.
        return {"on_topic" if cls.values("drug") else "off_topic"}
    return set(cls.values(family))


@dataclass
class RealResult:
    scores: dict[str, Scores] = field(default_factory=dict)     # by split, and "all"
    misses: list[str] = field(default_factory=list)
    # (source, family) -> [records whose whole label set is right, records scored]
    exact: dict[tuple[str, str], list[int]] = field(default_factory=dict)


def score_real(records: Iterable[EvalRecord]) -> RealResult:
    result = RealResult({"all": Scores(), "dev": Scores(), "held_out": Scores()})
    for rec in records:
        cls = classify_record(rec.record)
        split = split_of(rec)
        for scores in (result.scores["all"], result.scores[split]):
            scores.records[rec.source] += 1
        for family in REAL_FAMILIES:
            want = gold_values(rec.gold, family)
            if want is None:
                continue
            got = predicted_values(cls, family)
            for scores in (result.scores["all"], result.scores[split]):
                scores.add(rec.source, family, want, got)
            tally = result.exact.setdefault((rec.source, family), [0, 0])
            tally[0] += want == got
            tally[1] += 1
            if want != got:
                result.misses.append(f"{split:<8} {rec.file:<28} {family:<10} "
                                     f"gold={sorted(want)} got={sorted(got)}")
    return result


def _norm(text: str) -> str:
    return " ".join(text.lower().split())


def match_sentence(sentences: list[Sentence], starts: str) -> Sentence | None:
    """The abstract sentence that begins with `starts` (else the one containing it)."""
    prefix = _norm(starts)
    body = [s for s in sentences if s.field == "abstract"]
    for s in body:
        if _norm(s.text).startswith(prefix):
            return s
    return next((s for s in body if prefix in _norm(s.text)), None)


@dataclass
class SentenceScores:
    counts: Counter = field(default_factory=Counter)

    def add(self, key: str, ok: bool) -> None:
        self.counts[key, "n"] += 1
        self.counts[key, "ok"] += ok

    def accuracy(self, key: str) -> tuple[float | None, int]:
        n = self.counts[key, "n"]
        return (self.counts[key, "ok"] / n if n else None), n


def score_sentences(records: Iterable[EvalRecord]) -> SentenceScores:
    """Roles (structured / unstructured) and finding directions against the gold."""
    out = SentenceScores()
    for rec in records:
        if rec.source != "pubmed":
            continue
        sentences = sentences_of(rec.record)
        structured = any(s.label for s in rec.record.abstract_sections)
        kind = "structured" if structured else "unstructured"
        for item in rec.gold.get("roles") or []:
            s = match_sentence(sentences, item["starts"])
            out.add(f"role_{kind}", s is not None and s.role == item["role"])
        for item in rec.gold.get("findings") or []:
            s = match_sentence(sentences, item["starts"])
            if not rec.gold.get("roles"):
                out.add(f"role_{kind}", s is not None and s.role == item["role"])
            got = (s.direction or "none") if s is not None else "unmatched"
            out.add("direction", got == item["direction"])
            out.add(f"direction_{split_of(rec)}", got == item["direction"])
    return out


def sentence_table(scores: SentenceScores) -> str:
    lines = []
    for key, name in (("role_structured", "role, structured abstracts (from labels)"),
                      ("role_unstructured", "role, unstructured abstracts"),
                      ("direction", "finding direction"),
                      ("direction_dev", "finding direction, dev"),
                      ("direction_held_out", "finding direction, held-out")):
        acc, n = scores.accuracy(key)
        shown = "-" if acc is None else f"{acc:.3f}"
        lines.append(f"{name:<42} {shown:>6}  (n={n})")
    return "\n".join(lines)
