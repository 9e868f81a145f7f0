"""Roles of unstructured abstract sentences: cues, tense and a monotone decoding."""

from __future__ import annotations

from litwatch.classify.roles import decode_roles, infer_roles
from litwatch.classify.sentence_split import split_sentences


def roles_of(text: str) -> list[str]:
    return infer_roles(split_sentences(text))


def test_a_cueless_sentence_keeps_the_section_it_is_in() -> None:
    # Sentence 2 has no cue of its own: the abstract is still in its background.
    assert roles_of(
        "Ketamine is an NMDA receptor antagonist. Its antidepressant action came to light "
        "by chance. We randomized 40 adults to ketamine or saline. Depression scores fell "
        "more with ketamine than with saline (p < 0.01). Ketamine may help in primary care."
    ) == ["background", "background", "methods", "results", "conclusions"]


def test_the_path_does_not_go_back_from_results_to_methods() -> None:
    # "were included" is a methods cue, but a count of who was analysed after results
    # started is still results.
    assert roles_of(
        "We aimed to test intranasal ketamine in migraine. Sixty patients were randomized. "
        "Pain fell by 40% with ketamine versus 15% with placebo (p = 0.003). Of 60 patients, "
        "55 were included in the analysis. Intranasal ketamine may relieve migraine."
    ) == ["objective", "methods", "results", "results", "conclusions"]


def test_present_tense_generic_statements_are_background() -> None:
    assert roles_of(
        "Chronic pain is common and often resists opioids. NMDA receptors have been "
        "implicated in central sensitization. We reviewed 12 trials of ketamine infusions. "
        "Seven trials reported lower pain scores than placebo. Larger trials are needed."
    ) == ["background", "background", "methods", "results", "conclusions"]


def test_counts_of_studies_found_are_results_of_a_review() -> None:
    assert roles_of(
        "This systematic review examines ketamine for cancer pain. Studies were identified "
        "from MEDLINE and EMBASE. Four randomized controlled studies were identified. Both "
        "included studies concluded that ketamine improves morphine analgesia."
    )[:3] == ["objective", "methods", "results"]


def test_registration_lines_are_methods_wherever_they_stand() -> None:
    roles = roles_of(
        "We aimed to test esketamine in suicidal depression. Patients were randomized to "
        "esketamine or placebo. MADRS scores fell more with esketamine (p < 0.001). "
        "Esketamine may be useful in this population. Clinical identifier: NCT03097133.")
    assert roles == ["objective", "methods", "results", "conclusions", "methods"]


def test_fixed_roles_anchor_the_decoding() -> None:
    tags: list[set[str]] = [set(), set(), set()]
    tokens: list[list[str]] = [["x"], ["y"], ["z"]]
    assert decode_roles(tags, tokens, ["methods", None, "conclusions"])[0] == "methods"
    assert decode_roles(tags, tokens, ["background", "results", "conclusions"]) == [
        "background", "results", "conclusions"]


def test_a_relative_clause_about_who_took_part_is_not_a_result() -> None:
    roles = roles_of(
        "Ketamine is used for anxiety. Twenty patients who had responded to ketamine "
        "received weekly doses for three months. Anxiety ratings halved after each dose. "
        "Maintenance dosing appeared safe.")
    assert roles[1] == "methods"


def test_a_threshold_definition_is_methods_however_many_numbers_it_has() -> None:
    roles = roles_of(
        "We aimed to test ketamine in social anxiety. Based on prior studies, we defined "
        "response as a greater than 35% LSAS reduction. Response was more frequent with "
        "ketamine than placebo (33% vs 0%, p = 0.025). Ketamine may relieve social anxiety.")
    assert roles == ["objective", "methods", "results", "conclusions"]
