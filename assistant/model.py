"""The typed document model that ingest produces and every later stage reads.

A `Document` is its text plus located `Block`s (headings, paragraphs, list items, notes, tables);
a table block carries a `Table` of header rows and body rows, each a span of the text with its
cells. Ingest cuts a document into `Chunk`s (passages) that point back into the text by offsets
and, for table passages, to their table block and rows (`TableRef`). The store keeps these same
types, search returns them, answering and the pages read them: one type per concept, end to end.

It lives beside the stages rather than in one of them because all of them read it, and it reads
nothing of theirs.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property
from typing import Any

from assistant.text.markers import strip_markers


class BlockKind(StrEnum):
    HEADING = "heading"
    PARAGRAPH = "paragraph"
    LIST_ITEM = "list_item"
    NOTE = "note"
    TABLE = "table"


class ChunkKind(StrEnum):
    TEXT = "text"  # paragraphs of prose
    TABLE_ROW = "table_row"  # a table row under its header
    LIST = "list"  # a run of short pieces (a legend, a glossary), line by line
    NOTE = "note"  # footnotes and endnotes


@dataclass(frozen=True)
class Cell:
    """A span of the document text: a table cell, a header row's cell or a caption."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Row:
    """A table row: its text and span, its page and its cells (empty where a text layout does not
    say where one cell ends and the next begins)."""

    text: str
    start: int
    end: int
    page: int | None
    cells: tuple[Cell, ...] = ()


@dataclass(frozen=True)
class Table:
    """A table: header rows (top first), body rows, an optional caption, and its number in the
    document (a table continued on the next page keeps its number in a second block)."""

    number: int
    header: tuple[Row, ...]
    rows: tuple[Row, ...]
    caption: Cell | None = None
    scale: str | None = None  # what the caption or header says its numbers count in: "thousand", "million", ...

    @cached_property
    def width(self) -> int:
        return max((len(row.cells) for row in (*self.header, *self.rows)), default=0)

    def column_names(self) -> tuple[str, ...]:
        """Each column's header, its header rows' cells from the top, repeats and blanks left out:
        a column under "Years ended December 31" and "2019" is "Years ended December 31 2019"."""
        return self._column_names

    # Computed once per table: rows ask for them one by one, so a long table stays linear.
    @cached_property
    def _column_names(self) -> tuple[str, ...]:
        width = self.width
        grid: list[list[str]] = []
        for row in self.header:
            texts = [" ".join(strip_markers(cell.text).split()) for cell in row.cells] + [""] * (width - len(row.cells))
            if width > 2 and texts[0] and not any(texts[1:]):
                texts = ["", *[texts[0]] * (width - 1)]  # a lone first cell heads the columns after it
            grid.append(texts)
        for texts in grid[:-1]:
            # A sparse upper header row heads the columns below it: one cell heads them all ("Fiscal
            # 2019" over four quarters), several each head the blank columns after them
            # ("December 31, 2019" over "Carrying Amount" and "Fair Value").
            filled = [column for column in range(1, width) if texts[column]]
            if not filled or 2 * len(filled) > width - 1:
                continue
            if len(filled) == 1:
                texts[1:] = [texts[filled[0]]] * (width - 1)
                continue
            for column in range(filled[0] + 1, width):
                if not texts[column]:
                    texts[column] = texts[column - 1]
        names = []
        for column in range(width):
            parts: list[str] = []
            for texts in grid:
                if texts[column] and texts[column] not in parts:
                    parts.append(texts[column])
            names.append(" ".join(parts))
        return tuple(names)

    @property
    def structured(self) -> bool:
        """Whether the rows come cut into cells (HTML, Markdown, a PDF's ruled tables), as opposed
        to a text layout's lines."""
        return any(row.cells for row in self.rows)

    def row_path(self, index: int, *, notes: bool = False) -> str:
        """What a body row is about: its label, under its section when it has one ("Deferred tax
        assets: Reserves and accruals"); with `notes`, the label keeps its note markers."""
        row = self.rows[index]
        label = row.cells[0].text if row.cells else ""
        label = " ".join((label if notes else strip_markers(label)).split())
        section = self.sections()[index]
        if section and section != label.rstrip(":").strip():
            return f"{section}: {label}" if label else section
        return label

    def row_line(self, index: int) -> str:
        """A body row as one line a reader takes in without the header: "Total sales — 2019:
        $1,496.5; 2018: $1,202.9 (in millions)"."""
        row = self.rows[index]
        if not row.cells:
            return row.text
        names = self.column_names()
        values = []
        for column, cell in enumerate(row.cells[1:], 1):
            text = " ".join(cell.text.split())
            if text:
                name = names[column] if column < len(names) else ""
                values.append(f"{name}: {text}" if name else text)
        line = self.row_path(index, notes=True)
        if values:
            line = f"{line} — {'; '.join(values)}" if line else "; ".join(values)
        return f"{line} (in {self.scale}s)" if self.scale and values else line

    def sections(self) -> tuple[str | None, ...]:
        """For each body row, the section row above it ("Deferred tax assets:"): a row with a label
        and no other cell filled. A section row is its own section's first row; its total ("Total
        deferred tax assets") its last."""
        return self._sections

    @cached_property
    def _sections(self) -> tuple[str | None, ...]:
        out: list[str | None] = []
        current: str | None = None
        for row in self.rows:
            cells = [cell.text.strip() for cell in row.cells]
            if len(cells) > 1 and cells[0] and not any(cells[1:]):
                current = cells[0].rstrip(":").strip()
            out.append(current)
            if cells and cells[0].lower().startswith("total"):
                current = None  # a section's total closes it
        return tuple(out)


@dataclass(frozen=True)
class Block:
    """A located unit of a document's text."""

    kind: BlockKind
    start: int
    end: int
    page: int | None
    section: str | None  # the heading the block stands under (for a heading, its own text)
    label: str | None = None  # a note's label ("12", "a")
    table: Table | None = None  # for a table block


@dataclass(frozen=True)
class Meta:
    """Bibliographic facts for a document, from the corpus manifest or the file itself."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    publisher: str | None = None
    date: str | None = None
    link: str | None = None
    title_supplied: bool = False


@dataclass(frozen=True)
class DocumentInfo:
    """What the collection knows of a document: where it is, what it is, how big."""

    doc_id: str
    path: str  # relative to the corpus folder
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
    chunk_count: int = 0
    # the period a filing or release reports on: "FY2024", "Q2" or "annual", the cover's date "2023-07-29"
    periods: tuple[str, ...] = ()

    @property
    def meta(self) -> Meta:
        return Meta(self.title, self.authors, self.publisher, self.date, self.link, self.title_supplied)


@dataclass(frozen=True)
class Document:
    """A cleaned document: its facts, its text, and the blocks that map into the text."""

    info: DocumentInfo
    text: str
    blocks: tuple[Block, ...]

    @property
    def doc_id(self) -> str:
        return self.info.doc_id

    def span(self, item: Cell | Row | Block) -> str:
        return self.text[item.start : item.end]

    def tables(self) -> list[tuple[int, Table]]:
        """The table blocks, by their index among the blocks."""
        return [(n, block.table) for n, block in enumerate(self.blocks) if block.table is not None]


@dataclass(frozen=True)
class TableRef:
    """The table block a passage comes from, and which of its body rows it holds."""

    block: int  # index of the table block in its document's blocks
    number: int  # the table's number in the document
    rows: tuple[int, ...]


@dataclass(frozen=True)
class Chunk:
    """A passage: what readers see (`text`), what the model embeds (`embed_text`), where it is."""

    chunk_id: str
    doc_id: str
    seq: int
    kind: ChunkKind
    text: str
    embed_text: str
    start: int  # character offsets of the passage's content in the document text
    end: int
    page_start: int | None
    page_end: int | None
    section: str | None
    context: str | None = None  # what the passage is about: its section, or its table's caption
    lexical_text: str = ""  # what BM25 indexes: the content and acronyms, without the context
    windows: tuple[str, ...] = ()  # sentence windows the model also reads, each a way in to the passage
    table: TableRef | None = None
    pos: int = -1  # position in the index (the FAISS id of its own vector); set when the index is built

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.embed_text.encode("utf-8")).hexdigest()


# --- to and from JSON (the store keeps blocks as JSON) -----------------------------------------


def block_to_json(block: Block) -> dict[str, Any]:
    out: dict[str, Any] = {
        "kind": block.kind.value,
        "start": block.start,
        "end": block.end,
        "page": block.page,
        "section": block.section,
    }
    if block.label is not None:
        out["label"] = block.label
    if block.table is not None:
        out["table"] = table_to_json(block.table)
    return out


def block_from_json(data: dict[str, Any]) -> Block:
    table = table_from_json(data["table"]) if data.get("table") is not None else None
    return Block(
        BlockKind(data["kind"]), data["start"], data["end"], data["page"], data["section"], data.get("label"), table
    )


def _row_to_json(row: Row) -> list[Any]:
    return [row.text, row.start, row.end, row.page, [[c.text, c.start, c.end] for c in row.cells]]


def _row_from_json(data: list[Any]) -> Row:
    text, start, end, page, cells = data
    return Row(text, start, end, page, tuple(Cell(*cell) for cell in cells))


def table_to_json(table: Table) -> dict[str, Any]:
    return {
        "number": table.number,
        "scale": table.scale,
        "header": [_row_to_json(r) for r in table.header],
        "rows": [_row_to_json(r) for r in table.rows],
        "caption": [table.caption.text, table.caption.start, table.caption.end] if table.caption else None,
    }


def table_from_json(raw: dict[str, Any]) -> Table:
    caption = Cell(*raw["caption"]) if raw.get("caption") else None
    header = tuple(_row_from_json(r) for r in raw["header"])
    return Table(raw["number"], header, tuple(_row_from_json(r) for r in raw["rows"]), caption, raw.get("scale"))
