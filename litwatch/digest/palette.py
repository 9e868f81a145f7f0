"""How designs look wherever litwatch draws evidence: short names and colours.

The digest's chart, its map grid and the evidence map page and image share one
palette, so a colour means the same design everywhere a reader meets it.
Colours run dark to light as evidence gets weaker and stay readable on white.
"""

from __future__ import annotations

from litwatch import vocab

DESIGN_NOT_STATED = "not_stated"

DESIGN_SHORT = {
    "systematic_review": "SR/MA", "rct": "RCT", "non_randomized": "non-randomized",
    "single_arm": "single-arm", "observational": "observational", "case_report": "case",
    "guideline": "guideline", "narrative_review": "review", "protocol": "protocol",
    "preclinical": "preclinical", "other": "other", DESIGN_NOT_STATED: "design n/s",
}
DESIGN_COLOURS = {
    "systematic_review": "#1b4f72", "rct": "#2874a6", "non_randomized": "#3498db",
    "single_arm": "#5dade2", "observational": "#48c9b0", "case_report": "#a3e4d7",
    "guideline": "#af7ac5", "narrative_review": "#d2b4de", "protocol": "#f5b041",
    "preclinical": "#cacfd2", "other": "#e5e8e8", DESIGN_NOT_STATED: "#f2f3f4",
}


def design_colour(design: str) -> str:
    return DESIGN_COLOURS.get(design, DESIGN_COLOURS["other"])


def design_short(design: str) -> str:
    return DESIGN_SHORT.get(design, design)


def design_name(design: str) -> str:
    return "Design not stated" if design == DESIGN_NOT_STATED else vocab.DESIGNS.get(design,
                                                                                    design)


def strength_order(design: str) -> tuple[bool, int]:
    """Sort key: strongest design first, "not stated" after every known design."""
    return design == DESIGN_NOT_STATED, vocab.design_rank(design)


def ink_on(colour: str) -> str:
    """Black or white text, whichever reads better on a #rrggbb background."""
    r, g, b = (int(colour[i:i + 2], 16) for i in (1, 3, 5))
    return "#ffffff" if 0.299 * r + 0.587 * g + 0.114 * b < 140 else "#1c2833"

# Column heads where a grid has no room for "Sublingual / buccal".
ROUTE_SHORT = {
    "intravenous": "IV", "intranasal": "IN", "intramuscular": "IM", "oral": "oral",
    "sublingual": "SL/buccal", "subcutaneous": "SC", "other": "other", "not_stated": "n/s",
}


def route_short(route: str) -> str:
    return ROUTE_SHORT.get(route, route)


def route_name(route: str) -> str:
    return vocab.ROUTES.get(route, route)
