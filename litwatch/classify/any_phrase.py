"""Any of a list of lower-case phrases, matched on word boundaries (AnyPhrase).

For cue lists that only ask "is one of these here, and where" (design cues, drug and
route anchors): one alternation written as a trie (phrase_trie), gated on the literals
its phrases need (regex_index.LiteralGate), searched in the lower-cased text; matches
carry the text's own spelling.
"""

from __future__ import annotations

from dataclasses import dataclass

from litwatch.classify.taxonomy import compile_trie, gate_passes, lower, phrase_gate


@dataclass(frozen=True, slots=True)
class Found:
    """A phrase found in a text, with the text's own spelling (not the lower-cased copy)."""

    begin: int
    finish: int
    text: str

    def start(self) -> int:
        return self.begin

    def end(self) -> int:
        return self.finish

    def span(self) -> tuple[int, int]:
        return self.begin, self.finish

    def group(self, _: int = 0) -> str:
        return self.text


class AnyPhrase:
    """Any of a list of lower-case phrases, searched in lower-cased text."""

    def __init__(self, phrases: list[str]):
        self.regex = compile_trie([("p", list(phrases))])[0]
        self.gate = phrase_gate(list(phrases))

    def search(self, text: str) -> Found | None:
        low = lower(text)
        m = self.regex.search(low) if gate_passes(self.gate, low) else None
        return Found(m.start(), m.end(), text[m.start():m.end()]) if m else None

    def finditer(self, text: str) -> list[Found]:
        low = lower(text)
        if not gate_passes(self.gate, low):
            return []
        return [Found(m.start(), m.end(), text[m.start():m.end()])
                for m in self.regex.finditer(low)]

    def count(self, text: str) -> int:
        low = lower(text)
        return sum(1 for _ in self.regex.finditer(low)) if gate_passes(self.gate, low) else 0


def compile_any(phrases: list[str]) -> AnyPhrase:
    """A matcher for any of `phrases` on word boundaries (match text is lower case)."""
    return AnyPhrase(phrases)
