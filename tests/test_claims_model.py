"""claims.toml: every article has claims, named by title; quotes locate; typos are caught."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from litwatch.claims.model import MAX_QUOTE_WORDS, ClaimsError, load_claims, parse_claims
from litwatch.claims.seeds import catalogue
from tests.test_claims_helpers import ARTICLE, SEED_FILE

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
CLAIMS = REPO / "claims.toml"


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))


def test_claims_cover_every_article_by_title() -> None:
    claims = load_claims(CLAIMS, seeds_dir=SEEDS)   # raises if an article is unknown
    assert len(claims) >= 60
    named = {title for c in claims for title in c.seeds}
    assert named == {a.title for a in catalogue()}
    assert not any(name.endswith(".txt") for name in named)


def test_every_quote_is_short_and_found_in_its_article() -> None:
    for c in load_claims(CLAIMS):
        assert c.quote and len(c.quote.split()) <= MAX_QUOTE_WORDS, c.id
        article = next(a for a in catalogue() if a.title == c.seeds[0])
        text = " ".join(_words((SEEDS / article.file).read_text(encoding="utf-8")))
        assert " ".join(_words(c.quote)) in text, f"{c.id}: quote not in {article.title}"


def test_claims_are_paraphrased_not_copied() -> None:
    # No run of eight words of a claim appears verbatim in its article.
    for c in load_claims(CLAIMS):
        words = _words(c.claim)
        article = next(a for a in catalogue() if a.title == c.seeds[0])
        source = " ".join(_words((SEEDS / article.file).read_text(encoding="utf-8")))
        for i in range(len(words) - 7):
            run = " ".join(words[i:i + 8])
            assert run not in source, f"{c.id} copies {run!r}"


def test_what_a_claim_implies_is_derived_and_reviewed_keys_win() -> None:
    c = parse_claims({"claims": [{
        "id": "a", "article": ARTICLE, "claim": "Ketamine infusions relieve PTSD in veterans.",
        "implies": {"indications": ["ptsd", "anxiety"]}}]})[0]
    assert c.implies.routes == ("intravenous",) and c.implies.population == ("veterans",)
    assert c.implies.indications == ("ptsd", "anxiety")      # the reviewer's list wins


@pytest.mark.parametrize("table, message", [
    ({"implies": {"indications": ["depression"]}}, "implies.indications': unknown value "
                                                     "'depression'"),
    ({"implies": {"concepts": ["glutamine"]}}, "implies.concepts': unknown value 'glutamine'"),
    ({"implies": {"kind": "anecdote"}}, "implies.kind': 'anecdote' is not one of"),
    ({"search": {"routes": ["nasal"]}}, "unknown key 'search.routes'"),
    ({"search": {"terms": ["*"]}}, "search.terms' has an empty phrase"),
    ({"reviewer": {"verdict": "true"}}, "reviewer.verdict': 'true' is not one of"),
    ({"implies": {"jurnal": "JAMA"}}, "unknown key 'implies.jurnal'"),
    ({"implies": {"year": "2019"}}, "implies.year' must be a year"),
    ({"absolute": "yes"}, "'absolute' must be true or false"),
    ({"quote": " ".join(["word"] * 21)}, "'quote' has 21 words"),
])
def test_validation_errors_name_the_claim_and_key(table: dict, message: str) -> None:
    base = {"id": "bad-claim", "article": ARTICLE, "claim": "x"} | table
    with pytest.raises(ClaimsError) as err:
        parse_claims({"claims": [base]})
    assert "claim bad-claim" in str(err.value) and message in str(err.value)


def test_unknown_article_duplicate_ids_and_bad_toml_are_errors(tmp_path: Path) -> None:
    with pytest.raises(ClaimsError, match="claim a: key 'articles': no article 'Nope'"):
        parse_claims({"claims": [{"id": "a", "article": "Nope", "claim": "x"}]},
                     seeds_dir=SEEDS)
    dup = {"id": "a", "article": ARTICLE, "claim": "x"}
    with pytest.raises(ClaimsError, match="claim a: duplicate id"):
        parse_claims({"claims": [dup, dup]})
    bad = tmp_path / "claims.toml"
    bad.write_text("[[claims]]\nid = 'a'\nclaim = \n", encoding="utf-8")
    with pytest.raises(ClaimsError, match="not valid TOML"):
        load_claims(bad)


def test_old_files_naming_seed_files_are_read_by_title() -> None:
    c = parse_claims({"claims": [{"id": "a", "seeds": [SEED_FILE], "claim": "x"}]})[0]
    assert c.seeds == (ARTICLE,)
