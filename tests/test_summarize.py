"""Deterministic extractive summaries."""

from __future__ import annotations

from litwatch.classify import classify_record
from litwatch.classify.summary import conclusion, finding_sentence
from litwatch.records import AbstractSection, FeedItem, Paper, Trial


def test_paper_summary_has_facts_then_conclusion() -> None:
    p = Paper(pmid="1", title="Intranasal esketamine vs placebo in TRD", abstract_sections=[
        AbstractSection("METHODS", "METHODS",
                        "In this randomized, double-blind trial, 227 patients were randomized "
                        "to esketamine nasal spray 56 mg or 84 mg or placebo nasal spray."),
        AbstractSection("CONCLUSIONS", "CONCLUSIONS", "Esketamine improved depression.")])
    c = classify_record(p)
    facts, found = c.summary.split("\n")
    assert facts.startswith("Randomized controlled trial; N=227; vs placebo")
    assert "intranasal" in facts and "56 mg or 84 mg" in facts
    assert found == "Esketamine improved depression."


def test_conclusion_label_without_category() -> None:
    p = Paper(pmid="2", title="t", abstract_sections=[
        AbstractSection("Background", None, "x."),
        AbstractSection("Interpretation", None, "Ketamine was safe.")])
    assert conclusion(p) == "Ketamine was safe."


def test_finding_sentence_prefers_conclusion_cues() -> None:
    text = ("Ketamine is an NMDA antagonist. In conclusion, ketamine reduced pain. "
            "More work is needed.")
    assert finding_sentence(text) == "In conclusion, ketamine reduced pain."
    assert finding_sentence("Only one sentence here.") == ""


def test_trial_summary() -> None:
    t = Trial(nct_id="NCT01234567", brief_title="Ketamine in PTSD", overall_status="RECRUITING",
              phases=["PHASE2"], study_type="INTERVENTIONAL", allocation="RANDOMIZED",
              enrollment=40, enrollment_type="ESTIMATED",
              primary_outcomes=["Change in CAPS-5 total score"])
    summary = classify_record(t).summary
    assert summary == ("Recruiting; phase 2; Randomized controlled trial; enrollment 40 "
                       "(estimated)\nPrimary outcome: Change in CAPS-5 total score")


def test_feed_summary_reads_html() -> None:
    item = FeedItem(guid="g", title="Ketamine preprint",
                    summary="<p>We studied ketamine. These results suggest that it works.</p>")
    assert classify_record(item).summary.endswith("These results suggest that it works.")


def test_an_abstract_stored_without_results_gets_no_finding_line() -> None:
    # A page that cut the abstract after its methods: the summary must not quote the
    # background about earlier trials, nor the dates of the analysis, as the finding.
    p = Paper(pmid="5", title="Subcutaneous ketamine in TRD: a randomised trial",
              abstract_sections=[
                  AbstractSection("BACKGROUND", "BACKGROUND", "Prior trials suggest that "
                                  "intravenous ketamine is highly effective for depression."),
                  AbstractSection("METHODS", "METHODS", "Participants were randomised to "
                                  "ketamine or midazolam. Data analyses were conducted from "
                                  "March 1, 2024, to July 8, 2024.")])
    assert "\n" not in classify_record(p).summary


def test_without_conclusions_the_results_sentence_with_a_finding_is_quoted() -> None:
    p = Paper(pmid="6", title="Ketamine in TRD", abstract_sections=[
        AbstractSection("RESULTS", "RESULTS", "Forty patients were randomised. MADRS scores "
                        "fell significantly more with ketamine than with midazolam.")])
    found = classify_record(p).summary.split("\n")[1]
    assert found.startswith("MADRS scores fell significantly more")

