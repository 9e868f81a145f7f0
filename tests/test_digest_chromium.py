"""The digest HTML in a real headless Chromium: it loads, shows its sections, runs nothing.

Chromium is required (Debian's `chromium`, installed by .ci/run); a missing
browser is a failure with instructions, not a skip.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import lxml.html
import pytest
from sqlalchemy import Engine

from litwatch.classify.labels import Classification, Label
from litwatch.config.loader import Settings
from litwatch.digest.service import render_week
from litwatch.digest.window import week_window
from litwatch.records import Paper
from litwatch.sync.pipeline import Incoming, ingest_batch
from testkit.digest_sample import sample_week

HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)>'
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.chromium


def chromium() -> str:
    path = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists()
                                        else None)
    if not path:
        pytest.fail("headless Chromium is required for this test: /usr/bin/chromium not found "
                    "(install it with `apt-get install -y chromium`)")
    return path


def run_chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "chromium-profile"
    return subprocess.run([chromium(), *FLAGS, f"--user-data-dir={profile}", *args],
                          capture_output=True, text=True, timeout=120, check=True)


def test_digest_renders_in_chromium(settings: Settings, engine: Engine, tmp_path: Path) -> None:
    sample_week(engine, "2026-W46", count=40)
    ingest_batch(engine, [Incoming(Paper(pmid="555", title=HOSTILE, entrez_date="2026-11-12"),
                                   b"", Classification([Label("indication", "trd")]))])
    s = replace(settings, digest=replace(settings.digest, archive_dir=tmp_path / "digests"))
    w = week_window("2026-W46", s.digest.timezone)
    out = render_week(s, engine, w.start, w.end, w.label)
    url = out.archive_path.resolve().as_uri()

    dom = run_chromium(tmp_path, "--dump-dom", url).stdout
    doc = lxml.html.fromstring(dom)
    assert doc.get_element_by_id("digest-title").text_content().startswith("litwatch weekly")
    for section in ("numbers", "chart", "groups"):
        assert doc.get_element_by_id(section) is not None, section
    conditions = doc.xpath("//h2[contains(@class,'condition')]")
    assert conditions[0].text.strip() == "Treatment-resistant depression"
    # The hostile title is text: no element it could have created exists in the live DOM.
    assert not doc.xpath("//script | //img")
    assert HOSTILE in [p.text_content().strip().split("] ", 1)[1]
                       for p in doc.xpath("//div[contains(@class,'item-title')]")]

    shot = tmp_path / "digest.png"
    run_chromium(tmp_path, f"--screenshot={shot}", "--window-size=800,2000", url)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
