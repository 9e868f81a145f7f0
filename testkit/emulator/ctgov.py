"""/api/v2/studies and /api/v2/studies/{id} over the corpus.

Paging follows the real API: an opaque nextPageToken, absent on the last page,
bound to the query that produced it (a token replayed with other parameters is
a 400). Results are in corpus order unless `sort` is given; date fields sort
newest first by default, strings A-Z, as the API documents.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from collections.abc import Callable

from testkit.emulator.corpus import Corpus, StudyVersion
from testkit.emulator.dates import OPEN_END, day_of
from testkit.emulator.query import literal_hint, phrase_pattern
from testkit.emulator.wire import JSON, Request, Response

MAX_PAGE_SIZE = 1000
_DATE_FIELDS = {"lastupdatepostdate": "last_update", "studyfirstpostdate": "first_post"}
_SORT_FIELDS = {**_DATE_FIELDS, "nctid": "nct"}
_AREA = re.compile(r"AREA\[(\w+)\]\s*RANGE\[\s*([^,\]]*)\s*,\s*([^\]]*)\]", re.I)
_ESSIE_TOKEN = re.compile(r'\s*(?:(?P<paren>[()])|"(?P<quoted>[^"]*)"?|(?P<word>[^\s()"]+))')
_QUERY_FIELDS = {"query.intr": "intr", "query.cond": "cond", "query.term": "term"}

Matcher = Callable[[str], bool]


class BadQuery(ValueError):
    """A parameter the real API would refuse with HTTP 400."""


def json_error(status: int, message: str) -> Response:
    return Response(status, json.dumps({"message": message}).encode(), JSON)


class Ctgov:
    def __init__(self, corpus: Corpus, today: Callable[[], int]):
        self.corpus, self.today = corpus, today

    def study(self, request: Request) -> Response:
        entry = self.corpus.studies.get(request.arg.upper())
        version = entry.current(self.today()) if entry else None
        if version is None:
            return json_error(404, f"Study {request.arg} not found")
        return Response(200, version.raw, JSON)

    def studies(self, request: Request) -> Response:
        p = request.params
        try:
            if p.get("format", "json").lower() != "json":
                raise BadQuery("format: only json is emulated")
            size = _page_size(p.get("pageSize", ""))
            fingerprint = _fingerprint(p)
            offset = _offset(p.get("pageToken"), fingerprint)
            hits = self._search(p)
        except BadQuery as exc:
            return json_error(400, str(exc))
        fault = request.fault
        if fault is not None and fault.kind == "vanish":
            gone = {n.upper() for n in fault.options.get("nct_ids", [])}
            hits = [h for h in hits if h[0] not in gone]
        page = hits[offset:offset + size]
        out: list[bytes] = [b'{"studies":[', b",".join(v.raw for _, v in page), b"]"]
        if p.get("countTotal", "").lower() == "true":
            out.append(b',"totalCount":%d' % len(hits))
        token = _token(fingerprint, offset + size) if offset + size < len(hits) else None
        if fault is not None and fault.kind == "repeat_token":
            token = p.get("pageToken") or _token(fingerprint, offset)
        if token:
            out.append(b',"nextPageToken":"' + token.encode() + b'"')
        out.append(b"}")
        return Response(200, b"".join(out), JSON)

    def _search(self, p: dict[str, str]) -> list[tuple[str, StudyVersion]]:
        matchers = [(field, essie(p[name])) for name, field in _QUERY_FIELDS.items()
                    if p.get(name, "").strip()]
        ranges = _ranges(p.get("filter.advanced", ""))
        statuses = {s.strip().upper() for s in p.get("filter.overallStatus", "").split(",")
                    if s.strip()} or None
        ids = {s.strip().upper() for s in re.split(r"[,|\s]+", p.get("filter.ids", ""))
               if s.strip()} or None
        keys = _sort_keys(p.get("sort", ""))
        today, hits = self.today(), []
        for nct, entry in self.corpus.studies.items():
            version = entry.current(today)
            if version is None or (ids and nct not in ids) or \
                    (statuses and version.status.upper() not in statuses):
                continue
            if all(low <= getattr(version, attr) <= high for attr, low, high in ranges) and \
                    all(match(getattr(version, field)) for field, match in matchers):
                hits.append((nct, version))
        for attr, descending in reversed(keys):        # stable sorts, last key first
            hits.sort(key=lambda h, a=attr: h[0] if a == "nct" else getattr(h[1], a),
                      reverse=descending)
        return hits


def _page_size(value: str) -> int:
    if not value.strip():
        return 10
    if not value.strip().lstrip("-").isdigit():
        raise BadQuery(f"pageSize: not an integer: {value!r}")
    size = int(value)
    if size < 0 or size > MAX_PAGE_SIZE:
        raise BadQuery(f"pageSize must be between 0 and {MAX_PAGE_SIZE}, got {size}")
    return size or 10


def _fingerprint(p: dict[str, str]) -> str:
    # Later pages repeat every parameter but pageToken; pageSize and countTotal may vary.
    kept = sorted((k, v) for k, v in p.items() if k not in ("pageToken", "pageSize",
                                                             "countTotal"))
    return hashlib.sha256(json.dumps(kept).encode()).hexdigest()[:10]


def _token(fingerprint: str, offset: int) -> str:
    return base64.urlsafe_b64encode(f"{fingerprint}:{offset}".encode()).decode().rstrip("=")


def _offset(token: str | None, fingerprint: str) -> int:
    if not token:
        return 0
    try:
        text = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode()
        owner, offset = text.split(":")
        if owner == fingerprint and int(offset) >= 0:
            return int(offset)
    except ValueError:
        pass
    raise BadQuery(f"pageToken {token!r} is invalid or belongs to another query")


def _ranges(advanced: str) -> list[tuple[str, int, int]]:
    """AREA[Field]RANGE[low,high] clauses (ANDed); MIN/MAX are open ends."""
    if not advanced.strip():
        return []
    clauses = list(_AREA.finditer(advanced))
    rest = _AREA.sub("", advanced).replace("AND", "").strip(" ()")
    if not clauses or rest:
        raise BadQuery(f"filter.advanced: only AREA[date]RANGE[a,b] is emulated: {advanced!r}")
    out = []
    for clause in clauses:
        attr = _DATE_FIELDS.get(clause[1].lower())
        low_text, high_text = clause[2].strip(), clause[3].strip()
        low = 0 if low_text.upper() == "MIN" else day_of(low_text)
        high = OPEN_END if high_text.upper() == "MAX" else day_of(high_text, high=True)
        if attr is None or low is None or high is None:
            raise BadQuery(f"filter.advanced: cannot read {clause[0]!r}")
        out.append((attr, low, high))
    return out


def _sort_keys(sort: str) -> list[tuple[str, bool]]:
    keys = []
    for item in filter(None, (s.strip() for s in re.split(r"[,|]", sort))):
        name, _, direction = item.partition(":")
        if name.lower() == "@relevance":
            continue
        attr = _SORT_FIELDS.get(name.lower())
        if attr is None or direction.lower() not in ("", "asc", "desc"):
            raise BadQuery(f"sort: unsupported {item!r}")
        keys.append((attr, direction.lower() == "desc" or (not direction and attr != "nct")))
    return keys


def essie(query: str) -> Matcher:
    """Compile an Essie-like query: OR / AND / NOT (upper case), parentheses,
    quoted phrases, adjacent words = AND; words match on word boundaries."""
    tokens = [(m.lastgroup, m.group(m.lastgroup)) for m in _ESSIE_TOKEN.finditer(query)
              if m.lastgroup]
    tokens = [("op", v) if k == "word" and v in ("AND", "OR", "NOT") else (k, v)
              for k, v in tokens]
    pos = 0

    def peek() -> tuple[str, str]:
        return tokens[pos] if pos < len(tokens) else ("end", "")

    def either() -> Matcher:
        nonlocal pos
        parts = [both()]
        while peek() == ("op", "OR"):
            pos += 1
            parts.append(both())
        return lambda text: any(part(text) for part in parts)

    def both() -> Matcher:
        nonlocal pos
        parts = [negation()]
        while peek()[0] not in ("end",) and peek() not in (("op", "OR"), ("paren", ")")):
            if peek() == ("op", "AND"):
                pos += 1
            parts.append(negation())
        return lambda text: all(part(text) for part in parts)

    def negation() -> Matcher:
        nonlocal pos
        if peek() == ("op", "NOT"):
            pos += 1
            inner = negation()
            return lambda text: not inner(text)
        return atom()

    def atom() -> Matcher:
        nonlocal pos
        kind, value = peek()
        pos += 1
        if (kind, value) == ("paren", "("):
            inner = either()
            if peek() != ("paren", ")"):
                raise BadQuery(f"unbalanced parentheses in {query!r}")
            pos += 1
            return inner
        if kind not in ("word", "quoted"):
            raise BadQuery(f"syntax error near {value or 'end of query'!r} in {query!r}")
        return _phrase(value)

    matcher = either()
    if pos < len(tokens):
        raise BadQuery(f"unbalanced parentheses in {query!r}")
    return matcher


def _phrase(text: str) -> Matcher:
    pattern, hint = phrase_pattern(text), literal_hint(text)
    if pattern is None:            # "&" alone: punctuation matches everything, like Essie
        return lambda _text: True
    return lambda field: hint in field and pattern.search(field) is not None

