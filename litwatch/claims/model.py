"""claims.toml: the articles' claims, what each implies, optional search refinements.

Loading validates everything a typo could break silently: unknown table keys,
label keys that are not in litwatch.vocab, verdicts outside VERDICTS, duplicate
ids.  Every error names the claim id and the offending key, because a claims
file grows by hand and a silent "no evidence" would look like a real verdict.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from litwatch import vocab
from litwatch.claims.validate import bool_of, labels_of, no_unknown, string_of, strings_of
from litwatch.errors import ClaimsError

VERDICTS = ("supported", "partly supported", "not found as cited", "contradicted",
            "not enough evidence")

# Which vocabulary each label-valued key must come from.
_VOCABS: dict[str, dict[str, str]] = {
    "indications": vocab.INDICATIONS, "routes": vocab.ROUTES,
    "drugs": vocab.DRUGS, "designs": vocab.DESIGNS,
}
_CLAIM_KEYS = {"id", "seed", "seeds", "article", "articles", "quote", "claim", "implies",
               "search", "absolute", "reviewer"}
_IMPLIES_KEYS = {"indications", "routes", "drugs", "designs", "journal", "year",
                 "institution", "effect", "time_frame", "note", "kind", "direction",
                 "concepts", "population", "comparative", "versus", "trial", "condition",
                 "study"}
KINDS = ("citation", "number", "onset", "duration", "efficacy", "safety", "mechanism",
         "regulatory", "practice")
# What a supporting finding must show: a benefit, no benefit (a null result), a harm
# that is absent / passes / exists, that something is not yet known, a mechanism or
# status, a recommendation.
DIRECTIONS = ("benefit", "no_benefit", "no_harm", "transient", "harm", "uncertain", "affirm",
              "recommend")
MAX_QUOTE_WORDS = 20
_SEARCH_KEYS = {"terms"}
_REVIEWER_KEYS = {"verdict", "note", "reviewer", "date"}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class Implies:
    indications: tuple[str, ...] = ()
    routes: tuple[str, ...] = ()
    drugs: tuple[str, ...] = ()
    designs: tuple[str, ...] = ()
    journal: str = ""
    year: int | None = None
    institution: str = ""
    effect: str = ""
    time_frame: str = ""
    note: str = ""
    kind: str = "efficacy"
    direction: str = "benefit"
    concepts: tuple[str, ...] = ()     # lexicon.toml concept keys (glutamate, addiction ...)
    population: tuple[str, ...] = ()   # lexicon.toml population keys (veterans ...)
    absolute: bool = False             # stated as a universal ("non-addictive", "a cure")
    possible: bool = False             # said to be possible ("can cause", "in some people")
    comparative: bool = False          # the combination beats the drug alone
    versus: str = ""                   # a comparator the claim measures it against ("ect")
    trial: str = ""                    # a trial cited by name ("ESCAPE-TRD", "TRANSFORM-2")
    condition: str = ""                # a condition with no key of its own ("rett syndrome")
    study: str = ""                    # one study described, not named ("a pilot study")

    @property
    def cites(self) -> bool:
        return bool(self.journal or self.year or self.institution or self.trial or self.study)


@dataclass(frozen=True)
class Search:
    """An optional refinement: extra full-text phrases that find candidate records
    (a trailing * is a prefix).  What counts as evidence is still decided by reading."""

    terms: tuple[str, ...] = ()


@dataclass(frozen=True)
class Reviewer:
    verdict: str
    note: str = ""
    reviewer: str = ""
    date: str = ""


@dataclass(frozen=True)
class Claim:
    id: str
    seeds: tuple[str, ...]      # the articles that make the claim, by title (seeds.toml)
    claim: str
    implies: Implies = field(default_factory=Implies)
    search: Search = field(default_factory=Search)
    absolute: bool = False     # "non-addictive", "a cure": one solid counter-record refutes it
    reviewer: Reviewer | None = None
    quote: str = ""            # a short locating quote (at most MAX_QUOTE_WORDS words)

    @property
    def seed(self) -> str:
        return self.seeds[0]


def load_claims(path: Path, seeds_dir: Path | None = None) -> list[Claim]:
    """Read and validate claims.toml; with `seeds_dir`, every seed file must exist there."""
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ClaimsError(f"claims file not found: {path}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ClaimsError(f"{path}: not valid TOML: {exc}") from None
    return parse_claims(raw, seeds_dir)


def parse_claims(raw: dict[str, Any], seeds_dir: Path | None = None) -> list[Claim]:
    unknown = set(raw) - {"claims"}
    if unknown:
        raise ClaimsError(f"unknown top-level key(s): {', '.join(sorted(unknown))}")
    claims: list[Claim] = []
    seen: set[str] = set()
    for index, table in enumerate(raw.get("claims", [])):
        claim = _claim(table, index)
        if claim.id in seen:
            raise ClaimsError(f"claim {claim.id}: duplicate id")
        seen.add(claim.id)
        if seeds_dir is not None:
            _check_seeds(claim, seeds_dir)
        claims.append(claim)
    return claims


def _check_seeds(claim: Claim, seeds_dir: Path) -> None:
    from litwatch.claims.seeds import find
    for title in claim.seeds:
        article = find(title)
        if article is None or not (seeds_dir / article.file).is_file():
            raise ClaimsError(f"claim {claim.id}: key 'articles': no article {title!r} "
                              f"in seeds.toml with its text in {seeds_dir}")


def _claim(table: dict[str, Any], index: int) -> Claim:
    cid = table.get("id")
    if not isinstance(cid, str) or not _ID.match(cid):
        raise ClaimsError(f"claim #{index + 1}: key 'id' must be lowercase letters, digits "
                          f"and dashes, got {cid!r}")
    no_unknown(cid, "", table, _CLAIM_KEYS)
    text = table.get("claim")
    if not isinstance(text, str) or not text.strip():
        raise ClaimsError(f"claim {cid}: key 'claim' must be a non-empty string")
    text = " ".join(text.split())
    implies = _implies(cid, text, table.get("implies", {}))
    if "absolute" in table:     # a reviewer's word on absoluteness wins over the cue words
        implies = replace(implies, absolute=bool_of(cid, "absolute", table["absolute"]))
    return Claim(
        id=cid, seeds=_articles(cid, table), claim=text, implies=implies,
        search=_search(cid, table.get("search", {})),
        absolute=implies.absolute,
        reviewer=_reviewer(cid, table["reviewer"]) if "reviewer" in table else None,
        quote=_quote(cid, table.get("quote", "")),
    )


def _articles(cid: str, table: dict[str, Any]) -> tuple[str, ...]:
    # A claim several articles make is kept once, listing them all, so it gets one
    # verdict.  Articles are named by title; old files name seed files (translated).
    from litwatch.claims.seeds import title_of
    given = [k for k in ("article", "articles", "seed", "seeds") if k in table]
    if len(given) > 1:
        raise ClaimsError(f"claim {cid}: give one of 'article' or 'articles', not "
                          f"{' and '.join(repr(k) for k in given)}")
    if not given:
        raise ClaimsError(f"claim {cid}: key 'article' is required (the article's title)")
    value = table[given[0]]
    names = strings_of(cid, given[0], value if isinstance(value, list) else [value])
    if not names:
        raise ClaimsError(f"claim {cid}: key {given[0]!r} names no article")
    return tuple(title_of(n) for n in names)


def _quote(cid: str, value: Any) -> str:
    quote = " ".join(string_of(cid, "quote", value).split())
    if len(quote.split()) > MAX_QUOTE_WORDS:
        raise ClaimsError(f"claim {cid}: key 'quote' has {len(quote.split())} words; a "
                          f"locating quote keeps to {MAX_QUOTE_WORDS} (paraphrase the rest)")
    return quote


def _implies(cid: str, text: str, t: dict[str, Any]) -> Implies:
    """What the text implies (intake), with the reviewed keys of [implies] winning."""
    from litwatch.claims import lexicon
    from litwatch.claims.intake import derive
    no_unknown(cid, "implies.", t, _IMPLIES_KEYS)
    year = t.get("year")
    if year is not None and (not isinstance(year, int) or not 1900 < year < 2100):
        raise ClaimsError(f"claim {cid}: key 'implies.year' must be a year, got {year!r}")
    given: dict[str, Any] = {"year": year} if "year" in t else {}
    allowed: dict[str, Mapping[str, object]] = dict(
        _VOCABS, concepts=dict.fromkeys(lexicon.concepts()),
        population=dict.fromkeys(lexicon.populations()))
    given.update({k: labels_of(cid, f"implies.{k}", t[k], allowed[k]) for k in allowed if k in t})
    given.update({k: string_of(cid, f"implies.{k}", t[k]) for k in
                  ("journal", "institution", "effect", "time_frame", "note", "versus",
                   "trial", "condition", "study")
                  if k in t})
    for key, choices in (("kind", KINDS), ("direction", DIRECTIONS)):
        if key in t and t[key] not in choices:
            raise ClaimsError(f"claim {cid}: key 'implies.{key}': {t[key]!r} is not one of "
                              f"{', '.join(choices)}")
        if key in t:
            given[key] = t[key]
    if "comparative" in t:
        given["comparative"] = bool_of(cid, "implies.comparative", t["comparative"])
    return replace(derive(text), **given)


def _search(cid: str, t: dict[str, Any]) -> Search:
    no_unknown(cid, "search.", t, _SEARCH_KEYS)
    terms = strings_of(cid, "search.terms", t.get("terms", []))
    if any(not term.strip("* ") for term in terms):
        raise ClaimsError(f"claim {cid}: key 'search.terms' has an empty phrase")
    return Search(terms)


def _reviewer(cid: str, t: dict[str, Any]) -> Reviewer:
    no_unknown(cid, "reviewer.", t, _REVIEWER_KEYS)
    verdict = t.get("verdict")
    if verdict not in VERDICTS:
        raise ClaimsError(f"claim {cid}: key 'reviewer.verdict': {verdict!r} is not one of "
                          f"{', '.join(VERDICTS)}")
    return Reviewer(verdict, *(string_of(cid, f"reviewer.{k}", t.get(k, ""))
                               for k in ("note", "reviewer", "date")))


def default_claims_path(config_path: Path | None = None) -> Path:
    """claims.toml beside the config file, else the packaged copy, else the checkout's."""
    import litwatch
    package = Path(litwatch.__file__).resolve().parent
    candidates = [config_path.resolve().parent / "claims.toml"] if config_path else []
    candidates += [package / "claims.toml", package.parent / "claims.toml"]
    return next((p for p in candidates if p.is_file()), candidates[-1])
