"""Check claims against the store (kept as the historical entry point: see engine.py)."""

from litwatch.claims.engine import ClaimReport, PartReport, check_claim, check_claims, check_text

__all__ = ["ClaimReport", "PartReport", "check_claim", "check_claims", "check_text"]
