"""Which sentences of a record speak of the claim's drug at all: not a clause about the
comparator or another drug alone, not a sentence about the other enantiomer only.
(litwatch.claims.reading reads what the rest say.)"""

from __future__ import annotations

from litwatch.claims import lexicon
from litwatch.claims.assertions import Assertion
from litwatch.classify.comparator import scanner as comparator_scanner
from litwatch.vocab import ENANTIOMERS


def comparator_only(clause: str) -> bool:
    """A clause about the comparator or another drug alone ("three other drugs failed to
    outperform controls", "no difference in efficacy with riluzole")."""
    other = bool(comparator_scanner().scan(clause)) or lexicon.has("other_drug", clause)
    return other and not lexicon.has("drug", clause)


def other_enantiomer_only(text: str, part: Assertion) -> bool:
    """"(R)-ketamine is less sedating ..." read for an esketamine claim: a sentence that
    names only the other enantiomer speaks of another drug (a racemate-only "ketamine"
    stays: it is often the study drug's generic name)."""
    from litwatch.claims.intake import drugs_named
    wanted = set(part.drugs)
    if not wanted or not wanted <= ENANTIOMERS:
        return False
    named = set(drugs_named(text))
    return bool(named) and named <= ENANTIOMERS and not named & wanted
