"""`make demo`: the whole pipeline on the bundled corpus, offline.

Starts the local API emulator on 127.0.0.1, then replays several weeks of daily
life: at each simulated date the emulator shows only what existed by then and
`litwatch sync` runs as cron would.  Ends with `litwatch stats` and the digest of
the corpus' busiest week, and says where everything was written.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
# The demo keeps to its own folder: its database, archive, lock and watermarks never
# touch those of real use (data/litwatch.db and friends, from ./config.toml).
DATA = REPO / "data" / "demo"
CONFIG = DATA / "config.toml"
DB = DATA / "litwatch.db"
MARKER = DATA / ".demo-database"        # the demo only ever deletes a database it made
DEMO_CONFIG = """# Written by `make demo`: paths are relative to this file (data/demo/).
[database]
url = "sqlite:///litwatch.db"

[digest]
archive_dir = "digests"

[schedule]
lock_file = "litwatch.lock"
"""
REPLAY = ["2026-10-19", "2026-11-02", "2026-11-09", "2026-11-16", "2026-11-20"]
# The bundled feeds are November snapshots: before then they would name PMIDs the
# simulated PubMed has not received yet, so early replays sync the APIs only.
FEEDS_FROM = "2026-11-06"
DIGEST_WEEK = "2026-W46"
DIGEST_OUT = DATA / "digest-2026-W46.html"


def start_emulator() -> tuple[subprocess.Popen, str]:
    port_file = DATA / "emulator.port"
    port_file.unlink(missing_ok=True)
    proc = subprocess.Popen([sys.executable, "-m", "testkit.emulator", "--corpus",
                             str(REPO / "corpus"), "--port", "0", "--port-file", str(port_file),
                             "--today", REPLAY[0]], cwd=REPO)
    for _ in range(600):
        if port_file.exists():
            return proc, f"http://127.0.0.1:{port_file.read_text().strip()}"
        if proc.poll() is not None:
            sys.exit("demo: the emulator failed to start")
        time.sleep(0.1)
    proc.kill()
    sys.exit("demo: the emulator did not start within 60 s")


def set_today(base: str, day: str) -> None:
    request = urllib.request.Request(base + "/_control/today", method="POST",
                                     data=json.dumps({"today": day}).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        reply.read()


def litwatch(*args: str, env: dict[str, str], check: bool = True) -> int:
    print(f"\n$ litwatch {' '.join(args)}", flush=True)
    code = subprocess.call([sys.executable, "-m", "litwatch", *args], cwd=REPO, env=env)
    if check and code != 0:
        sys.exit(f"demo: `litwatch {' '.join(args)}` exited with {code}")
    return code


def fresh_database() -> None:
    if DB.exists() and not MARKER.exists():
        sys.exit(f"demo: {DB} exists and was not made by the demo; move it away first "
                 "(the demo replays weeks from an empty database)")
    for path in DATA.glob("litwatch.db*"):      # the database, its WAL and its search index
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()
    DATA.mkdir(parents=True, exist_ok=True)
    CONFIG.write_text(DEMO_CONFIG, encoding="utf-8")
    MARKER.write_text("data/demo/litwatch.db was created by `make demo`\n")


def main() -> int:
    fresh_database()
    proc, base = start_emulator()
    feeds = sorted((REPO / "corpus" / "feeds").glob("*.xml"))
    env = dict(os.environ,
               LITWATCH_CONFIG=str(CONFIG),
               LITWATCH_EUTILS_URL=f"{base}/entrez/eutils/",
               LITWATCH_CTGOV_URL=f"{base}/api/v2/",
               LITWATCH_FEED_URLS=",".join(f"{f.stem}={base}/feeds/{f.name}" for f in feeds),
               LITWATCH_NCBI_EMAIL="demo@example.org")
    try:
        for day in REPLAY:
            print(f"\n=== simulated date {day} ===", flush=True)
            set_today(base, day)
            sources = [] if day >= FEEDS_FROM else ["--source", "pubmed", "--source", "ctgov"]
            litwatch("sync", *sources, env=dict(env, LITWATCH_TODAY=day))
        litwatch("stats", env=env)
        wrote_digest = litwatch("digest", "--week", DIGEST_WEEK, "--out", str(DIGEST_OUT),
                                env=env, check=False) == 0
        wrote_map = litwatch("map", "--out", str(DATA / "map"), env=env, check=False) == 0
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
    print(f"\nDatabase: {DB}")
    if wrote_digest:
        print(f"Digest for {DIGEST_WEEK}: {DIGEST_OUT}  (open it in a browser)")
    if wrote_map:
        print(f"Evidence map: {DATA / 'map' / 'evidence-map.html'}")
    print("Next, with .venv/bin on your PATH and LITWATCH_CONFIG=data/demo/config.toml:\n"
          "  litwatch search esketamine --design rct\n  litwatch claims\n"
          "  litwatch show NCT02418585\n  litwatch claims check \"ketamine lifts depression "
          "within hours\"")
    return 0


if __name__ == "__main__":
    sys.exit(main())
