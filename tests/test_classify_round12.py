"""Rules written from the round-12 records' errors, on hand-built records.

Each test holds a rule's general reading in the shape the real records showed
(evaluation/records/round12/), not one record's words.
"""

from __future__ import annotations

from litwatch.classify import classify_record
from litwatch.classify.sentences import sentences_of
from litwatch.records import AbstractSection
from tests.test_classify import paper, trial


# ------------------------------------------------------------------ other languages
def test_spanish_and_portuguese_records_name_the_drug_condition_and_design() -> None:
    # PubMed keeps some titles and abstracts in the original language.
    spanish = classify_record(paper(
        "Uso de ketamina en depresión refractaria: revisión bibliográfica",
        "La ketamina por vía intravenosa produce una mejoría rápida."))
    assert spanish.values("drug") == ["ketamine"]
    assert spanish.values("indication") == ["trd"]
    assert spanish.first("design") == "narrative_review"
    given = classify_record(paper("Ketamina en pacientes con depresión",
                                  "Veinte pacientes recibieron ketamina por vía intravenosa."))
    assert given.values("route") == ["intravenous"]
    portuguese = classify_record(paper(
        "Esketamina na depressão: revisão sistemática e meta-análise", ""))
    assert portuguese.values("drug") == ["esketamine"]
    assert portuguese.values("indication") == ["mdd"]
    assert portuguese.first("design") == "systematic_review"


def test_ketamine_in_an_animal_anaesthetic_protocol_is_off_topic_in_portuguese_too() -> None:
    given = paper("Efeitos do cetoprofeno na dor pós-operatória em cadelas", sections=[
        AbstractSection("RESUMO", None,
                        "Foram utilizadas 20 cadelas. O protocolo anestésico utilizado em "
                        "todos os animais foi a administração de acepromazina e indução com "
                        "midazolam e cetamina pela via intravenosa.")])
    found = classify_record(given)
    assert (found.values("drug"), found.values("topic")) == (["ketamine"], ["off_topic"])


# ------------------------------------------------------------------ indication
def test_a_registry_summarys_primary_endpoint_names_what_the_study_treats() -> None:
    given = trial(brief_title="Ketamine infusion versus placebo in opioid tolerant patients "
                              "after spinal fusion",
                  brief_summary="Primary endpoints of the study are to determine the "
                                "effectiveness of ketamine infusion for the reduction of "
                                "postoperative pain and opioid requirements.")
    assert classify_record(given).values("indication") == ["acute_pain"]
    # Its secondary outcomes name what else is measured, not a second indication.
    secondary = trial(brief_title="Esketamine and perioperative depressive symptoms",
                      conditions=["Depressive Symptoms", "Major Surgery"],
                      brief_summary="Other secondary outcomes such as anxiety, postoperative "
                                    "pain and psychiatric symptoms will also be investigated.")
    assert "acute_pain" not in classify_record(secondary).values("indication")


def test_a_major_depressive_episode_beside_bipolar_disorder_is_bipolar_depression() -> None:
    given = trial(brief_title="Ketamine for suicidality in bipolar depression",
                  conditions=["Bipolar Disorder", "Major Depressive Episode",
                              "Suicidal Ideation"])
    assert classify_record(given).values("indication") == ["bipolar_depression",
                                                           "suicidal_ideation"]
    # The disorder itself is unipolar: both stay.
    both = trial(brief_title="Ketamine in bipolar depression and major depressive disorder",
                 conditions=["Bipolar Depression", "Major Depressive Disorder"])
    assert classify_record(both).values("indication") == ["mdd", "bipolar_depression"]


# ------------------------------------------------------------------ design
def test_a_registry_record_that_says_what_it_is_is_read_for_its_design() -> None:
    # No design module on the page: the summary's own statement decides.
    given = trial(brief_title="Low dose ketamine after gastric bypass and gastrectomy",
                  study_type="", allocation="", intervention_model="", phases=["PHASE2"],
                  brief_summary="This is a randomized, double-blind, placebo-controlled, "
                                "two-arm parallel, single-center study. One hundred subjects "
                                "will be enrolled.")
    found = classify_record(given)
    assert found.first("design") == "rct"
    assert found.values("indication") == ["acute_pain"]      # the operation's pain
    classified = trial(brief_title="Ketamine and dexmedetomidine in nerve blocks",
                       study_type="", allocation="", intervention_model="",
                       detailed_description="The patients will be randomly classified into "
                                            "two groups.")
    assert classify_record(classified).first("design") == "rct"


def test_an_organ_harm_of_ketamine_misuse_is_the_subject_not_substance_use() -> None:
    # As with ketamine cystitis: the harm is what the record is about.
    for title in ("Ketamine-related cholangiopathy: a retrospective study of ketamine users",
                  "Liver injury is common among chronic abusers of ketamine"):
        assert classify_record(paper(title, "")).values("indication") == ["other"], title
    # The users' dependence itself stays substance use.
    users = classify_record(paper("Cognitive impairment in chronic ketamine users", ""))
    assert users.values("indication") == ["other_substance_use"]
    # The liver injury of a treatment course is a harm of treating the condition.
    treated = classify_record(paper("Drug-induced liver injury following repeated ketamine "
                                    "for chronic pain in CRPS type 1 patients", ""))
    assert treated.values("indication") == ["crps"]


# ------------------------------------------------------------------ finding direction
def test_organ_damage_found_in_patients_is_a_harm() -> None:
    given = paper("Ketamine-related cholangiopathy: a case series", sections=[
        AbstractSection("RESULTS", "RESULTS",
                        "Bile duct injury was observed in all 7 patients assessed by liver "
                        "biopsy. Two patients had bridging fibrosis despite their young age.")])
    found = [s.direction for s in sentences_of(given) if s.role == "results"]
    assert found == ["harm", "harm"]
