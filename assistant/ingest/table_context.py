"""What a table is about, for the passages of its rows: its caption, or the sentence that refers
to it, or its section with the paragraph before it; and its header as text."""

from __future__ import annotations

import re

from assistant.model import Block, BlockKind, Document, Table
from assistant.text.markers import strip_markers
from assistant.text.sentences import sentence_spans


def header_text(document: Document, table: Table) -> str:
    """A table's header rows as the document has them, one line each."""
    return "\n".join(document.span(row) for row in table.header)


def table_contexts(document: Document) -> dict[int, str]:
    """What each table is about: its caption, else the sentence that refers to it ("See Table 1"),
    else its section heading with the first sentence of the paragraph just before it; at most 40
    words."""
    contexts: dict[int, str] = {}
    last_paragraphs: list[Block] = []
    for block in document.blocks:
        if block.kind is BlockKind.PARAGRAPH:
            last_paragraphs = ([*last_paragraphs, block])[-3:]
        table = block.table
        if table is None or table.number in contexts:
            continue
        if table.caption is not None:
            contexts[table.number] = " ".join(strip_markers(table.caption.text).split()[:40])
            continue
        if not table.rows or not last_paragraphs:
            continue
        chosen = ""
        for paragraph in reversed(last_paragraphs):
            text = document.span(paragraph)
            spans = sentence_spans(text)
            for n, (start, end) in enumerate(spans):
                if re.search(r"\bTable\s*\d", text[start:end]):
                    first = spans[n - 1][0] if n and end - start < 40 else start
                    chosen = text[first:end]
                    break
            if chosen:
                break
        if not chosen:
            text = document.span(last_paragraphs[-1])
            spans = sentence_spans(text)
            chosen = text[spans[0][0] : spans[0][1]] if spans else ""
            if block.section:
                chosen = f"{block.section}. {chosen}" if chosen else block.section
        contexts[table.number] = " ".join(strip_markers(chosen).split()[:40])
    return contexts
