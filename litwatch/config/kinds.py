"""Value kinds: how one declared setting is parsed, validated and documented.

A Kind turns a value as written in config.toml (or a declared default) into the
typed value the code uses, raising ConfigError that names `where` (the dotted key,
or the environment variable the value came from).  `from_env` first turns an
environment string into such a value; it returns None for "not set" so that an
exported-but-empty variable does not blank a setting by accident.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from litwatch.config.base import ConfigError

Check = Callable[[Any, str, Path], Any]     # (value, where, base_dir) -> typed value
FromEnv = Callable[[str, str], Any]         # (text, variable) -> value for Check, or None


def _text(text: str, where: str) -> str | None:
    return text or None


@dataclass(frozen=True)
class Kind:
    doc: str                    # the type as the README table shows it
    check: Check
    from_env: FromEnv = _text


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def string(allow_empty: bool = False) -> Kind:
    def check(value: Any, where: str, base_dir: Path) -> str:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected a string, got {type(value).__name__}")
        if not allow_empty and not value.strip():
            raise ConfigError(f"{where}: must not be empty")
        return value
    return Kind("string" if not allow_empty else "string (may be empty)", check)


_STRING = string()


def _env_number(convert: type) -> FromEnv:
    def parse(text: str, where: str) -> Any:
        if not text.strip():
            return None
        try:
            return convert(text)
        except ValueError:
            raise ConfigError(f"{where}: expected a {convert.__name__}, got {text!r}") from None
    return parse


def integer(minimum: int = 0, maximum: int | None = None) -> Kind:
    bounds = f">= {minimum}" if maximum is None else f"{minimum} to {maximum}"

    def check(value: Any, where: str, base_dir: Path) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{where}: expected an integer, got {value!r}")
        if value < minimum or (maximum is not None and value > maximum):
            raise ConfigError(f"{where}: must be {bounds}, got {value}")
        return value
    return Kind(f"integer {bounds}", check, _env_number(int))


def number(allow_zero: bool = False) -> Kind:
    """A non-negative number; zero only where it means "no wait" (backoff)."""
    bound = ">= 0" if allow_zero else "> 0"

    def check(value: Any, where: str, base_dir: Path) -> float:
        if not _is_number(value):
            raise ConfigError(f"{where}: expected a number, got {value!r}")
        if value < 0 or (value == 0 and not allow_zero):
            raise ConfigError(f"{where}: must be {bound}, got {value!r}")
        return float(value)
    return Kind(f"number {bound}", check, _env_number(float))


_BOOLEANS = {"true": True, "1": True, "yes": True, "on": True,
             "false": False, "0": False, "no": False, "off": False}


def _env_boolean(text: str, where: str) -> bool | None:
    if not text.strip():
        return None
    if text.strip().lower() not in _BOOLEANS:
        raise ConfigError(f"{where}: expected true or false, got {text!r}")
    return _BOOLEANS[text.strip().lower()]


def _check_boolean(value: Any, where: str, base_dir: Path) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: expected true or false, got {value!r}")
    return value


BOOLEAN = Kind("true or false", _check_boolean, _env_boolean)


def url(base: bool = True) -> Kind:
    """An http(s) URL; API base URLs get the trailing slash urljoin needs."""
    def check(value: Any, where: str, base_dir: Path) -> str:
        text = _STRING.check(value, where, base_dir)
        if not text.startswith(("http://", "https://")):
            raise ConfigError(f"{where}: expected an http(s) URL, got {text!r}")
        return text if text.endswith("/") or not base else text + "/"
    return Kind("http(s) URL", check)


def choice(*options: str) -> Kind:
    def check(value: Any, where: str, base_dir: Path) -> str:
        if value not in options:
            raise ConfigError(f"{where}: expected {', '.join(options[:-1])} or {options[-1]}, "
                              f"got {value!r}")
        return value
    return Kind(" | ".join(options), check)


def _check_timezone(value: Any, where: str, base_dir: Path) -> str:
    text = _STRING.check(value, where, base_dir)
    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{where}: unknown time zone {text!r}") from None
    return text


TIMEZONE = Kind("IANA time zone", _check_timezone)


def _check_path(value: Any, where: str, base_dir: Path) -> Path:
    # Relative to the config file's directory (or the working directory without a
    # file): never to the package, which may be a read-only site-packages.
    path = Path(_STRING.check(value, where, base_dir)).expanduser()
    return path if path.is_absolute() else base_dir / path


PATH = Kind("path", _check_path)


def _check_database_url(value: Any, where: str, base_dir: Path) -> str:
    text = _STRING.check(value, where, base_dir)
    if not text.startswith(("sqlite:", "postgresql")):
        raise ConfigError(f"{where}: unsupported database {text.split(':')[0]!r} "
                          "(use sqlite:/// or postgresql+psycopg://)")
    if text.startswith("sqlite:///") and not text.startswith("sqlite:////"):
        relative = text[len("sqlite:///"):]
        if relative and relative != ":memory:":
            return "sqlite:///" + str((base_dir / relative).resolve())
    return text


DATABASE_URL = Kind("SQLAlchemy URL", _check_database_url)

# Deliberately loose: refuse what cannot be an address (no @, spaces, no dotted
# domain), not what merely looks unusual.
_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(\.[^@\s.]+)+")


def _check_email(value: Any, where: str, base_dir: Path) -> str:
    text = string(allow_empty=True).check(value, where, base_dir).strip()
    if text and not _EMAIL.fullmatch(text):
        raise ConfigError(f"{where}: not an email address: {text!r}")
    return text


EMAIL = Kind("email address (may be empty)", _check_email)


def _check_date(value: Any, where: str, base_dir: Path) -> date:
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        raise ConfigError(f"{where}: expected a date as YYYY-MM-DD, got {value!r}") from None


DATE = Kind("date YYYY-MM-DD", _check_date)


def _env_list(text: str, where: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _check_string_list(value: Any, where: str, base_dir: Path) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
        raise ConfigError(f"{where}: expected a list of strings")
    return tuple(value)


STRING_LIST = Kind("list of strings", _check_string_list, _env_list)
