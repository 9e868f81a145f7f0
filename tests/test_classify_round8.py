"""Rules written from the round-8 records' errors, on hand-built records.

Each test holds a rule's general reading in the shape the real records showed
(evaluation/records/round8/), not one record's words.
"""

from __future__ import annotations

from litwatch.classify import classify_record
from litwatch.records import AbstractSection, ArmGroup, Intervention
from tests.test_classify import paper, trial


# ------------------------------------------------------------------ route
def test_an_arm_text_of_several_sentences_keeps_each_route_with_its_own_drug() -> None:
    # The registry page lost its interventions module; the arms still name theirs.
    arms = [ArmGroup("Group SK", "", "Sevoflurane was initiated at 8% in both groups. Following "
                     "loss of consciousness ketamine was administered to Group SK (n=29) in "
                     "the form of a 0.5mg/kg iv bolus. Patients in Group SS (n=30) received "
                     "saline in the same manner.", ["Ketamine"]),
            ArmGroup("Group SS", "", "Sevoflurane and saline.", ["Saline"])]
    given = trial(brief_title="Ketamine added to sevoflurane anaesthesia in ECT", arm_groups=arms)
    assert classify_record(given).values("route") == ["intravenous"]


def test_an_infusion_rate_per_kilogram_is_intravenous() -> None:
    for rate in ("1000-5000 mcg/kg/hr", "0.12 mg·kg−1·h−1", "5 µg/kg/min"):
        given = trial(brief_title="Ketamine for sedation in severe brain injury",
                      detailed_description=f"Patients will receive ketamine at a rate of {rate}.")
        assert classify_record(given).values("route") == ["intravenous"], rate


def test_a_placebo_compared_against_does_not_take_the_drugs_route() -> None:
    given = trial(brief_title="Ketamine for depression and alcohol dependence",
                  brief_summary="A single dose of ketamine will induce a rapid reduction in "
                  "depressive symptoms relative to placebo as defined by change in Hamilton "
                  "Depression Rating Scale total scores at 72 hours post infusion.")
    assert classify_record(given).values("route") == ["intravenous"]
    # a placebo with its own route word is a double dummy: that route stays its own
    dummy = trial(brief_title="Esketamine in adolescents with depression",
                  arm_groups=[ArmGroup("Intranasal Esketamine + Oral Placebo", "EXPERIMENTAL")])
    assert classify_record(dummy).values("route") == ["intranasal"]


def test_a_gerund_route_word_is_the_drugs_own() -> None:
    assert classify_record(paper("Ketamine-snorting associated cystitis")).values(
        "route") == ["intranasal"]


def test_a_route_no_study_was_found_for_is_no_route_of_the_review() -> None:
    review = paper("Ketamine for suicidal ideation: a systematic review and meta-analysis",
                   "We searched MEDLINE and Embase. Intravenous ketamine reduced suicidal "
                   "ideation within 24 hours. No RCTs for intramuscular (IM) ketamine were "
                   "identified.")
    assert classify_record(review).values("route") == ["intravenous"]


# ------------------------------------------------------------------ indication
def test_ketamine_exposure_during_dosing_is_not_substance_use() -> None:
    dosed = paper("Efficacy of ketamine in relieving neuropathic pain: a systematic review and "
                  "meta-analysis of animal studies", sections=[
        AbstractSection("RESULTS", None, "Chronic ketamine administration caused relief of "
                        "allodynia when tested during ketamine exposure (effect size 5.1).")])
    assert "other_substance_use" not in classify_record(dosed).values("indication")
    counted = paper("Ketamine exposures reported to US poison centers, 1991-2019",
                    "We analysed ketamine exposures reported to poison centers.")
    assert "other_substance_use" in classify_record(counted).values("indication")


def test_peripheral_neuropathy_from_chemotherapy_is_neuropathic_pain() -> None:
    given = trial(brief_title="Topical amitriptyline and ketamine cream in treating peripheral "
                  "neuropathy caused by chemotherapy in cancer patients",
                  interventions=[Intervention("DRUG", "ketamine/amitriptyline cream",
                                              "Applied topically")])
    assert classify_record(given).values("indication") == ["neuropathic_pain"]


def test_neurocritical_sedation_is_sedation_and_the_brain_condition() -> None:
    given = trial(brief_title="Pilot study of ketamine sedation for aneurysmal subarachnoid "
                  "hemorrhage")
    assert sorted(classify_record(given).values("indication")) == ["anaesthesia", "other"]


def test_shivering_after_anaesthesia_is_a_condition_of_its_own() -> None:
    given = paper("Intravenous ketamine for the prevention of post anesthetic shivering in "
                  "spinal anesthesia: a randomized double-blind placebo-controlled trial")
    assert "other" in classify_record(given).values("indication")


# ------------------------------------------------------------------ design
def test_a_trial_still_needed_names_no_design_of_this_study() -> None:
    given = paper("Antianhedonic effect of repeated ketamine infusions in depression",
                  "Here we report the change in anhedonia after eight ketamine infusions in "
                  "42 patients with treatment resistant depression. We observed a statistically "
                  "significant decrease in anhedonia (p < 0.01). The results need replication "
                  "in a larger randomized placebo controlled trial.")
    assert classify_record(given).first("design") == "observational"
    # a handful of patients without statistics stays a case series
    few = paper("Ketamine infusions in depression",
                "We treated 4 patients with ketamine infusions. All improved.")
    assert classify_record(few).first("design") == "case_report"


def test_a_protocol_paper_is_a_protocol_under_a_finished_trials_title() -> None:
    given = paper("Effects of esketamine on pain after thoracoscopy: a multicenter, randomized, "
                  "double-blind, controlled trial",
                  "The current study describes the protocol aiming to evaluate the analgesic "
                  "effect of esketamine. Patients will be randomized to esketamine or saline.")
    assert classify_record(given).first("design") == "protocol"


def test_an_incidence_to_be_reduced_is_no_observational_design() -> None:
    given = trial(brief_title="Low-dose S-ketamine and postpartum depression", study_type="",
                  allocation="", intervention_model="",
                  brief_summary="This study is designed to investigate whether low-dose "
                  "s-ketamine administered after childbirth can reduce the incidence of "
                  "postpartum depression.")
    assert classify_record(given).first("design") != "observational"


# ------------------------------------------------------------------ finding direction
def test_findings_read_in_the_round8_shapes() -> None:
    from litwatch.classify.findings import direction_of
    expected = {
        "Sore throat was significantly less frequent in the study group at four hours.":
            "benefit",
        "At week 2, 62% of the patients were responders.": "benefit",
        "Ketamine was observed to be the effective drug for treating shivering.": "benefit",
        "Soon after starting recreational ketamine he had haematuria and dysuria.": "harm",
        "No adverse events occurred, indicating a favorable safety profile.": "benefit",
        "Recovery time (17 vs 13 min, P < 0.001) was prolonged in the esketamine group.": "harm",
        "Adding ketamine prolongs analgesia without a significant increase in side effects.":
            "benefit",
        "Complete cessation of binge eating was achieved three months after treatment.":
            "benefit",
        "Further study of ketamine for PTSD is necessary, including its potential benefits.":
            None,
    }
    assert {text: direction_of(text) for text in expected} == expected


# ------------------------------------------------------------------ round 9 registrations
def test_postoperative_cognitive_dysfunction_and_sleep_are_not_delirium() -> None:
    pocd = trial(brief_title="The effect of ketamine on postoperative cognitive dysfunction",
                 conditions=["Postoperative Cognitive Dysfunction"])
    assert classify_record(pocd).values("indication") == ["other"]
    sleep = trial(brief_title="Esketamine on postoperative sleep disturbance after spine surgery")
    assert classify_record(sleep).values("indication") == ["other"]


def test_what_a_registry_measures_names_its_condition_when_nothing_else_does() -> None:
    given = trial(brief_title="Sub-dissociative dose ketamine dosing study",
                  interventions=[Intervention("DRUG", "Ketamine", "0.15 mg/kg vs 0.3 mg/kg IV")],
                  primary_outcomes=["Change in numerical pain score (NRS) from 0 to 30 min"])
    assert classify_record(given).values("indication") == ["acute_pain"]
    # agitation controlled outside the hospital is a condition of its own, not sedation
    agitation = trial(brief_title="Ketamine versus haloperidol for severe agitation outside "
                      "the hospital", primary_outcomes=["Time to adequate sedation"])
    assert classify_record(agitation).values("indication") == ["other"]


# ------------------------------------------------------------------ round 9 papers
def test_findings_read_in_the_round9_shapes() -> None:
    from litwatch.classify.findings import direction_of
    expected = {
        # an active comparator matched is a finding for the drug; placebo matched a null
        "Low dose ketamine is as effective as ketorolac for renal colic pain.": "benefit",
        "Ketamine was as effective as placebo for pain at 30 minutes.": "no_difference",
        "Midazolam alone and midazolam with ketamine gave equally effective anxiolysis.":
            "no_difference",
        "Intranasal ketamine and intravenous ketorolac both effectively reduced headaches.":
            "benefit",
        # the groups' make-up, not a result
        "There were no differences between the groups at baseline.": None,
        "Pain decreased from 6.8 at baseline to 5.7 at 12 months (P < 0.001).": "benefit",
        "Patients given ketamine had higher odds of ICU mortality (OR 1.45).": "harm",
        "Invasive airway placement was more frequent with ketamine than with haloperidol.":
            "harm",
        "Differentiated neuronal cells were prone to the toxicity of ketamine.": "harm",
        "Treatment can reverse the cognitive deficits of pseudodementia.": "benefit",
        "Meta-analyses provide support for rapid antidepressant effects of ketamine.":
            "benefit",
    }
    assert {text: direction_of(text) for text in expected} == expected


def test_ventilated_patients_sedated_with_ketamine_is_sedation() -> None:
    given = paper("Safety of continuous ketamine infusion for analgosedation in ICU patients "
                  "on mechanical ventilation: a retrospective cohort study")
    assert classify_record(given).values("indication") == ["anaesthesia"]


def test_an_induction_agent_named_as_a_class_carries_its_route() -> None:
    given = paper("Induction agents for intubation in critically ill patients: a cohort",
                  "Adults who received a single IV anesthetic (propofol, ketamine or "
                  "etomidate) were included.")
    assert classify_record(given).values("route") == ["intravenous"]


def test_a_case_series_with_a_literature_review_is_a_case_series() -> None:
    given = paper("Esketamine for treatment-resistant depression: a case series and "
                  "literature review")
    assert classify_record(given).first("design") == "case_report"


def test_cells_in_a_dish_are_preclinical() -> None:
    given = paper("Cellular consequences of ketamine exposure in human glioblastoma "
                  "epithelial (LN-229) cells",
                  "Cell viability fell with the dose of ketamine.")
    assert classify_record(given).first("design") == "preclinical"


def test_two_doses_matched_are_no_finding_for_the_drug() -> None:
    from litwatch.classify.findings import direction_of
    assert direction_of("Oral ketamine 3 mg/kg was as effective as 6 mg/kg.") == "no_difference"


def test_a_sentence_reporting_a_finding_leans_to_results() -> None:
    from litwatch.classify.roles import infer_roles
    roles = infer_roles([
        "Postpartum depression is common after caesarean section.",
        "We searched PubMed and Embase for randomized trials of esketamine.",
        "Thirteen studies with 2716 patients were analyzed.",
        "Esketamine used perioperatively lowers the risk of postpartum depression and "
        "reduces pain scores within 48 h.",
        "However, it also increases adverse effects like hallucinations and dizziness.",
        "Additionally, body mass index is inversely correlated with mood response.",
        "Current research suggests that esketamine may reduce postpartum depression."])
    assert roles[3:5] == ["results", "results"]


# ------------------------------------------------------------------ round 10
def test_lay_treatment_resistance_is_trd() -> None:
    given = trial(brief_title="Glutamate emotion memory study", study_type="", allocation="",
                  intervention_model="",
                  brief_summary="The investigators are conducting a study in depressed "
                  "participants who did not improve with the standard antidepressant "
                  "treatment. Participants will undergo drug administration (ketamine or "
                  "saline) and an MRI scan.")
    c = classify_record(given)
    assert c.values("indication") == ["trd"]
    # the summary says the drug is given: the study is about it
    assert c.values("topic") == ["on_topic"]


def test_anxiety_before_a_procedure_is_premedication() -> None:
    given = trial(brief_title="Intranasal ketamine for anxiolysis in pediatric emergency "
                  "department patients", conditions=["Procedural Anxiety"])
    assert classify_record(given).values("indication") == ["anaesthesia"]
    icu = trial(brief_title="Sedation with dexmedetomidine-esketamine combination and "
                "delirium in ICU patients")
    assert classify_record(icu).values("indication") == ["anaesthesia", "delirium"]


def test_findings_read_in_the_round10_shapes() -> None:
    from litwatch.classify.findings import direction_of
    expected = {
        "Side-effects in these 9 cases were few and non serious.": "benefit",
        "These gains were uniformly maintained to 6 months post-infusion.": "benefit",
        "Both doses of ketamine significantly attenuated alcohol intake.": "benefit",
        "Ketamine offers a possible treatment option for severe and prolonged aura.":
            "benefit",
        "The evidence points to the efficacy of ketamine as a third-line drug.": "benefit",
        "Except for two patients with sepsis, the rest had a favorable outcome.": "benefit",
        "Nineteen percent of the ketamine users had bilateral hydronephrosis.": "harm",
    }
    assert {text: direction_of(text) for text in expected} == expected


def test_opioid_use_alone_is_consumption_not_a_disorder() -> None:
    given = trial(brief_title="Ketamine for acute pain management after trauma",
                  conditions=["Pain", "Opioid Use", "Trauma Injury"])
    assert classify_record(given).values("indication") == ["acute_pain"]
    oud = trial(brief_title="Ketamine for opioid use disorder")
    assert classify_record(oud).values("indication") == ["opioid_use"]


def test_analgesia_of_ventilated_septic_patients_is_sedation_and_the_sepsis() -> None:
    given = trial(brief_title="Adjunctive esketamine for analgesia in mechanically ventilated "
                  "septic shock patients")
    assert classify_record(given).values("indication") == ["anaesthesia", "other"]


def test_ketofol_is_ketamine_and_an_arm_labelled_ketamine_over_s_ketamine_is_esketamine() -> None:
    ketofol = trial(brief_title="Ketofol versus propofol for sedation in "
                    "cholangiopancreatography")
    assert classify_record(ketofol).values("drug") == ["ketamine"]
    arms = [ArmGroup("Ketamine 0.25", "", "Oxycodone 1 mg/ml + S-ketamine 0.25 mg/ml",
                     ["S-Ketamine 0.25"]),
            ArmGroup("Ketamine 0.5", "", "Oxycodone 1 mg/ml + S-ketamine 0.5 mg/ml",
                     ["S-Ketamine 0.5"])]
    dose = trial(brief_title="Dose-response of ketamine in patient controlled analgesia",
                 arm_groups=arms)
    assert classify_record(dose).values("drug") == ["esketamine"]
