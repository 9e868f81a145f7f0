"""The indication taxonomy, compiled once per process (taxonomies/indications.toml).

Its phrases as one scanner, its MeSH terms (strong and weak), the `beside` entries of
generic keys ("mdd" beside "trd": the points it needs of its own) and the configured
queries' keys.  Read by the indication classifier and by the digest's placing of
records under conditions.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from litwatch.classify.taxonomy import PhraseScanner, build_scanner, keyed_sections, load
from litwatch.vocab import INDICATIONS


@dataclass(frozen=True)
class IndicationRules:
    scanner: PhraseScanner
    mesh: dict[str, str]
    weak_mesh: dict[str, str]
    # key -> {more specific key: (points needed, words that spell the key out)}
    beside: dict[str, dict[str, tuple[float, tuple[str, ...]]]]
    queries: dict[str, str]


@cache
def rules() -> IndicationRules:
    data = load("indications")
    sections = keyed_sections(data, exclude=("queries",))
    unknown = {k for key in sections for k in key.split("+")} - set(INDICATIONS)
    if unknown:
        raise ValueError(f"indications.toml: keys not in vocab.INDICATIONS: {sorted(unknown)}")
    return IndicationRules(
        scanner=build_scanner(data, exclude=("queries",)),
        mesh={t.lower(): k for k, s in sections.items() for t in s.get("mesh", [])},
        weak_mesh={t.lower(): k for k, s in sections.items() for t in s.get("weak_mesh", [])},
        beside={k: {other: (float(spec["points"]), tuple(spec["words"]))
                    for other, spec in s.get("beside", {}).items()}
                for k, s in sections.items()},
        queries=dict(data.get("queries", {})),
    )
