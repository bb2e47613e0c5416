"""The chunk store: documents (facts, text, blocks) and passages in SQLite, with an FTS5 table for
the lexical side of search.

Rows are written from and read back into the model's own types (`DocumentInfo`, `Document`,
`Chunk`); the column lists below are the one place that says how.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from assistant.model import (
    Chunk,
    ChunkKind,
    Document,
    DocumentInfo,
    TableRef,
    block_from_json,
    block_to_json,
    table_to_json,
)
from assistant.text.words import stemmed

STORE = "store.sqlite"
# The FTS table holds stems made by `assistant.text.words.stemmed`: the tokenizer only splits them.
FTS_TOKENIZER = "unicode61 remove_diacritics 2"

INFO_COLUMNS = (
    "doc_id, path, fmt, sha256, title, authors, publisher, date, link, title_supplied, page_count, chars, chunk_count, "
    "periods"
)
CHUNK_COLUMNS = (
    "pos, chunk_id, doc_id, seq, kind, text, embed_text, start, end, page_start, page_end, section, "
    "context, lexical_text, windows, tbl, tbl_ref, hash"
)

_SCHEMA = f"""
CREATE TABLE documents (
    doc_id TEXT PRIMARY KEY, path TEXT NOT NULL, fmt TEXT NOT NULL, sha256 TEXT NOT NULL,
    title TEXT, authors TEXT NOT NULL, publisher TEXT, date TEXT, link TEXT, title_supplied INTEGER NOT NULL,
    page_count INTEGER, chars INTEGER NOT NULL, chunk_count INTEGER NOT NULL, periods TEXT NOT NULL,
    text TEXT NOT NULL, blocks TEXT NOT NULL
);
CREATE TABLE chunks (
    pos INTEGER PRIMARY KEY, chunk_id TEXT UNIQUE NOT NULL, doc_id TEXT NOT NULL, seq INTEGER NOT NULL,
    kind TEXT NOT NULL, text TEXT NOT NULL, embed_text TEXT NOT NULL, start INTEGER NOT NULL, end INTEGER NOT NULL,
    page_start INTEGER, page_end INTEGER, section TEXT, context TEXT, lexical_text TEXT NOT NULL,
    windows TEXT NOT NULL, tbl INTEGER, tbl_ref TEXT, hash TEXT NOT NULL
);
CREATE INDEX chunks_doc ON chunks (doc_id, seq);
CREATE TABLE tables (doc_id TEXT NOT NULL, block INTEGER NOT NULL, data TEXT NOT NULL, PRIMARY KEY (doc_id, block));
CREATE VIRTUAL TABLE chunks_fts USING fts5(body, meta, content='', tokenize='{FTS_TOKENIZER}');
"""


def write_store(folder: Path, documents: Sequence[Document], chunks: Sequence[Chunk]) -> None:
    db = sqlite3.connect(folder / STORE)
    try:
        db.executescript(_SCHEMA)
        db.executemany(
            f"INSERT INTO documents ({INFO_COLUMNS}, text, blocks) VALUES ({','.join('?' * 16)})",
            [(*info_row(d.info), d.text, json.dumps([block_to_json(b) for b in d.blocks])) for d in documents],
        )
        db.executemany(
            "INSERT INTO tables (doc_id, block, data) VALUES (?, ?, ?)",
            [(d.doc_id, n, json.dumps(table_to_json(table))) for d in documents for n, table in d.tables()],
        )
        db.executemany(
            f"INSERT INTO chunks ({CHUNK_COLUMNS}) VALUES ({','.join('?' * 18)})", [chunk_row(c) for c in chunks]
        )
        # `body` is the passage itself; `meta` is what it is about (title, authors, section or table
        # caption), which a question may name ("according to Smith") but which counts for less.
        about = {d.doc_id: " ".join([d.info.title or "", *d.info.authors]) for d in documents}
        db.executemany(
            "INSERT INTO chunks_fts (rowid, body, meta) VALUES (?, ?, ?)",
            [
                (c.pos, stemmed(c.lexical_text), stemmed(f"{about.get(c.doc_id, '')} {c.context or c.section or ''}"))
                for c in chunks
            ],
        )
        db.execute("INSERT INTO chunks_fts (chunks_fts) VALUES ('optimize')")
        db.commit()
    finally:
        db.close()


def info_row(info: DocumentInfo) -> tuple[Any, ...]:
    return (
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
        json.dumps(list(info.periods)),
    )


def info_from(row: Sequence[Any]) -> DocumentInfo:
    return DocumentInfo(
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
        periods=tuple(json.loads(row[13])),
    )


def document_from(row: Sequence[Any]) -> Document:
    """A document from its row: the info columns, then its text and its blocks as JSON."""
    return Document(info_from(row[:14]), row[14], tuple(block_from_json(b) for b in json.loads(row[15])))


def chunk_row(chunk: Chunk) -> tuple[Any, ...]:
    ref = chunk.table
    return (
        chunk.pos,
        chunk.chunk_id,
        chunk.doc_id,
        chunk.seq,
        chunk.kind.value,
        chunk.text,
        chunk.embed_text,
        chunk.start,
        chunk.end,
        chunk.page_start,
        chunk.page_end,
        chunk.section,
        chunk.context,
        chunk.lexical_text,
        json.dumps(list(chunk.windows)),
        ref.number if ref else None,
        json.dumps([ref.block, ref.number, list(ref.rows)]) if ref else None,
        chunk.content_hash,
    )


def chunk_from(row: Sequence[Any]) -> Chunk:
    """A chunk from its row, in the order of `CHUNK_COLUMNS`."""
    ref = None
    if row[16]:
        block, number, rows = json.loads(row[16])
        ref = TableRef(block, number, tuple(rows))
    return Chunk(
        chunk_id=row[1],
        doc_id=row[2],
        seq=row[3],
        kind=ChunkKind(row[4]),
        text=row[5],
        embed_text=row[6],
        start=row[7],
        end=row[8],
        page_start=row[9],
        page_end=row[10],
        section=row[11],
        context=row[12],
        lexical_text=row[13],
        windows=tuple(json.loads(row[14])),
        table=ref,
        pos=row[0],
    )
