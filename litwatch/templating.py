"""The one Jinja2 environment: the package's templates, autoescaped.

Digest, claims page and evidence map all render through it, so every template
escapes the outside world's text (titles, abstracts, registry fields) the same way.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape


@cache
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("litwatch", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html",), default_for_string=True),
        undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
