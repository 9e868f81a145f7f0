"""Rules written from the errors of claims batches m-r (evaluation/gold/claims_fresh_*.toml),
each on hand-built records: which way a claimed mechanism moves; harms said to be rare;
a cited trial's regimen and figures; claims that name no ketamine-family drug; statuses
with numbers; lists of risks; approvals for two uses."""

from __future__ import annotations

from sqlalchemy import Engine

from litwatch.claims.assertions import assertions
from litwatch.claims.engine import check_text
from litwatch.claims.intake import derive
from tests.test_claims_helpers import claim, paper, store

GLUTAMATE_UP = ("These findings provide direct evidence in humans that ketamine increases "
                "glutamate release in the prefrontal cortex.")


def _changes(text: str) -> dict[str, str | None]:
    return {p.concepts[0]: p.change for p in assertions(claim(text))}


def test_prevent_and_suppress_say_the_mechanism_goes_down() -> None:
    [part] = assertions(claim("Ketamine works by preventing the production of glutamate."))
    assert part.change == "down"


def test_a_receptor_antagonist_blocks_that_receptor_whatever_the_claim_says_next() -> None:
    changes = _changes("Ketamine, an NMDA receptor antagonist, raises brain glutamate and "
                       "enhances neuroplasticity.")
    assert changes["nmda"] == "down"
    assert changes["glutamate"] == "up"


def test_acting_through_a_receptor_gives_it_no_direction() -> None:
    changes = _changes("Esketamine acts through NMDA receptors to activate pathways that "
                       "promote neuroplasticity.")
    assert changes["nmda"] is None


def test_a_record_of_more_glutamate_counts_against_a_claim_of_less(engine: Engine) -> None:
    store(engine, paper("Ketamine and prefrontal glutamate in depressed subjects",
                        design="non_randomized", conclusions=GLUTAMATE_UP,
                        labels=(("indication", "mdd"),)),
          # The reduction is of OCD symptoms; glutamate is only linked to it.
          paper("Ketamine in obsessive-compulsive disorder", labels=(("indication", "ocd"),),
                conclusions="This trial shows that a drug affecting glutamate "
                            "neurotransmission can reduce OCD symptoms."),
          # AMPA-mediated connectivity is what fell, not glutamate.
          paper("Ketamine and frontoparietal connectivity", labels=(("indication", "mdd"),),
                results="Ketamine indicated a decrease in AMPA-mediated frontal-to-parietal "
                        "connectivity."))
    report = check_text(engine, "Ketamine works by preventing the production of glutamate.")
    stances = {f.facts.title: f.stance for f in report.findings if f.stance}
    assert stances.get("Ketamine and prefrontal glutamate in depressed subjects") == "against"
    assert "Ketamine in obsessive-compulsive disorder" not in stances
    assert "Ketamine and frontoparietal connectivity" not in stances
    assert report.suggested == "contradicted", report.reason


def test_side_effects_said_to_be_rare_is_a_claim_that_harms_are_uncommon() -> None:
    assert derive("Side effects of ketamine treatment for depression are rare.").direction \
        == "no_harm"
    # "Can rarely cause" still says the harm happens.
    assert derive("Ketamine can rarely cause bladder damage.").direction == "harm"


def test_an_add_on_trial_is_not_the_monotherapy_trial_cited(engine: Engine) -> None:
    labels = (("indication", "trd"), ("route", "intranasal"), ("drug", "esketamine"))
    store(engine, paper("Esketamine nasal spray plus oral antidepressant for relapse "
                        "prevention: a randomized clinical trial", journal="JAMA Psychiatry",
                        year=2019, labels=labels,
                        results="Depressive symptoms fell within 24 hours with esketamine "
                                "compared with placebo."))
    mono = check_text(engine, "The JAMA Psychiatry trial of esketamine nasal spray as "
                              "monotherapy found depressive symptoms fell within 24 hours.")
    assert mono.suggested == "not found as cited", mono.reason
    assert mono.citation is not None
    assert any("add-on" in near for near in mono.citation.near)
    add_on = check_text(engine, "The JAMA Psychiatry trial of esketamine nasal spray added to "
                                "an oral antidepressant found depressive symptoms fell within "
                                "24 hours.")
    assert add_on.citation is not None and add_on.citation.found, add_on.reason


TRD = (("indication", "trd"), ("route", "intravenous"))


def test_a_claim_naming_no_ketamine_family_drug_is_not_checked(engine: Engine) -> None:
    store(engine, paper("Ketamine in treatment-resistant depression", labels=TRD,
                        results="Response rates were 30% higher with ketamine than placebo."))
    for text in ("At least 30% of people with depression meet the criteria for "
                 "treatment-resistant depression.",
                 "Traditional antidepressants can take 6 to 8 weeks to start working."):
        report = check_text(engine, text)
        assert (report.suggested, report.decided_by) == ("not enough evidence",
                                                         "nothing-to-check"), text
    assert check_text(engine, "Ketamine relieves treatment-resistant depression.").decided_by \
        != "nothing-to-check"


def test_a_status_with_a_number_needs_a_record_stating_that_number(engine: Engine) -> None:
    store(engine, paper("Esketamine nasal spray: a review", design="narrative_review",
                        labels=(("drug", "esketamine"), ("route", "intranasal")),
                        background="Esketamine nasal spray was approved by the FDA for "
                                   "treatment-resistant depression; blood pressure rises "
                                   "after a dose."))
    numbered = check_text(engine, "The FDA requires a blood pressure below 160/100 mmHg "
                                  "before esketamine nasal spray is given.")
    assert numbered.suggested == "not enough evidence", numbered.reason
    assert check_text(engine, "Esketamine nasal spray was approved by the FDA in 2019.") \
        .suggested in ("supported", "partly supported")


def test_reassurance_does_not_refute_a_harm_that_can_happen(engine: Engine) -> None:
    [safe] = store(engine, paper("Oral ketamine for depression: a review",
                                 design="narrative_review", labels=TRD,
                                 conclusions="Oral ketamine appears to be a safe and effective "
                                             "treatment, and its abuse potential is low."))
    report = check_text(engine, "Ketamine can be addictive.")
    assert all(f.stance != "against" for f in report.findings if f.facts.ref == safe)
    # A harm stated as a rule is still weighed against the reassurance.
    rule = check_text(engine, "Ketamine is addictive.")
    assert any(f.stance == "against" for f in rule.findings if f.facts.ref == safe)


def test_a_cited_trial_must_report_the_days_or_points_it_is_said_to_have_found(
        engine: Engine) -> None:
    store(engine, paper("Esketamine nasal spray for relapse prevention: a randomized "
                        "withdrawal trial", labels=(("indication", "trd"),
                                                    ("drug", "esketamine")),
                        results="Relapse occurred in 26.7% with esketamine and 45.3% with "
                                "placebo; esketamine delayed relapse."))
    report = check_text(engine, "In the esketamine maintenance trial, median time to relapse "
                                "was 635 days with esketamine versus 88 days with placebo.")
    assert report.suggested == "not found as cited", report.reason
    assert report.citation is not None
    assert any("635 days" in near for near in report.citation.near)


def test_what_the_studies_behind_an_approval_showed_is_a_finding_claim() -> None:
    assert derive("All five studies behind the FDA approval of esketamine showed it "
                  "working faster than other antidepressants.").kind != "regulatory"
    assert derive("Esketamine was approved by the FDA in 2019.").kind == "regulatory"


def test_the_trials_in_a_named_population_are_those_trials() -> None:
    assert derive("In the esketamine trials in depressed patients with suicidal thoughts, "
                  "scores fell 4 points more than with placebo.").study
    assert not derive("Trials show esketamine reduces depressive symptoms.").study


def test_harms_said_to_be_rare_are_contradicted_by_a_record_of_common_harms(
        engine: Engine) -> None:
    [common, _] = store(
        engine,
        paper("Dose-frequency study of intravenous ketamine", labels=TRD,
              results="Headache, anxiety, dissociation, nausea and dizziness were the most "
                      "common (>=20%) treatment-emergent adverse events."),
        paper("Repeated oral ketamine in depression", labels=TRD,
              results="Side-effects were mild and transient."))
    report = check_text(engine, "Side effects of ketamine treatment for depression are rare.")
    assert report.suggested == "contradicted" and common in report.reason, report.reason
    supervised = derive("Under medical supervision, ketamine side effects are rare, affecting "
                        "fewer than 2% of patients.")
    assert (supervised.kind, supervised.direction, supervised.absolute) == (
        "safety", "no_harm", True)


def test_a_claimed_figure_no_supporting_record_states_is_a_missing_detail(
        engine: Engine) -> None:
    for title in ("Subcutaneous ketamine in depression", "Ketamine infusion in depression"):
        store(engine, paper(title, labels=TRD,
                            results="Side effects were transient: blood pressure rose by "
                                    "about 10 mm Hg and resolved within an hour."))
    claimed = check_text(engine, "Ketamine infusions transiently raise blood pressure, with "
                                 "mean increases of at most about 7.4/6.0 mm Hg.")
    assert claimed.decided_by == "detail-not-reported", claimed.reason
    assert "7.4/6.0 mm Hg" in claimed.reason
    stated = check_text(engine, "Ketamine infusions transiently raise blood pressure by about "
                                "10 mm Hg.")
    assert stated.decided_by != "detail-not-reported", stated.reason


ESK = (("indication", "trd"), ("route", "intranasal"), ("drug", "esketamine"))


def test_identified_risks_after_a_colon_are_a_list_of_harms(engine: Engine) -> None:
    store(engine, paper("Esketamine nasal spray in TRD: a randomized trial", labels=ESK,
                        results="Dissociation and increased blood pressure were the most "
                                "common adverse events with esketamine."))
    report = check_text(engine, "Esketamine nasal spray carries four identified risks: "
                                "dissociation, sedation, increased blood pressure and drug "
                                "abuse.")
    assert report.decided_by == "harms-partly-reported", report.reason


def test_an_approval_for_two_uses_is_checked_use_by_use(engine: Engine) -> None:
    store(engine, paper("Esketamine: a review", design="narrative_review", labels=ESK,
                        background="Esketamine nasal spray is approved by the FDA for "
                                   "treatment-resistant depression."))
    report = check_text(engine, "Esketamine was FDA-approved for treatment-resistant "
                                "depression and for major depression with acute suicidal "
                                "ideation.")
    assert report.suggested == "partly supported", report.reason
    assert len(report.parts) == 2


def test_a_named_harm_decides_over_side_effects_as_a_class(engine: Engine) -> None:
    store(engine, paper("Esketamine nasal spray in TRD: a randomized trial", labels=ESK,
                        results="Nausea, dissociation and dizziness were the most common "
                                "adverse events with esketamine."))
    bladder = check_text(engine, "Esketamine can cause significant adverse reactions such as "
                                 "bladder damage.")
    assert bladder.suggested == "not enough evidence", bladder.reason
    nausea = check_text(engine, "Esketamine can cause side effects such as nausea.")
    assert nausea.suggested != "not enough evidence", nausea.reason


def test_a_risk_of_adverse_cardiac_effects_is_read_as_the_heart() -> None:
    [part] = assertions(claim("Ketamine keeps patients haemodynamically stable and minimises "
                              "the risk of adverse cardiac effects."))
    assert part.concepts == ("cardiovascular",)


def test_an_outcome_the_cited_study_did_not_move_is_not_claimed(engine: Engine) -> None:
    [cited] = store(engine, paper(
        "Ketamine produces effective and long-term pain relief in complex regional pain "
        "syndrome type 1", journal="Pain", year=2009,
        labels=(("indication", "crps"), ("drug", "ketamine"), ("drug", "esketamine"),
                ("route", "intravenous")),
        results="Pain scores over 12 weeks were significantly lower with ketamine "
                "than with placebo."))
    text = ("A 2009 trial in Pain (Sigtermans et al.) found that low-dose ketamine "
            "significantly reduced CRPS pain without much functional improvement.")
    # What the study did not move is no outcome the claim says improved.
    assert "quality_of_life" not in derive(text).concepts
    report = check_text(engine, text)
    assert report.citation is not None
    assert [f.facts.ref for f in report.citation.matched] == [cited], report.reason


def test_an_effect_said_to_last_at_most_hours_is_contradicted_by_days(engine: Engine) -> None:
    from litwatch.claims.timeframe import claim_window
    window = claim_window("The antidepressant effects of ketamine last at most several hours.")
    assert window is not None and window.at_most and window.lasts_hours == 3.0
    store(engine,
          paper("Twice- and thrice-weekly ketamine", labels=TRD,
                conclusions="Twice-weekly ketamine maintained antidepressant efficacy over "
                            "15 days."),
          paper("Ketamine and cortical excitability", labels=TRD,
                conclusions="Transient changes in cortical excitability might be one "
                            "mechanism via which ketamine improves mood."))
    report = check_text(engine, "The antidepressant effects of ketamine last at most several "
                                "hours.")
    assert report.suggested == "contradicted", report.reason


def test_a_harm_said_to_be_the_most_common_is_checked_against_the_ranked_harms(
        engine: Engine) -> None:
    [ranked] = store(engine, paper(
        "Dose-frequency study of intravenous ketamine", labels=TRD,
        results="Headache, anxiety, dissociation, nausea and dizziness were the most common "
                "treatment-emergent adverse events."))
    sedation = check_text(engine, "Sedation is the most common side effect of ketamine.")
    assert [f.stance for f in sedation.findings if f.facts.ref == ranked] == ["against"]
    headache = check_text(engine, "Headache is the most common side effect of ketamine.")
    assert [f.stance for f in headache.findings if f.facts.ref == ranked] == ["for"]


def test_substance_use_disorders_take_in_alcohol_opioid_and_cocaine_use(engine: Engine) -> None:
    store(engine, paper("Ketamine and mindfulness for cocaine dependence: an RCT",
                        labels=(("indication", "cocaine_use"), ("route", "intravenous")),
                        results="Abstinence was significantly higher with ketamine than with "
                                "midazolam (48.2% vs 10.7%)."))
    report = check_text(engine, "Ketamine can help patients with substance use disorders "
                                "achieve and maintain abstinence.")
    assert report.suggested in ("supported", "partly supported"), report.reason


def test_weeks_of_treatment_are_how_long_it_was_given_not_a_time_point() -> None:
    from litwatch.claims.timeframe import claim_window
    assert claim_window("After 16 weeks of esketamine treatment, patients who continued it "
                        "relapsed less.") is None
    window = claim_window("Mood improved within 24 hours of the first infusion.")
    assert window is not None and window.onset_hours == 24


def test_one_randomized_trial_shows_that_a_treatment_can_help(engine: Engine) -> None:
    store(engine, paper("Low-dose ketamine infusion in CRPS: a randomized trial",
                        labels=(("indication", "crps"), ("route", "intravenous")),
                        results="Pain scores were significantly lower with ketamine than "
                                "with placebo."))
    hedged = check_text(engine, "Ketamine infusions can help some patients with complex "
                                "regional pain syndrome.")
    assert hedged.suggested == "supported", hedged.reason
    plain = check_text(engine, "Ketamine infusions relieve complex regional pain syndrome.")
    assert (plain.suggested, plain.decided_by) == ("partly supported", "mixed-or-single")


def test_minor_harms_that_occurred_are_what_well_tolerated_means(engine: Engine) -> None:
    [minor] = store(engine, paper("A randomized controlled trial of intranasal ketamine",
                                  labels=(("indication", "mdd"), ("route", "intranasal")),
                                  conclusions="Treatment was associated with minimal adverse "
                                              "effects."))
    tolerated = check_text(engine, "Intranasal ketamine is well tolerated.")
    assert [f.stance for f in tolerated.findings if f.facts.ref == minor] == ["for"]
    absolute = check_text(engine, "Intranasal ketamine has no side effects.")
    assert [f.stance for f in absolute.findings if f.facts.ref == minor] == ["against"]


def test_what_every_study_behind_an_approval_found_is_refuted_by_one_that_failed(
        engine: Engine) -> None:
    text = ("Esketamine nasal spray beat placebo on depression severity in the four studies "
            "that led to its approval.")
    implied = derive(text)
    assert (implied.kind, implied.absolute) == ("efficacy", True)
    store(engine,
          paper("Esketamine nasal spray in TRD: TRANSFORM-2", labels=ESK,
                results="Esketamine significantly reduced MADRS scores compared with placebo."),
          paper("Esketamine nasal spray in TRD: TRANSFORM-1", labels=ESK,
                results="Esketamine 84 mg did not differ significantly from placebo on the "
                        "MADRS (P = .088)."))
    assert check_text(engine, text).suggested == "contradicted"


def test_a_reduced_sensation_is_an_item_of_a_harm_list_and_no_abuse_potential_is_absolute(
        ) -> None:
    listed = derive("The most common side effects of esketamine nasal spray are dissociation, "
                    "dizziness, reduced touch sensation, anxiety and raised blood pressure.")
    assert "anxiety" not in listed.indications      # a harm listed, not a condition treated
    assert derive("Ketamine has no addictive potential in a monitored setting.").absolute


def test_longer_lasting_than_another_regimen_states_no_duration() -> None:
    from litwatch.claims.timeframe import claim_window
    assert claim_window("A series of ketamine infusions gives longer-lasting improvement than "
                        "a single infusion.") is None
    lasting = claim_window("Ketamine gives long-lasting relief.")
    assert lasting is not None and lasting.lasts_hours


def test_a_clause_about_another_nmda_drug_alone_is_no_finding(engine: Engine) -> None:
    [other] = store(engine, paper("Lanicemine and ketamine in depression", labels=TRD,
                                  results="Dissociative symptoms were minimal following "
                                          "administration of lanicemine."))
    report = check_text(engine, "Side effects of ketamine infusions include dissociation.")
    assert all(f.facts.ref != other or not f.stance for f in report.findings)


def test_not_markedly_depressing_breathing_denies_the_harm_and_a_reported_list_is_a_list(
        ) -> None:
    assert derive("Ketamine does not markedly depress breathing.").direction == "no_harm"
    listed = derive("A systematic review reported dissociation, anxiety, headache and "
                    "dizziness as common adverse effects of ketamine in depression.")
    assert "headache" not in listed.indications and "anxiety" not in listed.indications


def test_a_trial_is_not_the_review_cited(engine: Engine) -> None:
    # Batch w: "a July 2019 ... systematic review of seven RCTs found ..." was "found as
    # cited" in a 2019 cocaine-dependence RCT that happened to report a benefit.
    labels = (("indication", "chronic_pain"), ("route", "intravenous"))
    store(engine, paper("Ketamine infusion for chronic pain: a randomized trial", year=2019,
                        labels=labels,
                        results="Chronic pain scores fell significantly more with ketamine "
                                "infusion than with placebo."))
    text = ("A 2019 systematic review of seven RCTs found that ketamine infusion reduced "
            "chronic pain more than placebo.")
    review = check_text(engine, text)
    assert review.suggested == "not found as cited", review.reason
    assert review.citation is not None
    assert any("not the review described" in near for near in review.citation.near)
    trial = check_text(engine, text.replace("systematic review of seven RCTs",
                                            "randomized trial"))
    assert trial.citation is not None and trial.citation.found, trial.reason
