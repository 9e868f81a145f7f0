"""The values route handlers exchange with the HTTP server.

Handlers never touch sockets: they take a `Request` and return a `Response`,
so the server alone decides how a fault mangles the wire (cut bodies, dropped
connections) and the handlers stay plain functions over the corpus.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

XML = "text/xml; charset=UTF-8"
JSON = "application/json"
TEXT = "text/plain; charset=utf-8"


@dataclass
class Request:
    method: str
    path: str
    params: dict[str, str]                     # query string + form body, decoded
    headers: dict[str, str] = field(default_factory=dict)   # lower-cased names
    arg: str = ""                              # the id or name taken from the path
    fault: Any = None                          # the Fault firing on this request, if any


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = XML
    headers: dict[str, str] = field(default_factory=dict)


def text_response(status: int, message: str) -> Response:
    return Response(status, message.encode() + b"\n", TEXT)
