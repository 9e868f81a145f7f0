"""Render a DigestView to email-safe HTML (CSS inlined) and its plain-text twin.

Autoescaping is on for every .html template, so titles and abstracts carrying
markup or <script> are printed as text.  fit.py keeps the email under the size
limit (Gmail clips messages above ~102 KB).
"""

from __future__ import annotations

from functools import lru_cache

import css_inline

from litwatch.digest.fit import fit_view
from litwatch.digest.view import DigestView
from litwatch.templating import environment


@lru_cache(maxsize=1)
def _inliner() -> css_inline.CSSInliner:
    # Nothing remote: the digest must render the same offline and in the archive.
    return css_inline.CSSInliner(load_remote_stylesheets=False)


def render_html(view: DigestView) -> str:
    html = environment().get_template("digest.html").render(d=view)
    return _inliner().inline(html)


def render_text(view: DigestView) -> str:
    text = environment().get_template("digest.txt").render(d=view)
    return "\n".join(line.rstrip() for line in text.splitlines()).strip() + "\n"


def fit_email(view: DigestView, max_bytes: int, full_html: str | None = None
              ) -> tuple[str, DigestView]:
    """The HTML for the email and the view it shows: complete if it fits, else the
    most that fits with a note of what was left out."""
    return fit_view(view, max_bytes, render_html, full_html)
