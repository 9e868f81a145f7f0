"""Claim reports as plain text (terminal), JSON (pipes) and a standalone HTML page.

All three are built from one dictionary per claim (`report_dict`), so they never
disagree.  Articles are named by title and publisher (seeds.toml), never by the
file they are kept in.  HTML goes through a Jinja2 environment with autoescape
on: record titles and sentences come from the outside world and are rendered as
text.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from litwatch.claims.engine import ClaimReport
from litwatch.claims.rules import RULES
from litwatch.claims.seeds import label_of
from litwatch.claims.summary import Finding
from litwatch.templating import environment

FORMATS = ("text", "json", "html")
_RULE_TEXT = {r.id: r.text for r in RULES}
_STANCE_TEXT = {"for": "for", "against": "AGAINST", "mixed": "mixed", "limit": "limitation"}


def implies_dict(report: ClaimReport) -> dict[str, Any]:
    imp = report.claim.implies
    return {"kind": imp.kind, "direction": imp.direction, "indications": list(imp.indications),
            "routes": list(imp.routes), "drugs": list(imp.drugs), "designs": list(imp.designs),
            "journal": imp.journal, "year": imp.year, "institution": imp.institution,
            "effect": imp.effect, "time_frame": imp.time_frame,
            "population": list(imp.population), "concepts": list(imp.concepts),
            "absolute": imp.absolute, "possible": imp.possible,
            "comparative": imp.comparative, "versus": imp.versus, "trial": imp.trial,
            "condition": imp.condition, "study": imp.study,
            "note": imp.note}


def record_dict(f: Finding) -> dict[str, Any]:
    facts = f.facts
    return {"id": facts.ref, "source": facts.source, "source_id": facts.source_id,
            "title": facts.title, "url": facts.url, "design": facts.design,
            "design_name": facts.design_name, "n": facts.n, "year": facts.year,
            "journal": facts.journal_abbrev or facts.journal, "stance": f.stance,
            "stance_text": _STANCE_TEXT.get(f.stance, f.stance), "counted": f.counted,
            "excluded": f.excluded, "retracted": facts.retracted,
            "sentences": [{"sentence": r.sentence.text, "clause": r.clause,
                           "role": r.sentence.role, "direction": r.sentence.direction,
                           "stance": r.stance, "why": r.why} for r in f.readings]}


def report_dict(report: ClaimReport, limit: int | None = None) -> dict[str, Any]:
    claim, findings = report.claim, report.findings
    shown = findings if limit is None else findings[:limit]
    reviewer = claim.reviewer
    citation = report.citation
    return {
        "id": claim.id, "articles": [label_of(a) for a in claim.seeds], "claim": claim.claim,
        "quote": claim.quote, "implies": implies_dict(report),
        "verdict": report.verdict, "suggested_verdict": report.suggested,
        "rule": report.decided_by, "rule_text": _RULE_TEXT.get(report.decided_by,
                                                               report.rule.text),
        "reason": report.reason,
        "parts": [{"part": p.part.label, "verdict": p.verdict, "rule": p.rule.id,
                   "reason": p.reason} for p in report.parts] if len(report.parts) > 1 else [],
        "reviewer": None if reviewer is None else {
            "verdict": reviewer.verdict, "note": reviewer.note,
            "reviewer": reviewer.reviewer, "date": reviewer.date},
        "citation": None if citation is None else {
            "cited": citation.cited, "found": citation.found,
            "matched": [f.facts.ref for f in citation.matched], "near": citation.near},
        "notes": report.notes,
        "evidence": [dict(s, id=f.facts.ref, design=f.facts.design, counted=f.counted)
                     for f in findings for s in record_dict(f)["sentences"]],
        "records_total": len(findings),
        "records": [record_dict(f) for f in shown],
    }


def render_json(reports: list[ClaimReport]) -> str:
    return json.dumps({"claims": [report_dict(r) for r in reports]}, indent=2,
                      ensure_ascii=False) + "\n"


def render_one_json(report: ClaimReport) -> str:
    return json.dumps(report_dict(report), indent=2, ensure_ascii=False) + "\n"


def render_html(reports: list[ClaimReport], limit: int | None = 15,
                generated: datetime | None = None) -> str:
    template = environment().get_template("claims.html")
    stamp = (generated or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    return template.render(claims=[report_dict(r, limit) for r in reports], generated=stamp,
                           rules=RULES)


def render_text(reports: list[ClaimReport], limit: int | None = 10) -> str:
    out: list[str] = []
    for report in reports:
        out.extend(text_claim(report_dict(report, limit)))
        out.append("")
    if len(reports) > 1:
        out.append(verdict_table(reports))
    return "\n".join(out) + "\n"


def verdict_table(reports: list[ClaimReport]) -> str:
    width = max([len(r.claim.id) for r in reports] + [5])
    lines = [f"{'claim':<{width}}  {'verdict':<20}  {'suggested':<20}  records  rule",
             "-" * (width + 70)]
    for r in reports:
        lines.append(f"{r.claim.id:<{width}}  {r.verdict:<20}  {r.suggested:<20}  "
                     f"{len(r.findings):>7}  {r.decided_by}")
    return "\n".join(lines)


def text_claim(d: dict[str, Any]) -> list[str]:
    lines = [f"== {d['id']}  ({'; '.join(d['articles'])})", f"Claim: {d['claim']}"]
    if d["quote"]:
        lines.append(f"Locating quote: \u201c{d['quote']}\u201d")
    lines.append(f"Implies: {_implied_text(d['implies'])}")
    lines.append(f"Suggested verdict: {d['suggested_verdict']}  [rule {d['rule']}]")
    lines.append(f"  rule: {d['rule_text']}")
    lines.append(f"  why: {d['reason']}")
    for p in d["parts"]:
        lines.append(f"  part '{p['part']}': {p['verdict']} [{p['rule']}] {p['reason']}")
    if d["reviewer"]:
        rv = d["reviewer"]
        note = f": {rv['note']}" if rv["note"] else ""
        lines.append(f"Reviewer verdict: {rv['verdict']}{note}")
    if d["citation"]:
        c = d["citation"]
        state = f"found: {', '.join(c['matched'])}" if c["found"] else "not found as cited"
        lines.append(f"Citation {c['cited']}: {state}")
        lines.extend(f"  near miss: {n}" for n in c["near"][:5])
    lines.extend(f"Note: {n}" for n in d["notes"])
    lines.append(f"Evidence ({d['records_total']} records):")
    for i, rec in enumerate(d["records"], 1):
        lines.extend(_text_record(i, rec))
    if d["records_total"] > len(d["records"]):
        lines.append(f"  ... {d['records_total'] - len(d['records'])} more (--limit 0: all)")
    return lines


def _implied_text(imp: dict[str, Any]) -> str:
    parts = [f"{imp['kind']} ({imp['direction']})"]
    parts += [f"{k} {', '.join(imp[k])}" for k in ("indications", "routes", "drugs", "designs",
                                                   "population", "concepts") if imp[k]]
    cited = " ".join(str(x) for x in (imp.get("trial", ""), imp["journal"], imp["year"] or "",
                                       imp["institution"], imp.get("study", "")) if x)
    parts += [f"cites {cited}" if cited else "", f"effect {imp['effect']}" if imp["effect"] else "",
              f"time frame '{imp['time_frame']}'" if imp["time_frame"] else "",
              "absolute" if imp["absolute"] else "", imp["note"]]
    return "; ".join(p for p in parts if p)


def _text_record(i: int, rec: dict[str, Any]) -> list[str]:
    flag = rec["stance_text"] if rec["counted"] else f"{rec['stance_text']}; not counted: " \
        f"{rec['excluded'] or 'no finding'}"
    facts = [rec["id"], rec["design_name"], f"N={rec['n']}" if rec["n"] else "N=?",
             str(rec["year"] or "?"), rec["journal"] or "?"]
    lines = [f"  {i:>2}. [{flag}] {' | '.join(facts)}", f"      {rec['title']}"]
    stances: dict[tuple[str, str, str], list[str]] = {}
    for s in rec["sentences"]:     # a sentence read as two clauses is shown once
        key = (s["sentence"], s["role"], s["direction"] or "-")
        stances.setdefault(key, [])
        if s["stance"] not in stances[key]:
            stances[key].append(s["stance"])
    for (sentence, role, direction), stance in list(stances.items())[:4]:
        lines.append(f"      [{role}|{direction}|{'+'.join(stance)}] {sentence}")
    if rec["url"]:
        lines.append(f"      {rec['url']}")
    return lines
