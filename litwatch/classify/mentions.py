"""The role each mention of ketamine, esketamine or arketamine plays in its sentence.

A mention is the studied intervention unless its sentence shows another role
(taxonomies/topic.toml): the anaesthetic of a procedure ("anaesthetized with
ketamine/xylazine"), the care every participant gets while another drug is
randomised ("vomiting associated with ketamine sedation"), the drug shared by every
compared regimen, one item of a list, an outcome ("self-reported ketamine use"), or
the comparator of another drug.  The topic label reads every role; the drug labels
drop the mentions of a drug nobody was given in the study (lists, outcomes), so a
survey of ketamine use names no drug.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from litwatch.classify.regex_index import GatedPattern
from litwatch.classify.taxonomy import Hit, load, lower

_MARK = "\x01"           # stands for the mention being judged (DRUG in topic.toml)
# A list's separators: ",", ";", "&" or the words "and/or", "and", "or".  Every
# alternative opens with a literal (the word start is checked after the first letter),
# so `re` skips in C to the few characters that can start one; the whitespace around a
# separator belongs to it (_item_pieces).
_ITEM_SEPARATOR = re.compile(r"[,;&]|(?:a(?<!\wa)nd(?:/or)?|o(?<!\wo)r)(?!\w)")
_OURS = re.compile(r"\b(?:es|ar)?ketamine\b|\b[sr]-ketamine\b|\x01")
# Roles in which the study did not give the drug at all.
NOT_GIVEN = frozenset(("use", "listed"))


@dataclass(frozen=True)
class MentionRules:
    roles: dict[str, tuple[GatedPattern, bool]]    # role -> (pattern, read in titles)
    min_other_items: int
    max_item_words: int


@cache
def rules() -> MentionRules:
    data = load("topic")["incidental"]
    roles = {}
    for role, section in data.items():
        patterns = [p.replace("DRUG", _MARK) for p in section.get("patterns", [])]
        if patterns:
            # Matched on lower-cased text (several times faster than re.IGNORECASE),
            # and only where the literals the role needs occur at all.
            rx = GatedPattern("|".join(f"(?:{p})" for p in patterns))
            roles[role] = (rx, bool(section.get("in_title", True)))
    listed = data["listed"]
    return MentionRules(roles, int(listed["min_other_items"]), int(listed["max_item_words"]))


def role_of(text: str, hit: Hit, title: bool = False) -> str | None:
    """The non-intervention role a mention plays in its sentence, if any."""
    return _role_cached(lower(text), hit.start, hit.end, title)


def given(text: str, hit: Hit, title: bool = False) -> bool:
    """Did the study give the drug this mention names (not a list item, not an outcome)?"""
    return _role_cached(lower(text), hit.start, hit.end, title, NOT_GIVEN) is None


@lru_cache(maxsize=8192)     # bounded: a backfill would otherwise keep every sentence
def _role_cached(text: str, start: int, end: int, title: bool,
                 only: frozenset[str] | None = None) -> str | None:
    marked = f"{text[:start]}{_MARK}{text[end:]}"
    for role, (pattern, in_title) in rules().roles.items():
        if only is not None and role not in only or title and not in_title:
            continue
        if pattern.possible(marked) and pattern.regex.search(marked):
            return role
    if only is not None and "listed" not in only:
        return None
    return "listed" if _listed(marked, start) else None


def _listed(marked: str, at: int) -> bool:
    """Is the mention one short item of a list with enough items that are not ours?"""
    pieces = _item_pieces(marked)
    mine = max(i for i, (start, _) in enumerate(pieces) if start <= at)
    if not _short(pieces[mine][1]):
        return False
    others = 0
    for step in (-1, 1):
        i = mine + step
        while 0 <= i < len(pieces) and _short(pieces[i][1]):
            others += not _OURS.search(pieces[i][1])
            i += step
    return others >= rules().min_other_items


def _item_pieces(text: str) -> list[tuple[int, str]]:
    """(offset, text) of the pieces between separators, the whitespace around each
    separator dropped."""
    pieces, pos = [], 0
    for m in _ITEM_SEPARATOR.finditer(text):
        start, end = m.span()     # (never inside the whitespace taken after the last one)
        while start > pos and text[start - 1].isspace():
            start -= 1
        while end < len(text) and text[end].isspace():
            end += 1
        pieces.append((pos, text[pos:start]))
        pos = end
    pieces.append((pos, text[pos:]))
    return pieces


def _short(item: str) -> bool:
    words = item.strip(" .()").split()
    return 0 < len(words) <= rules().max_item_words
