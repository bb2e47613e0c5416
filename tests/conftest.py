"""Shared fixtures: a deterministic fake embedder for plumbing tests, the real model and the real
corpus for relevance, figures and end-to-end tests."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pytest

from assistant.settings import Settings, load_settings
from assistant.store.embedding import Embedder

if TYPE_CHECKING:
    from fastapi.testclient import TestClient

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared"

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


class FakeEmbedder:
    """Bag-of-words vectors from hashed words: deterministic, fast, and similar texts are close.
    It records every text it embeds, so tests can see what a build re-embedded."""

    name = "fake-embedder"
    backend = Settings.model_fields["backend"].default  # as if run by the default backend
    fingerprint = None  # model files: none

    dimension = 64
    max_tokens = 254

    def __init__(self) -> None:
        self.embedded: list[str] = []

    def count_tokens(self, text: str) -> int:
        return len(re.findall(r"\w+|[^\w\s]", text))

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        self.embedded.extend(texts)
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in re.findall(r"\w+", text.lower()):
                bucket = int(hashlib.md5(word.encode()).hexdigest()[:8], 16) % self.dimension
                out[row, bucket] += 1.0
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else out[row]
            if not norm:
                out[row, 0] = 1.0
        return out


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def corpus_copy(tmp_path: Path) -> Path:
    """A private copy of the default collection that a test may edit."""
    target = tmp_path / "corpus"
    shutil.copytree(CORPUS, target)
    return target


def settings_for(corpus: Path, index: Path, **extra: object) -> Settings:
    """Settings for a test; the in-process client addresses the app as "testserver"."""
    extra.setdefault("allowed_hosts", ["127.0.0.1", "localhost", "::1", "testserver"])
    extra.setdefault("workers", 1)  # read in this process, where a test can watch and patch the reading
    return load_settings(corpus_dir=corpus, index_dir=index, **extra)


@pytest.fixture(scope="session")
def fake_settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The default collection indexed with the fake embedder, once per test session."""
    from assistant.ingest.build import build_index

    settings = settings_for(CORPUS, tmp_path_factory.mktemp("fake-index"), model="fake-embedder")
    build_index(settings, FakeEmbedder)
    return settings


@pytest.fixture(scope="session")
def client(fake_settings: Settings) -> Iterator[TestClient]:
    """The app in-process over the fake index."""
    from fastapi.testclient import TestClient

    from assistant.server.app import create_app
    from assistant.service import Assistant

    assistant = Assistant.load(fake_settings, FakeEmbedder())
    with TestClient(create_app(fake_settings, assistant)) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def real_embedder() -> Embedder:
    """The default model as the server runs it (the default backend, questions side)."""
    from assistant.store.embedding import load_embedder

    return load_embedder(load_settings())


@pytest.fixture(scope="session")
def real_index(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """The default collection indexed with the real model, once per test session."""
    from assistant.ingest.build import build_index
    from assistant.store.embedding import load_embedder

    index = tmp_path_factory.mktemp("real-index")
    settings = settings_for(CORPUS, index)
    build_index(settings, lambda: load_embedder(settings, bulk=True))
    return settings


@pytest.fixture(scope="session")
def real_assistant(real_index: Settings, real_embedder: Embedder):  # type: ignore[no-untyped-def]
    from assistant.service import Assistant

    return Assistant.load(real_index, real_embedder)


@contextmanager
def served_tatqa(tmp_path_factory: pytest.TempPathFactory, names: Sequence[str]) -> Iterator[TestClient]:
    """Some of TAT-QA's reports (../shared/eval/tatqa/corpus) indexed with the real model, served
    in-process."""
    from fastapi.testclient import TestClient

    from assistant.ingest.build import build_index
    from assistant.server.app import create_app
    from assistant.service import Assistant
    from assistant.store.embedding import load_embedder

    corpus = tmp_path_factory.mktemp("tatqa")
    for name in names:
        shutil.copy(SHARED / "eval" / "tatqa" / "corpus" / f"{name}.html", corpus / f"{name}.html")
    settings = settings_for(corpus, tmp_path_factory.mktemp("tatqa-index"))
    build_index(settings, lambda: load_embedder(settings, bulk=True))
    with TestClient(create_app(settings, Assistant.load(settings))) as client:
        yield client


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="session")
def live_server(real_index: Settings) -> Iterator[str]:
    """`assistant serve` on the real index, in its own process, on a free loopback port."""
    with serving(real_index.index_dir) as base:
        yield base


@contextmanager
def serving(index_dir: Path) -> Iterator[str]:
    """`assistant serve` on an index, in its own process, on a free loopback port: its address
    once it answers /api/health. The wait has no time limit of its own (a loaded machine may take
    long to load the model); it ends when the server answers or its process exits."""
    import subprocess
    import sys
    import time
    import urllib.request

    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "serve", "--port", str(port), "--index-dir", str(index_dir)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                with urllib.request.urlopen(base + "/api/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                if process.poll() is not None:
                    raise RuntimeError(f"server exited: {process.stderr.read() if process.stderr else ''}") from None
                time.sleep(0.3)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
