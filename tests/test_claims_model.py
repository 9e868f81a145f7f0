"""claims.toml: every seed has claims, every claim names real seeds, typos are caught."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from litwatch.claims.model import ClaimsError, load_claims, parse_claims
from tests.test_claims_helpers import SEED

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
CLAIMS = REPO / "claims.toml"


def test_every_claim_names_existing_seeds_and_every_seed_has_claims() -> None:
    claims = load_claims(CLAIMS, seeds_dir=SEEDS)   # raises if a seed file is missing
    assert len(claims) >= 15
    named = {seed for c in claims for seed in c.seeds}
    assert named == {p.name for p in SEEDS.glob("*.txt")}
    for c in claims:
        assert c.claim and (c.search.terms or c.search.indications), c.id


def test_the_issue_examples_are_all_claims() -> None:
    ids = {c.id for c in load_claims(CLAIMS)}
    for expected in ("trd-24h-50pct-ajp-2019", "yale-reverses-depression-in-hours",
                     "esketamine-spray-fda-suicide-risk", "anxiety-ptsd-jama-psychiatry-2020",
                     "fibromyalgia-crps-neuropathy", "non-addictive-minimal-side-effects",
                     "routes-iv-lozenge-im"):
        assert expected in ids


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower())


def test_claims_are_paraphrased_not_copied() -> None:
    # No run of eight words of a claim appears verbatim in the seed it paraphrases.
    for c in load_claims(CLAIMS):
        words = _words(c.claim)
        for seed in c.seeds:
            source = " ".join(_words((SEEDS / seed).read_text(encoding="utf-8")))
            for i in range(len(words) - 7):
                run = " ".join(words[i:i + 8])
                assert run not in source, f"{c.id} copies {run!r} from {seed}"


@pytest.mark.parametrize("table, message", [
    ({"implies": {"indications": ["depression"]}}, "implies.indications': unknown value "
                                                     "'depression'"),
    ({"search": {"routes": ["nasal"]}}, "search.routes': unknown value 'nasal'"),
    ({"search": {"designs": ["rtc"]}}, "search.designs': unknown value 'rtc'"),
    ({"reviewer": {"verdict": "true"}}, "reviewer.verdict': 'true' is not one of"),
    ({"implies": {"jurnal": "JAMA"}}, "unknown key 'implies.jurnal'"),
    ({"counter": {"terms": "relapse"}}, "counter.terms' must be a list"),
    ({"implies": {"year": "2019"}}, "implies.year' must be a year"),
    ({"absolute": "yes"}, "'absolute' must be true or false"),
])
def test_validation_errors_name_the_claim_and_key(table: dict, message: str) -> None:
    base = {"id": "bad-claim", "seed": SEED, "claim": "x"} | table
    with pytest.raises(ClaimsError) as err:
        parse_claims({"claims": [base]})
    assert "claim bad-claim" in str(err.value) and message in str(err.value)


def test_missing_seed_file_and_duplicate_ids_are_errors(tmp_path: Path) -> None:
    with pytest.raises(ClaimsError, match="claim a: key 'seeds': no seed file 'nope.txt'"):
        parse_claims({"claims": [{"id": "a", "seed": "nope.txt", "claim": "x"}]},
                     seeds_dir=SEEDS)
    dup = {"id": "a", "seed": SEED, "claim": "x"}
    with pytest.raises(ClaimsError, match="claim a: duplicate id"):
        parse_claims({"claims": [dup, dup]})
    bad = tmp_path / "claims.toml"
    bad.write_text("[[claims]]\nid = 'a'\nclaim = \n", encoding="utf-8")
    with pytest.raises(ClaimsError, match="not valid TOML"):
        load_claims(bad)


def test_several_seeds_and_term_groups_parse() -> None:
    c = parse_claims({"claims": [{
        "id": "multi", "seeds": [SEED, "000_2a5eb6bd3307ab11.txt"], "claim": "x",
        "search": {"terms": ["relapse", ["single", "infusion*"]], "facets": {"t": ["24 h"]}},
        "reviewer": {"verdict": "supported", "note": "ok"}}]})[0]
    assert c.seed == SEED and len(c.seeds) == 2
    assert [q.phrases for q in c.search.terms] == [("relapse",), ("single", "infusion*")]
    assert c.reviewer is not None and c.reviewer.verdict == "supported"
