"""Settings: defaults, unknown keys, environment overrides, paths, the clock, errors."""

from __future__ import annotations

import dataclasses
import sys
import tomllib
import types
from datetime import date, datetime
from pathlib import Path

import pytest

from litwatch.cli import main
from litwatch.config import checks
from litwatch.config.declarations import SETTINGS, TABLES
from litwatch.config.loader import ConfigError, load_settings, parse_settings, read_config
from litwatch.config.settings import SECTION_TYPES
from tests.conftest import CONFIG

LIVE_EUTILS = "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI reads os.environ: no LITWATCH_* or secrets from the caller's shell."""
    for s in SETTINGS:
        if s.env:
            monkeypatch.delenv(s.env, raising=False)
    monkeypatch.delenv("LITWATCH_CONFIG", raising=False)
    monkeypatch.setattr(checks, "_warned", set())


def raw_config() -> dict:
    return tomllib.loads(CONFIG.read_text())


def parse(raw: dict, env: dict | None = None):
    return parse_settings(raw, env or {}, base_dir=Path("/tmp/lw"))


def write(directory: Path, text: str) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "config.toml").write_text(text, encoding="utf-8")
    return directory / "config.toml"


# ------------------------------------------------------------------ defaults
def test_repo_config_loads_with_live_defaults() -> None:
    s = load_settings(CONFIG, env={})
    assert s.pubmed.base_url == LIVE_EUTILS
    assert s.ctgov.base_url == "https://clinicaltrials.gov/api/v2/"
    assert s.database_url == f"sqlite:///{CONFIG.parent / 'data' / 'litwatch.db'}"
    assert s.pubmed.api_key is None and s.pubmed.rate_limit == 3.0
    assert {"ketamine", "esketamine", "arketamine"} == set(s.drugs)
    assert "Spravato" in s.drug_terms
    assert s.indications and all(q.pubmed and q.ctgov for q in s.indications)


def test_the_example_config_states_exactly_the_defaults() -> None:
    example = load_settings(CONFIG, env={})
    assert dataclasses.replace(example, path=None) == parse_settings({}, {}, CONFIG.parent)


@pytest.mark.parametrize("text", ["", "# nothing set\n", '[pubmed]\nemail = "me@example.org"\n'])
def test_a_minimal_config_works_on_defaults(tmp_path: Path, text: str) -> None:
    s = load_settings(write(tmp_path, text), env={})
    assert s.pubmed.base_url == LIVE_EUTILS and len(s.indications) == 8 and len(s.feeds) == 2
    assert s.database_url == f"sqlite:///{tmp_path.resolve() / 'data' / 'litwatch.db'}"
    assert s.digest.archive_dir == tmp_path.resolve() / "data" / "digests"
    assert s.schedule.lock_file == tmp_path.resolve() / "data" / "litwatch.lock"
    assert s.today is None and s.secrets() == []


def test_no_config_file_at_all_uses_the_working_directory(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    s = load_settings(env={})
    assert s.path is None and s.base_dir == tmp_path
    assert s.database_url == f"sqlite:///{tmp_path.resolve() / 'data' / 'litwatch.db'}"
    assert s.schedule.lock_file == tmp_path / "data" / "litwatch.lock"


def test_dataclass_defaults_are_the_declared_defaults() -> None:
    defaults = parse_settings({}, {}, Path())
    for section, cls in SECTION_TYPES.items():
        assert {f.name for f in dataclasses.fields(cls)} == set(TABLES[section]), section
        built = cls()
        for name in TABLES[section]:
            if not (section == "pubmed" and name == "rate_limit"):
                assert getattr(built, name) == getattr(getattr(defaults, section), name)


# ------------------------------------------------------------------ unknown keys
@pytest.mark.parametrize("text, message", [
    ('[pubmed]\nemial = "a@b.org"\n', "unknown key [pubmed] emial — did you mean email?"),
    ("[pubmd]\ntool = 'x'\n", "unknown section [pubmd] — did you mean [pubmed]?"),
    ("[ctgov]\nretmax = 3\n", "unknown key [ctgov] retmax — did you mean [pubmed] retmax?"),
    ("[http]\nemail = 'a@b.org'\n", "unknown key [http] email — did you mean [pubmed] email?"),
    ("timeout_seconds = 3\n", "unknown top-level key timeout_seconds — did you mean [http] "
                              "timeout_seconds?"),
    ("[[feed]]\nname = 'a'\nurl = 'http://x/'\nulr = 'y'\n",
     "unknown key [[feed]] ulr — did you mean url?"),
    ('[drugs]\nketamin = ["k"]\n', "drugs.ketamin: unknown drug — did you mean ketamine?"),
    ('[pubmed]\napi_key = "k"\n', "read from the environment only ($NCBI_API_KEY)"),
    ('[smtp]\npassword = "pw"\n', "($LITWATCH_SMTP_PASSWORD)"),
])
def test_unknown_keys_and_sections_are_refused_with_the_nearest_name(
        tmp_path: Path, text: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_settings(write(tmp_path, text), env={})
    assert message in str(caught.value)


def test_a_typo_is_reported_as_unknown_not_missing(tmp_path: Path, capsys) -> None:
    path = write(tmp_path, CONFIG.read_text().replace("page_size = 1000", "pagesize = 1000"))
    assert main(["--config", str(path), "stats"]) == 2
    err = capsys.readouterr().err
    assert "unknown key [ctgov] pagesize — did you mean page_size?" in err
    assert "missing" not in err and not (tmp_path / "data").exists()


def test_a_missing_key_takes_its_default(tmp_path: Path) -> None:
    path = write(tmp_path, CONFIG.read_text().replace("page_size = 1000", ""))
    assert load_settings(path, env={}).ctgov.page_size == 1000


# ------------------------------------------------------------------ invalid values
@pytest.mark.parametrize("mutate, key", [
    (lambda r: r["pubmed"].__setitem__("batch_size", 5000), "pubmed.batch_size"),
    (lambda r: r["http"].__setitem__("timeout_seconds", "soon"), "http.timeout_seconds"),
    (lambda r: r["ctgov"].__setitem__("base_url", "ftp://x"), "ctgov.base_url"),
    (lambda r: r["indication"][0].__setitem__("labels", ["depresion"]), "labels"),
    (lambda r: r["indication"][1].pop("pubmed"), "pubmed"),
    (lambda r: r["digest"].__setitem__("timezone", "Mars/Olympus"), "digest.timezone"),
    (lambda r: r["smtp"].__setitem__("security", "tls"), "smtp.security"),
    (lambda r: r["database"].__setitem__("url", "mysql://x"), "database.url"),
    (lambda r: r["digest"].__setitem__("send_empty", "yes"), "digest.send_empty"),
    (lambda r: r["pubmed"].__setitem__("email", "nobody"), "pubmed.email"),
    (lambda r: r["pubmed"].__setitem__("email", "me@"), "pubmed.email"),
    (lambda r: r["pubmed"].__setitem__("email", "a b@example.org"), "pubmed.email"),
])
def test_invalid_setting_names_the_key(mutate, key) -> None:
    raw = raw_config()
    mutate(raw)
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        parse(raw)


def test_broken_toml_exits_2_naming_the_file(tmp_path: Path, capsys) -> None:
    bad = write(tmp_path, "[pubmed\nbase_url = 1\n")
    assert main(["--config", str(bad), "stats"]) == 2
    err = capsys.readouterr().err
    assert "configuration error" in err and str(bad) in err
    assert not (tmp_path / "data").exists()          # nothing written


def test_config_pointing_at_a_directory_is_one_clear_line(tmp_path: Path, capsys) -> None:
    assert main(["--config", str(tmp_path), "stats"]) == 2
    err = capsys.readouterr().err
    assert err == f"litwatch: configuration error: {tmp_path}: is a directory, not a " \
                  "config file\n"


@pytest.mark.parametrize("error, message", [(PermissionError, "permission denied"),
                                            (OSError, "cannot read: Input/output error")])
def test_an_unreadable_config_is_a_config_error(tmp_path: Path, monkeypatch, error,
                                                message: str) -> None:
    path = write(tmp_path, "")

    def refuse(self, *args, **kwargs):
        raise error(13 if error is PermissionError else 5, "Input/output error")
    monkeypatch.setattr(Path, "read_text", refuse)    # root ignores chmod 000
    with pytest.raises(ConfigError, match=message):
        read_config(path)


# ------------------------------------------------------------------ environment

ENV_CASES = {
    "LITWATCH_DATABASE_URL": ("sqlite:////tmp/x.db", lambda s: s.database_url,
                              "sqlite:////tmp/x.db"),
    "LITWATCH_EUTILS_URL": ("http://127.0.0.1:9/eutils", lambda s: s.pubmed.base_url,
                            "http://127.0.0.1:9/eutils/"),
    "LITWATCH_CTGOV_URL": ("http://127.0.0.1:9/api/v2/", lambda s: s.ctgov.base_url,
                           "http://127.0.0.1:9/api/v2/"),
    "LITWATCH_NCBI_EMAIL": ("me@example.org", lambda s: s.pubmed.email, "me@example.org"),
    "LITWATCH_FEED_URLS": ("a=http://127.0.0.1:9/a.xml",
                           lambda s: [(f.name, f.url) for f in s.feeds],
                           [("a", "http://127.0.0.1:9/a.xml")]),
    "NCBI_API_KEY": ("k3y", lambda s: (s.pubmed.api_key, s.pubmed.rate_limit), ("k3y", 10.0)),
    "LITWATCH_SMTP_PASSWORD": ("pw", lambda s: s.secrets(), ["pw"]),
    "LITWATCH_TODAY": ("2026-11-18", lambda s: s.today, date(2026, 11, 18)),
}


def test_every_declared_variable_has_a_case() -> None:
    assert set(ENV_CASES) == {s.env for s in SETTINGS if s.env}


@pytest.mark.parametrize("name", sorted(ENV_CASES))
def test_environment_overrides_every_declared_variable(name: str) -> None:
    value, read, expected = ENV_CASES[name]
    assert read(parse(raw_config(), {name: value})) == expected
    assert read(parse(raw_config())) != expected


def test_empty_feed_variable_means_no_feeds_but_empty_url_means_unset() -> None:
    s = parse(raw_config(), {"LITWATCH_FEED_URLS": "", "LITWATCH_EUTILS_URL": ""})
    assert s.feeds == () and s.pubmed.base_url == LIVE_EUTILS


def test_litwatch_config_variable_and_its_directory(tmp_path: Path, monkeypatch) -> None:
    config = write(tmp_path / "etc", "[digest]\narchive_dir = 'out'\n")
    monkeypatch.chdir(tmp_path)
    s = load_settings(env={"LITWATCH_CONFIG": str(config)})
    assert s.path == config and s.digest.archive_dir == config.parent.resolve() / "out"


# ------------------------------------------------------------------ the clock
def test_invalid_litwatch_today_is_one_clear_error(tmp_path: Path, monkeypatch, capsys) -> None:
    with pytest.raises(ConfigError) as caught:
        parse({}, {"LITWATCH_TODAY": "2026-02-30"})
    assert str(caught.value) == "LITWATCH_TODAY: expected a date as YYYY-MM-DD, got '2026-02-30'"
    monkeypatch.setenv("LITWATCH_TODAY", "tomorrow")
    assert main(["--config", str(write(tmp_path, "")), "stats"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "LITWATCH_TODAY" in err
    assert not (tmp_path / "data").exists()


def test_litwatch_run_pins_both_sync_and_digest(tmp_path: Path, monkeypatch, capsys) -> None:
    seen: dict[str, object] = {}

    def fake_sync(ctx, sources, *args):
        seen["sync"] = ctx.today
        return types.SimpleNamespace(ok=True, sources=[], interrupted=0)

    def digest_due(settings, engine, now):
        seen["digest"] = now
    monkeypatch.setattr("litwatch.sync.run_sync", fake_sync)
    monkeypatch.setitem(sys.modules, "litwatch.digest.service", types.SimpleNamespace(
        digest_due=digest_due, run_weekly_digest=None))
    monkeypatch.setenv("LITWATCH_TODAY", "2026-11-18")
    assert main(["--config", str(write(tmp_path, "")), "run"]) == 0, capsys.readouterr()
    assert seen["sync"] == date(2026, 11, 18)
    assert isinstance(seen["digest"], datetime) and seen["digest"].date() == date(2026, 11, 18)


# ------------------------------------------------------------------ init and email
def test_init_in_a_new_directory_uses_that_directory(tmp_path: Path, monkeypatch,
                                                     capsys) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["init"]) == 0
    out = capsys.readouterr().out
    db = tmp_path.resolve() / "data" / "litwatch.db"
    assert (tmp_path / "config.toml").is_file() and db.is_file()
    assert f"config file: {tmp_path.resolve() / 'config.toml'}" in out
    assert f"database ready: sqlite:///{db}" in out
    assert main(["init", "--config", "site/lw.toml"]) == 0
    assert (tmp_path / "site" / "data" / "litwatch.db").is_file()
    assert "wrote site/lw.toml" in capsys.readouterr().out


def fake_sync_report(monkeypatch) -> None:
    monkeypatch.setattr("litwatch.cli.sync_cmd.run_sync",
                        lambda *a, **k: types.SimpleNamespace(ok=True, sources=[], interrupted=0))


def test_a_live_pubmed_sync_without_email_warns_once(tmp_path: Path, monkeypatch, capsys) -> None:
    fake_sync_report(monkeypatch)
    config = str(write(tmp_path, ""))
    for _ in range(2):
        assert main(["--config", config, "sync", "--source", "pubmed", "--quiet"]) == 0
    err = capsys.readouterr().err
    assert err.count("warning: no contact email for NCBI") == 1, err
    assert err.count("\n") == 1


@pytest.mark.parametrize("text, env, source", [
    ('[pubmed]\nemail = "me@example.org"\n', {}, "pubmed"),
    ("", {"LITWATCH_EUTILS_URL": "http://127.0.0.1:9/eutils/"}, "pubmed"),
    ("", {}, "ctgov"),
])
def test_no_email_warning_when_it_does_not_apply(tmp_path: Path, monkeypatch, capsys,
                                                 text: str, env: dict, source: str) -> None:
    fake_sync_report(monkeypatch)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert main(["--config", str(write(tmp_path, text)), "sync", "--source", source,
                 "--quiet"]) == 0
    assert "warning" not in capsys.readouterr().err
