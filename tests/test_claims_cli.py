"""`litwatch claims` end to end, the HTML page in headless Chromium, the digest watch."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest
from sqlalchemy import Engine

from litwatch.claims.watch import claims_watch
from litwatch.cli import main
from litwatch.config.loader import Settings
from tests.test_claims_helpers import SEED, paper, store

HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>'
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
CLAIMS_TOML = f"""
[[claims]]
id = "rapid"
seed = "{SEED}"
claim = "Ketamine infusions ease treatment-resistant depression within a day."
[claims.implies]
indications = ["trd"]
[claims.search]
indications = ["trd"]
terms = ["ketamine infusion"]

[[claims]]
id = "cited"
seed = "{SEED}"
claim = "A 2020 JAMA Psychiatry paper showed it."
[claims.implies]
journal = "JAMA Psychiatry"
year = 2020
[claims.search]
terms = ["ketamine infusion"]
[claims.reviewer]
verdict = "partly supported"
note = "The 2014 paper is meant."
"""


@pytest.fixture
def world(settings: Settings, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
          ) -> Path:
    monkeypatch.setenv("LITWATCH_DATABASE_URL", settings.database_url)
    store(engine,
          paper(HOSTILE, "A ketamine infusion trial in TRD.", "rct",
                labels=(("indication", "trd"),), entrez="2026-11-12"),
          paper("Ketamine infusion case", "One ketamine infusion.", "case_report",
                labels=(("indication", "trd"),), entrez="2020-01-01"),
          now=datetime(2026, 1, 5, tzinfo=UTC))     # first seen long before the window
    path = tmp_path / "claims.toml"
    path.write_text(CLAIMS_TOML, encoding="utf-8")
    return path


def test_json_output_for_pipes(world: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["claims", "--claims", str(world), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    rapid, cited = data["claims"]
    assert rapid["suggested_verdict"] == "supported"
    assert [e["design"] for e in rapid["evidence"]] == ["rct", "case_report"]
    assert rapid["evidence"][0]["url"].startswith("https://pubmed.ncbi.nlm.nih.gov/")
    assert cited["suggested_verdict"] == "not found as cited"
    assert cited["verdict"] == "partly supported" and cited["reviewer"]["note"]


def test_one_claim_by_id_and_unknown_id(world: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["claims", "rapid", "--claims", str(world)]) == 0
    out = capsys.readouterr().out
    assert "== rapid" in out and "== cited" not in out and "randomized_support" in out
    assert main(["claims", "nope", "--claims", str(world)]) == 2
    assert "no claim with id 'nope'" in capsys.readouterr().err


def test_bad_claims_file_is_a_usage_error(tmp_path: Path, world: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(CLAIMS_TOML.replace('indications = ["trd"]\n[claims.search]',
                                       'indications = ["tdr"]\n[claims.search]', 1))
    assert main(["claims", "--claims", str(bad)]) == 2
    assert "claim rapid: key 'implies.indications': unknown value 'tdr'" in \
        capsys.readouterr().err


def chromium() -> str:
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("headless Chromium is required: install it with `apt-get install -y chromium`")
    return path


def run_chromium(tmp_path: Path, *args: str) -> str:
    profile = tmp_path / "chromium-profile"
    done = subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120, check=True)
    return done.stdout


@pytest.mark.chromium
def test_html_page_in_headless_chromium(world: Path, tmp_path: Path) -> None:
    page = tmp_path / "claims.html"
    assert main(["claims", "--claims", str(world), "--format", "html", "--out", str(page)]) == 0
    doc = lxml.html.fromstring(run_chromium(tmp_path, "--dump-dom", page.resolve().as_uri()))
    sections = doc.xpath("//section[@data-claim-id]")
    assert [s.get("data-claim-id") for s in sections] == ["rapid", "cited"]
    assert "supported" in sections[0].text_content()
    assert "Reviewer verdict" in sections[1].text_content()
    assert doc.get_element_by_id("verdict-table") is not None
    # The hostile title stayed text: nothing it could have created is in the live DOM.
    assert not doc.xpath("//script | //img")
    titles = [a.text_content() for a in doc.xpath("//li[contains(@class,'record')]/a")]
    assert HOSTILE in titles

    shot = tmp_path / "claims.png"
    run_chromium(tmp_path, f"--screenshot={shot}", "--window-size=900,1600",
                 page.resolve().as_uri())
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_claims_watch_lists_claims_that_gained_evidence(world: Path, settings: Settings,
                                                        engine: Engine) -> None:
    start, end = datetime(2026, 11, 9, tzinfo=UTC), datetime(2026, 11, 16, tzinfo=UTC)
    items = claims_watch(settings, engine, start, end, claims_path=world)
    # Only the record that entered PubMed inside the window is new.
    by_id = {i.claim_id: i for i in items}
    assert by_id["rapid"].verdict == "supported" and by_id["rapid"].seed == SEED
    titles = [r["title"] for r in by_id["rapid"].new_records]
    assert titles == [HOSTILE]
    assert by_id["rapid"].new_records[0]["url"].startswith("https://pubmed")
    assert by_id["cited"].verdict == "partly supported"
    assert claims_watch(settings, engine, datetime(2001, 1, 1, tzinfo=UTC),
                        datetime(2001, 1, 8, tzinfo=UTC), claims_path=world) == []
