"""Bad input and secrets: what an operator or a hostile payload can throw at litwatch.

- Bad configuration and command lines stop with exit status 2, a message naming the
  key or option, and nothing written (no database file).
- Hostile XML (entity expansion, external entities) is refused by every parser and
  fails a sync loudly; oversized payloads and huge feeds are bounded; invalid UTF-8
  never crashes a parser.
- Search text never reaches SQL.
- The NCBI API key and the SMTP password never appear in any output, log, database
  byte or archived digest.
"""

from __future__ import annotations

import dataclasses
import http.server
import re
import secrets
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from litwatch.cli import build_parser, main
from litwatch.http import BadPayload, HttpClient, SourceError
from litwatch.sources.ctgov_json import parse_studies_page
from litwatch.sources.feed_parse import MAX_ENTRIES, parse_feed
from litwatch.sources.pubmed_xml import parse_efetch, parse_esearch
from testkit.emulator import Emulator
from tests.conftest import CONFIG
from tests.test_faults import LATE, Lab, build_corpus
from tests.test_kill import EmulatorProcess, litwatch_env, run_litwatch, write_config

SUBCOMMANDS = sorted(build_parser()._subparsers._group_actions[0].choices)  # noqa: SLF001

# --------------------------------------------------------------------------- bad input


def _config(tmp_path: Path, text: str | None = None, **replace: str) -> Path:
    """A config.toml in tmp_path whose database would be tmp_path/data/litwatch.db."""
    path = tmp_path / "config.toml"
    text = CONFIG.read_text(encoding="utf-8") if text is None else text
    for old, new in replace.items():
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    return path


BAD_CONFIGS = [
    pytest.param({"[pubmed]": "[pubmed"}, "not valid TOML", id="broken-toml"),
    pytest.param({'labels = ["trd", "mdd"]': 'labels = ["trd", "depresion"]'},
                 "indication[depression].labels", id="unknown-indication"),
    pytest.param({"max_retries = 5": 'max_retries = "five"'}, "http.max_retries",
                 id="wrong-type"),
    pytest.param({'security = "starttls"': 'security = "tls"'}, "smtp.security",
                 id="bad-choice"),
    pytest.param({"overlap_days = 3": "overlap_days = -3"}, "pubmed.overlap_days",
                 id="out-of-range"),
]


@pytest.mark.parametrize("replace, key", BAD_CONFIGS)
@pytest.mark.parametrize("command", [["sync"], ["stats"], ["search", "ketamine"]])
def test_bad_config_exits_2_naming_the_key_and_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        replace: dict[str, str], key: str, command: list[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LITWATCH_DATABASE_URL", raising=False)
    config = _config(tmp_path, **replace)
    assert main(["--config", str(config), *command]) == 2
    err = capsys.readouterr().err
    assert "configuration error" in err and key in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"], "something written"


BAD_ARGS = [
    pytest.param(["sync", "--since", "2026-13-01"], {}, "--since", id="sync-since-month-13"),
    pytest.param(["sync", "--since", "yesterday"], {}, "--since", id="sync-since-word"),
    pytest.param(["sync", "--source", "embase"], {}, "--source", id="sync-unknown-source"),
    pytest.param(["sync"], {"LITWATCH_TODAY": "2026-02-30"}, "LITWATCH_TODAY",
                 id="sync-bad-LITWATCH_TODAY"),
    pytest.param(["search", "ketamine", "--route", "teleport"], {}, "route",
                 id="search-unknown-route"),
    pytest.param(["search", "ketamine", "--indication", "depresion"], {}, "indication",
                 id="search-unknown-indication"),
    pytest.param(["search", "ketamine", "--since", "2026-13-01"], {}, "--since",
                 id="search-bad-since"),
    pytest.param(["export", "--route", "teleport"], {}, "route", id="export-unknown-route"),
    pytest.param(["digest", "--since", "2026-13-01"], {}, "--since", id="digest-bad-since"),
    pytest.param(["digest", "--week", "2026-W99"], {}, "--week", id="digest-bad-week"),
]


@pytest.mark.parametrize("argv, env, option", BAD_ARGS)
def test_bad_option_exits_2_naming_it_and_writes_nothing(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
        argv: list[str], env: dict[str, str], option: str) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("LITWATCH_DATABASE_URL", raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = _config(tmp_path)
    try:
        status = main(["--config", str(config), *argv])
    except SystemExit as exc:          # argparse's own usage errors
        status = exc.code
    assert status == 2
    err = capsys.readouterr().err
    assert option in err, err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.toml"], \
        f"{argv} {env}: something was written before the bad value was refused"


def test_the_process_exit_status_is_2(tmp_path: Path) -> None:
    # The same through a real process: the shell sees 2, and no database appears.
    config = _config(tmp_path, **{"[pubmed]": "[pubmed"})
    done = subprocess.run([sys.executable, "-m", "litwatch", "--config", str(config), "sync"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin"})
    assert done.returncode == 2, done.stderr
    assert str(config) in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "data").exists()


# --------------------------------------------------------------------------- hostile XML

BILLION_LAUGHS = b"""<?xml version="1.0" encoding="%(enc)s"?>
<!DOCTYPE %(root)s [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
"""
EXTERNAL = b"""<?xml version="1.0" encoding="%(enc)s"?>
<!DOCTYPE %(root)s [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
"""
BODIES = {
    "efetch": (b"PubmedArticleSet", b"""<PubmedArticleSet><PubmedArticle><MedlineCitation
 Status="MEDLINE" Owner="NLM"><PMID Version="1">12345</PMID><Article><ArticleTitle>Ketamine
 &%(ent)s;</ArticleTitle><Abstract><AbstractText>&%(ent)s;</AbstractText></Abstract></Article>
</MedlineCitation></PubmedArticle></PubmedArticleSet>"""),
    "esearch": (b"eSearchResult", b"""<eSearchResult><Count>1</Count><RetMax>1</RetMax>
<RetStart>0</RetStart><IdList><Id>1&%(ent)s;</Id></IdList></eSearchResult>"""),
    "feed": (b"rss", b"""<rss version="2.0"><channel><title>f &%(ent)s;</title><item>
<title>Ketamine &%(ent)s;</title><guid>x1</guid><description>&%(ent)s;</description>
</item></channel></rss>"""),
}
PARSERS = {"efetch": parse_efetch, "esearch": parse_esearch,
           "feed": lambda body: parse_feed(body, "hostile")}


def hostile(kind: str, attack: str, encoding: str = "UTF-8") -> bytes:
    root, body = BODIES[kind]
    head, ent = (BILLION_LAUGHS, b"lol9") if attack == "laughs" else (EXTERNAL, b"xxe")
    text = (head % {b"enc": encoding.encode(), b"root": root} + body % {b"ent": ent})
    return text.decode().encode(encoding)


@pytest.mark.parametrize("encoding", ["UTF-8", "UTF-16"])
@pytest.mark.parametrize("attack", ["laughs", "external"])
@pytest.mark.parametrize("kind", ["efetch", "esearch", "feed"])
def test_hostile_xml_is_refused(kind: str, attack: str, encoding: str) -> None:
    # The parsers promise to refuse entity declarations outright, whatever the encoding
    # the XML declaration names (UTF-16 is as legal as UTF-8 to an XML parser). Refused
    # as "malformed" is refused too: the payload is a BadPayload, never records.
    body = hostile(kind, attack, encoding)
    started = time.monotonic()
    with pytest.raises(BadPayload):
        PARSERS[kind](body)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("encoding", ["UTF-8", "UTF-16"])
@pytest.mark.parametrize("attack", ["laughs", "external"])
@pytest.mark.parametrize("kind", ["efetch", "feed"])
def test_hostile_xml_is_never_expanded(kind: str, attack: str, encoding: str) -> None:
    # Whatever a parser does with such a body, no entity is ever expanded: no
    # exponential text, no file content.
    try:
        result = PARSERS[kind](hostile(kind, attack, encoding))
    except BadPayload:
        return
    text = repr(result)
    assert "lollol" not in text and "root:" not in text and len(text) < 20_000


@pytest.fixture(scope="module")
def hostile_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = build_corpus(tmp_path_factory.mktemp("hostile"), papers=12, trials=6)
    (root / "feeds" / "zz_laughs.xml").write_bytes(hostile("feed", "laughs"))
    (root / "feeds" / "zz_xxe.xml").write_bytes(hostile("feed", "external"))
    # Invalid UTF-8 in a feed that says it is UTF-8: 0xff, 0xfe and a Latin-1 é.
    bad = (b'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
           b"<title>Broken bytes</title><item><title>Ketamine caf\xe9 \xff\xfe trial</title>"
           b"<guid>broken-utf8-1</guid><description>ketamine \x80 infusion</description>"
           b"</item></channel></rss>")
    (root / "feeds" / "zz_badutf8.xml").write_bytes(bad)
    return root


@pytest.fixture(scope="module")
def hostile_emulator(hostile_corpus: Path) -> Iterator[Emulator]:
    with Emulator(hostile_corpus, today=LATE) as emu:
        yield emu


def test_hostile_feeds_fail_the_sync_loudly_and_store_nothing(
        tmp_path: Path, hostile_corpus: Path, hostile_emulator: Emulator) -> None:
    lab = Lab(hostile_emulator, hostile_corpus, tmp_path / "h.db")
    report = lab.sync(sources=["feeds"])
    assert not report.ok
    assert "XML entity declarations are refused" in report.errors[0]
    with sqlite3.connect(tmp_path / "h.db") as conn:
        titles = [t for (t,) in conn.execute("SELECT title || abstract FROM record")]
        states = {n for (n,) in conn.execute("SELECT name FROM feed_state")}
        failed = {q for (q,) in conn.execute(
            "SELECT query FROM sync_run WHERE status = 'failed'")}
    assert failed == {"zz_laughs", "zz_xxe"}
    assert not {"zz_laughs", "zz_xxe"} & states, "a refused feed must not be marked read"
    assert not any("lol" in t or "root:" in t for t in titles)
    # The invalid UTF-8 feed is read, not a crash: its item is stored, text decoded.
    assert "zz_badutf8" in states
    assert any(t.startswith("Ketamine caf") for t in titles), titles
    lab.close()


# --------------------------------------------------------------------------- bounds


def test_invalid_utf8_is_a_clear_failure_for_xml_and_json() -> None:
    with pytest.raises(BadPayload, match="malformed XML"):
        parse_efetch(b'<?xml version="1.0" encoding="UTF-8"?><PubmedArticleSet>'
                     b"<PubmedArticle>\xff\xfe</PubmedArticle></PubmedArticleSet>")
    with pytest.raises(BadPayload, match="malformed JSON"):
        parse_studies_page(b'{"studies": [], "totalCount": 0, "x": "\xff"}')


def test_a_feed_with_thousands_of_entries_is_bounded() -> None:
    items = "".join(f"<item><title>Ketamine {i}</title><guid>g{i}</guid></item>"
                    for i in range(MAX_ENTRIES + 1500))
    body = f'<rss version="2.0"><channel><title>big</title>{items}</channel></rss>'.encode()
    started = time.monotonic()
    _, parsed = parse_feed(body, "big")
    assert len(parsed) == MAX_ENTRIES
    assert time.monotonic() - started < 10


def test_oversized_sync_payload_fails_the_source_loudly(
        tmp_path: Path, hostile_corpus: Path, hostile_emulator: Emulator) -> None:
    hostile_emulator.clear_faults()
    lab = Lab(hostile_emulator, hostile_corpus, tmp_path / "big.db")
    # 2 KB: esearch answers fit, efetch batches (10 records, ~40 KB) do not.
    lab.settings = dataclasses.replace(
        lab.settings, http=dataclasses.replace(lab.settings.http, max_response_mb=0.002))
    report = lab.sync(sources=["pubmed"])
    assert not report.ok and "http.max_response_mb" in report.errors[0]
    assert lab.records() == {}
    lab.close()


class _Endless(http.server.BaseHTTPRequestHandler):
    """Streams a body with no Content-Length (close-delimited) that never ends."""

    protocol_version = "HTTP/1.0"

    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/xml")
        self.end_headers()
        chunk = b"<x>" + b"k" * 65_536 + b"</x>"
        try:
            for _ in range(10_000):            # ~650 MB if nobody stops reading
                self.wfile.write(chunk)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *args: object) -> None:
        pass


def test_a_body_without_content_length_is_cut_at_the_limit() -> None:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Endless)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        from litwatch.config.loader import HttpSettings
        client = HttpClient(HttpSettings(max_response_mb=1, max_retries=0, timeout_seconds=5))
        started = time.monotonic()
        with pytest.raises(SourceError, match="max_response_mb"):
            client.fetch("GET", f"http://127.0.0.1:{server.server_address[1]}/", source="t",
                         parse=lambda r: r.body)
        assert time.monotonic() - started < 5
    finally:
        server.shutdown()
        server.server_close()


# --------------------------------------------------------------------------- SQL


@pytest.fixture(scope="module")
def synced(hostile_corpus: Path, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[tuple[Path, EmulatorProcess, Path]]:
    """A store filled by a real `litwatch sync` process; the emulator stays up."""
    tmp = tmp_path_factory.mktemp("synced")
    emulator = EmulatorProcess(hostile_corpus, tmp)
    yield tmp, emulator, write_config(tmp / "config.toml")
    emulator.stop()


def test_search_text_cannot_reach_sql(synced: tuple[Path, EmulatorProcess, Path],
                                      hostile_corpus: Path) -> None:
    tmp, emulator, config = synced
    db = tmp / "search.db"
    env = litwatch_env(config, f"sqlite:///{db}", emulator, hostile_corpus)
    run_litwatch(["sync", "--quiet", "--source", "pubmed"], env)
    with sqlite3.connect(db) as conn:
        before = conn.execute("SELECT count(*) FROM record").fetchone()[0]
    assert before > 0
    for query in ("'; DROP TABLE record; --", 'ketamine" OR 1=1; DELETE FROM record; --'):
        done = run_litwatch(["search", query], env)
        assert done.returncode in (0, 1), done.stderr
        assert "Traceback" not in done.stderr
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT count(*) FROM record").fetchone()[0] == before


# --------------------------------------------------------------------------- secrets


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_secrets_never_leak(synced: tuple[Path, EmulatorProcess, Path], hostile_corpus: Path,
                            monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    tmp, emulator, _ = synced
    home = tmp / "secrets"
    home.mkdir()
    key, password = secrets.token_hex(16), secrets.token_urlsafe(18)
    config = write_config(home / "config.toml", host='"127.0.0.1"', port=str(_closed_port()),
                          username='"litwatch"', recipients='["reader@example.org"]',
                          security='"none"')
    env = litwatch_env(config, f"sqlite:///{home / 'data' / 'lw.db'}", emulator,
                       hostile_corpus, NCBI_API_KEY=key, LITWATCH_SMTP_PASSWORD=password)
    outputs: list[str] = []

    def run(*args: str) -> int:
        done = run_litwatch(list(args), env)
        outputs.extend([done.stdout, done.stderr])
        return done.returncode

    # A sync that works, then one that fails (its errors and retry logs are printed).
    assert run("-v", "sync", "--quiet") == 1        # the hostile feeds fail
    emulator.control("faults", "POST", [
        {"route": "esearch", "kind": "500", "times": None},
        {"route": "studies", "kind": "429", "times": None},
        {"route": "feeds", "kind": "malformed", "times": None}])
    try:
        assert run("-v", "sync", "--full") == 1
    finally:
        emulator.control("faults", "DELETE")
    assert run("-v", "stats") == 0
    assert run("-v", "digest", "--send", "--week", "2026-W45") == 1   # SMTP port closed
    assert "send FAILED" in outputs[-2], outputs[-2:]
    # --help of litwatch and of every subcommand, in-process (argparse exits 0).
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for argv in (["--help"], *([c, "--help"] for c in SUBCOMMANDS)):
        with pytest.raises(SystemExit) as info:
            main(argv)
        assert info.value.code == 0
    captured = capsys.readouterr()
    outputs.extend([captured.out, captured.err])

    for secret in (key, password):
        for text in outputs:
            assert secret not in text
        for path in home.rglob("*"):
            if path.is_file():
                assert secret.encode() not in path.read_bytes(), path
    files = [p.name for p in home.rglob("*") if p.is_file()]
    assert "lw.db" in files and any(re.search(r"\.html$", f) for f in files), files
