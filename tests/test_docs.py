"""The docs cannot drift from the declarations: config.toml and README.md's table.

Every declared setting must appear in config.toml (set, or as a commented
`# key = value` line) and in README.md's settings table; config.toml must not
show a key that no declaration reads (a commented one included: a reader would
uncomment it and get "unknown key").
"""

from __future__ import annotations

import re

import pytest

from litwatch import vocab
from litwatch.config.declarations import SETTINGS, TABLES
from litwatch.config.docs import BEGIN, END, settings_table
from litwatch.config.watchlist import FEED_KEYS, INDICATION_KEYS
from tests.conftest import CONFIG, REPO

README = REPO / "README.md"
_HEADER = re.compile(r"^#?\s*\[\[?([A-Za-z_]+)\]\]?\s*(#.*)?$")
_KEY = re.compile(r"^(?:#\s?)?([A-Za-z_][A-Za-z0-9_-]*)\s*=")
# Keys inside the whole-table settings are checked by their kinds, not by TABLES.
_TABLE_KEYS = {"drugs": set(vocab.DRUGS), "indication": set(INDICATION_KEYS),
               "feed": set(FEED_KEYS)}


def example_keys(text: str) -> set[tuple[str, str]]:
    """(section, key) of every set or commented `key = ...` line, by the header above it."""
    found, section = set(), ""
    for line in text.splitlines():
        if header := _HEADER.match(line.strip()):
            section = header.group(1)
            found.add((section, ""))
        elif key := _KEY.match(line.strip()):
            found.add((section, key.group(1)))
    return found


def missing_from_example(text: str) -> list[str]:
    keys = example_keys(text)
    missing = [s.key for s in SETTINGS if s.file and "." in s.key
               and (s.section, s.name) not in keys]
    missing += [s.key for s in SETTINGS if s.file and "." not in s.key and (s.key, "") not in keys]
    # Environment-only settings cannot be keys; the file must still say they exist.
    return missing + [s.env for s in SETTINGS if s.env and s.env not in text]


def undeclared_in_example(text: str) -> list[str]:
    wrong = []
    for section, key in sorted(example_keys(text)):
        known = _TABLE_KEYS.get(section) or {n for n, s in TABLES.get(section, {}).items()
                                             if s.file}
        if (section not in TABLES and section not in _TABLE_KEYS) or (key and key not in known):
            wrong.append(f"[{section}] {key}".strip())
    return wrong


def readme_table(text: str) -> str:
    assert BEGIN in text and END in text, "README.md lost its settings-table markers"
    return text[text.index(BEGIN) + len(BEGIN):text.index(END)].strip()


def test_every_declared_setting_is_in_config_toml() -> None:
    assert missing_from_example(CONFIG.read_text(encoding="utf-8")) == []


def test_config_toml_has_no_undeclared_key() -> None:
    assert undeclared_in_example(CONFIG.read_text(encoding="utf-8")) == []


def test_every_declared_setting_is_in_the_readme_table() -> None:
    table = readme_table(README.read_text(encoding="utf-8"))
    for s in SETTINGS:
        if s.file and "." in s.key:
            assert f"`[{s.section}] {s.name}`" in table, s.key
        if s.env:
            assert f"`{s.env}`" in table, s.env


def test_the_readme_table_is_the_generated_one() -> None:
    assert readme_table(README.read_text(encoding="utf-8")) == settings_table(), \
        "README.md is stale: run `python -m litwatch.config.docs --write README.md`"


@pytest.mark.parametrize("edit, problem", [
    (lambda t: t.replace("retmax = 10000", ""), "pubmed.retmax"),
    (lambda t: t.replace("retmax = 10000", "# retmax = 10000"), None),
    (lambda t: t.replace("LITWATCH_TODAY", "THE CLOCK"), "LITWATCH_TODAY"),
    (lambda t: t + "\n[http]\n# retries = 3\n", "[http] retries"),
    (lambda t: t + "\n[cache]\n", "[cache]"),
])
def test_the_checks_catch_drift(edit, problem: str | None) -> None:
    text = edit(CONFIG.read_text(encoding="utf-8"))
    found = missing_from_example(text) + undeclared_in_example(text)
    assert found == ([problem] if problem else [])
