"""A claim that lists harms ("can cause nausea, vomiting, headache and temporary
changes in blood pressure") is read as a list: its words are harms, not conditions
treated; a "temporary" inside it qualifies one item; and each item is checked."""

from __future__ import annotations

from sqlalchemy import Engine

from litwatch.claims.engine import check_text
from litwatch.claims.harm_list import listed_harms
from litwatch.claims.intake import derive
from tests.test_claims_helpers import paper, store

LISTED = ("Esketamine nasal spray can cause nausea, vomiting, diarrhoea, dizziness, headache "
          "and temporary changes in blood pressure and heart rate.")
TRD_NASAL = (("indication", "trd"), ("route", "intranasal"))


def test_the_items_of_a_harm_list_are_its_harms() -> None:
    names = [name for name, _ in listed_harms(LISTED)]
    assert names == ["nausea", "vomiting", "diarrhoea", "dizziness", "headache",
                     "blood pressure", "heart rate"]
    common = ("The most common side effects of esketamine nasal spray in clinical trials "
              "were anxiety, lethargy, raised blood pressure and vertigo.")
    assert [n for n, _ in listed_harms(common)] == ["anxiety", "lethargy", "blood pressure",
                                                    "vertigo"]
    # A statement about the harms as a class is no list.
    assert listed_harms("Side effects are usually mild and transient.") == ()


def test_harms_listed_are_not_indications_and_temporary_qualifies_one_item() -> None:
    implied = derive(LISTED)
    assert "headache" not in implied.indications
    assert (implied.kind, implied.direction) == ("safety", "harm")
    common = derive("The most common side effects of esketamine are sedation, dissociation, "
                    "nausea and a temporary rise in blood pressure.")
    assert common.direction == "harm"
    # Said of the list as a whole, "short-lived" is the claim.
    assert derive("Ketamine side effects such as dizziness, nausea and dissociation are "
                  "short-lived.").direction == "transient"
    assert derive("Side effects like nausea and dizziness usually clear up quickly."
                  ).direction == "transient"
    # Outside a list the condition is the claim's: "side effects such as headache are
    # common with ketamine for depression" is about depression.
    assert "mdd" in derive("Side effects such as headache are common with ketamine for "
                           "depression.").indications


def test_a_list_the_records_report_in_part_is_partly_supported(engine: Engine) -> None:
    store(engine,
          paper("Esketamine nasal spray in treatment-resistant depression: TRANSFORM",
                drug="esketamine", labels=TRD_NASAL,
                results="The most common adverse events with esketamine were nausea, "
                        "dizziness, headache and an increase in blood pressure."),
          paper("Esketamine nasal spray: a second randomized trial", drug="esketamine",
                labels=TRD_NASAL,
                results="Dizziness and nausea were reported more often with esketamine "
                        "than with placebo."))
    report = check_text(engine, LISTED)
    assert (report.suggested, report.decided_by) == ("partly supported",
                                                     "harms-partly-reported")
    assert "none reports vomiting, diarrhoea, heart rate" in report.reason
    # Every item reported: the list holds.
    whole = check_text(engine, "Esketamine nasal spray can cause nausea, dizziness and "
                               "headache.")
    assert whole.decided_by != "harms-partly-reported" and whole.suggested == "supported"


def test_a_denied_harm_is_a_safety_claim_about_that_harm() -> None:
    memory = derive("Ketamine does not cause memory loss.")
    assert (memory.kind, memory.direction, memory.absolute) == ("safety", "no_harm", True)
    # The harm it names, not side effects in general.
    assert memory.concepts == ("cognition",)
    assert derive("Ketamine given in the office produced no physical dependence."
                  ).direction == "no_harm"


def test_each_mechanism_of_a_chain_moves_its_own_way() -> None:
    from litwatch.claims.assertions import assertions
    from litwatch.claims.model import parse_claims
    text = "Ketamine blocks NMDA receptors, which leads to increased glutamate release."
    [claim] = parse_claims({"claims": [{"id": "c", "article": "a", "claim": text}]})
    moves = {p.concepts: p.change for p in assertions(claim)}
    assert moves == {("nmda",): "down", ("neurotransmitter_release",): "up"}


def test_a_statement_the_claim_rejects_is_not_its_claim() -> None:
    rejected = derive("Ketamine can be addictive; saying that it is not addictive is untrue.")
    assert (rejected.direction, rejected.absolute) == ("harm", False)


def test_a_claim_about_animals_is_decided_by_animal_studies(engine) -> None:
    from litwatch.claims.engine import check_text
    store(engine,
          paper("Ketamine in a rat model of depression", design="preclinical",
                labels=(("indication", "mdd"),),
                results="Ketamine significantly reduced depression-like behaviour compared "
                        "with saline."),
          paper("Ketamine in a mouse model of depression", design="preclinical",
                labels=(("indication", "mdd"),),
                results="Ketamine significantly reduced depressive-like behaviour compared "
                        "with vehicle."))
    animals = check_text(engine, "In rodent models of depression, ketamine has an "
                                 "antidepressant-like effect.")
    assert animals.suggested == "supported", animals.reason
    # Said of people, the same animal records are shown but decide nothing.
    people = check_text(engine, "Ketamine relieves depression.")
    assert people.suggested == "not enough evidence"


def test_right_away_is_an_onset_within_the_hour() -> None:
    from litwatch.claims.timeframe import claim_window
    for text in ("Patients felt better right away.", "Relief came straight away.",
                 "Mood lifted almost immediately."):
        window = claim_window(text)
        assert window is not None and window.onset_hours == 1, text


def test_what_the_trials_behind_an_approval_found_is_no_approval_claim() -> None:
    implied = derive("In the trials behind the 2020 approval, esketamine did not "
                     "significantly reduce suicide risk compared with placebo.")
    assert (implied.kind, implied.direction) == ("efficacy", "no_benefit")
    assert derive("The FDA approved esketamine nasal spray in 2019.").kind == "regulatory"


def test_keeping_patients_stable_denies_a_harm() -> None:
    implied = derive("Ketamine keeps patients haemodynamically stable, which minimises the "
                     "risk of adverse cardiac effects.")
    assert implied.direction == "no_harm"


def test_a_dosing_schedule_alone_is_not_checked(engine) -> None:
    from litwatch.claims.engine import check_text
    store(engine, paper("Repeated ketamine infusions in depression",
                        labels=(("indication", "mdd"),),
                        results="Six infusions over two weeks reduced depression scores more "
                                "than placebo."))
    report = check_text(engine, "Ketamine for depression is given as one dose every several "
                                "weeks.")
    assert (report.suggested, report.decided_by) == ("not enough evidence", "nothing-to-check")
    # A schedule with an effect is checked as usual.
    effect = check_text(engine, "Ketamine given every few days relieves depression.")
    assert effect.decided_by != "nothing-to-check"


def test_a_sentence_about_the_other_enantiomer_only_is_no_finding(engine) -> None:
    from litwatch.claims.engine import check_text
    store(engine, paper("Esketamine and arketamine in depression: a randomized trial",
                        drug="esketamine", labels=(("indication", "trd"),),
                        results="(R)-ketamine caused less dizziness and nausea than placebo."))
    report = check_text(engine, "Esketamine causes dizziness and nausea.")
    assert (report.suggested, report.decided_by) == ("not enough evidence", "no-finding")


def test_items_before_are_common_side_effects_are_a_harm_list(engine: Engine) -> None:
    # Batch x: "dissociation, sleepiness and raised blood pressure are common temporary
    # side effects of esketamine" named no harm, and its "temporary" made it a claim that
    # the effects pass, which no record reported: "not enough evidence".
    text = ("Dissociation, sleepiness and raised blood pressure are common temporary side "
            "effects of esketamine nasal spray.")
    assert [n for n, _ in listed_harms(text)] == ["dissociation", "sleepiness",
                                                  "blood pressure"]
    assert derive(text).direction == "harm"
    store(engine, paper("Esketamine nasal spray in treatment-resistant depression",
                        drug="esketamine", labels=TRD_NASAL,
                        results="The most common adverse events with esketamine were "
                                "dissociation and an increase in blood pressure."))
    report = check_text(engine, text)
    assert (report.suggested, report.decided_by) == ("partly supported",
                                                     "harms-partly-reported"), report.reason


def test_a_harm_in_lay_words_is_reported_in_clinical_ones() -> None:
    from litwatch.claims.harm_list import listed_harms, names_harm
    listed = dict(listed_harms("It can cause sleepiness, feeling sick and a fast heart rate."))
    assert names_harm("Tachycardia occurred in 12% of patients.", listed["fast heart rate"])
    assert names_harm("Nausea was the commonest adverse event.", listed["sick"])
    assert names_harm("Sedation was reported by a third.", listed["sleepiness"])
    assert not names_harm("Headache was reported by a third.", listed["sleepiness"])
    racing = dict(listed_harms("It can cause nausea, a racing heart and shallow breathing."))
    assert names_harm("Tachycardia occurred in 3 patients.", racing["racing heart"])
