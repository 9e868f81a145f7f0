"""Load saved API payloads from disk into the store, without the network.

Used by tests and benchmarks (a fresh store from the bundled corpus or from
../shared/realdata), and by `litwatch load` to import saved responses.  Files
are read as the APIs send them: efetch XML, v2 study JSON or /studies pages,
RSS/Atom.  For versioned corpus files (<id>.v2.json) only the latest is loaded.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path

from sqlalchemy import Engine

from litwatch.sources.ctgov_json import load_json, parse_study, studies_in_file
from litwatch.sources.feed_parse import parse_feed
from litwatch.sources.pubmed_xml import parse_efetch
from litwatch.store.bulk import deferred_full_text
from litwatch.store.upsert import UpsertCounts, persist_batch
from litwatch.sync.indexing import update_search_index
from litwatch.sync.pipeline import Incoming, ingest_batch
from litwatch.sync.workers import prepare_files, prepare_pool

_VERSION = re.compile(r"^(?P<id>[^.]+)(?:\.v(?P<n>\d+))?\.(?:xml|json)$")


def latest_versions(paths: Iterable[Path]) -> list[Path]:
    """Keep, per record id, the file with the highest .vN suffix (none = v1)."""
    best: dict[tuple[Path, str], tuple[int, Path]] = {}
    for path in paths:
        m = _VERSION.match(path.name)
        key = (path.parent, m.group("id") if m else path.name)
        version = int(m.group("n")) if m and m.group("n") else 1
        if key not in best or version > best[key][0]:
            best[key] = (version, path)
    return sorted(p for _, p in best.values())


def incoming_from_file(path: Path) -> Iterator[Incoming]:
    body = path.read_bytes()
    if path.suffix == ".json":
        for study in studies_in_file(load_json(body, str(path))):
            trial = parse_study(study)
            yield Incoming(trial, json.dumps(study).encode())
        return
    head = body[:2000]
    if b"<eSearchResult" in head:
        return                      # a search result holds ids, not records
    if b"<PubmedArticleSet" in head:
        result = parse_efetch(body)
        for paper in result.papers:
            yield Incoming(paper, result.raw[paper.pmid])
        return
    _, items = parse_feed(body, path.stem)
    for item in items:
        yield Incoming(item, json.dumps(item.to_dict()).encode())


def load_paths(engine: Engine, paths: Iterable[Path], batch: int = 500) -> UpsertCounts:
    """Load saved payloads; many files are parsed and classified in worker processes
    while this process stores them, with the full-text triggers off meanwhile."""
    files = latest_versions(paths)
    total = UpsertCounts()
    with prepare_pool(len(files)) as pool, deferred_full_text(engine, len(files)):
        if pool is None:
            _load_here(engine, files, batch, total)
        else:
            for start in range(0, len(files), _FILES_PER_JOB):
                job = [str(p) for p in files[start:start + _FILES_PER_JOB]]
                for _, prepared in pool.submit(None, prepare_files, job):
                    _persist(engine, prepared, batch, total)
            for _, prepared in pool.drain():
                _persist(engine, prepared, batch, total)
    update_search_index(engine)
    return total


_FILES_PER_JOB = 250


def _persist(engine: Engine, prepared: list, batch: int, total: UpsertCounts) -> None:
    for start in range(0, len(prepared), batch):
        total.merge(persist_batch(engine, prepared[start:start + batch]))


def _load_here(engine: Engine, files: list[Path], batch: int, total: UpsertCounts) -> None:
    pending: list[Incoming] = []
    for path in files:
        for item in incoming_from_file(path):
            pending.append(item)
            if len(pending) >= batch:
                total.merge(ingest_batch(engine, pending))
                pending.clear()
    total.merge(ingest_batch(engine, pending))


def load_directory(engine: Engine, folder: Path) -> UpsertCounts:
    """Every .xml/.json file under `folder` (e.g. corpus/ or realdata/)."""
    paths = [p for p in folder.rglob("*") if p.suffix in (".xml", ".json")
             and "build" not in p.parts]
    return load_paths(engine, paths)
