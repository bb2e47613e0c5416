"""Chunking: passages that fit the model and the reader, follow the structure, and lose nothing."""

from __future__ import annotations

import re

import pytest

from assistant.ingest.chunking import ChunkingParams, chunk_document
from assistant.ingest.cleaning import Draft, assemble
from assistant.ingest.discover import discover, load_manifest
from assistant.ingest.readers import read_document
from assistant.model import BlockKind, Chunk, ChunkKind, Document, DocumentInfo
from assistant.store.embedding import Embedder
from assistant.text.markers import strip_markers
from tests.conftest import CORPUS

PARAMS = ChunkingParams(target_tokens=60, max_tokens=100, max_chars=1200)


def words(text: str) -> int:
    return len(re.findall(r"\w+|[^\w\s]", text))


def document(*drafts: Draft, doc_id: str = "doc") -> Document:
    cleaned = assemble(list(drafts), page_count=None)
    info = DocumentInfo(
        doc_id, f"{doc_id}.txt", "text", "0" * 64, "T", (), None, None, None, False, None, len(cleaned.text)
    )
    return Document(info, cleaned.text, cleaned.blocks)


def sentence(n: int, length: int = 12) -> str:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return (
        f"Sentence number {n} says " + " ".join(f"word{letters[n % 26]}{letters[i]}" for i in range(length - 5)) + "."
    )


def test_a_paragraph_that_fits_stays_whole_and_small_ones_share_a_passage() -> None:
    doc = document(
        Draft("heading", "Returnees"),
        Draft("paragraph", sentence(1) + " " + sentence(2)),
        Draft("paragraph", sentence(3)),
    )
    chunks = chunk_document(doc, PARAMS, words)
    assert len(chunks) == 1
    assert chunks[0].text == f"{sentence(1)} {sentence(2)}\n\n{sentence(3)}"
    assert chunks[0].section == "Returnees"
    assert chunks[0].embed_text.startswith("Returnees: ")


def test_a_long_paragraph_is_cut_at_sentence_ends_into_even_parts() -> None:
    doc = document(Draft("paragraph", " ".join(sentence(n) for n in range(12))))
    chunks = chunk_document(doc, PARAMS, words)
    assert len(chunks) >= 3
    sizes = [words(c.text) for c in chunks]
    assert max(sizes) <= PARAMS.target_tokens
    assert max(sizes) - min(sizes) <= 20  # balanced, no stub at the end
    assert all(c.text.endswith(".") for c in chunks)
    assert " ".join(c.text for c in chunks) == doc.text


def test_an_overlong_sentence_is_split_at_spaces_not_truncated() -> None:
    names = ["Ali", "Hassan", "Qasim", "Falah", "Hadi", "Shibl", "Akram", "Qais", "Abu", "Zaynab"]
    long_sentence = (
        "The list of names runs on " + ", ".join(names[i % 10] + names[i // 10 % 10].lower() for i in range(300)) + "."
    )
    doc = document(Draft("paragraph", long_sentence))
    chunks = chunk_document(doc, PARAMS, words)
    assert len(chunks) > 1
    assert all(words(c.embed_text) <= PARAMS.max_tokens for c in chunks)
    assert " ".join(c.text for c in chunks) == long_sentence


def test_no_passage_crosses_a_heading() -> None:
    doc = document(
        Draft("heading", "One"),
        Draft("paragraph", sentence(1)),
        Draft("heading", "Two"),
        Draft("paragraph", sentence(2)),
    )
    chunks = chunk_document(doc, PARAMS, words)
    assert [(c.section, c.text) for c in chunks] == [("One", sentence(1)), ("Two", sentence(2))]


def test_table_rows_are_passages_of_their_own_with_header_and_context() -> None:
    doc = document(
        Draft("paragraph", "Between 2012 and 2015 a total of 355 Kosovars traveled to Syria and Iraq. (See Table 1.)"),
        Draft("table_header", "Men Women Children Total", table=1),
        Draft("table_row", "Killed 92 6 1 99", table=1),
        Draft("table_row", "Returned home 124 38 80 242", table=1),
    )
    chunks = chunk_document(doc, PARAMS, words)
    rows = [c for c in chunks if c.kind is ChunkKind.TABLE_ROW]
    assert [c.text for c in rows] == [
        "Killed — Men: 92; Women: 6; Children: 1; Total: 99",
        "Returned home — Men: 124; Women: 38; Children: 80; Total: 242",
    ]
    assert all("355 Kosovars" in c.embed_text for c in rows)  # what the table is about
    assert rows[1].table is not None and rows[1].table.number == 1 and rows[1].table.rows == (1,)
    assert rows[1].start == doc.text.index("Returned home")


def test_a_table_without_caption_or_reference_is_about_its_section() -> None:
    header = "COUNTRY TOTAL WOMEN CHILDREN"
    doc = document(
        Draft("heading", "Women and Children"),
        Draft("paragraph", "Some women have also shown themselves to be successful recruiters. Others stayed."),
        Draft("table_header", header, table=1),
        Draft("table_row", "France 1,910 ~320 460", table=1),
    )
    (row,) = [c for c in chunk_document(doc, PARAMS, words) if c.kind is ChunkKind.TABLE_ROW]
    assert row.context == "Women and Children. Some women have also shown themselves to be successful recruiters."
    assert row.embed_text.startswith(f"{row.context}: France — TOTAL: 1,910; WOMEN: ~320; CHILDREN: 460")


def test_notes_are_packed_apart_from_the_body_and_markers_are_not_embedded() -> None:
    doc = document(
        Draft("paragraph", "The Special Groups currently have 63,000 registered personnel.i According to the author."),
        Draft("note", "This assessment is based on a tallying of the author’s interview data.", label="i"),
        Draft("paragraph", "The expanded pantheon of Special Groups adopted heavy weapons."),
    )
    chunks = chunk_document(doc, PARAMS, words)
    kinds = [c.kind for c in chunks]
    assert kinds == ["text", "note"]
    assert "personnel.[i] According" in chunks[0].text
    assert "[i]" not in chunks[0].embed_text
    assert "pantheon" in chunks[0].text and "tallying" not in chunks[0].text


def test_acronyms_are_spelled_out_for_the_model() -> None:
    doc = document(
        Draft("paragraph", "Kata’ib Hezbollah (KH) is led by a designated terrorist."),
        Draft("heading", "Later"),
        Draft("paragraph", "Today KH maintains around 7,500 fighters assigned to Iraqi operations."),
    )
    later = chunk_document(doc, PARAMS, words)[-1]
    assert later.text == "Today KH maintains around 7,500 fighters assigned to Iraqi operations."
    assert "KH: Kata’ib Hezbollah" in later.embed_text


# --- the real corpus with the real tokenizer --------------------------------------------------


@pytest.fixture(scope="module")
def corpus_chunks(real_embedder: Embedder) -> list[tuple[Document, list[Chunk]]]:
    files, _ = discover(CORPUS)
    metas = load_manifest(CORPUS)
    params = ChunkingParams(target_tokens=160, max_tokens=real_embedder.max_tokens, max_chars=1200)
    out = []
    for source in files:
        doc = read_document(source, metas.get(source.relative), 10**8)
        out.append((doc, chunk_document(doc, params, real_embedder.count_tokens)))
    return out


@pytest.mark.model
def test_documents_are_cut_in_worker_processes_as_they_are_here(
    corpus_chunks: list[tuple[Document, list[Chunk]]], real_embedder: Embedder
) -> None:
    """With two workers the documents are cut in two processes that count word pieces with their
    own copy of the model's tokenizer: the same passages, in the same order."""
    from assistant.ingest.engines import CutJob, LocalEngine
    from assistant.settings import load_settings

    assert getattr(real_embedder, "spec", None) is not None  # the ONNX embedder can be loaded elsewhere
    params = ChunkingParams(target_tokens=160, max_tokens=real_embedder.max_tokens, max_chars=1200)
    jobs = [CutJob(doc, 60.0) for doc, _ in corpus_chunks]
    assert len(jobs) >= 4
    engine = LocalEngine(load_settings(workers=2), real_embedder)
    try:
        cut = engine.cut(jobs, params, {})
    finally:
        engine.close()
    assert [chunks for chunks, _ in cut] == [chunks for _, chunks in corpus_chunks]


@pytest.mark.model
def test_every_passage_fits_the_model_and_the_reader(
    corpus_chunks: list[tuple[Document, list[Chunk]]], real_embedder: Embedder
) -> None:
    assert real_embedder.max_tokens == 254  # 256 word pieces less [CLS] and [SEP]
    for _, chunks in corpus_chunks:
        for chunk in chunks:
            assert real_embedder.count_tokens(chunk.embed_text) <= real_embedder.max_tokens, chunk.chunk_id
            assert len(chunk.text) <= 1200, chunk.chunk_id
            assert chunk.chunk_id == f"{chunk.doc_id}:{chunk.seq:04d}"


@pytest.mark.model
def test_no_text_is_lost_and_passages_point_back_into_the_document(
    corpus_chunks: list[tuple[Document, list[Chunk]]],
) -> None:
    for doc, chunks in corpus_chunks:
        for chunk in chunks:
            region = doc.text[chunk.start : chunk.end]
            ref = chunk.table
            table = doc.blocks[ref.block].table if ref else None
            body = "\n\n".join(table.rows[n].text for n in ref.rows) if ref and table else chunk.text
            for piece in body.split("\n\n"):
                assert " ".join(piece.split()) in " ".join(region.split()), chunk.chunk_id
        shown = " ".join(" ".join(c.text.split()) for c in sorted(chunks, key=lambda c: c.seq))
        pieces = [
            doc.span(b) for b in doc.blocks if b.kind in {BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.NOTE}
        ]
        for _, table in doc.tables():  # a row cut into cells is shown as "label — column: value; ..."
            cells = [cell.text for row in table.rows for cell in row.cells]
            pieces += cells if table.structured else [row.text for row in table.rows]
        for piece in pieces:
            for sentence_text in re.split(r"(?<=[.!?])\s+", piece):
                assert " ".join(sentence_text.split()) in shown, (doc.doc_id, sentence_text[:60])


@pytest.mark.model
def test_passages_are_mostly_paragraph_sized(corpus_chunks: list[tuple[Document, list[Chunk]]]) -> None:
    sizes = [len(strip_markers(c.text)) for _, chunks in corpus_chunks for c in chunks if c.kind is ChunkKind.TEXT]
    assert 300 <= sorted(sizes)[len(sizes) // 2] <= 1000
