"""Which way a results or conclusions sentence points: benefit, no difference, harm, mixed.

Direction is decided clause by clause, negation first: "did not significantly reduce"
must never count as "significantly reduced", and a null result must never be read as
support. A sentence whose clauses disagree ("improved X but not Y") is "mixed". The
numbers a finding reports are read in sentence_numbers.
"""

from __future__ import annotations

from bisect import bisect_right

from .sentence_split import PhraseTable, tokenize

BENEFIT, NO_DIFFERENCE, HARM, MIXED = "benefit", "no_difference", "harm", "mixed"

_HARM_TERMS = ("adverse|side|serious|toxicity|neurotoxic*|dependence|cystitis|uropathy|harm*|"
               "death|deaths|died|mortality|abuse|misuse|psychosis|suicid*|relapse|relapses|"
               "dropout*|discontinu*|risk|risks|nausea|vomiting|dissociat*|hallucinat*|hypertens*|"
               "psychotomimetic|psychomimetic|hepatotoxic*")
_EFFECTS = "antidepressant|antisuicidal|analgesic|anxiolytic|antidepressant-like"
# Phrase syntax: see PhraseTable. Tags are read clause by clause in _clause_direction.
DIRECTION_CUES = {
    "nd": """did|does|do|was|were|is|are|has|have not; failed|fails|fail to; could not;
        no significant|statistically|clinically|meaningful|difference|differences|change;
        no changes|effect|improvement|benefit|advantage|evidence;
        no added|early|additional|clear;
        not significantly|superior|different|statistically|differ|improve|reduce;
        non-significant|nonsignificant|insignificant; refuted|refute|refutes|null|neither;
        trend|trends|trended toward|towards|for; significance ~6 lost; lost significance;
        no ~1 relief|reduction|response;
        numerical|numerically; missed its|the primary;""",
    "but_not": "but not;",
    # "relieved pain without functional improvement": the null opens its own clause
    "without_null": "without ~2 improvement|improvements|benefit|efficacy|change|relief;",
    # "improved X but not Y": the null belongs to the Y clause
    "similar": "similar; comparable; comparably;",
    "similar_safety": "similar|comparable ~2 safety|tolerab*|adverse|side;",
    "noninf_neg": "not|failed ~4 non-inferior*|noninferior*; non-inferior*|noninferior* ~3 not;",
    "noninf": "non-inferior*|noninferior*;",
    "harm": f"""worsen|worsened|worsening|worsens; increased ~1 risk; higher risk;
        more adverse|serious|side;
        higher|increased|greater rate|rates|incidence|frequency of ~3 {_HARM_TERMS};
        toxicity; neurotoxic*; dependence; cystitis; uropathy; harm|harms|harmful;
        death|deaths|died; abuse|misuse; psychosis; increased|higher mortality;
        hepatotoxic*; liver ~2 injury|failure|damage|enzyme|enzymes;
        more often|frequently|commonly ~4 experienced|reported|had|developed;
        adverse|side|aes|teaes|dissociat*|psychotomimetic|psychomimetic ~4 more|significantly
        frequent|common|often|frequently;
        discontinued|withdrew|stopped ~4 due|because ~3 adverse|aes|teaes|side|intolerab*;
        experienced|developed ~3 serious|severe ~1 adverse|aes|teaes;""",
    "harm_reduced": f"reduc*|lower*|decreas*|prevent*|fewer|less|cut|cuts|halved|delayed ~6 "
                    f"{_HARM_TERMS}; lower|reduced|decreased ~2 incidence|prevalence;",
    "adverse": """adverse; side-effect|side-effects; side effect|effects; dissociat*;
        blood pressure; hypertens*; psychotomimetic; agitation; nausea; vomiting;
        hallucinat*; psychomimetic; teae|teaes|ae|aes;""",
    "safety": "safety; tolerab*; tolerated;",
    "more": "more; higher; increased; greater; caused; induced; elevated; raised;",
    "reassure": """well-tolerated; well tolerated; safe; mild; transient; brief; minimal;
        no serious; uncommon; rare; short-lived; without;""",
    "benefit": f"""superior; outperform*; effective; efficacious; efficacy; improved;
        improvement|improvements|improves; relieved|relieves; alleviat*; resolved; remitted;
        responded; relapse-free; benefit|benefits|beneficial|benefited;
        significant|significantly reduc*|improv*|greater|higher|lower|decreas*|faster|better;
        higher|greater|larger ~3 response|remission|reduction|improvement;
        response|remission rate|rates was|were higher; more frequent with;
        lower|higher|greater|larger|better|more|less|fewer|faster|increased _ ~9
        than|versus|vs|compared;
        rapid ~4 {_EFFECTS} effect|effects; {_EFFECTS} effect|effects of|was|were;
        produce|produced|produces|achieve|achieves|achieved|exert|exerted|exerts ~4 {_EFFECTS};
        favoring|favouring|favored|favoured|favours|favors ketamine|esketamine|treatment|the;
        promising; enhanced; pain-free; pain free; symptomatic relief;
        support|supports|supported|confirm|confirms|confirmed the|its effectiveness|efficacy|safety;
        support|supports|supported|confirm|confirms|confirmed the|its tolerability|benefit|benefits;
        increase|increases|increased in ~2 response|remission|responders;
        achieved|attained|reached ~3 remission|response;
        response|remission rate|rates was|were achieved|attained;
        response|remission|reduction|responder|improvement rate|rates was|were higher;
        significant|significantly drop|decline|relief;""",
    "reduction": "reduc*; decreas*; fell; lower; lowered; declined; dropped; less; cut; relief;",
    "outcome": """symptom*; score|scores|rating|ratings; depressi*; pain; ideation; suicid*;
        anxiety; craving; severity; madrs|ham-d|hamd|hdrs|phq-9|bdi|qids; immobility;
        consumption; use; relapse; attack|attacks; frequency; disability; ptsd; obsessions;
        distress; agitation; delirium; opioid*; outcome|outcomes;""",
    # A new clause starts after these (and after ';', ', and', 'and was': _clause_starts).
    "clause": "but|whereas|while|although|though|however|yet;",
}
DIRECTION_TABLE = PhraseTable(DIRECTION_CUES)
# A null about the control arm ("the saline day produced no change") is not a null
# about the treatment.
_CONTROLS = frozenset("placebo saline sham control controls waitlist usual".split())
_LEADING = frozenset("and the in".split())
# Tags without which _clause_direction returns None.
_DECISIVE = frozenset("nd but_not without_null similar noninf_neg noninf harm harm_reduced "
                      "adverse benefit reduction".split())
_AFTER_COMMA = frozenset("and but whereas while although though however so with yet".split())
_CLAUSE_VERBS = frozenset("was were increased decreased reduced improved caused worsened "
                          "produced lowered".split())


def direction_of(sentence: str) -> str | None:
    """benefit | no_difference | harm | mixed, or None when nothing is compared."""
    tokens = tokenize(sentence)
    return direction_from(tokens, DIRECTION_TABLE.scan(tokens))


def direction_from(tokens: list[str], hits: list[tuple[str, int]]) -> str | None:
    """Direction from a scan that included DIRECTION_CUES (other tags are ignored)."""
    if _DECISIVE.isdisjoint([tag for tag, _ in hits]):
        return None                    # no clause could have a direction: skip the split
    starts = _clause_starts(tokens, hits)
    by_clause: dict[int, set[str]] = {}
    for tag, at in hits:
        if tag == "but_not":
            tag, at = "nd", at + 1
        elif tag == "without_null":
            tag = "nd"
        by_clause.setdefault(bisect_right(starts, at) - 1, set()).add(tag)
    found = {d for c, tags in by_clause.items()
             if (d := _clause_direction(tags)) and not _control_subject(tokens, starts[c])}
    if BENEFIT in found and (NO_DIFFERENCE in found or HARM in found):
        return MIXED
    for direction in (HARM, BENEFIT, NO_DIFFERENCE):
        if direction in found:
            return direction
    return HARM if found else None                 # only a weak harm was reported


def _clause_starts(tokens: list[str], hits: list[tuple[str, int]]) -> list[int]:
    """Token index where each clause starts: after ';', ', but', 'whereas', 'and was'.
    Separators are common tokens, so they are found with list.index, not the scan."""
    starts = {0}
    starts.update(at + 1 for tag, at in hits if tag == "clause")
    starts.update(at for tag, at in hits if tag == "without_null")
    for sep, follow in ((";", None), (",", _AFTER_COMMA), ("and", _CLAUSE_VERBS)):
        at = -1
        for _ in range(tokens.count(sep)):
            at = tokens.index(sep, at + 1)
            if follow is None or at + 1 < len(tokens) and tokens[at + 1] in follow:
                starts.add(at + 1)
    return sorted(starts)


def _control_subject(tokens: list[str], start: int) -> bool:
    for tok in tokens[start:start + 4]:
        if tok not in _LEADING and tok != ",":
            return tok in _CONTROLS
    return False


def _clause_direction(tags: set[str]) -> str | None:
    if "noninf_neg" in tags:
        return NO_DIFFERENCE
    if "noninf" in tags:
        return BENEFIT
    if "nd" in tags or "similar" in tags and "similar_safety" not in tags:
        # "adverse events did not differ" reassures about safety; it is not a null result
        about_safety = ("adverse" in tags or "safety" in tags) and "outcome" not in tags
        return None if about_safety and "benefit" not in tags else NO_DIFFERENCE
    if "harm_reduced" in tags:
        return BENEFIT
    if "harm" in tags:
        return HARM
    adverse = "adverse" in tags and "reassure" not in tags
    if adverse and "more" in tags:
        return HARM            # "psychotomimetic effects were more common"
    if "benefit" in tags or "reduction" in tags and "outcome" in tags:
        return BENEFIT
    return "weak_harm" if adverse else None
