"""Indication rules that read the words around a condition (hand-built records).

Each sentence is of a kind real abstracts and registry records use, written anew:
cohort counts in results, aims stated in a registry summary, a shared head noun,
what a drug is approved for, background about other studies, phase 1 cohorts.
"""

from __future__ import annotations

from typing import Any

from litwatch.classify import classify_record
from litwatch.classify.indication_context import (
    names_aim_target,
    names_drug_use,
    names_population,
)
from litwatch.classify.taxonomy import Hit
from litwatch.records import AbstractSection, ArmGroup, Paper, Trial


def paper(title: str, *sections: tuple[str | None, str]) -> Paper:
    return Paper(pmid="1", title=title,
                 abstract_sections=[AbstractSection(label, None, text)
                                    for label, text in sections])


def trial(**kw: Any) -> Trial:
    base: dict[str, Any] = dict(nct_id="NCT00000000", brief_title="Ketamine study",
                                study_type="INTERVENTIONAL", allocation="RANDOMIZED")
    base.update(kw)
    return Trial(**base)


def indications(record: Paper | Trial) -> set[str]:
    return set(classify_record(record).values("indication"))


def hit_of(text: str, phrase: str) -> Hit:
    start = text.index(phrase)
    return Hit("key", True, start, start + len(phrase), phrase)


# ------------------------------------------------------------------ context checks
def test_cohort_counts_name_the_population() -> None:
    for text, phrase in [
        ("Of 60 patients, 21 (35%) had a diagnosis of fibromyalgia.", "fibromyalgia"),
        ("Among the rest, nine had cluster headache.", "cluster headache"),
        ("Two trajectories were found (mostly neuropathic pain).", "neuropathic pain"),
        ("Randomisation was stratified by diagnosis: bipolar disorder or other.",
         "bipolar disorder"),
    ]:
        assert names_population(text, hit_of(text, phrase)), text
    outcome = "Nine reported headache after the infusion."
    assert not names_population(outcome, hit_of(outcome, "headache"))


def test_an_aim_names_its_target_but_a_result_does_not() -> None:
    aim = "This trial will test whether esketamine can reduce the risk of postoperative delirium."
    assert names_aim_target(aim, hit_of(aim, "postoperative delirium"))
    result = "Ketamine reduced postoperative delirium on day 2."
    assert not names_aim_target(result, hit_of(result, "postoperative delirium"))


def test_what_a_drug_is_approved_for_is_not_the_population() -> None:
    text = "Esketamine is an approved nasal treatment for treatment-resistant depression."
    assert names_drug_use(text, hit_of(text, "treatment-resistant depression"))
    study = "We enrolled adults with treatment-resistant depression."
    assert not names_drug_use(study, hit_of(study, "treatment-resistant depression"))


# ------------------------------------------------------------------ whole records
def test_subgroups_of_a_chronic_pain_cohort_are_labelled() -> None:
    rec = paper("Outpatient ketamine infusions for refractory chronic pain: a chart review",
                ("METHODS", "We reviewed the charts of 80 adults treated in a pain clinic."),
                ("RESULTS", "Of these, 30 (38%) had a diagnosis of complex regional pain "
                            "syndrome and twelve had chronic migraine."))
    assert indications(rec) == {"chronic_pain", "crps", "headache"}


def test_chronic_pain_of_crps_is_crps_only() -> None:
    rec = paper("Hepatotoxicity during repeated S-ketamine for chronic pain in CRPS patients",
                ("METHODS", "Patients with complex regional pain syndrome received two "
                            "100-hour infusions."))
    assert indications(rec) == {"crps"}


def test_registry_aim_names_a_secondary_target() -> None:
    rec = trial(brief_title="Esketamine in older adults having hip surgery",
                conditions=["Postoperative Pain"],
                brief_summary="This randomised trial aims to find out whether intravenous "
                              "esketamine relieves postoperative pain and reduces the "
                              "incidence of postoperative delirium in older adults.")
    assert indications(rec) == {"acute_pain", "delirium"}


def test_secondary_aims_stay_outcomes() -> None:
    rec = trial(brief_title="Ketamine in treatment-resistant bipolar depression",
                brief_summary="Secondary aims include effects of ketamine on suicidal "
                              "ideation and anxiety.")
    assert indications(rec) == {"bipolar_depression", "trd"}


def test_shared_head_noun_carries_both_labels() -> None:
    rec = paper("Ketamine and esketamine and alcohol or drug misuse: a pharmacovigilance study",
                ("METHODS", "We analysed spontaneous reports in a national database."))
    assert indications(rec) == {"alcohol_use", "other_substance_use"}
    strata = paper("Ketamine for acute suicidal ideation: a randomised trial",
                   ("METHODS", "Inpatients were randomised, stratified by diagnosis: "
                               "bipolar, depressive, or other disorders."))
    assert indications(strata) == {"suicidal_ideation", "bipolar_depression", "mdd"}


def test_approved_use_in_a_safety_study_is_not_its_indication() -> None:
    rec = paper("Adverse event reports for esketamine nasal spray",
                ("METHODS", "Esketamine is a new drug for treatment-resistant depression, "
                            "and we aimed to describe its reported adverse events."))
    assert indications(rec) == {"other"}


def test_background_about_other_studies_is_not_read_even_as_a_fallback() -> None:
    rec = trial(brief_title="Dexmedetomidine doses with esketamine at caesarean delivery",
                brief_summary="Earlier studies have shown that esketamine reduces postpartum "
                              "depression. This pilot trial will find the dose of "
                              "dexmedetomidine that prevents neuropsychiatric side effects.")
    assert indications(rec) == {"other"}
    general = trial(brief_title="Ketamine to ease buprenorphine starts",
                    brief_summary="Many people with opioid use disorder fear withdrawal "
                                  "when starting buprenorphine.")
    assert indications(general) == {"opioid_use"}


def test_phase_one_ascending_dose_cohorts_are_healthy_volunteers() -> None:
    rec = trial(brief_title="Phase 1 study of a ketamine metabolite",
                arm_groups=[ArmGroup("SAD cohort 1: 0.1 mg/kg intravenously", "EXPERIMENTAL",
                                     "", []),
                            ArmGroup("SAD cohort 2: 0.3 mg/kg intravenously", "EXPERIMENTAL",
                                     "", [])])
    assert indications(rec) == {"healthy_volunteers"}


def test_more_healthy_volunteer_wordings() -> None:
    for words in ("non-depressed adult participants",
                  "volunteers without any psychiatric illness"):
        rec = paper("Ketamine and cortical excitability",
                    ("METHODS", f"Twenty {words} received a ketamine infusion."))
        assert indications(rec) == {"healthy_volunteers"}, words


def test_mood_disorders_cover_both_only_when_nothing_more_specific_is_named() -> None:
    statement = paper("Consensus statement on ketamine in the treatment of mood disorders")
    assert indications(statement) == {"mdd", "bipolar_depression"}
    named = paper("Ketamine for major depressive disorder and other mood disorders")
    assert indications(named) == {"mdd"}


def test_casualties_and_the_injured_are_acute_pain() -> None:
    rec = paper("Prehospital ketamine in combat casualties: a registry study",
                ("METHODS", "We reviewed records of injured soldiers evacuated by air."))
    assert indications(rec) == {"acute_pain"}
