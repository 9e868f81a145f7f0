"""What the words around a condition say about it: whom the study treats, or not.

A condition phrase in a study's own sentence may name its participants ("adults
with bipolar depression", "18 (37%) had a diagnosis of CRPS"), the target of its
aim ("to test ketamine for chronic suicidal ideation", "reduce the incidence of
postoperative delirium"), an outcome it measures ("depression scores"), or people
it keeps out ("without a history of psychosis").  These checks only run on
sentences where the indication scanner already found a phrase, and only look a few
dozen characters either side of it, so they cost nothing on most sentences; the
patterns are lower case and read the cached lower-cased sentence (no IGNORECASE scan).
"""

from __future__ import annotations

import re

from litwatch.classify.taxonomy import Hit, lower

_COUNT = (r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|"
          r"fifteen|twenty|thirty|half|most|many|some|all)")
# "patients with X", "adults meeting DSM-5 criteria for X", "those at risk of X",
# "stratified by diagnosis: X", "participants must have failed two antidepressants",
# "three trajectories (mostly X)".
_POPULATION = re.compile(
    r"\b(?:patients|participants|adults|subjects|individuals|people|persons|women|men|children|"
    r"adolescents|youths?|inpatients|outpatients|veterans|mothers|parturients|those|cases|"
    r"volunteers)\b[^.;]{0,40}?\b(?:with|suffering from|experiencing|diagnosed with|meeting "
    r"(?:\S+ ){0,4}?criteria (?:for|of)|who (?:have|had|met|meet|were diagnosed with|suffer "
    r"from)|at (?:\S+ ){0,2}?risk (?:for|of))\s+(?:\S+\s+){0,5}\(?$"
    r"|\bdiagnos(?:is|es|tic groups?)(?: of)?:\s+(?:\S+\s+){0,2}$"
    # "participants who did not improve with standard antidepressants": the hit is the
    # relative clause saying who they are
    r"|\b(?:patients|participants|adults|subjects|individuals|people|those|youths?|"
    r"adolescents|veterans)\s+who\s+$"
    r"|\b(?:participants|patients|subjects)\b[^.;]{0,20}?\bmust (?:have|meet)\s+(?:\S+\s+){0,5}$"
    r"|\((?:mostly|mainly|predominantly|largely) $")
# A cohort's make-up: "18 (37%) had a diagnosis of X", "eight had refractory headache";
# not in a sentence about adverse events ("two patients had headache after dosing").
_COHORT_COUNT = re.compile(
    rf"\b{_COUNT}(?: \(\d+(?:\.\d+)? ?%\))? (?:(?:patients|participants|subjects|cases) )?"
    r"(?:had|have|were diagnosed with|suffered from)(?: an?| the)?(?: (?:primary|confirmed|"
    r"clinical|current) )?(?: diagnos[ie]s of)?\s+(?:\S+\s+){0,2}$")
_ADVERSE = re.compile(r"\b(?:adverse|side[- ]effects?|developed|experienced|reported|after|"
                      r"following|during|transient|emergent|occurred)\b")
# ... or is the subject of what the study did to them ("healthy controls will receive").
_TREATED_NEXT = re.compile(r"[^.;]{0,30}?\b(?:will (?:be )?|were |was |are )?(?:receive[sd]?|given|"
                           r"administered|randomi[sz]ed|enrolled|recruited|included|treated)\b")
# A phrase that itself names the participants ("unipolar and bipolar patients").
_PEOPLE = re.compile(r"\b(?:patients|participants|adults|subjects|individuals|inpatients|"
                     r"outpatients|volunteers|men|women|users|abusers)(?:$| with\b)")
# A sentence that states the study's aim: in a registry summary, which has no
# sections, this is how the sentence saying what the study is for shows itself.
_AIM = re.compile(r"\b(?:aims?|aimed|purpose|objectives?|goals?|hypothes\w+|designed to|"
                  r"intends? to|(?:will|to|we) (?:\w+ )?(?:evaluate|assess|investigate|examine|"
                  r"determine|explore|test|compare|study)|whether)\b")
# The condition as what the intervention is for ("ketamine for X", "to treat X",
# "effects of esketamine on X", "reduce the incidence of X").
_TARGET = re.compile(
    r"\b(?:for(?: the (?:treatment|prevention|management) of)?|treat(?:s|ing)?|treatment of|"
    r"prevent(?:s|ing)?|prevention of|(?:improv|reduc|allevia|reliev|decreas|attenua|"
    r"ameliora)\w*(?: the)?(?: (?:incidence|risk|severity|occurrence|rates?|symptoms) of)?|"
    r"on)\s+(?:the |an? )?(?:[\w-]+\s+){0,4}$")
# Sentences about what is measured name outcomes ("effects on suicidality, anxiety",
# "depression scores", "improvements in anxiety correlated with ..."), and exclusion
# criteria name conditions the study keeps out.
_OUTCOME = re.compile(r"\b(?:outcomes?|end ?points?|(?:secondary|tertiary|exploratory) (?:aims?|"
                      r"objectives?|goals?)|measures?|measured|assessed|questionnaires?|"
                      r"scales?|inventory|scores?|improvements? in|correlat\w+|recorded|signals?|"
                      r"disproportionalit\w+)\b")
# What a drug is licensed or known for ("esketamine is a new drug for TRD", "approved
# for the treatment of ..."): a fact about the drug, not about whom this study treats.
_DRUG_USE = re.compile(
    r"\b(?:is|are) (?:an? |the )?(?:new|novel|first|approved|licensed|established|recently "
    r"approved|fda[- ]approved) (?:[\w-]+ )?(?:drug|medication|medicine|treatment|therapy|agent|"
    r"option) for (?:the treatment of )?(?:[\w-]+\s+){0,2}$"
    r"|\b(?:approved|indicated|licensed|authori[sz]ed) (?:\w+ ){0,6}?for (?:the )?(?:treatment "
    r"|management )?(?:of )?(?:(?:adults|patients) with )?(?:[\w-]+\s+){0,2}$")
# "Future trials should test ketamine in PTSD": what a review asks for, not covers.
_FUTURE = re.compile(r"\b(?:future|further|more|larger|additional) (?:\w+ )?(?:studies|research|"
                     r"trials|investigations?|work)\b")
_EXCLUSION = re.compile(r"\bexclu\w+|\bwithout\b|\bhistory of\b|\bexcept\b")
# "the number of patients with chronic postoperative pain": a count the study measures,
# and "may lead to patients experiencing depression": a consequence feared, not a cohort.
_NOT_COHORT = re.compile(
    r"\b(?:numbers?|proportion|percentage|incidence|rates?|frequency|prevalence) of "
    r"(?:\w+ )?(?:patients|participants|subjects|children|adults|people|women|men)\b[^.;]{0,40}$"
    r"|\b(?:may|can|could|might|will|would) (?:\w+ )?(?:lead|result|contribute|progress)\b"
    r"[^.;]{0,60}$")
_WINDOW = 90


def is_outcome_sentence(text: str) -> bool:
    return _OUTCOME.search(lower(text)) is not None


def calls_for_research(text: str) -> bool:
    return _FUTURE.search(lower(text)) is not None


def keeps_people_out(text: str) -> bool:
    return _EXCLUSION.search(lower(text)) is not None


def names_population(text: str, hit: Hit) -> bool:
    """Is the condition that of the participants ("adults with X", "X patients")?"""
    low = lower(text)
    before = max(0, hit.start - _WINDOW)
    if _NOT_COHORT.search(low, before, hit.start):
        return False
    return bool(_PEOPLE.search(lower(hit.text)) or _TREATED_NEXT.match(low, hit.end)
                or _POPULATION.search(low, before, hit.start)
                or (_COHORT_COUNT.search(low, before, hit.start) and not _ADVERSE.search(low)))


def names_drug_use(text: str, hit: Hit) -> bool:
    """Is the condition what the drug is approved or known for, not the study's?"""
    return _DRUG_USE.search(lower(text), max(0, hit.start - _WINDOW), hit.start) is not None


def names_aim_target(text: str, hit: Hit) -> bool:
    """Is the condition what an aim sentence says the intervention is for?"""
    low = lower(text)
    return bool(_TARGET.search(low, max(0, hit.start - _WINDOW), hit.start)
                and _AIM.search(low))


# A title naming another perioperative outcome ("... on postoperative sleep disturbance
# after cholecystectomy", "emergence agitation after tonsillectomy") is not about the
# operation's pain: the operation word alone (a weak acute-pain hit) does not count.
_OTHER_OUTCOME = re.compile(
    r"\b(?:sleep|insomnia|delirium|agitation|ponv|nausea|vomiting|cognitive|cognition|"
    r"neurocognitive|depressi\w*|anxiety|recovery|emergence|ha?emodynamic\w*|shivering|"
    r"hypotension|intubation|extubation|neuro\w*monitoring)\b", re.IGNORECASE)
_PAIN = re.compile(r"\bpain", re.IGNORECASE)


def without_setting(title: str, hits: list[Hit]) -> list[Hit]:
    """A title's weak hits for the operation a study happens during, dropped when the
    title names another outcome as its subject and no pain.  (Tried for anaesthesia
    too: it lost ECT and neonatal-anaesthesia studies whose titles name cognition.)"""
    if _OTHER_OUTCOME.search(title) and not _PAIN.search(title):
        return [h for h in hits if h.strong or h.key != "acute_pain"]
    return hits
