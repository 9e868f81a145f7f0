"""Focused tests of the classifier on hand-built records (no files, no network)."""

from __future__ import annotations

from litwatch.classify import classify_record
from litwatch.classify.extract import sample_size_from_text, words_to_int
from litwatch.classify.labels import Classification
from litwatch.classify.summary import conclusion
from litwatch.records import AbstractSection, ArmGroup, FeedItem, Intervention, Paper, Trial


def paper(title: str, abstract: str = "", **kw) -> Paper:
    sections = [AbstractSection(None, None, abstract)] if abstract else []
    return Paper(pmid="1", title=title, abstract_sections=kw.pop("sections", sections), **kw)


def trial(**kw) -> Trial:
    base = dict(nct_id="NCT00000000", brief_title="Ketamine study", study_type="INTERVENTIONAL",
                allocation="RANDOMIZED", intervention_model="PARALLEL")
    base.update(kw)
    return Trial(**base)


def ketamine_iv(description: str, name: str = "Ketamine", other: list[str] | None = None):
    return Intervention("DRUG", name, description, other or [], [])


# ------------------------------------------------------------------ indication
def test_trd_is_not_also_mdd() -> None:
    c = classify_record(paper(
        "Ketamine for treatment-resistant depression: a randomized trial",
        "Patients with treatment-resistant major depressive disorder (MDD) received ketamine. "
        "Depression scores improved."))
    assert c.values("indication") == ["trd"]


def test_plain_major_depression_is_mdd() -> None:
    c = classify_record(paper("Esketamine in major depressive disorder",
                              "Adults with MDD were randomized to esketamine or placebo."))
    assert c.values("indication") == ["mdd"]


def test_bipolar_depression_is_not_mdd() -> None:
    c = classify_record(paper("Ketamine in bipolar depression",
                              "Patients with bipolar I or II depression had depressive symptoms."))
    assert c.values("indication") == ["bipolar_depression"]


def test_respiratory_depression_is_not_depression() -> None:
    c = classify_record(paper(
        "Ketamine for postoperative pain after spinal fusion",
        "Ketamine reduced postoperative pain and opioid consumption without respiratory "
        "depression. Respiratory depression was rare."))
    assert "mdd" not in c.values("indication")
    assert "acute_pain" in c.values("indication")


def test_side_effect_anxiety_does_not_make_an_anxiety_record() -> None:
    c = classify_record(paper(
        "Intranasal esketamine in treatment-resistant depression",
        "Common adverse events were dissociation, nausea, anxiety and headache."))
    assert c.values("indication") == ["trd"]


def test_ctgov_conditions_and_condition_mesh() -> None:
    t = trial(conditions=["Suicidal Ideation", "Major Depressive Disorder"],
              condition_mesh=["Suicidal Ideation", "Depressive Disorder, Major"])
    assert set(classify_record(t).values("indication")) == {"suicidal_ideation", "mdd"}


def test_query_is_only_a_fallback() -> None:
    bare = paper("Ketamine: a pharmacological update")
    assert classify_record(bare, ["ptsd"]).values("indication") == ["ptsd"]
    label = next(lb for lb in classify_record(bare, ["ptsd"]).labels
                 if lb.family == "indication")
    assert label.field == "query"
    named = paper("Ketamine for migraine")
    assert classify_record(named, ["ptsd"]).values("indication") == ["headache"]


def test_non_ketamine_record_gets_no_drug_and_other() -> None:
    c = classify_record(paper("Telomere length and pancreatic cancer risk",
                              "We measured telomeres in 386 cases and 896 controls."))
    assert c.values("drug") == []
    assert c.values("indication") == ["other"]
    assert c.first("design") is not None and c.values("route") == ["not_stated"]


# ------------------------------------------------------------------ route
def test_spravato_implies_intranasal() -> None:
    t = trial(brief_title="Esketamine in TRD",
              interventions=[ketamine_iv("56 mg or 84 mg twice weekly", "Esketamine",
                                         ["Spravato"])])
    c = classify_record(t)
    assert c.values("route") == ["intranasal"]
    assert c.values("drug") == ["esketamine"]


def test_ctgov_iv_dose_text_is_intravenous() -> None:
    t = trial(interventions=[ketamine_iv("0.5 mg/kg IV over 40 minutes"),
                             Intervention("DRUG", "Midazolam", "0.045 mg/kg", [], [])])
    assert classify_record(t).values("route") == ["intravenous"]


def test_lozenge_is_sublingual() -> None:
    t = trial(interventions=[ketamine_iv("Ketamine 50 mg lozenge, held in the mouth")])
    assert classify_record(t).values("route") == ["sublingual"]


def test_comparator_route_is_not_ketamine_route() -> None:
    c = classify_record(paper(
        "Esketamine nasal spray plus an oral antidepressant in treatment-resistant depression",
        "Patients received intranasal esketamine (56 or 84 mg) plus a newly initiated oral "
        "antidepressant, or intranasal placebo plus an oral antidepressant."))
    assert c.values("route") == ["intranasal"]


def test_route_from_mesh() -> None:
    c = classify_record(paper("Ketamine in depression", "Ketamine was studied.",
                              mesh=["Humans", "Ketamine", "Infusions, Intravenous"]))
    assert "intravenous" in c.values("route")


def test_stage_iv_is_not_intravenous() -> None:
    c = classify_record(paper("Survival in stage IV melanoma", "Patients with stage IV disease."))
    assert c.values("route") == ["not_stated"]


# ------------------------------------------------------------------ design
def test_pub_type_decides_for_indexed_records() -> None:
    c = classify_record(paper("Ketamine versus ECT", "A meta-analysis showed benefit.",
                              publication_types=["Journal Article",
                                                 "Randomized Controlled Trial"]))
    assert c.first("design") == "rct"


def test_in_process_record_design_from_text() -> None:
    c = classify_record(paper(
        "Ketamine in suicidal ideation",
        "In this randomized, double-blind, placebo-controlled trial, sixty patients were "
        "randomized. Previous meta-analyses suggested benefit.", status="In-Data-Review"))
    assert c.first("design") == "rct"
    assert c.sample_size == 60


def test_systematic_review_from_text_needs_a_search() -> None:
    c = classify_record(paper(
        "Ketamine for depression: a systematic review and meta-analysis",
        "We searched MEDLINE and Embase for randomized controlled trials."))
    assert c.first("design") == "systematic_review"


def test_protocol_of_an_rct_is_protocol() -> None:
    c = classify_record(paper(
        "Ketamine for postoperative delirium: study protocol for a randomized controlled trial",
        "Participants will be randomized to ketamine or saline."))
    assert c.first("design") == "protocol"


def test_animal_mesh_is_preclinical() -> None:
    c = classify_record(paper("Ketamine and synaptogenesis", "Ketamine increased spines.",
                              mesh=["Animals", "Mice", "Ketamine", "Male"]))
    assert c.first("design") == "preclinical"


def test_case_report_from_text() -> None:
    c = classify_record(paper("Oral ketamine in refractory cancer pain",
                              "We report a case of a 54-year-old woman with refractory pain."))
    assert c.first("design") == "case_report"
    assert c.values("route") == ["oral"]


def test_ctgov_design_module() -> None:
    assert classify_record(trial()).first("design") == "rct"
    single = trial(allocation="NA", intervention_model="SINGLE_GROUP")
    assert classify_record(single).first("design") == "single_arm"
    assert classify_record(trial(study_type="OBSERVATIONAL", allocation="")).first(
        "design") == "observational"
    assert classify_record(trial(study_type="EXPANDED_ACCESS", allocation="")).first(
        "design") == "other"


# ------------------------------------------------------------------ drug
def test_enantiomers_and_racemate() -> None:
    es = classify_record(paper("S-ketamine for depression",
                               "Esketamine, the S-enantiomer of ketamine, was given."))
    assert es.values("drug") == ["esketamine"]
    both = classify_record(paper("Esketamine versus ketamine in depression"))
    assert both.values("drug") == ["ketamine", "esketamine"]
    ar = classify_record(paper("(R)-ketamine in mice", "PCN-101 is arketamine."))
    assert ar.values("drug") == ["arketamine"]


# ------------------------------------------------------------------ extraction, evidence
def test_every_label_has_field_and_evidence() -> None:
    t = trial(interventions=[ketamine_iv("0.5 mg/kg IV")], conditions=["Depression"],
              phases=["PHASE2", "PHASE3"], masking="QUADRUPLE", enrollment=60,
              enrollment_type="ESTIMATED",
              arm_groups=[ArmGroup("Midazolam", "ACTIVE_COMPARATOR", "Midazolam 0.045 mg/kg",
                                   ["Drug: Midazolam"])])
    records = [t, paper("Ketamine in depression", "A total of 227 participants were enrolled."),
               FeedItem(guid="x", title="Ketamine preprint", summary="<p>Ketamine helps.</p>")]
    for record in records:
        result: Classification = classify_record(record)
        assert result.labels
        for label in result.labels:
            assert label.field and label.evidence, label
    c = classify_record(t)
    assert c.first("phase") == "PHASE2/PHASE3"
    assert c.first("sample_size_type") == "ESTIMATED" and c.sample_size == 60
    assert c.first("comparator") == "active_placebo"
    assert c.first("dose") == "0.5 mg/kg"


def test_sample_size_phrasings() -> None:
    assert sample_size_from_text("Sixty patients were randomized to ketamine.")[0] == 60
    assert sample_size_from_text("A total of 227 participants completed it.")[0] == 227
    assert sample_size_from_text("Ketamine (n = 30) or placebo (n = 23) was given.")[0] == 53
    assert words_to_int("Twenty-two") == 22


def test_conclusion_from_structured_abstract() -> None:
    p = paper("Ketamine RCT", sections=[
        AbstractSection("BACKGROUND", "BACKGROUND", "Depression is common."),
        AbstractSection("RESULTS", "RESULTS", "Scores fell."),
        AbstractSection("Conclusions and Relevance", "CONCLUSIONS",
                        "Ketamine was superior to midazolam.")])
    assert conclusion(p) == "Ketamine was superior to midazolam."
    c = classify_record(p)
    assert c.summary.endswith("Ketamine was superior to midazolam.")


def test_conclusion_from_unstructured_abstract() -> None:
    p = paper("Ketamine study", "We gave ketamine to 20 patients. Scores were measured daily. "
              "These findings suggest that ketamine acts rapidly. Further work is needed.")
    assert conclusion(p) == "These findings suggest that ketamine acts rapidly."
