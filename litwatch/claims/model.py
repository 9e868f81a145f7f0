"""claims.toml: the seed articles' claims, what they imply and how to find evidence.

Loading validates everything a typo could break silently: unknown table keys,
label keys that are not in litwatch.vocab, verdicts outside VERDICTS, duplicate
ids.  Every error names the claim id and the offending key, because a claims
file grows by hand and a silent "no evidence" would look like a real verdict.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from litwatch import vocab

VERDICTS = ("supported", "partly supported", "not found as cited", "contradicted",
            "not enough evidence")

# Which vocabulary each label-valued key must come from.
_VOCABS: dict[str, dict[str, str]] = {
    "indications": vocab.INDICATIONS, "routes": vocab.ROUTES,
    "drugs": vocab.DRUGS, "designs": vocab.DESIGNS,
}
_CLAIM_KEYS = {"id", "seed", "seeds", "claim", "implies", "search", "counter", "qualifier",
               "absolute", "reviewer"}
_IMPLIES_KEYS = {"indications", "routes", "drugs", "designs", "journal", "year",
                 "institution", "effect", "time_frame", "note"}
_SEARCH_KEYS = {"terms", "indications", "routes", "drugs", "designs", "facets"}
_COUNTER_KEYS = {"terms", "indications", "reason"}
_REVIEWER_KEYS = {"verdict", "note", "reviewer", "date"}
_ID = re.compile(r"^[a-z0-9][a-z0-9-]*$")


class ClaimsError(ValueError):
    """claims.toml is malformed; the message names the claim id and the key."""


@dataclass(frozen=True)
class TermQuery:
    """Phrases that must all occur in a record (AND); a trailing * makes a prefix."""

    phrases: tuple[str, ...]

    def __str__(self) -> str:
        return " + ".join(self.phrases)


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

    @property
    def cites(self) -> bool:
        return bool(self.journal or self.year or self.institution)


@dataclass(frozen=True)
class Search:
    terms: tuple[TermQuery, ...] = ()
    indications: tuple[str, ...] = ()
    routes: tuple[str, ...] = ()
    drugs: tuple[str, ...] = ()
    designs: tuple[str, ...] = ()
    facets: tuple[tuple[str, tuple[TermQuery, ...]], ...] = ()


@dataclass(frozen=True)
class Counter:
    """Phrases of records that speak against a claim.

    As `counter` such a record refutes the claim (harms, null results); as
    `qualifier` it supports the claim with a limit (an effect that fades).
    """

    terms: tuple[TermQuery, ...] = ()
    indications: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class Reviewer:
    verdict: str
    note: str = ""
    reviewer: str = ""
    date: str = ""


@dataclass(frozen=True)
class Claim:
    id: str
    seeds: tuple[str, ...]
    claim: str
    implies: Implies = field(default_factory=Implies)
    search: Search = field(default_factory=Search)
    counter: Counter | None = None
    qualifier: Counter | None = None
    absolute: bool = False     # "non-addictive", "a cure": one solid counter-record refutes it
    reviewer: Reviewer | None = None

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
    for seed in claim.seeds:
        if not (seeds_dir / seed).is_file():
            raise ClaimsError(f"claim {claim.id}: key 'seeds': no seed file {seed!r} "
                              f"in {seeds_dir}")


def _claim(table: dict[str, Any], index: int) -> Claim:
    cid = table.get("id")
    if not isinstance(cid, str) or not _ID.match(cid):
        raise ClaimsError(f"claim #{index + 1}: key 'id' must be lowercase letters, digits "
                          f"and dashes, got {cid!r}")
    _no_unknown(cid, "", table, _CLAIM_KEYS)
    text = table.get("claim")
    if not isinstance(text, str) or not text.strip():
        raise ClaimsError(f"claim {cid}: key 'claim' must be a non-empty string")
    counter, qualifier = table.get("counter"), table.get("qualifier")
    return Claim(
        id=cid, seeds=_seeds(cid, table), claim=" ".join(text.split()),
        implies=_implies(cid, table.get("implies", {})),
        search=_search(cid, table.get("search", {})),
        counter=_counter(cid, "counter", counter) if counter is not None else None,
        qualifier=_counter(cid, "qualifier", qualifier) if qualifier is not None else None,
        absolute=_bool(cid, "absolute", table.get("absolute", False)),
        reviewer=_reviewer(cid, table["reviewer"]) if "reviewer" in table else None,
    )


def _seeds(cid: str, table: dict[str, Any]) -> tuple[str, ...]:
    # A claim several seeds make is kept once, listing them all, so it gets one verdict.
    if "seed" in table and "seeds" in table:
        raise ClaimsError(f"claim {cid}: give either 'seed' or 'seeds', not both")
    value = table.get("seeds", [table["seed"]] if "seed" in table else [])
    seeds = _strings(cid, "seeds", value)
    if not seeds:
        raise ClaimsError(f"claim {cid}: key 'seed' is required (the seed file name)")
    return seeds


def _implies(cid: str, t: dict[str, Any]) -> Implies:
    _no_unknown(cid, "implies.", t, _IMPLIES_KEYS)
    year = t.get("year")
    if year is not None and (not isinstance(year, int) or not 1900 < year < 2100):
        raise ClaimsError(f"claim {cid}: key 'implies.year' must be a year, got {year!r}")
    return Implies(**{k: _labels(cid, f"implies.{k}", t.get(k, []), _VOCABS[k])
                      for k in _VOCABS},
                   **{k: _string(cid, f"implies.{k}", t.get(k, ""))
                      for k in ("journal", "institution", "effect", "time_frame", "note")},
                   year=year)


def _search(cid: str, t: dict[str, Any]) -> Search:
    _no_unknown(cid, "search.", t, _SEARCH_KEYS)
    facets = t.get("facets", {})
    if not isinstance(facets, dict):
        raise ClaimsError(f"claim {cid}: key 'search.facets' must be a table")
    return Search(
        terms=_terms(cid, "search.terms", t.get("terms", [])),
        **{k: _labels(cid, f"search.{k}", t.get(k, []), _VOCABS[k]) for k in _VOCABS},
        facets=tuple((name, _terms(cid, f"search.facets.{name}", value))
                     for name, value in facets.items()),
    )


def _counter(cid: str, key: str, t: dict[str, Any]) -> Counter:
    _no_unknown(cid, f"{key}.", t, _COUNTER_KEYS)
    return Counter(terms=_terms(cid, f"{key}.terms", t.get("terms", [])),
                   indications=_labels(cid, f"{key}.indications", t.get("indications", []),
                                       vocab.INDICATIONS),
                   reason=_string(cid, f"{key}.reason", t.get("reason", "")))


def _reviewer(cid: str, t: dict[str, Any]) -> Reviewer:
    _no_unknown(cid, "reviewer.", t, _REVIEWER_KEYS)
    verdict = t.get("verdict")
    if verdict not in VERDICTS:
        raise ClaimsError(f"claim {cid}: key 'reviewer.verdict': {verdict!r} is not one of "
                          f"{', '.join(VERDICTS)}")
    return Reviewer(verdict, *(_string(cid, f"reviewer.{k}", t.get(k, ""))
                               for k in ("note", "reviewer", "date")))


def _terms(cid: str, key: str, value: Any) -> tuple[TermQuery, ...]:
    if not isinstance(value, list):
        raise ClaimsError(f"claim {cid}: key {key!r} must be a list of phrases")
    out = []
    for item in value:
        phrases = _strings(cid, key, item if isinstance(item, list) else [item])
        if not phrases or any(not p.strip("* ") for p in phrases):
            raise ClaimsError(f"claim {cid}: key {key!r} has an empty phrase")
        out.append(TermQuery(phrases))
    return tuple(out)


def _labels(cid: str, key: str, value: Any, allowed: dict[str, str]) -> tuple[str, ...]:
    labels = _strings(cid, key, value)
    for label in labels:
        if label not in allowed:
            raise ClaimsError(f"claim {cid}: key {key!r}: unknown value {label!r} "
                              f"(known: {', '.join(allowed)})")
    return labels


def _strings(cid: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ClaimsError(f"claim {cid}: key {key!r} must be a list of strings")
    return tuple(value)


def _string(cid: str, key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ClaimsError(f"claim {cid}: key {key!r} must be a string")
    return value


def _bool(cid: str, key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ClaimsError(f"claim {cid}: key {key!r} must be true or false")
    return value


def _no_unknown(cid: str, prefix: str, table: Any, allowed: set[str]) -> None:
    if not isinstance(table, dict):
        raise ClaimsError(f"claim {cid}: key {prefix.rstrip('.')!r} must be a table")
    for key in table:
        if key not in allowed:
            raise ClaimsError(f"claim {cid}: unknown key {prefix + key!r} "
                              f"(known: {', '.join(sorted(allowed))})")


def default_claims_path(config_path: Path | None = None) -> Path:
    """claims.toml beside the config file, else the packaged copy, else the checkout's."""
    import litwatch
    package = Path(litwatch.__file__).resolve().parent
    candidates = [config_path.resolve().parent / "claims.toml"] if config_path else []
    candidates += [package / "claims.toml", package.parent / "claims.toml"]
    return next((p for p in candidates if p.is_file()), candidates[-1])
