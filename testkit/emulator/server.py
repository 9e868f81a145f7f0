"""The HTTP server: routing, faults on the wire, the request log, the clock.

One ThreadingHTTPServer in a daemon thread. Handlers (eutils, ctgov, feeds)
build whole responses; this module alone decides how a fault mangles them on the
wire, so every route gets every fault for free.
"""

from __future__ import annotations

import re
import sys
import threading
import time
import traceback
from collections.abc import Callable
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from testkit.emulator.control import control
from testkit.emulator.corpus import Corpus
from testkit.emulator.ctgov import Ctgov
from testkit.emulator.dates import parse_date, to_day
from testkit.emulator.eutils import BACKEND_FAILED, NCBI_ERRORS, Eutils
from testkit.emulator.faults import Fault, FaultBook, LoggedRequest, RequestLog
from testkit.emulator.wire import JSON, Request, Response, text_response

Handler = Callable[[Request], Response]
MAX_BODY = 20 * 1024 * 1024
_STUDY = re.compile(r"/api/v2/studies/([^/]+)/?")
_FEED = re.compile(r"/feeds/([^/]+)")


class Emulator:
    """PubMed E-utilities, ClinicalTrials.gov v2 and feeds over a corpus folder."""

    def __init__(self, corpus_dir: Path | str, today: date | str | None = None,
                 host: str = "127.0.0.1", port: int = 0, verbose: bool = False):
        self.corpus = Corpus(Path(corpus_dir))
        self.host, self._port, self.verbose = host, port, verbose
        self._today = parse_date(today) if today is not None else None
        self.log, self.fault_book = RequestLog(), FaultBook()
        self.eutils = Eutils(self.corpus, self._today_day)
        self.ctgov = Ctgov(self.corpus, self._today_day)
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------
    def start(self) -> Emulator:
        self._server = _Server((self.host, self._port), _Handler)
        self._server.emulator = self
        self._thread = threading.Thread(target=self._server.serve_forever,
                                        kwargs={"poll_interval": 0.05},
                                        name="litwatch-emulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> Emulator:
        return self.start() if self._server is None else self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("emulator not started")
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def eutils_url(self) -> str:
        return self.base_url + "/entrez/eutils/"

    @property
    def ctgov_url(self) -> str:
        return self.base_url + "/api/v2/"

    def feed_url(self, name: str) -> str:
        return self.base_url + "/feeds/" + name

    # -- clock ------------------------------------------------------------------------
    @property
    def today(self) -> date:
        return self._today or date.today()     # None: follow the real date

    @today.setter
    def today(self, value: date | str | None) -> None:
        self.set_today(value)

    def set_today(self, value: date | str | None) -> None:
        self._today = parse_date(value) if value is not None else None

    def _today_day(self) -> int:
        return to_day(self.today)

    # -- request log and faults ---------------------------------------------------------
    @property
    def requests(self) -> list[LoggedRequest]:
        return self.log.entries()

    def count(self, route: str | None = None) -> int:
        return self.log.count(route)

    def clear_log(self) -> None:
        self.log.clear()

    def inject(self, route: str, kind: str | int, times: int | None = 1, after: int = 0,
               **options: Any) -> Fault:
        return self.fault_book.add(Fault(route, str(kind), times, after, options))

    def clear_faults(self) -> None:
        self.fault_book.clear()

    def faults(self) -> list[dict[str, Any]]:
        """The injected rules with their counters (seen, fired), as dicts."""
        return self.fault_book.snapshot()

    # -- routing -------------------------------------------------------------------------
    def route(self, method: str, path: str) -> tuple[str, Handler | None, str]:
        """(route name, handler, path argument); handler None means 404."""
        if path in ("/entrez/eutils/esearch.fcgi", "/entrez/eutils/efetch.fcgi"):
            name = "esearch" if "esearch" in path else "efetch"
            ok = method in ("GET", "POST")
            return name, (getattr(self.eutils, name) if ok else None), ""
        reading = method in ("GET", "HEAD")
        if path.rstrip("/") == "/api/v2/studies":
            return "studies", self.ctgov.studies if reading else None, ""
        if found := _STUDY.fullmatch(path):
            return "study", self.ctgov.study if reading else None, found[1]
        if found := _FEED.fullmatch(path):
            feed = self.corpus.feeds.get(found[1])
            return "feeds", feed.serve if feed and reading else None, found[1]
        return "unknown", None, ""

    def summary(self) -> str:
        return (f"litwatch emulator serving {len(self.corpus.papers)} PubMed records, "
                f"{len(self.corpus.studies)} studies, {len(self.corpus.feeds)} feeds "
                f"on {self.base_url}")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    emulator: Emulator

    def handle_error(self, request: Any, client_address: Any) -> None:
        # A client hanging up mid-answer is routine (timeouts, our own faults).
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"       # keep-alive, as the real APIs do
    server_version = "litwatch-emulator"
    timeout = 60                        # idle keep-alive connections end eventually
    server: _Server

    def do_GET(self) -> None:
        self._dispatch("GET")

    def do_POST(self) -> None:
        self._dispatch("POST")

    def do_HEAD(self) -> None:
        self._dispatch("HEAD")

    def do_DELETE(self) -> None:
        self._dispatch("DELETE")

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.emulator.verbose:
            super().log_message(format, *args)

    def _dispatch(self, method: str) -> None:
        emulator = self.server.emulator
        try:
            url = urlsplit(self.path)
            body = self._read_body()
            if url.path.startswith("/_control/"):
                self._send(control(emulator, method, url.path, body), method)
                return
            self._serve(emulator, method, url.path, _params(url.query, body, self.headers))
        except (ConnectionError, TimeoutError):
            self.close_connection = True
        except Exception:   # a bug in the emulator: answer 500 and say so on stderr
            traceback.print_exc()
            self.close_connection = True
            self._send(text_response(500, "emulator error"), method)

    def _serve(self, emulator: Emulator, method: str, path: str, params: dict[str, str]) -> None:
        route, handler, arg = emulator.route(method, path)
        entry = emulator.log.add(LoggedRequest(method, route, path, params))
        fault = emulator.fault_book.pick(route, "pageToken" in params) if handler else None
        kind, options = (fault.kind, fault.options) if fault else (None, {})
        entry.fault = kind
        if kind == "drop_connection":
            self.close_connection = True          # the socket closes unanswered
            return
        if handler is None:
            response = text_response(404, "Not Found") if route != "study" else \
                Response(404, b'{"message":"Not Found"}', JSON)
        elif kind in ("429", "500", "502", "503"):
            response = _http_error(route, int(kind), options)
        else:
            if kind == "slow":
                time.sleep(float(options.get("seconds", 1.0)))
            headers = {k.lower(): v for k, v in self.headers.items()}
            response = handler(Request(method, path, params, headers, arg, fault))
            if kind == "ncbi_error":
                response = NCBI_ERRORS[route](str(options.get("message", BACKEND_FAILED)))
            elif kind == "malformed":
                response = Response(200, _cut(response.body), response.content_type,
                                    response.headers)
        entry.status = response.status
        self._send(response, method, truncate=kind == "truncate")

    def _read_body(self) -> bytes:
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            raise ValueError("request body too large")
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, response: Response, method: str, truncate: bool = False) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(max(len(response.body), 1 if truncate else 0)))
        for name, value in response.headers.items():
            self.send_header(name, value)
        if truncate:
            self.send_header("Connection", "close")
        self.end_headers()
        if method != "HEAD" and response.status != 304:
            # truncate: promise the whole body, send half, hang up.
            self.wfile.write(response.body[:len(response.body) // 2] if truncate
                             else response.body)
        self.wfile.flush()
        if truncate:
            self.close_connection = True


def _params(query: str, body: bytes, headers: Any) -> dict[str, str]:
    """Query string and form body, decoded; a repeated key joins its values with ','."""
    pairs = parse_qsl(query, keep_blank_values=True)
    kind = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    if body and kind in ("", "application/x-www-form-urlencoded"):
        pairs += parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True)
    params: dict[str, str] = {}
    for key, value in pairs:
        params[key] = params[key] + "," + value if key in params else value
    return params


def _http_error(route: str, status: int, options: dict[str, Any]) -> Response:
    headers = {}
    if options.get("retry_after") is not None:
        headers["Retry-After"] = str(options["retry_after"])
    if status == 429 and route in ("esearch", "efetch"):
        body = b'{"error":"API rate limit exceeded","api-key":"127.0.0.1","count":"4","limit":"3"}'
        return Response(429, body, JSON, headers)
    reasons = {429: "Too Many Requests", 500: "Internal Server Error", 502: "Bad Gateway",
               503: "Service Unavailable"}
    body = f"<html><body><h1>{status} {reasons[status]}</h1></body></html>\n".encode()
    return Response(status, body, "text/html", headers)


def _cut(body: bytes) -> bytes:
    """Half the body, cut just inside an element (or mid-JSON): never parseable."""
    half = len(body) // 2
    tag = body.rfind(b"<", 0, half)
    cut = body[:tag + 2] if tag > 0 else body[:half]
    return cut if cut else b"{"
