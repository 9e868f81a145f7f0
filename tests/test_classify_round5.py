"""Rules written from the round-5 records' errors, on hand-built records.

Each test holds a rule's general reading, not one record: the sentences are written
here in the shape the real records showed (evaluation/records/round5/).
"""

from __future__ import annotations

from litwatch.classify import classify_record
from tests.test_classify import paper, trial


def test_a_placebo_listed_with_the_drug_shares_its_route() -> None:
    given = paper("Ketamine in healthy volunteers", "Ketamine or placebo was given intravenously.")
    assert classify_record(given).values("route") == ["intravenous"]
    # a placebo given alone keeps the route to itself
    apart = paper("Ketamine in healthy volunteers",
                  "Patients received ketamine, and placebo was given intravenously.")
    assert classify_record(apart).values("route") == ["not_stated"]


def test_an_explicit_racemate_beside_an_enantiomer_is_both() -> None:
    both = paper("Comparative effects of (S)-ketamine and racemic (R/S)-ketamine in volunteers")
    assert classify_record(both).values("drug") == ["ketamine", "esketamine"]
    assert classify_record(paper("(R,S)-ketamine in CRPS")).values("drug") == ["ketamine"]


def test_both_halves_measured_are_the_racemate_not_two_drugs() -> None:
    measured = paper(
        "Pharmacokinetics of prolonged-release ketamine tablets",
        "The distribution volumes of S- and R-ketamine were 6.6 and 5.6 l/kg, and their "
        "clearances 1,620 and 1,530 ml/min.")
    assert classify_record(measured).values("drug") == ["ketamine"]
    given = paper("Pharmacokinetics of intranasal esketamine in healthy volunteers",
                  "Plasma concentrations of esketamine peaked at 20 minutes.")
    assert classify_record(given).values("drug") == ["esketamine"]


def test_a_count_measured_or_a_feared_consequence_names_no_cohort() -> None:
    counted = paper(
        "Ketamine added to morphine for postoperative patient-controlled analgesia",
        "The number of patients with chronic postoperative pain 3 and 6 months after "
        "operation was recorded.")
    assert classify_record(counted).values("indication") == ["acute_pain"]
    feared = trial(brief_title="Ketamine during dressing changes in burn patients",
                   brief_summary="Inadequate pain control may lead to patients experiencing "
                                 "depression and post-traumatic stress disorder (PTSD).")
    assert classify_record(feared).values("indication") == ["acute_pain"]


def test_the_anaesthetic_of_ect_is_anaesthesia() -> None:
    ect = paper("Ketamine as an alternative anesthetic for augmenting seizure durations during "
                "electroconvulsive therapy")
    assert classify_record(ect).values("indication") == ["anaesthesia"]
    fact = paper("Ketamine-associated urological symptoms",
                 "Ketamine is used as an anaesthetic and in third-line pain management.")
    assert "anaesthesia" not in classify_record(fact).values("indication")


def test_ongoing_trials_of_another_drug_are_other_work() -> None:
    t = trial(brief_title="Ketamine as a treatment for tinnitus",
              brief_summary="Clinical trials are ongoing to test a glutamate NMDA receptor "
                            "antagonist (called esketamine), which is injected into the ear.")
    assert classify_record(t).values("drug") == ["ketamine"]


def test_two_treatments_pharmacokinetics_and_a_regimen_in_the_design() -> None:
    two = paper("Serial ketamine versus ECT in depressed patients",
                "Fifty patients suffering from depression were treated with either serial "
                "ketamine infusions or ECT.")
    assert classify_record(two).first("design") == "non_randomized"
    levels = paper("Ketamine after a 5-day infusion in patients with CRPS",
                   "Ten patients received a 5-day ketamine infusion; plasma concentrations "
                   "and clearance were determined.")
    assert classify_record(levels).first("design") == "single_arm"
    regimen = paper("Burst ketamine in refractory cancer pain",
                    "We concluded that this protocol is relatively safe and simple.")
    assert classify_record(regimen).first("design") != "protocol"


# ------------------------------------------------------------------ round 6
def test_an_operation_in_a_title_about_another_outcome_is_not_its_pain() -> None:
    sleep = paper("Effect of intraoperative esketamine on postoperative sleep disturbance after "
                  "laparoscopic cholecystectomy: a randomized clinical trial")
    assert "acute_pain" not in classify_record(sleep).values("indication")
    pain = paper("Esketamine on pain and sleep quality after hip arthroplasty")
    assert "acute_pain" in classify_record(pain).values("indication")
    agitation = paper("Low-dose esketamine for the prevention of emergency agitation in children "
                      "after tonsillectomy")
    assert classify_record(agitation).values("indication") == ["delirium"]


def test_persistent_postsurgical_pain_is_chronic_and_opioid_sparing_anaesthesia_is_anaesthesia(
        ) -> None:
    assert classify_record(paper("Intraoperative ketamine and persistent postsurgical pain after "
                                 "breast cancer surgery")).values("indication") == ["chronic_pain"]
    assert classify_record(paper("Opioid sparing anesthesia with esketamine in sleeve "
                                 "gastrectomy")).values("indication") == ["anaesthesia"]


def test_routes_through_devices_vehicles_and_tiva() -> None:
    pump = paper("Esketamine intravenous analgesic pump after cesarean section")
    assert classify_record(pump).values("route") == ["intravenous"]
    vehicle = paper("Ketamine in infant rats", "Rats received subcutaneous injections of either "
                    "vehicle (saline) or ketamine (50 mg/kg) in room air.")
    assert classify_record(vehicle).values("route") == ["subcutaneous"]
    tiva = paper("Xylazine-butorphanol-ketamine as short-term TIVA in equines")
    assert classify_record(tiva).values("route") == ["intravenous"]


def test_ketamine_as_the_challenge_of_a_schizophrenia_model_is_off_topic() -> None:
    for title in ("Ketamine-induced changes in rat behaviour: a possible animal model of "
                  "schizophrenia", "Haloperidol and risperidone on behavioural effects induced "
                  "by ketamine in mice"):
        assert classify_record(paper(title)).values("topic") == ["off_topic"], title


# ------------------------------------------------------------------ round 7
def test_a_secondary_analysis_titled_by_its_trials_is_not_the_trial() -> None:
    for title in ("Efficacy of esketamine by sex: findings from short-term randomized, "
                  "controlled trials", "Esketamine after a second induction: analysis of the "
                  "ongoing SUSTAIN-3 study"):
        assert classify_record(paper(title)).first("design") == "other", title
    assert classify_record(paper("Esketamine nasal spray: a randomized controlled trial")
                           ).first("design") == "rct"


def test_registry_prose_dividing_its_children_into_groups_is_the_study() -> None:
    t = trial(brief_title="Esketamine with dexmedetomidine for MRI sedation in children",
              allocation="", intervention_model="",
              brief_summary="The children were randomly divided into three groups using a "
                            "random number table method.")
    assert classify_record(t).first("design") == "rct"
