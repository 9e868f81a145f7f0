"""The claims check: popular articles' claims held against the stored records.

claims.toml (model; what each claim implies: intake) -> assertions -> candidate
records and their sentences (records, reading) -> evidence summary (summary,
citation) -> verdict by the rule table (rules) -> text / JSON / HTML (render);
extract finds checkable claims in an article; watch feeds the digest.

Names are imported on first use: `litwatch --help` and the other commands never
pay for the claims machinery.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "VERDICTS": "litwatch.claims.model", "Claim": "litwatch.claims.model",
    "ClaimsError": "litwatch.claims.model", "default_claims_path": "litwatch.claims.model",
    "load_claims": "litwatch.claims.model", "parse_claims": "litwatch.claims.model",
    "ClaimReport": "litwatch.claims.engine", "check_claim": "litwatch.claims.engine",
    "check_claims": "litwatch.claims.engine", "check_text": "litwatch.claims.engine",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'litwatch.claims' has no attribute {name!r}")
    return getattr(import_module(_EXPORTS[name]), name)
