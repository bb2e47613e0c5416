"""Markdown (or HTML that trafilatura turned into Markdown) into drafts of blocks, read with
markdown-it-py's parser: headings, paragraphs, list items, tables row by row with their cells,
and footnote bodies.
"""

from __future__ import annotations

import re
from typing import Any

from assistant.text.numbers import PERIOD

from .cleaning import CELL_SEPARATOR, Cleaned, Draft, assemble


def clean_markdown(markdown: str) -> Cleaned:
    """Markdown (or HTML already turned into Markdown) to located blocks: headings, paragraphs,
    list items, table rows with their header, and footnote bodies."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable("table")
    tokens = parser.parse(markdown)
    drafts: list[Draft] = []
    kind_stack: list[str] = []
    row: list[str] = []
    in_head = False
    tables = 0
    paragraph_end = -1  # the line after the last paragraph, and the index of its draft
    paragraph_draft = -1
    for index, token in enumerate(tokens):
        previous = tokens[index - 1].type if index else ""
        if token.type in {"bullet_list_open", "ordered_list_open", "blockquote_open"}:
            kind_stack.append(token.type)
        elif token.type in {"bullet_list_close", "ordered_list_close", "blockquote_close"}:
            kind_stack.pop()
        elif token.type == "table_open":
            tables += 1
            line_above = token.map is not None and 0 <= token.map[0] - paragraph_end <= 1
            if line_above and drafts and paragraph_draft == len(drafts) - 1:
                header = _header_line(drafts[-1].text, _width(tokens, index), tables)
                if header is not None:
                    drafts[-1] = header
        elif token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            if in_head:
                drafts.append(Draft("table_header", CELL_SEPARATOR.join(row), table=tables, cells=row))
            elif any(cell.strip() for cell in row):
                drafts.append(Draft("table_row", CELL_SEPARATOR.join(row), table=tables, cells=row))
        elif token.type == "inline":
            text = _inline_text(token)
            if previous in {"th_open", "td_open"}:
                row.append(text)
                continue
            if not text:
                continue
            if previous == "heading_open":
                drafts.append(Draft("heading", text))
            elif any(kind.endswith("list_open") for kind in kind_stack):
                drafts.append(Draft("list_item", text))
            else:
                footnote = re.match(r"^\[\^([\w-]{1,12})\]:\s*", text)
                if footnote:
                    drafts.append(Draft("note", text[footnote.end() :], label=footnote.group(1)))
                else:
                    drafts.append(Draft("paragraph", text))
                    paragraph_draft = len(drafts) - 1
                    opening = tokens[index - 1].map
                    paragraph_end = opening[1] if opening else -1
        elif token.type in {"fence", "code_block"} and token.content.strip():
            drafts.append(Draft("paragraph", token.content.strip()))
    for draft in drafts:
        draft.text = _footnote_refs(draft.text)
        if draft.cells:
            draft.cells = [_footnote_refs(cell) for cell in draft.cells]
    return assemble(drafts, page_count=None)


def _width(tokens: list[Any], table_open: int) -> int:
    """How many columns the table opened at `table_open` has (the cells of its first row)."""
    count = 0
    for token in tokens[table_open + 1 :]:
        if token.type in {"th_open", "td_open"}:
            count += 1
        elif token.type == "tr_close":
            break
    return count


def _header_line(text: str, width: int, table: int) -> Draft | None:
    """A short line right above a table that heads its value columns: periods set one above
    each of the last columns ("2019 2018"), or a phrase over all of them ("Years ended June 30").
    None for a sentence or a longer line, which stays a paragraph."""
    words = text.split()
    if not words or width < 2 or len(words) > 8 or text.rstrip().endswith((".", ":", ";", "?", "!", ",")):
        return None
    if all(PERIOD.fullmatch(word) for word in words) and len(words) < width:
        cells = [""] * (width - len(words)) + words
        return Draft("table_header", CELL_SEPARATOR.join(cells), table=table, cells=cells)
    cells = ["", text]
    return Draft("table_header", CELL_SEPARATOR.join(cells), table=table, cells=cells, columns=[0] + [1] * (width - 1))


def _footnote_refs(text: str) -> str:
    """Markdown footnote references "[^3]" as the note markers of the rest of the text: "[3]"."""
    return re.sub(r"\[\^([\w-]{1,12})\]", r"[\1]", text)


def _inline_text(token: Any) -> str:
    parts = []
    for child in token.children or []:
        if child.type in {"text", "code_inline"}:
            parts.append(child.content)
        elif child.type in {"softbreak", "hardbreak"}:
            parts.append(" ")
        elif child.type == "image":
            parts.append(child.content)
    return " ".join("".join(parts).split())
