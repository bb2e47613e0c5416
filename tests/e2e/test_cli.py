"""The `assistant` command: what it prints, and how it fails (one line, non-zero, no traceback)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from assistant.cli import main
from assistant.settings import Settings
from tests.conftest import ROOT


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """The installed command in a fresh process, as a user runs it."""
    command = [sys.executable, "-m", "assistant.cli", *args]
    merged = {**os.environ, **(env or {})}
    return subprocess.run(command, capture_output=True, text=True, env=merged, cwd=ROOT, timeout=600)


def _stops_reading_after_one_line(args: list[str]) -> tuple[str, str]:
    """Run the command into a small pipe, read one line and close it (as `| head -1` does);
    return the start of that line and what the command said on stderr."""
    import fcntl

    process = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert process.stdout is not None and process.stderr is not None
    fcntl.fcntl(process.stdout.fileno(), fcntl.F_SETPIPE_SZ, 4096)  # the output cannot all fit in the pipe
    first = process.stdout.readline()
    process.stdout.close()
    errors = process.stderr.read()
    process.wait(timeout=600)
    return first[:4], errors


def test_help_is_instant_and_names_the_commands() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("index", "serve", "search", "ask"):
        assert command in result.output


def test_help_does_not_import_the_model_stack() -> None:
    code = "import sys, assistant.cli; assert 'torch' not in sys.modules and 'faiss' not in sys.modules"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60).returncode == 0


@pytest.mark.parametrize("command", [["search", "returnees"], ["ask", "How many returned?"], ["serve"]])
def test_without_an_index_it_says_how_to_build_one(command: list[str], tmp_path: Path) -> None:
    result = run(*command, "--index-dir", str(tmp_path / "empty"))
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        f"error: no index in {tmp_path / 'empty'}: build one with `assistant index`"
    ]
    assert "Traceback" not in result.stderr


def test_a_missing_corpus_folder_is_one_line(tmp_path: Path) -> None:
    result = run("index", str(tmp_path / "nowhere"), "--index-dir", str(tmp_path / "index"))
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: corpus folder not found: {tmp_path / 'nowhere'}"


def test_terminal_escapes_never_reach_the_terminal(tmp_path: Path) -> None:
    folder = tmp_path / "\x1b]0;owned\x07\x1b[2Jnowhere"
    result = run("index", str(folder), "--index-dir", str(tmp_path / "index"))
    assert result.returncode == 1
    assert result.stderr.strip() == f"error: corpus folder not found: {tmp_path}/]0;owned[2Jnowhere"


def test_a_bad_setting_names_it(tmp_path: Path) -> None:
    result = run("search", "x", env={"ASSISTANT_PORT": "eighty"})
    assert result.returncode == 1
    assert result.stderr.startswith("error: bad setting: ASSISTANT_PORT:")


@pytest.mark.parametrize(
    ("args", "says"), [(["search", "   "], "must not be empty"), (["ask", ""], "must not be empty")]
)
def test_empty_questions_are_refused_before_loading_anything(args: list[str], says: str) -> None:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1
    assert says in result.output


@pytest.mark.model
def test_index_then_search_and_ask(tmp_path: Path, real_index: Settings) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "note.md").write_text(
        "# Returnees\n\nAbout 5,600 foreign fighters had returned to 33 countries by October 2017.\n",
        encoding="utf-8",
    )
    (corpus / "broken.pdf").write_bytes(b"not a pdf")
    built = run("index", str(corpus), "--index-dir", str(tmp_path / "index"))
    assert built.returncode == 0, built.stderr
    lines = built.stdout.strip().splitlines()
    assert lines[0].startswith(f"skipped {corpus / 'broken.pdf'}: corrupt or unreadable PDF (")
    assert lines[-1].startswith("indexed 1 documents, 1 chunks")
    again = run("index", str(corpus), "--index-dir", str(tmp_path / "index"))
    assert "index is up to date" in again.stdout

    index = str(real_index.index_dir)
    found = run("search", "How many Tunisians went to Syria?", "-k", "3", "--index-dir", index)
    assert found.returncode == 0
    assert found.stdout.startswith("[1] ")
    assert _stops_reading_after_one_line(["search", "foreign fighters", "-k", "50", "--index-dir", index]) == (
        "[1] ",
        "",
    )
    as_json = json.loads(run("search", "Tunisia returnees", "-k", "2", "--json", "--index-dir", index).stdout)
    assert [r["rank"] for r in as_json["results"]] == [1, 2]

    answer = run(
        "ask", "And how many came back?", "--history", "How many Tunisians went off to fight?", "--index-dir", index
    )
    assert answer.returncode == 0
    assert answer.stdout.startswith("(understood as: How many Tunisians")
    assert "figure" in answer.stdout and "qualifier" in answer.stdout  # the figures table

    declined = run("ask", "Who won the 2018 FIFA World Cup?", "--index-dir", index)
    assert declined.returncode == 0
    assert declined.stdout.startswith("The documents don't say. Searched for: Who won the 2018 FIFA World Cup?\n")
    assert "figure  qualifier" not in declined.stdout and "[1] " in declined.stdout  # closest passages, no figures
    payload = json.loads(run("ask", "How many Tunisians returned?", "--json", "--index-dir", index).stdout)
    assert set(payload) >= {"question", "resolved_query", "took_ms", "answer", "passages", "figures"}


def test_a_build_interrupted_where_a_stage_swallows_ctrl_c_is_still_not_published() -> None:
    """A distributed engine may catch KeyboardInterrupt inside its own loop and carry on; the
    Ctrl-C is remembered, and the check before publishing raises it again."""
    import contextlib
    import signal

    from assistant.cli import _Interrupted

    previous = signal.getsignal(signal.SIGINT)
    interrupted = _Interrupted()
    try:
        interrupted.watch()
        interrupted.check()  # nothing yet
        with contextlib.suppress(KeyboardInterrupt):  # swallowed, as a stage might
            os.kill(os.getpid(), signal.SIGINT)  # the handler runs as the call returns
        with pytest.raises(KeyboardInterrupt):
            interrupted.check()
    finally:
        signal.signal(signal.SIGINT, previous)
