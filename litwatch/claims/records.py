"""The stored records a claim is checked against: candidates, facts and sentences.

Candidates come from the classifier's labels (records on the claimed indications)
and from the search package's full-text index (records naming a claimed concept);
never from record ids, so the same claims work on any store.  Each record is read
once per run: its row, labels, retraction flags and its sentences with role,
direction and numbers (the stored sentence table when the pipeline filled it,
else computed from the stored record, which is fast).
"""

from __future__ import annotations

import json
import zlib
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import Engine, select

from litwatch import vocab
from litwatch.claims import lexicon
from litwatch.claims.assertions import Assertion
from litwatch.classify.sentences import Number, Sentence, sentences_of
from litwatch.search import build_filters, matching_ids, parse_query, rank_records
from litwatch.store.codec import record_of
from litwatch.store.read import chunked, labels_by_record, record_url
from litwatch.store.tables import FlagRow, LabelRow, RecordRow, SentenceRow, table_of

DRUG_WORDS = {"ketamine": "ketamine", "esketamine": "esketamine OR \"s ketamine\"",
              "arketamine": "arketamine OR \"r ketamine\""}
# Without an indication or concept to narrow by, the newest records on the drug.
BROAD_LIMIT = 600
# Designs ordered into strength tiers: 1 randomized evidence, 2 other primary human
# studies, 3 secondary statements (reviews, guidelines), 4 animal / in vitro.
TIERS = {"systematic_review": 1, "rct": 1, "non_randomized": 2, "single_arm": 2,
         "observational": 2, "case_report": 2, "guideline": 3, "narrative_review": 3,
         "other": 3, "preclinical": 4, "protocol": 5}
_T_RECORD = table_of(RecordRow)
_T_LABEL = table_of(LabelRow)
_T_FLAG = table_of(FlagRow)
_T_SENTENCE = table_of(SentenceRow)


@dataclass
class RecordFacts:
    record_id: int
    source: str
    source_id: str
    title: str
    journal: str
    journal_abbrev: str
    year: int | None
    years: frozenset[int]
    design: str | None
    n: int | None
    labels: dict[str, list[str]]
    retracted: bool
    registered_only: bool
    url: str
    entry_date: str | None
    first_seen: datetime
    sentences: list[Sentence] = field(default_factory=list)

    @property
    def tier(self) -> int:
        return TIERS.get(self.design or "", 3)

    @property
    def human(self) -> bool:
        return self.tier <= 3

    @property
    def off_topic(self) -> bool:
        # The classifier's topic family, once it emits it: such records never count.
        return "off_topic" in self.labels.get("topic", [])

    @property
    def design_name(self) -> str:
        return vocab.DESIGNS.get(self.design or "", "Design not classified")

    @property
    def ref(self) -> str:
        return f"{self.source}:{self.source_id}"


class Store:
    """One claims run's view of the database, with caches shared by all claims."""

    def __init__(self, engine: Engine):
        self.engine = engine
        self._facts: dict[int, RecordFacts | None] = {}
        self._ids: dict[str, frozenset[int]] = {}
        self._raw: dict[int, str] = {}
        self._registrations: dict[str, int | None] = {}    # NCT number -> record id

    # ---------------------------------------------------------------- candidates
    def candidates(self, part: Assertion, extra_terms: tuple[str, ...] = ()) -> list[RecordFacts]:
        ids: set[int] | frozenset[int] = set()
        if part.accepted and part.kind != "regulatory":
            ids |= self._labelled("indication", part.accepted)
        terms = [t for c in part.concepts for t in lexicon.concepts()[c].search]
        terms += list(extra_terms)
        if part.condition:          # "Rett syndrome": records that name it
            terms.append(f'"{part.condition}"')
        if terms:
            ids |= self._text(part.drugs, terms)
        if not ids and not part.accepted and not terms:
            ids = self._broad(part.drugs)      # a claim naming nothing to narrow by
        facts = [f for f in self.facts(ids) if f is not None]
        return [f for f in facts if _about_drug(f, part.drugs)]

    def _labelled(self, family: str, values: tuple[str, ...]) -> frozenset[int]:
        key = f"label:{family}:{','.join(values)}"
        if key not in self._ids:
            with self.engine.connect() as conn:
                stmt = select(_T_LABEL.c.record_id).where(_T_LABEL.c.family == family,
                                                          _T_LABEL.c.value.in_(values))
                self._ids[key] = frozenset(r for (r,) in conn.execute(stmt))
        return self._ids[key]

    def _text(self, drugs: tuple[str, ...], terms: list[str]) -> frozenset[int]:
        # Drug words AND any focus term: the search package's query language.
        query = " OR ".join(DRUG_WORDS[d] for d in drugs) + " " + " OR ".join(terms[:24])
        if query not in self._ids:
            with self.engine.connect() as conn:
                self._ids[query] = frozenset(matching_ids(conn, parse_query(query)))
        return self._ids[query]

    def _broad(self, drugs: tuple[str, ...]) -> frozenset[int]:
        key = f"broad:{','.join(drugs)}"
        if key not in self._ids:
            with self.engine.connect() as conn:
                ranked = rank_records(conn, None, build_filters(drug=list(drugs)), BROAD_LIMIT,
                                      snippets=False)
            self._ids[key] = frozenset(r.record_id for r in ranked)
        return self._ids[key]

    # --------------------------------------------------------------------- facts
    def facts(self, ids: set[int] | frozenset[int]) -> list[RecordFacts | None]:
        missing = sorted(i for i in ids if i not in self._facts)
        if missing:
            self._load(missing)
        return [self._facts.get(i) for i in sorted(ids)]

    def _load(self, ids: list[int]) -> None:
        with self.engine.connect() as conn:
            labels = labels_by_record(conn, ids, skip_values=("not_stated",))
            for chunk in chunked(ids):
                rows = conn.execute(select(_T_RECORD).where(_T_RECORD.c.id.in_(chunk))).all()
                flags = _flags(conn, chunk)
                stored = _stored_sentences(conn, chunk)
                pubmed = _pubmed_ids(conn, rows)
                for row in rows:
                    self._facts[row.id] = None if _feed_copy(row, pubmed) else _facts(
                        row, labels.get(row.id, {}), flags.get(row.id, set()),
                        stored.get(row.id))
        for i in ids:
            self._facts.setdefault(i, None)

    def raw_text(self, record_id: int) -> str:
        """The raw payload (affiliations, sponsors: not parsed into columns)."""
        if record_id not in self._raw:
            with self.engine.connect() as conn:
                blob = conn.execute(select(_T_RECORD.c.raw).where(
                    _T_RECORD.c.id == record_id)).scalar()
            self._raw[record_id] = zlib.decompress(blob).decode("utf-8", "replace") if blob else ""
        return self._raw[record_id]

    def registration_text(self, nct_id: str) -> str:
        """The raw registry record of a trial the store holds ('' when it holds none)."""
        if nct_id not in self._registrations:
            t = _T_RECORD
            with self.engine.connect() as conn:
                self._registrations[nct_id] = conn.execute(select(t.c.id).where(
                    t.c.source == "ctgov", t.c.source_id == nct_id)).scalar()
        record_id = self._registrations[nct_id]
        return self.raw_text(record_id) if record_id is not None else ""

    def by_year(self, years: tuple[int, ...], journal_ok) -> list[RecordFacts]:
        """Records of these years whose journal passes `journal_ok(journal, abbrev)`:
        citation candidates whatever their topic (a 2019 paper in the cited journal on
        another drug is a near miss worth naming)."""
        t = _T_RECORD
        with self.engine.connect() as conn:
            rows = conn.execute(select(t.c.id, t.c.journal, t.c.data).where(
                t.c.year.in_(years), t.c.source != "feed")).all()
        ids = {r.id for r in rows if journal_ok(r.journal, _abbrev(r.data))}
        return [f for f in self.facts(ids) if f is not None]


def _abbrev(data: str | None) -> str:
    return str(json.loads(data or "{}").get("journal_abbrev") or "")


def _about_drug(facts: RecordFacts, drugs: tuple[str, ...]) -> bool:
    # A claim about "ketamine" is about ketamine: esketamine nasal spray is a separate
    # product with its own trials.  A record counts when it is labelled with the drug
    # or presents itself as a study of it in its title ("Ketamine produces ... pain
    # relief", though it gave the S-enantiomer).
    from litwatch.claims.intake import drugs_named
    if set(facts.labels.get("drug", [])) & set(drugs):
        return True
    return bool(set(drugs_named(facts.title)) & set(drugs))


def _flags(conn, ids: list[int]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    t = _T_FLAG
    for rid, kind in conn.execute(select(t.c.record_id, t.c.kind).where(t.c.record_id.in_(ids))):
        out.setdefault(rid, set()).add(kind)
    return out


def _stored_sentences(conn, ids: list[int]) -> dict[int, list[Sentence]]:
    t = _T_SENTENCE
    out: dict[int, list[Sentence]] = {}
    stmt = select(t).where(t.c.record_id.in_(ids)).order_by(t.c.record_id, t.c.idx)
    for row in conn.execute(stmt):
        numbers = tuple(Number(**n) for n in json.loads(row.numbers or "[]"))
        out.setdefault(row.record_id, []).append(
            Sentence(row.field, row.role, row.text, row.idx, row.direction, numbers))
    return out


def _pubmed_ids(conn, rows) -> set[str]:
    pmids = {str(json.loads(r.data or "{}").get("pmid")) for r in rows if r.source == "feed"}
    pmids.discard("None")
    if not pmids:
        return set()
    stmt = select(_T_RECORD.c.source_id).where(_T_RECORD.c.source == "pubmed",
                                               _T_RECORD.c.source_id.in_(sorted(pmids)))
    return {s for (s,) in conn.execute(stmt)}


def _feed_copy(row, pubmed: set[str]) -> bool:
    """A PubMed RSS item whose PMID is stored from E-utilities: that record speaks for it."""
    return row.source == "feed" and str(json.loads(row.data or "{}").get("pmid")) in pubmed


def _facts(row, labels: dict[str, list[str]], flags: set[str],
           stored: list[Sentence] | None) -> RecordFacts:
    data = json.loads(row.data or "{}")
    entered = (row.entry_date or "")[:4]
    entry_year = int(entered) if entered.isdigit() else None
    designs = labels.get("design", [])
    return RecordFacts(
        record_id=row.id, source=row.source, source_id=row.source_id, title=row.title,
        # A feed's title names the feed, not a journal: keep it out of citation matching.
        journal=row.journal if row.source != "feed" else "",
        journal_abbrev=str(data.get("journal_abbrev") or ""), year=row.year,
        years=frozenset(y for y in (row.year, entry_year) if y),
        design=row.design or (designs[0] if designs else None), n=row.sample_size,
        labels=labels, retracted=bool(row.retracted or "retracted" in flags),
        registered_only=row.source == "ctgov" and not data.get("has_results"),
        url=record_url(row.source, row.source_id, data), entry_date=row.entry_date,
        first_seen=row.first_seen,
        sentences=stored if stored else sentences_of(record_of(row.source, row.data)))
