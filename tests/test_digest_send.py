"""Sending the weekly digest once: real SMTP (aiosmtpd), the digest_run table, retries, CLI."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import lxml.html
import pytest
from sqlalchemy import Engine
from sqlmodel import Session, select

from litwatch.cli import main
from litwatch.config.loader import Settings
from litwatch.digest.service import digest_due, run_weekly_digest
from litwatch.store.engine import open_engine
from litwatch.store.tables import DigestRunRow
from testkit.digest_sample import sample_week
from tests.conftest import CONFIG
from tests.test_mailer import free_port
from tests.test_mailer import smtp_server as _smtp_server

smtp_server = _smtp_server      # the real SMTP server fixture, shared with test_mailer

# Wednesday of W47: W46 is the last complete week.
NOW = datetime(2026, 11, 18, 9, 0, tzinfo=UTC)


def send_settings(settings: Settings, tmp_path: Path, port: int, **digest: object) -> Settings:
    return replace(
        settings,
        digest=replace(settings.digest, archive_dir=tmp_path / "digests", **digest),
        smtp=replace(settings.smtp, host="127.0.0.1", port=port, security="none",
                     sender="litwatch <digest@litwatch.example>",
                     recipients=("reader@example.org",),
                     list_unsubscribe="mailto:unsubscribe@litwatch.example"))


def runs(engine: Engine) -> list[DigestRunRow]:
    with Session(engine) as session:
        return list(session.exec(select(DigestRunRow)).all())


def test_sent_digest_has_both_parts_headers_links_and_groups(
        settings: Settings, engine: Engine, tmp_path: Path, smtp_server) -> None:
    inbox, port = smtp_server
    sample_week(engine, "2026-W46", count=40)
    outcome = run_weekly_digest(send_settings(settings, tmp_path, port), engine, now=NOW)
    assert (outcome.status, outcome.week, outcome.error) == ("sent", "2026-W46", None)
    [msg] = inbox.messages
    assert msg["From"] == "litwatch <digest@litwatch.example>"
    assert msg["To"] == "reader@example.org"
    assert msg["Subject"].startswith("litwatch 2026-W46: 22 new papers, 10 new trials")
    assert msg["Message-ID"] and msg["Date"]
    assert msg["List-Unsubscribe"] == "<mailto:unsubscribe@litwatch.example>"
    assert msg.get_content_type() == "multipart/alternative"
    text = msg.get_body(("plain",)).get_content()
    html = msg.get_body(("html",)).get_content()
    doc = lxml.html.fromstring(html)
    conditions = [h.text.strip() for h in doc.xpath("//h2[contains(@class,'condition')]")]
    assert conditions[0] == "Treatment-resistant depression"
    assert conditions[-2:] == ["Other / unclassified", "Older records first seen this week"]
    assert [f"== {c} (" in text for c in conditions] == [True] * len(conditions)
    assert [text.index(f"== {c} (") for c in conditions] == sorted(
        text.index(f"== {c} (") for c in conditions)
    hrefs = doc.xpath("//a/@href")
    assert "https://clinicaltrials.gov/study/NCT90007001" in hrefs       # the updated trial
    assert "https://pubmed.ncbi.nlm.nih.gov/41007002/" in hrefs          # the retraction
    assert "https://clinicaltrials.gov/study/NCT90007001" in text
    [run] = runs(engine)
    assert (run.status, run.attempts, run.message_id) == ("sent", 1, msg["Message-ID"].strip())
    assert Path(run.archive_path) == outcome.archive_path and outcome.archive_path.exists()


def test_a_week_is_sent_once_unless_forced(settings: Settings, engine: Engine, tmp_path: Path,
                                           smtp_server) -> None:
    inbox, port = smtp_server
    s = send_settings(settings, tmp_path, port)
    sample_week(engine, "2026-W46", count=10)
    assert digest_due(s, engine, NOW) == "2026-W46"
    assert run_weekly_digest(s, engine, now=NOW).status == "sent"
    assert digest_due(s, engine, NOW) is None
    assert run_weekly_digest(s, engine, now=NOW).status == "skipped"
    assert run_weekly_digest(s, engine, now=NOW, week="2026-W46").status == "skipped"
    assert len(inbox.messages) == 1
    assert run_weekly_digest(s, engine, now=NOW, week="2026-W46", force=True).status == "sent"
    assert len(inbox.messages) == 2 and runs(engine)[0].attempts == 2


def test_failed_send_is_recorded_archived_and_retried(settings: Settings, engine: Engine,
                                                      tmp_path: Path, smtp_server) -> None:
    inbox, port = smtp_server
    sample_week(engine, "2026-W46", count=10)
    down = send_settings(settings, tmp_path, free_port())           # nothing listens there
    failed = run_weekly_digest(down, engine, now=NOW)
    assert failed.status == "failed" and "127.0.0.1" in (failed.error or "")
    assert failed.archive_path and failed.archive_path.exists()
    [run] = runs(engine)
    assert (run.status, run.attempts) == ("failed", 1) and run.error
    # A week later the failed week still comes first: nothing is lost.
    later = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)
    up = send_settings(settings, tmp_path, port)
    assert digest_due(up, engine, later) == "2026-W46"
    assert run_weekly_digest(up, engine, now=later).status == "sent"
    assert digest_due(up, engine, later) == "2026-W47"
    assert run_weekly_digest(up, engine, now=NOW, week="2026-W46").status == "skipped"
    assert len(inbox.messages) == 1
    [run] = [r for r in runs(engine) if r.week == "2026-W46"]
    assert (run.status, run.attempts, run.error) == ("sent", 2, "")


def test_empty_week_follows_send_empty(settings: Settings, engine: Engine, tmp_path: Path,
                                       smtp_server) -> None:
    inbox, port = smtp_server
    quiet = send_settings(settings, tmp_path, port, send_empty=False)
    outcome = run_weekly_digest(quiet, engine, now=NOW)
    assert outcome.status == "skipped" and outcome.archive_path and outcome.archive_path.exists()
    assert inbox.messages == [] and digest_due(quiet, engine, NOW) is None
    loud = send_settings(settings, tmp_path, port, send_empty=True)
    assert run_weekly_digest(loud, engine, now=NOW, week="2026-W45").status == "sent"
    assert "nothing new" in inbox.messages[0]["Subject"]


def write_config(tmp_path: Path, port: int) -> Path:
    text = CONFIG.read_text(encoding="utf-8")
    replacements = {
        r'url = "sqlite:///data/litwatch.db"': f'url = "sqlite:///{tmp_path}/cli.db"',
        r'archive_dir = "data/digests"': f'archive_dir = "{tmp_path}/digests"',
        r'host = "localhost"': 'host = "127.0.0.1"',
        r'port = 587': f'port = {port}',
        r'security = "starttls"': 'security = "none"',
        r'recipients = \[\]': 'recipients = ["reader@example.org"]',
    }
    for pattern, value in replacements.items():
        text, n = re.subn(pattern, value, text, count=1)
        assert n == 1, pattern
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_cli_send_failure_exits_non_zero_and_the_next_run_sends(
        tmp_path: Path, smtp_server, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch) -> None:
    inbox, port = smtp_server
    for name in ("LITWATCH_DATABASE_URL", "LITWATCH_TODAY", "LITWATCH_SMTP_PASSWORD"):
        monkeypatch.delenv(name, raising=False)
    down = write_config(tmp_path, free_port())
    engine = open_engine(f"sqlite:///{tmp_path}/cli.db")
    sample_week(engine, "2026-W46", count=10)
    engine.dispose()
    args = ["digest", "--week", "2026-W46", "--send"]
    assert main(["--config", str(down), *args]) == 1
    assert "FAILED" in capsys.readouterr().out and inbox.messages == []
    up = write_config(tmp_path, port)
    assert main(["--config", str(up), *args]) == 0
    out = capsys.readouterr().out
    assert "2026-W46: sent" in out and f"wrote {tmp_path}/digests/litwatch-2026-W46.html" in out
    assert main(["--config", str(up), *args]) == 0
    assert "skipped" in capsys.readouterr().out and len(inbox.messages) == 1
    assert main(["--config", str(up), *args, "--force"]) == 0
    assert len(inbox.messages) == 2
