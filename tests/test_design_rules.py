"""Study design from the ways abstracts and registry records state it (or do not).

Sentences are written in the styles real records use, not copied from the
evaluation set: secondary analyses typed as their parent trial, open-label
extensions, pooled analyses, commentaries, essays without data, clinical series,
volunteer experiments, registry copies without their design module.
"""

from __future__ import annotations

from litwatch.classify import classify_record
from litwatch.records import AbstractSection, ArmGroup, FeedItem, Intervention, Paper, Trial


def paper(title: str, *sections: tuple[str | None, str], types: tuple[str, ...] = ()) -> Paper:
    return Paper(pmid="1", title=title,
                 abstract_sections=[AbstractSection(label, None, text) for label, text in sections],
                 publication_types=list(types))


def design(record: Paper | Trial | FeedItem) -> str | None:
    return classify_record(record).first("design")


def registry(**kw) -> Trial:
    """A registry copy without its design module (no study type, allocation, model)."""
    return Trial(nct_id="NCT09999999", **kw)


# ------------------------------------------------------------ secondary analyses
def test_post_hoc_analysis_typed_as_its_parent_trial_is_other() -> None:
    record = paper(
        "Anhedonia response to esketamine nasal spray",
        ("METHODS", "This post hoc analysis used data from two randomized, double-blind, "
                    "placebo-controlled phase 3 trials of esketamine in adults with depression."),
        ("RESULTS", "Esketamine reduced anhedonia scores more than placebo at day 28."),
        types=("Randomized Controlled Trial", "Journal Article"))
    assert design(record) == "other"


def test_a_trials_own_exploratory_analyses_stay_an_rct() -> None:
    record = paper(
        "Ketamine infusion for suicidal ideation in the emergency department",
        ("METHODS", "Adults were randomized to ketamine or midazolam."),
        ("RESULTS", "Exploratory analyses of the secondary outcomes of the trial favoured "
                    "ketamine."),
        types=("Randomized Controlled Trial",))
    assert design(record) == "rct"


def test_pooled_analysis_of_sponsor_trials_is_other_but_of_searched_trials_a_review() -> None:
    pooled = paper("Esketamine in older adults: a pooled analysis of randomized trials",
                   (None, "Data were pooled from three double-blind trials of esketamine. "
                          "Response rates were similar across age groups."))
    searched = paper("Ketamine for pain: a pooled analysis of randomized trials",
                     (None, "We searched MEDLINE and Embase for randomized trials of ketamine. "
                            "Twelve trials were pooled with a random-effects model."))
    assert design(pooled) == "other"
    assert design(searched) == "systematic_review"


def test_open_label_extension_is_single_arm_despite_its_parent_trials_blinding() -> None:
    record = paper(
        "Long-term esketamine in treatment-resistant depression",
        ("METHODS", "This multicentre open-label extension study enrolled patients who had "
                    "completed a double-blind, randomized trial and gave esketamine to all."),
        ("RESULTS", "Response was maintained for 48 weeks."))
    assert design(record) == "single_arm"


# ------------------------------------------------------------ no data of its own
def test_commentary_that_says_so_is_other() -> None:
    record = paper("Esketamine and the regulators",
                   (None, "Esketamine was approved in 2019. In this commentary we discuss the "
                          "evidence that regulators accepted and what it leaves open."))
    assert design(record) == "other"


def test_essay_without_data_is_a_narrative_review() -> None:
    record = paper(
        "Arketamine and esketamine: pharmacology and clinical promise",
        (None, "Ketamine is a racemic mixture of two enantiomers. Esketamine has been shown "
               "to bind the NMDA receptor more strongly than arketamine. Arketamine may have "
               "fewer dissociative effects. Both enantiomers deserve further research in "
               "depression."))
    assert design(record) == "narrative_review"


def test_essay_whose_title_asks_a_question_is_a_commentary() -> None:
    record = paper(
        "Is ketamine the end of the antidepressant drought?",
        (None, "Ketamine has been shown to act within hours. Its effects fade within days. "
               "Esketamine was approved for resistant depression. Whether the promise holds "
               "remains open."))
    assert design(record) == "other"


def test_topic_headings_mean_an_essay_whatever_design_words_its_prose_holds() -> None:
    record = paper(
        "Can ketamine misuse be contained? Lessons from two formulations",
        ("Introduction", "Misuse of prescription drugs has grown."),
        ("Availability of ketamine", "Real-world surveillance data have emerged in recent "
                                     "years from poison centres."),
        ("Discussion", "Regulation may explain the difference in misuse."))
    assert design(record) == "other"


def test_a_study_with_data_is_never_an_essay() -> None:
    record = paper("Ketamine and sleep",
                   (None, "Ketamine has been shown to alter sleep. Sleep was recorded before "
                          "and after ketamine. Slow-wave activity rose by 20%."))
    assert design(record) != "narrative_review"


def test_feed_summary_cut_short_is_not_read_as_an_essay() -> None:
    item = FeedItem(guid="x", title="Ketamine and microglia",
                    summary="Ketamine has been shown to modulate microglia. Its targets are "
                            "debated. The NMDA receptor is one. Others have been proposed...")
    assert design(item) == "other"


# ------------------------------------------------------------ studies naming no design
def test_volunteers_given_the_drug_are_one_group_studied() -> None:
    record = paper("EEG signatures of subanaesthetic ketamine",
                   ("METHODS", "Twenty healthy volunteers had EEG recorded during a 40-minute "
                               "ketamine infusion."),
                   ("RESULTS", "Gamma power increased during the infusion."))
    assert design(record) == "single_arm"


def test_preparations_compared_in_the_same_volunteers_is_non_randomized() -> None:
    record = paper("Bioavailability of ketamine lozenges and nasal spray",
                   ("METHODS", "We compared plasma concentrations after a lozenge, a nasal "
                               "spray and an injection of ketamine in six healthy volunteers."),
                   ("RESULTS", "Nasal bioavailability was highest."))
    assert design(record) == "non_randomized"


def test_a_few_patients_treated_in_clinic_are_a_case_series() -> None:
    record = paper("Oral ketamine for refractory cancer pain",
                   (None, "Eight patients with refractory cancer pain were treated with oral "
                          "ketamine at a palliative care unit. Pain scores fell in six of them."))
    assert design(record) == "case_report"


def test_people_who_use_the_drug_themselves_are_observed() -> None:
    record = paper("Bladder function in recreational ketamine users",
                   ("METHODS", "Bladder capacity of 80 recreational ketamine users and 60 "
                               "healthy controls was measured."),
                   ("RESULTS", "Capacity was lower in users."))
    assert design(record) == "observational"


def test_patients_views_of_their_treatment_are_observational() -> None:
    record = paper("Patients' experience of esketamine nasal spray in clinical practice",
                   (None, "Thirty patients treated with esketamine rated its helpfulness on "
                          "a questionnaire at one and three months."))
    assert design(record) == "observational"


def test_background_randomized_trials_do_not_make_a_case_series_an_rct() -> None:
    record = paper("Intranasal ketamine at home: three cases",
                   ("BACKGROUND", "Randomized trials have shown intranasal ketamine to be "
                                  "effective."),
                   ("CASE PRESENTATION", "We describe three patients who used intranasal "
                                         "ketamine at home for a year."))
    assert design(record) == "case_report"


# ------------------------------------------------------------ registry records
def test_registry_without_study_type_but_randomized_allocation_is_rct() -> None:
    assert design(registry(brief_title="Ketamine for depression",
                           allocation="RANDOMIZED")) == "rct"


def test_registry_copy_whose_aim_is_prevention_is_a_controlled_trial() -> None:
    record = registry(brief_title="Esketamine and Delirium After Hip Surgery",
                      brief_summary="This study will explore whether intraoperative "
                                    "esketamine prevents postoperative delirium in older "
                                    "adults.")
    assert design(record) == "rct"


def test_registry_copy_of_a_feasibility_study_stays_single_arm() -> None:
    record = registry(brief_title="Oral Ketamine for Sickle Cell Pain",
                      brief_summary="The purpose of this study is to learn about the "
                                    "feasibility of oral ketamine in adolescents.")
    assert design(record) == "single_arm"


def test_saline_that_dilutes_the_drug_is_no_control_arm() -> None:
    arm = ArmGroup("Cohort 1", "", "Ketamine 0.5 mg/kg will be given as a solution in 100 mL "
                                   "of 0.9% saline over 40 minutes.")
    record = registry(brief_title="Phase 1 Evaluation of an Oral Ketamine Analogue",
                      phases=["PHASE1"], arm_groups=[arm],
                      interventions=[Intervention("DRUG", "Ketamine")])
    assert design(record) == "single_arm"


def test_registry_comparing_two_populations_is_non_randomized() -> None:
    record = registry(brief_title="Pharmacokinetics of Esketamine Nasal Spray",
                      brief_summary="This study will characterize esketamine exposure in "
                                    "healthy Chinese and Caucasian adult participants.")
    assert design(record) == "non_randomized"


def test_registry_comparing_dose_frequencies_is_controlled() -> None:
    record = registry(brief_title="Ketamine in Treatment-resistant Depression",
                      brief_summary="The purpose is to explore the optimal dosing "
                                    "frequency of ketamine.",
                      phases=["PHASE2"], interventions=[Intervention("DRUG", "Ketamine")])
    assert design(record) == "rct"


def test_placeholder_section_labels_are_no_topic_headings() -> None:
    record = paper("Ketamine and notifiable psychiatric admissions",
                   ("ABSTRACT", "Admissions for depression were monitored over two years."),
                   ("UNLABELLED", "There was a decline in admissions after ketamine clinics "
                                  "opened, in a retrospective analysis of hospital records."))
    assert design(record) == "observational"


def test_an_online_questionnaire_of_patients_is_observational() -> None:
    record = paper("Dissociation with esketamine nasal spray",
                   (None, "In all, 140 patients treated with esketamine completed an "
                          "anonymous online questionnaire. Most reported mild dissociation."))
    assert design(record) == "observational"


def test_a_review_citing_case_reports_is_no_case_report() -> None:
    record = paper("Ketamine infusions for neuropathic pain: a therapy in need of optimisation",
                   (None, "Early evidence for ketamine in nerve injury pain came from "
                          "clinical case reports. Infusions have since been studied in "
                          "CRPS and phantom limb pain. Several retrospective studies have "
                          "reported durable relief."))
    assert design(record) == "narrative_review"
