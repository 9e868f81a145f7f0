"""python -m testkit.emulator --corpus corpus [--port 8765] [--today 2026-11-16]

Serves until SIGINT or SIGTERM, then exits 0. With --port 0 and --port-file the
chosen port is written to a file once the server listens (the demo reads it).
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path

from testkit.emulator.dates import parse_date
from testkit.emulator.server import Emulator


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m testkit.emulator",
                                     description="Local PubMed / ClinicalTrials.gov emulator")
    parser.add_argument("--corpus", type=Path, required=True, help="corpus folder")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8765, help="0 picks a free port")
    parser.add_argument("--today", type=parse_date, default=None,
                        help="simulated date, YYYY-MM-DD (default: the real date)")
    parser.add_argument("--port-file", type=Path, help="write the listening port here")
    parser.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = parser.parse_args(argv)
    if not args.corpus.is_dir():
        parser.error(f"corpus folder not found: {args.corpus}")

    emulator = Emulator(args.corpus, args.today, args.host, args.port, args.verbose).start()
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    for problem in emulator.corpus.problems:
        print(f"warning: {problem}", file=sys.stderr)
    if args.port_file:
        # Write then rename, so a reader polling the file never sees half a number.
        tmp = args.port_file.with_name(args.port_file.name + ".tmp")
        tmp.write_text(f"{emulator.port}\n")
        os.replace(tmp, args.port_file)
    print(emulator.summary(), flush=True)
    while not stop.wait(0.5):
        pass
    emulator.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
