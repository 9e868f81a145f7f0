"""Render a DigestView to email-safe HTML (CSS inlined) and its plain-text twin.

Autoescaping is on for every .html template, so titles and abstracts carrying
markup or <script> are printed as text.  The size cap re-renders with fewer
items per section until the HTML fits (Gmail clips messages above ~102 KB).
"""

from __future__ import annotations

from dataclasses import replace
from functools import lru_cache

import css_inline

from litwatch.digest.model import cap_groups
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


def fit_email(view: DigestView, max_bytes: int, top_items: int,
              full_html: str | None = None) -> tuple[str, DigestView]:
    """The HTML for the email and the view it shows: complete if it fits, else capped."""
    html = full_html if full_html is not None else render_html(view)
    if len(html.encode()) <= max_bytes:
        return html, view
    limit = top_items
    while True:
        capped = replace(view, groups=cap_groups(view.groups, limit), truncated=True)
        html = render_html(capped)
        if limit == 0 or len(html.encode()) <= max_bytes:
            return html, capped
        limit //= 2
