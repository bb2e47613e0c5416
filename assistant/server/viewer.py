"""The document viewer's reading order: a document as its passages, in the order of its text,
with the headings between them, page marks, and table rows grouped under their header."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.model import Block, BlockKind, Cell, Chunk, ChunkKind, Document, Row


@dataclass
class Piece:
    """One element of the document viewer, in reading order."""

    kind: str  # heading | caption | page | text | list | note | table
    text: str = ""
    id: str | None = None
    labels: list[str] = field(default_factory=list)
    header: list[list[tuple[str, int]]] = field(default_factory=list)  # a table's header rows: (text, colspan)
    rows: list[tuple[str, list[list[str]]]] = field(default_factory=list)  # (passage id, rows of cells) of a table
    table: tuple[int, int | None] | None = None  # (table block, page) that a table's rows group by
    continues: bool = False  # the first paragraph carries on the previous passage's last one
    continued: bool = False  # the last paragraph carries on in the next passage

    @property
    def paragraphs(self) -> list[str]:
        return [p for p in self.text.split("\n\n") if p.strip()]

    @property
    def lines(self) -> list[str]:
        return [line for line in self.text.split("\n") if line.strip()]


def reading_order(document: Document, chunks: Sequence[Chunk]) -> list[Piece]:
    """The document as its passages (each with the id `c-0042` the API's urls point at) in the
    order of the text, with the headings that lie between them, a page mark where the page
    changes, and table rows grouped under their header and caption."""
    ordered = sorted(chunks, key=lambda c: (c.start, c.seq))
    inside = [(c.start, c.end) for c in ordered]
    between = [
        b for b in document.blocks if b.kind is BlockKind.HEADING and not any(s <= b.start < e for s, e in inside)
    ]
    notes = {b.start: b.label for b in document.blocks if b.kind is BlockKind.NOTE}
    prose = {BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.NOTE}
    split_at = {b.start for b in document.blocks if b.kind in prose}
    entries: list[tuple[int, int, Chunk | Block]] = [(b.start, 0, b) for b in between]
    entries += [(c.start, 1, c) for c in ordered]
    entries.sort(key=lambda e: (e[0], e[1]))

    pieces: list[Piece] = []
    captioned: set[int] = set()
    page: int | None = None
    for _, _, entry in entries:
        if isinstance(entry, Block):
            if entry.page is not None and entry.page != page:
                page = entry.page
                pieces.append(Piece("page", str(page)))
            pieces.append(Piece("heading", document.span(entry)))
            continue
        chunk = entry
        if chunk.page_start is not None and chunk.page_start != page:
            page = chunk.page_start
            pieces.append(Piece("page", str(page)))
        anchor = f"c-{chunk.seq:04d}"
        ref = chunk.table
        table = document.blocks[ref.block].table if ref is not None else None
        if ref is not None and table is not None:
            key = (ref.block, page)
            last = pieces[-1] if pieces else None
            if last is None or last.kind != "table" or last.table != key:
                if table.caption is not None and table.number not in captioned:
                    captioned.add(table.number)
                    pieces.append(Piece("caption", table.caption.text))
                last = Piece("table", header=[_spans(row) for row in table.header], table=key)
                pieces.append(last)
            last.rows.append((anchor, [[cell.text for cell in table.rows[n].cells] for n in ref.rows]))
            continue
        labels = [str(label) for start, label in notes.items() if label and chunk.start <= start < chunk.end]
        kind = chunk.kind.value if chunk.kind in (ChunkKind.LIST, ChunkKind.NOTE) else "text"
        piece = Piece(kind, chunk.text, anchor, labels, continues=kind == "text" and chunk.start not in split_at)
        if piece.continues and pieces and pieces[-1].kind == "text":
            pieces[-1].continued = True
        else:
            piece.continues = False
        pieces.append(piece)
    return pieces


def _spans(row: Row) -> list[tuple[str, int]]:
    """A header row's cells with how many columns each spans (one cell set in several columns)."""
    out: list[tuple[str, int]] = []
    previous: Cell | None = None
    for cell in row.cells:
        if previous is not None and cell == previous and cell.text:
            text, span = out[-1]
            out[-1] = (text, span + 1)
        else:
            out.append((cell.text, 1))
        previous = cell
    return out
