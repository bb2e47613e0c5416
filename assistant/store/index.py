"""The index on disk: FAISS vectors, a SQLite chunk store with FTS5, and a manifest.

Layout of the index folder:

    index/CURRENT            name of the generation being served (replaced atomically)
    index/gen-<stamp>/       one complete, never-modified index:
        manifest.json        model, dimension, chunking parameters, corpus hash, format version
        store.sqlite         documents, chunks, and the FTS5 table for the lexical side
        vectors.faiss        the vectors; FAISS position = chunk position in the store
    index/embeddings.sqlite  cache of vectors by passage content hash (shared by generations)

A build writes a new generation in a temporary folder and only then points CURRENT at it, so an
interrupted build never touches what is being served (the swap is `assistant.generations`'s; its
CURRENT, MANIFEST and `current_generation` are re-exported here). This is the only module that
imports faiss.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
from collections.abc import Iterable, Sequence
from dataclasses import astuple, dataclass, fields, replace
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import IndexMismatch, IndexMissing

from .generations import CURRENT as CURRENT
from .generations import MANIFEST as MANIFEST
from .generations import current_generation as current_generation

FORMAT_VERSION = 3
STORE = "store.sqlite"
VECTORS = "vectors.faiss"
OWNERS = "owners.npy"
CACHE = "embeddings.sqlite"
FTS_TOKENIZER = "porter unicode61 remove_diacritics 2"

_SCHEMA = f"""
CREATE TABLE documents (
    doc_id TEXT PRIMARY KEY, path TEXT NOT NULL, fmt TEXT NOT NULL, sha256 TEXT NOT NULL,
    title TEXT, authors TEXT NOT NULL, publisher TEXT, date TEXT, link TEXT, title_supplied INTEGER NOT NULL,
    page_count INTEGER, chars INTEGER NOT NULL, chunk_count INTEGER NOT NULL, text TEXT NOT NULL, blocks TEXT NOT NULL
);
CREATE TABLE chunks (
    pos INTEGER PRIMARY KEY, chunk_id TEXT UNIQUE NOT NULL, doc_id TEXT NOT NULL, seq INTEGER NOT NULL,
    kind TEXT NOT NULL, text TEXT NOT NULL, embed_text TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    page_start INTEGER, page_end INTEGER, section TEXT, tbl INTEGER, hash TEXT NOT NULL,
    context TEXT, lexical_text TEXT NOT NULL, windows TEXT NOT NULL
);
CREATE INDEX chunks_doc ON chunks (doc_id, seq);
CREATE VIRTUAL TABLE chunks_fts USING fts5(body, meta, content='', tokenize='{FTS_TOKENIZER}');
"""


@dataclass(frozen=True)
class StoredDocument:
    doc_id: str
    path: str
    fmt: str
    sha256: str
    title: str
    authors: tuple[str, ...]
    publisher: str | None
    date: str | None
    link: str | None
    title_supplied: bool
    page_count: int | None
    chars: int
    chunk_count: int


@dataclass(frozen=True)
class StoredChunk:
    pos: int
    chunk_id: str
    doc_id: str
    seq: int
    kind: str
    text: str
    embed_text: str
    start: int
    end: int
    page_start: int | None
    page_end: int | None
    section: str | None
    table: int | None
    hash: str
    context: str | None
    lexical_text: str
    windows: tuple[str, ...] = ()


def _chunk(row: Sequence[Any]) -> StoredChunk:
    """A chunk from its store row (the last column holds its windows as JSON)."""
    return replace(StoredChunk(*row[:-1]), windows=tuple(json.loads(row[-1])))


@dataclass(frozen=True)
class DocumentRecord:
    """Everything the store keeps about one document, for writing and for reuse in a rebuild."""

    info: StoredDocument
    text: str
    blocks: list[dict[str, Any]]


# --- writing ----------------------------------------------------------------------------------


def write_store(folder: Path, documents: Sequence[DocumentRecord], chunks: Sequence[StoredChunk]) -> None:
    db = sqlite3.connect(folder / STORE)
    try:
        db.executescript(_SCHEMA)
        for record in documents:
            info = record.info
            db.execute(
                "INSERT INTO documents VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    info.doc_id,
                    info.path,
                    info.fmt,
                    info.sha256,
                    info.title,
                    json.dumps(list(info.authors)),
                    info.publisher,
                    info.date,
                    info.link,
                    int(info.title_supplied),
                    info.page_count,
                    info.chars,
                    info.chunk_count,
                    record.text,
                    json.dumps(record.blocks),
                ),
            )
        db.executemany(
            f"INSERT INTO chunks VALUES ({','.join('?' * len(fields(StoredChunk)))})",
            [(*astuple(c)[:-1], json.dumps(list(c.windows))) for c in chunks],
        )
        # `body` is the passage itself; `meta` is what it is about (title, authors, section or table
        # caption), which a question may name ("according to Vidino") but which counts for less.
        about = {r.info.doc_id: " ".join([r.info.title or "", *r.info.authors]) for r in documents}
        db.executemany(
            "INSERT INTO chunks_fts (rowid, body, meta) VALUES (?, ?, ?)",
            [(c.pos, c.lexical_text, f"{about.get(c.doc_id, '')} {c.context or c.section or ''}") for c in chunks],
        )
        db.execute("INSERT INTO chunks_fts (chunks_fts) VALUES ('optimize')")
        db.commit()
    finally:
        db.close()


# Beyond this many vectors exact search gets slow (about 20 ms at 300k on two cores) and float32
# vectors get big (1.5 GB at 1M): HNSW over 8-bit scalar-quantised vectors keeps a million
# vectors in about 650 MB, answers in about a millisecond, and recalls 0.95+ of the exact top 10.
EXACT_LIMIT = 100_000


# HNSW's breadth of search: 128 keeps recall@10 of exact search above 0.95 at a million vectors
# (bench/scale.py measures 64, 128 and 256) for well under a millisecond per query.
EF_SEARCH = 128


def choose_index_type(setting: str, count: int) -> str:
    """The FAISS index for a collection of `count` vectors under the `faiss_index` setting."""
    if setting != "auto":
        return setting
    return "flat" if count < EXACT_LIMIT else "hnsw-sq8"


def write_vectors(folder: Path, vectors: np.ndarray, owners: np.ndarray, index_type: str) -> None:
    import faiss

    faiss.write_index(build_faiss(vectors, index_type), str(folder / VECTORS))
    with open(folder / OWNERS, "wb") as handle:
        np.save(handle, owners.astype(np.int64))


def build_faiss(vectors: np.ndarray, index_type: str, *, hnsw_m: int = 32, ef_search: int = EF_SEARCH) -> Any:
    """A FAISS index over L2-normalised vectors, searched by inner product."""
    import faiss

    dimension = vectors.shape[1]
    index: Any
    if index_type == "flat":
        index = faiss.IndexFlatIP(dimension)
    elif index_type in {"hnsw", "hnsw-sq8"}:
        if index_type == "hnsw":
            index = faiss.IndexHNSWFlat(dimension, hnsw_m, faiss.METRIC_INNER_PRODUCT)
        else:
            eight_bit: Any = faiss.ScalarQuantizer.QT_8bit  # the stubs type the enum as the class
            index = faiss.IndexHNSWSQ(dimension, eight_bit, hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.train(_sample(vectors, 200_000))
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = ef_search
    elif index_type == "ivf-sq8":
        lists = max(1, min(16_384, int(4 * np.sqrt(max(1, len(vectors))))))
        quantizer = faiss.IndexFlatIP(dimension)
        index = faiss.IndexIVFScalarQuantizer(
            quantizer, dimension, lists, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
        )
        index.train(_sample(vectors, max(lists * 40, 10_000)))
        index.nprobe = max(1, lists // 32)
    else:
        raise ValueError(f"unknown FAISS index type {index_type!r}")
    if len(vectors):
        index.add(vectors)
    return index


def _sample(vectors: np.ndarray, size: int) -> np.ndarray:
    if len(vectors) <= size:
        return vectors
    return vectors[np.random.default_rng(0).choice(len(vectors), size, replace=False)]


def write_manifest(folder: Path, manifest: dict[str, Any]) -> None:
    with open(folder / MANIFEST, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, indent=2, sort_keys=True)
        handle.flush()
        os.fsync(handle.fileno())


def read_manifest(folder: Path) -> dict[str, Any]:
    with open(folder / MANIFEST, encoding="utf-8") as handle:
        data: dict[str, Any] = json.load(handle)
    return data


# --- reading ----------------------------------------------------------------------------------


def single_query_mode() -> None:
    """One thread per FAISS search: a server answers one query per request, from several request
    threads at once, and OpenMP's own threads only fight them for the cores (on two busy cores a
    flat search over 50,000 vectors took 36 ms with two threads and 3 ms with one)."""
    import faiss

    faiss.omp_set_num_threads(1)


class IndexReader:
    """A loaded generation: the FAISS index in memory, the store opened read-only per thread."""

    def __init__(self, folder: Path) -> None:
        import faiss

        self.folder = folder
        self.manifest = read_manifest(folder)
        if self.manifest.get("format_version") != FORMAT_VERSION:
            raise IndexMismatch(
                f"index format {self.manifest.get('format_version')} in {folder} is not the format this version "
                f"reads ({FORMAT_VERSION}); rebuild it with `assistant index`"
            )
        self.vectors = faiss.read_index(str(folder / VECTORS))
        self.owners: np.ndarray = np.load(folder / OWNERS)
        self._local = threading.local()
        self.cache: dict[str, Any] = {}  # small memos of derived facts (term frequencies)
        rows = self.db.execute(
            "SELECT doc_id, path, fmt, sha256, title, authors, publisher, date, link, title_supplied, page_count, "
            "chars, chunk_count FROM documents ORDER BY doc_id"
        ).fetchall()
        self.documents = {row[0]: _document(row) for row in rows}
        self.chunk_count = int(self.db.execute("SELECT COUNT(*) FROM chunks").fetchone()[0])
        self._ranges: dict[str, tuple[int, int]] = {
            str(doc_id): (int(low), int(high))
            for doc_id, low, high in self.db.execute("SELECT doc_id, MIN(pos), MAX(pos) FROM chunks GROUP BY doc_id")
        }
        self._vector_ranges = {
            doc_id: self._vector_ranges_of(low, high) for doc_id, (low, high) in self._ranges.items()
        }

    @classmethod
    def open(cls, index_dir: Path) -> IndexReader:
        folder = current_generation(index_dir)
        if folder is None:
            raise IndexMissing(f"no index in {index_dir}: build one with `assistant index`")
        return cls(folder)

    @property
    def db(self) -> sqlite3.Connection:
        connection: sqlite3.Connection | None = getattr(self._local, "db", None)
        if connection is None:
            uri = f"file:{(self.folder / STORE).resolve()}?mode=ro&immutable=1"
            connection = sqlite3.connect(uri, uri=True, check_same_thread=False)
            self._local.db = connection
        return connection

    def check_model(self, name: str, backend: str, dimension: int) -> None:
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

    def chunks(self, positions: Iterable[int]) -> dict[int, StoredChunk]:
        wanted = list(dict.fromkeys(positions))
        if not wanted:
            return {}
        marks = ",".join("?" * len(wanted))
        rows = self.db.execute(f"SELECT * FROM chunks WHERE pos IN ({marks})", wanted).fetchall()
        return {row[0]: _chunk(row) for row in rows}

    def chunk_by_id(self, chunk_id: str) -> StoredChunk | None:
        row = self.db.execute("SELECT * FROM chunks WHERE chunk_id = ?", (chunk_id,)).fetchone()
        return _chunk(row) if row else None

    def document_chunks(self, doc_id: str) -> list[StoredChunk]:
        rows = self.db.execute("SELECT * FROM chunks WHERE doc_id = ? ORDER BY start, seq", (doc_id,)).fetchall()
        return [_chunk(row) for row in rows]

    def neighbours(self, chunk: StoredChunk, span: int = 1) -> list[StoredChunk]:
        """Rows of the same table just before and after a table row, in order."""
        rows = self.db.execute(
            "SELECT * FROM chunks WHERE doc_id = ? AND tbl = ? AND kind = 'table_row' AND seq BETWEEN ? AND ? "
            "ORDER BY seq",
            (chunk.doc_id, chunk.table, chunk.seq - span, chunk.seq + span),
        ).fetchall()
        return [_chunk(row) for row in rows]

    def document_record(self, doc_id: str) -> DocumentRecord | None:
        row = self.db.execute(
            "SELECT doc_id, path, fmt, sha256, title, authors, publisher, date, link, title_supplied, page_count, "
            "chars, chunk_count, text, blocks FROM documents WHERE doc_id = ?",
            (doc_id,),
        ).fetchone()
        if row is None:
            return None
        return DocumentRecord(_document(row[:13]), row[13], json.loads(row[14]))

    def close(self) -> None:
        connection = getattr(self._local, "db", None)
        if connection is not None:
            connection.close()
            self._local.db = None


def _document(row: Sequence[Any]) -> StoredDocument:
    return StoredDocument(
        doc_id=row[0],
        path=row[1],
        fmt=row[2],
        sha256=row[3],
        title=row[4],
        authors=tuple(json.loads(row[5])),
        publisher=row[6],
        date=row[7],
        link=row[8],
        title_supplied=bool(row[9]),
        page_count=row[10],
        chars=row[11],
        chunk_count=row[12],
    )
