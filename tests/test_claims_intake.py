"""Claim intake (what a text implies) and `claims extract` (checkable sentences)."""

from __future__ import annotations

from pathlib import Path

import pytest

from litwatch.claims.extract import checkable, extract, quote_of
from litwatch.claims.intake import derive
from litwatch.claims.model import MAX_QUOTE_WORDS, load_claims
from litwatch.claims.timeframe import claim_window

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def test_the_example_claim_implies_a_citation_an_effect_and_a_time_point() -> None:
    imp = derive("A 2019 study in a psychiatry journal found a 50% drop in depression 24 hours "
                 "after one ketamine infusion")
    assert (imp.kind, imp.direction) == ("citation", "benefit")
    assert (imp.journal, imp.year) == ("any psychiatry journal", 2019)
    assert imp.effect == "50% reduction" and imp.indications == ("mdd",)
    assert imp.routes == ("intravenous",) and imp.drugs == ("ketamine",)
    window = claim_window(imp.time_frame)
    assert window is not None and window.precise and window.onset_hours == 24


@pytest.mark.parametrize("text, kind, direction, extra", [
    ("Ketamine therapy is non-addictive.", "safety", "no_harm", {"absolute": True}),
    ("Side effects such as nausea usually resolve quickly.", "safety", "transient", {}),
    ("Ketamine works by blocking NMDA receptors.", "mechanism", "affirm",
     {"concepts": ("nmda",)}),
    ("The FDA approved esketamine nasal spray.", "regulatory", "affirm",
     {"drugs": ("esketamine",), "routes": ("intranasal",)}),
    ("Research at Yale University found ketamine lifts depression in hours.", "citation",
     "benefit", {"institution": "Yale University"}),
    ("Ketamine gives lasting remission for months.", "duration", "benefit", {}),
    ("Ketamine helps veterans with PTSD.", "efficacy", "benefit",
     {"population": ("veterans",), "indications": ("ptsd",)}),
])
def test_intake_reads_kind_direction_and_facets(text: str, kind: str, direction: str,
                                                extra: dict) -> None:
    imp = derive(text)
    assert (imp.kind, imp.direction) == (kind, direction)
    for key, value in extra.items():
        assert getattr(imp, key) == value, key


def test_an_agency_is_an_institution_and_a_treated_addiction_no_harm() -> None:
    cited = derive("A 2006 NIH study found ketamine relieved depression within 2 hours.")
    assert (cited.kind, cited.journal, cited.institution) == ("citation", "", "NIH")
    treated = derive("Ketamine helps with alcohol addiction.")
    assert (treated.kind, treated.indications) == ("efficacy", ("alcohol_use",))
    assert "addiction" not in treated.concepts
    assert derive("Ketamine is addictive, even in alcohol use disorder.").kind == "safety"


def test_the_year_and_agency_of_an_approval_cite_no_study() -> None:
    approval = derive("Esketamine nasal spray was approved by the FDA in 2019 for "
                      "treatment-resistant depression.")
    assert approval.kind == "regulatory"
    assert (approval.year, approval.institution, approval.cites) == (None, "", False)
    cited = derive("A 2019 FDA review found esketamine was approved on two trials.")
    assert cited.year == 2019


def test_shares_in_words_supervision_and_weeks_are_read() -> None:
    share = derive("About two thirds of people with treatment-resistant depression respond.")
    assert (share.kind, share.effect) == ("number", "67% response rate")
    assert derive("Spravato must be taken under medical supervision.").kind == "regulatory"
    lasting = derive("Repeated infusions maintain the antidepressant response for weeks.")
    assert lasting.kind == "duration" and lasting.time_frame == "for weeks"


def test_how_long_an_effect_lasts_is_not_how_long_a_session_lasts() -> None:
    assert derive("The effects of a single ketamine infusion last about a week.").kind \
        == "duration"
    assert derive("Each ketamine infusion lasts about 40 minutes.").kind == "practice"


@pytest.mark.parametrize("text, versus", [
    ("Oral ketamine is as effective as IV ketamine.", "route:intravenous"),
    ("Esketamine works better than ketamine for depression.", "drug:ketamine"),
    ("Ketamine works faster than ECT.", "ect"),
    ("Ketamine reduced depression over 24 hours.", ""),
    ("Intravenous ketamine lifted depression more than placebo.", ""),
])
def test_intake_reads_what_a_claim_compares_against(text: str, versus: str) -> None:
    assert derive(text).versus == versus


def test_checkable_sentences_leave_out_advice_and_history() -> None:
    assert checkable("Ketamine can reverse depression symptoms in hours.")
    assert not checkable("Reach out to a reputable provider today.")
    assert not checkable("Originally developed in the 1960s as an anesthetic, ketamine is old.")
    assert len(quote_of(" ".join(["ketamine works"] * 30)).split()) <= MAX_QUOTE_WORDS


def test_extract_writes_a_claims_file_named_by_title(tmp_path: Path) -> None:
    text = extract(SEEDS / "004_a228770a581a6741.txt")
    path = tmp_path / "drafts.toml"
    path.write_text(text, encoding="utf-8")
    claims = load_claims(path, seeds_dir=SEEDS)
    assert len(claims) >= 20
    assert {c.seeds for c in claims} == {("Why You Shouldn’t Wait to Try Ketamine Therapy",)}
    assert "004_a228770a581a6741" not in text
    kinds = {c.implies.kind for c in claims}
    assert {"citation", "safety", "mechanism", "regulatory", "onset"} <= kinds
    cited = [c for c in claims if c.implies.journal == "The American Journal of Psychiatry"]
    assert cited and cited[0].implies.year == 2019
    assert all(len(c.quote.split()) <= MAX_QUOTE_WORDS for c in claims)


def test_extract_reads_html(tmp_path: Path) -> None:
    page = tmp_path / "article.html"
    page.write_text("<html><head><title>Ketamine news</title><script>alert(1)</script>"
                    "</head><body><h1>Ketamine, explained</h1><p>A 2020 study in JAMA "
                    "Psychiatry found that ketamine reduces PTSD symptoms.</p><p>Call us "
                    "today.</p></body></html>", encoding="utf-8")
    text = extract(page)
    assert 'article = "Ketamine, explained"' in text and "alert" not in text
    assert 'journal = "JAMA Psychiatry"' in text and "Call us" not in text


@pytest.mark.parametrize("text, direction", [
    ("Ketamine does not work for PTSD.", "no_benefit"),
    ("Ketamine was no better than placebo for delirium.", "no_benefit"),
    ("Ketamine failed to improve chronic pain.", "no_benefit"),
    ("Ketamine works even when other antidepressants have not worked.", "benefit"),
    ("Ketamine helps people who did not respond to other treatments.", "benefit"),
    ("Ketamine gives relief to patients whom opioids did not help.", "benefit"),
])
def test_a_denied_benefit_is_read_in_the_main_clause(text: str, direction: str) -> None:
    assert derive(text).direction == direction


def test_treatment_resistance_in_lay_words_is_trd() -> None:
    assert derive("Ketamine works even when other antidepressants have failed.").indications \
        == ("trd",)
    assert "trd" in derive("It helps people who haven't responded to other treatments for "
                           "depression.").indications


def test_fading_benefits_state_how_long_they_last_and_percent_in_words() -> None:
    window = claim_window("The benefits often fade after one to two weeks.")
    assert window is not None and window.lasts_hours == 14 * 24
    assert derive("About 70 percent of patients respond to ketamine.").effect == \
        "70% response rate"
    assert derive("A study at the National Institute of Mental Health found ketamine lifts "
                  "depression.").institution == "National Institute of Mental Health"


def test_danger_new_synapses_and_patient_groups_are_read() -> None:
    danger = derive("Ketamine is dangerous for people with heart disease.")
    assert (danger.kind, danger.population) == ("safety", ("cardiac_patients",))
    synapses = derive("Ketamine promotes the growth of new synapses.")
    assert (synapses.kind, synapses.concepts) == ("mechanism", ("neuroplasticity",))
    assert derive("Ketamine is safe during pregnancy.").population == ("pregnant_women",)


def test_patients_whom_treatment_failed_are_a_population_but_in_trd() -> None:
    ptsd = derive("Ketamine reduces chronic PTSD symptoms, even in those who have "
                  "previously been resistant to other treatments.")
    assert (ptsd.indications, ptsd.population) == (("ptsd",), ("treatment_resistant",))
    # In treatment-resistant depression the indication already says so.
    assert derive("Ketamine relieves treatment-resistant depression.").population == ()


def test_alcohol_relapse_names_the_disorder_treated() -> None:
    relapse = derive("A pilot study found that ketamine plus psychotherapy cut the 12-month "
                     "alcohol relapse rate from 76% to 34%.")
    assert relapse.indications == ("alcohol_use",)


def test_who_was_left_out_is_not_what_the_claim_is_about() -> None:
    left_out = derive("A 2023 NEJM trial found intravenous ketamine at least as effective as "
                      "ECT in treatment-resistant depression without psychosis.")
    assert "psychoactive" not in left_out.concepts
    # an absolute "without side effects" is still the claim's subject
    assert "side_effects" in derive("Ketamine treats depression without side effects.").concepts


def test_a_benefit_that_lasts_a_long_time_is_a_duration_claim() -> None:
    window = claim_window("The antidepressant benefit of ketamine lasts a remarkably long time.")
    assert window is not None and window.lasts_hours is not None and window.lasts_hours >= 720
    assert derive("The benefit of ketamine lasts a long time.").kind == "duration"


def test_a_lowered_risk_is_a_benefit_and_listed_harms_name_no_condition() -> None:
    relapse = derive("Continuing esketamine nasal spray lowers the risk of relapse in "
                     "treatment-resistant depression.")
    assert (relapse.kind, relapse.direction) == ("efficacy", "benefit")
    mild = derive("Low-dose ketamine can cause mild, temporary side effects such as "
                  "dissociation, dizziness, nausea or headache.")
    assert mild.kind == "safety" and mild.direction == "harm" and mild.possible
    assert "headache" not in mild.indications
    assert derive("Ketamine relieves migraine headache.").indications == ("headache",)


def test_a_late_onset_is_read_as_no_effect_sooner() -> None:
    window = claim_window("Patients typically get relief of depression only after about two "
                          "weeks of infusions.")
    assert window is not None and window.not_before == 2 * 168.0
    assert claim_window("Ketamine lifts depression within hours.").not_before is None


def test_a_journal_named_by_its_title_is_the_journal_cited() -> None:
    # no preposition before it, or a capitalised one opening the sentence
    geriatric = derive("An American Journal of Geriatric Psychiatry trial in adults aged 65 or "
                       "older found esketamine helped")
    assert geriatric.journal == "American Journal of Geriatric Psychiatry"
    opening = derive("In the American Journal of Psychiatry trial of ketamine for cocaine "
                     "dependence, 44% were abstinent")
    assert opening.journal == "American Journal of Psychiatry"


def test_a_cited_null_finding_is_a_claim_of_no_benefit() -> None:
    imp = derive("A 2020 trial in older adults with treatment-resistant depression found no "
                 "statistically significant overall difference between esketamine and placebo.")
    assert (imp.kind, imp.direction) == ("citation", "no_benefit")


def test_a_cited_mechanism_is_read_as_a_mechanism() -> None:
    from litwatch.claims.assertions import assertions
    from litwatch.claims.engine import parse_claims
    text = ("In a Stanford study in the American Journal of Psychiatry, the opioid blocker "
            "naltrexone blocked ketamine's antidepressant effect.")
    assert derive(text).direction == "affirm"
    claim = parse_claims({"claims": [{"id": "c", "article": "a", "claim": text}]})[0]
    assert assertions(claim)[0].concepts == ("opioid_system",)


def test_a_number_is_no_absolute_but_no_side_effects_at_all_is() -> None:
    bio = derive("Ketamine's bioavailability is 100% intravenously and about 20% orally.")
    assert not bio.absolute and "pharmacokinetics" in bio.concepts
    assert derive("Low-dose ketamine infusion therapy has no reported long-term side "
                  "effects.").absolute
    assert derive("Ketamine is 100% safe.").absolute


def test_a_comparison_with_something_no_taxonomy_names_is_still_a_comparison() -> None:
    assert derive("Esketamine nasal spray has fewer side effects than most "
                  "antidepressants.").versus == "antidepressants"
    assert derive("Ketamine appears more effective for bipolar II depression than for "
                  "bipolar I depression.").versus == "bipolar i"
    assert derive("Patients continuing esketamine were 56% less likely to relapse than "
                  "patients on an oral antidepressant alone.").versus == "antidepressant"
    # quantities and time limits compare nothing
    assert derive("More than half of patients respond to ketamine.").versus == ""
    assert derive("Ketamine relieves depression in less than 24 hours.").versus == ""


def test_a_compared_harm_needs_a_finding_that_names_the_comparison() -> None:
    from litwatch.claims.assertions import assertions
    from litwatch.claims.engine import parse_claims
    from litwatch.claims.reading_harm import harm_reading
    from litwatch.classify.sentences import Sentence
    claim = parse_claims({"claims": [{"id": "c", "article": "a", "claim":
                                      "Ketamine lozenges cause fewer side effects than "
                                      "other forms."}]})[0]
    part = assertions(claim)[0]
    silent = Sentence("abstract", "results", "Nausea occurred in 12% of patients.", 3)
    assert harm_reading(silent.text, silent, part) is None


def test_a_trial_named_or_a_journal_by_short_name_is_a_citation() -> None:
    named = derive("In the phase 3b ESCAPE-TRD trial, more patients reached remission with "
                   "esketamine than with quetiapine.")
    assert (named.kind, named.trial) == ("citation", "ESCAPE-TRD")
    bmj = derive("A BMJ randomized trial in China found esketamine after childbirth halved "
                 "postpartum depression.")
    assert (bmj.kind, bmj.journal) == ("citation", "BMJ")
    # acronyms of agencies and designs name no trial
    assert derive("An FDA study found ketamine works.").trial == ""


def test_a_condition_with_no_key_of_its_own_narrows_the_evidence() -> None:
    imp = derive("In mouse models of Rett syndrome ketamine improves breathing.")
    assert imp.indications == () and imp.condition == "rett syndrome"
    assert derive("Ketamine relieves depression.").condition == ""



def test_what_a_cited_study_found_is_the_claim() -> None:
    # "found that X does not reduce Y": the null is the finding claimed
    lancet = derive("The Lancet trial by Avidan and colleagues found that intraoperative "
                    "ketamine does not reduce postoperative delirium.")
    assert (lancet.kind, lancet.direction) == ("citation", "no_benefit")
    named = derive("A 2018 Yale study in the journal Chronic Stress found that ketamine "
                   "needs opioid receptors.")
    assert named.journal == "Chronic Stress"


def test_no_side_effects_at_all_and_no_mania_are_safety_claims() -> None:
    none = derive("Ketamine therapy for bipolar depression does not have side effects.")
    assert (none.kind, none.direction, none.absolute) == ("safety", "no_harm", True)
    mania = derive("A meta-analysis showed that ketamine did not cause treatment-emergent "
                   "mania more often than placebo in bipolar depression.")
    assert (mania.kind, mania.direction) == ("safety", "no_harm")
