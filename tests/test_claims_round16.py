"""Rules written from the errors of claims batches m-x (evaluation/gold/claims_fresh_*.toml),
each on hand-built records: a mechanism's direction is read where the mechanism is named."""

from __future__ import annotations

from sqlalchemy import Engine

from litwatch.claims.engine import check_text
from tests.test_claims_helpers import paper, store

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
