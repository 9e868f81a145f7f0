"""Which drug a route phrase belongs to.

A route adjective modifies what follows it: in "intranasal ketamine with intravenous
metoclopramide" IV is metoclopramide's although no list of comparator drugs names
it, and in "intravenous midazolam and ketamine" it is shared.  So a pre-nominal
route word (intravenous, IV, oral, IM ...) is first attached forward, up to the next
comparison word, route or clause end: to the study drug if it is named there, to
whatever else it names first otherwise.  Route phrases that do not precede a noun
("given intravenously", "esketamine nasal spray") fall back to distance: they belong
to the nearest drug name (routes.toml [anchors] lists the common others), and a
route inside the parenthesis right after a name is that name's ("esketamine (0.25
mg/kg i.v.) or saline").  Routes named only as a contrast ("an alternative to IV
ketamine") are dropped before any of this (routes.toml [contrast]).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from litwatch.classify.any_phrase import AnyPhrase, compile_any
from litwatch.classify.taxonomy import Hit, PhraseScanner, build_scanner, load

# A route phrase further than this (characters) from every drug name is not
# attributed to a drug; "ketamine (0.5 mg/kg) was given intravenously" fits well.
MAX_GAP = 60
_TIERS = ("forms", "phrases", "implied")
_WINDOW = 60
# Where a route adjective's noun phrase ends.
_STOP = re.compile(r"[.;:)]|\b(?:versus|vs\.?|compared|than|whereas|while|but|who|which|"
                   r"that|when|because|in|for|at|on|to|is|are|was|were|has|have|had|be|"
                   r"been|can|could|may|might|will|would|over|during|via|by|as|from|after|"
                   r"before|within|into|through|per|every|each|then|until|once|twice|"
                   r"daily|weekly|q\d*h?)\b", re.IGNORECASE)
# Words between a route adjective and the drug it modifies ("intravenous low-dose
# racemic ketamine", "IV bolus of 0.5 mg/kg ketamine").
_BRIDGE = frozenset("""a an the of and or with plus single repeated serial fixed flexible
    low-dose high-dose low high dose doses dosing subanesthetic sub-anesthetic subanaesthetic
    sub-anaesthetic subdissociative sub-dissociative dissociative racemic bolus boluses
    infusion infusions injection injections administration administered delivery route
    routes formulation spray sprays drip push continuous intermittent adjunctive add-on
    weekly daily twice once administrations given mg kg mg/kg µg/kg ml either vehicle
    analgesic analgesia pump pumps pca patient-controlled catheter saline placebo
    anesthetic anaesthetic anesthetics anaesthetics agent agents drug drugs medication
    medications induction""".split())
_ROUTE_LIST = re.compile(r"^\s*(?:and|or|and/or|,|/)\s*$", re.IGNORECASE)
_NOUN_NEXT = re.compile(r"\s+[(A-Za-z]")
# Items of a list before the study drug ("intravenous midazolam and", "topical
# amitriptyline, "): the route adjective is shared by every item.
_SHARED_LIST = re.compile(r"(?:\s*[\w()+/-]+(?:\s+[\w()+/-]+)?\s*"
                          r"(?:,|;|\band\b|\bor\b|/|\+|\bplus\b)(?:\s*and\b)?)+\s*$",
                          re.IGNORECASE)
_WORD = re.compile(r"\(([^()]{0,40})\)|([A-Za-z][\w/+-]*)|(\d[\d.,/]*)")
_CONTROL = re.compile(r"placebo|saline", re.IGNORECASE)
# A control that is itself dosed ("placebo was given intravenously") keeps its route.
_DOSED = re.compile(r"\s+(?:\w+\s+){0,2}?(?:was|were|is|are|being)\s+(?:\w+\s+)?(?:given|"
                    r"administered|infused|injected|delivered|applied|sprayed)\b", re.IGNORECASE)
_KETAMINE = re.compile(r"ketamin", re.IGNORECASE)
# What joins two items of a list, possibly with a dose in parentheses after the first.
_LISTED = re.compile(r"\s*\)?\s*(?:\([^()]{0,40}\)\s*)?(?:or|and|and/or|versus|vs\.?|/|,)\s*"
                     r"(?:\(?(?:normal )?)?", re.IGNORECASE)


@dataclass(frozen=True)
class RouteRules:
    scanner: PhraseScanner
    mesh: dict[str, str]
    other_drugs: AnyPhrase
    study_drug: AnyPhrase
    contrast: re.Pattern[str]
    dismissed: re.Pattern[str]


@cache
def rules() -> RouteRules:
    data = load("routes")
    mesh = {t.lower(): k for k, sec in data.items() if isinstance(sec, dict)
            for t in sec.get("mesh", [])}
    anchors = data["anchors"]
    return RouteRules(build_scanner(data, exclude=("anchors", "contrast"), tiers=_TIERS), mesh,
                      compile_any(anchors["other_drugs"]), compile_any(anchors["study_drug"]),
                      _contrast(data["contrast"]["phrases"]),
                      re.compile(rf"[^.;]{{0,60}}?\b(?:{'|'.join(data['contrast']['after'])})",
                                 re.IGNORECASE))


def _contrast(cues: list[str]) -> re.Pattern[str]:
    """A contrast cue ending at most three words before a route phrase."""
    return re.compile(rf"\b(?:{'|'.join(cues)})(?:\s+[^\s.;]+){{0,3}}\s*$", re.IGNORECASE)


def scan_routes(text: str) -> list[Hit]:
    """Route phrases, minus those named only as a contrast ("an alternative to IV",
    "intravenous administration will be difficult to manage")."""
    found = rules()
    return [h for h in found.scanner.scan(text)
            if not found.contrast.search(text, max(0, h.start - 50), h.start)
            and not found.dismissed.match(text, h.end)]


def attributed(text: str, hits: list[Hit], named: list[Hit], drugs: set[str],
               own_text: bool) -> list[Hit]:
    """Route hits that belong to a drug the study gave (`drugs`).

    In the study drug's own intervention or arm text (`own_text`) a hit needs no drug
    name near it ("0.5 mg/kg IV over 40 minutes"), only no other drug nearer.
    """
    if not hits:
        return []
    others = [(m.start(), m.end()) for m in rules().other_drugs.finditer(text)]
    others += [(d.start, d.end) for d in named if d.key not in drugs]
    mine = [(d.start, d.end) for d in named if d.key in drugs]
    others, mine = _with_controls(text, others, mine, hits)
    ends = _sentence_ends(text)
    kept = []
    for hit in hits:
        owner = _forward(text, hit, mine, hits)
        if owner is not None:
            if owner:
                kept.append(hit)
            continue
        # Only other drugs in the hit's own sentence compete for it: an arm's text can
        # run to several ("... ketamine in the form of a 0.5mg/kg iv bolus. Patients in
        # Group SS received saline").  A sentence that names no other drug: its route
        # words are the study drug's at any distance ("a single 10 mg intravenous dose
        # ... or a sublingual dose of ketamine").
        rivals = [span for span in others if _same_sentence(ends, span[0], hit.start)]
        reach = MAX_GAP if rivals else len(text)
        gap = min((_gap(hit, span, text) for span in mine), default=len(text) + 1)
        theirs = min((_gap(hit, span, text) for span in rivals), default=len(text) + 1)
        near = gap <= reach and gap <= theirs
        if near or (own_text and (theirs > MAX_GAP or theirs > gap)):
            kept.append(hit)
    return kept


# Where one sentence of a multi-sentence text (an arm group's description) ends.
_SENTENCE_END = re.compile(r"[.!?](?=\s+[A-Z])")


def _sentence_ends(text: str) -> list[int]:
    return [m.end() for m in _SENTENCE_END.finditer(text)] if ". " in text else []


def _same_sentence(ends: list[int], a: int, b: int) -> bool:
    low, high = min(a, b), max(a, b)
    return not any(low < end <= high for end in ends)


def _with_controls(text: str, others: list[tuple[int, int]], mine: list[tuple[int, int]],
                   hits: list[Hit]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """A placebo listed with the study drug ("ketamine or placebo was given
    intravenously", "saline or esketamine") is given the same way: it joins the study
    drug's span instead of competing with it for the route.  A placebo elsewhere in a
    sentence that names the study drug ("ketamine ... relative to placebo ... 72 hours
    post infusion") mimics the drug: it competes for no route -- unless a route is its
    own ("intranasal esketamine + oral placebo", "placebo (pill)": a double dummy) or
    it is dosed in its own words ("placebo was given intravenously")."""
    if not mine or not others:
        return others, mine
    kept = []
    for start, end in others:
        if not _CONTROL.fullmatch(text, start, end):
            kept.append((start, end))
            continue
        # Beside the drug's own name, not a generic "study medication/placebo".
        joined = any(
            (_LISTED.fullmatch(text, e, start) or _LISTED.fullmatch(text, end, s))
            and _KETAMINE.search(text, s, e) for s, e in mine if e <= start or end <= s)
        if joined:
            mine = [*mine, (start, end)]
        elif _DOSED.match(text, end) or any(
                0 <= start - h.end <= 2 or 0 <= h.start - end <= 2 for h in hits):
            kept.append((start, end))
    return kept, mine


def _forward(text: str, hit: Hit, mine: list[tuple[int, int]], hits: list[Hit]) -> bool | None:
    """True / False when a pre-nominal route word modifies the study drug / something
    else; None when it precedes no noun phrase (adverbs, "nasal spray", clause ends)."""
    # Adverbs and gerunds ("intravenously", "snorting") modify no noun after them
    # ("nebulized albuterol" is modified).
    if hit.tier != "phrases" or " " in hit.text.strip() or hit.text.lower().endswith(
            ("ly", "ing")):
        return None
    if not _NOUN_NEXT.match(text, hit.end):
        return None                        # "(0.25 mg/kg i.v.)": it closes a phrase
    end = hit.end + _WINDOW
    stop = _STOP.search(text, hit.end, end)
    later = [h for h in hits if h.start >= hit.end]
    if later and (not stop or later[0].start < stop.start()) and \
            _ROUTE_LIST.match(text[hit.end:later[0].start]):
        return _forward(text, later[0], mine, hits)    # "IV and IM morphine"
    end = min([end, *([stop.start()] if stop else []), *(h.start for h in later)])
    ours = min((s for s, _ in mine if hit.end <= s < end), default=None)
    if ours is not None:
        # "epidural analgesia with ketamine", "topical amitriptyline, ketamine": the
        # drug is in the phrase the route heads -- unless another drug is that phrase's
        # head, not an item of a list ("Oral Midazolam Combined With Esketamine").
        head = _first_noun(text, hit.end, ours)
        found = None if head is None else rules().other_drugs.search(text[head:ours])
        other = found is not None and found.start() == 0
        return not other or _SHARED_LIST.match(text, hit.end, ours) is not None
    # "intravenous metoclopramide", "IV access": it heads another noun
    return False if _first_noun(text, hit.end, end) is not None else None


def _first_noun(text: str, start: int, end: int) -> int | None:
    """Where the first word that is not a bridge word ("low-dose", "bolus of") starts;
    parentheses and numbers ("(IV)", "0.5") are passed over."""
    for m in _WORD.finditer(text, start, end):
        if m.group(2) is not None and m.group(2).lower() not in _BRIDGE:
            return m.start()
    return None


def _gap(hit: Hit, span: tuple[int, int], text: str) -> int:
    """Characters between a route phrase and a drug name; 0 inside the name's own
    parenthesis ("esketamine (0.25 mg/kg i.v.) or saline": i.v. is esketamine's)."""
    start, end = span
    if hit.end <= start:
        return start - hit.end
    if end <= hit.start:
        between = text[end:hit.start]
        if between.lstrip().startswith("(") and ")" not in between and len(between) <= MAX_GAP:
            return 0
        if _closes_parenthesis_of(text, start, hit):
            return 0
        return hit.start - end
    return 0


def _closes_parenthesis_of(text: str, start: int, hit: Hit) -> bool:
    """"(ketamine 75 mg/kg and xylazine 8 mg/kg, ip)": a route that closes a
    parenthesis of doses is that of every drug listed in it."""
    opened = text.rfind("(", 0, start)
    return (opened >= 0 and ")" not in text[opened:hit.start]
            and "(" not in text[start:hit.start] and hit.start - opened <= 2 * MAX_GAP
            and text[hit.end:hit.end + 2].lstrip().startswith(")"))
