"""Leaf types of the config package: the error, the watch-list records, suggestions.

Nothing here imports from litwatch.config, so the declarations, the value kinds
and the settings dataclasses can all use it without import cycles.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from litwatch.errors import ConfigError  # noqa: F401  (defined with every error; re-exported)


@dataclass(frozen=True)
class IndicationQuery:
    name: str
    labels: tuple[str, ...]
    pubmed: str
    ctgov: str


@dataclass(frozen=True)
class Feed:
    name: str
    url: str


def suggestion(name: str, candidates: Iterable[str], template: str = "{}") -> str:
    """' — did you mean X?' for the nearest candidate, else the list of known names.

    Typos are the common case (emial, pubmd), so the nearest valid name is what the
    operator needs; the full list is the fallback when nothing is close.
    """
    options = sorted(set(candidates))
    close = difflib.get_close_matches(name, options, n=1, cutoff=0.6)
    if close:
        return f" — did you mean {template.format(close[0])}?"
    return f" (known: {', '.join(options)})" if options else ""
