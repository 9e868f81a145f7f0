"""The conditions of the verdict rules (litwatch/claims/rules.py holds the table).

Each takes the evidence summary of one assertion and returns the specific reason
when its rule applies, None otherwise.  They look at designs, stances and claimed
details, never at record ids.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from litwatch.claims.summary import Summary


def _designs(findings) -> str:
    names: list[str] = []
    for f in findings:
        if f.facts.design_name.lower() not in names:
            names.append(f.facts.design_name.lower())
    return ", ".join(names)


def _ids(findings, limit: int = 4) -> str:
    more = " ..." if len(findings) > limit else ""
    return ", ".join(f.facts.ref for f in findings[:limit]) + more


def _supportish_tier(s: Summary) -> int | None:
    tiers = [t for t in (s.best_tier("for"), s.best_tier("mixed")) if t is not None]
    return min(tiers) if tiers else None


def cited_not_found(s: Summary) -> str | None:
    c = s.citation
    if c is None or c.found:
        return None
    near = f"; nearest: {' | '.join(c.near[:3])}" if c.near else "; no candidate in the store"
    return f"no stored record matches {c.cited} and reports the claimed finding{near}"


def absolute(s: Summary) -> str | None:
    against = [f for f in s.counted if f.stance in ("against", "mixed") and f.facts.human]
    if not s.part.absolute or not against:
        return None
    return f"stated as absolute; {len(against)} human record(s) report otherwise ({_ids(against)})"


def no_finding(s: Summary) -> str | None:
    if s.counted:
        return None
    parts = []
    if s.limits:
        parts.append(f"{len(s.limits)} record(s) only state it is not established")
    shown = {f.excluded for f in s.excluded}
    if shown:
        parts.append("shown but not counted: " + ", ".join(sorted(shown)))
    return "no counted record reports a finding on it" + (f" ({'; '.join(parts)})" if parts else "")


def population_not_studied(s: Summary) -> str | None:
    if not s.part.population or any(f.population for f in s.counted):
        return None
    return f"no counted record studied {', '.join(s.part.population).replace('_', ' ')}"


def harms_partly_reported(s: Summary) -> str | None:
    """A list of harms ("nausea, vomiting, diarrhoea and headache") is checked item by
    item: the items no human record reports are named."""
    from litwatch.claims.harm_list import names_harm
    if not s.part.listed:
        return None
    texts = [r.sentence.text for f in s.counted if f.stance == "for" and f.facts.human
             for r in f.readings if r.stance == "for"]
    seen = [name for name, stems in s.part.listed if any(names_harm(t, stems) for t in texts)]
    if not seen or len(seen) == len(s.part.listed):
        return None
    unseen = [name for name, _ in s.part.listed if name not in seen]
    return (f"records report {', '.join(seen)}; none reports {', '.join(unseen)} "
            f"({len(seen)} of the {len(s.part.listed)} harms listed)")


def stronger_against(s: Summary) -> str | None:
    against, support = s.best_tier("against"), _supportish_tier(s)
    if against is None or (support is not None and support <= against):
        return None
    found = s.with_stance("against", against)
    base = "nothing supports it" if support is None else "support comes from weaker designs"
    return f"{len(found)} {_designs(found)} against it ({_ids(found)}); {base}"


def weight_against(s: Summary) -> str | None:
    tier = s.best_tier("against")
    if tier is None or _supportish_tier(s) != tier:
        return None
    against = s.with_stance("against", tier)
    support = s.with_stance("for", tier) + s.with_stance("mixed", tier)
    if len(against) >= 2 and len(against) >= 2 * len(support):
        return (f"{len(against)} against ({_ids(against)}) vs {len(support)} for at the "
                "same strength")
    return None


def weight_for(s: Summary) -> str | None:
    """The mirror of weight-against: one small null among many concordant trials of the
    same strength does not make the evidence conflicting; it is named in the reason."""
    tier = s.best_tier("against")
    if tier is None or _supportish_tier(s) != tier:
        return None
    against = s.with_stance("against", tier) + s.with_stance("mixed", tier)
    support = s.with_stance("for", tier)
    if len(support) >= 4 and len(support) >= 4 * len(against):
        return (f"{len(support)} for ({_ids(support)}) vs {len(against)} against or mixed "
                f"({_ids(against)}) at the same strength")
    return None


def conflict(s: Summary) -> str | None:
    tier = s.best_tier("against")
    if tier is None or _supportish_tier(s) != tier or weight_for(s):
        return None
    against = s.with_stance("against", tier)
    support = s.with_stance("for", tier) + s.with_stance("mixed", tier)
    return f"for: {_ids(support)}; against: {_ids(against)} ({_designs(against)})"


def animal_only(s: Summary) -> str | None:
    # Reviews that state the mechanism add no experiment of their own: an animal
    # finding with a review beside it is still shown only in animals.
    tiers = {f.facts.tier for f in s.with_stance("for")}
    if s.part.kind != "mechanism" or 4 not in tiers or tiers & {1, 2}:
        return None
    found = s.with_stance("for", 4)
    return f"only animal / in vitro studies report it ({_ids(found)})"


def statements_only(s: Summary) -> str | None:
    tier = _supportish_tier(s)
    if tier is None or tier < 3 or s.strong_tier >= 3:
        return None
    return f"only reviews or guidelines state it ({_ids(s.with_stance('for', tier))})"


def weaker_only(s: Summary) -> str | None:
    tier = _supportish_tier(s)
    if tier is None or tier <= s.strong_tier:
        return None
    found = s.with_stance("for", tier) + s.with_stance("mixed", tier)
    return f"best support: {_designs(found)} ({_ids(found)}); no stronger design"


def mixed_or_single(s: Summary) -> str | None:
    from litwatch.claims import lexicon  # (not at the top: see nothing_to_check)
    if _supportish_tier(s) is None:
        return None
    support, mixed = s.strong("for"), s.strong("mixed")
    if len(mixed) >= len(support):
        return f"the strongest findings are mixed ({_ids(mixed)})"
    reviews = [f for f in support if f.facts.design == "systematic_review"]
    cited = s.citation is not None and s.citation.found    # "a study found": that study
    hedged = (s.part.direction == "benefit" and not s.part.absolute
              and lexicon.has("hedged_benefit", s.part.label)
              and support[0].facts.design == "rct")
    if len(support) == 1 and not reviews and not cited and not hedged:
        return f"a single study supports it ({_ids(support)}); not replicated"
    return None


def details(s: Summary) -> str | None:
    missing = s.missing_details()
    return "supporting records do not report: " + "; ".join(missing) if missing else None


def design_not_seen(s: Summary) -> str | None:
    named = s.part.designs
    support = [f for f in s.counted if f.stance in ("for", "mixed")]
    if not named or not support or any(f.facts.design in named for f in support):
        return None
    wanted = " or ".join(d.replace("_", " ") for d in named)
    return f"no {wanted} in the store reports it; {_designs(support)} do ({_ids(support)})"


# A possible harm needs this many human records of it.
_POSSIBLE_MIN = 2


# Kinds of claim that state what a treatment does (a harm claim may leave the drug to
# its article: "usual side effects are mostly temporary").
_FINDING_KINDS = frozenset(("efficacy", "number", "onset", "duration"))


def nothing_to_check(s: Summary) -> str | None:
    # Imported here, not at the top: `claims --help` prints this table and loads no lexicon.
    from litwatch.claims import lexicon
    part = s.part
    if part.kind == "efficacy" and lexicon.has("schedule", part.label) \
            and not lexicon.has("effect_words", part.label):
        # "given as one dose every several weeks": how it is given, no finding to read
        return "the claim states only how the treatment is given"
    if not part.names_drug and part.kind in _FINDING_KINDS and not s.citation:
        # "At least 30% of people with depression have TRD", "traditional
        # antidepressants take 6 to 8 weeks": about the disease or other drugs
        return "the claim names no ketamine, esketamine or arketamine"
    if part.kind != "efficacy" or part.indications or part.concepts or part.population \
            or part.window or part.effect_pct or lexicon.has("effect_words", part.label):
        return None
    return "the claim names no effect, condition, outcome or time that a study could report"


def _says_harm_can_happen(s: Summary) -> bool:
    return s.part.direction == "harm" and not s.part.absolute and s.part.possible


def harm_possible(s: Summary) -> str | None:
    if not _says_harm_can_happen(s):
        return None
    found = [f for f in s.counted if f.stance == "for" and f.facts.human]
    if len(found) < _POSSIBLE_MIN:
        return None
    return (f"the claim says it can happen; {len(found)} human record(s) report it "
            f"({_ids(found)})")


def harm_possible_unseen(s: Summary) -> str | None:
    """"Can cause X" where no human record reports X, only records where it did not
    happen: absence in some patients does not refute a 'can'."""
    if not _says_harm_can_happen(s):
        return None
    if any(f.stance == "for" and f.facts.human for f in s.counted):
        return None
    unseen = [f for f in s.counted if f.stance == "against"]
    return f"no human record reports it; it did not happen in {_ids(unseen)}" if unseen \
        else None


def concordant(s: Summary) -> str | None:
    found = s.strong("for")
    if not found:
        return None
    return (f"{len(found)} concordant {_designs(found)} ({_ids(found)}), none against at "
            "that strength")
