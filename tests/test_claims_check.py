"""The evidence engine over hand-built records: what counts as a finding and for whom.

Each test states the records a careful reader would weigh and the verdict and rule
that reader would reach; the records are built so the only thing that differs
between a supporting and a non-supporting case is the behaviour under test.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from litwatch.claims.citation import journal_matches
from litwatch.claims.engine import check_claim, check_text
from litwatch.claims.render import report_dict
from tests.test_claims_helpers import claim, paper, store

TRD = (("indication", "trd"), ("route", "intravenous"))
PTSD = (("indication", "ptsd"), ("route", "intravenous"))
CITED = ("A 2019 study in The American Journal of Psychiatry found a 50% reduction in "
         "symptoms 24 hours after one ketamine infusion in treatment-resistant depression.")


def test_threshold_numbers_are_not_the_cited_effect(engine: Engine) -> None:
    # The AJP 2019 trial only DEFINES response by a 50% fall at 24 hours: it does not
    # report a 50% fall, so the citation is not found as cited (it is a near miss).
    [ref] = store(engine, paper(
        "Ketamine infusion in treatment-resistant depression: a randomized trial",
        methods="Response was defined as a 50% or greater reduction in MADRS at 24 hours.",
        results="Response, defined as at least a 50% reduction at 24 hours, was more "
                "frequent with ketamine than with midazolam.",
        journal="The American journal of psychiatry", abbrev="Am J Psychiatry", year=2019,
        labels=TRD))
    report = check_text(engine, CITED)
    assert report.suggested == "not found as cited" and report.decided_by == "cited-not-found"
    assert report.citation is not None and not report.citation.found
    assert any(ref in near and "claimed effect" in near for near in report.citation.near)


def test_a_reported_effect_in_the_cited_study_is_found_as_cited(engine: Engine) -> None:
    [ref] = store(engine, paper(
        "Ketamine infusion in treatment-resistant depression: a randomized trial",
        results="At 24 hours MADRS scores fell by 50% with ketamine, significantly more "
                "than with midazolam.",
        journal="The American journal of psychiatry", abbrev="Am J Psychiatry", year=2019,
        labels=TRD))
    report = check_text(engine, CITED)
    assert report.citation is not None and [f.facts.ref for f in report.citation.matched] == [ref]
    assert report.suggested == "supported", report.reason


def test_same_journal_and_year_but_another_drug_is_a_near_miss(engine: Engine) -> None:
    [ref] = store(engine, paper(
        "Esketamine nasal spray in treatment-resistant depression",
        results="MADRS scores fell by 50% at 24 hours with esketamine, more than placebo.",
        journal="The American journal of psychiatry", year=2019, drug="esketamine",
        labels=(("indication", "trd"), ("route", "intranasal"))))
    report = check_text(engine, CITED)
    assert report.suggested == "not found as cited"
    assert any(ref in n and "esketamine" in n for n in report.citation.near)


def test_a_negative_trial_counts_against_never_for(engine: Engine) -> None:
    # The null trial says "ketamine reduces PTSD symptoms" in its background: that
    # sentence is not its finding; its results reject a benefit over placebo.
    positive, negative = store(
        engine,
        paper("Ketamine for chronic PTSD: a randomized trial", labels=PTSD,
              results="PTSD symptoms were significantly lower after ketamine than after "
                      "midazolam at 24 hours."),
        paper("Ketamine in veterans with PTSD: a multicentre randomized trial", labels=PTSD,
              background="Earlier work suggested that ketamine reduces PTSD symptoms.",
              results="Ketamine did not improve PTSD symptoms more than placebo.",
              conclusions="Repeated ketamine did not reduce PTSD symptoms."))
    report = check_text(engine, "Ketamine is effective for PTSD.")
    stances = {f.facts.ref: f.stance for f in report.findings}
    assert stances == {positive: "for", negative: "against"}
    assert (report.suggested, report.decided_by) == ("partly supported", "conflict")


def test_only_a_null_result_of_the_strongest_design_contradicts(engine: Engine) -> None:
    store(engine, paper("Ketamine for PTSD in veterans", labels=PTSD,
                        results="Ketamine did not improve PTSD symptoms more than placebo."),
          paper("Ketamine in one patient with PTSD", design="case_report", labels=PTSD,
                results="Symptoms improved markedly after ketamine."))
    report = check_text(engine, "Ketamine is effective for PTSD.")
    assert (report.suggested, report.decided_by) == ("contradicted", "stronger-against")


def test_background_and_methods_are_never_findings(engine: Engine) -> None:
    store(engine, paper("Ketamine in treatment-resistant depression", labels=TRD,
                        background="Ketamine rapidly reduces depression within hours.",
                        methods="Patients received one ketamine infusion."))
    report = check_text(engine, "Ketamine relieves treatment-resistant depression within hours.")
    assert (report.suggested, report.decided_by) == ("not enough evidence", "no-finding")


def test_supported_needs_concordant_randomized_evidence(engine: Engine) -> None:
    store(engine, *(paper(f"Ketamine infusion trial {i} in treatment-resistant depression",
                          labels=TRD, results="Depression scores fell more within 24 hours "
                                              "after ketamine than after placebo.")
                    for i in range(2)))
    report = check_text(engine, "Ketamine relieves treatment-resistant depression within hours.")
    assert (report.suggested, report.decided_by) == ("supported", "concordant-support")
    evidence = report_dict(report)["evidence"]
    assert {e["role"] for e in evidence} == {"results"} and evidence[0]["direction"] == "benefit"


def test_a_single_trial_or_uncontrolled_support_is_partly(engine: Engine) -> None:
    store(engine, paper("Open-label ketamine in anxiety", design="single_arm",
                        labels=(("indication", "anxiety"),),
                        results="Anxiety fell within an hour of ketamine dosing."))
    report = check_text(engine, "Ketamine relieves anxiety disorders.")
    assert (report.suggested, report.decided_by) == ("partly supported", "weaker-designs-only")


def test_absolute_claim_is_contradicted_by_one_harm_record(engine: Engine) -> None:
    [harm] = store(engine, paper(
        "Ketamine use: a review of harms", design="narrative_review",
        results="Daily use was linked to dependence, and many users reported failed attempts "
                "to stop."))
    report = check_text(engine, "Ketamine therapy is non-addictive.")
    assert (report.suggested, report.decided_by) == ("contradicted", "absolute-contradicted")
    assert harm in report.reason


def test_retracted_records_are_shown_but_never_count(engine: Engine) -> None:
    [ref] = store(engine, paper(
        "Oral ketamine in treatment-resistant depression", labels=TRD,
        results="Depression scores fell far more with ketamine than placebo.",
        pubtypes=("Retracted Publication",)))
    report = check_text(engine, "Ketamine is effective for treatment-resistant depression.")
    assert report.suggested == "not enough evidence"
    [finding] = report.findings
    assert finding.facts.ref == ref and finding.excluded == "retracted" and not finding.counted
    assert any("retracted" in n and ref in n for n in report.notes)


def test_off_topic_records_never_count(engine: Engine) -> None:
    store(engine, paper("Ketamine in horses", labels=TRD + (("topic", "off_topic"),),
                        results="Depression scores fell more after ketamine than placebo."))
    report = check_text(engine, "Ketamine is effective for treatment-resistant depression.")
    assert report.suggested == "not enough evidence"
    assert [f.excluded for f in report.findings] == ["off-topic"]


def test_mechanism_shown_only_in_animals_is_partly_supported(engine: Engine) -> None:
    store(engine, paper("Ketamine and synaptogenesis in mice", design="preclinical",
                        results="Ketamine increased dendritic spine density and "
                                "synaptogenesis in the prefrontal cortex."))
    report = check_text(engine, "Ketamine enhances neuroplasticity.")
    assert (report.suggested, report.decided_by) == ("partly supported", "animal-only")


def test_mechanism_or_status_nobody_speaks_to_is_not_enough_evidence(engine: Engine) -> None:
    store(engine, paper("Ketamine for depression", labels=TRD,
                        results="Depression scores fell more after ketamine than placebo."))
    for text in ("Ketamine relieves pain by reducing inflammation.",
                 "Ketamine is a Schedule III controlled substance."):
        assert check_text(engine, text).suggested == "not enough evidence", text


def test_a_population_claim_is_decided_by_that_population(engine: Engine) -> None:
    store(engine,
          paper("Ketamine for civilian PTSD", labels=PTSD,
                results="PTSD symptoms were lower after ketamine than midazolam."),
          paper("Ketamine for PTSD in military veterans", labels=PTSD,
                results="Ketamine did not improve PTSD symptoms more than placebo."))
    assert check_text(engine, "Ketamine helps veterans with PTSD.").suggested == "contradicted"


def test_even_in_resistant_patients_is_decided_by_resistant_patients(engine: Engine) -> None:
    store(engine,
          *(paper(f"Meta-analysis {i} of ketamine for PTSD", labels=PTSD,
                  results="Ketamine improved PTSD symptoms more than placebo.")
            for i in range(2)),
          paper("Ketamine for antidepressant-resistant PTSD in veterans", labels=PTSD,
                results="Ketamine did not improve PTSD symptoms more than placebo."))
    report = check_text(engine, "Ketamine reduces PTSD symptoms, including in patients "
                                "resistant to previous treatments.")
    assert report.suggested == "contradicted"


def test_parts_of_a_compound_claim_are_judged_apart(engine: Engine) -> None:
    store(engine, *(paper(f"Ketamine trial {i} in treatment-resistant depression", labels=TRD,
                          results="Depression scores fell within 24 hours after ketamine "
                                  "versus placebo, but the effect was transient and lasted "
                                  "about one week.") for i in range(2)))
    report = check_claim(engine, claim("Ketamine is a fast-acting and long-lasting treatment "
                                       "for treatment-resistant depression."))
    assert [p.verdict for p in report.parts] == ["supported", "contradicted"]
    assert (report.suggested, report.decided_by) == ("partly supported", "parts-disagree")


@pytest.mark.parametrize("cited, stored, same", [
    ("The American Journal of Psychiatry", "Am J Psychiatry", True),
    ("American Journal of Psychiatry", "Am J Geriatr Psychiatry", False),
    ("JAMA Psychiatry", "Arch Gen Psychiatry", True),          # renamed in 2013
    ("The Clinical Journal of Pain", "Clin J Pain", True),
    ("The Clinical Journal of Pain", "Pain", False),
    ("Lancet", "The lancet. Psychiatry", False),
])
def test_journal_names_match_across_abbreviations(cited: str, stored: str, same: bool) -> None:
    assert journal_matches(cited, stored) is same


def test_search_terms_are_an_optional_refinement_for_candidates(engine: Engine) -> None:
    # Unlabelled (the classifier has not named its condition): found only by its words.
    store(engine, *(paper(f"Ketamine in melancholia, trial {i}", labels=(("route", "intravenous"),),
                          results="Depression scores fell more after ketamine than placebo.")
                    for i in range(2)))
    plain = check_claim(engine, claim("Ketamine relieves treatment-resistant depression."))
    refined = check_claim(engine, claim("Ketamine relieves treatment-resistant depression.",
                                        search={"terms": ["melancholia"]}))
    assert plain.suggested == "not enough evidence"
    assert (refined.suggested, refined.decided_by) == ("supported", "concordant-support")


def test_the_same_verdicts_on_every_backend(backend_url: str) -> None:
    # Full text and labels come through the search package and the store's read API,
    # so PostgreSQL (tsvector) and SQLite (FTS5) must agree.
    from litwatch.store.engine import open_engine
    engine = open_engine(backend_url)
    try:
        store(engine,
              paper("Ketamine for chronic PTSD", labels=PTSD,
                    results="PTSD symptoms were significantly lower after ketamine than "
                            "after midazolam."),
              paper("Ketamine for PTSD in veterans", labels=PTSD,
                    results="Ketamine did not improve PTSD symptoms more than placebo."),
              paper("Ketamine and synaptogenesis in mice", design="preclinical",
                    results="Ketamine increased dendritic spine density."))
        assert check_text(engine, "Ketamine is effective for PTSD.").decided_by == "conflict"
        assert check_text(engine, "Ketamine enhances neuroplasticity.").decided_by == \
            "animal-only"
    finally:
        engine.dispose()


def test_a_null_for_one_dose_arm_is_not_a_null_for_the_drug(engine: Engine) -> None:
    store(engine, *(paper(f"Ketamine dose-ranging trial {i}", labels=TRD,
                          results="The 0.5 mg/kg dose reduced depression scores more than "
                                  "midazolam at 24 hours; the lower doses did not separate "
                                  "from midazolam.") for i in range(2)))
    report = check_text(engine, "Ketamine relieves treatment-resistant depression within hours.")
    assert {f.stance for f in report.findings} == {"for"}
    assert report.suggested == "supported"


def test_a_route_comparison_needs_a_study_that_gave_both_routes(engine: Engine) -> None:
    # "Oral is as good as IV" is not supported by oral studies that work, nor by an oral
    # study whose conclusion cites earlier intravenous work: only a head-to-head counts.
    store(engine,
          paper("Oral ketamine for depression: a randomized trial",
                labels=(("indication", "mdd"), ("route", "oral")),
                results="Depression scores fell more with oral ketamine than with placebo.",
                conclusions="Oral ketamine was effective, as intravenous ketamine was in "
                            "earlier trials."))
    text = "Oral ketamine is as effective as IV ketamine for depression."
    assert check_text(engine, text).suggested == "not enough evidence"
    [both] = store(engine, paper(
        "Oral versus intravenous ketamine in depression: a randomized trial",
        labels=(("indication", "mdd"), ("route", "oral"), ("route", "intravenous")),
        results="Oral ketamine was non-inferior to intravenous ketamine on MADRS at day 7."))
    report = check_text(engine, text)
    assert [f.facts.ref for f in report.findings if f.stance == "for"] == [both]
    assert report.suggested in ("supported", "partly supported"), report.reason


def test_a_claim_of_no_benefit_is_supported_by_nulls_and_refuted_by_benefits(
        engine: Engine) -> None:
    delirium = (("indication", "delirium"), ("route", "intravenous"))
    [null] = store(engine, paper(
        "Intraoperative ketamine for postoperative delirium: a randomized trial",
        labels=delirium, background="Ketamine has been proposed to prevent delirium.",
        results="Delirium incidence did not differ between ketamine and placebo.",
        conclusions="A single dose of ketamine did not prevent postoperative delirium."))
    report = check_text(engine, "Ketamine was no better than placebo for delirium.")
    assert {f.facts.ref: f.stance for f in report.findings} == {null: "for"}
    assert report.suggested in ("supported", "partly supported"), report.reason
    report = check_text(engine, "Ketamine prevents delirium after surgery.")
    assert {f.facts.ref: f.stance for f in report.findings} == {null: "against"}


def test_a_claim_naming_a_design_needs_that_design_to_report_it(engine: Engine) -> None:
    store(engine, paper("Ketamine for suicidal ideation: a randomized trial",
                        labels=(("indication", "suicidal_ideation"), ("route", "intravenous")),
                        results="Suicidal ideation fell more after ketamine than after "
                                "midazolam at 24 hours."),
          paper("Ketamine and suicidal thoughts: a second randomized trial",
                labels=(("indication", "suicidal_ideation"), ("route", "intravenous")),
                results="Ketamine reduced suicidal ideation more than placebo."))
    text = "A meta-analysis found ketamine reduces suicidal thoughts."
    report = check_text(engine, text)
    assert (report.suggested, report.decided_by) == ("partly supported", "design-not-seen")
    [review] = store(engine, paper(
        "Ketamine and suicidal ideation: a systematic review and meta-analysis",
        design="systematic_review", labels=(("indication", "suicidal_ideation"),),
        results="Across trials, ketamine reduced suicidal ideation compared with control."))
    report = check_text(engine, text)
    assert review in [f.facts.ref for f in report.findings if f.stance == "for"]
    assert report.suggested == "supported", report.reason


def test_nulls_about_another_drug_or_an_adjusted_outcome_are_not_against(
        engine: Engine) -> None:
    # An add-on drug's null, a mediation test and an adjusted secondary outcome say
    # nothing against ketamine's antidepressant effect.
    [ref] = store(engine, paper(
        "Ketamine then riluzole in treatment-resistant depression: a randomized trial",
        labels=TRD,
        results="Depression scores fell markedly after the ketamine infusion. There was no "
                "significant difference in antidepressant efficacy with riluzole. The effect "
                "on fatigue disappeared when controlling for depression.",
        conclusions="The antidepressant effects were not mediated by the opioid system."))
    report = check_text(engine, "Ketamine relieves treatment-resistant depression.")
    assert {f.facts.ref: f.stance for f in report.findings} == {ref: "for"}


def test_one_null_among_many_concordant_trials_is_named_not_a_conflict(
        engine: Engine) -> None:
    positives = store(engine, *(paper(f"Ketamine infusion in TRD: randomized trial {i}",
                                      labels=TRD, results="Depression scores fell more with "
                                      "ketamine than with placebo at 24 hours.")
                                for i in range(4)))
    [null] = store(engine, paper("Ketamine infusion in TRD: an imaging trial", labels=TRD,
                                 results="Ketamine did not reduce depression scores more "
                                         "than placebo."))
    report = check_text(engine, "Ketamine relieves treatment-resistant depression.")
    assert (report.suggested, report.decided_by) == ("supported", "weight-for")
    assert null in report.reason and all(p in " ".join(
        f.facts.ref for f in report.findings) for p in positives)


def test_a_ruled_out_mediator_contradicts_and_a_reversed_deficit_moves_up(
        engine: Engine) -> None:
    [human] = store(engine, paper(
        "BDNF and ketamine's antidepressant effect: an infusion study", labels=TRD,
        results="Despite improvement in MADRS scores, no changes in BDNF levels were observed.",
        conclusions="Ketamine's rapid antidepressant effects are not mediated by BDNF."))
    [mouse] = store(engine, paper(
        "R-ketamine in a social defeat model", design="preclinical",
        results="R-ketamine had a beneficial effect on decreased dendritic spine density "
                "and synaptogenesis in the prefrontal cortex."))
    bdnf = check_text(engine, "Ketamine works by raising BDNF.")
    assert {f.facts.ref: f.stance for f in bdnf.findings}.get(human) == "against"
    assert bdnf.suggested == "contradicted", bdnf.reason
    plastic = check_text(engine, "Ketamine enhances neuroplasticity.")
    assert {f.facts.ref: f.stance for f in plastic.findings}.get(mouse) == "for"
    assert (plastic.suggested, plastic.decided_by) == ("partly supported", "animal-only")


def test_a_named_harm_is_read_against_that_harm_and_fading_as_a_ceiling(
        engine: Engine) -> None:
    [dissociation] = store(engine, paper(
        "Repeated ketamine infusions in TRD: a randomized trial", labels=TRD,
        results="Dissociative symptoms occurred transiently and attenuated with repeated "
                "dosing. Improvement was maintained for up to 6 weeks."))
    bladder = check_text(engine, "Ketamine may cause bladder problems with long-term use.")
    assert dissociation not in [f.facts.ref for f in bladder.findings if f.stance == "for"]
    fades = check_text(engine, "Ketamine's antidepressant effect fades within one week.")
    assert {f.facts.ref: f.stance for f in fades.findings}.get(dissociation) == "against"


def test_a_possible_harm_is_supported_by_records_of_it_not_refuted_by_its_absence(
        engine: Engine) -> None:
    store(engine,
          paper("Psychotomimetic effects of ketamine", design="rct",
                results="Psychotic symptoms occurred in 4 of 40 participants after ketamine."),
          paper("Ketamine in depression: adverse events", design="rct",
                results="Transient psychotic symptoms were reported by 3 patients given ketamine."),
          paper("Ketamine and placebo in depression", design="rct",
                results="No psychotic symptoms were observed after ketamine."))
    possible = check_text(engine, "Ketamine can trigger psychosis in some people.")
    assert (possible.suggested, possible.decided_by) == ("supported", "harm-possible")
    # Stated as a rule rather than a possibility, the records without it still count.
    assert check_text(engine, "Ketamine triggers psychosis.").decided_by != "harm-possible"


SEDATION = (("indication", "anaesthesia"), ("route", "intravenous"))


def test_a_harm_the_finding_denies_is_no_report_of_it(engine: Engine) -> None:
    refs = store(engine,
                 paper("Ketamine sedation in children: a randomized trial", labels=SEDATION,
                       results="None of the children had desaturation or respiratory "
                               "depression."),
                 paper("Midazolam and small-dose ketamine for sedation", labels=SEDATION,
                       results="Ketamine produced adequate sedation without significant "
                               "respiratory depression."),
                 paper("Ketamine-propofol versus propofol: a meta-analysis", labels=SEDATION,
                       design="systematic_review",
                       results="Five RCTs reported the proportion of adverse respiratory "
                               "events; there were fewer adverse respiratory events with "
                               "ketamine-propofol than with propofol."))
    safe = check_text(engine, "Ketamine at sedative doses is not known to cause respiratory "
                              "depression.")
    assert safe.claim.implies.concepts == ("respiratory",)
    stances = {f.facts.ref: f.stance for f in safe.findings}
    assert [stances.get(r) for r in refs] == ["for", "for", "for"]
    # Its absence in some patients does not refute that it can happen.
    can = check_text(engine, "At high doses ketamine can cause respiratory depression.")
    assert (can.suggested, can.decided_by) == ("not enough evidence", "harm-possible-unseen")


def test_without_affecting_the_heart_is_a_claim_no_harm_to_the_heart(engine: Engine) -> None:
    [rise] = store(engine, paper(
        "Haemodynamic effects of ketamine induction", labels=SEDATION,
        results="Heart rate and blood pressure increased significantly after ketamine."))
    report = check_text(engine, "Ketamine provides anaesthesia without affecting the heart.")
    assert report.claim.implies.absolute and "cardiovascular" in report.claim.implies.concepts
    assert report.suggested == "contradicted" and rise in report.reason


def test_an_approval_claim_is_contradicted_by_the_use_being_off_label(engine: Engine) -> None:
    [statement] = store(engine, paper(
        "Ketamine for mood disorders: a consensus statement", labels=TRD,
        design="guideline",
        background="Small trials have led to increased use of ketamine as an off-label "
                   "treatment for mood disorders."))
    report = check_text(engine, "The FDA has approved ketamine infusions for depression.")
    assert report.suggested == "contradicted" and statement in report.reason


def test_the_rest_respond_says_everyone_responds(engine: Engine) -> None:
    assert check_text(engine, "About 70% of patients respond within one day and the rest "
                              "respond after three infusions.").claim.implies.absolute


def test_a_claim_naming_nothing_a_study_reports_is_not_checked(engine: Engine) -> None:
    store(engine, paper("Ketamine in depression", design="rct", labels=TRD,
                        results="Depression ratings fell more with ketamine than placebo."))
    report = check_text(engine, "Ketamine therapy is covered by insurance.")
    assert (report.suggested, report.decided_by) == ("not enough evidence", "nothing-to-check")
    assert check_text(engine, "Ketamine works.").decided_by != "nothing-to-check"


def test_a_trial_cited_by_name_is_found_only_in_a_record_that_names_it(engine: Engine) -> None:
    esk = (("indication", "trd"), ("route", "intranasal"))
    store(engine, paper(
        "Esketamine nasal spray in treatment-resistant depression: a randomized trial",
        results="Esketamine significantly reduced MADRS scores compared with placebo.",
        drug="esketamine", labels=esk))
    text = "In the {} trial, esketamine beat placebo in treatment-resistant depression."
    assert check_text(engine, text.format("ZZTOP-9")).suggested == "not found as cited"
    store(engine, paper(
        "Esketamine in treatment-resistant depression (ZZTOP-9): a randomized trial",
        results="Esketamine significantly reduced MADRS scores compared with placebo.",
        drug="esketamine", labels=esk))
    found = check_text(engine, text.format("ZZTOP-9"))
    assert found.citation is not None and found.citation.found


def test_a_condition_no_record_studies_is_not_enough_evidence(engine: Engine) -> None:
    # Many benefits in depression say nothing about Rett syndrome.
    for _ in range(5):
        store(engine, paper("Ketamine for treatment-resistant depression: a randomized trial",
                            results="Ketamine significantly reduced depression scores.",
                            labels=TRD))
    report = check_text(engine, "In Rett syndrome ketamine improves breathing and movement.")
    assert report.suggested == "not enough evidence"


def test_how_long_a_study_looked_or_an_illness_lasted_is_no_duration_of_effect(
        engine: Engine) -> None:
    for results in ("Our follow up was limited to 6 weeks after the single infusion.",
                    "Effects were larger in patients whose current episode lasted less than "
                    "24 months.",
                    "Improvement was maintained for up to 6 weeks with additional optimized "
                    "standard pharmacotherapy."):
        store(engine, paper("Single ketamine infusion in major depression: a randomized trial",
                            results=results, labels=TRD))
    store(engine, paper("Single ketamine infusion in major depression: a randomized trial",
                        results="The antidepressant effect of the single infusion lasted 7 days.",
                        labels=TRD))
    report = check_text(engine, "Relief from depression after a single ketamine treatment "
                                "session can last a month or more.")
    assert report.suggested == "contradicted"
