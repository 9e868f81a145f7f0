"""The installed package: carries its templates, taxonomies, migrations and default
claims, no test doubles, and writes its data where it is run, not into site-packages."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import REPO


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "-q",
                    "-w", str(out)], check=True, capture_output=True, text=True)
    return next(out.glob("litwatch-*.whl"))


def test_wheel_holds_the_package_data_and_no_test_doubles(wheel: Path) -> None:
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("litwatch/templates/digest.html", "litwatch/templates/evidence_map.html",
                   "litwatch/classify/taxonomies/routes.toml",
                   "litwatch/store/alembic/versions/0001_initial_schema.py",
                   "litwatch/claims/seeds.toml"):
        assert needed in names, needed
    assert not [n for n in names if n.split("/")[0] in ("testkit", "evaluation", "tests",
                                                         "bench", "corpus")]
    assert not [n for n in names if "emulator" in n or "digest_sample" in n]


def test_installed_wheel_writes_its_data_in_the_working_directory(
        wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(site), str(wheel)], check=True, capture_output=True)
    work = tmp_path / "empty"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("LITWATCH_")}
    env["PYTHONPATH"] = str(site)          # the wheel's code, the venv's dependencies
    done = subprocess.run([sys.executable, "-m", "litwatch", "init"], cwd=work, env=env,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert (work / "config.toml").is_file()
    assert (work / "data" / "litwatch.db").is_file()
    assert str(work / "data" / "litwatch.db") in done.stdout
    assert not list(site.rglob("*.db")) and not (site / "data").exists()
