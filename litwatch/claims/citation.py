"""Is the cited study in the store, and does it report what the claim says it found?

A popular article's citation ("a 2019 study in The American Journal of
Psychiatry", "research at Yale") is found as cited only when a stored record
matches the citation AND its results or conclusions report the claimed finding:
the population, a stated time point, a stated effect size.  A record from the
right journal and year that reports something else is listed as a near miss
with the reason, never counted as the cited study.

Popular articles write "The American Journal of Psychiatry"; PubMed stores "The
American journal of psychiatry" with the ISO abbreviation "Am J Psychiatry".
Journal names are compared token by token after dropping articles and
subtitles, an abbreviated token matching any word it is a prefix of, so NLM
abbreviations match full titles without a table of every journal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from litwatch.claims.details import reports_number, unreported_quantities
from litwatch.claims.model import Claim
from litwatch.claims.records import RecordFacts, Store
from litwatch.claims.summary import Finding, Summary
from litwatch.vocab import REVIEW_DESIGNS

MAX_NEAR = 8
_STOP = {"the", "of", "and", "for", "in", "on", "a", "an"}
# Journals that changed their name: the old title is the same journal for citations.
RENAMED = {("jama", "psychiatry"): ("archives", "general", "psychiatry")}


# Journals a popular article names by their initials.
_INITIALS = {"nejm": "new england journal of medicine", "pnas":
             "proceedings of the national academy of sciences", "ajp":
             "american journal of psychiatry"}


def journal_tokens(name: str) -> tuple[str, ...]:
    name = name.lower().replace("&", " and ")
    name = _INITIALS.get(name.strip(), name)
    name = re.sub(r"\(.*?\)", " ", name)           # "(London, England)", "(Berl)"
    name = name.split(" : ")[0].split(" = ")[0]    # NLM subtitles and parallel titles
    return tuple(t for t in re.findall(r"[a-z0-9]+", name) if t not in _STOP)


def journal_matches(cited: str, stored: str) -> bool:
    """True when `stored` is the cited journal, spelled out, abbreviated or renamed."""
    a, b = journal_tokens(cited), journal_tokens(stored)
    if not a or not b:
        return False
    if _same(a, b):
        return True
    return any(_same(a, old) and _same(new, b) or _same(a, new) and _same(old, b)
               for new, old in RENAMED.items())


def _same(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    if len(a) != len(b):
        return False
    return all(x.startswith(y) or y.startswith(x) for x, y in zip(a, b, strict=True))


def in_journal(cited: str, journal: str, abbrev: str = "") -> bool:
    """Does a journal (full title or abbreviation) match the citation?  "any
    psychiatry journal" matches every journal with a word on psychiatry."""
    if cited.startswith("any ") and cited.endswith(" journal"):
        stem = cited.split()[1][:7]
        return any(t.startswith(stem) for t in journal_tokens(journal) + journal_tokens(abbrev))
    return journal_matches(cited, journal) or (bool(abbrev) and journal_matches(cited, abbrev))


@dataclass
class Citation:
    """The outcome of looking for the cited study among the stored records."""

    cited: str                                             # "Am J Psychiatry 2019"
    matched: list[Finding] = field(default_factory=list)   # cited source AND claimed finding
    near: list[str] = field(default_factory=list)          # candidates and why they fail
    # Found by another part of the same claim ("..., with the effect lasting a week"):
    # the study is in the store, whatever this part's finding.
    found_by_claim: list[str] = field(default_factory=list)

    @property
    def found(self) -> bool:
        return bool(self.matched or self.found_by_claim)


def describe_citation(claim: Claim) -> str:
    imp = claim.implies
    parts = [f"the {imp.trial} trial" if imp.trial else "", imp.journal,
             str(imp.year) if imp.year else "",
             f"({imp.institution})" if imp.institution else "",
             f"'{imp.study}'" + (f" reporting {imp.effect}" if imp.effect else "")
             if imp.study else ""]
    return " ".join(p for p in parts if p)


def check_citation(store: Store, claim: Claim, summary: Summary,
                   candidates: list[RecordFacts]) -> Citation:
    """Records from the cited source that report the claimed finding (else the nearest)."""
    citation = Citation(describe_citation(claim))
    imp = claim.implies
    pool = {f.record_id: f for f in candidates}
    if imp.year and imp.journal:
        years = (imp.year - 1, imp.year, imp.year + 1)     # epub year may differ by one
        pool.update({f.record_id: f for f in store.by_year(
            years, lambda j, a: in_journal(imp.journal, j, a))})
    by_id = {f.facts.record_id: f for f in summary.findings}
    misses: list[tuple[int, str]] = []
    for facts in sorted(pool.values(), key=lambda f: (f.year or 0, f.source_id)):
        if not _cited_source(store, claim, facts):
            continue
        finding = by_id.get(facts.record_id)
        problem = _problem(facts, finding, summary, claim)
        if problem:
            # Closest first: a finding for the claim that misses a detail, then any
            # reading, then the rest of the cited journal's year.
            rank = 0 if finding and finding.stance == "for" else 1 if finding else 2
            misses.append((rank, f"{_label(facts)}: {problem}"))
        else:
            citation.matched.append(by_id[facts.record_id])
    citation.near = [text for _, text in sorted(misses, key=lambda m: m[0])][:MAX_NEAR]
    if not citation.matched and not citation.near:
        citation.near = _nearest(summary, claim)
    return citation


def _nearest(summary: Summary, claim: Claim) -> list[str]:
    """No record from the cited source at all: the on-topic records closest to it."""
    imp = claim.implies
    scored = []
    for f in summary.counted:
        journal = bool(imp.journal) and in_journal(imp.journal, f.facts.journal,
                                                  f.facts.journal_abbrev)
        near_year = bool(imp.year and f.facts.year and abs(f.facts.year - imp.year) <= 3)
        why = ["same journal" if journal else "another journal",
               "same year" if imp.year and f.facts.year == imp.year
               else f"{f.facts.year}" + (f", not {imp.year}" if imp.year else "")]
        scored.append((-(2 * journal + near_year + (f.stance == "for")), f, ", ".join(why)))
    scored.sort(key=lambda t: (t[0], t[1].facts.tier))
    return [f"{_label(f.facts)}: {why}" for _, f, why in scored[:3]]


def _cited_source(store: Store, claim: Claim, facts: RecordFacts) -> bool:
    imp = claim.implies
    return ((not imp.journal or in_journal(imp.journal, facts.journal, facts.journal_abbrev))
            and (not imp.year or imp.year in facts.years)
            and (not imp.institution or _from_institution(store, facts, imp.institution))
            # A trial's name is often missing from its abstract (SUSTAIN-1 is not in
            # Daly 2019's): with the journal and year cited, those identify the record.
            and (not imp.trial or bool(imp.journal and imp.year)
                 or _names_trial(store, facts, imp.trial)))


def _names_trial(store: Store, facts: RecordFacts, name: str) -> bool:
    """Does the record name the cited trial ("ESCAPE-TRD", "TRANSFORM 2")?  A paper
    whose abstract does not is still that trial when its registration (the NCT number
    it cites, held in the store) does: SUSTAIN-1 is named in NCT02493868, not in
    Daly 2019's abstract."""
    raw = store.raw_text(facts.record_id)
    wanted = _squashed(name)
    if wanted in _squashed(facts.title + " " + raw):
        return True
    if facts.source != "pubmed":
        return False
    return any(wanted in _squashed(store.registration_text(nct))
               for nct in sorted(set(re.findall(r"NCT\d{8}", raw)))[:5])


def _squashed(text: str) -> str:
    """Lower case without spaces and hyphens: "TRANSFORM 2" and "transform-2" agree."""
    return re.sub(r"[\s-]+", "", text.lower())


def _from_institution(store: Store, facts: RecordFacts, institution: str) -> bool:
    text = (store.raw_text(facts.record_id) + " " + facts.journal).lower()
    return any(key in text for key in _institution_keys(institution))


# Agencies a popular article names by acronym while affiliations spell out the
# institute: an "NIH study" is one run at any National Institute (NIMH, NIDA, ...).
_AGENCY_NAMES = {
    "nih": ("national institutes of health", "national institute of", "national institute on",
            "nih", "nimh", "nida", "niaaa"),
    "nimh": ("national institute of mental health", "nimh"),
    "nida": ("national institute on drug abuse", "nida"),
    "niaaa": ("national institute on alcohol abuse", "niaaa"),
}


# A country cited ("Australian researchers") is found in an affiliation's address.
_COUNTRY_NAMES = {
    "united states": ("usa", "united states", "u.s.a"),
    "united kingdom": (", uk", "united kingdom", "england", "scotland", "wales"),
}


def _institution_keys(name: str) -> tuple[str, ...]:
    """What a record's text must contain to come from the cited institution:
    "Yale University" -> yale, "University of Oxford" -> oxford, "NIH" -> any institute."""
    if name.lower() in _COUNTRY_NAMES:
        return _COUNTRY_NAMES[name.lower()]
    words = [w for w in re.findall(r"[A-Za-z]+", name)
             if w.lower() not in ("university", "of", "the", "school", "medicine", "college")]
    key = (words[0] if words else name).lower()
    if key == "national":            # "National Institute(s) of ..." spelled out
        return _AGENCY_NAMES["nih"] if "institutes" in name.lower() else (name.lower(),)
    return _AGENCY_NAMES.get(key, (key,))


# "A blinded trial in hospitalised patients found ...": a review pooling trials is not it.
_TRIAL_WORD = re.compile(r"\b(?:trial|rct|randomi[sz]ed|blinded|placebo-controlled)\b", re.I)
_NOT_A_TRIAL = REVIEW_DESIGNS | {"other"}
# "A 2019 systematic review of seven RCTs found ...": a trial is not the review cited.
_REVIEW_WORD = re.compile(r"\b(?:systematic review|meta-?analys[ie]s|pooled analysis)\b", re.I)


def _problem(facts: RecordFacts, finding: Finding | None, summary: Summary,
             claim: Claim) -> str:
    part = summary.part
    if facts.retracted:
        return "retracted"
    drugs = set(facts.labels.get("drug", []))
    if drugs and not drugs & set(part.drugs):
        return f"about {', '.join(sorted(drugs))}, not {', '.join(part.drugs)}"
    routes = set(facts.labels.get("route", []))
    if part.routes and routes and not routes & set(part.routes):
        return f"route {', '.join(sorted(routes))}, the claim implies {', '.join(part.routes)}"
    if claim.implies.study and _TRIAL_WORD.search(claim.implies.study) \
            and facts.design in _NOT_A_TRIAL:
        return f"a {facts.design_name.lower()}, not the trial described"
    if "systematic_review" in claim.implies.designs and facts.design not in REVIEW_DESIGNS \
            and _REVIEW_WORD.search(claim.claim):
        return f"{facts.design_name.lower()}, not the review described"
    regimen = _regimen_mismatch(claim.claim, facts)
    if regimen:
        return regimen
    if finding is None or finding.stance != "for":
        stance = finding.stance if finding else "none"
        return f"its results/conclusions report no finding for the claim (finding: {stance})"
    if finding.excluded:
        return finding.excluded
    window = part.window
    # A precise window always has its onset (timeframe.claim_window).
    if window and window.precise and window.onset_hours is not None and (
            finding.onset is None
            or abs(finding.onset - window.onset_hours) > 0.25 * window.onset_hours):
        return f"does not report the time point '{window.label}'"
    if part.effect_pct is not None and not reports_number(facts, part.effect_pct, claim.claim):
        # The cited study's number is that number: 59% responding is not the "about 52%
        # reached remission" of the study described, 48% abstinent not its 44%.
        missing = "number" if finding.effect else "effect"
        return f"does not report the claimed {missing} ({claim.implies.effect})"
    unreported = unreported_quantities(facts, claim.claim)
    if unreported:
        return f"does not report {', '.join(unreported)}"
    return ""


# "The trial of esketamine as monotherapy": an add-on trial (esketamine plus an oral
# antidepressant, SUSTAIN-1) is another study, and the other way round.
_MONOTHERAPY = re.compile(r"\bmono-?therapy\b|\b(?:es|ar)?ketamine (?:[\w-]+ ){0,2}?"
                         r"(?:alone|on its own|by itself)\b", re.I)
_ADD_ON = re.compile(r"\b(?:plus|adjunct\w*|add-on|augment\w*|added to|in combination with|"
                     r"combined with)\b", re.I)


def _regimen_mismatch(claim_text: str, facts: RecordFacts) -> str:
    """The claim says monotherapy (or add-on) and the record's title or objective says
    the other."""
    said = " ".join([facts.title] + [s.text for s in facts.sentences
                                     if s.role in ("title", "objective")])
    if _MONOTHERAPY.search(claim_text) and _ADD_ON.search(said) \
            and not _MONOTHERAPY.search(said):
        return "an add-on treatment, the claim describes monotherapy"
    if _ADD_ON.search(claim_text) and _MONOTHERAPY.search(said) \
            and not _ADD_ON.search(said):
        return "monotherapy, the claim describes an add-on treatment"
    return ""


def _label(facts: RecordFacts) -> str:
    return f"{facts.ref} ({facts.journal_abbrev or facts.journal} {facts.year})"
