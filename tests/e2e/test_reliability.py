"""Crash safety and serving through rebuilds.

A build is killed with SIGKILL at several points (loading the model, embedding, written but not
yet published, just published); the index being served must still load and answer exactly as before
(or, once published, the new one must be complete), and the next build must clean up and succeed.
A live server keeps answering while a rebuild publishes a new generation, and switches to it at once.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.ingest.build import build_index
from assistant.search.retrieval import search
from assistant.store import CURRENT, IndexReader, current_generation
from tests.conftest import CORPUS, ROOT, FakeEmbedder, free_port, settings_for

# A build in its own process that stops at a named stage (loading the model, embedding, written
# but not published) and waits there to be killed: it leaves a mark file when it gets there.
DRIVER = """
import sys, threading
from pathlib import Path
from assistant.ingest.build import build_index
from tests.conftest import FakeEmbedder, settings_for

corpus, index, stop = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]

def reached(stage):
    if stage == stop:
        (index.parent / f"reached-{stage}").touch()
        threading.Event().wait()  # until killed

class Stopping(FakeEmbedder):
    def __init__(self):
        super().__init__()
        reached("starting")

    def embed(self, texts, *, progress=False):
        reached("embedding")
        return super().embed(texts)

build_index(settings_for(corpus, index, model="fake-embedder"), Stopping, before_publish=lambda: reached("written"))
"""


def answers(index: Path) -> list[str]:
    reader = IndexReader.open(index)
    try:
        return [h.chunk.chunk_id for h in search(reader, FakeEmbedder(), "How many Tunisians came back home?", 5)]
    finally:
        reader.close()


def start_build(corpus: Path, index: Path, stop: str = "never") -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(corpus), str(index), stop],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def wait_for(condition, polls: int = 12_000) -> None:  # type: ignore[no-untyped-def]
    """Poll `condition` every 5 ms, up to `polls` times (a minute by default)."""
    for _ in range(polls):
        if condition():
            return
        time.sleep(0.005)
    raise TimeoutError("condition not reached")


@pytest.fixture
def served(corpus_copy: Path, tmp_path: Path) -> tuple[Path, Path, list[str]]:
    """A corpus, an index built from it, and what that index answers; then the corpus changes."""
    index = tmp_path / "index"
    build_index(settings_for(corpus_copy, index, model="fake-embedder"), FakeEmbedder)
    before = answers(index)
    (corpus_copy / "vidino-is-foreign-fighters.txt").write_text("A rewritten report about returnees.\n")
    (corpus_copy / "extra.md").write_text("# Extra\n\nSome 50 Tunisians came back home in 2018.\n")
    return corpus_copy, index, before


@pytest.mark.parametrize("moment", ["starting", "embedding", "written"])
def test_killing_a_build_leaves_the_served_index_intact(served: tuple[Path, Path, list[str]], moment: str) -> None:
    corpus, index, before = served
    generation = current_generation(index)
    process = start_build(corpus, index, stop=moment)
    wait_for(lambda: (index.parent / f"reached-{moment}").exists() or process.poll() is not None)
    assert process.poll() is None, process.stderr.read() if process.stderr else ""
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    assert current_generation(index) == generation
    assert answers(index) == before
    # The next build cleans up what the killed one left and publishes a complete generation.
    build_index(settings_for(corpus, index, model="fake-embedder"), FakeEmbedder)
    assert not list(index.glob(".build-*"))
    assert current_generation(index) != generation
    assert "extra" in IndexReader.open(index).documents


def test_killing_a_build_just_after_it_published_leaves_the_new_index_complete(
    served: tuple[Path, Path, list[str]],
) -> None:
    corpus, index, _ = served
    generation = current_generation(index)
    process = start_build(corpus, index)
    wait_for(lambda: current_generation(index) not in (None, generation), polls=24_000)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    reader = IndexReader.open(index)
    assert "extra" in reader.documents
    assert reader.vectors.ntotal == len(reader.owners) >= reader.chunk_count
    assert reader.db.execute("SELECT count(*) FROM chunks").fetchone()[0] == reader.chunk_count


@pytest.mark.model
def test_queries_during_a_rebuild_all_succeed_and_switch_at_once(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name in ("vidino-is-foreign-fighters.txt", "talkleft-where-will-isis-fighters-go.txt"):
        shutil.copy(CORPUS / name, corpus / name)
    index = tmp_path / "index"
    environment = {**os.environ, "ASSISTANT_CORPUS_DIR": str(corpus), "ASSISTANT_INDEX_DIR": str(index)}
    command = [sys.executable, "-m", "assistant.cli"]
    subprocess.run([*command, "index", "-q"], env=environment, cwd=ROOT, check=True, timeout=600)
    port = free_port()
    server = subprocess.Popen(
        [*command, "serve", "--port", str(port)], env=environment, cwd=ROOT, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    seen: list[tuple[int, int]] = []  # (status, chunks) in the order responses came back
    failures: list[str] = []
    stop = threading.Event()

    def hammer() -> None:
        while not stop.is_set():
            try:
                with urllib.request.urlopen(base + "/api/health", timeout=30) as response:
                    seen.append((response.status, json.load(response)["chunks"]))
                with urllib.request.urlopen(base + "/api/search?q=returnees%20in%20Europe&k=5", timeout=30) as r:
                    if r.status != 200 or not json.load(r)["results"]:
                        failures.append(f"search {r.status}")
            except OSError as error:
                failures.append(repr(error))

    try:
        wait_for(lambda: _healthy(base), polls=24_000)
        threads = [threading.Thread(target=hammer) for _ in range(4)]
        for thread in threads:
            thread.start()
        shutil.copy(CORPUS / "mironova-can-isis-regroup.txt", corpus / "mironova-can-isis-regroup.txt")
        subprocess.run([*command, "index", "-q"], env=environment, cwd=ROOT, check=True, timeout=600)
        new_chunks = IndexReader.open(index).chunk_count
        wait_for(lambda: any(chunks == new_chunks for _, chunks in seen))
        switched = next(n for n, (_, chunks) in enumerate(seen) if chunks == new_chunks)
        wait_for(lambda: len(seen) > switched + 40)  # enough answers after the switch to see it hold
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        stop.set()
        server.terminate()
        server.wait(timeout=30)
    assert failures == []
    assert {status for status, _ in seen} == {200}
    counts = [chunks for _, chunks in seen]
    first_new = counts.index(new_chunks)
    assert set(counts[:first_new]) == {counts[0]} and counts[0] != new_chunks  # the old index until the switch
    assert set(counts[first_new + 8 :]) <= {new_chunks}  # then the new one (allowing requests already in flight)


def _healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(base + "/api/health", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_current_is_replaced_atomically(served: tuple[Path, Path, list[str]]) -> None:
    corpus, index, _ = served
    pointer = index / CURRENT
    inode = pointer.stat().st_ino
    build_index(settings_for(corpus, index, model="fake-embedder"), FakeEmbedder)
    assert pointer.stat().st_ino != inode  # a new file renamed over the old one, never rewritten in place
    assert not list(index.glob(f".{CURRENT}.*"))
