"""config.toml: defaults load, overrides apply, every bad value names its key."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from litwatch.cli import main
from litwatch.config.loader import ConfigError, load_settings, parse_settings
from tests.conftest import CONFIG


def raw_config() -> dict:
    return tomllib.loads(CONFIG.read_text())


def parse(raw: dict, env: dict | None = None):
    return parse_settings(raw, env or {}, base_dir=Path("/tmp/lw"))


def test_repo_config_loads_with_live_defaults() -> None:
    s = load_settings(CONFIG, env={})
    assert s.pubmed.base_url == "https://eutils.ncbi.nlm.nih.gov/entrez/eutils/"
    assert s.ctgov.base_url == "https://clinicaltrials.gov/api/v2/"
    assert s.database_url.startswith("sqlite:///") and s.database_url.endswith("data/litwatch.db")
    assert s.pubmed.api_key is None and s.pubmed.rate_limit == 3.0
    assert {"ketamine", "esketamine", "arketamine"} == set(s.drugs)
    assert "Spravato" in s.drug_terms
    assert s.indications and all(q.pubmed and q.ctgov for q in s.indications)


def test_environment_overrides_and_api_key_raises_rate() -> None:
    s = parse(raw_config(), {"LITWATCH_EUTILS_URL": "http://127.0.0.1:9/eutils",
                             "LITWATCH_CTGOV_URL": "http://127.0.0.1:9/api/v2/",
                             "LITWATCH_DATABASE_URL": "sqlite:////tmp/x.db",
                             "LITWATCH_FEED_URLS": "a=http://127.0.0.1:9/a.xml",
                             "NCBI_API_KEY": "k3y", "LITWATCH_SMTP_PASSWORD": "pw"})
    assert s.pubmed.base_url == "http://127.0.0.1:9/eutils/"
    assert s.database_url == "sqlite:////tmp/x.db"
    assert [(f.name, f.url) for f in s.feeds] == [("a", "http://127.0.0.1:9/a.xml")]
    assert s.pubmed.rate_limit == 10.0 and s.pubmed.api_key == "k3y"
    assert set(s.secrets()) == {"k3y", "pw"}


@pytest.mark.parametrize("mutate, key", [
    (lambda r: r["pubmed"].pop("base_url"), "pubmed.base_url"),
    (lambda r: r["pubmed"].__setitem__("batch_size", 5000), "pubmed.batch_size"),
    (lambda r: r["http"].__setitem__("timeout_seconds", "soon"), "http.timeout_seconds"),
    (lambda r: r["ctgov"].__setitem__("base_url", "ftp://x"), "ctgov.base_url"),
    (lambda r: r["drugs"].__setitem__("ketamin", ["x"]), "drugs.ketamin"),
    (lambda r: r["indication"][0].__setitem__("labels", ["depresion"]), "labels"),
    (lambda r: r["indication"][1].pop("pubmed"), "pubmed"),
    (lambda r: r["digest"].__setitem__("timezone", "Mars/Olympus"), "digest.timezone"),
    (lambda r: r["smtp"].__setitem__("security", "tls"), "smtp.security"),
    (lambda r: r["database"].__setitem__("url", "mysql://x"), "database.url"),
])
def test_invalid_setting_names_the_key(mutate, key) -> None:
    raw = raw_config()
    mutate(raw)
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        parse(raw)


def test_broken_toml_exits_2_naming_the_file(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "config.toml"
    bad.write_text("[pubmed\nbase_url = 1\n")
    assert main(["--config", str(bad), "stats"]) == 2
    err = capsys.readouterr().err
    assert "configuration error" in err and str(bad) in err
    assert not (tmp_path / "data").exists()          # nothing written


def test_missing_key_exits_2(tmp_path: Path, capsys) -> None:
    raw = CONFIG.read_text().replace('page_size = 1000', '')
    path = tmp_path / "config.toml"
    path.write_text(raw)
    assert main(["--config", str(path), "sync", "--source", "ctgov"]) == 2
    assert "ctgov.page_size" in capsys.readouterr().err
