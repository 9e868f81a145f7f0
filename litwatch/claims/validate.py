"""Validation helpers for claims files: every error names the claim id and the key."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from litwatch.errors import ClaimsError


def labels_of(cid: str, key: str, value: Any, allowed: Mapping[str, object]
              ) -> tuple[str, ...]:
    labels = strings_of(cid, key, value)
    for label in labels:
        if label not in allowed:
            raise ClaimsError(f"claim {cid}: key {key!r}: unknown value {label!r} "
                              f"(known: {', '.join(allowed)})")
    return labels


def strings_of(cid: str, key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ClaimsError(f"claim {cid}: key {key!r} must be a list of strings")
    return tuple(value)


def string_of(cid: str, key: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ClaimsError(f"claim {cid}: key {key!r} must be a string")
    return value


def bool_of(cid: str, key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ClaimsError(f"claim {cid}: key {key!r} must be true or false")
    return value


def no_unknown(cid: str, prefix: str, table: Any, allowed: set[str]) -> None:
    if not isinstance(table, dict):
        raise ClaimsError(f"claim {cid}: key {prefix.rstrip('.')!r} must be a table")
    for key in table:
        if key not in allowed:
            raise ClaimsError(f"claim {cid}: unknown key {prefix + key!r} "
                              f"(known: {', '.join(sorted(allowed))})")
