"""HTML into drafts of blocks, read with lxml: headings, paragraphs, list items and tables with
their structure (header rows from `<thead>` or `<th>`, several levels of them, cells spanning
rows and columns set in every column and row they cover, the caption).

Boilerplate goes first: scripts and styles, navigation, asides, forms, and page headers and
footers outside the main content; then the main content (`<main>`, a lone `<article>`, else the
body) is walked in reading order. Short lines of web chrome ("Share this", "Subscribe") are
dropped as in plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from .furniture import is_chrome
from .paragraphs import Draft

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_SKIP = {"script", "style", "noscript", "template", "svg", "nav", "aside", "form", "button", "iframe", "select"}
_SKIP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search"}
_PAGE_FRAME = {"header", "footer"}  # skipped outside the main content, kept inside an article
_PARAGRAPHS = {"p", "pre", "dt", "dd", "figcaption", "address", "summary"}
_CONTAINERS = {
    "div", "section", "article", "main", "body", "header", "footer", "blockquote", "ul", "ol", "dl", "figure",
    "details", "fieldset", "center", "html",
}  # fmt: skip
_BLOCKS = HEADINGS | _PARAGRAPHS | _CONTAINERS | {"li", "table", "hr", "br"} | _SKIP
_LONG_CELL = 300  # a "table" whose cells hold paragraphs this long lays a page out; read as paragraphs


@dataclass
class _Cell:
    text: str
    header: bool
    colspan: int
    rowspan: int


def _parser_for(data: bytes) -> Any:
    """UTF-8 for a page that reads as UTF-8 and declares no other charset: without a declaration,
    libxml2 takes bytes for Latin-1 and "−3" would become "â\x88\x923". Otherwise libxml2's own
    detection (BOM, <meta charset>)."""
    import lxml.html

    head = data[:4096].lower()
    declared = re.search(rb"charset\s*=\s*[\"']?\s*([\w-]+)", head)
    if declared is not None and declared.group(1) not in (b"utf-8", b"utf8"):
        return None
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return None
    return lxml.html.HTMLParser(encoding="utf-8")


def html_drafts(data: bytes) -> list[Draft]:
    """The drafts of an HTML page's main content, in reading order."""
    import lxml.html

    root = lxml.html.document_fromstring(data, parser=_parser_for(data))
    for element in list(root.iter()):
        if not isinstance(element.tag, str):
            element.drop_tree()  # comments and processing instructions
    main = _main_content(root)
    for element in list(main.iter()):
        if element is not main and _skipped(element, main):
            element.drop_tree()
    walker = _Walker()
    walker.walk(main)
    walker.flush()
    return walker.drafts


def _main_content(root: Any) -> Any:
    mains = root.xpath("//main")
    if len(mains) == 1:
        return mains[0]
    articles = root.xpath("//article")
    if len(articles) == 1:
        return articles[0]
    bodies = root.xpath("//body")
    return bodies[0] if bodies else root


def _skipped(element: Any, main: Any) -> bool:
    tag = str(element.tag).lower()
    if tag in _SKIP or (element.get("role") or "").lower() in _SKIP_ROLES or element.get("hidden") is not None:
        return True
    if tag in _PAGE_FRAME:
        return not any(str(a.tag).lower() in {"article", "main"} for a in element.iterancestors()) and main.tag in {
            "body",
            "html",
        }
    return False


def _text(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


class _Walker:
    def __init__(self) -> None:
        self.drafts: list[Draft] = []
        self.inline: list[str] = []
        self.tables = 0

    def emit(self, kind: str, text: str) -> None:
        text = " ".join(text.split())
        if not text or (kind in {"paragraph", "list_item"} and is_chrome(text)):
            return
        self.drafts.append(Draft(kind, text))  # type: ignore[arg-type]

    def flush(self) -> None:
        if self.inline:
            self.emit("paragraph", "".join(self.inline))
            self.inline = []

    def walk(self, element: Any) -> None:
        tag = str(element.tag).lower()
        if tag in HEADINGS:
            self.flush()
            self.emit("heading", _text(element))
        elif tag in _PARAGRAPHS:
            self.flush()
            self.emit("paragraph", _text(element))
        elif tag == "li":
            self.flush()
            nested = [child for child in element if str(child.tag).lower() in {"ul", "ol", "table", "p", "div"}]
            own = _text_without(element, nested)
            self.emit("list_item", own)
            for child in nested:
                self.walk(child)
        elif tag == "table":
            self.flush()
            self.table(element)
        elif tag in {"hr", "br"}:
            self.flush()
        else:
            self.inline.append(element.text or "")
            for child in element:
                if str(child.tag).lower() in _BLOCKS:
                    self.walk(child)
                else:
                    self.inline.append(_text(child))
                self.inline.append(child.tail or "")
            if tag in _CONTAINERS:
                self.flush()

    def table(self, element: Any) -> None:
        caption = next((_text(c) for c in element if str(c.tag).lower() == "caption"), "")
        rows = _rows(element)
        grid = _grid(rows)
        width = max((len(cells) for cells, _ in grid), default=0)
        texts = [cell.text for row in rows for cell in row]
        if width <= 1 or (texts and max(len(t) for t in texts) > _LONG_CELL and width <= 2):
            self.emit("paragraph", caption)
            for row in rows:
                for cell in row:
                    self.emit("paragraph", cell.text)
            return
        self.tables += 1
        number = self.tables
        if caption:
            self.drafts.append(Draft("caption", caption, table=number))
        header_rows = _header_count(element, rows, grid)
        for n, (physical, columns) in enumerate(grid):
            cells = [cell.text for cell in physical]
            if not any(cells):
                continue
            kind = "table_header" if n < header_rows else "table_row"
            padded = columns + [-1] * (width - len(columns))
            self.drafts.append(Draft(kind, " | ".join(cells), table=number, cells=cells, columns=padded))  # type: ignore[arg-type]


def _text_without(element: Any, nested: list[Any]) -> str:
    parts = [element.text or ""]
    for child in element:
        if child not in nested:
            parts.append(_text(child))
        parts.append(child.tail or "")
    return " ".join("".join(parts).split())


def _rows(table: Any) -> list[list[_Cell]]:
    """The table's rows (its own, not those of tables nested in its cells), head first."""
    rows = []
    trs = table.xpath("./thead/tr | ./tr | ./tbody/tr | ./tfoot/tr")
    trs.sort(key=lambda tr: 0 if tr.getparent().tag == "thead" else 2 if tr.getparent().tag == "tfoot" else 1)
    for tr in trs:
        cells = []
        for cell in tr:
            tag = str(cell.tag).lower()
            if tag not in {"td", "th"}:
                continue
            cells.append(_Cell(_text(cell), tag == "th", _span(cell.get("colspan")), _span(cell.get("rowspan"))))
        rows.append(cells)
    return rows


def _span(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1


class _GridRow:
    """One row of cells as written, and for each column the cell that stands in it."""

    def __init__(self) -> None:
        self.physical: list[_Cell] = []
        self.columns: list[int] = []

    def place(self, cell: _Cell, width: int) -> None:
        self.physical.append(cell)
        self.columns.extend([len(self.physical) - 1] * width)


def _grid(rows: list[list[_Cell]]) -> list[tuple[list[_Cell], list[int]]]:
    """Each row's cells as written (a cell spanning rows written again in each row it covers)
    and, for each column, which of those cells stands in it."""
    pending: dict[int, tuple[_Cell, int]] = {}  # column -> (cell spanning down, rows it still covers)
    out: list[tuple[list[_Cell], list[int]]] = []
    for row in rows:
        grid = _GridRow()

        def carry_down(grid: _GridRow, column: int) -> None:
            cell, left = pending.pop(column)
            grid.place(_Cell(cell.text, cell.header, 1, 1), 1)
            if left > 1:
                pending[column] = (cell, left - 1)

        for cell in row:
            while len(grid.columns) in pending:
                carry_down(grid, len(grid.columns))
            start = len(grid.columns)
            grid.place(cell, cell.colspan)
            if cell.rowspan > 1:
                for column in range(start, start + cell.colspan):
                    pending[column] = (cell, cell.rowspan - 1)
        for column in sorted(c for c in pending if c >= len(grid.columns)):
            while len(grid.columns) < column:
                grid.place(_Cell("", False, 1, 1), 1)
            carry_down(grid, column)
        out.append((grid.physical, grid.columns))
    return out


def _header_count(table: Any, rows: list[list[_Cell]], grid: list[tuple[list[_Cell], list[int]]]) -> int:
    """How many rows at the top are header rows: those of `<thead>`, else those of `<th>` cells
    only, else a first row of words above rows of numbers."""
    from assistant.text.numbers import read_quantity

    head = len(table.xpath("./thead/tr"))
    if head:
        return head
    count = 0
    for row in rows:
        if row and all(cell.header for cell in row):
            count += 1
        else:
            break
    if count:
        return count
    if len(grid) >= 2:
        first = [cell.text for cell in grid[0][0]]
        later = [cell.text for physical, _ in grid[1:] for cell in physical]
        numbers_first = sum(1 for t in first if read_quantity(t) is not None and not _is_year(t))
        numbers_later = sum(1 for t in later if read_quantity(t) is not None)
        if numbers_first == 0 and numbers_later:
            return 1
    return 0


def _is_year(text: str) -> bool:
    from assistant.text.numbers import is_year

    return is_year(text)
