"""Topic: ketamine as the challenge of a model another drug is tested on is off topic.

Hand-built records with sentences of the kinds preclinical abstracts use.
"""

from __future__ import annotations

from litwatch.classify import classify_record
from litwatch.records import AbstractSection, Paper


def paper(title: str, *sections: tuple[str | None, str]) -> Paper:
    return Paper(pmid="1", title=title,
                 abstract_sections=[AbstractSection(label, None, text)
                                    for label, text in sections])


def topic(record: Paper) -> str | None:
    return classify_record(record).first("topic")


def test_a_model_induced_by_ketamine_is_off_topic() -> None:
    rec = paper("Ketamine-induced hyperlocomotion in mice is attenuated by a novel mGlu2 "
                "agonist",
                ("OBJECTIVE", "We tested the effects of the agonist on ketamine-induced "
                              "hyperlocomotion and cognitive deficits."),
                ("RESULTS", "Ketamine (30 mg/kg, i.p.) increased locomotor activity."))
    assert topic(rec) == "off_topic"
    # the drug is still given, so it keeps its drug label
    assert classify_record(rec).values("drug") == ["ketamine"]


def test_what_ketamine_does_for_patients_stays_on_topic() -> None:
    mechanism = paper("The antidepressant effects of ketamine are blocked by an AMPA "
                      "receptor antagonist in rats",
                      ("RESULTS", "Ketamine reduced immobility in the forced swim test."))
    assert topic(mechanism) == "on_topic"
    harm = paper("Ketamine-induced cystitis: a review of recreational users",
                 ("CONCLUSIONS", "Cessation of ketamine use improves bladder symptoms."))
    assert topic(harm) == "on_topic"
