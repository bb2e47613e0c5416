"""The document viewer's reading order: a document as its passages, in the order of its text,
with the headings between them, page marks, and table rows grouped under their header; shown in
parts of `PART_SIZE` passages, so that a document of any length is a page of bounded size."""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field

from assistant.model import Block, BlockKind, Cell, Chunk, ChunkKind, Document, Row


@dataclass
class Piece:
    """One element of the document viewer, in reading order."""

    kind: str  # heading | caption | page | text | list | note | table
    text: str = ""
    id: str | None = None  # a passage's anchor (c-0042), a heading's (h-17: its block)
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


PART_SIZE = 100  # passages per part of the viewer


@dataclass
class Part:
    """One part of a document in the viewer, and where the others are."""

    number: int  # from 0
    count: int
    pieces: list[Piece]
    contents: list[tuple[str, int, str]]  # every heading of the document: (text, its part, its anchor)


def in_reading_order(chunks: Sequence[Chunk]) -> list[Chunk]:
    return sorted(chunks, key=lambda c: (c.start, c.seq))


def part_of(ordered: Sequence[Chunk], seq: int) -> int:
    """The part that shows the passage `seq` (the first part when there is none)."""
    index = next((n for n, chunk in enumerate(ordered) if chunk.seq == seq), 0)
    return index // PART_SIZE


def document_part(document: Document, chunks: Sequence[Chunk], number: int) -> Part:
    """Part `number` of the document (the last one when there are fewer)."""
    ordered = in_reading_order(chunks)
    count = max(1, -(-len(ordered) // PART_SIZE))
    number = min(max(number, 0), count - 1)
    starts = [ordered[n].start for n in range(0, len(ordered), PART_SIZE)]
    window = ordered[number * PART_SIZE : (number + 1) * PART_SIZE]
    low = 0 if number == 0 else starts[number]
    high = starts[number + 1] if number + 1 < count else len(document.text) + 1
    headings = _headings_between(document, ordered)
    contents = [(document.span(b), max(0, bisect.bisect_right(starts, b.start) - 1), f"h-{n}") for n, b in headings]
    pieces = reading_order(document, window, [(n, b) for n, b in headings if low <= b.start < high])
    return Part(number, count, pieces, contents)


def _headings_between(document: Document, ordered: Sequence[Chunk]) -> list[tuple[int, Block]]:
    """The headings no passage contains (those are shown as headings), with their block index."""
    starts = [c.start for c in ordered]
    ends: list[int] = []
    for chunk in ordered:  # the furthest end reached so far, for each passage in order
        ends.append(max(chunk.end, ends[-1]) if ends else chunk.end)
    out = []
    for n, block in enumerate(document.blocks):
        if block.kind is not BlockKind.HEADING:
            continue
        before = bisect.bisect_right(starts, block.start) - 1
        if before < 0 or ends[before] <= block.start:
            out.append((n, block))
    return out


def reading_order(
    document: Document, chunks: Sequence[Chunk], headings: Sequence[tuple[int, Block]] | None = None
) -> list[Piece]:
    """The passages (each with the id `c-0042` the API's urls point at) in the order of the
    text, with the `headings` that lie between them (by default every such heading of the
    document), a page mark where the page changes, and table rows grouped under their header
    and caption."""
    ordered = in_reading_order(chunks)
    between = list(headings) if headings is not None else _headings_between(document, ordered)
    notes = {b.start: b.label for b in document.blocks if b.kind is BlockKind.NOTE}
    prose = {BlockKind.PARAGRAPH, BlockKind.LIST_ITEM, BlockKind.NOTE}
    split_at = {b.start for b in document.blocks if b.kind in prose}
    entries: list[tuple[int, int, Chunk | tuple[int, Block]]] = [(b.start, 0, (n, b)) for n, b in between]
    entries += [(c.start, 1, c) for c in ordered]
    entries.sort(key=lambda e: (e[0], e[1]))

    pieces: list[Piece] = []
    captioned: set[int] = set()
    page: int | None = None
    for _, _, entry in entries:
        if isinstance(entry, tuple):
            number, block = entry
            if block.page is not None and block.page != page:
                page = block.page
                pieces.append(Piece("page", str(page)))
            pieces.append(Piece("heading", document.span(block), f"h-{number}"))
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
