"""Finding direction: significance, negation, what a clause does not compare, harms."""

from __future__ import annotations

import pytest

from litwatch.classify.findings import direction_of, p_value_hits
from litwatch.classify.sentence_split import tokenize


def test_p_values_are_read_from_split_decimals() -> None:
    assert p_value_hits(tokenize("(p < 0.05)")) == [("sig", 0)]
    assert p_value_hits(tokenize("(P = .026)")) == [("sig", 0)]
    assert p_value_hits(tokenize("(p = 0.40)")) == [("p_nd", 0)]
    assert p_value_hits(tokenize("(P > .05)")) == [("p_nd", 0)]
    assert p_value_hits(tokenize("p = 0.05")) == [("p_nd", 0)]
    assert p_value_hits(tokenize("the p-value")) == []


@pytest.mark.parametrize(("sentence", "direction"), [
    # a significant difference between arms, in numbers only
    ("Remission was evident in 80% of the ketamine group compared with 33% of controls "
     "(p < 0.05).", "benefit"),
    ("The effect size of the main endpoint was 0.61 (95% CI 0.40-0.80; P < 0.001).",
     "benefit"),
    # a non-significant p is a null; significant and not in one clause is mixed
    ("Relapse within 12 months was 70% and 63% in the ketamine and ECT groups (P = .52).",
     "no_difference"),
    ("Responders were 8 vs. 3 at 15 min (P<0.05) and 2 vs. 0 at week 1 (ns).", "mixed"),
    ("The VAS scores differed significantly at 4 hours (P < .05), but not at 48 hours "
     "(P > .05).", "mixed"),
    # a cut-off p-value fragment says nothing
    ("p = 0.09)", None),
    # no comparison of the treatment's effect
    ("Baseline characteristics did not differ between the 2 groups (P > .05).", None),
    ("The groups were similar in age, sex, and fasting duration.", None),
    ("No significant heterogeneity existed, and the Egger test showed no publication bias.",
     None),
    ("Future large-scale trials are needed to confirm the efficacy of ketamine.", None),
    ("Further research is needed to assess long-term efficacy, and potential risks "
     "including abuse.", None),
    ("EPDS scores decreased significantly across all groups (p < 0.05).", None),
    ("Long-term risks such as cystitis and dependence were seldom assessed.", None),
    ("Brain activity after ketamine was similar to that of healthy controls.", None),
    # a mechanistic null is still a null: it counts against a mechanism claim
    ("The antidepressant effects of ketamine are not mediated by BDNF.", "no_difference"),
    ("Pretreatment with naltrexone blocked the antidepressant effect of ketamine.", None),
    ("In the sample, 107 received ketamine and 1051 did not.", None),
    # harms: reported, reduced, denied, explained away
    ("Vomiting was less common with ondansetron (4.7% versus 12.6%).", "benefit"),
    ("None of the subcutaneously injected mice died.", "benefit"),
    ("No cognitive adverse effects were noted in either trial.", None),
    ("The adverse effects generally lasted only a few hours and abated spontaneously.", None),
    ("A single infusion improved drinking outcomes in persons with alcohol dependence.",
     "benefit"),
    ("Executive dysfunction was found in frequent ketamine users.", "harm"),
    ("74% reported at least one adverse event.", "harm"),
    ("Side effects may be mitigated with concurrent propofol.", None),
    # clauses
    ("Although one trial did not reach significance, it still showed a benefit of "
     "ketamine.", "mixed"),
    ("Atropine significantly reduced hypersalivation, without providing a clinical "
     "benefit.", "mixed"),
    ("Ketamine, despite being inferior to ECT, can be a valuable treatment option.",
     "mixed"),
    ("This indicates that depression improved over time, but without significant "
     "difference between arketamine and placebo.", "no_difference"),
    ("Although the 56 mg dose could not be formally tested, the LS mean difference was "
     "-4.1 (nominal P value =.027).", "mixed"),
    ("In a single trial, marginal effects on suicidal ideation were observed.",
     "no_difference"),
    ("Tamoxifen is efficacious in acute mania, however its safety profile is relatively "
     "poor.", "mixed"),
    ("Issues surrounding potential toxicity need to be resolved.", None),
    ("Plasma lidocaine concentrations peaked early and were greater in group A vs group B.",
     None),
    # equivalence
    ("Intramuscular ketamine 0.25 mg/kg is as effective as 0.5 mg/kg.", "no_difference"),
    ("A similar pattern was seen in the anterior cingulate cortex.", None),
    # findings said to disagree; single-group results; named events that occurred
    ("Recent placebo-controlled trials in the ED show conflicting results.", "mixed"),
    ("None of 10 subjects experienced a response in OCD symptoms.", "no_difference"),
    ("Children given ketamine moved similarly to those given midazolam.", "no_difference"),
    ("Similarly, PTSD scores dropped significantly from 56.2 to 31.3 (P < .001).", "benefit"),
    ("Eighty mild or moderate TEAEs were reported following oral ketamine.", "harm"),
    ("Transient hypoxia occurred in 9 patients (22%).", "harm"),
    ("Ketamine stopped seizures in 38 patients (90.5%).", "benefit"),
    ("Five (38%) adolescents met criteria for clinical response.", "benefit"),
    ("The esketamine group had a higher incidence of emergence delirium than controls.",
     "harm"),
    # better conditions or a faster induction provided; "may be useful"; a response had
    ("Ketamine 5 mg/kg provided better surgical conditions and a more rapid induction.",
     "benefit"),
    ("Ketamine produced acceptable sedation in 98% of patients.", "benefit"),
    ("Thus, a switch to ketamine may be useful when it is difficult to elicit a seizure.",
     "benefit"),
    ("Four of seven patients experienced an antidepressant response to ketamine.", "benefit"),
    # what would help future work, or a model's usefulness, is no finding for the drug
    ("Dose range evaluations would be helpful in determining its place as an adjunct.", None),
    ("Repeated ketamine is useful in modeling schizophrenia-related changes in mice.", None),
    ("There is no apparent benefit of ketamine for speed or quality of post-ECT recovery.",
     "no_difference"),
    ("The child recovered with no apparent ill effects.", None),
])
def test_direction_rules(sentence: str, direction: str | None) -> None:
    assert direction_of(sentence) == direction
