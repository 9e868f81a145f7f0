"""The label vocabularies every part of litwatch shares.

Keys are stable identifiers stored in the database and accepted on the command
line; the human names are what the digest and `litwatch show` print.  The
matching rules that assign these labels live in litwatch/classify/taxonomies/*.toml.
"""

INDICATIONS: dict[str, str] = {
    "trd": "Treatment-resistant depression",
    "mdd": "Major depression",
    "bipolar_depression": "Bipolar depression",
    "suicidal_ideation": "Suicidal ideation",
    "ptsd": "PTSD",
    "anxiety": "Anxiety disorders",
    "ocd": "OCD",
    "alcohol_use": "Alcohol use disorder",
    "opioid_use": "Opioid use disorder",
    "cocaine_use": "Cocaine use disorder",
    "other_substance_use": "Other substance use",
    "chronic_pain": "Chronic pain",
    "crps": "CRPS",
    "fibromyalgia": "Fibromyalgia",
    "neuropathic_pain": "Neuropathic pain",
    "cancer_pain": "Cancer pain",
    "headache": "Headache / migraine",
    "acute_pain": "Acute / perioperative pain",
    "anaesthesia": "Anaesthesia / sedation",
    "delirium": "Delirium",
    "healthy_volunteers": "Healthy volunteers / pharmacology",
    "other": "Other",
}
# Designs that pool, review or recommend rather than study participants themselves.
REVIEW_DESIGNS = frozenset(("systematic_review", "narrative_review", "guideline"))

ROUTES: dict[str, str] = {
    "intravenous": "Intravenous",
    "intranasal": "Intranasal",
    "intramuscular": "Intramuscular",
    "oral": "Oral",
    "sublingual": "Sublingual / buccal",
    "subcutaneous": "Subcutaneous",
    "other": "Other route",
    "not_stated": "Route not stated",
}

# Ordered strongest evidence first: the digest and the claims check sort by it.
DESIGNS: dict[str, str] = {
    "systematic_review": "Systematic review / meta-analysis",
    "rct": "Randomized controlled trial",
    "non_randomized": "Non-randomized controlled trial",
    "single_arm": "Single-arm / open-label trial",
    "observational": "Observational study",
    "case_report": "Case report / series",
    "guideline": "Guideline / consensus",
    "narrative_review": "Narrative review",
    "protocol": "Protocol",
    "preclinical": "Preclinical (animal / in vitro)",
    "other": "Other",
}

DRUGS: dict[str, str] = {
    "ketamine": "Ketamine (racemic)",
    "esketamine": "Esketamine",
    "arketamine": "Arketamine",
}
# The single enantiomers of racemic ketamine.
ENANTIOMERS = frozenset(("esketamine", "arketamine"))

COMPARATORS: dict[str, str] = {
    "placebo": "Placebo / saline",
    "active_placebo": "Midazolam or other active placebo",
    "ect": "ECT",
    "other_drug": "Another drug",
    "none": "No comparator",
}

SOURCES = ("pubmed", "ctgov", "feed")


def design_rank(design: str | None) -> int:
    """Position of a design in the strength order (unknown designs last)."""
    order = list(DESIGNS)
    return order.index(design) if design in DESIGNS else len(order)
