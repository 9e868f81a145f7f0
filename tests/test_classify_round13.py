"""Rules written from the round-13 records' errors, on hand-built records.

Each test holds a rule's general reading in the shape the real records showed
(evaluation/records/round13/), not one record's words.
"""

from __future__ import annotations

from litwatch.classify import classify_record
from litwatch.records import AbstractSection
from tests.test_classify import ketamine_iv, paper, trial


def _structured(title: str, *sections: tuple[str, str]):
    return paper(title, sections=[AbstractSection(label, label, text) for label, text in sections])


# ------------------------------------------------------------------ indication
def test_smoking_and_tobacco_use_are_substance_use() -> None:
    given = trial(brief_title="Ketamine and cigarette smoking",
                  brief_summary="A randomized mechanistic trial of an intravenous dose of "
                                "ketamine or placebo on cigarette smoking behavior and craving.")
    assert classify_record(given).values("indication") == ["other_substance_use"]


def test_a_pk_study_is_pharmacology_in_volunteers() -> None:
    given = trial(brief_title="Crossover Study to Evaluate the PK Effects of Two Ketamine Wafer "
                              "Administration Protocols", conditions=["Pain"],
                  brief_summary="The study compares giving two wafers at once or apart.")
    assert classify_record(given).values("indication") == ["healthy_volunteers"]


def test_a_measure_that_falls_is_no_depression() -> None:
    given = paper("Ketamine in a rat model of acid-induced visceral pain",
                  "Intraperitoneal acid produced stretching and depression of ICSS in rats. "
                  "Ketamine blocked the depression of intracranial self-stimulation.")
    assert "mdd" not in classify_record(given).values("indication")


def test_patients_on_prescribed_ketamine_are_not_substance_users() -> None:
    given = paper("Intranasal ketamine for refractory headache",
                  "Of 168 patients, 107 (63.7%) were current IN ketamine users and 141 had "
                  "chronic migraine.")
    assert "other_substance_use" not in classify_record(given).values("indication")
    recreational = paper("Harms reported by recreational ketamine users",
                         "We surveyed 200 frequent ketamine users.")
    assert "other_substance_use" in classify_record(recreational).values("indication")


def test_pain_after_a_named_operation_is_acute_pain() -> None:
    given = _structured("Peritonsillar ketamine infiltration in children",
                        ("OBJECTIVE", "This study aimed to evaluate the postoperative analgesic "
                                      "efficacy of peritonsillar infiltration of ketamine."),
                        ("RESULTS", "Post-tonsillectomy pain scores were lower with ketamine."))
    assert classify_record(given).values("indication") == ["acute_pain"]


def test_intubation_of_the_critically_ill_is_anaesthesia() -> None:
    given = trial(brief_title="Esketamine versus etomidate for ICU patients",
                  brief_summary="Intubation in the intensive care unit is usually an emergency. "
                                "This trial compares esketamine with etomidate for tracheal "
                                "intubation in critically ill patients.")
    assert classify_record(given).values("indication") == ["anaesthesia"]


def test_colitis_is_a_condition_of_its_own() -> None:
    given = paper("(R)-ketamine and (S)-ketamine in DSS-induced colitis in mice",
                  "Depression is a common symptom in patients with ulcerative colitis. "
                  "We gave arketamine to mice with DSS-induced colitis.")
    assert classify_record(given).values("indication") == ["other"]


# ------------------------------------------------------------------ design
def test_an_approved_trial_protocol_is_no_protocol_paper() -> None:
    given = _structured(
        "Intranasal ketamine versus intravenous morphine for renal colic",
        ("METHODS", "100 patients were randomly divided into two groups."),
        ("RESULTS", "Pain fell in both groups."),
        ("TRIAL REGISTRATION", "The trial protocol was approved in the Iranian Registry of "
                               "Clinical Trials."))
    assert classify_record(given).first("design") == "rct"


def test_patients_described_one_by_one_are_a_case_series() -> None:
    series = paper("Urinary tract dysfunction after recreational ketamine use",
                   "We describe the severe lower urinary tract symptoms experienced in 6 "
                   "patients with chronic recreational ketamine use.")
    assert classify_record(series).first("design") == "case_report"
    study = paper("Ketamine for acute neuropathic pain after spinal cord injury",
                  "We report a prospective study of 13 patients treated with ketamine.")
    assert classify_record(study).first("design") != "case_report"


def test_swine_are_animals() -> None:
    given = paper("A continuous hemorrhage model of fatal hemorrhagic shock in swine",
                  "Fasted immature swine were sedated with intramuscular ketamine.")
    assert classify_record(given).first("design") == "preclinical"


# ------------------------------------------------------------------ route
def test_what_the_drug_is_is_not_how_it_was_given() -> None:
    given = paper("Esketamine and post-partum depression after caesarean section",
                  "As an intravenous general anaesthetic, esketamine has rapid antidepressant "
                  "effects. A total of 280 patients were randomly divided into esketamine and "
                  "control groups.")
    assert classify_record(given).values("route") == ["not_stated"]


# ------------------------------------------------------------------ finding direction
def test_a_harm_no_patient_had_is_no_harm_reported() -> None:
    from litwatch.classify.findings import direction_of
    assert direction_of("None of the patients experienced serious adverse events.") is None
    assert direction_of("No patient experienced serious adverse events.") is None
    assert direction_of("Two patients experienced serious adverse events.") == "harm"


def test_the_saline_arms_abbreviation_is_no_statistic() -> None:
    from litwatch.classify.findings import direction_of
    assert direction_of("The administration of esketamine reduced the recovery time compared "
                        "to normal saline (NS).") != "no_difference"
    assert direction_of("Esketamine was associated with a higher risk of visual disturbance "
                        "compared to the NS group.") == "harm"
    # "(ns)" after a comparison still reads as not significant.
    assert direction_of("Pain scores were lower with ketamine (ns).") == "no_difference"


def test_acute_painful_conditions_and_preanaesthetics() -> None:
    nebulised = _structured("Nebulized ketamine: a systematic review and meta-analysis",
                            ("CONCLUSION", "Nebulized ketamine for patients with acute painful "
                                           "conditions provided equivalent analgesia."))
    assert classify_record(nebulised).values("indication") == ["acute_pain"]
    rabbits = paper("Xylazine-ketamine with or without fentanyl in rabbits",
                    "Clinical and serum markers were used to assess the clinical efficacy of "
                    "routinely used preanaesthetics and induction agents in rabbits.")
    assert classify_record(rabbits).values("indication") == ["anaesthesia"]


def test_ketamine_washed_into_a_wound_or_added_to_a_plane_block_is_another_route() -> None:
    rinse = trial(brief_title="Ketamine Irrigation Analgesia in Laparoscopic Cholecystectomy",
                  conditions=["Pain"],
                  interventions=[ketamine_iv("")],
                  detailed_description="The anesthetic technique will be standardized for "
                                       "all groups.")
    found = classify_record(rinse)
    assert (found.values("indication"), found.values("route")) == (["acute_pain"], ["other"])
    block = trial(brief_title="Ketamine versus magnesium as adjuvants for erector spinae "
                              "plane block", interventions=[ketamine_iv(
                                  "2 mg/kg ketamine injected into fascial plane deep to "
                                  "erector spinae muscle")])
    assert classify_record(block).values("route") == ["other"]


def test_an_experimental_pain_stimulus_is_no_pain_treated() -> None:
    given = trial(brief_title="Ketamine and propofol: brain connectivity during memory "
                              "formation", brief_summary="Healthy volunteers receive ketamine "
                  "and propofol. An experimental acute pain stimulus will be delivered using a "
                  "nerve stimulator; these painful shocks are paired with events.")
    assert "acute_pain" not in classify_record(given).values("indication")


def test_pharmacology_in_organ_impairment_beside_healthy_participants() -> None:
    given = trial(brief_title="Effects of Renal Impairment on the Pharmacokinetics of "
                              "Intranasal Esketamine", allocation="", intervention_model="",
                  brief_summary="To evaluate the pharmacokinetics of esketamine in participants "
                                "with impaired renal function when compared to participants "
                                "with normal renal function.")
    found = classify_record(given)
    assert "other" in found.values("indication")
    assert found.first("design") == "non_randomized"
