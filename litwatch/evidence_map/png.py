"""PNG of the evidence map: the SVG rendered by headless Chromium's --screenshot.

Chromium draws SVG text and shapes exactly as browsers show the page; a pure-
Python rasteriser would need cairo (cairosvg) or lose text, and no well-kept
one is a dependency here.  Chromium runs with a throwaway profile, no network
features, and a timeout; a missing browser is one clear error, not a traceback.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from litwatch.errors import LitwatchError

CHROMIUM_ENV = "LITWATCH_CHROMIUM"
TIMEOUT_SECONDS = 120
_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
          "--disable-background-networking", "--disable-component-update", "--disable-sync",
          "--disable-extensions", "--hide-scrollbars", "--force-device-scale-factor=1",
          "--default-background-color=ffffffff"]


class RenderError(LitwatchError):
    """The map image could not be rendered."""


def find_chromium() -> str:
    given = os.environ.get(CHROMIUM_ENV)
    found = given or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found and Path("/usr/bin/chromium").exists():
        found = "/usr/bin/chromium"
    if not found:
        raise RenderError("PNG needs headless Chromium: install it (apt-get install chromium) "
                          f"or name it in ${CHROMIUM_ENV}; --format svg needs nothing")
    return found


def svg_to_png(svg: Path, png: Path, width: int, height: int) -> Path:
    """Screenshot `svg` at its own size into `png` (written whole or not at all)."""
    chromium = find_chromium()
    tmp = png.with_name(png.stem + ".tmp.png")   # Chromium picks the format by extension
    with tempfile.TemporaryDirectory(prefix="litwatch-chromium-") as profile:
        args = [chromium, *_FLAGS, f"--user-data-dir={profile}", f"--screenshot={tmp}",
                f"--window-size={width},{height}", svg.resolve().as_uri()]
        try:
            subprocess.run(args, capture_output=True, timeout=TIMEOUT_SECONDS, check=True)
        except (OSError, subprocess.SubprocessError) as exc:
            tmp.unlink(missing_ok=True)
            raise RenderError(f"Chromium could not render {svg.name}: {_reason(exc)}") from None
    if not tmp.exists() or tmp.read_bytes()[:8] != b"\x89PNG\r\n\x1a\n":
        tmp.unlink(missing_ok=True)
        raise RenderError(f"Chromium wrote no PNG for {svg.name}")
    tmp.replace(png)
    return png


def _reason(exc: BaseException) -> str:
    if isinstance(exc, subprocess.TimeoutExpired):
        return f"no answer within {TIMEOUT_SECONDS} s"
    if isinstance(exc, subprocess.CalledProcessError):
        lines = (exc.stderr or b"").decode(errors="replace").strip().splitlines()
        return f"exit status {exc.returncode}" + (f": {lines[-1]}" if lines else "")
    return str(exc)
