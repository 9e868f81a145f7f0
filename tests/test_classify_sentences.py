"""Labels come from the sentences that speak of THIS study (the sentence layer).

Hand-built records, one behaviour each: background about other studies is not read,
a formulation is not a route, a registry record without modules is still labelled,
combined indications carry both labels, and every label names its sentence.
"""

from __future__ import annotations

from litwatch.classify import classify_record
from litwatch.classify.sentences import sentences_of
from litwatch.records import AbstractSection, ArmGroup, Intervention, Paper, Trial


def paper(title: str, *sections: tuple[str | None, str]) -> Paper:
    return Paper(pmid="1", title=title, abstract_sections=[
        AbstractSection(label, label, text) for label, text in sections])


def trial(**kw) -> Trial:
    base = dict(nct_id="NCT00000001", brief_title="A ketamine study")
    base.update(kw)
    return Trial(**base)


def drug(name: str, description: str = "", other: list[str] | None = None) -> Intervention:
    return Intervention("DRUG", name, description, other or [], [])


# ------------------------------------------------------------------ study scope
def test_background_route_about_other_studies_is_not_read() -> None:
    c = classify_record(paper(
        "Oral ketamine for depression in older adults",
        ("BACKGROUND", "Intravenous ketamine has been shown to act within hours."),
        ("METHODS", "Patients received oral ketamine 1 mg/kg twice weekly."),
        ("RESULTS", "Scores fell.")))
    assert c.values("route") == ["oral"]


def test_registry_background_prose_names_no_route() -> None:
    t = trial(brief_title="Ketamine Lozenges for Depression",
              brief_summary="Ketamine is a widely used intravenous anaesthetic. This study will "
                            "test ketamine lozenges in adults with depression.")
    assert classify_record(t).values("route") == ["sublingual"]


def test_a_route_named_as_a_contrast_is_not_the_study_route() -> None:
    c = classify_record(paper(
        "Sublingual ketamine in depression",
        (None, "We gave sublingual ketamine to 20 outpatients. SL ketamine offers an "
               "alternative to IV ketamine.")))
    assert c.values("route") == ["sublingual"]


# ------------------------------------------------------------------ formulation vs route
def test_oral_solution_for_sublingual_use_is_sublingual() -> None:
    t = trial(interventions=[drug("Ketamine", "ketamine oral solution for sublingual "
                                              "administration, 50 mg")])
    assert classify_record(t).values("route") == ["sublingual"]


def test_nasal_spray_is_intranasal_and_infusion_is_intravenous() -> None:
    spray = trial(interventions=[drug("Esketamine", "56 mg esketamine nasal spray")])
    assert classify_record(spray).values("route") == ["intranasal"]
    infusion = trial(interventions=[drug("Ketamine", "0.5 mg/kg infusion over 40 minutes")])
    assert classify_record(infusion).values("route") == ["intravenous"]
    subcut = trial(interventions=[drug("Ketamine", "continuous subcutaneous infusion")])
    assert classify_record(subcut).values("route") == ["subcutaneous"]


def test_comparator_route_before_another_drug_is_not_ketamines() -> None:
    c = classify_record(paper(
        "Intranasal ketamine with intravenous metoclopramide for migraine: a randomized trial",
        ("METHODS", "Adults were randomized to intranasal ketamine or intravenous "
                    "metoclopramide.")))
    assert c.values("route") == ["intranasal"]


def test_trial_without_interventions_gets_its_route_from_title_and_text() -> None:
    titled = trial(brief_title="Intravenous Ketamine for Suicidal Ideation")
    assert classify_record(titled).values("route") == ["intravenous"]
    described = trial(brief_title="Ketamine in palliative care",
                      brief_summary="Ketamine will be given through the nose.")
    assert classify_record(described).values("route") == ["intranasal"]


# ------------------------------------------------------------------ design without a module
def test_trial_design_without_study_type() -> None:
    assert classify_record(trial(allocation="RANDOMIZED")).first("design") == "rct"
    worded = trial(brief_summary="A randomized, placebo-controlled trial of ketamine.")
    assert classify_record(worded).first("design") == "rct"
    single = trial(brief_summary="An open-label single group study of ketamine.")
    assert classify_record(single).first("design") == "single_arm"
    placebo = trial(interventions=[drug("Ketamine"), drug("Saline placebo")])
    assert classify_record(placebo).first("design") == "rct"
    bare = trial(brief_summary="Participants will receive ketamine.")
    assert classify_record(bare).first("design") == "single_arm"


def test_consensus_guideline_and_secondary_analysis() -> None:
    guideline = paper("Consensus guidelines on the use of intravenous ketamine infusions "
                      "for chronic pain", ("METHODS", "An expert panel reviewed evidence."))
    assert classify_record(guideline).first("design") == "guideline"
    secondary = paper("Ketamine vs ECT: a secondary analysis of a randomized clinical trial",
                      ("METHODS", "This secondary analysis of the ELEKT-D trial ..."))
    assert classify_record(secondary).first("design") == "other"


# ------------------------------------------------------------------ drugs
def test_generic_ketamine_beside_the_given_enantiomer_is_not_racemic() -> None:
    c = classify_record(paper(
        "Esketamine for treatment-resistant depression",
        (None, "Esketamine, the S-enantiomer of ketamine, was given to 30 patients.")))
    assert c.values("drug") == ["esketamine"]
    mixture = trial(interventions=[drug("ketamine hydrochloride", "Racemic ketamine is a "
                                        "50/50 mixture of (S)-ketamine and (R)-ketamine.")])
    assert classify_record(mixture).values("drug") == ["ketamine"]


# ------------------------------------------------------------------ indications
def test_combined_indication_phrases_carry_both_labels() -> None:
    bipolar = paper("Intravenous ketamine in treatment-resistant bipolar depression")
    assert classify_record(bipolar).values("indication") == ["trd", "bipolar_depression"]
    suicidal = trial(brief_title="Ketamine for suicidal ideation",
                     conditions=["Suicidal Ideation", "Major Depressive Disorder"])
    assert set(classify_record(suicidal).values("indication")) == {"mdd", "suicidal_ideation"}


def test_healthy_volunteer_wordings() -> None:
    for words in ("healthy subjects", "healthy adults", "healthy male participants"):
        c = classify_record(paper(f"Pharmacokinetics of ketamine in {words}",
                                  ("METHODS", f"Twelve {words} received ketamine.")))
        assert "healthy_volunteers" in c.values("indication"), words


def test_injury_pain_in_the_emergency_department_is_acute_pain() -> None:
    c = classify_record(paper("Intranasal ketamine for extremity injuries in children",
                              ("METHODS", "Children with acute traumatic pain in the "
                                          "emergency department received ketamine.")))
    assert c.values("indication") == ["acute_pain"]


# ------------------------------------------------------------------ topic
def test_animal_anaesthesia_list_and_background_sedation_are_off_topic() -> None:
    rats = paper("Fluoxetine and hippocampal neurogenesis in rats",
                 ("METHODS", "Rats were anesthetized with ketamine/xylazine before surgery."))
    assert classify_record(rats).first("topic") == "off_topic"
    listed = paper("Date rape drugs", ("RESULTS", "Common drugs are GHB, benzodiazepines, "
                                                  "Rohypnol, ketamine, etc."))
    assert classify_record(listed).first("topic") == "off_topic"
    assert classify_record(listed).values("drug") == []
    sedation = paper("Ondansetron for vomiting associated with ketamine sedation in children",
                     ("METHODS", "Children receiving IV ketamine for ED procedures were "
                                 "randomized to ondansetron or placebo."))
    assert classify_record(sedation).first("topic") == "off_topic"
    assert classify_record(sedation).values("drug") == ["ketamine"]     # it was given


def test_comparator_only_trial_is_off_topic_and_a_ketamine_trial_on_topic() -> None:
    arms = [ArmGroup("Dexmedetomidine", "EXPERIMENTAL", "", ["Drug: Dexmedetomidine"]),
            ArmGroup("Ketamine", "ACTIVE_COMPARATOR", "", ["Drug: Ketamine"])]
    comparator = trial(interventions=[drug("Dexmedetomidine"), drug("Ketamine")],
                       arm_groups=arms)
    assert classify_record(comparator).first("topic") == "off_topic"
    studied = trial(brief_title="Ketamine for depression", interventions=[drug("Ketamine")])
    assert classify_record(studied).first("topic") == "on_topic"


# ------------------------------------------------------------------ evidence
def test_every_sentence_label_names_its_sentence() -> None:
    record = paper("Ketamine for treatment-resistant depression: a randomized trial",
                   ("BACKGROUND", "Depression is common."),
                   ("METHODS", "Patients received intravenous ketamine or midazolam."))
    sentences = sentences_of(record)
    c = classify_record(record, sentences=sentences)
    by_index = {s.index: s for s in sentences}
    anchored = [lb for lb in c.labels if lb.sentence_index is not None]
    assert {lb.family for lb in anchored} >= {"indication", "route", "drug", "design", "topic"}
    for label in anchored:
        assert by_index[label.sentence_index].text == label.evidence
    route = next(lb for lb in c.labels if lb.family == "route")
    assert route.field == "methods" and route.value == "intravenous"


def test_a_comparator_the_study_says_it_lacked_is_no_comparator() -> None:
    p = Paper(pmid="7", title="Repeated ketamine infusions in suicidal depression",
              abstract_sections=[
                  AbstractSection("METHODS", "METHODS", "Patients received six open-label "
                                  "intravenous ketamine infusions."),
                  AbstractSection("CONCLUSIONS", "CONCLUSIONS", "The lack of a placebo or "
                                  "other control group limits the interpretation.")])
    assert classify_record(p).values("comparator") == ["none"]
