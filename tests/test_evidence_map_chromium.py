"""The evidence map page in a real headless Chromium, driven over the DevTools
protocol: it loads from disk without a console error, lays the grid out, and a
mouse click on a cell lists that cell's records with their links.

Chromium is required (as for the digest test); a missing browser is a failure
with instructions, not a skip.  The DevTools connection is --remote-debugging-pipe
(JSON messages on fds 3 and 4), so no WebSocket client is needed.
"""

from __future__ import annotations

import fcntl
import json
import os
import struct
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from litwatch import vocab
from tests.test_digest_chromium import FLAGS, chromium
from tests.test_evidence_map import run_map

pytestmark = pytest.mark.chromium
TIMEOUT = 60.0


def _high(fd: int) -> int:
    moved = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return moved


class DevTools:
    """A minimal DevTools client over Chromium's pipe: commands, events, one page."""

    def __init__(self, profile: Path) -> None:
        to_child_r, self._to_child = os.pipe()
        self._from_child, from_child_w = os.pipe()
        # The browser reads commands on fd 3 and writes replies on fd 4; the child's
        # ends are first moved above 9 so that redirecting one cannot clobber the other.
        to_child_r, from_child_w = _high(to_child_r), _high(from_child_w)
        # A Python trampoline puts them on 3 and 4 and execs the browser (dash cannot
        # redirect fds above 9).
        trampoline = (f"import os, sys; os.dup2({to_child_r}, 3); os.dup2({from_child_w}, 4); "
                      "os.execv(sys.argv[1], sys.argv[1:])")
        self.proc = subprocess.Popen(
            [sys.executable, "-c", trampoline, chromium(), *FLAGS, f"--user-data-dir={profile}",
             "--remote-debugging-pipe", "--window-size=1500,1200", "about:blank"],
            pass_fds=(to_child_r, from_child_w), stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)
        os.close(to_child_r)
        os.close(from_child_w)
        self._buffer = b""
        self._next_id = 0
        self.events: list[dict[str, Any]] = []
        target = next(t for t in self.call("Target.getTargets")["targetInfos"]
                      if t["type"] == "page")
        self.session = self.call("Target.attachToTarget", targetId=target["targetId"],
                                 flatten=True)["sessionId"]

    def _read(self) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            chunk = os.read(self._from_child, 65536)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def call(self, method: str, session: bool = False, **params: Any) -> dict[str, Any]:
        self._next_id += 1
        message: dict[str, Any] = {"id": self._next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = self.session
        os.write(self._to_child, json.dumps(message).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._next_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def page(self, method: str, **params: Any) -> dict[str, Any]:
        return self.call(method, session=True, **params)

    def wait_for(self, method: str) -> dict[str, Any]:
        for event in self.events:
            if event.get("method") == method:
                return event
        while True:
            event = self._read()
            self.events.append(event)
            if event.get("method") == method:
                return event

    def evaluate(self, expression: str) -> Any:
        result = self.page("Runtime.evaluate", expression=expression, returnByValue=True)
        if "exceptionDetails" in result:
            raise AssertionError(f"page script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def click(self, selector: str) -> None:
        """A real mouse click at the middle of the element, as a reader makes it."""
        found = f"document.querySelector({json.dumps(selector)})"
        box = self.evaluate(f"(() => {{ const e = {found}; e.scrollIntoView({{block: 'center'}});"
                            " const r = e.getBoundingClientRect();"
                            " return [r.x + r.width / 2, r.y + r.height / 2]; })()")
        for kind in ("mousePressed", "mouseReleased"):
            self.page("Input.dispatchMouseEvent", type=kind, x=box[0], y=box[1],
                      button="left", clickCount=1)

    def problems(self) -> list[str]:
        """Console errors, uncaught exceptions and failed loads seen so far."""
        out = []
        for event in self.events:
            method, params = event.get("method"), event.get("params", {})
            if method == "Runtime.exceptionThrown":
                out.append(str(params["exceptionDetails"]))
            elif method == "Runtime.consoleAPICalled" and params.get("type") in ("error",
                                                                                 "assert"):
                out.append(str(params.get("args")))
            elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                out.append(params["entry"]["text"])
        return out

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (RuntimeError, OSError):
            pass
        try:
            self.proc.wait(timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self._to_child)
        os.close(self._from_child)


@pytest.fixture
def browser(tmp_path: Path) -> Iterator[DevTools]:
    devtools = DevTools(tmp_path / "chromium-profile")
    try:
        for domain in ("Page", "Runtime", "Log"):
            devtools.page(f"{domain}.enable")
        yield devtools
    finally:
        devtools.close()


@pytest.fixture
def map_page(corpus_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    assert run_map(["--out", str(tmp_path / "map")], str(corpus_engine.url), monkeypatch) == 0
    return tmp_path / "map" / "evidence-map.html"


def test_map_page_loads_lays_out_and_lists_a_clicked_cells_records(
        browser: DevTools, map_page: Path) -> None:
    browser.page("Page.navigate", url=map_page.resolve().as_uri())
    browser.wait_for("Page.loadEventFired")
    layout = browser.evaluate("""(() => {
        const table = document.getElementById('evidence-map').getBoundingClientRect();
        const heads = [...document.querySelectorAll('#evidence-map thead th')]
            .map(th => th.getBoundingClientRect());
        const cells = [...document.querySelectorAll('#evidence-map tbody tr:first-child td')]
            .map(td => td.getBoundingClientRect());
        return {width: table.width, rows: document.querySelectorAll('#evidence-map tbody tr')
                .length, headTops: heads.map(h => Math.round(h.top)),
                cells: cells.map(c => [c.left, c.right, c.width, c.height]),
                panel: document.getElementById('cell-records').getBoundingClientRect().width};
    })()""")
    assert layout["rows"] == len(vocab.INDICATIONS)
    assert len(set(layout["headTops"])) == 1                     # one header row
    lefts_rights = layout["cells"]
    assert len(lefts_rights) == len(vocab.ROUTES)
    for (_, right, width, height), (left, *_) in zip(lefts_rights, lefts_rights[1:],
                                                     strict=False):
        assert width > 80 and height >= 48 and left >= right     # side by side, no overlap
    assert layout["width"] > 900 and layout["panel"] > 250

    selector = "button[data-cell='trd|intravenous']"
    expected = browser.evaluate("JSON.parse(document.getElementById('map-data').textContent)"
                                ".cells['trd|intravenous'].length")
    assert expected > 0
    browser.click(selector)
    listed = browser.evaluate("""(() => ({
        title: document.getElementById('cell-title').textContent,
        items: [...document.querySelectorAll('#cell-list li')].map(li => ({
            text: li.textContent, href: li.querySelector('a') && li.querySelector('a').href})),
        pressed: document.querySelector("button[data-cell='trd|intravenous']")
            .getAttribute('aria-pressed'),
        hash: location.hash}))()""")
    assert listed["title"] == f"Treatment-resistant depression · Intravenous: {expected} records"
    assert len(listed["items"]) == expected and listed["pressed"] == "true"
    assert all(i["href"] and i["href"].startswith("https://") for i in listed["items"])
    assert listed["hash"] == "#cell=trd%7Cintravenous"

    browser.click("td.gap button")
    hint = browser.evaluate("document.getElementById('cell-hint').textContent")
    assert "gap" in hint and browser.evaluate("document.querySelectorAll('#cell-list li').length"
                                              ) == 0
    assert browser.problems() == []


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_litwatch_map_png_is_the_svg_rendered(corpus_engine: Engine, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from litwatch.evidence_map import map_from_store
    from litwatch.evidence_map.svg import size
    out = tmp_path / "png"
    assert run_map(["--out", str(out), "--format", "png"], str(corpus_engine.url),
                   monkeypatch) == 0
    assert sorted(p.name for p in out.iterdir()) == ["evidence-map.png", "evidence-map.svg"]
    assert png_size(out / "evidence-map.png") == size(map_from_store(corpus_engine))
    assert (out / "evidence-map.png").stat().st_size > 20_000
