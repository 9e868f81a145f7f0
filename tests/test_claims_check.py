"""Evidence ranking, citation matching and verdict rules over hand-built records."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from litwatch.claims.check import check_claim
from litwatch.claims.citation import journal_matches
from litwatch.claims.render import render_json, render_text
from tests.test_claims_helpers import claim, paper, store

RAPID = {"search": {"terms": ["ketamine infusion"], "indications": ["trd"]},
         "implies": {"indications": ["trd"]}}


def test_rct_ranks_above_case_report(engine: Engine) -> None:
    case, rct = store(engine,
                      paper("Ketamine infusion in one patient", "A ketamine infusion helped.",
                            "case_report", labels=(("indication", "trd"),), year=2021),
                      paper("Randomized ketamine infusion trial", "A ketamine infusion trial.",
                            "rct", labels=(("indication", "trd"),), year=2010, n=73))
    report = check_claim(engine, claim(**RAPID))
    assert [e.source_id for e in report.evidence] == [rct, case]
    assert report.evidence[0].n == 73
    assert list(report.counts) == ["rct", "case_report"]
    assert report.suggested == "supported"


def test_off_topic_and_other_indication_records_are_left_out(engine: Engine) -> None:
    store(engine, paper("Ketamine infusion after surgery", "A ketamine infusion for pain.",
                        "rct", labels=(("indication", "acute_pain"),)),
          paper("Esketamine spray", "Nasal spray only.", "rct", labels=(("indication", "trd"),)))
    assert check_claim(engine, claim(**RAPID)).evidence == []


@pytest.mark.parametrize("cited, stored, same", [
    ("The American Journal of Psychiatry", "Am J Psychiatry", True),
    ("The American Journal of Psychiatry", "The American journal of psychiatry", True),
    ("American Journal of Psychiatry", "Am J Geriatr Psychiatry", False),
    ("JAMA Psychiatry", "JAMA psychiatry", True),
    ("JAMA Psychiatry", "Arch Gen Psychiatry", True),          # renamed in 2013
    ("JAMA Psychiatry", "Archives of general psychiatry", True),
    ("The Clinical Journal of Pain", "Clin J Pain", True),
    ("The Clinical Journal of Pain", "Pain", False),
    ("Neuropsychopharmacology", "Neuropsychopharmacology : official publication of the "
                                "American College of Neuropsychopharmacology", True),
    ("Lancet", "The lancet. Psychiatry", False),
])
def test_journal_names_match_across_abbreviations(cited: str, stored: str, same: bool) -> None:
    assert journal_matches(cited, stored) is same


def _cited(journal: str, year: int) -> dict:
    return {"implies": {"indications": ["trd"], "routes": ["intravenous"],
                        "journal": journal, "year": year},
            "search": {"terms": ["ketamine infusion"], "indications": ["trd"]}}


def test_citation_with_no_matching_record_is_not_found_as_cited(engine: Engine) -> None:
    store(engine, paper("Ketamine infusion RCT", "A ketamine infusion trial.", "rct",
                        journal="The American journal of psychiatry", abbrev="Am J Psychiatry",
                        year=2013, labels=(("indication", "trd"), ("route", "intravenous"))))
    report = check_claim(engine, claim(**_cited("JAMA Psychiatry", 2020)))
    assert report.suggested == "not found as cited"
    assert report.assessment.decided_by == "cited_study_not_found"
    assert "JAMA Psychiatry 2020" in report.assessment.results[0].reason
    assert len(report.evidence) == 1          # the evidence is still listed


def test_citation_matches_abbreviation_and_epub_year(engine: Engine) -> None:
    (pmid,) = store(engine, paper("Ketamine infusion RCT", "A ketamine infusion trial.", "rct",
                                  journal="The American journal of psychiatry",
                                  abbrev="Am J Psychiatry", year=2020, entrez="2019-11-02",
                                  labels=(("indication", "trd"), ("route", "intravenous"))))
    report = check_claim(engine, claim(**_cited("The American Journal of Psychiatry", 2019)))
    assert report.citation.found and [e.source_id for e in report.citation.matched] == [pmid]
    assert report.suggested == "supported"


def test_same_journal_year_but_other_route_is_not_the_cited_study(engine: Engine) -> None:
    store(engine, paper("Esketamine nasal spray with ketamine infusion comparison arm",
                        "A ketamine infusion was not used; nasal spray.", "rct",
                        journal="Am J Psychiatry", year=2019,
                        labels=(("indication", "trd"), ("route", "intranasal"))))
    report = check_claim(engine, claim(**_cited("The American Journal of Psychiatry", 2019)))
    assert report.suggested == "not found as cited"
    assert "route intranasal" in report.citation.near[0]


def test_reviewer_verdict_wins_and_is_shown(engine: Engine) -> None:
    store(engine, paper("Ketamine infusion RCT", "A ketamine infusion trial.", "rct",
                        labels=(("indication", "trd"),)))
    c = claim(**RAPID, reviewer={"verdict": "contradicted", "note": "Read the full text.",
                                 "reviewer": "AB", "date": "2026-11-20"})
    report = check_claim(engine, c)
    assert report.suggested == "supported" and report.verdict == "contradicted"
    text = render_text([report])
    assert "Reviewer verdict: contradicted (AB, 2026-11-20): Read the full text." in text
    assert "Suggested verdict: supported" in text
    assert '"verdict": "contradicted"' in render_json([report])


HARMS = {"absolute": True,
         "search": {"terms": ["side effect*", "adverse", "dependence"]},
         "counter": {"terms": ["ketamine dependence", "cystitis", "uropathy"],
                     "reason": "dependence or bladder harm"}}


def test_absolute_claim_is_contradicted_by_harms_records(engine: Engine) -> None:
    store(engine,
          paper("Ketamine RCT", "Side effects were mild and transient.", "rct"),
          paper("Ulcerative cystitis in ketamine users", "Recreational users had severe "
                "uropathy and ketamine dependence; adverse outcomes were common.",
                "case_report"))
    report = check_claim(engine, claim(**HARMS))
    assert report.suggested == "contradicted"
    assert "stated as absolute" in report.assessment.results[0].reason
    assert {e.stance for e in report.evidence} == {"for", "against"}


def test_fading_effect_qualifies_a_rapid_effect_claim(engine: Engine) -> None:
    store(engine, paper("Ketamine infusion RCT", "A ketamine infusion gave a rapid but "
                        "transient response that was gone after about one week.", "rct",
                        labels=(("indication", "trd"),)),
          paper("Second ketamine infusion RCT", "A ketamine infusion helped.", "rct",
                labels=(("indication", "trd"),)))
    c = claim(**RAPID, qualifier={"terms": ["transient"], "reason": "a fading effect"})
    report = check_claim(engine, c)
    assert report.suggested == "partly supported"
    assert report.assessment.decided_by == "qualified_by_counter_evidence"
    assert "a fading effect" in report.assessment.results[0].reason


def test_retracted_records_are_flagged_and_never_support(engine: Engine) -> None:
    store(engine, paper("Ketamine infusion miracle", "A ketamine infusion cured everyone.",
                        "rct", labels=(("indication", "trd"),),
                        pubtypes=("Retracted Publication",)))
    report = check_claim(engine, claim(**RAPID))
    assert [e.stance for e in report.evidence] == ["retracted"]
    assert report.suggested == "not enough evidence"
    assert "RETRACTED, not counted" in render_text([report])


def test_uncovered_route_makes_a_routes_claim_partly_supported(engine: Engine) -> None:
    store(engine, paper("Intravenous ketamine", "Intravenous infusion.", "rct",
                        labels=(("route", "intravenous"),)))
    c = claim(implies={"routes": ["intravenous", "sublingual"]},
              search={"terms": ["intravenous", "lozenge"], "routes": ["intravenous"]})
    report = check_claim(engine, c)
    assert report.suggested == "partly supported"
    assert "route Sublingual / buccal" in report.assessment.results[0].reason
