"""`claims extract ARTICLE`: the checkable sentences of a popular article, as a claims
TOML to review.

A sentence is checkable when it says something the primary literature can
answer: a citation (journal, year, institution), a number, an onset or duration,
efficacy for a condition, a harm or its absence, a mechanism, a regulatory
status or how the treatment is given.  Advice ("reach out to a provider"),
questions, costs and history are left out.  Each claim gets a locating quote of
at most 20 words, what the sentence implies (intake, the classifier's
taxonomies) and a draft wording in our own words that the reviewer rewrites.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from litwatch import vocab
from litwatch.claims import lexicon
from litwatch.claims.intake import derive
from litwatch.claims.model import MAX_QUOTE_WORDS, Implies
from litwatch.claims.seeds import find
from litwatch.classify.sentence_split import split_sentences

_CHECKABLE = re.compile(
    r"\b(?:effective\w*|efficacy|relie[fv]\w*|alleviat\w*|treat\w*|improv\w*|reduc\w*|decreas\w*|"
    r"respond\w*|success\w*|works?|benefit\w*|promis\w*|cure|remission|lasting|long-term|"
    r"rapid\w*|fast|hours|minutes|instant\w*|side[- ]effects?|safe\w*|secure|risks?|addict\w*|"
    r"abuse|adverse|tolerat\w*|approv\w*|fda|legal|schedule|off-label|regulated|study|studies|"
    r"research\w*|journal|mechanism|targets?|receptors?|glutamate|neuroplastic\w*|bdnf|"
    r"inflammation|sessions?|lasts?|recommended|high|synerg\w*|enhanc\w*|var(?:y|ies)|"
    r"depend\w*|administration|fail\w*)\b", re.IGNORECASE)
_SKIP = re.compile(
    r"^(?:if you|you |reach out|contact|consult|call|here are|who should|what |how |why |is it"
    r"|does |can i|in this article)|\?$|\binsurance\b|\bcost\b|\bcovered by\b"
    r"|\bchoose a provider\b|\bit's time to\b|\bthere's no reason\b", re.IGNORECASE)
# History ("originally developed in the 1960s") is left out unless the sentence also
# claims an outcome.
_HISTORY = re.compile(r"\b(?:1960s|originally|first (?:synthesi[sz]ed|developed))\b", re.IGNORECASE)
# "You live with chronic pain: if usual care failed, infusions may help": the claim
# follows a short lead-in that addresses the reader.
_LEAD_IN = re.compile(r"^[^:]{3,60}:\s+(?=\S)")
_SUBJECT = re.compile(r"\b(?:ketamine|esketamine|it|its|the (?:therapy|treatment|drug)|this "
                      r"(?:therapy|treatment|approach)|kat|infusions?)\b", re.IGNORECASE)
# Sentences that state an outcome even without naming ketamine ("many people notice
# improvements after a couple of treatments", "this combination is synergistic").
_FINDING = re.compile(r"\b(?:improv\w*|relie[fv]\w*|reduc\w*|respond\w*|synerg\w*|remission|"
                      r"effective\w*)\b", re.IGNORECASE)
_TAG = re.compile(r"<[^>]+>")


@dataclass
class Draft:
    id: str
    quote: str
    claim: str
    implies: Implies


def article_text(path: Path) -> tuple[str, str]:
    """(title, plain text) of a .txt or .html article."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    known = find(path.name)
    if path.suffix.lower() in (".html", ".htm"):
        import lxml.html
        doc = lxml.html.fromstring(raw)
        for bad in doc.xpath("//script|//style|//nav|//footer|//header//nav"):
            bad.drop_tree()
        heads = doc.xpath("//h1//text()") or doc.xpath("//title//text()")
        blocks = [" ".join(el.text_content().split()) for el in doc.xpath(
            "//h1|//h2|//h3|//p|//li")]
        text = "\n".join(b for b in blocks if b)
        title = " ".join(heads[0].split()) if heads else ""
    else:
        text = raw
        title = next((ln.strip() for ln in raw.splitlines() if 3 <= len(ln.split()) <= 16), "")
    return (known.title if known else title or path.stem), text


def checkable(sentence: str) -> bool:
    words = sentence.split()
    if len(words) < 4 or _SKIP.search(sentence.strip()):
        return False
    if _HISTORY.search(sentence) and not _FINDING.search(sentence):
        return False
    return bool(_CHECKABLE.search(sentence)) and bool(
        _SUBJECT.search(sentence) or _FINDING.search(sentence) or lexicon.concepts_in(sentence)
        or derive(sentence).indications)


def quote_of(sentence: str, limit: int = MAX_QUOTE_WORDS) -> str:
    """At most `limit` words of the sentence: the window with the most checkable words
    (the claim, not the preamble, locates the sentence)."""
    words = sentence.strip().rstrip(".").split()
    if len(words) <= limit:
        return " ".join(words)
    cues = [bool(_CHECKABLE.search(w)) for w in words]
    start = max(range(len(words) - limit + 1), key=lambda i: (sum(cues[i:i + limit]), -i))
    return " ".join(words[start:start + limit])


def drafts(title: str, text: str) -> list[Draft]:
    out: list[Draft] = []
    prefix = _slug(title, 3)
    for line in text.splitlines():
        line = _LEAD_IN.sub("", line.strip(" -–•"))
        for sentence in split_sentences(line):
            if not checkable(sentence):
                continue
            for imp in _claims_in(sentence):
                out.append(Draft(_unique(f"{prefix}-{_slug(_headword(imp, sentence), 4)}", out),
                                 quote_of(sentence), wording(imp), imp))
    return out


def _claims_in(sentence: str) -> list[Implies]:
    """One claim per statement: a mechanism and a benefit in one sentence are two; a
    benefit for several conditions one per condition (the reviewer may merge them)."""
    from dataclasses import replace
    imp = derive(sentence)
    out = [imp]
    mechanisms = [c for c in imp.concepts if lexicon.concepts()[c].role == "mechanism"]
    if imp.kind == "mechanism" and imp.indications and re.search(
            r"\b(?:decreas|reduc|reliev|alleviat|improv)\w*", sentence, re.I):
        out = [replace(imp, indications=()), replace(imp, kind="onset" if imp.time_frame
                                                     else "efficacy", direction="benefit",
                                                     concepts=())]
    if out[-1].direction == "benefit" and len(out[-1].indications) > 1 and not mechanisms:
        last = out.pop()
        out += [replace(last, indications=(i,)) for i in last.indications]
    return out


def wording(imp: Implies) -> str:
    """A neutral draft of what the sentence claims, for the reviewer to rewrite."""
    drug = vocab.DRUGS.get(imp.drugs[0], imp.drugs[0]).split(" (")[0].lower()
    where = " and ".join(vocab.INDICATIONS[i].lower() for i in imp.indications)
    about = ", ".join(c.replace("_", " ") for c in imp.concepts)
    when = f" ({imp.time_frame})" if imp.time_frame else ""
    cites = " ".join(str(x) for x in (imp.trial, imp.journal, imp.year or "", imp.institution)
                     if x)
    works = "does not work" if imp.direction == "no_benefit" else "works"
    lead = {"citation": f"A study ({cites}) is said to show that {drug} {works}",
            "mechanism": f"{drug.capitalize()} is said to act on {about or 'the brain'}",
            "regulatory": f"{drug.capitalize()}'s status: {about}",
            "practice": f"How {drug} is given: {about}",
            "safety": f"{drug.capitalize()} {_SAFETY.get(imp.direction, 'has harms')}"
                      f"{' (' + about + ')' if about else ''}"}.get(
        imp.kind, f"{drug.capitalize()} is said {'not ' if imp.direction == 'no_benefit' else ''}"
                  "to help")
    target = f" for {where}" if where and imp.kind not in ("mechanism", "safety") else ""
    effect = f", with {imp.effect}" if imp.effect else ""
    return f"DRAFT, reword: {lead}{target}{when}{effect}."


_SAFETY = {"no_harm": "is said to cause little or no harm", "transient": "is said to have "
           "side effects that pass quickly", "uncertain": "is said to be insufficiently studied",
           "harm": "is said to cause harm", "recommend": "is said to be unsuitable for some people"}


def _headword(imp: Implies, sentence: str) -> str:
    key = (imp.indications or imp.concepts or (imp.kind,))[0]
    return f"{imp.kind} {key}"


def _slug(text: str, words: int) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", text.lower())[:words]) or "claim"


def _unique(base: str, taken: list[Draft]) -> str:
    ids = {d.id for d in taken}
    n, cid = 2, base
    while cid in ids:
        cid, n = f"{base}-{n}", n + 1
    return cid


def to_toml(title: str, found: list[Draft]) -> str:
    """The drafts as claims.toml tables (every value reviewed before use)."""
    q = lambda s: json.dumps(s, ensure_ascii=False)  # noqa: E731 - TOML basic strings
    lines = [f"# Claims found in {q(title)} by `litwatch claims extract`.",
             "# Review each: reword `claim` in your own words, correct [implies], drop what",
             "# is not checkable.", ""]
    for d in found:
        lines += ["[[claims]]", f"id = {q(d.id)}", f"article = {q(title)}",
                  f"quote = {q(d.quote)}", f"claim = {q(d.claim)}"]
        lines += ["absolute = true"] if d.implies.absolute else []
        lines.append("[claims.implies]")
        lines += _implies_lines(d.implies, q)
        lines.append("")
    return "\n".join(lines)


def _implies_lines(imp: Implies, q) -> list[str]:
    out = [f"kind = {q(imp.kind)}", f"direction = {q(imp.direction)}"]
    for key in ("indications", "routes", "drugs", "designs", "concepts", "population"):
        values = getattr(imp, key)
        if values:
            out.append(f"{key} = [{', '.join(q(v) for v in values)}]")
    for key in ("journal", "institution", "trial", "condition", "effect", "time_frame"):
        if getattr(imp, key):
            out.append(f"{key} = {q(getattr(imp, key))}")
    if imp.year:
        out.append(f"year = {imp.year}")
    return out


def extract(path: Path) -> str:
    title, text = article_text(path)
    return to_toml(title, drafts(title, _TAG.sub(" ", text) if "<" in text else text))
