"""The sentence layer: every record split once into sentences with field and role.

Classifiers must know which sentence speaks of *this* study: the route in a methods
sentence counts, the route in a background sentence about earlier work does not.
Abstract sentences get a role from the structured-abstract label (NlmCategory first,
then the label), else from cue phrases and position; registry text keeps its field
as its role. Results and conclusions sentences carry a finding direction and numbers.
Pure and standard-library only, with cue phrases as data matched in one pass over the
tokens: it runs on every record at ingest.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from litwatch.records import AbstractSection, FeedItem, Paper, Record, Trial

from .findings import DIRECTION_CUES, DIRECTION_TABLE, direction_from, direction_of
from .sentence_numbers import Number, numbers_in
from .sentence_split import PhraseTable, split_sentences, tokenize

__all__ = ["Number", "Sentence", "direction_of", "infer_roles", "numbers_in", "section_role",
           "sentences_of", "split_sentences"]

BACKGROUND, OBJECTIVE, METHODS, RESULTS, CONCLUSIONS = (
    "background", "objective", "methods", "results", "conclusions")
_FINDING_ROLES = frozenset((RESULTS, CONCLUSIONS))


@dataclass(frozen=True, slots=True)
class Sentence:
    field: str        # title | abstract | official_title | brief_summary | arm_group ...
    role: str         # background | objective | methods | results | conclusions | field
    text: str
    index: int        # position in the record
    direction: str | None = None        # results/conclusions only
    numbers: tuple[Number, ...] = ()    # results/conclusions only


_CATEGORIES = {"BACKGROUND": BACKGROUND, "OBJECTIVE": OBJECTIVE, "METHODS": METHODS,
               "RESULTS": RESULTS, "CONCLUSIONS": CONCLUSIONS}
# Labels seen in PubMed without an NlmCategory, by the first matching keyword.
_LABEL_KEYWORDS = re.compile(
    r"(?P<conclusions>CONCLU|INTERPRETATION|DISCUSSION|IMPLICATION|RELEVANCE|RECOMMENDATION)"
    r"|(?P<results>RESULT|FINDING|OUTCOMES$)"
    r"|(?P<methods>METHOD|DESIGN|SETTING|PARTICIPANT|PATIENTS|SUBJECTS|INTERVENTION|MEASURE"
    r"|REGISTRATION|EXPOSURE|SEARCH|SELECTION|DATA |SOURCES|PROCEDURE|MATERIAL)"
    r"|(?P<objective>OBJECTIVE|AIM|PURPOSE|GOAL|QUESTION|HYPOTHES)"
    r"|(?P<background>BACKGROUND|INTRODUCTION|CONTEXT|IMPORTANCE|RATIONALE)")


def section_role(section: AbstractSection) -> str | None:
    """Role of a structured-abstract section, or None when it has to be inferred."""
    role = _CATEGORIES.get((section.category or "").upper())
    if role or not section.label:
        return role
    m = _LABEL_KEYWORDS.search(section.label.upper())
    return m.lastgroup if m else None


# Cue phrases per role (syntax: sentence_split.PhraseTable), weighted in _WEIGHTS.
_STUDY = "study|trial|review|analysis|paper|work|report|article|project|commentary|meta-analysis"
ROLE_CUES = {
    "objective": f"""
        ^ to evaluate|investigate|assess|examine|determine|compare|test|explore|review;
        ^ to characterize|characterise|quantify|estimate|identify|describe|establish;
        ^ we aimed|sought|hypothesized|hypothesised|wanted|intended; ^ we set out;
        ^ we investigated|examined|evaluated|assessed|tested|explored whether|if|how;
        ^ the|our aim|aims|objective|objectives|purpose|goal|goals of|was|were|is;
        ^ in this|the|our|the present {_STUDY} ~2 aim*|sought|investigat*|examin*|evaluat*;
        ^ in this|the|our {_STUDY} ~2 assess*|explor*|test*|compar*;
        this {_STUDY} aimed|aims|sought; aim|aims|objective|purpose of this|the|our {_STUDY};
        ^ ~2 this|the|our {_STUDY} assessed|examines|examined|seeks|evaluated|evaluates;
        ^ ~2 this|the|our {_STUDY} investigates;
        ^ ~2 this|the|our {_STUDY} describes|reviews|reviewed|explores|explored|summarizes;
        ^ ~2 here we present|report|describe|review|examine; objective|aim|purpose was|is to;""",
    "conclusion_strong": f"""in conclusion|summary|sum; to conclude|summarize; we conclude;
        taken together;
        ^ ~2 this|our {_STUDY} demonstrates|shows|suggests|indicates|confirms|supports;""",
    "percent": "%; sd;",
    "conclusion": """in conclusion|summary; to conclude; we conclude; taken together;
        these|our|the findings|results|data|observations suggest|indicate|support|show;
        these|our|the findings|results|data|observations demonstrate|provide|highlight|add;
        we|authors|they suggest|argue|propose;
        further|more|larger|additional|controlled|better studies|research|trials|work ~2
        needed|warranted|required; is|are warranted; should be considered|confirmed|given;
        clinical implications; implications for; merit|merits|merited;""",
    "stats": """p <|=|≤|>|≥; ci; 95 % ci; confidence interval*; odds|hazard ratio;
        results|result showed|indicated|revealed|demonstrated; was|were associated with;""",
    "methods": """
        we conducted|performed|enrolled|recruited|analyzed|analysed|searched|included|used;
        we measured|assessed|compared|randomized|randomised|studied|reviewed|examined;
        we pooled|surveyed|interviewed|collected|summarise|summarize|describe;
        was|were randomized|randomised|randomly|enrolled|recruited|assessed|measured;
        was|were included|allocated|assigned|administered|given|treated|followed|collected;
        was|were analysed|analyzed|pooled|reviewed|scanned|tested|evaluated|examined;
        was|were obtained|recorded|conducted|performed|meta-analysed|meta-analyzed;
        was|were screened|compared|determined|split;
        randomly assigned|allocated; randomized|randomised to; took part;
        primary outcome|outcomes|end-point|endpoint; double-blind; placebo-controlled;
        open-label; crossover|cross-over; cohort; database|databases;
        inclusion|exclusion criteria;""",
    "received": "received;",          # "patients received X" is methods ...
    "who_received": "who|that received;",   # ... "patients who received X had" is not
    "results": """
        reduced|improved|increased|decreased|fell|rose|differed|declined|responded;
        remitted|lowered|persisted|predicted|outperformed|showed|revealed|occurred|emerged;
        response|remission rate|rates; compared with; than placebo|saline|control|after|with;
        no difference|change; did not differ|improve|reduce|change|predict;
        was|were higher|lower|greater|similar|comparable|more|less|superior|linked;
        was|were observed|found|detected|noted|significantly; significant|significantly;
        higher|lower|greater|larger|smaller|better|worse|more|fewer ~6 than;
        had a|an larger|greater|higher|lower|smaller|better|worse;
        more common|frequent|effective;""",
    "background": """
        ^ ~3 is|are a|an|the|one|common|among|increasingly|often|widely|used|known;
        ^ ~3 is|are characterized|characterised|associated|licensed|approved|prescribed;
        ^ previous|prior|recent|earlier|despite|little|few|many|most|standard|current;
        has|have been shown|reported|suggested|proposed|implicated|used|studied|linked;
        is known; remains|remain unclear|unknown|poorly; had|has|have not been;
        there is|are a|an|growing|limited|little|no|increasing;""",
    "hedge": """may; might; could; suggest*; appear|appears|appeared; warrant*; promising;
        support|supports|supported;""",
}
_TABLE = PhraseTable({**ROLE_CUES, **DIRECTION_CUES})   # one pass serves roles and findings
# A cue outweighs the position prior; stronger cues win.
_WEIGHTS = {"objective": (OBJECTIVE, 3.0), "conclusion": (CONCLUSIONS, 3.0),
            "conclusion_strong": (CONCLUSIONS, 5.0), "percent": (RESULTS, 1.0),
            "stats": (RESULTS, 2.5), "methods": (METHODS, 2.0), "results": (RESULTS, 1.5),
            "background": (BACKGROUND, 2.0), "hedge": (CONCLUSIONS, 1.0),
            "received": (METHODS, 2.0)}
_ORDER = {BACKGROUND: 0, OBJECTIVE: 1, METHODS: 2, RESULTS: 3, CONCLUSIONS: 4}
# Abstracts run forward; staying in the same section is likelier than jumping, except
# out of the objective, which is usually one sentence.
_CONTINUITY = {BACKGROUND: 0.6, OBJECTIVE: 0.2, METHODS: 0.8, RESULTS: 0.8, CONCLUSIONS: 0.8}


def infer_roles(texts: list[str], fixed: list[str | None] | None = None) -> list[str]:
    """Role of each abstract sentence: the fixed (structured) role, else cues + position."""
    tags = [{tag for tag, _ in _TABLE.scan(tokenize(t))} for t in texts]
    return _roles(tags, fixed or [None] * len(texts))


def _roles(tags: list[set[str]], fixed: list[str | None]) -> list[str]:
    n, prev = len(tags), BACKGROUND
    roles: list[str] = []
    for i, (found, role) in enumerate(zip(tags, fixed, strict=True)):
        if role is None:
            scores = _position_prior(i, n, prev)
            if "who_received" in found:
                found = found - {"received"}
            for tag in found:
                if tag in _WEIGHTS:
                    cue_role, weight = _WEIGHTS[tag]
                    scores[cue_role] += weight
            role = max(scores, key=scores.__getitem__)
        roles.append(role)
        prev = role
    return roles


def _position_prior(i: int, n: int, prev: str) -> dict[str, float]:
    """First sentences lean background/objective, the last ones conclusions, the middle
    methods then results; going back to an earlier section costs."""
    rel = i / (n - 1) if n > 1 else 0.0
    last = n - 1 - i
    scores = {role: (-1.0 if i and _ORDER[role] < _ORDER[prev] else 0.0) for role in _ORDER}
    scores[BACKGROUND] += 1.0 if i == 0 else 0.0
    scores[OBJECTIVE] += 0.3 if i <= 1 else 0.0
    scores[METHODS] += 0.5 if 0.0 < rel < 0.7 else 0.0
    scores[RESULTS] += 0.5 if 0.4 <= rel < 1.0 else 0.0
    scores[CONCLUSIONS] += 1.5 if n >= 3 and last == 0 else 0.3 if n >= 4 and last == 1 else 0.0
    scores[RESULTS] += 1.0 if n == 2 and last == 0 else 0.0     # "what was done. what it found."
    if i:
        scores[prev] += _CONTINUITY[prev]
    return scores


def sentences_of(record: Record) -> list[Sentence]:
    """Every sentence of a Paper, Trial or FeedItem, in record order."""
    if isinstance(record, Paper):
        return _abstract_sentences(record.title, _paper_abstract(record))
    if isinstance(record, Trial):
        return _trial_sentences(record)
    if isinstance(record, FeedItem):
        return _abstract_sentences(record.title, [(t, None) for t in
                                                  split_sentences(record.summary)])
    raise TypeError(f"sentences_of: not a record: {type(record).__name__}")


def _paper_abstract(paper: Paper) -> list[tuple[str, str | None]]:
    return [(text, section_role(section)) for section in paper.abstract_sections
            for text in split_sentences(section.text)]


def _abstract_sentences(title: str, abstract: list[tuple[str, str | None]]) -> list[Sentence]:
    out = [Sentence("title", "title", t, i) for i, t in enumerate(split_sentences(title))]
    fixed = [role for _, role in abstract]
    tokens = [tokenize(text) if role in _FINDING_ROLES or role is None else []
              for text, role in abstract]
    # Unlabelled sentences need role and finding cues; labelled ones only finding cues.
    hits = [(_TABLE if role is None else DIRECTION_TABLE).scan(toks) if toks else []
            for toks, (_, role) in zip(tokens, abstract, strict=True)]
    roles = _roles([{tag for tag, _ in h} for h in hits], fixed)
    for (text, _), role, toks, found in zip(abstract, roles, tokens, hits, strict=True):
        if role in _FINDING_ROLES:
            out.append(Sentence("abstract", role, text, len(out), direction_from(toks, found),
                                numbers_in(text, toks)))
        else:
            out.append(Sentence("abstract", role, text, len(out)))
    return out


def _trial_sentences(trial: Trial) -> list[Sentence]:
    """Registry text keeps its field as its role: the registry already says what it is."""
    parts: list[tuple[str, str]] = []
    for name, text in (("title", trial.brief_title), ("official_title", trial.official_title),
                       ("brief_summary", trial.brief_summary),
                       ("detailed_description", trial.detailed_description)):
        parts.extend((name, t) for t in split_sentences(text))
    parts.extend(("arm_group", _joined(a.label, a.description)) for a in trial.arm_groups)
    parts.extend(("intervention", _joined(_intervention_name(i.name, i.other_names),
                                          i.description)) for i in trial.interventions)
    parts.extend(("condition", c) for c in trial.conditions)
    parts.extend(("keyword", k) for k in trial.keywords)
    parts.extend(("primary_outcome", o) for o in trial.primary_outcomes)
    parts = [(name, text.strip()) for name, text in parts if text and text.strip()]
    return [Sentence(name, name, text, i) for i, (name, text) in enumerate(parts)]


def _intervention_name(name: str, other_names: list[str]) -> str:
    others = [o for o in other_names if o and o != name]
    return f"{name} ({', '.join(others)})" if others else name


def _joined(head: str, description: str) -> str:
    """"label: description", one sentence even when the description has several."""
    description = " ".join(description.split())
    return f"{head}: {description}" if head and description else head or description
