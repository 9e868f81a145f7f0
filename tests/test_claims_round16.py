"""Rules written from the errors of claims batches m-x (evaluation/gold/claims_fresh_*.toml),
each on hand-built records: a mechanism's direction is read where the mechanism is named;
"fewer side effects than X" is a comparison with X, read only where X is compared;
"does not produce psychotomimetic effects" denies the harm."""

from __future__ import annotations

from sqlalchemy import Engine

from litwatch.claims import lexicon
from litwatch.claims.assertions import assertions
from litwatch.claims.details import effect_reported
from litwatch.claims.engine import check_text
from litwatch.claims.timeframe import claim_window
from litwatch.classify.sentences import numbers_in
from tests.test_claims_helpers import claim, paper, store

GLUTAMATE_UP = ("These findings provide direct evidence in humans that ketamine increases "
                "glutamate release in the prefrontal cortex.")


def test_a_fall_under_a_mechanism_title_is_not_a_fall_of_the_mechanism(engine: Engine) -> None:
    # The title names AMPA (a glutamate receptor); the results sentence's decrease is of
    # the gain of pyramidal cells and says nothing of which way glutamate went.
    store(engine, paper("Ketamine disrupts NMDA and AMPA-mediated frontoparietal connectivity",
                        labels=(("indication", "healthy"),),
                        results="The results also indicated a decrease in gain of parietal "
                                "pyramidal cells."),
          paper("Ketamine and prefrontal glutamate in healthy subjects",
                design="non_randomized", conclusions=GLUTAMATE_UP,
                labels=(("indication", "healthy"),)))
    report = check_text(engine, "Ketamine works by blocking the action of glutamate.")
    stances = {f.facts.title: f.stance for f in report.findings if f.stance}
    assert "Ketamine disrupts NMDA and AMPA-mediated frontoparietal connectivity" \
        not in stances, report.reason
    assert stances.get("Ketamine and prefrontal glutamate in healthy subjects") == "against"
    assert report.suggested == "contradicted", report.reason


def test_a_title_on_the_mechanism_still_lends_its_findings_to_an_undirected_claim(
        engine: Engine) -> None:
    store(engine, paper("Glutamatergic signaling drives the antidepressant response to ketamine",
                        design="preclinical",
                        results="Ketamine reduced immobility in the forced swim test in "
                                "mice."))
    report = check_text(engine, "Ketamine acts on the glutamate system.")
    assert any(f.stance == "for" for f in report.findings), report.reason


def test_fewer_side_effects_than_a_class_of_drugs_is_a_comparison_with_that_class() -> None:
    [part] = assertions(claim("Ketamine has a better safety profile and fewer side effects "
                              "than conventional psychiatric medications."))
    assert part.direction == "no_harm"
    assert part.versus == "psychiatric medication"


def test_psychiatric_side_effects_are_not_a_comparison_with_psychiatric_drugs(
        engine: Engine) -> None:
    store(engine, paper("Side-effects associated with ketamine use in depression",
                        design="systematic_review", labels=(("indication", "mdd"),),
                        results="After acute dosing, psychiatric, psychotomimetic and "
                                "cardiovascular side-effects were more frequently reported "
                                "after ketamine treatment than after placebo."))
    report = check_text(engine, "Ketamine has a better safety profile and fewer side effects "
                                "than conventional psychiatric medications.")
    assert not [f for f in report.findings if f.stance in ("for", "against")], report.reason
    assert report.suggested == "not enough evidence", report.reason


def test_the_comparator_tolerated_is_no_comparison_of_harms(engine: Engine) -> None:
    store(engine, paper("A randomized controlled trial of intranasal ketamine in depression",
                        labels=(("indication", "mdd"), ("route", "intranasal")),
                        results="Intranasal ketamine was well tolerated with minimal "
                                "dissociative effects."))
    report = check_text(engine, "Intravenous ketamine causes fewer adverse events than "
                                "intranasal ketamine.")
    assert not [f for f in report.findings if f.stance in ("for", "against")], report.reason


def test_does_not_produce_psychotomimetic_effects_denies_the_harm() -> None:
    assert lexicon.has("harm_denied", "it does not produce marked psychotomimetic or "
                                      "dissociative effects")
    assert lexicon.has("harm_denied", "R-ketamine appears to be free of psychotomimetic "
                                      "side effects")


def test_connections_between_brain_cells_are_neuroplasticity_and_repair_moves_them_up() -> None:
    [part] = assertions(claim("Ketamine may relieve depression by stimulating the growth of "
                              "connections between brain cells."))
    assert part.kind == "mechanism" and part.concepts == ("neuroplasticity",)
    parts = assertions(claim("Ketamine blocks NMDA receptors, increasing glutamate release, "
                             "which activates pathways that repair and strengthen connections "
                             "between brain cells."))
    changes = {p.concepts[0]: p.change for p in parts}
    assert changes["nmda"] == "down"
    assert changes["neuroplasticity"] == "up"


def test_a_plasticity_claim_is_not_supported_by_trials_of_mood_alone(engine: Engine) -> None:
    store(engine, paper("Antidepressant effects of ketamine in depressed patients",
                        labels=(("indication", "mdd"),),
                        results="Subjects with depression improved significantly within 72 "
                                "hours after ketamine but not placebo infusion."))
    report = check_text(engine, "Ketamine promotes the regeneration of damaged neurons and "
                                "their connections within hours.")
    assert report.suggested != "supported", report.reason
    assert not [f for f in report.findings if f.stance == "for"], report.reason


def test_an_onset_and_a_stated_duration_are_two_statements() -> None:
    parts = assertions(claim("Ketamine improves depressive symptoms within a day, and the "
                             "improvement lasts one to two weeks."))
    assert [p.window.onset_hours for p in parts if p.window][:1] == [24.0]
    lasting = [p.window.lasts_hours for p in parts if p.window and p.window.lasts_hours]
    assert lasting == [14 * 24.0]           # a range's upper bound is the claim


def test_a_study_found_by_one_part_is_the_study_of_every_part(engine: Engine) -> None:
    store(engine, paper("Ketamine and suicidal ideation: individual participant data",
                        journal="The American journal of psychiatry", abbrev="Am J Psychiatry",
                        year=2018, labels=(("indication", "suicidal_ideation"),),
                        results="Ketamine rapidly (within 1 day) reduced suicidal ideation "
                                "significantly compared with placebo."))
    report = check_text(engine, "A study in the American Journal of Psychiatry showed that a "
                                "single dose of ketamine reduces suicidal thoughts within 24 "
                                "hours, with the effect lasting up to 1 week.")
    assert len(report.parts) == 2
    assert all(p.summary.citation and p.summary.citation.found for p in report.parts)
    assert report.citation is not None and report.citation.found   # what the page shows
    assert "not found as cited" not in [p.verdict for p in report.parts], report.reason


def test_treatment_resistance_is_trd_only_in_a_claim_on_depression() -> None:
    [part] = assertions(claim("Ketamine is a strong bronchodilator that can be used to treat "
                              "bronchospasm that does not respond to other treatment."))
    assert "trd" not in part.indications
    assert part.condition == "bronchospasm"
    [part] = assertions(claim("Ketamine helps people whose depression has not responded to "
                              "other treatments."))
    assert part.indications == ("trd",)


def test_a_condition_no_record_names_is_not_supported_by_other_conditions(
        engine: Engine) -> None:
    store(engine, *[paper(f"Randomized trial {i} of ketamine in treatment-resistant depression",
                          labels=(("indication", "trd"),),
                          results="Depressive symptoms improved significantly within 24 hours "
                                  "after ketamine compared with placebo.") for i in range(3)])
    report = check_text(engine, "Ketamine is a strong bronchodilator that can be used to treat "
                                "bronchospasm that does not respond to other treatment.")
    assert report.suggested == "not enough evidence", report.reason


def test_an_approval_as_monotherapy_must_be_stated_as_such(engine: Engine) -> None:
    store(engine, paper("Esketamine for treatment-resistant depression: a review",
                        design="narrative_review", drug="esketamine",
                        labels=(("indication", "trd"),),
                        conclusions="Esketamine nasal spray is approved by the FDA for "
                                    "treatment-resistant depression in combination with an "
                                    "oral antidepressant."))
    report = check_text(engine, "Esketamine nasal spray is FDA-approved for adults with "
                                "treatment-resistant depression, both with and without an "
                                "oral antidepressant.")
    verdicts = {p.part.label: p.verdict for p in report.parts}
    assert verdicts.get("approved as monotherapy") == "not enough evidence", report.reason
    assert report.suggested == "partly supported", report.reason


def test_a_list_of_shares_is_counted_by_the_words_after_the_last() -> None:
    [part] = assertions(claim("55% of patients given IV ketamine responded versus 41% given ECT."))
    text = ("A total of 55.4% of the patients in the ketamine group and 41.2% of those in the "
            "ECT group had a response (difference, 14.2 percentage points).")
    assert effect_reported(text, numbers_in(text), part)


def test_rarely_lasts_more_than_is_a_ceiling_and_a_plain_duration_is_not() -> None:
    ceiling = claim_window("The benefits of a ketamine infusion rarely last more than a few days.")
    assert ceiling is not None and ceiling.at_most and ceiling.lasts_hours == 72.0
    plain = claim_window("The effect lasts two weeks.")
    assert plain is not None and not plain.at_most


def test_a_claim_of_less_harm_in_ect_is_refuted_by_no_difference_in_ect(engine: Engine) -> None:
    store(engine, paper("A randomized comparison of ketamine versus methohexital anesthesia in "
                        "electroconvulsive therapy", labels=(("indication", "mdd"),),
                        results="There were no significant differences in depression or "
                                "cognitive outcomes between the two drugs."),
          # well tolerated elsewhere says nothing of ECT
          paper("Ketamine infusion for chronic pain", labels=(("indication", "chronic_pain"),),
                results="Ketamine was well tolerated with minimal cognitive side effects."))
    text = ("Using ketamine as the anaesthetic for electroconvulsive therapy reduces ECT's "
            "cognitive side effects.")
    [part] = assertions(claim(text))
    assert part.direction == "no_harm" and part.condition == "electroconvulsive"
    report = check_text(engine, text)
    stances = {f.facts.title[:30]: f.stance for f in report.findings if f.stance}
    assert stances == {"A randomized comparison of ket": "against"}, report.reason
    assert report.suggested == "contradicted", report.reason


def test_an_add_on_null_refutes_a_claim_about_ketamine_in_ect(engine: Engine) -> None:
    store(engine, paper("Adjunctive ketamine in electroconvulsive therapy: updated systematic "
                        "review and meta-analysis", design="systematic_review",
                        labels=(("indication", "mdd"),),
                        results="Electroconvulsive therapy with ketamine was not associated "
                                "with greater improvements in depressive symptoms or higher "
                                "rates of clinical response or remission."))
    report = check_text(engine, "Using ketamine as the anaesthetic for electroconvulsive "
                                "therapy boosts ECT's antidepressant response.")
    assert [f.stance for f in report.findings if f.stance] == ["against"], report.reason
