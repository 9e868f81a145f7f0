"""Speed: an alternation of phrases written as a trie of their leading literals.

`re` tries the alternatives of an alternation one by one at every word start: one
opening with a literal costs a comparison there, one opening with a group a
backtracking push, and a taxonomy has hundreds.  `trie_alternation` writes the same
alternation as a trie: "de(?:pr...|li...)" is only tried where the text says "de".
It is the same pattern to `re`, alternative for alternative:

- a leading group or class is distributed over what follows it: `(?:x|y)R` is
  `xR|yR`, `(?:x)?R` is `xR|R` (greedy `?` tries x first), `[ab]R` is `aR|bR`;
- alternatives are grouped by their first character, and an alternative only moves
  past others that cannot start with the same character (an opening `\\w` or a
  group too large to distribute is "opaque": it can start with what its first
  characters allow, all of them when that is not known); alternatives that start
  differently never match at the same place;

so at every position the alternatives that can match there are tried in their
original order and the first one to match (with everything after it) wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from litwatch.classify.regex_index import first_chars

_META = frozenset(".^$*+?{}[]\\|()")
# Named groups, backreferences and conditionals cannot be copied into alternatives.
_NOT_COPIED = re.compile(r"\(\?P[<=]|\(\?\(|\\\d")
# A capturing group (or what looks like one, "[(]" too: then the pattern is kept).
_CAPTURING = re.compile(r"(?<!\\)\((?!\?)|\(\?P<")
_EXPANSIONS = 48            # at most this many alternatives from one phrase
_HEAD = 1                   # distribute groups until a head has this many characters

# (literal head, rest of the pattern, the group that ends the alternative, the first
# characters the rest can start with when the head is empty; None: any)
_Item = tuple[str, str, str, frozenset[str] | None]


def trie_alternation(phrases: list[tuple[str, str]]) -> tuple[str, dict[str, str]]:
    """`(?:p)(?P<name>)|...` for (pattern, group name) pairs, as a trie of literals;
    and the name of each group it ends an alternative with -> the phrase's name (a
    phrase taken apart ends each of its alternatives with a group of its own)."""
    items: list[_Item] = []
    names: dict[str, str] = {}
    for pattern, name in phrases:
        expanded = _expand(pattern, _EXPANSIONS)
        for k, (head, rest) in enumerate(expanded):
            group = name if len(expanded) == 1 else f"{name}y{k}"
            names[group] = name
            items.append((head, rest, f"(?P<{group}>)", None if head else first_chars(rest)))
    return _emit(items), names


def trie_pattern(pattern: str) -> str:
    """A hand-written alternation written as a trie, the same pattern to `re` (a
    leading `\\b` every alternative shares is taken out first).  Unchanged when it
    has capturing groups: distributing would renumber them.  Not for re.IGNORECASE
    patterns: there "a" and "A" start alike, and grouping by character would not."""
    if _CAPTURING.search(pattern):
        return pattern
    branches = _top_level_split(pattern)
    lead = ""
    if all(b.startswith(r"\b") for b in branches):
        lead, branches = r"\b", [b[2:] for b in branches]
    items: list[_Item] = [(head, rest, "", None if head else first_chars(rest))
                          for b in branches for head, rest in _expand(b, _EXPANSIONS)]
    return f"{lead}(?:{_emit(items)})"


def _emit(items: list[_Item]) -> str:
    """Runs of alternatives by first character, and opaque alternatives between them."""
    segments: list[dict[str, list[_Item]] | _Item] = []
    for item in items:
        head = item[0]
        if not head:
            segments.append(item)
            continue
        char = head[0]
        at = _after_conflicts(segments, char)
        run = next((s for s in segments[at:] if isinstance(s, dict)), None)
        if run is None:
            run = {}
            segments.append(run)
        rest_head = head[1:]
        run.setdefault(char, []).append(
            (rest_head, item[1], item[2], None if rest_head else first_chars(item[1])))
    parts: list[str] = []
    for segment in segments:
        if isinstance(segment, dict):
            parts += _run(segment)
        else:
            parts.append(_leaf("", segment[1], segment[2]))
    return "|".join(parts)


def _after_conflicts(segments: list, char: str) -> int:  # type: ignore[type-arg]
    """Index of the last segment holding an alternative that can start with `char`."""
    for i in range(len(segments) - 1, -1, -1):
        segment = segments[i]
        if isinstance(segment, dict):
            if char in segment:
                return i
        elif segment[3] is None or char in segment[3]:
            return i
    return 0


def _run(run: dict[str, list[_Item]]) -> list[str]:
    out = []
    for char, group in run.items():
        if len(group) == 1:
            head, rest, marker, _ = group[0]
            out.append(_leaf(char + head, rest, marker))
        else:
            out.append(f"{re.escape(char)}(?:{_emit(group)})")
    return out


def _leaf(head: str, rest: str, marker: str) -> str:
    return f"{re.escape(head)}{f'(?:{rest})' if '|' in rest else rest}{marker}"


def _expand(pattern: str, budget: int, deep: bool = True) -> list[tuple[str, str]]:
    """(leading literal, rest of the pattern) alternatives matching what `pattern` does,
    in the order `re` tries them; [("", pattern)] when nothing can be taken apart.
    Not `deep`: leading literals only, no group distributed."""
    if _NOT_COPIED.search(pattern):
        return [("", pattern)]          # copies would clash or refer to the wrong group
    branches = _top_level_split(pattern)
    if len(branches) > 1:
        return _expand_all(branches, budget, deep) or [("", f"(?:{pattern})")]
    literal: list[str] = []
    i = 0
    while i < len(pattern):
        atom, quant, end = _atom(pattern, i)
        if atom is None:
            break
        if quant == "" and len(atom) == 1 and atom not in _META:
            literal.append(atom)
        elif quant == "" and len(atom) == 2 and atom[0] == "\\" and not atom[1].isalnum():
            literal.append(atom[1])
        else:
            # Distributing a group copies what follows it: only done until the
            # alternative has a head to be told apart by (compiling stays cheap).
            options = _options(atom, quant) if deep and len(literal) < _HEAD else None
            if options is None:
                break
            rest = pattern[end:]
            out = (_expand_all([o + rest for o in options], budget, True)
                   or _expand_all([o + rest for o in options], budget, False))
            if out is None:
                break
            head = "".join(literal)
            return [(head + lit, r) for lit, r in out]
        i = end
    return [("".join(literal), pattern[i:])]


def _expand_all(patterns: list[str], budget: int, deep: bool) -> list[tuple[str, str]] | None:
    out: list[tuple[str, str]] = []
    for p in patterns:
        if len(out) >= budget:
            return None
        out += _expand(p, budget - len(out), deep)
    return out if len(out) <= budget else None


def _options(atom: str, quant: str) -> list[str] | None:
    """What a leading atom may be replaced by, alternatives in `re`'s order."""
    if quant == "?":
        return [atom, ""]                        # greedy: with it first, then without
    if quant:
        return None
    if atom.startswith("(?:") and atom.endswith(")"):
        return _top_level_split(atom[3:-1])
    if atom.startswith("[") and atom.endswith("]"):
        chars = atom[1:-1]
        if chars and chars[0] != "^" and not _META & set(chars) and "-" not in chars[1:-1]:
            return [re.escape(c) for c in dict.fromkeys(chars)]
    return None


def _top_level_split(body: str) -> list[str]:
    pieces, start = [], 0
    for i, c, depth in _structure(body):
        if i < 0:
            return [body]                  # an unterminated class: leave it whole
        if c == "|" and depth == 0:
            pieces.append(body[start:i])
            start = i + 1
    return [*pieces, body[start:]]


def case_sensitive_gate(phrases: list[str], marker: str = "(?-i:") -> re.Pattern[str] | None:
    """What every case-sensitive phrase needs: its own `(?-i:...)` part, when that is
    not optional (the part alone, case-sensitive, must then occur in the text)."""
    parts = []
    for p in phrases:
        part = next((atom for atom, quant in top_level_atoms(p)
                     if atom.startswith(marker) and not quant), None)
        if part is None:
            return None
        parts.append(f"(?:{part[len(marker):-1]})")
    return re.compile("|".join(dict.fromkeys(parts))) if parts else None


def top_level_atoms(pattern: str) -> list[tuple[str, str]]:
    """(atom, quantifier) of the pattern's top level, as far as they can be read."""
    out, i = [], 0
    while i < len(pattern):
        atom, quant, i = _atom(pattern, i)
        if atom is None:
            break
        out.append((atom, quant))
    return out


def _atom(p: str, i: int) -> tuple[str | None, str, int]:
    """The atom at p[i] (a character, an escape, a class or a group), its quantifier
    and where they end; None for what is not taken apart (anchors, bars)."""
    c = p[i]
    if c in "|)^$*+?{}":
        return None, "", i
    if c == "\\":
        if i + 1 >= len(p) or p[i + 1].isdigit() or p[i + 1] in "xuUNg":
            return None, "", i                    # backrefs, numeric escapes
        end = i + 2
    elif c == "[":
        end = _class_end(p, i)
    elif c == "(":
        end = _group_end(p, i)
    else:
        end = i + 1
    if end < 0:
        return None, "", i
    q = end
    if q < len(p) and p[q] in "?*+":
        q += 1
        if q < len(p) and p[q] in "?+":
            q += 1
    elif q < len(p) and p[q] == "{":
        close = p.find("}", q)
        if close < 0:
            return None, "", i
        q = close + 1
    return p[i:end], p[end:q], q


def _class_end(p: str, i: int) -> int:
    j = i + 1
    if j < len(p) and p[j] == "^":
        j += 1
    if j < len(p) and p[j] == "]":
        j += 1
    while j < len(p) and p[j] != "]":
        j += 2 if p[j] == "\\" else 1
    return j + 1 if j < len(p) else -1


def _group_end(p: str, i: int) -> int:
    for j, _, depth in _structure(p, i):
        if j < 0:
            return -1
        if depth == 0:
            return j + 1
    return -1


def _structure(p: str, i: int = 0) -> Iterator[tuple[int, str, int]]:
    """(position, character, group depth after it) of each character of `p` from `i`
    that is neither escaped nor inside a character class; (-1, "", depth) and no more
    at a class that does not end."""
    depth, j = 0, i
    while j < len(p):
        c = p[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            j = _class_end(p, j)
            if j < 0:
                yield -1, "", depth
                return
            continue
        depth += c == "("
        depth -= c == ")"
        yield j, c, depth
        j += 1
