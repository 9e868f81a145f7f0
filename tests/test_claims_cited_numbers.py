"""A study a claim describes rather than names ("a pilot study", "in a recent study")
is known by the number it is said to have found; a reference in brackets names its
journal; a trial's name may be missing from its own abstract."""

from __future__ import annotations

from sqlalchemy import Engine

from litwatch.claims.engine import check_text
from litwatch.claims.intake import derive
from tests.test_claims_helpers import paper, store

TRD = (("indication", "trd"), ("route", "intravenous"))
REMISSION = ("In a recent study, about 52% of patients given three ketamine infusions reached "
             "remission.")


def matched(report) -> list[str]:
    """The records the claim's citation was found in."""
    assert report.citation is not None
    return [f.facts.ref for f in report.citation.matched]


def test_a_described_study_with_a_number_is_a_citation_of_that_number() -> None:
    implied = derive(REMISSION)
    assert (implied.kind, implied.study) == ("citation", "a recent study")
    # The literature, not one study: no citation.
    assert derive("Studies show that about 52% of patients reach remission after "
                  "ketamine infusions.").study == ""


def test_a_described_study_is_found_only_where_its_number_is_reported(engine: Engine) -> None:
    store(engine,
          paper("Repeated ketamine infusions in treatment-resistant depression", labels=TRD,
                results="After six infusions, 59% of patients met response criteria, more "
                        "than with midazolam."),
          paper("Serial ketamine infusions: a randomized trial", labels=TRD,
                results="At least a 50% reduction in MADRS and remission were both faster "
                        "with ketamine than with placebo."))
    report = check_text(engine, REMISSION)
    assert report.suggested == "not found as cited", report.reason
    assert report.citation is not None and not report.citation.found


def test_the_study_that_reports_the_number_is_found_as_cited(engine: Engine) -> None:
    [ref] = store(engine, paper(
        "Three ketamine infusions in treatment-resistant depression", labels=TRD,
        results="Remission rates were significantly higher with ketamine than with "
                "placebo (52% vs 20%)."))
    assert matched(check_text(engine, REMISSION)) == [ref]
    # The same share of responders is not the share in remission.
    other = check_text(engine, "In a recent study, about 52% of patients given ketamine "
                               "infusions responded, and 30% relapsed within a month.")
    assert matched(other) == []


def test_a_bracketed_reference_names_the_journal_and_identifies_a_named_trial(
        engine: Engine) -> None:
    text = ("In the SUSTAIN-1 trial (Daly et al., JAMA Psychiatry 2019), patients who kept "
            "taking esketamine relapsed less often than those switched to placebo.")
    assert (derive(text).journal, derive(text).trial) == ("JAMA Psychiatry", "SUSTAIN-1")
    # The abstract does not name SUSTAIN-1: journal and year identify it.
    [ref] = store(engine, paper(
        "Esketamine nasal spray for relapse prevention in treatment-resistant depression",
        results="Among stable remitters, continuing esketamine significantly reduced the "
                "risk of relapse compared with placebo (26.7% vs 45.3%).",
        journal="JAMA psychiatry", year=2019, drug="esketamine",
        labels=(("indication", "trd"), ("route", "intranasal"))))
    assert matched(check_text(engine, text)) == [ref]


def test_an_institution_with_an_apostrophe_is_cited() -> None:
    assert derive("A King's College London study of 26 adults found naltrexone reduced "
                  "ketamine's effect by 28%.").institution == "King's College"


COCAINE = (("indication", "cocaine_use"), ("route", "intravenous"))


def test_a_trial_against_its_active_placebo_is_read_as_a_controlled_trial(
        engine: Engine) -> None:
    text = ("In the 2019 American Journal of Psychiatry trial of a ketamine infusion plus "
            "mindfulness-based relapse prevention for cocaine dependence, craving scores were "
            "58.1% lower with ketamine than with the midazolam control.")
    assert derive(text).versus == ""      # midazolam is the control, not a rival treatment
    [ref] = store(engine, paper(
        "A single ketamine infusion with mindfulness-based relapse prevention for cocaine "
        "dependence: a randomized trial", labels=COCAINE,
        journal="The American journal of psychiatry", year=2019,
        results="Craving scores were 58.1% lower in the ketamine group throughout the trial; "
                "the difference was statistically significant.",
        conclusions="A single ketamine infusion improved outcomes, promoting abstinence, "
                    "diminishing craving and reducing risk of relapse."))
    assert matched(check_text(engine, text)) == [ref]
    # The cited study's number is that number: 48% abstinent is not its 44%.
    other = check_text(engine, "In the 2019 American Journal of Psychiatry trial of ketamine "
                               "for cocaine dependence, 44% of the ketamine group were "
                               "abstinent at 6 months.")
    assert matched(other) == []


def test_a_country_cited_must_be_in_the_records_affiliation() -> None:
    from litwatch.claims.citation import _institution_keys
    implied = derive("Australian researchers completed the first randomised controlled trial "
                     "of ketamine for depression in elderly patients.")
    assert (implied.kind, implied.institution) == ("citation", "Australia")
    assert derive("A Taiwanese study found that ketamine cystitis resembles interstitial "
                  "cystitis.").institution == "Taiwan"
    assert "usa" in _institution_keys("United States")
    # A journal's adjective is no country.
    assert derive("A trial in the American Journal of Psychiatry found ketamine lifted "
                  "depression.").institution == ""


def test_a_one_word_journal_is_read_only_where_it_is_a_title() -> None:
    from litwatch.claims.intake_cites import cited_journal
    assert cited_journal("A 2009 trial in Pain (Sigtermans et al.) found less pain.") == "Pain"
    assert cited_journal("A study published in Anesthesiology in 2016 found ...") == \
        "Anesthesiology"
    assert cited_journal("Ketamine helps people in pain.") == ""


def test_a_described_study_no_record_reports_is_not_found_as_cited(engine: Engine) -> None:
    store(engine, paper("Ketamine in treatment-resistant depression", labels=TRD,
                        results="Depression scores fell more with ketamine than placebo."))
    report = check_text(engine, "A controlled study found that intravenous ketamine reduced "
                                "phantom limb pain.")
    assert (report.suggested, report.decided_by) == ("not found as cited", "cited-not-found")


def test_a_trial_described_is_no_review_and_that_trial_is_no_citation(engine: Engine) -> None:
    store(engine, paper("Ketamine for depression: a systematic review and meta-analysis",
                        design="systematic_review", labels=TRD,
                        results="Ketamine did not differ from midazolam after six months."))
    report = check_text(engine, "A blinded trial in hospitalised patients found that ketamine "
                                "infusions gave no benefit over midazolam.")
    assert report.suggested == "not found as cited"
    assert derive("In that trial, ketamine was well tolerated.").study == ""
    assert derive("The JAMA Psychiatry trial found that esketamine lifted depression."
                  ).trial == ""


def test_initials_a_spelled_percent_and_a_share_of_patients() -> None:
    from litwatch.claims.citation import journal_matches
    from litwatch.claims.details import _spelled_percents
    from litwatch.claims.intake_cites import claimed_effect
    assert journal_matches("NEJM", "The New England journal of medicine")
    assert _spelled_percents("Seventy-nine percent of subjects responded.") == [79.0]
    assert claimed_effect("79% of patients with bipolar depression improved") == \
        "79% response rate"
    assert claimed_effect("a 50% reduction in depression scores") == "50% reduction"


def test_a_paper_is_the_named_trial_its_registration_names(engine: Engine) -> None:
    from litwatch.classify.labels import Classification
    from litwatch.records import Trial
    from litwatch.sync.pipeline import Incoming, ingest_batch
    registration = Trial(nct_id="NCT07777777", brief_title="Esketamine relapse prevention",
                         official_title="A Study of Esketamine for Relapse Prevention "
                                        "(ZZTOP-2)", study_type="INTERVENTIONAL")
    ingest_batch(engine, [Incoming(registration, b'{"officialTitle": "... (ZZTOP-2)"}',
                                   Classification([], summary=""))])
    [ref] = store(engine, paper(
        "Esketamine nasal spray for relapse prevention: a randomized clinical trial",
        results="Continuing esketamine significantly delayed relapse compared with placebo.",
        drug="esketamine", labels=(("indication", "trd"), ("route", "intranasal")),
        raw=b"<PubmedArticle><AccessionNumber>NCT07777777</AccessionNumber></PubmedArticle>"))
    report = check_text(engine, "In the ZZTOP-2 trial, continuing esketamine delayed relapse "
                                "compared with placebo.")
    assert matched(report) == [ref]
