"""The seed articles by title and publisher (seeds.toml): how every output names them.

Claims are kept per article, and an article is named the way a reader knows it:
its title and publisher, never the file it happens to be stored in.  claims.toml
refers to articles by title; an older file naming seed files is still read, and
the file name is translated to the title here.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources


@dataclass(frozen=True)
class Article:
    title: str
    publisher: str = ""
    kind: str = ""
    file: str = ""           # where the text is kept (never shown)

    @property
    def label(self) -> str:
        return f"{self.title} — {self.publisher}" if self.publisher else self.title


@cache
def catalogue() -> tuple[Article, ...]:
    text = resources.files("litwatch.claims").joinpath("seeds.toml").read_text("utf-8")
    return tuple(Article(s["title"], s.get("publisher", ""), s.get("kind", ""), s.get("file", ""))
                 for s in tomllib.loads(text).get("seed", []))


def find(name: str) -> Article | None:
    """The article with this title (or, for old claims files, this file name)."""
    for article in catalogue():
        if name in (article.title, article.file):
            return article
    return None


def title_of(name: str) -> str:
    article = find(name)
    return article.title if article else name


def label_of(name: str) -> str:
    """"Title — publisher" for any way a claim names its article."""
    article = find(name)
    return article.label if article else name
