"""The CLI imports a command's modules only when that command runs.

`litwatch --help` and importing litwatch.cli load no command module and no
SQLAlchemy; a command loads its own module, not the others (claims alone is a
quarter of a second).  The help lines listed without importing must say what
each module registers.
"""

from __future__ import annotations

import json
import subprocess
import sys

from litwatch.cli import COMMANDS, build_parser, parse_args
from tests.conftest import REPO

HEAVY = ("sqlalchemy", "sqlmodel", "rich", "alembic", "jinja2", "requests", "litwatch.claims",
         "litwatch.search", "litwatch.digest", "litwatch.sync", "litwatch.store")


def loaded_after(code: str) -> list[str]:
    """The litwatch and heavy modules a fresh interpreter holds after running `code`."""
    probe = (f"import sys\n{code}\nimport json\n"
             "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('litwatch', "
             f"{', '.join(repr(h) for h in HEAVY)})))))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=REPO, capture_output=True,
                          text=True, timeout=60, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def test_importing_the_cli_loads_no_command_and_no_database_code() -> None:
    loaded = loaded_after("import litwatch.cli")
    assert not [m for m in loaded if m.startswith(HEAVY) or m.endswith("_cmd")], loaded


def test_help_lists_every_command_without_importing_one() -> None:
    loaded = loaded_after("from litwatch.cli import main\n"
                          "try:\n    main(['--help'])\nexcept SystemExit:\n    pass")
    assert not [m for m in loaded if m.startswith(HEAVY) or m.endswith("_cmd")], loaded


def test_a_command_loads_its_own_module_only() -> None:
    loaded = loaded_after("from litwatch.cli import parse_args\nparse_args(['labels'])")
    assert [m for m in loaded if m.endswith("_cmd")] == ["litwatch.cli.classify_cmd"]
    assert "litwatch.claims" not in loaded and "sqlalchemy" not in loaded


def test_the_listed_help_is_what_each_module_registers() -> None:
    sub = build_parser()._subparsers._group_actions[0]  # noqa: SLF001
    registered = {action.dest: action.help for action in sub._choices_actions}  # noqa: SLF001
    assert registered == {name: help_line for name, (_, help_line) in COMMANDS.items()}
    for name, (module, _) in COMMANDS.items():
        assert sub.choices[name].prog == f"litwatch {name}", module


def test_a_wrong_guess_at_the_command_still_parses() -> None:
    # `--conf` abbreviates --config, so "search" is its value and claims the command.
    args = parse_args(["--conf", "search", "claims", "--format", "json"])
    assert args.command == "claims" and args.format == "json" and args.config == "search"
    assert args.func.__module__ == "litwatch.cli.claims_cmd"


def test_claims_formats_match_the_renderer() -> None:
    from litwatch.claims.render import FORMATS
    from litwatch.cli.claims_cmd import FORMATS as CLI_FORMATS
    assert CLI_FORMATS == FORMATS


def test_every_command_module_is_listed() -> None:
    # A new litwatch/cli/*_cmd.py that COMMANDS does not name would never be registered.
    modules = {path.stem for path in (REPO / "litwatch" / "cli").glob("*_cmd.py")}
    assert modules == {module for module, _ in COMMANDS.values()}


def test_registering_claims_and_classify_imports_only_argparse_definitions() -> None:
    # Their handlers import the implementation; the parser must not (claims: 0.25 s).
    for argv in (["claims"], ["reclassify"]):
        loaded = loaded_after(f"from litwatch.cli import parse_args\nparse_args({argv!r})")
        assert not [m for m in loaded if m.startswith(HEAVY)], (argv, loaded)
