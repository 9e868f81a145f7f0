"""`make test` sets up what it needs: Chromium via apt-get, and a report of what ran.

The Makefile's ensure-chromium target runs with fake `id`, `sudo` and `apt-get`
first on PATH, so nothing is installed and no package server is contacted.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

FAKE_APT = """#!/bin/sh
echo "apt-get $*" >> "$FAKE_LOG"
if [ "$1" = install ]; then
    if [ -n "$FAKE_APT_FAILS" ]; then echo "E: Unable to locate package chromium"; exit 100; fi
    case "$*" in
        *chromium*) printf '#!/bin/sh\\n' > "$FAKE_CHROMIUM"; chmod +x "$FAKE_CHROMIUM";;
    esac
    case "$*" in *python3-venv*) touch "$FAKE_VENV_OK";; esac
fi
"""
# `python3 -m venv DIR` as on Debian without python3-venv: no ensurepip until installed.
FAKE_PY = """#!/bin/sh
if [ "$1 $2" = "-m venv" ]; then
    if [ ! -e "$FAKE_VENV_OK" ]; then
        mkdir -p "$3"; echo "The virtual environment was not created successfully because"
        echo "ensurepip is not available."; exit 1
    fi
    mkdir -p "$3/bin"; printf '#!/bin/sh\\necho "pip $*" >> "$FAKE_LOG"\\n' > "$3/bin/pip"
    chmod +x "$3/bin/pip"
fi
"""


def script(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


@pytest.fixture
def fakes(tmp_path: Path):
    """Run `make ensure-chromium` as a given uid, with or without a working sudo."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script(bin_dir / "apt-get", FAKE_APT)
    log, chromium = tmp_path / "calls.log", tmp_path / "chromium"

    def run(uid: int, sudo: bool | None = None, apt_fails: bool = False,
            target: tuple[str, ...] = ("ensure-chromium",)):
        script(bin_dir / "id", f"#!/bin/sh\necho {uid}\n")
        if sudo is not None:
            body = ('[ "$1" = -n ] && shift\necho "sudo $*" >> "$FAKE_LOG"\nexec "$@"\n'
                    if sudo else "exit 1\n")
            script(bin_dir / "sudo", "#!/bin/sh\n" + body)
        env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", FAKE_LOG=str(log),
                   FAKE_CHROMIUM=str(chromium), FAKE_APT_FAILS="1" if apt_fails else "",
                   FAKE_VENV_OK=str(tmp_path / "venv-ok"))
        done = subprocess.run(["make", "-s", "--no-print-directory", *target,
                               f"CHROMIUM={chromium}"], cwd=REPO, env=env,
                              capture_output=True, text=True, timeout=60)
        calls = log.read_text().splitlines() if log.exists() else []
        return done, calls, chromium
    return run


def test_present_chromium_installs_nothing(fakes, tmp_path: Path) -> None:
    script(tmp_path / "chromium", "#!/bin/sh\n")
    done, calls, _ = fakes(1000, sudo=False)
    assert done.returncode == 0 and calls == [] and done.stdout == ""


def test_root_installs_debian_chromium(fakes) -> None:
    done, calls, chromium = fakes(0)
    assert done.returncode == 0, done.stdout + done.stderr
    assert calls == ["apt-get update -qq",
                     "apt-get install -y -qq --no-install-recommends chromium"]
    assert chromium.exists() and "installing Debian chromium" in done.stdout


def test_passwordless_sudo_installs_it(fakes) -> None:
    done, calls, chromium = fakes(1000, sudo=True)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "apt-get install -y -qq --no-install-recommends chromium" in calls
    assert any(c.startswith("sudo ") for c in calls) and chromium.exists()


def test_without_root_or_sudo_it_fails_in_one_line(fakes) -> None:
    done, calls, _ = fakes(1000, sudo=False)
    assert done.returncode != 0 and not any(c.startswith("apt-get") for c in calls)
    assert len(done.stdout.splitlines()) == 1
    assert "FAILED" in done.stdout and "root or passwordless sudo" in done.stdout


def test_a_failed_apt_get_fails_the_run_and_says_why(fakes) -> None:
    done, _, chromium = fakes(0, apt_fails=True)
    assert done.returncode != 0 and not chromium.exists()
    failure = [ln for ln in done.stdout.splitlines() if "FAILED" in ln]
    assert len(failure) == 1 and "Unable to locate package chromium" in failure[0]


def test_a_python_without_ensurepip_gets_python3_venv(fakes, tmp_path: Path) -> None:
    script(tmp_path / "python3", FAKE_PY)
    venv = tmp_path / "venv"
    done, calls, _ = fakes(0, target=("install", f"VENV={venv}", f"PY={tmp_path / 'python3'}"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "apt-get install -y -qq --no-install-recommends python3-venv" in calls
    assert any(c.startswith("pip install") for c in calls) and (venv / ".installed").exists()


def test_ci_runs_just_make_test() -> None:
    commands = [ln.strip() for ln in (REPO / ".ci/run").read_text().splitlines()
                if ln.strip() and not ln.lstrip().startswith("#")]
    assert commands[-1] in ("make test", "exec make test")
    assert not any(word in " ".join(commands) for word in ("apt-get", "pg_ctl", "initdb", "su "))


def test_make_test_installs_chromium_and_requires_both_groups() -> None:
    dry = subprocess.run(["make", "-n", "--no-print-directory", "test", "CHROMIUM=/bin/sh"],
                         cwd=REPO, capture_output=True, text=True, timeout=60).stdout
    assert "-p tests.marker_report" in dry
    assert "--require-ran chromium" in dry and "--require-ran postgresql" in dry


GROUP_TESTS = '''
import pytest

@pytest.mark.chromium
def test_browser():
    pass

@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_store(backend):
    pass
'''


def run_group_report(tmp_path: Path, tests: str, *required: str) -> subprocess.CompletedProcess:
    (tmp_path / "test_groups.py").write_text(tests, encoding="utf-8")
    (tmp_path / "pytest.ini").write_text("[pytest]\nmarkers =\n    chromium: x\n    postgres: x\n")
    args = [a for group in required for a in ("--require-ran", group)]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           "-p", "tests.marker_report", *args, str(tmp_path)], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=120)


def test_group_report_says_what_ran(tmp_path: Path) -> None:
    done = run_group_report(tmp_path, GROUP_TESTS, "chromium", "postgresql")
    assert done.returncode == 0, done.stdout
    assert "test groups: chromium: 1 passed; postgresql: 1 passed" in done.stdout


def test_group_report_fails_a_run_missing_a_required_group(tmp_path: Path) -> None:
    only_sqlite = GROUP_TESTS.replace(', "postgresql"]', "]")
    done = run_group_report(tmp_path, only_sqlite, "chromium", "postgresql")
    assert done.returncode == 1
    assert "postgresql: none collected" in done.stdout
    assert "FAILED: no postgresql test passed" in done.stdout
