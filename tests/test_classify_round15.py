"""Rules written from the round-15 records' errors, on hand-built records.

Each test holds a rule's general reading in the shape the real records showed
(evaluation/records/round15/), not one record's words.
"""

from __future__ import annotations

from litwatch.classify import classify_record
from litwatch.classify.sentences import direction_of, sentences_of
from litwatch.records import AbstractSection, ArmGroup
from tests.test_classify import paper, trial


def _structured(title: str, *sections: tuple[str, str]):
    return paper(title, sections=[AbstractSection(label, None, text) for label, text in sections])


# ------------------------------------------------------------------ indication
def test_pain_of_cancer_treatment_is_cancer_pain_not_acute_pain() -> None:
    given = trial(brief_title="Ketamine mouthwash for the oral and pharyngeal toxicity associated "
                              "with head and neck chemoradiotherapy",
                  brief_summary="The investigators hypothesize that ketamine mouthwash may "
                                "reduce both pain and the need for opioid drugs.")
    assert classify_record(given).values("indication") == ["cancer_pain"]


def test_induction_agents_compared_are_anaesthesia_but_a_fact_about_ketamine_is_not() -> None:
    given = trial(brief_title="Ketofol versus propofol as induction agents on haemodynamics",
                  conditions=["Blood Pressure"])
    assert classify_record(given).values("indication") == ["anaesthesia"]
    fact = trial(brief_title="Low-dose ketamine infusion versus intravenous morphine for "
                             "postoperative pain",
                 brief_summary="Ketamine is being used as an induction agent for caesarean "
                               "section and to provide analgesia during labour.")
    assert "anaesthesia" not in classify_record(fact).values("indication")


def test_sedation_kept_up_in_intensive_care_is_anaesthesia() -> None:
    given = paper("Continuous ketamine infusion in critically ill children",
                  "We conducted a retrospective cohort study in a paediatric intensive care unit. "
                  "A total of 240 patients used continuous sedation and 82 received ketamine.")
    assert classify_record(given).values("indication") == ["anaesthesia"]


def test_pain_and_complications_after_a_delivery_are_acute_pain() -> None:
    given = paper("Effect of ketofol on pain and complication after caesarean delivery under "
                  "spinal anaesthesia: a randomized trial",
                  "The drugs were administered intravenously after clamping of the cord.")
    assert classify_record(given).values("indication") == ["acute_pain"]


def test_people_who_abuse_ketamine_are_substance_users() -> None:
    given = paper("A short-term hospitalization programme for people who abuse ketamine",
                  "Outcomes of the treatment group were compared with a comparison group.")
    assert "other_substance_use" in classify_record(given).values("indication")


# ------------------------------------------------------------------ route
def test_a_route_closing_a_parenthesis_of_doses_is_every_listed_drugs() -> None:
    given = _structured("Thiopental and ketamine-xylazine anaesthesia in ischaemia in rats",
                        ("OBJECTIVE", "To investigate the influence of thiopental (85 mg/kg, "
                                      "ip) and ketamine+xylazine (ketamine 75 mg/kg and xylazine "
                                      "8 mg/kg, ip) anesthesia on arrhythmias."))
    assert classify_record(given).values("route") == ["other"]


# ------------------------------------------------------------------ topic, drug
def test_an_off_topic_trial_naming_ketamine_only_in_its_background_gives_none() -> None:
    given = trial(brief_title="Oral REL-1017 as adjunctive therapy in MDD",
                  brief_summary="A randomized trial of multiple oral doses of REL-1017 25 mg and "
                                "50 mg as adjunctive therapy in major depressive disorder.",
                  detailed_description="Recent studies have demonstrated that ketamine, an NMDA "
                                       "receptor antagonist, produces rapid antidepressant "
                                       "actions.",
                  arm_groups=[ArmGroup("REL-1017", "EXPERIMENTAL", "Oral REL-1017 daily", [])])
    got = classify_record(given)
    assert got.values("topic") == ["off_topic"]
    assert got.values("drug") == []
    assert got.values("route") == ["not_stated"]


# ------------------------------------------------------------------ design
def test_a_case_reported_with_a_review_of_the_literature_is_a_case_report() -> None:
    given = paper("Severe urinary symptoms: a case report of ketamine abuse uropathy with a "
                  "review of the literature", "A young man was admitted with haematuria.")
    assert classify_record(given).values("design") == ["case_report"]


def test_the_case_reported_here_is_a_case_report() -> None:
    given = paper("Fatal ketamine poisoning",
                  "In the case reported here, the decedent was found in a locked car.")
    assert classify_record(given).values("design") == ["case_report"]


# ------------------------------------------------------------------ sentence layer
def test_data_synthesis_is_read_sentence_by_sentence() -> None:
    given = _structured("Ketamine versus etomidate for rapid sequence intubation: a "
                        "meta-analysis",
                        ("Data Sources", "PubMed and Embase were searched."),
                        ("Data Synthesis", "Six RCTs comprising 4108 patients were included. "
                                           "The pooled analysis showed no statistically "
                                           "significant difference in 28-day mortality."))
    roles = {s.text[:10]: s.role for s in sentences_of(given)}
    assert roles["The pooled"] == "results"


def test_more_patients_with_a_harm_and_no_statistical_difference() -> None:
    assert direction_of("Intra-operatively more patients had tachycardia and tachypnea in "
                        "the ketamine group.") == "harm"
    assert direction_of("Ketamine was associated with a statistically significant increase in "
                        "the incidence of post-intubation hypotension.") == "harm"
    assert direction_of("There was no statistical difference between the two groups.") \
        == "no_difference"
    # "no statistical analysis" denies nothing found
    assert direction_of("This study provides evidence that ketamine can be effective (no "
                        "statistical analysis was done).") != "no_difference"
    assert direction_of("Intraoperative ketamine resulted in desirable postoperative pain "
                        "control.") == "benefit"
