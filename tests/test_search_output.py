"""`litwatch search` output: fitted to a real terminal, tab-separated lines in a pipe,
plain one-line snippets in JSON and CSV, and `-word` exclusions on the command line."""

from __future__ import annotations

import csv
import fcntl
import io
import json
import os
import pty
import re
import struct
import subprocess
import sys
import termios

import pytest

from tests import test_search_data
from tests.conftest import CONFIG, REPO

store_url, cli = test_search_data.store_url, test_search_data.cli
litwatch = test_search_data.litwatch
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


def on_terminal(url: str, columns: int, *args: str) -> tuple[int, list[str]]:
    """Run `litwatch ARGS` with stdout on a pseudo-terminal `columns` wide."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = dict(os.environ, LITWATCH_DATABASE_URL=url, LITWATCH_CONFIG=str(CONFIG),
               TERM="xterm-256color", COLUMNS=str(columns))
    with subprocess.Popen([sys.executable, "-m", "litwatch", *args], env=env, cwd=REPO,
                          stdout=slave, stderr=subprocess.PIPE) as proc:
        os.close(slave)
        chunks = []
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:              # EIO: the child closed the terminal
                break
            if not chunk:
                break
            chunks.append(chunk)
        proc.wait(timeout=60)
    os.close(master)
    text = ANSI.sub("", b"".join(chunks).decode("utf-8", "replace")).replace("\r", "")
    return proc.returncode, text.splitlines()


@pytest.mark.parametrize("columns", [72, 140])
def test_table_fits_the_terminal_it_is_shown_on(store_url, columns):
    status, lines = on_terminal(store_url, columns, "search", "depression")
    assert status == 0
    text = "\n".join(lines)
    assert "90000001" in text and "treatment-resistant" in text
    assert max(len(line) for line in lines) <= columns
    if columns > 100:       # a wide terminal is used, not an assumed 80 columns
        assert max(len(line) for line in lines) > 100


def test_piped_table_is_one_tab_separated_line_per_record(store_url):
    done = litwatch(store_url, "search", "depression")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    rows = [line.split("\t") for line in lines]
    assert all(len(row) == 6 for row in rows), lines
    by_id = {row[0]: row for row in rows}
    title = ("Intranasal esketamine for treatment-resistant depression: a randomized "
             "controlled trial")
    assert by_id["90000001"][5] == title            # never wrapped, never cut
    assert by_id["90000001"][1] == "2024-03-01" and by_id["90000001"][2] == "rct"
    assert not re.search(r"[\x1b\x02\x03│┃━─]", done.stdout)


def test_piped_table_marks_retractions_and_feed_items(cli):
    status, out, _ = cli("search", "ketamine", "--limit", "50")
    rows = {line.split("\t")[0]: line.split("\t") for line in out.splitlines()}
    assert status == 0
    assert rows["90000003"][5].startswith("RETRACTED: ")
    assert "feed:pubmed:90000005" in rows


def test_json_snippets_are_plain_single_lines(cli):
    status, out, _ = cli("search", "depression", "--format", "json")
    hits = json.loads(out)
    snippets = [h["snippet"] for h in hits if h["snippet"]]
    assert status == 0 and snippets
    for snippet in snippets:
        assert "**" not in snippet and "\n" not in snippet and "\x02" not in snippet


def test_csv_snippets_are_plain_and_every_record_is_one_line(cli):
    status, out, _ = cli("search", "depression", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert status == 0 and len(out.splitlines()) == len(rows) + 1
    assert all("**" not in r["snippet"] for r in rows) and any(r["snippet"] for r in rows)


def ids(cli, command: str, *args: str) -> set[str]:
    # --format goes first: after a "--" it would be read as query words.
    status, out, err = cli(command, "--format", "json", *args)
    assert status == 0, err
    return {h["id"] for h in json.loads(out)}


@pytest.mark.parametrize("args", [
    ["depression", "-esketamine"],
    ["depression", "--source", "pubmed", "-esketamine"],
    ["--source", "pubmed", "depression", "-esketamine"],
    ["depression", "--", "-esketamine"],
])
def test_dash_words_exclude_without_quoting(cli, args):
    pubmed_only = ["--source", "pubmed"] if "--source" in args else []
    quoted = ids(cli, "search", "depression -esketamine", *pubmed_only)
    assert ids(cli, "search", *args) == quoted             # as if the query were quoted
    assert quoted and not quoted & {"90000001", "NCT90000001"}     # the esketamine records
    assert ids(cli, "search", "depression", *pubmed_only) > quoted


def test_a_lone_dash_word_is_a_query_error_not_an_argparse_one(cli):
    status, out, err = cli("search", "-ketamine")
    assert status == 2 and out == ""
    assert "only excludes" in err and "unrecognized arguments" not in err


def test_dash_words_that_look_like_help_are_words(cli):
    status, out, _ = cli("search", "ketamine", "-hallucination", "--format", "json")
    assert status == 0 and "usage:" not in out


def test_unknown_options_are_still_refused(cli):
    with pytest.raises(SystemExit) as info:
        cli("search", "ketamine", "--desing", "rct")
    assert info.value.code == 2


def test_export_takes_dash_words_too(cli):
    assert ids(cli, "export", "depression", "-esketamine") == \
        ids(cli, "export", "depression -esketamine")
    assert "90000001" not in ids(cli, "export", "depression", "-esketamine")
