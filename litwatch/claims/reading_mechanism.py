"""How a record's clause moves a claimed mechanism: up, down, no effect, a link.

"Ketamine increases glutamate release" moves glutamate up; "a drug affecting glutamate
neurotransmission can reduce OCD symptoms" reduces the symptoms and only links glutamate
to them; "AMPA-mediated connectivity fell" moves the connectivity.  The words that
move a mechanism are those just before it in its clause, and after it in the passive.
"""

from __future__ import annotations

import re

from litwatch.claims import lexicon
from litwatch.claims.assertions import Assertion
from litwatch.claims.statements import Reading
from litwatch.classify.sentences import Sentence, direction_of


def _first_concept(clause: str, part: Assertion) -> re.Match[str] | None:
    """Where the clause first names one of the claimed concepts (in the claim's order)."""
    for key in part.concepts:
        m = lexicon.concepts()[key].regex.search(clause)
        if m:
            return m
    return None


def near(clause: str, part: Assertion) -> str:
    """The words around the claimed concept: "altered glutamatergic connectivity that
    persisted after plasma levels fell" moves glutamate, not down."""
    m = _first_concept(clause, part)
    return clause[max(0, m.start() - 70):m.end() + 50] if m else clause


def change_in(clause: str) -> str | None:
    if lexicon.has("null", clause) or direction_of(clause) == "no_difference":
        return "null"
    if lexicon.has("reversal_up", clause):
        return "up"
    if lexicon.has("reversal_down", clause):
        return "down"
    up, down = lexicon.cue("up").search(clause), lexicon.cue("down").search(clause)
    if up and down:
        return "up" if up.start() < down.start() else "down"
    if up or down:
        return "up" if up else "down"
    return "link" if lexicon.has("link", clause) else None


def _moves(clause: str, part: Assertion) -> str:
    """The words that move the claimed mechanism: those just before it in its clause
    and a few after ("glutamate release was increased").  "A drug affecting glutamate
    neurotransmission can reduce OCD symptoms" reduces the symptoms, not glutamate."""
    m = _first_concept(clause, part)
    if m is None:
        return clause
    if _MODIFIER.match(clause, m.end()):
        return ""  # "AMPA-mediated connectivity" moves the connectivity
    start = max(clause.rfind(",", 0, m.start()), clause.rfind(";", 0, m.start()), 0)
    tail = clause[m.end():m.end() + 30]
    # after it only in the passive: "glutamate release was increased"
    tail = tail if _PASSIVE.search(tail) else ""
    return clause[max(start, m.start() - 60):m.end()] + tail


_PASSIVE = re.compile(r"\b(?:was|were|is|are|been)\b")
_MODIFIER = re.compile(r"-?(?:mediated|dependent|induced|related|based|driven|linked)\b", re.I)


def mechanism_reading(clause: str, sentence: Sentence, part: Assertion) -> Reading | None:
    change = change_in(_moves(clause, part) if part.change else near(clause, part))
    if change == "null":
        return Reading(sentence, clause, "against", "no effect found")
    if change in ("up", "down") and part.change and change != part.change:
        return Reading(sentence, clause, "against", f"moves the other way ({change})")
    if part.change and change == "link":
        return None        # the claim says which way it moves; a link says neither
    lasting = lexicon.has("long_effect", clause) or lexicon.has("persistent", clause)
    if part.durable and not lasting:
        return None        # "long-lasting changes" need a finding that they last
    return Reading(sentence, clause, "for", "reports the effect") if change else None
