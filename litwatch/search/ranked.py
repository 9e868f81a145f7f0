"""What a backend returns: record ids in rank order, with marked-up text.

Matches are wrapped in control characters that cannot occur in stored text;
each output format turns them into its own highlighting (rich styles, `**`).
"""

from __future__ import annotations

from dataclasses import dataclass

MARK_OPEN = "\x02"
MARK_CLOSE = "\x03"


@dataclass
class Ranked:
    record_id: int
    score: float | None = None
    title_marked: str | None = None
    snippet: str | None = None


def strip_marks(text: str) -> str:
    return text.replace(MARK_OPEN, "").replace(MARK_CLOSE, "")


def marks_to(text: str, open_: str, close: str) -> str:
    return text.replace(MARK_OPEN, open_).replace(MARK_CLOSE, close)
