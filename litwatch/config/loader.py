"""Load config.toml plus environment overrides into typed, validated settings.

Everything about a setting (type, default, variable, help) is declared once in
litwatch.config.declarations; this module only applies those declarations:

* which file: --config, else $LITWATCH_CONFIG, else ./config.toml, else none at
  all (every default applies);
* relative paths resolve against that file's directory, or the working directory
  when there is no file -- never the package, which may be read-only;
* every key is optional; an unknown key or section is refused with the nearest
  valid name, so a typo is never mistaken for "missing" or silently ignored;
* an environment variable, when set, wins over the file; secrets and the clock
  are environment-only.

Every error is a ConfigError naming the key or variable (exit status 2 from the CLI).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from litwatch.config.base import ConfigError, suggestion
from litwatch.config.declarations import BY_KEY, SETTINGS, TABLES, Setting
from litwatch.config.settings import (
    SECTION_TYPES,
    CtgovSettings,
    DigestSettings,
    Feed,
    HttpSettings,
    IndicationQuery,
    PubmedSettings,
    ScheduleSettings,
    Settings,
    SmtpSettings,
)

__all__ = ["ConfigError", "CtgovSettings", "DigestSettings", "Feed", "HttpSettings",
           "IndicationQuery", "PubmedSettings", "ScheduleSettings", "Settings", "SmtpSettings",
           "CONFIG_ENV", "load_settings", "parse_settings", "read_config",
           "default_config_path", "example_config_path"]

CONFIG_ENV = "LITWATCH_CONFIG"
_PACKAGE = Path(__file__).resolve().parents[1]          # .../litwatch


def example_config_path() -> Path:
    """The commented config.toml: shipped in the wheel (pyproject force-include puts
    it at litwatch/config.example.toml), or at the checkout's root."""
    packaged = _PACKAGE / "config.example.toml"
    return packaged if packaged.exists() else _PACKAGE.parent / "config.toml"


def default_config_path(env: Mapping[str, str] | None = None) -> Path | None:
    """$LITWATCH_CONFIG, else ./config.toml if there is one, else None (no file)."""
    env = os.environ if env is None else env
    if env.get(CONFIG_ENV):
        return Path(env[CONFIG_ENV])
    local = Path.cwd() / "config.toml"
    return local if local.exists() else None


def load_settings(path: Path | str | None = None,
                  env: Mapping[str, str] | None = None) -> Settings:
    """Read `path` (default: see default_config_path) and apply `env` overrides."""
    env = os.environ if env is None else env
    path = Path(path) if path else default_config_path(env)
    if path is None:
        return parse_settings({}, env, base_dir=Path.cwd())
    return parse_settings(read_config(path), env, base_dir=path.resolve().parent, path=path)


def read_config(path: Path) -> dict[str, Any]:
    """The parsed TOML; anything that stops it being read is one ConfigError line."""
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a config file") from None
    except PermissionError:
        raise ConfigError(f"{path}: permission denied") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None


def parse_settings(raw: Mapping[str, Any], env: Mapping[str, str], base_dir: Path,
                   path: Path | None = None) -> Settings:
    """Settings from a parsed file (possibly empty), the environment and the defaults."""
    check_known(raw)
    values = {s.key: _value(s, raw, env, base_dir, path) for s in SETTINGS}
    return _build(values, base_dir, path)


def check_known(raw: Mapping[str, Any]) -> None:
    """Refuse what no declaration reads: a typo must not pass for "use the default"."""
    for name, value in raw.items():
        setting = BY_KEY.get(name)
        if setting is not None:
            _refuse_env_only(setting, name)
        elif name in TABLES:
            if not isinstance(value, Mapping):
                raise ConfigError(f"[{name}]: expected a table, got {type(value).__name__}")
            for key in value:
                _check_key(name, key)
        elif isinstance(value, Mapping):
            raise ConfigError(f"unknown section [{name}]"
                              + suggestion(name, _top_level(), "[{}]"))
        else:
            homes = [f"[{s}] {name}" for s, keys in TABLES.items() if name in keys]
            raise ConfigError(f"unknown top-level key {name}" + (
                f" — did you mean {homes[0]}?" if homes else suggestion(name, _top_level())))


def _top_level() -> list[str]:
    return [*TABLES, *(s.key for s in SETTINGS if "." not in s.key and s.file)]


def _check_key(section: str, key: str) -> None:
    setting = TABLES[section].get(key)
    if setting is not None:
        _refuse_env_only(setting, f"[{section}] {key}")
        return
    known = [n for n, s in TABLES[section].items() if s.file]
    hint = suggestion(key, known)
    if " — " not in hint:       # not a typo here: maybe the key belongs elsewhere
        homes = [f"[{s}] {key}" for s, keys in TABLES.items()
                 if key in keys and keys[key].file]
        hint = f" — did you mean {homes[0]}?" if homes else hint
    raise ConfigError(f"unknown key [{section}] {key}{hint}")


def _refuse_env_only(setting: Setting, where: str) -> None:
    # Secrets in a file end up in backups and repositories; the clock is per run.
    if not setting.file:
        raise ConfigError(f"{where} cannot be set in the config file: it is read from "
                          f"the environment only (${setting.env})")


def _value(setting: Setting, raw: Mapping[str, Any], env: Mapping[str, str],
           base_dir: Path, path: Path | None) -> Any:
    """The environment variable if set, else the file's value, else the default."""
    if setting.env and env.get(setting.env) is not None:
        value = setting.kind.from_env(env[setting.env], setting.env)
        if value is not None:
            return setting.kind.check(value, setting.env, base_dir)
    found, value = _lookup(raw, setting.key)
    if not found:
        value = setting.default
    if value is None:
        return None
    try:
        return setting.kind.check(value, setting.key, base_dir)
    except ConfigError as exc:
        if found and path is not None:      # say which file holds the bad value
            raise ConfigError(f"{path}: {exc}") from None
        raise


def _lookup(raw: Mapping[str, Any], key: str) -> tuple[bool, Any]:
    node: Any = raw
    for part in key.split("."):
        if not isinstance(node, Mapping) or part not in node:
            return False, None
        node = node[part]
    return True, node


def _build(values: dict[str, Any], base_dir: Path, path: Path | None) -> Settings:
    sections = {name: cls(**{key: values[f"{name}.{key}"] for key in TABLES[name]})
                for name, cls in SECTION_TYPES.items()}
    pubmed: PubmedSettings = sections["pubmed"]
    if pubmed.api_key:      # NCBI allows more requests per second with a key
        pubmed = replace(pubmed, rate_limit=pubmed.rate_limit_with_key)
    return Settings(
        path=path, base_dir=base_dir, today=values["today"],
        database_url=values["database.url"],
        http=sections["http"], pubmed=pubmed, ctgov=sections["ctgov"],
        drugs=values["drugs"], indications=values["indication"], feeds=values["feed"],
        digest=sections["digest"], smtp=sections["smtp"], schedule=sections["schedule"],
    )
