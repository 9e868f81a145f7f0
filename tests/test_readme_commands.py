"""Every `litwatch ...` command README.md shows works as shown.

Commands are read from the README's code blocks and inline code spans and run, one
per test, in a fresh working directory against a private copy of the demo store (the
bundled corpus loaded with litwatch.sync.load.load_directory: no network).  Commands
that talk to the outside world run against the local API emulator and a local SMTP
server; the few that cannot be run as written are listed in EXCLUDED with the reason.
A command the README shows succeeding must exit 0, and a file it is told to write
must exist.
"""

from __future__ import annotations

import re
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from litwatch.cli import main
from testkit.emulator import Emulator
from tests.conftest import CORPUS, REPO, emulator_env
from tests.test_mailer import smtp_server as _smtp_server

smtp_server = _smtp_server
README = REPO / "README.md"

# Shown in the README but not runnable as written; each reason says why.
EXCLUDED = {
    "litwatch schedule": "runs in the foreground until SIGTERM; "
                         "tests/test_scheduler.py starts it and stops it with SIGTERM",
    "litwatch -v ...": "a pattern (-v before any command), not a command",
    "litwatch --config PATH": "a pattern: PATH stands for the config file",
}
# Inline spans that name the program or a command in prose ("`litwatch search` queries
# the store"): checked to exist (`--help`), since bare they would need arguments.
NAMED_ONLY = {"litwatch", "litwatch search"}

_FENCE = re.compile(r"^\s*```")
_SPAN = re.compile(r"`([^`\n]+)`")
_SEPARATORS = re.compile(r"\s*(?:&&|\|\||;|\|)\s*")
_REDIRECT = re.compile(r"^(?:\d?>>?|<|\d?>&\d|&>)")
_ASSIGNMENT = re.compile(r"^[A-Za-z_]\w*=")


def _command_in(segment: str) -> str | None:
    """`litwatch ARGS` when the segment runs litwatch (any path, env assignments or a
    systemd Exec*= in front; redirections dropped), else None."""
    try:
        tokens = shlex.split(segment)
    except ValueError:
        return None
    while tokens and _ASSIGNMENT.match(tokens[0]):
        key, value = tokens[0].split("=", 1)
        if key.startswith("Exec") and Path(value).name == "litwatch":
            tokens[0] = value
            break
        tokens.pop(0)
    if not tokens or Path(tokens[0]).name != "litwatch":
        return None
    args = []
    for token in tokens[1:]:
        if _REDIRECT.match(token):
            break
        args.append(token)
    return shlex.join(["litwatch", *args])


def _strip_comment(line: str) -> str:
    return re.sub(r"(^|\s)#.*$", "", line)


def readme_commands(text: str) -> list[str]:
    """Each distinct litwatch command of the README, in order of appearance."""
    found: list[str] = []
    in_block = False
    for line in text.splitlines():
        if _FENCE.match(line):
            in_block = not in_block
            continue
        candidates = ([_strip_comment(line)] if in_block
                      else [m.group(1) for m in _SPAN.finditer(line)])
        for candidate in candidates:
            for segment in _SEPARATORS.split(candidate):
                command = _command_in(segment)
                if command and command not in found:
                    found.append(command)
    return found


COMMANDS = readme_commands(README.read_text(encoding="utf-8"))
RUNNABLE = [c for c in COMMANDS if c not in EXCLUDED]

CONFIG = """\
# The defaults, with the emulator's pace and a local SMTP server.
[pubmed]
email = "readme-test@example.org"
rate_limit = 100.0
[ctgov]
rate_limit = 100.0
[smtp]
host = "127.0.0.1"
port = {port}
security = "none"
recipients = ["reader@example.org"]
"""


@pytest.fixture(scope="module")
def emulator() -> Iterator[Emulator]:
    with Emulator(CORPUS) as emu:
        yield emu


@pytest.fixture
def demo_dir(tmp_path: Path, corpus_db: Path, emulator: Emulator, smtp_server,
             monkeypatch: pytest.MonkeyPatch) -> Path:
    """A working directory with config.toml and a copy of the demo store."""
    _, port = smtp_server
    (tmp_path / "config.toml").write_text(CONFIG.format(port=port), encoding="utf-8")
    shutil.copyfile(corpus_db, tmp_path / "demo.db")
    monkeypatch.chdir(tmp_path)
    for name in ("LITWATCH_CONFIG", "LITWATCH_TODAY", "NCBI_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LITWATCH_DATABASE_URL", f"sqlite:///{tmp_path / 'demo.db'}")
    for name, value in emulator_env(emulator).items():
        monkeypatch.setenv(name, value)
    return tmp_path


def test_the_readme_shows_commands_to_check() -> None:
    assert len(RUNNABLE) >= 10, COMMANDS
    for command in ("litwatch sync", "litwatch export --indication ptsd --format ris "
                    "--out ptsd.ris", "litwatch schedule --list", "litwatch run"):
        assert command in COMMANDS


def test_exclusions_name_commands_the_readme_still_shows() -> None:
    assert set(EXCLUDED) <= set(COMMANDS), set(EXCLUDED) - set(COMMANDS)
    assert NAMED_ONLY <= set(COMMANDS)


@pytest.mark.parametrize("command", RUNNABLE)
def test_readme_command_works_as_shown(command: str, demo_dir: Path, capsys) -> None:
    args = shlex.split(command)[1:] + (["--help"] if command in NAMED_ONLY else [])
    try:
        status = main(args)
    except SystemExit as exc:            # argparse: --help exits 0, a usage error 2
        status = exc.code
    out, err = capsys.readouterr()
    assert status == 0, f"`{command}` exited {status}:\n{err[-2000:]}\n{out[-2000:]}"
    for option in ("--out",):
        if option in args:
            target = demo_dir / args[args.index(option) + 1]
            assert target.is_file() and target.stat().st_size > 0, f"{command}: no {target}"


@pytest.mark.parametrize("text,expected", [
    ("0 6 * * *  cd /srv/x && .venv/bin/litwatch run >> data/litwatch.log 2>&1",
     ["litwatch run"]),
    ("ExecStart=/srv/litwatch/.venv/bin/litwatch schedule", ["litwatch schedule"]),
    ("WorkingDirectory=/srv/litwatch", []),
    ("A=1 litwatch sync  # comment", ["litwatch sync"]),
])
def test_command_extraction(text: str, expected: list[str]) -> None:
    assert readme_commands(f"```sh\n{text}\n```\n") == expected
