"""The claims check: the seed articles' claims held against the stored records.

claims.toml (model) -> evidence per claim (evidence, citation) -> suggested
verdict (verdict) -> text / JSON / HTML (render); watch feeds the digest.
"""

from litwatch.claims.check import ClaimReport, check_claim, check_claims
from litwatch.claims.model import VERDICTS, Claim, ClaimsError, default_claims_path, load_claims

__all__ = ["VERDICTS", "Claim", "ClaimReport", "ClaimsError", "check_claim", "check_claims",
           "default_claims_path", "load_claims"]
