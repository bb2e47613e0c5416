"""A loaded generation of the index: the FAISS vectors in memory, the chunk store opened
read-only (one connection per thread), and the manifest checked against the model that serves.

Layout of the index folder:

    index/CURRENT            name of the generation being served (replaced atomically)
    index/gen-<stamp>/       one complete, never-modified index:
        manifest.json        model, dimension, chunking parameters, corpus hash, format version
        store.sqlite         documents, chunks, and the FTS5 table for the lexical side
        vectors.faiss        the vectors; owners.npy: the passage position of each vector
    index/embeddings.sqlite  cache of vectors by passage content hash (shared by generations)
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import IndexDamaged, IndexMismatch, IndexMissing
from assistant.model import Chunk, Document, DocumentInfo, Table, table_from_json

from .chunkstore import CHUNK_COLUMNS, INFO_COLUMNS, STORE, chunk_from, document_from, info_from
from .generations import MANIFEST, current_generation, earlier_generations, named_generation
from .manifest import FORMAT_VERSION, read_manifest, verify_files
from .vectors import OWNERS, VECTORS

TABLES_KEPT = 256  # tables kept in memory by a reader: the tables of the passages in recent answers


class IndexReader:
    """A loaded generation: the FAISS index in memory, the store opened read-only per thread."""

    def __init__(self, folder: Path, *, digests_checked: bool = False) -> None:
        """Load a generation, after checking that every file is whole (unless the caller has
        just checked their digests) and that the parts agree; a damaged one raises
        `IndexDamaged` saying which file and why."""
        self.folder = folder
        self.manifest = read_manifest(folder)
        if self.manifest.get("format_version") != FORMAT_VERSION:
            raise IndexMismatch(
                f"index format {self.manifest.get('format_version')} in {folder} is not the format this version "
                f"reads ({FORMAT_VERSION}); rebuild it with `assistant index`"
            )
        if not digests_checked:
            verify_files(folder, self.manifest)
        self._local = threading.local()
        self._connections: list[sqlite3.Connection] = []  # one per thread that read the store
        self._tables: OrderedDict[tuple[str, int], Table | None] = OrderedDict()
        self._tables_lock = threading.Lock()
        self.cache: dict[str, Any] = {}  # small memos of derived facts (term frequencies)
        try:
            self._load()
        except (RuntimeError, ValueError, OSError, sqlite3.Error) as exc:  # what FAISS, NumPy and SQLite raise
            self.close()
            raise IndexDamaged(f"{folder} cannot be loaded ({type(exc).__name__}: {exc})") from None
        self._check_counts()

    def _load(self) -> None:
        import faiss

        self.vectors = faiss.read_index(str(self.folder / VECTORS))
        self.owners: np.ndarray = np.load(self.folder / OWNERS, allow_pickle=False)
        rows = self.db.execute(f"SELECT {INFO_COLUMNS} FROM documents ORDER BY doc_id").fetchall()
        self.documents: dict[str, DocumentInfo] = {row[0]: info_from(row) for row in rows}
        self.chunk_count = int(self.db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])
        self._ranges: dict[str, tuple[int, int]] = {
            str(doc_id): (int(low), int(high))
            for doc_id, low, high in self.db.execute("SELECT doc_id, MIN(pos), MAX(pos) FROM chunks GROUP BY doc_id")
        }
        self._vector_ranges = {
            doc_id: self._vector_ranges_of(low, high) for doc_id, (low, high) in self._ranges.items()
        }

    def _check_counts(self) -> None:
        """The vectors, their owners, the passages and the manifest tell the same story."""
        manifest = self.manifest
        problems = []
        if self.vectors.ntotal != manifest.get("vectors") or len(self.owners) != self.vectors.ntotal:
            problems.append(
                f"{self.vectors.ntotal} vectors and {len(self.owners)} owners, {manifest.get('vectors')} built"
            )
        if self.chunk_count != manifest.get("chunks") or len(self.documents) != manifest.get("documents"):
            problems.append(
                f"{self.chunk_count} passages of {len(self.documents)} documents, "
                f"{manifest.get('chunks')} of {manifest.get('documents')} built"
            )
        if self.vectors.d != manifest.get("dimension"):
            problems.append(f"{self.vectors.d}-dimension vectors, {manifest.get('dimension')} built")
        if len(self.owners) and (self.owners.min() < 0 or self.owners.max() >= self.chunk_count):
            problems.append("vectors that belong to no passage")
        if problems:
            self.close()
            raise IndexDamaged(f"{self.folder} does not hold together: {'; '.join(problems)}")

    @classmethod
    def open(cls, index_dir: Path) -> IndexReader:
        folder = current_generation(index_dir)
        if folder is None:
            raise IndexMissing(f"no index in {index_dir}: build one with `assistant index`")
        return cls(folder)

    @classmethod
    def open_served(cls, index_dir: Path) -> tuple[IndexReader, str | None]:
        """The current generation or, when it is damaged, the newest earlier one that is whole,
        with a note saying which is served and why (None when it is the current one)."""
        name = named_generation(index_dir)
        if name is None:
            raise IndexMissing(f"no index in {index_dir}: build one with `assistant index`")
        try:
            if not (index_dir / name / MANIFEST).is_file():
                raise IndexDamaged(f"{index_dir / name} is missing or has no manifest")
            return cls(index_dir / name), None
        except IndexDamaged as damage:
            for folder in earlier_generations(index_dir, name):
                try:
                    reader = cls(folder)
                except (IndexDamaged, IndexMismatch):
                    continue
                return reader, f"serving the earlier generation {folder.name}: the current one is damaged: {damage}"
            raise

    @property
    def db(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "db", None)
        if connection is None:
            uri = f"file:{(self.folder / STORE).resolve()}?mode=ro&immutable=1"
            connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._local.db = connection
            with self._tables_lock:
                self._connections.append(connection)
        return connection

    def check_model(self, name: str, backend: str, dimension: int, fingerprint: str | None = None) -> None:
        built_with = self.manifest.get("model")
        if built_with != name:
            raise IndexMismatch(
                f"the index was built with model {built_with!r} but ASSISTANT_MODEL is {name!r}; "
                "rebuild with `assistant index` or set the model back"
            )
        built_by = self.manifest.get("backend", "torch")  # indexes older than the setting: torch
        if built_by != backend:
            raise IndexMismatch(
                f"the index was built with backend {built_by!r} but ASSISTANT_BACKEND is {backend!r}; "
                "rebuild with `assistant index` or set the backend back"
            )
        if self.manifest.get("model_fingerprint") != fingerprint:
            raise IndexMismatch(
                f"the index was built with other files of model {name!r} (fingerprint "
                f"{str(self.manifest.get('model_fingerprint'))[:12]}, this one {str(fingerprint)[:12]}): its vectors "
                "would not match; rebuild with `assistant index` or restore that model"
            )
        if self.manifest.get("dimension") != dimension:
            raise IndexMismatch(
                f"the index holds {self.manifest.get('dimension')}-dimension vectors but the model "
                f"makes {dimension}; rebuild with `assistant index`"
            )

    def doc_of(self, pos: int) -> str | None:
        """The document a chunk position belongs to."""
        for doc_id, (low, high) in self._ranges.items():
            if low <= pos <= high:
                return doc_id
        return None

    def doc_range(self, doc_id: str) -> tuple[int, int] | None:
        """First and last chunk position of a document (a document's chunks are contiguous)."""
        return self._ranges.get(doc_id)

    def _vector_ranges_of(self, low: int, high: int) -> list[tuple[int, int]]:
        """The runs of vector ids that belong to the passages low..high (passages, then windows)."""
        ids = np.flatnonzero((self.owners >= low) & (self.owners <= high))
        if not len(ids):
            return []
        breaks = np.flatnonzero(np.diff(ids) > 1)
        starts = np.concatenate(([ids[0]], ids[breaks + 1]))
        ends = np.concatenate((ids[breaks], [ids[-1]]))
        return [(int(a), int(b)) for a, b in zip(starts, ends, strict=True)]

    def dense(self, query: np.ndarray, k: int, doc_ids: Sequence[str] | None = None) -> list[tuple[int, float]]:
        """Top-k passages by inner product with their best vector (the passage's own or one of its
        sentence windows), optionally within some documents."""
        import faiss

        if self.vectors.ntotal == 0:
            return []
        fetch = min(self.vectors.ntotal, 4 * k + 50)
        params: Any = None
        if doc_ids is not None:
            ranges = [r for d in doc_ids for r in self._vector_ranges.get(d, [])]
            if not ranges:
                return []
            selectors: list[Any] = [faiss.IDSelectorRange(low, high + 1) for low, high in ranges]
            selector = selectors[0]
            for other in selectors[1:]:
                selector = faiss.IDSelectorOr(selector, other)
                selectors.append(selector)  # FAISS keeps raw pointers: hold every part until the search is done
            params = faiss.SearchParameters()
            params.sel = selector
        scores, ids = self.vectors.search(query.reshape(1, -1).astype(np.float32), fetch, params=params)
        best: dict[int, float] = {}
        for vector_id, score in zip(ids[0], scores[0], strict=True):
            if vector_id >= 0:
                owner = int(self.owners[vector_id])
                if owner not in best:
                    best[owner] = float(score)
        return sorted(best.items(), key=lambda item: -item[1])[:k]

    def dense_among(self, query: np.ndarray, positions: Sequence[int]) -> list[tuple[int, float]]:
        """Inner products of the query with some passages (each with its best vector), best first."""
        import faiss

        ids = np.flatnonzero(np.isin(self.owners, np.asarray(positions, dtype=np.int64))).astype(np.int64)
        if not len(ids):
            return []
        selector = faiss.IDSelectorBatch(ids)
        params = faiss.SearchParameters()
        params.sel = selector
        scores, found = self.vectors.search(query.reshape(1, -1).astype(np.float32), len(ids), params=params)
        best: dict[int, float] = {}
        for vector_id, score in zip(found[0], scores[0], strict=True):
            if vector_id >= 0:
                best.setdefault(int(self.owners[vector_id]), float(score))
        return sorted(best.items(), key=lambda item: -item[1])

    def captioned_rows(self) -> list[tuple[int, str, str, str]]:
        """Every table row passage under a caption: its position, document, caption and text."""
        rows = self.db.execute(
            "SELECT pos, doc_id, context, text FROM chunks WHERE kind = 'table_row' AND context IS NOT NULL"
        ).fetchall()
        return [(int(pos), str(doc), str(caption), str(text)) for pos, doc, caption, text in rows]

    def chunks(self, positions: Iterable[int]) -> dict[int, Chunk]:
        wanted = list(dict.fromkeys(positions))
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        rows = self.db.execute(f"SELECT {CHUNK_COLUMNS} FROM chunks WHERE pos IN ({marks})", wanted).fetchall()
        return {row[0]: chunk_from(row) for row in rows}

    def chunk_by_id(self, chunk_id: str) -> Chunk | None:
        row = self.db.execute(f"SELECT {CHUNK_COLUMNS} FROM chunks WHERE chunk_id = ?", (chunk_id,)).fetchone()
        return chunk_from(row) if row else None

    def preceding(self, chunk: Chunk) -> Chunk | None:
        """The prose passage just before a prose passage, in the same section of its document."""
        row = self.db.execute(
            f"SELECT {CHUNK_COLUMNS} FROM chunks WHERE doc_id = ? AND seq = ?", (chunk.doc_id, chunk.seq - 1)
        ).fetchone()
        before = chunk_from(row) if row else None
        if before is None or before.kind is not chunk.kind or before.section != chunk.section:
            return None
        return before if before.end <= chunk.start else None

    def document_chunks(self, doc_id: str) -> list[Chunk]:
        rows = self.db.execute(
            f"SELECT {CHUNK_COLUMNS} FROM chunks WHERE doc_id = ? ORDER BY start, seq", (doc_id,)
        ).fetchall()
        return [chunk_from(row) for row in rows]

    def neighbours(self, chunk: Chunk, span: int = 1) -> list[Chunk]:
        """Rows of the same table just before and after a table row, in order."""
        if chunk.table is None:
            return [chunk]
        rows = self.db.execute(
            f"SELECT {CHUNK_COLUMNS} FROM chunks WHERE doc_id = ? AND tbl = ? AND seq BETWEEN ? AND ? ORDER BY seq",
            (chunk.doc_id, chunk.table.number, chunk.seq - span, chunk.seq + span),
        ).fetchall()
        return [chunk_from(row) for row in rows]

    def table(self, doc_id: str, block: int) -> Table | None:
        """A table of a document, by the index of its block (recently used ones kept in memory)."""
        key = (doc_id, block)
        with self._tables_lock:
            if key in self._tables:
                self._tables.move_to_end(key)
                return self._tables[key]
        row = self.db.execute("SELECT data FROM tables WHERE doc_id = ? AND block = ?", key).fetchone()
        table = table_from_json(json.loads(row[0])) if row else None
        with self._tables_lock:
            self._tables[key] = table
            while len(self._tables) > TABLES_KEPT:
                self._tables.popitem(last=False)
        return table

    def document(self, doc_id: str) -> Document | None:
        """A whole document: its facts, text and blocks."""
        row = self.db.execute(
            f"SELECT {INFO_COLUMNS}, text, blocks FROM documents WHERE doc_id = ?", (doc_id,)
        ).fetchone()
        return document_from(row) if row is not None else None

    def close(self) -> None:
        """Close the store in every thread that opened it."""
        with self._tables_lock:
            connections, self._connections = self._connections, []
        for connection in connections:
            connection.close()
        self._local = threading.local()

    def __del__(self) -> None:
        # SQLite connections hold reference cycles, so without this a retired generation's files
        # stayed open until the garbage collector ran; a reader is dropped when its last request ends.
        if hasattr(self, "_connections"):
            self.close()
