"""Indications: what condition a study treats or studies, from its own sentences.

Evidence is weighed by where it sits.  A condition named in the title, in a trial's
conditions or in (major) MeSH is what the record is about; the same word once in a
methods or results sentence may be an outcome ("depression scores after surgery")
or a side effect ("anxiety, nausea"), and in a background sentence it is about other
studies, so it is not read at all.  The words around a phrase move its weight
(litwatch/classify/indication_context.py): it names the participants ("adults with
X", "18 (37%) had a diagnosis of X") or the target of the aim ("to test whether
esketamine reduces postoperative delirium") and counts fully; it names what the drug
is approved for ("a new drug for TRD") and does not count outside a review.  Keys
reaching STRONG points are kept; when none does, the best-supported key is kept if it
has any real support, read from the background too when the own sentences name
nothing (never from sentences reporting other studies); the configured query that
found the record is the last resort, and "other" means nothing matched.

A taxonomy key may name two indications ("bipolar_depression+trd"): combined
phrases such as "treatment-resistant bipolar depression" carry both labels.
"""

from __future__ import annotations

from collections import defaultdict

from litwatch.classify.fields import RecordView
from litwatch.classify.indication_context import (
    calls_for_research,
    is_outcome_sentence,
    keeps_people_out,
    names_aim_target,
    names_drug_use,
    names_population,
    without_setting,
)
from litwatch.classify.indication_rules import rules
from litwatch.classify.labels import Label, label_from
from litwatch.classify.sentences import Sentence
from litwatch.classify.study import StudyText, about_other_work
from litwatch.classify.taxonomy import Hit
from litwatch.vocab import INDICATIONS

STRONG = 3.0
# Points per phrase by field or role, (strong phrase, weak phrase).  A weak phrase in
# the title ("sedation", "depressive symptoms") is usually what the study is about.
_HEAD_WEIGHT = {"title": (3.0, 2.0), "official_title": (3.0, 2.0), "condition": (3.0, 2.0),
                "keyword": (2.0, 0.5)}
# Results and conclusions report outcomes ("suicidal thoughts decreased"), not whom
# the study treated; a registry summary's own sentences say what the study is for.
# An arm group's label names a cohort ("Treatment-resistant MDD").
_BODY_WEIGHT = {"objective": (1.5, 0.5), "brief_summary": (1.5, 0.4), "arm_group": (2.0, 1.0),
                "results": (0.5, 0.15), "conclusions": (0.5, 0.15)}
# Registry interventions and outcomes name treatments and measures, not conditions.
_UNREAD = frozenset(("intervention", "primary_outcome"))
_DEFAULT_BODY = (1.0, 0.25)
# A review's results and conclusions name the conditions its studies covered
# ("trials in alcohol, opioid and cocaine use disorders"): its population.
_REVIEWED_ROLES = frozenset(("results", "conclusions"))
_REVIEWED_WEIGHT = (3.0, 1.0)
# A condition naming the participants ("adults with bipolar or unipolar depression"),
# or what an aim sentence says the study treats ("ketamine for chronic suicidal ideation").
_POPULATION_WEIGHT = (3.0, 1.5)
_TARGET_WEIGHT = (3.0, 3.0)
# Sentences that may state the aim (a registry summary has no sections).
_AIM_ROLES = frozenset(("objective", "brief_summary", "detailed_description"))
_BODY_CAP = 4.0
# Without a key at STRONG, the best key needs this much, from at least one phrase
# naming it outright (a short registry summary may name its condition once).
_FALLBACK = 1.0
_MESH_WEIGHT = {"major": 3.0, "minor": 2.0, "weak": 0.5}
_EVIDENCE_FIELDS = ("title", "official_title", "condition", "mesh", "condition_mesh")


class _Tally:
    """Points and first evidence per key; body and explicitly-worded points apart."""

    def __init__(self) -> None:
        self.points: dict[str, float] = defaultdict(float)
        self.body_points: dict[str, float] = defaultdict(float)
        # (key, specific key) -> points from phrases spelling the key out ("major
        # depressive disorder", not bare "depression"): what it needs beside that key.
        self.spelled: dict[tuple[str, str], float] = defaultdict(float)
        self.evidence: dict[str, Label] = {}
        self.strong_seen: set[str] = set()

    def add(self, key: str, points: float, label: Label, strong: bool) -> None:
        self.points[key] += points
        if strong:
            self.strong_seen.add(key)
        best = self.evidence.get(key)
        if best is None or (strong and best.field not in _EVIDENCE_FIELDS):
            self.evidence[key] = Label("indication", key, label.field, label.evidence,
                                       label.sentence_index)


def classify_indications(study: StudyText, view: RecordView,
                         matched_queries: tuple[str, ...] = ()) -> list[Label]:
    tally = _score(study.own, study, view)
    keys = _select(tally)
    if not keys and study.other:
        # Nothing in the study's own sentences: its background is all the record has
        # ("Many people with opioid use disorder ..."), but what other studies found
        # ("ketamine has been shown to improve neuropathic pain") is not this study's.
        own = {s.index for s in study.own}
        context = [s for s in study.sentences
                   if s.index in own or not about_other_work(s, prose=False)]
        tally = _score(context, study, view, own=False)
        keys = _select(tally)
    if not keys:
        # Still nothing: what the study measures and gives ("Change in numerical pain
        # score", "an infusion until the end of surgery") says what it is about.
        unread = [s for s in study.own if s.field in _UNREAD]
        tally = _score(unread, study, view, read=_UNREAD)
        top = max(tally.points.values(), default=0.0)
        keys = [k for k, p in tally.points.items() if top and p == top]
    if keys:
        return [tally.evidence[k] for k in keys]
    return _query_fallback(matched_queries) or [
        Label("indication", "other", "default", "no listed condition named")]


def _score(sentences: list[Sentence], study: StudyText, view: RecordView,
           own: bool = True, read: frozenset[str] = frozenset()) -> _Tally:
    tally = _Tally()
    sentences = [s for s in sentences if s.field not in _UNREAD - read]
    found = study.hits(rules().scanner, sentences,
                       "unread" if read else "own" if own else "context")
    for s in sentences:
        if s.field in _HEAD_WEIGHT:
            _score_head(tally, s, found[s.index])
        elif found[s.index]:
            _score_body(tally, s, found[s.index], study.review)
    if study.is_paper:
        for k in view.keywords:
            for hit in rules().scanner.scan(k):
                weight = _HEAD_WEIGHT["keyword"][0 if hit.strong else 1]
                _add_hit(tally, hit, weight, Label("indication", "", "keyword", k))
    _score_mesh(view, tally)
    return tally


def _add_hit(tally: _Tally, hit: Hit, points: float, where: Label,
             body: bool = False, spelled: float | None = None) -> None:
    """Add a hit's points to each key it names; `spelled` (default: the same points)
    is what it counts towards a key's own words.  A combined phrase ("alcohol and
    substance misuse") names each of its keys beside the other outright."""
    named = hit.key.split("+")
    for key in named:
        gained = points
        if body:
            gained = min(points, max(_BODY_CAP - tally.body_points[key], 0.0))
            if not gained:
                continue
            tally.body_points[key] += gained
        tally.add(key, gained, where, hit.strong)
        for other, (_, words) in rules().beside.get(key, {}).items():
            if other in named or any(w in hit.text.lower() for w in words):
                tally.spelled[key, other] += gained if spelled is None else spelled


def _score_head(tally: _Tally, s: Sentence, hits: list[Hit]) -> None:
    strong_w, weak_w = _HEAD_WEIGHT[s.field]
    if s.field in ("title", "official_title"):
        hits = without_setting(s.text, hits)
    as_mesh = rules().mesh.get(s.text.strip().lower()) if s.field == "condition" else None
    if as_mesh:
        # Registrants often type a MeSH heading ("Depressive Disorder,
        # Treatment-Resistant"), whose inverted word order defeats the phrases.
        hits = [Hit(as_mesh, True, 0, len(s.text), s.text)]
    else:
        hits = hits + _inverted(s)
    if hits:
        where = label_from("indication", "", s)
        for hit in hits:
            _add_hit(tally, hit, strong_w if hit.strong else weak_w, where)


def _inverted(s: Sentence) -> list[Hit]:
    """A condition typed as an inverted heading ("Depression, Bipolar") read in order
    too: "Bipolar Depression" names the key the plain reading ("depression") misses."""
    if s.field != "condition" or s.text.count(",") != 1:
        return []
    head, tail = (part.strip() for part in s.text.split(","))
    return [Hit(h.key, h.strong, 0, len(s.text), s.text, h.tier)
            for h in rules().scanner.scan(f"{tail} {head}")]


def _score_body(tally: _Tally, s: Sentence, hits: list[Hit], review: bool = False) -> None:
    role = s.role if s.field == "abstract" else s.field
    outcome = is_outcome_sentence(s.text)
    if review and role in _REVIEWED_ROLES and not outcome and not calls_for_research(s.text):
        weights = _REVIEWED_WEIGHT    # what the reviewed studies covered
    else:
        # A registry summary's endpoint ("the reduction of postoperative pain") names
        # what the study treats more surely than a paper's reported outcome does; its
        # secondary outcomes ("anxiety, postoperative pain") do not.
        primary = outcome and s.field in _AIM_ROLES and "secondary" not in s.text.lower()
        weights = _DEFAULT_BODY if primary else \
            _BODY_WEIGHT.get("results" if outcome else role, _DEFAULT_BODY)
    where = label_from("indication", "", s)
    # Exclusion criteria name conditions the study keeps out; a statement of the aim
    # names what it treats, unless it is about what is measured.
    population = not keeps_people_out(s.text)
    aim = population and not outcome and role in _AIM_ROLES
    # Only an arm's label names a cohort; its description is prose like any other.
    label_end = s.text.find(": ") if s.field == "arm_group" else -1
    label_end = label_end if label_end >= 0 else len(s.text)
    for hit in hits:
        if not review and names_drug_use(s.text, hit):
            continue    # a review's subject may be what the drug is approved for
        strength = 0 if hit.strong else 1
        base = (weights if hit.start < label_end else _DEFAULT_BODY)[strength]
        points = base
        if population and names_population(s.text, hit):
            points = _POPULATION_WEIGHT[strength]
        elif aim and names_aim_target(s.text, hit):
            points = max(base, _TARGET_WEIGHT[strength])
        # "TRD patients meeting criteria for MDD": the population weight says whom the
        # study treated, not that MDD is a second indication beside TRD.
        _add_hit(tally, hit, points, where, body=True, spelled=min(points, base))


def _score_mesh(view: RecordView, tally: _Tally) -> None:
    field = "condition_mesh" if view.source == "ctgov" else "mesh"
    major = {m.lower() for m in view.mesh_major}
    for term in view.mesh:
        low = term.lower()
        where = Label("indication", "", field, term)
        if low in rules().mesh:
            weight = _MESH_WEIGHT["major" if low in major else "minor"]
            # ctgov derived condition MeSH add ancestors ("Depressive Disorder, Major"
            # for every TRD trial): they count for a key, never as its explicit support.
            key = rules().mesh[low]
            tally.add(key, weight, where, True)
            if field == "mesh":
                for other in rules().beside.get(key, {}):
                    tally.spelled[key, other] += weight
        elif low in rules().weak_mesh:
            tally.add(rules().weak_mesh[low], _MESH_WEIGHT["weak"], where, False)


def _select(tally: _Tally) -> list[str]:
    points = tally.points
    keys = [k for k, p in points.items() if p >= STRONG]
    if not keys:
        # No key is clearly the subject: keep the best supported one.
        backed = {k: p for k, p in points.items()
                  if p >= _FALLBACK and (k in tally.strong_seen or p >= 2 * _FALLBACK)}
        if backed:
            top = max(backed.values())
            keys = [k for k, p in backed.items() if p == top]
    keys = [k for k in keys if not _suppressed(k, keys, tally)]
    return sorted(keys, key=list(INDICATIONS).index)


def _suppressed(key: str, keys: list[str], tally: _Tally) -> bool:
    """A generic key next to a more specific one ("mdd" next to "trd") needs its own words.

    Beside a `beside` key it stays only with that entry's points from phrases that
    spell it out ("major depressive disorder" in the conditions, not "depression"
    again, which in a TRD record restates TRD).
    """
    return any(other in keys and tally.spelled[key, other] < needed
               for other, (needed, _) in rules().beside.get(key, {}).items())


def _query_fallback(matched_queries: tuple[str, ...]) -> list[Label]:
    labels: list[Label] = []
    for name in matched_queries:
        key = name if name in INDICATIONS else rules().queries.get(name)
        if key and key != "other" and all(lb.value != key for lb in labels):
            labels.append(Label("indication", key, "query", name))
    return labels
