"""Rules written from the round-12 records' errors, on hand-built records.

Each test holds a rule's general reading in the shape the real records showed
(evaluation/records/round12/), not one record's words.
"""

from __future__ import annotations

from litwatch.classify import classify_record
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
