"""Which way a results or conclusions sentence points: benefit, no difference, harm, mixed.

Direction is decided clause by clause, negation first: "did not significantly reduce"
must never count as "significantly reduced", and a null result must never be read as
support. A sentence whose clauses disagree ("improved X but not Y") is "mixed".
Significance counts too: "80% vs 33% (p < 0.05)" is a difference, "p = 0.40" a null.
A clause that compares nothing the treatment did (baseline make-up, pharmacokinetics,
research still needed, a change alike in every arm) has no direction. The cue phrases
are in finding_cues; the numbers a finding reports are read in sentence_numbers.
"""

from __future__ import annotations

from bisect import bisect_right

from .finding_cues import DIRECTION_CUES
from .sentence_split import PhraseTable, tokenize

__all__ = ["BENEFIT", "DIRECTION_CUES", "DIRECTION_TABLE", "HARM", "MIXED", "NO_DIFFERENCE",
           "direction_from", "direction_of", "p_value_hits"]

BENEFIT, NO_DIFFERENCE, HARM, MIXED = "benefit", "no_difference", "harm", "mixed"
# A clause's direction that only counts when no other clause has one.
_WEAK_HARM, _WEAK_BENEFIT = "weak_harm", "weak_benefit"

DIRECTION_TABLE = PhraseTable(DIRECTION_CUES)
# A null about the control arm ("the saline day produced no change") is not a null
# about the treatment.
_CONTROLS = frozenset("placebo saline sham control controls waitlist usual".split())
_LEADING = frozenset("and the in".split())
# Tags without which _clause_direction returns None.
_DECISIVE = frozenset("nd but_not without_null similar noninf_neg noninf harm harm_reduced "
                      "adverse benefit reduction sig p_nd ns conflicting tolerated_well "
                      "not_recommended as_effective".split())
# Any of these makes a clause report no comparison of the treatment's effect.
_NO_COMPARISON = frozenset("baseline not_effect future unexamined recommend blunted".split())
# A sentence opening with these is "subordinate clause, main clause".
_SUBORDINATE = frozenset("although though while whereas despite".split())
_P_SIGNS = frozenset("< = ≤ > ≥".split())
_STATS = frozenset("sig p_nd ns".split())
# Tags that say what a clause compares: a p-value cut off from them joins the last of them.
_STAT_HOME = (_DECISIVE - _STATS) | {"compared", "outcome"}
# A phrase that explains away the hit one or two tokens after it: "those who did not" is
# no null, "alcohol dependence" no harm, "an experience which induced" no comparison.
_COVERING = {"elliptic": ("nd",), "population": ("harm",), "relative": ("more",),
             "recurs": ("similar",), "hypothetical": ("benefit", "harm"),
             "no_increase": ("harm",), "saline_ns": ("ns",),
             "denied_harm": ("harm", "occur", "adverse"),
             "not_recommended": ("recommend",)}
# How many tokens after it a covering phrase explains (2 unless said): "without a
# significant increase in side effects".
_REACH = {"no_increase": 3, "saline_ns": 3, "denied_harm": 6}
_AFTER_COMMA = frozenset("and but whereas while although though however so with yet".split())
_CLAUSE_VERBS = frozenset("was were increased decreased reduced improved caused worsened "
                          "produced lowered".split())


def direction_of(sentence: str) -> str | None:
    """benefit | no_difference | harm | mixed, or None when nothing is compared."""
    tokens = tokenize(sentence)
    return direction_from(tokens, DIRECTION_TABLE.scan(tokens))


def p_value_hits(tokens: list[str]) -> list[tuple[str, int]]:
    """("sig", i) for "p < 0.05"-like tokens at i, ("p_nd", i) for "p = 0.40" / "p > .05"
    ("P value = .027" too). The tokenizer splits decimals ("0.05" -> "0", "05"; ".026" ->
    "026")."""
    out: list[tuple[str, int]] = []
    at = -1
    for _ in range(tokens.count("p")):
        at = tokens.index("p", at + 1)
        sign_at = at + 1 + (tokens[at + 1:at + 2] == ["value"])
        value = _p_value(tokens, sign_at)
        if value is not None:
            sign = tokens[sign_at]
            below = sign in ("<", "≤") or sign == "=" and value < 0.05
            out.append(("sig" if below and value <= 0.05 else "p_nd", at))
    return out


def _p_value(tokens: list[str], sign_at: int) -> float | None:
    if sign_at + 1 >= len(tokens) or tokens[sign_at] not in _P_SIGNS:
        return None
    head = tokens[sign_at + 1]
    tail = tokens[sign_at + 2] if sign_at + 2 < len(tokens) else ""
    if not head.isdigit():
        return None
    if head == "0" and tail.isdigit():
        return float(f"0.{tail}")
    return float(f"0.{head}") if head.startswith("0") else float(head)


def direction_from(tokens: list[str], hits: list[tuple[str, int]]) -> str | None:
    """Direction from a scan that included DIRECTION_CUES (other tags are ignored)."""
    if "p" in tokens:
        hits = hits + p_value_hits(tokens)
    if _DECISIVE.isdisjoint([tag for tag, _ in hits]):
        return None                    # no clause could have a direction: skip the split
    starts = _clause_starts(tokens, hits)
    by_clause = _tags_by_clause(_elliptic_end(tokens, _kept(hits, tokens)), starts)
    found: set[str] = set()
    for c in sorted(by_clause):
        tags = by_clause[c]
        if "future" in tags:
            break          # "further trials are needed to assess efficacy, and risks": no finding
        if starts[c] and tokens[starts[c] - 1] == "and" and c - 1 in by_clause:
            # "plasma levels peaked ... and were greater in A vs B": one subject, two verbs
            tags = tags | (by_clause[c - 1] & _NO_COMPARISON)
        if (d := _clause_direction(tags)) and not _control_subject(tokens, starts[c]):
            found.add(d)
    weak = found & {_WEAK_HARM, _WEAK_BENEFIT}
    found -= weak
    if MIXED in found or BENEFIT in found and (NO_DIFFERENCE in found or HARM in found):
        return MIXED
    for direction in (HARM, BENEFIT, NO_DIFFERENCE):
        if direction in found:
            return direction
    if _WEAK_HARM in weak and not any("reassure" in tags for tags in by_clause.values()):
        return HARM                                # only a weak harm was reported
    # "well tolerated" beside a null ("did not improve pain and was well tolerated") is
    # no benefit: only a sentence that says nothing else reports one.
    return BENEFIT if _WEAK_BENEFIT in weak else None


def _tags_by_clause(hits: list[tuple[str, int]], starts: list[int]) -> dict[int, set[str]]:
    by_clause: dict[int, set[str]] = {}
    stats: list[tuple[str, int, int]] = []
    for tag, at in hits:
        if tag == "but_not":
            tag, at = "nd", at + 1
        elif tag == "without_null":
            tag = "nd"
        clause = bisect_right(starts, at) - 1
        if tag in _STATS:
            stats.append((tag, clause, at))
        else:
            by_clause.setdefault(clause, set()).add(tag)
    for tag, clause, at in stats:
        # "was 0.61 (95% CI 0.40-0.80; P < 0.001)": a p-value cut off by the punctuation
        # of its parentheses belongs to the last clause that said what was compared; a
        # text that opens with its p-value ("p = 0.09)" cut from a sentence) says nothing.
        home = next((c for c in range(clause, -1, -1)
                     if not _STAT_HOME.isdisjoint(by_clause.get(c, ()))), clause)
        if at or home in by_clause:
            by_clause.setdefault(home, set()).add(tag)
    return by_clause


def _kept(hits: list[tuple[str, int]], tokens: list[str]) -> list[tuple[str, int]]:
    """Hits without the ones a wider phrase explains (_COVERING)."""
    tags = {tag for tag, _ in hits}
    if "ns" in tags:
        hits = [hit for hit in hits if not _arm_name(hit, tokens)]
    if _COVERING.keys().isdisjoint(tags):
        return hits
    covered = {(hidden, at + k) for tag, at in hits if tag in _COVERING
               for hidden in _COVERING[tag] for k in range(1, _REACH.get(tag, 2) + 1)}
    return [hit for hit in hits if hit not in covered]


_ARM_WORDS = frozenset("group groups arm arms".split())


def _arm_name(hit: tuple[str, int], tokens: list[str]) -> bool:
    """"compared to the NS group": an arm named by its abbreviation, no statistic."""
    tag, at = hit
    return tag == "ns" and at + 1 < len(tokens) and tokens[at + 1] in _ARM_WORDS


def _elliptic_end(tokens: list[str], hits: list[tuple[str, int]]) -> list[tuple[str, int]]:
    """"107 received ketamine and 1051 did not.": a null with nothing after it is a group."""
    n = len(tokens)
    return [(tag, at) for tag, at in hits
            if not (tag == "nd" and tokens[at] in ("did", "had") and
                    (at + 2 == n or at + 2 < n and tokens[at + 2] in (",", ";")))]


def _clause_starts(tokens: list[str], hits: list[tuple[str, int]]) -> list[int]:
    """Token index where each clause starts: after ';', ', but', 'whereas', 'and was', and
    after the comma that closes an opening "although ..." clause. Separators are common
    tokens, so they are found with list.index, not the scan."""
    starts = {0}
    if "," in tokens:
        for at in [0] + [at for tag, at in hits if tag == "clause"]:
            if tokens[at] in _SUBORDINATE:               # "although X, Y": Y is a clause
                comma = _index(tokens, ",", at + 1)
                if comma > 0:
                    starts.add(comma + 1)
    starts.update(at + 1 for tag, at in hits if tag == "clause")
    starts.update(at for tag, at in hits if tag == "without_null")
    for sep, follow in ((";", None), (",", _AFTER_COMMA), ("and", _CLAUSE_VERBS)):
        at = -1
        for _ in range(tokens.count(sep)):
            at = tokens.index(sep, at + 1)
            if follow is None or at + 1 < len(tokens) and tokens[at + 1] in follow:
                starts.add(at + 1)
    return sorted(starts)


def _index(tokens: list[str], token: str, start: int) -> int:
    try:
        return tokens.index(token, start)
    except ValueError:
        return -1


def _control_subject(tokens: list[str], start: int) -> bool:
    for tok in tokens[start:start + 4]:
        if tok not in _LEADING and tok != ",":
            return tok in _CONTROLS
    return False


def _clause_direction(tags: set[str]) -> str | None:
    if not _NO_COMPARISON.isdisjoint(tags):
        return None
    if "conflicting" in tags:
        return MIXED        # "trials show conflicting results"
    if "noninf_neg" in tags:
        return NO_DIFFERENCE
    if "noninf" in tags:
        return BENEFIT      # a met non-inferiority margin is a positive trial, not a null
    if "sig" in tags and ("p_nd" in tags or "ns" in tags):
        return MIXED        # "8 vs 3 at 15 min (P < 0.05), 2 vs 0 at week 1 (ns)"
    if "as_effective" in tags and "nd" not in tags:
        return NO_DIFFERENCE if "placebo_arm" in tags or "dose_compare" in tags else BENEFIT
    if "nd" in tags or "not_recommended" in tags or "p_nd" in tags or "ns" in tags or (
            "similar" in tags and "similar_safety" not in tags):
        # "adverse events did not differ" reassures about safety; it is not a null result
        about_safety = ("adverse" in tags or "safety" in tags) and "outcome" not in tags
        return None if about_safety and "benefit" not in tags else NO_DIFFERENCE
    if "harm_reduced" in tags:
        return BENEFIT
    if "harm" in tags:
        return HARM
    adverse = "adverse" in tags and "reassure" not in tags
    if adverse and "more" in tags:
        return HARM            # "psychotomimetic effects were more common"
    if "all_arms" in tags and "compared" not in tags:
        return None                # "decreased in all groups": no arm did better
    if "benefit" in tags or "reduction" in tags and "outcome" in tags:
        return BENEFIT
    if "sig" in tags and ("compared" in tags or "outcome" in tags) and not adverse:
        return BENEFIT             # "80% vs 33% (p < 0.05)": a significant difference
    if adverse and "occur" in tags:
        return _WEAK_HARM
    return _WEAK_BENEFIT if "tolerated_well" in tags else None
