"""Counts of what the store holds, for `litwatch stats` and the demo summary."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from litwatch.store.tables import (
    FlagRow,
    LabelRow,
    LinkRow,
    RecordRow,
    SyncRunRow,
    TrialChangeRow,
)
from litwatch.vocab import DESIGNS, INDICATIONS


@dataclass
class Stats:
    by_source: dict[str, int] = field(default_factory=dict)
    by_design: dict[str, int] = field(default_factory=dict)
    by_indication: dict[str, int] = field(default_factory=dict)
    links: int = 0
    flags: dict[str, int] = field(default_factory=dict)
    trial_changes: int = 0
    last_runs: list[SyncRunRow] = field(default_factory=list)

    def tables(self) -> dict[str, list[list[object]]]:
        runs: list[list[object]] = [["source", "query", "status", "new", "updated",
                                     "requests", "finished"]]
        runs += [[r.source, r.query, r.status, r.new, r.updated, r.requests,
                  r.finished.strftime("%Y-%m-%d %H:%M") if r.finished else "-"]
                 for r in self.last_runs]
        def rows(header: list[object], body: list[list[object]]) -> list[list[object]]:
            return [header, *body]

        return {
            "Records": rows(["source", "records"], [[k, v] for k, v in self.by_source.items()]),
            "By design": rows(["design", "records"], [[DESIGNS.get(k, k), v]
                                                      for k, v in self.by_design.items()]),
            "By indication": rows(["indication", "records"], [
                [INDICATIONS.get(k, k), v] for k, v in self.by_indication.items()]),
            "Links and flags": rows(["what", "count"], [
                ["paper-trial links", self.links], ["trial changes", self.trial_changes],
                *([k, v] for k, v in self.flags.items())]),
            "Last sync runs": runs,
        }


def collect_stats(engine: Engine, runs: int = 12) -> Stats:
    stats = Stats()
    with Session(engine) as s:
        stats.by_source = dict(s.exec(select(RecordRow.source, func.count())
                                      .group_by(col(RecordRow.source))).all())
        stats.by_design = {str(k): v for k, v in s.exec(
            select(RecordRow.design, func.count()).where(col(RecordRow.design).is_not(None))
            .group_by(col(RecordRow.design)).order_by(func.count().desc())).all()}
        stats.by_indication = dict(s.exec(
            select(LabelRow.value, func.count(func.distinct(LabelRow.record_id)))
            .where(LabelRow.family == "indication").group_by(LabelRow.value)
            .order_by(func.count(func.distinct(LabelRow.record_id)).desc())).all())
        stats.links = s.exec(select(func.count()).select_from(LinkRow)).one()
        stats.flags = dict(s.exec(select(FlagRow.kind, func.count())
                                  .group_by(FlagRow.kind)).all())
        stats.trial_changes = s.exec(select(func.count()).select_from(TrialChangeRow)).one()
        stats.last_runs = list(s.exec(select(SyncRunRow).order_by(col(SyncRunRow.id).desc())
                                      .limit(runs)))
    return stats
