"""Cleaning of extracted text into readable, located blocks.

The seeds are raw PDF and web extractions: lines wrapped mid-word, running headers and page
numbers between sentences, footnotes and sidebars cutting paragraphs in two, tables flattened
into lines, web chrome. `clean_plain` turns such text (or a PDF's pages) into a `Cleaned`
document: one string for reading plus blocks (headings, paragraphs, list items, table rows,
notes) that map back into it by character offsets, each with its page where one is known.

This is the entry point of cleaning: it drops the page furniture (`furniture`), groups what is
left into drafts (`paragraphs`) and lays the drafts out as located blocks (`assemble`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from assistant.model import Block, BlockKind, Cell, Row, Table
from assistant.text.controls import strip_controls
from assistant.text.markers import strip_markers
from assistant.text.numbers import is_year, read_quantity, stated_scale

from .furniture import find_furniture, infer_pages
from .joining import join_broken_paragraphs
from .layout_cells import layout_cells
from .notes import Segment, mark_notes
from .paragraphs import Draft, is_wrapped, make_drafts

__all__ = ["Cleaned", "Draft", "assemble", "clean_plain", "normalize"]

# Markup may call anything a heading; longer than this it is text to be searched, not a title.
MAX_HEADING_CHARS = 300

_WORDS = re.compile(r"[A-Za-z\u00C0-\u024F]+(?:-[A-Za-z\u00C0-\u024F]+)*")
_CHAR_FIXES = str.maketrans(
    {
        "\u00a0": " ",
        "\u2009": " ",
        "\u202f": " ",
        "\u00ad": None,
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\ufeff": None,
        "\ufb01": "fi",
        "\ufb02": "fl",
        "\ufb00": "ff",
        "\ufb03": "ffi",
        "\ufb04": "ffl",
        "\ufb05": "st",
        "\ufb06": "st",
    }
)


@dataclass(frozen=True)
class Cleaned:
    """A cleaned document: its text, the blocks that map into it, and its page count where known."""

    text: str
    blocks: tuple[Block, ...]
    page_count: int | None


def normalize(text: str) -> str:
    """Unify line ends and whitespace, undo ligatures, drop soft hyphens and control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_CHAR_FIXES)
    return strip_controls(text)


def clean_plain(
    raw: str,
    *,
    pages: Sequence[str] | None = None,
    running: Iterable[str] = (),
    tables: dict[tuple[int, int], list[Draft]] | None = None,
) -> Cleaned:
    """Clean extracted plain text. `pages` gives a PDF's page texts (numbered from 1); a text file
    may separate pages with form feeds. `running` names strings that recur as running headers
    (title, author surnames) so they can be dropped where they stand alone on a line. `tables`
    are tables read already, by (page, line of that page's text) where each stood."""
    known_pages = pages is not None or "\f" in raw
    page_texts = list(pages) if pages is not None else raw.split("\f")
    lines: list[str] = []
    page_of: list[int | None] = []
    given: dict[int, list[Draft]] = {}
    for number, page_text in enumerate(page_texts, 1):
        for local, line in enumerate(normalize(page_text).split("\n")):
            if tables and (number, local) in tables:
                given[len(lines)] = tables[(number, local)]
            lines.append(line.rstrip())
            page_of.append(number if known_pages else None)
    furniture, anchors, end_marks = find_furniture(lines, page_of if known_pages else None, running)
    for index, mark in end_marks.items():
        lines[index] = lines[index][:mark].rstrip()
    if not known_pages:
        page_of = infer_pages(lines, anchors)
    wrapped = pages is not None or is_wrapped(lines)  # a PDF's lines are its layout's: always wrapped
    vocabulary = Counter(w.lower() for line in lines for w in _WORDS.findall(line))
    drafts = make_drafts(lines, page_of, furniture, wrapped, vocabulary, given)
    if wrapped:
        drafts = join_broken_paragraphs(drafts, vocabulary)
    inferred = [page for page in page_of if page is not None]
    page_count = len(page_texts) if known_pages else (max(inferred) if inferred else None)
    return assemble(drafts, page_count=page_count)


def assemble(drafts: list[Draft], page_count: int | None) -> Cleaned:
    """Set footnote markers apart, attach sections and lay the blocks out in one text.

    A table's drafts (header line, caption, rows) become one table block, its rows and cells
    located in the text; a table continued after other blocks is a second block with the same
    number, header and caption."""
    labels = {d.label for d in drafts if d.kind == "note" and d.label and d.label.isalpha()}
    segments: list[Segment] = []
    for draft in drafts:
        in_table = draft.kind in {"table_row", "table_header"}
        if draft.cells:
            segments += [Segment(cell, in_table, is_cell=True) for cell in draft.cells]
        else:
            segments.append(Segment(draft.text, in_table))
    marked = iter(mark_notes(segments, labels))
    layout = _Layout()
    for draft in drafts:
        if draft.cells:
            cells = [next(marked) for _ in draft.cells]
            layout.add(draft, CELL_SEPARATOR.join(cells), cells)
        else:
            layout.add(draft, next(marked), None)
    return Cleaned("".join(layout.pieces), tuple(layout.finish()), page_count)


def _introduction(previous: Draft | None) -> str | None:
    """The last sentence of a paragraph that introduces what follows ("The following table presents
    selected financial information ... (in millions):"): a table without a caption takes its scale
    from it."""
    if previous is None or previous.table is not None or previous.kind != "paragraph":
        return None
    text = previous.text.rstrip()
    return text.rsplit(". ", 1)[-1] if text.endswith(":") else None


# How a row of cells reads in the text: "Total | 1,496.5 | 1,202.9".
CELL_SEPARATOR = " | "


class _Layout:
    """The text being laid out, the blocks located in it, and the table being filled."""

    def __init__(self) -> None:
        self.pieces: list[str] = []
        self.blocks: list[Block] = []
        self.offset = 0
        self.section: str | None = None
        self.previous: Draft | None = None
        self.table: _TableParts | None = None
        self.seen: dict[int, _TableParts] = {}  # the first part of each table number

    def add(self, draft: Draft, raw: str, cells: list[str] | None) -> None:
        text = raw.strip()
        if not text:
            return
        lead = len(raw) - len(raw.lstrip())
        previous = self.previous
        tight = previous is not None and previous.table is not None and previous.table == draft.table
        tight = tight or (previous is not None and previous.kind == draft.kind == "list_item")
        separator = "" if not self.pieces else ("\n" if tight else "\n\n")
        self.offset += len(separator)
        self.pieces.append(separator + text)
        start, end = self.offset, self.offset + len(text)
        self.offset = end
        self.previous = draft
        if draft.table is None:
            self._close_table()
            kind = BlockKind(draft.kind)
            if kind is BlockKind.HEADING and len(text) > MAX_HEADING_CHARS:
                kind = BlockKind.PARAGRAPH  # markup may call anything a heading; this is text
            if kind is BlockKind.HEADING:
                self.section = strip_markers(text).strip()
            section = text if kind is BlockKind.HEADING else self.section
            self.blocks.append(Block(kind, start, end, draft.page, section, label=draft.label))
            return
        if self.table is None or self.table.number != draft.table or not tight:
            self._close_table()
            self.table = _TableParts(
                draft.table, start, draft.page, self.section, self.seen.get(draft.table), _introduction(previous)
            )
            self.seen.setdefault(draft.table, self.table)
        located = _located(cells, start - lead, start, end) if cells else ()
        if located and draft.columns is not None:  # a cell spanning columns stands in each of them
            located = tuple(located[i] if 0 <= i < len(located) else Cell("", end, end) for i in draft.columns)
        self.table.add(draft.kind, text, start, end, draft.page, located)

    def _close_table(self) -> None:
        if self.table is not None:
            self.blocks.extend(self.table.blocks())
            self.table = None

    def finish(self) -> list[Block]:
        self._close_table()
        return self.blocks


class _TableParts:
    def __init__(
        self,
        number: int,
        start: int,
        page: int | None,
        section: str | None,
        first: _TableParts | None,
        introduced: str | None = None,
    ):
        self.number = number
        self.introduced = introduced  # the sentence that introduces it ("The following table ... (in millions):")
        self.start = self.end = start
        self.page = page
        self.section = section
        self.header: list[Row] = []
        self.rows: list[Row] = []
        self.caption: Cell | None = None
        self.first = first

    def add(self, kind: str, text: str, start: int, end: int, page: int | None, cells: tuple[Cell, ...]) -> None:
        self.end = end
        if kind == "caption":
            self.caption = Cell(text, start, end)
            return
        row = Row(text, start, end, page, cells)
        (self.header if kind == "table_header" else self.rows).append(row)

    def blocks(self) -> list[Block]:
        """The table as one block, or as several where a run of header rows inside the body starts
        a new set of columns ("Fiscal 2018" over four quarters below the rows of fiscal 2019): each
        part then reads its columns from its own header, under the table's number and caption."""
        header = tuple(self.header) or (tuple(self.first.header) if self.first else ())
        caption = self.caption or (self.first.caption if self.first else None)
        rows = tuple(self.rows)
        if rows and not any(row.cells for row in rows):  # a text layout's lines: cut them into cells
            first, cut = layout_cells(header[0] if header else None, list(rows))
            header, rows = ((first,) if first else ()), tuple(cut)
        parts = _header_parts(header, rows)
        out = []
        for n, (part_header, part_rows) in enumerate(parts):
            start = self.start if n == 0 else part_header[0].start
            end = parts[n + 1][0][0].start if n + 1 < len(parts) else self.end
            page = self.page if n == 0 else part_header[0].page
            said = caption.text if caption else (self.introduced or "")
            stated = " ".join([said, *(row.text for row in part_header)])
            table = Table(self.number, part_header, part_rows, caption, stated_scale(stated))
            out.append(Block(BlockKind.TABLE, start, end, page, self.section, table=table))
        return out


def _header_parts(header: tuple[Row, ...], rows: tuple[Row, ...]) -> list[tuple[tuple[Row, ...], tuple[Row, ...]]]:
    """The table's header and rows, cut before each run of header rows that follows rows of
    figures and precedes more rows (two or more cells of words or years, the first cell blank).
    Such rows at the top of the body (the years under a `<thead>` of "Years ended December 31")
    join the header."""
    n = 0
    while n + 1 < len(rows) and _heads_columns(rows[n]):
        n += 1
    parts: list[tuple[tuple[Row, ...], list[Row]]] = [((*header, *rows[:n]), [])]
    figures = False  # whether the current part has rows of figures yet
    while n < len(rows):
        end = n
        while figures and end < len(rows) and _heads_columns(rows[end]):
            end += 1
        run = rows[n:end]
        if run and end < len(rows) and any(sum(1 for c in row.cells[1:] if c.text) >= 2 for row in run):
            parts.append((tuple(run), []))
            n, figures = end, False
        elif run:  # rows of words that head nothing below: rows like the others
            parts[-1][1].extend(run)
            n = end
        else:
            parts[-1][1].append(rows[n])
            figures = figures or _has_figures(rows[n])
            n += 1
    return [(part_header, tuple(part_rows)) for part_header, part_rows in parts]


def _heads_columns(row: Row) -> bool:
    """A row that names columns: a blank first cell, and words or years in the others."""
    if not row.cells or row.cells[0].text.strip():
        return False
    others = [cell.text.strip() for cell in row.cells[1:] if cell.text.strip()]
    return bool(others) and all(
        is_year(text) or (read_quantity(text) is None and sum(ch.isalpha() for ch in text) >= 3) for text in others
    )


def _has_figures(row: Row) -> bool:
    return any(read_quantity(cell.text) is not None and not is_year(cell.text) for cell in row.cells[1:])


def _located(cells: list[str], origin: int, start: int, end: int) -> tuple[Cell, ...]:
    """Cells joined by the separator from `origin` on, located in the row's text (`start` to
    `end`: the joined cells without their surrounding blanks), each without its own blanks."""
    out = []
    offset = origin
    for cell in cells:
        lead = len(cell) - len(cell.lstrip())
        a = min(max(offset + lead, start), end)
        b = min(max(a, offset + len(cell.rstrip())), end)
        out.append(Cell(cell.strip(), a, b))
        offset += len(cell) + len(CELL_SEPARATOR)
    return tuple(out)
