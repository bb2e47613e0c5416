"""`assistant index --engine ray`: the same stages on Ray Data build the same index as the local
engine, an interrupted Ray build leaves the served index as it was, and a missing Ray is one clear
line. Ray runs as the CLI starts it (a local Ray), in a network namespace whose only interface is
loopback (see loopback_only.py)."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from assistant.errors import SettingError
from assistant.ingest.build import build_index
from assistant.ingest.engines import open_engine
from assistant.store.embedding import load_embedder
from assistant.store.generations import current_generation
from assistant.store.reader import IndexReader
from tests.conftest import CORPUS, ROOT, SHARED, FakeEmbedder, settings_for

pytestmark = pytest.mark.model

TATQA = SHARED / "eval" / "tatqa" / "corpus"
FILING = SHARED / "pdfs" / "MCDONALDS_2022Q4_EARNINGS.pdf"
LOOPBACK = Path(__file__).with_name("loopback_only.py")


def _confined() -> list[str]:
    """The prefix that runs a command with loopback as its only network interface."""
    probe = [sys.executable, str(LOOPBACK), sys.executable, "-c", "import socket; print(socket.if_nameindex())"]
    for unshare in (["unshare", "--net"], ["unshare", "--net", "--map-root-user"]):
        try:
            done = subprocess.run([*unshare, *probe], capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0 and done.stdout.strip() == "[(1, 'lo')]":
            return [*unshare, sys.executable, str(LOOPBACK)]
    pytest.skip("no network namespace can be made here, so a test's Ray could not be kept on loopback")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small collection of every kind: reports with tables (HTML), a filing (PDF), a text file."""
    corpus = tmp_path_factory.mktemp("ray-corpus")
    for path in sorted(TATQA.glob("*.html"))[:3]:
        shutil.copy(path, corpus / path.name)
    shutil.copy(FILING, corpus / FILING.name)
    shutil.copy(next(p for p in sorted(CORPUS.glob("*.txt"))), corpus / "notes.txt")
    return corpus


def _ray_build(corpus: Path, index: Path) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "assistant.cli", "index", str(corpus), "--index-dir", str(index)]
    return subprocess.Popen(
        [*_confined(), *command, "--engine", "ray", "--workers", "2"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "ASSISTANT_ENGINE": "local"},  # the flag, not the environment, asks for Ray
        start_new_session=True,
    )


def _finish(process: subprocess.Popen[str], timeout: float = 900) -> tuple[int, str, str]:
    try:
        out, err = process.communicate(timeout=timeout)
    finally:
        _stop_group(process)
    return process.returncode, out, err


def _stop_group(process: subprocess.Popen[str]) -> None:
    """Whatever Ray left running in the build's session goes with it."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def _stored(index: Path) -> tuple[list[tuple[object, ...]], np.ndarray, np.ndarray]:
    import faiss

    generation = current_generation(index)
    assert generation is not None
    with sqlite3.connect(generation / "store.sqlite") as db:
        columns = "chunk_id, doc_id, kind, text, embed_text, windows, page_start, page_end, tbl"
        rows = db.execute(f"SELECT {columns} FROM chunks ORDER BY pos").fetchall()
    vectors = faiss.read_index(str(generation / "vectors.faiss"))
    return rows, vectors.reconstruct_n(0, vectors.ntotal), np.load(generation / "owners.npy")


@pytest.fixture(scope="module")
def ray_index(folder: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    index = tmp_path_factory.mktemp("ray-index")
    status, out, err = _finish(_ray_build(folder, index))
    assert status == 0, err
    assert "building on Ray on this machine (127.0.0.1)" in err
    assert "indexed 5 documents" in out
    return index


def test_the_ray_engine_builds_the_index_the_local_engine_builds(folder: Path, ray_index: Path, tmp_path: Path) -> None:
    settings = settings_for(folder, tmp_path / "local")
    build_index(settings, lambda: load_embedder(settings, bulk=True))
    local_rows, local_vectors, local_owners = _stored(tmp_path / "local")
    ray_rows, ray_vectors, ray_owners = _stored(ray_index)
    assert len(local_rows) > 100
    assert any(row[8] for row in local_rows) and any(row[6] for row in local_rows)  # table rows and pages
    assert ray_rows == local_rows
    assert np.array_equal(ray_owners, local_owners)
    assert ray_vectors.shape == local_vectors.shape
    assert float(np.abs(ray_vectors - local_vectors).max()) < 1e-5


def test_an_interrupted_ray_build_leaves_the_served_index_as_it_was(
    folder: Path, ray_index: Path, tmp_path: Path
) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(folder, corpus)
    for n, path in enumerate(sorted(TATQA.glob("*.html"))[3:63]):  # enough work that the build is still running
        shutil.copy(path, corpus / f"added-{n}.html")  # when interrupted, however fast the machine
    index = tmp_path / "index"
    shutil.copytree(ray_index, index)
    served = current_generation(index)
    before = _stored(index)[0]
    process = _ray_build(corpus, index)
    assert process.stderr is not None
    line = process.stderr.readline()
    while line and "building on Ray" not in line:
        line = process.stderr.readline()
    assert "building on Ray" in line  # Ray is up, and the build's stages are under way
    time.sleep(1)
    os.kill(process.pid, signal.SIGINT)
    status, _, err = _finish(process, timeout=300)
    assert status == 130, err
    assert "interrupted" in err
    assert current_generation(index) == served
    reader = IndexReader.open(index)
    try:
        assert len(reader.documents) == 5 and not [d for d in reader.documents if d.startswith("added")]
    finally:
        reader.close()
    assert _stored(index)[0] == before
    assert not [p.name for p in index.iterdir() if p.name.startswith(".build")]


def test_asking_for_ray_without_it_installed_is_one_clear_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # what an environment without the extra has
    settings = settings_for(tmp_path, tmp_path / "index", engine="ray", model="fake-embedder")
    with pytest.raises(SettingError, match=r"pip install 'assistant\[ray\]'"):
        open_engine(settings, FakeEmbedder())
