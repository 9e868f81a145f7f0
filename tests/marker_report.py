"""pytest plugin for `make test`: say how many Chromium and PostgreSQL tests ran.

    pytest -p tests.marker_report --require-ran chromium --require-ran postgresql

A green run that silently left out the browser or the second backend would be a
lie, so the terminal summary has one line per group ("chromium: 3 passed") and a
required group with no passed test fails the session (exit status 1) with one line
saying which.  Not a test module: pytest only collects test_*.py.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable

import pytest


def _is_chromium(item: pytest.Item) -> bool:
    return item.get_closest_marker("chromium") is not None


def _is_postgres(item: pytest.Item) -> bool:
    # The backend-parametrised tests carry "[postgresql]" in their id, the PostgreSQL
    # module has it in its path; a `postgres` marker counts too.
    return item.get_closest_marker("postgres") is not None or "postgres" in item.nodeid.lower()


GROUPS: dict[str, Callable[[pytest.Item], bool]] = {"chromium": _is_chromium,
                                                    "postgresql": _is_postgres}


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--require-ran", action="append", default=[], metavar="GROUP",
                     choices=sorted(GROUPS),
                     help="fail the session unless at least one test of GROUP passed")


def pytest_configure(config: pytest.Config) -> None:
    config.pluginmanager.register(GroupReport(config.getoption("require_ran")),
                                  "litwatch-group-report")


class GroupReport:
    def __init__(self, required: list[str]):
        self.required = required
        self.groups_of: dict[str, list[str]] = {}
        self.counts: dict[str, Counter[str]] = {group: Counter() for group in GROUPS}

    def pytest_collection_modifyitems(self, items: list[pytest.Item]) -> None:
        for item in items:
            self.groups_of[item.nodeid] = [g for g, test in GROUPS.items() if test(item)]

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        # One outcome per test: the call's, or the setup's when the test never ran.
        if report.when == "call" or (report.when == "setup" and not report.passed):
            for group in self.groups_of.get(report.nodeid, []):
                self.counts[group][report.outcome] += 1

    def missing(self) -> list[str]:
        return [group for group in self.required if not self.counts[group]["passed"]]

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session: pytest.Session) -> None:
        if self.missing() and session.exitstatus == 0:
            session.exitstatus = 1

    def pytest_terminal_summary(self, terminalreporter) -> None:
        parts = []
        for group, counts in self.counts.items():
            done = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items()))
            parts.append(f"{group}: {done or 'none collected'}")
        terminalreporter.write_line("test groups: " + "; ".join(parts))
        for group in self.missing():
            terminalreporter.write_line(f"FAILED: no {group} test passed, and this run "
                                        f"requires them (--require-ran {group})", red=True)
