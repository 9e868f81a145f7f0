"""The watch list: which drugs, indication queries and feeds litwatch follows.

These are whole-table settings ([drugs], [[indication]], [[feed]]) with their own
kinds, and the defaults that a config without them gets.  Defaults are written as
they would be in config.toml and go through the same checks as the file.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from litwatch import vocab
from litwatch.config.base import ConfigError, Feed, IndicationQuery, suggestion
from litwatch.config.kinds import Kind, url

DEFAULT_DRUGS: dict[str, list[str]] = {
    "ketamine": ["ketamine", "Ketalar", "Ketanest"],
    "esketamine": ["esketamine", "Spravato", "Vesierra", "Ketanest S", "JNJ-54135419",
                   "S-ketamine"],
    "arketamine": ["arketamine", "R-ketamine", "(R)-ketamine", "PCN-101"],
}


def _query(name: str, labels: list[str], pubmed: str, ctgov: str) -> dict[str, Any]:
    return {"name": name, "labels": labels, "pubmed": pubmed, "ctgov": ctgov}


DEFAULT_INDICATIONS: list[dict[str, Any]] = [
    _query("depression", ["trd", "mdd"],
           'depress*[tiab] OR "Depressive Disorder"[mh] OR "Depressive Disorder, '
           'Treatment-Resistant"[mh] OR antidepress*[tiab]',
           "depression OR depressive disorder OR treatment-resistant depression OR "
           "major depressive disorder"),
    _query("bipolar", ["bipolar_depression"], 'bipolar[tiab] OR "Bipolar Disorder"[mh]',
           "bipolar disorder OR bipolar depression"),
    _query("suicidality", ["suicidal_ideation"], 'suicid*[tiab] OR "Suicidal Ideation"[mh]',
           "suicidal ideation OR suicide"),
    _query("ptsd", ["ptsd"],
           'PTSD[tiab] OR posttraumatic[tiab] OR post-traumatic[tiab] OR '
           '"Stress Disorders, Post-Traumatic"[mh]',
           "PTSD OR posttraumatic stress disorder"),
    _query("anxiety_ocd", ["anxiety", "ocd"],
           'anxiety[tiab] OR "Anxiety Disorders"[mh] OR obsessive-compulsive[tiab]',
           "anxiety OR anxiety disorders OR obsessive-compulsive disorder"),
    _query("substance_use", ["alcohol_use", "opioid_use", "cocaine_use", "other_substance_use"],
           'alcohol*[tiab] OR opioid use disorder[tiab] OR cocaine[tiab] OR addiction[tiab] '
           'OR "Substance-Related Disorders"[mh]',
           "alcohol use disorder OR opioid use disorder OR cocaine use disorder OR "
           "substance use disorder"),
    _query("chronic_pain",
           ["chronic_pain", "crps", "fibromyalgia", "neuropathic_pain", "cancer_pain",
            "headache"],
           'chronic pain[tiab] OR "Chronic Pain"[mh] OR fibromyalgia[tiab] OR "complex '
           'regional pain syndrome"[tiab] OR CRPS[tiab] OR neuropathic[tiab] OR cancer '
           'pain[tiab] OR migraine[tiab] OR headache[tiab]',
           "chronic pain OR fibromyalgia OR complex regional pain syndromes OR neuropathic "
           "pain OR cancer pain OR migraine OR headache"),
    _query("perioperative", ["acute_pain", "anaesthesia", "delirium"],
           'postoperative[tiab] OR perioperative[tiab] OR analgesi*[tiab] OR '
           '"Pain, Postoperative"[mh] OR delirium[tiab] OR sedation[tiab]',
           "postoperative pain OR acute pain OR delirium OR anesthesia OR sedation"),
]

DEFAULT_FEEDS: list[dict[str, str]] = [
    {"name": "medrxiv_psychiatry",
     "url": "https://connect.medrxiv.org/medrxiv_xml/psychiatry_and_clinical_psychology"},
    {"name": "biorxiv_pharmacology",
     "url": "https://connect.biorxiv.org/biorxiv_xml/pharmacology_and_toxicology"},
]

INDICATION_KEYS = ("name", "labels", "pubmed", "ctgov")
FEED_KEYS = ("name", "url")


def _check_drugs(value: Any, where: str, base_dir: Path) -> dict[str, tuple[str, ...]]:
    if not isinstance(value, Mapping) or not value:
        raise ConfigError(f"{where}: expected a table of drug = [terms]")
    out: dict[str, tuple[str, ...]] = {}
    for name, terms in value.items():
        if name not in vocab.DRUGS:
            raise ConfigError(f"{where}.{name}: unknown drug" + suggestion(name, vocab.DRUGS))
        if not isinstance(terms, list) or not terms or not all(
                isinstance(t, str) and t.strip() for t in terms):
            raise ConfigError(f"{where}.{name}: expected a non-empty list of terms")
        out[name] = tuple(terms)
    return out


def _tables(value: Any, where: str, keys: tuple[str, ...]) -> list[Mapping[str, Any]]:
    """An array of tables whose keys are all known (a typo is named, not ignored)."""
    if not isinstance(value, list) or not all(isinstance(v, Mapping) for v in value):
        raise ConfigError(f"{where}: expected [[{where}]] tables")
    for item in value:
        for key in item:
            if key not in keys:
                raise ConfigError(f"unknown key [[{where}]] {key}" + suggestion(key, keys))
    return value


def _text(item: Mapping[str, Any], key: str, where: str) -> str:
    text = item.get(key)
    if text is None:
        raise ConfigError(f"{where}.{key}: missing setting")
    if not isinstance(text, str) or not text.strip():
        raise ConfigError(f"{where}.{key}: expected a non-empty string")
    return text


def _labels(item: Mapping[str, Any], where: str) -> tuple[str, ...]:
    labels = item.get("labels", [])
    if not isinstance(labels, list):
        raise ConfigError(f"{where}.labels: expected a list of indication keys")
    for label in labels:
        if label not in vocab.INDICATIONS:
            raise ConfigError(f"{where}.labels: unknown indication {label!r}"
                              + suggestion(str(label), vocab.INDICATIONS))
    return tuple(labels)


def _check_indications(value: Any, where: str, base_dir: Path) -> tuple[IndicationQuery, ...]:
    items = _tables(value, where, INDICATION_KEYS)
    if not items:
        raise ConfigError(f"{where}: expected at least one [[{where}]] table")
    seen: set[str] = set()
    out = []
    for i, item in enumerate(items):
        name = _text(item, "name", f"{where}[{i}]")
        here = f"{where}[{name}]"
        if name in seen:
            raise ConfigError(f"{here}.name: duplicate query name {name!r}")
        seen.add(name)
        out.append(IndicationQuery(name, _labels(item, here), _text(item, "pubmed", here),
                                   _text(item, "ctgov", here)))
    return tuple(out)


def _check_feeds(value: Any, where: str, base_dir: Path) -> tuple[Feed, ...]:
    out = []
    for i, item in enumerate(_tables(value, where, FEED_KEYS)):
        name = _text(item, "name", f"{where}[{i}]")
        link = url(base=False).check(_text(item, "url", f"{where}[{name}]"),
                                     f"{where}[{name}].url", base_dir)
        out.append(Feed(name, link))
    return tuple(out)


def _env_feeds(text: str, where: str) -> list[dict[str, str]]:
    """LITWATCH_FEED_URLS="name=url,name=url"; set but empty means no feeds at all."""
    feeds = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, sep, link = part.partition("=")
        if not sep or not name.strip():
            raise ConfigError(f"{where}: expected name=url, got {part!r}")
        feeds.append({"name": name.strip(), "url": link.strip()})
    return feeds


DRUGS = Kind("table drug = [terms]", _check_drugs)
INDICATIONS = Kind("[[indication]] tables: name, labels, pubmed, ctgov", _check_indications)
FEEDS = Kind("[[feed]] tables: name, url", _check_feeds, _env_feeds)
