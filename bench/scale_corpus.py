"""Scale the bundled corpus for benchmarks: N PubMed records and M trials.

Every generated record is a copy of a real-shaped template (corpus/ or, before
the corpus exists, ../shared/realdata) with a fresh id, shifted Entrez / update
dates spread over a year, a varied title and every sentence of its text tagged as
the copy's own (bench/unique_text.py: no sentence is seen twice verbatim, as in a
real backfill), written in the emulator's layout: pubmed/<PMID>.xml and
ctgov/<NCT>.json.

    python bench/scale_corpus.py OUT --papers 50000 --trials 5000
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import sys
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from lxml import etree

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from bench.unique_text import unique_sentences  # noqa: E402

TEMPLATES = [REPO / "corpus", REPO.parent / "shared" / "realdata"]
DOCTYPE = ('<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2025//EN" '
           '"https://dtd.nlm.nih.gov/ncbi/pubmed/out/pubmed_250101.dtd">')
WORDS = ["infusion", "nasal", "randomized", "cohort", "remission", "response", "adolescents",
         "dose", "safety", "trial", "outcomes", "follow-up"]
# One condition per copy, in turn, so that each configured indication query selects
# its share of the scaled corpus, as the real literature spreads over indications.
CONDITIONS = ["depression", "bipolar disorder", "suicidal ideation", "PTSD", "anxiety",
              "alcohol use disorder", "chronic pain", "postoperative pain"]


def pubmed_templates() -> list[etree._Element]:
    out = []
    for root in TEMPLATES:
        for path in sorted((root / "pubmed").glob("*.xml")):
            tree = etree.fromstring(path.read_bytes(), etree.XMLParser(resolve_entities=False))
            out.extend(a for a in tree if a.tag == "PubmedArticle")
    for article in out:
        # Reference lists make a few records 100 KB; typical efetch records are ~5-15 KB.
        for refs in article.findall("PubmedData/ReferenceList"):
            refs.getparent().remove(refs)
    return out


def trial_templates() -> list[dict]:
    out = []
    for root in TEMPLATES:
        for path in sorted((root / "ctgov").glob("*.json")):
            data = json.loads(path.read_bytes())
            out.extend(data["studies"] if "studies" in data else [data])
    for study in out:
        # One template lists 1,148 sites; a typical study lists a handful.
        locations = study["protocolSection"].get("contactsLocationsModule", {})
        if "locations" in locations:
            locations["locations"] = locations["locations"][:5]
    return out


def _set_date(el: etree._Element | None, day: date) -> None:
    if el is None:
        return
    for tag, value in (("Year", day.year), ("Month", day.month), ("Day", day.day)):
        child = el.find(tag)
        if child is not None:
            child.text = f"{value:02d}" if tag != "Year" else str(value)


def _tag_sentences(el: etree._Element, i: int) -> None:
    """Each text chunk of an AbstractText (around its <i>, <sup> ...) tagged for copy i."""
    el.text = unique_sentences(el.text or "", i)
    for child in el:
        child.tail = unique_sentences(child.tail or "", i)


def scaled_papers(n: int, start: date, rng: random.Random) -> Iterator[tuple[str, bytes]]:
    templates = pubmed_templates()
    for i in range(n):
        article = copy.deepcopy(templates[i % len(templates)])
        pmid = str(90_000_000 + i)
        for el in article.iter("PMID"):
            if el.getparent().tag == "MedlineCitation":
                el.text = pmid
        entered = start + timedelta(days=rng.randrange(365))
        _set_date(article.find("PubmedData/History/PubMedPubDate[@PubStatus='entrez']"), entered)
        _set_date(article.find("MedlineCitation/DateRevised"),
                  entered + timedelta(days=rng.randrange(30)))
        title = article.find("MedlineCitation/Article/ArticleTitle")
        if title is not None:
            # Every copy names ketamine so that the sync's drug clause selects it.
            title.text = (f"Ketamine in {CONDITIONS[i % len(CONDITIONS)]}, "
                          f"{' '.join(rng.sample(WORDS, 3))}: {title.text or ''}")
        for text in article.iterfind("MedlineCitation/Article/Abstract/AbstractText"):
            _tag_sentences(text, i)
        body = etree.tostring(article, encoding="unicode")
        yield pmid, (f'<?xml version="1.0" ?>\n{DOCTYPE}\n<PubmedArticleSet>\n{body}\n'
                     f'</PubmedArticleSet>\n').encode()


def _tag_trial_text(proto: dict, i: int) -> None:
    arms = proto.get("armsInterventionsModule", {})
    texts = [(proto["identificationModule"], "officialTitle"),
             *((proto.get("descriptionModule", {}), k) for k in ("briefSummary",
                                                                 "detailedDescription")),
             *((item, "description") for item in
               arms.get("armGroups", []) + arms.get("interventions", []))]
    for holder, key in texts:
        if key in holder:
            holder[key] = unique_sentences(holder[key], i)


def scaled_trials(n: int, start: date, rng: random.Random) -> Iterator[tuple[str, bytes]]:
    templates = trial_templates()
    for i in range(n):
        study = copy.deepcopy(templates[i % len(templates)])
        nct = f"NCT9{i:07d}"
        proto = study["protocolSection"]
        proto["identificationModule"]["nctId"] = nct
        proto["identificationModule"]["briefTitle"] = (
            f"Ketamine in {CONDITIONS[i % len(CONDITIONS)]}, {' '.join(rng.sample(WORDS, 3))}: "
            f"{proto['identificationModule'].get('briefTitle', '')}")
        _tag_trial_text(proto, i)
        proto.setdefault("conditionsModule", {})["conditions"] = [CONDITIONS[i % len(CONDITIONS)]]
        arms = proto.setdefault("armsInterventionsModule", {})
        if not any("ketamine" in i.get("name", "").lower() for i in arms.get("interventions", [])):
            arms.setdefault("interventions", []).append(
                {"type": "DRUG", "name": "Ketamine", "description": "0.5 mg/kg IV over 40 min"})
        posted = start + timedelta(days=rng.randrange(365))
        status = proto.setdefault("statusModule", {})
        status["studyFirstPostDateStruct"] = {"date": posted.isoformat(), "type": "ACTUAL"}
        status["lastUpdatePostDateStruct"] = {
            "date": (posted + timedelta(days=rng.randrange(60))).isoformat(), "type": "ACTUAL"}
        yield nct, json.dumps(study).encode()


def write(out: Path, papers: int, trials: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    start = date(2025, 11, 1)
    (out / "pubmed").mkdir(parents=True, exist_ok=True)
    (out / "ctgov").mkdir(parents=True, exist_ok=True)
    for pmid, body in scaled_papers(papers, start, rng):
        (out / "pubmed" / f"{pmid}.xml").write_bytes(body)
    for nct, body in scaled_trials(trials, start, rng):
        (out / "ctgov" / f"{nct}.json").write_bytes(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--papers", type=int, default=50_000)
    parser.add_argument("--trials", type=int, default=5_000)
    args = parser.parse_args()
    write(args.out, args.papers, args.trials)
    print(f"wrote {args.papers} PubMed records and {args.trials} trials to {args.out}")


if __name__ == "__main__":
    main()
