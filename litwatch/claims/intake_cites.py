"""What a claim's text cites and what number it claims: journal, year, institution,
effect size.  Read by litwatch.claims.intake.derive."""

from __future__ import annotations

import re

_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
# Words that make a year or an institution a citation of a study.
STUDY_CITED = re.compile(r"\b(?:study|studies|trial|trials|paper|papers|published|journal|"
                         r"researchers?|scientists?|report(?:ed)? in|found|showed|review)\b",
                         re.IGNORECASE)
_JOURNAL = re.compile(
    r"\b(?i:in|from|by) (?:the |a |an )?((?:(?:The|JAMA|BMJ|NEJM|[A-Z][a-z]+|of|and|&)[ -]?)+"
    r"(?:Journal|Psychiatry|Medicine|Lancet|Pain|Neuroscience|Psychopharmacology|Review|Reviews|"
    r"Neuropsychopharmacology|Nature|Science|Archives|Annals|Anesthesiology|Anaesthesia|"
    r"Disorders|Research|Psychology|Neurology|Pharmacology)"
    r"(?: of (?:the )?[A-Z][a-z]+(?: [A-Z][a-z]+)*)?)")
# "A 2020 JAMA Psychiatry study": the journal between the year and the word study.
_YEAR_JOURNAL = re.compile(r"\b(?:19|20)\d\d ((?:(?:[A-Z][\w&]*|of|the|and)\s)+)"
                           r"(?:study|paper|trial|"
                           r"article|report|review|meta-analysis)\b")
# "An American Journal of Geriatric Psychiatry trial": a journal named by its title,
# with no preposition before it.
_TITLED_JOURNAL = re.compile(
    r"\b((?:(?:[A-Z][a-z]+|JAMA|BMJ) )*Journal of (?:the )?[A-Z][a-z]+"
    r"(?: (?:[A-Z][a-z]+|of|and|&))*)")
# A title's last word caught up to a joining word ("Journal of Psychiatry and").
_TRAILING = re.compile(r" (?:of|and|&)$")
_GENERIC_JOURNAL = re.compile(r"\b(?:a|an|one) ([a-z]+) journal\b", re.IGNORECASE)
INSTITUTION = re.compile(
    r"\b(National Institutes? (?:of|on) (?:Mental |Drug |Alcohol )?(?:Health|Abuse|Alcoholism)"
    r"(?: and Alcoholism)?|(?:University of [A-Z][a-z]+(?: [A-Z][a-z]+)?)|"
    r"(?:[A-Z][a-z]+(?:'s)? (?:University|College|"
    r"Institute|Hospital|Clinic|School of Medicine|Medical School))|Yale|Harvard|Stanford|"
    r"Mount Sinai|Johns Hopkins|Mayo Clinic|NIMH|NIH|NIDA|NIAAA)\b")
# "Australian researchers", "a Taiwanese study": where the study was done, which the
# record's affiliations (or text) must name.
COUNTRIES = {
    "australian": "Australia", "taiwanese": "Taiwan", "chinese": "China",
    "british": "United Kingdom", "english": "England", "scottish": "Scotland",
    "canadian": "Canada", "german": "Germany", "french": "France", "dutch": "Netherlands",
    "japanese": "Japan", "korean": "Korea", "brazilian": "Brazil", "indian": "India",
    "iranian": "Iran", "israeli": "Israel", "italian": "Italy", "spanish": "Spain",
    "swedish": "Sweden", "danish": "Denmark", "norwegian": "Norway", "finnish": "Finland",
    "swiss": "Switzerland", "belgian": "Belgium", "austrian": "Austria", "irish": "Ireland",
    "polish": "Poland", "turkish": "Turkey", "egyptian": "Egypt", "mexican": "Mexico",
    "american": "United States",
}
_NATIONAL = re.compile(r"\b(" + "|".join(COUNTRIES) + r")\s+(?:[\w-]+\s+){0,2}?(?:researchers?|"
                       r"scientists?|study|studies|trial|trials|team|investigators?|doctors|"
                       r"psychiatrists?|group)\b", re.IGNORECASE)


def cited_country(text: str) -> str:
    """The country a claim says the study came from ("Australian researchers"), ''."""
    m = _NATIONAL.search(text)
    return COUNTRIES[m.group(1).lower()] if m else ""


_EFFECT_PCT = re.compile(r"(\d+(?:\.\d+)?)\s?(?:%|percent\b|per cent\b)", re.IGNORECASE)
_RATE_WORDS = re.compile(r"respon\w*|remi(?:t|ssion)\w*|responders?", re.IGNORECASE)
_FALL_WORDS = re.compile(r"reduc\w*|drop\w*|decreas\w*|cut|fall|fell|lower\w*|improv\w*|relief",
                         re.IGNORECASE)
_HALF = re.compile(r"\b(?:by|in) half\b|\bhalved\b|\bcut (?:\w+ )?in half\b|\bhalf\b",
                   re.IGNORECASE)
# "in the journal Chronic Stress": any title after the word journal.
_NAMED_AFTER = re.compile(r"\b(?i:in|from|by) (?:the )?(?i:journal) ((?:[A-Z][\w-]*)"
                          r"(?: (?:[A-Z][\w-]*|of|and|&))*)")
# "a 2009 trial in Pain (Sigtermans et al.)": a one-word title, capitalised after "in"
# and followed by a reference, a year or the end of the phrase ("in pain" is no journal).
_ONE_WORD_JOURNAL = re.compile(
    r"\b(?i:in|published in) (Pain|Anesthesiology|Anaesthesia|Neuropsychopharmacology|"
    r"Headache|Cephalalgia|Pediatrics|Addiction|Lancet|Nature|Science|Neurology|Brain)"
    r"(?= \(|[,.;:]| in (?:19|20)\d\d\b| (?:19|20)\d\d\b|$)")
# "(Daly et al., JAMA Psychiatry 2019)", "(Lancet Psychiatry, 2020)": a reference in
# brackets, the journal before the year.
_BRACKETED = re.compile(r"\((?:[A-Z][\w'-]+ (?:et al\.?|and colleagues),?\s+)?"
                        r"((?:[A-Z][\w&-]*)(?: (?:[A-Z][\w&-]*|of|and|&))*),?\s+"
                        r"(?:19|20)\d\d\)")
# "A BMJ randomized trial", "a JAMA Psychiatry study": a journal's short name before
# the study it published.
_SHORT_JOURNAL = re.compile(
    r"\b(BMJ|NEJM|JAMA(?: [A-Z][a-z]+)?|(?:The )?Lancet(?: [A-Z][a-z]+)?|Nature(?: [A-Z][a-z]+)?)"
    r"\s+(?:[\w-]+\s+){0,2}?(?:study|trial|paper|review|meta-analysis|report|analysis)\b")
# "the phase 3b ESCAPE-TRD trial", "the TRANSFORM-2 study": a trial cited by its name.
_TRIAL_NAME = re.compile(r"\b([A-Z][A-Z0-9]{2,}(?:-[A-Z0-9]+)+|[A-Z]{4,}\d*)\s+(?:[\w-]+\s+)?"
                         r"(?:trial|study|studies|trials)\b")
_NOT_TRIAL_NAMES = frozenset("FDA NIH NIMH NIDA NIAAA USA RCT RCTS PTSD MDD TRD ECT ICU MRI FMRI "
                             "PET EEG CDC WHO NICE EMA HHS JAMA NEJM BMJ".split())


# "a pilot study found", "in a recent study, about 52% ...", "the 2016 crossover trial":
# one study, described rather than named.  ("Studies show" and "trials found" are the
# literature, not a study.)
# ("In that trial", "this study": a study named in the text around the claim, which
# the claim alone cannot identify; "the ... trial" needs words that describe it.)
_ONE_STUDY = re.compile(r"\b(?:(?:a|an|one|another)\s+(?:[\w'-]+\s+){0,4}?|"
                        r"the\s+(?:[\w'-]+\s+){1,4}?)(?:study|trial|pilot)\b(?!-)"
                        # "in the esketamine trials in suicidal patients": those trials
                        r"|\bthe\s+(?:[\w'-]+\s+){1,3}?trials\s+(?:in|of|among|with)\b",
                        re.IGNORECASE)


def described_study(text: str) -> str:
    """The words that describe one study the claim reports ("a pilot study"), '' when
    it speaks of the literature."""
    m = _ONE_STUDY.search(text)
    return m.group(0) if m else ""


def cited_trial(text: str) -> str:
    """A trial's own name ("ESCAPE-TRD"), '' when the claim names none."""
    for m in _TRIAL_NAME.finditer(text):
        name = m.group(1)
        if name.upper() not in _NOT_TRIAL_NAMES and not name.isdigit():
            return name
    return ""


def cited_journal(text: str) -> str:
    named = _NAMED_AFTER.search(text)
    if named:
        return _TRAILING.sub("", named.group(1))
    one_word = _ONE_WORD_JOURNAL.search(text)
    if one_word:
        return one_word.group(1)
    bracketed = _BRACKETED.search(text)
    if bracketed and not INSTITUTION.fullmatch(bracketed.group(1)):
        return bracketed.group(1)
    short = _SHORT_JOURNAL.search(text)
    if short:
        return short.group(1)
    m = _JOURNAL.search(text)
    if m and ("journal" in m.group(1).lower() or m.group(1).split()[0] in ("JAMA", "BMJ")
              or len(m.group(1).split()) >= 2):
        return re.sub(r"^(?:The|the) ", "The ", m.group(1).strip())
    m = _YEAR_JOURNAL.search(text)
    # "A 2006 NIH study": an institution before "study" is where, not which journal.
    if m and re.search(r"[A-Z]", m.group(1)) and not INSTITUTION.fullmatch(m.group(1).strip()):
        return m.group(1).strip()
    titled = _TITLED_JOURNAL.search(text)
    if titled:
        name = re.sub(r"^(?:(?:A|An|In|From|By|One|The) )+", "", titled.group(1))
        return _TRAILING.sub("", name.strip())
    generic = _GENERIC_JOURNAL.search(text)
    return f"any {generic.group(1).lower()} journal" if generic else ""


def cited_year(text: str) -> int | None:
    m = _YEAR.search(text)
    return int(m.group(1)) if m else None


_SHARE_OF_PEOPLE = re.compile(r"\s*(?:of\s+(?:the\s+)?(?:[\w-]+\s+){0,2}?(?:patients|participants|"
                              r"people|subjects|individuals|adults|children|veterans|users|"
                              r"women|men))\b", re.IGNORECASE)
# "Two thirds of patients respond": a share in words is a percentage too.
_FRACTION = re.compile(r"\b(two[- ]thirds|(?:a|one)[- ]third|three[- ]quarters|(?:a|one)[- ]quarter"
                       r"|(?:about |nearly |almost |over |more than )?half)(?= of\b)",
                       re.IGNORECASE)
_FRACTION_PCT = {"two thirds": "67", "a third": "33", "one third": "33", "three quarters": "75",
                 "a quarter": "25", "one quarter": "25", "half": "50"}


def claimed_effect(text: str) -> str:
    """"50% reduction" or "70% response rate": a fall in symptoms and a share of
    patients who respond are different effects."""
    m = _EFFECT_PCT.search(text) or _FRACTION.search(text)
    if m:
        def distance(rx: re.Pattern[str]) -> int:
            return min((abs(w.start() - m.start()) for w in rx.finditer(text)), default=10**6)
        rate, fall = distance(_RATE_WORDS), distance(_FALL_WORDS)
        kind = "change" if min(rate, fall) == 10**6 else "response rate" if rate < fall \
            else "reduction"
        if _SHARE_OF_PEOPLE.match(text, m.end()):
            kind = "response rate"      # "79% of patients improved": a share of people
        words = re.sub(r"^(?:about|nearly|almost|over|more than) ", "",
                       m.group(1).lower().replace("-", " "))
        return f"{_FRACTION_PCT.get(words, words)}% {kind}"
    return "50% reduction" if _HALF.search(text) else ""
