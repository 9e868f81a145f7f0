"""Claim reports as plain text (terminal), JSON (pipes) and a standalone HTML page.

All three are built from one dictionary per claim (`report_dict`), so they never
disagree.  HTML goes through a Jinja2 environment with autoescape on: record
titles and summaries come from the outside world and are rendered as text.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from litwatch import vocab
from litwatch.claims.check import ClaimReport
from litwatch.claims.evidence import Evidence
from litwatch.templating import environment

FORMATS = ("text", "json", "html")
_STANCE_TEXT = {"retracted": "RETRACTED, not counted", "registered": "registered, no results",
                "qualified": "for, with a limit"}


def evidence_dict(ev: Evidence) -> dict[str, Any]:
    return {
        "source": ev.source, "id": ev.source_id, "title": ev.title, "url": ev.url,
        "design": ev.design, "design_name": ev.design_name, "n": ev.n,
        "comparators": [vocab.COMPARATORS.get(c, c) for c in ev.comparators],
        "routes": [vocab.ROUTES.get(r, r) for r in ev.routes],
        "indications": [vocab.INDICATIONS.get(i, i) for i in ev.indications],
        "drugs": ev.drugs, "year": ev.year, "journal": ev.journal_abbrev or ev.journal,
        "summary": ev.summary, "stance": ev.stance, "retracted": ev.retracted,
        "stance_text": _STANCE_TEXT.get(ev.stance, ev.stance),
        "matched": ev.matched, "against": ev.against, "limits": ev.limits,
    }


def report_dict(report: ClaimReport, limit: int | None = None) -> dict[str, Any]:
    claim, imp = report.claim, report.claim.implies
    reviewer = claim.reviewer
    shown = report.evidence if limit is None else report.evidence[:limit]
    return {
        "id": claim.id, "seeds": list(claim.seeds), "claim": claim.claim,
        "absolute": claim.absolute,
        "implies": {
            "indications": [vocab.INDICATIONS[i] for i in imp.indications],
            "routes": [vocab.ROUTES[r] for r in imp.routes],
            "drugs": [vocab.DRUGS[d] for d in imp.drugs],
            "designs": [vocab.DESIGNS[d] for d in imp.designs],
            "journal": imp.journal, "year": imp.year, "institution": imp.institution,
            "effect": imp.effect, "time_frame": imp.time_frame, "note": imp.note,
        },
        "verdict": report.verdict,
        "suggested_verdict": report.suggested,
        "decided_by": report.assessment.decided_by,
        "rules": [{"rule": r.rule, "verdict": r.verdict, "reason": r.reason,
                   "decisive": r.rule == report.assessment.decided_by}
                  for r in report.assessment.results],
        "reviewer": None if reviewer is None else {
            "verdict": reviewer.verdict, "note": reviewer.note,
            "reviewer": reviewer.reviewer, "date": reviewer.date},
        "citation": {"cited": report.citation.cited, "found": report.citation.found,
                     "matched": [e.source_id for e in report.citation.matched],
                     "near": report.citation.near},
        "facets": [{"name": f.name, "covered_by": f.covered_by} for f in report.facets],
        "counts_by_design": {_design_label(k): v for k, v in report.counts.items()},
        "evidence_total": len(report.evidence),
        "evidence": [evidence_dict(e) for e in shown],
    }


def _design_label(key: str) -> str:
    return vocab.DESIGNS.get(key, key.capitalize())


def render_json(reports: list[ClaimReport]) -> str:
    return json.dumps({"claims": [report_dict(r) for r in reports]}, indent=2,
                      ensure_ascii=False) + "\n"


def render_html(reports: list[ClaimReport], limit: int | None = 15,
                generated: datetime | None = None) -> str:
    template = environment().get_template("claims.html")
    stamp = (generated or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    return template.render(claims=[report_dict(r, limit) for r in reports], generated=stamp)


def render_text(reports: list[ClaimReport], limit: int | None = 10) -> str:
    out: list[str] = []
    for report in reports:
        out.extend(_text_claim(report_dict(report, limit)))
        out.append("")
    out.append(verdict_table(reports))
    return "\n".join(out) + "\n"


def verdict_table(reports: list[ClaimReport]) -> str:
    width = max([len(r.claim.id) for r in reports] + [5])
    lines = [f"{'claim':<{width}}  {'verdict':<20}  {'suggested':<20}  records  decided by",
             "-" * (width + 70)]
    for r in reports:
        lines.append(f"{r.claim.id:<{width}}  {r.verdict:<20}  {r.suggested:<20}  "
                     f"{len(r.evidence):>7}  {r.assessment.decided_by}")
    return "\n".join(lines)


def _text_claim(d: dict[str, Any]) -> list[str]:
    lines = [f"== {d['id']}  (seeds: {', '.join(d['seeds'])})", f"Claim: {d['claim']}"]
    implied = _implied_text(d["implies"])
    if implied:
        lines.append(f"Implies: {implied}")
    lines.append(f"Suggested verdict: {d['suggested_verdict']}  [rule {d['decided_by']}]")
    if d["reviewer"]:
        rv = d["reviewer"]
        by = ", ".join(x for x in (rv["reviewer"], rv["date"]) if x)
        lines.append(f"Reviewer verdict: {rv['verdict']}" + (f" ({by})" if by else "")
                     + (f": {rv['note']}" if rv["note"] else ""))
    lines.append("Rules:")
    for rule in d["rules"]:
        mark = "=>" if rule["decisive"] else ("  " if rule["verdict"] is None else " ~")
        verdict = f" [{rule['verdict']}]" if rule["verdict"] else ""
        lines.append(f"  {mark} {rule['rule']}{verdict}: {rule['reason']}")
    for facet in d["facets"]:
        by = ", ".join(facet["covered_by"][:6]) or "none"
        lines.append(f"  facet {facet['name']}: {by}")
    counts = ", ".join(f"{k} {v}" for k, v in d["counts_by_design"].items()) or "none"
    lines.append(f"Evidence ({d['evidence_total']} records): {counts}")
    for i, ev in enumerate(d["evidence"], 1):
        lines.extend(_text_evidence(i, ev))
    if d["evidence_total"] > len(d["evidence"]):
        lines.append(f"  ... {d['evidence_total'] - len(d['evidence'])} more (--limit 0: all)")
    return lines


def _implied_text(imp: dict[str, Any]) -> str:
    parts = [", ".join(imp[k]) for k in ("indications", "routes", "drugs", "designs") if imp[k]]
    cited = " ".join(str(x) for x in (imp["journal"], imp["year"] or "", imp["institution"]) if x)
    parts += [f"cites {cited}" if cited else "", imp["effect"], imp["time_frame"], imp["note"]]
    return "; ".join(p for p in parts if p)


def _text_evidence(i: int, ev: dict[str, Any]) -> list[str]:
    flag = ev["stance_text"]
    facts = [ev["design_name"], f"N={ev['n']}" if ev["n"] else "N=?",
             ", ".join(ev["comparators"]) or "comparator ?", ", ".join(ev["routes"]) or "route ?",
             str(ev["year"] or "?"), ev["journal"] or "?"]
    lines = [f"  {i:>2}. [{flag}] {' | '.join(facts)}", f"      {ev['title']}"]
    if ev["summary"]:
        lines.extend(f"      {line}" for line in ev["summary"].splitlines() if line.strip())
    if ev["against"]:
        lines.append(f"      against: {'; '.join(ev['against'])}")
    if ev["limits"]:
        lines.append(f"      limited by: {'; '.join(ev['limits'])}")
    lines.append(f"      {ev['url']}")
    return lines
