"""`litwatch claims` end to end: all claims, `check "TEXT"`, `extract`, --help with the
rule table, the HTML page in headless Chromium, and the digest's claims watch."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest
from sqlalchemy import Engine

from litwatch.claims.rules import RULES
from litwatch.claims.watch import claims_watch
from litwatch.cli import main
from litwatch.config.loader import Settings
from tests.test_claims_helpers import ARTICLE, paper, store

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "seeds"
HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>'
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TRD = (("indication", "trd"), ("route", "intravenous"))
CLAIMS_TOML = f"""
[[claims]]
id = "rapid"
article = "{ARTICLE}"
quote = "relief can come in as little as a few hours"
claim = "Ketamine infusions ease treatment-resistant depression within a day."

[[claims]]
id = "cited"
article = "{ARTICLE}"
claim = "A 2020 JAMA Psychiatry paper showed ketamine eases treatment-resistant depression."
[claims.reviewer]
verdict = "partly supported"
note = "The 2014 paper is meant."
"""
EXAMPLE = ("A 2019 study in a psychiatry journal found a 50% drop in depression 24 hours after "
           "one ketamine infusion")


@pytest.fixture
def world(settings: Settings, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
          ) -> Path:
    monkeypatch.setenv("LITWATCH_DATABASE_URL", settings.database_url)
    result = "Depression scores fell more within 24 hours of ketamine than of placebo."
    store(engine,
          paper(HOSTILE, results=result, labels=TRD, entrez="2026-11-12"),
          paper("Ketamine infusion trial two", results=result, labels=TRD, entrez="2020-01-01"),
          paper("Ketamine infusion case", design="case_report", results=result, labels=TRD,
                entrez="2020-01-01"),
          now=datetime(2026, 1, 5, tzinfo=UTC))     # first seen long before the window
    path = tmp_path / "claims.toml"
    path.write_text(CLAIMS_TOML, encoding="utf-8")
    return path


def test_json_output_for_pipes(world: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["claims", "--claims", str(world), "--format", "json"]) == 0
    rapid, cited = json.loads(capsys.readouterr().out)["claims"]
    assert (rapid["suggested_verdict"], rapid["rule"]) == ("supported", "concordant-support")
    assert [r["design"] for r in rapid["records"]] == ["rct", "rct", "case_report"]
    assert rapid["records"][0]["url"].startswith("https://pubmed.ncbi.nlm.nih.gov/")
    assert rapid["articles"] == [f"{ARTICLE} — unnamed ketamine-therapy provider page (urges "
                                 "readers to contact a provider)"]
    assert cited["suggested_verdict"] == "not found as cited"
    assert cited["verdict"] == "partly supported" and cited["reviewer"]["note"]


def test_one_claim_by_id_and_unknown_id(world: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["claims", "rapid", "--claims", str(world)]) == 0
    out = capsys.readouterr().out
    assert "== rapid" in out and "== cited" not in out and "concordant-support" in out
    assert ARTICLE in out and "004_" not in out
    assert main(["claims", "nope", "--claims", str(world)]) == 2
    assert "no claim with id 'nope'" in capsys.readouterr().err


def test_bad_claims_file_is_a_usage_error(tmp_path: Path, world: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(CLAIMS_TOML + '[claims.implies]\nindications = ["tdr"]\n', encoding="utf-8")
    assert main(["claims", "--claims", str(bad)]) == 2
    assert "claim cited: key 'implies.indications': unknown value 'tdr'" in \
        capsys.readouterr().err


def test_check_text_prints_implies_rule_and_evidence(world: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["claims", "check", "Ketamine relieves treatment-resistant depression within "
                 "hours."]) == 0
    out = capsys.readouterr().out
    assert "Implies: onset (benefit); indications trd" in out
    assert "Suggested verdict: supported  [rule concordant-support]" in out
    assert "[results|benefit|for] Depression scores fell" in out
    assert main(["claims", "check"]) == 2
    assert "give the claim" in capsys.readouterr().err


def test_check_json_shape_on_the_demo_store(corpus_db: Path, tmp_path: Path) -> None:
    # Its time (issue: under 2 s) is measured in bench/bench_cli.py, not asserted here.
    db = tmp_path / "demo.db"
    shutil.copyfile(corpus_db, db)
    env = dict(os.environ, LITWATCH_DATABASE_URL=f"sqlite:///{db}")
    done = subprocess.run([sys.executable, "-m", "litwatch", "claims", "check", EXAMPLE,
                           "--format", "json"], capture_output=True, text=True, env=env,
                          cwd=REPO, timeout=60, check=True)
    data = json.loads(done.stdout)
    assert data["verdict"] == "not found as cited" and data["rule"] == "cited-not-found"
    assert data["implies"]["year"] == 2019 and data["implies"]["effect"] == "50% reduction"
    assert data["implies"]["routes"] == ["intravenous"] and data["implies"]["kind"] == "citation"
    assert data["evidence"], "the records read for the claim are listed"
    for item in data["evidence"]:
        assert {"id", "sentence", "role", "direction"} <= set(item)
        assert item["role"] in ("results", "conclusions")


def test_help_prints_the_rule_table(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as done:
        main(["claims", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "check TEXT" in out and "extract ARTICLE" in out
    assert all(rule.id in out for rule in RULES)


def test_extract_writes_claims_to_review(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "drafts.toml"
    assert main(["claims", "extract", str(SEEDS / "000_2a5eb6bd3307ab11.txt"),
                 "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert 'article = "Inside the Rise of Ketamine-Assisted Therapy' in text
    assert "000_2a5eb6bd3307ab11" not in text
    assert main(["claims", "extract", str(tmp_path / "missing.txt")]) == 2


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
    assert doc.get_element_by_id("rule-table") is not None
    # The hostile title stayed text: nothing it could have created is in the live DOM.
    assert not doc.xpath("//script | //img")
    titles = [a.text_content() for a in doc.xpath("//li[contains(@class,'record')]/a")]
    assert HOSTILE in titles


def test_claims_watch_names_articles_and_new_records(world: Path, settings: Settings,
                                                     engine: Engine) -> None:
    start, end = datetime(2026, 11, 9, tzinfo=UTC), datetime(2026, 11, 16, tzinfo=UTC)
    items = claims_watch(settings, engine, start, end, claims_path=world)
    by_id = {i.claim_id: i for i in items}
    assert by_id["rapid"].verdict == "supported"
    assert by_id["rapid"].seed.startswith(ARTICLE) and ".txt" not in by_id["rapid"].seed
    assert [r["title"] for r in by_id["rapid"].new_records] == [HOSTILE]
    assert by_id["rapid"].new_records[0]["url"].startswith("https://pubmed")
    assert claims_watch(settings, engine, datetime(2001, 1, 1, tzinfo=UTC),
                        datetime(2001, 1, 8, tzinfo=UTC), claims_path=world) == []


def test_readme_lists_the_same_rules_as_the_code() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Claims verdict rules", 1)[1].split("\n## ", 1)[0]
    assert all(f"`{rule.id}`" in section for rule in RULES)
