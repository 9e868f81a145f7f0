"""Cue phrases of claim intake that are claims' own wording, not the taxonomies':
lay treatment resistance, an addiction treated rather than caused, a denied benefit.

Pure functions of the claim's text; litwatch.claims.intake decides with them.
"""

from __future__ import annotations

import re

# Treatment resistance in a popular article's words: "when other antidepressants
# have failed", "people who haven't responded to other treatments".
LAY_RESISTANCE = re.compile(
    r"\b(?:other|previous|standard|conventional|traditional|several|two|multiple) "
    r"(?:\w+ )?(?:antidepressants?|treatments?|medications?|drugs?|therapies) "
    r"(?:have |had )?(?:failed|not worked|didn't work|did not work|haven't worked)"
    r"|\b(?:haven't|have not|did not|didn't|don't|do not|failed to) respond(?:ed)? to "
    r"(?:other |standard |conventional |traditional |at least two |two or more )?"
    r"(?:antidepressants?|treatments?|medications?|therapies)", re.IGNORECASE)


_SUBSTANCE_USE = ("alcohol_use", "opioid_use", "cocaine_use", "other_substance_use")
_KETAMINE_ADDICTIVE = re.compile(r"\baddictive\b|\bketamine (?:abuse|misuse|addiction|dependence)"
                                 r"|\b(?:abuse|misuse) (?:potential|liability)", re.IGNORECASE)


def treats_substance_use(indications: tuple[str, ...], text: str) -> bool:
    """"Ketamine helps alcohol addiction": the addiction is the condition treated, not a
    harm of ketamine, unless the claim also says ketamine itself is addictive."""
    return (any(k in _SUBSTANCE_USE for k in indications)
            and not _KETAMINE_ADDICTIVE.search(text))


# "Ketamine does not work for PTSD", "was no better than placebo": the claim is a null
# result.  Read in the main clause only ("works even when other drugs did not").
_SUBORDINATE = re.compile(r"\b(?:when|if|who|whom|whose|that|which|where|after|because|"
                          r"although|though|even|unless|whereas|while)\b", re.IGNORECASE)
_DENIAL = re.compile(
    r"\b(?:does not|doesn't|did not|didn't|do not|don't|is not|isn't|was not|wasn't|were not|"
    r"are not|aren't)\s+(?:\w+\s+)?(?:work|help|effective|improve|reduce|relieve|superior|"
    r"better|beat|outperform|lift|treat)\w*|\b(?:no|not) (?:better|more effective|superior) than\b"
    r"|\b(?:fails?|failed) to (?:\w+ )?"
    r"(?:work|help|improve|reduce|relieve|beat|outperform|separate|prevent)"
    r"|\b(?:ineffective|no benefit|no effect|not effective|does nothing)\b"
    # "found no statistically significant overall difference", "did not differ"
    r"|\bno (?:statistically |clinically )?(?:significant |meaningful )?(?:overall )?"
    r"(?:difference|differences|advantage|improvement)\b|\b(?:did not|didn't|does not) "
    r"(?:significantly )?differ\b", re.IGNORECASE)


# "A trial found that ketamine does not reduce delirium": what was found is the claim.
_REPORTED = re.compile(r"\b((?:found|finds|find|showed|shows|show|reported|reports|concluded|"
                       r"concludes|demonstrated|demonstrates|suggests|suggested|indicates|"
                       r"indicated|confirmed|confirms))\s+that\b", re.IGNORECASE)


def denies_benefit(text: str) -> bool:
    text = _REPORTED.sub(r"\1", text)
    main = text[:m.start()] if (m := _SUBORDINATE.search(text)) else text
    return bool(_DENIAL.search(main))
