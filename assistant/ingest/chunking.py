"""Structure-aware chunking: passages that read well, fit the model, and point back to the text.

Prose is packed sentence by sentence within a section, preferring paragraph ends as breaks, up to
a target size in the model's word pieces; notes are packed apart from the body; each table row is
a passage of its own, carrying its table's caption and header; short fragment runs (legends,
glossaries) stay together line by line. No passage crosses a heading, none exceeds the model's
maximum sequence (over-long sentences are split at word boundaries, never truncated), and none
shows more than `max_chars` characters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from assistant.model import Block, BlockKind, Chunk, ChunkKind, Document, Table, TableRef
from assistant.text.markers import strip_markers
from assistant.text.sentences import sentence_spans

from .acronyms import expansions_for, find_definitions
from .table_context import header_text, table_contexts

TokenCounter = Callable[[str], int]


@dataclass(frozen=True)
class ChunkingParams:
    target_tokens: int  # aim for passages about this long
    max_tokens: int  # the model's limit for the embedded text (special tokens excluded)
    max_chars: int  # the longest passage a reader sees
    window_tokens: int = 32  # sentence windows embedded besides the passage (0: none)


@dataclass
class _Unit:
    start: int
    end: int
    page: int | None
    paragraph_start: bool


def chunk_document(
    document: Document, params: ChunkingParams, count_tokens: TokenCounter, glossary: dict[str, str] | None = None
) -> list[Chunk]:
    """Cut a cleaned document into passages; `glossary` adds acronyms defined elsewhere in the
    collection to those the document defines itself."""
    builder = _Builder(document, params, count_tokens, glossary or {})
    body: list[_Unit] = []
    notes: list[_Unit] = []
    fragments: list[_Unit] = []
    section: str | None = None

    def flush_all() -> None:
        builder.pack(body, ChunkKind.TEXT, section)
        builder.pack(fragments, ChunkKind.LIST, section)
        builder.pack(notes, ChunkKind.NOTE, section)
        body.clear()
        fragments.clear()
        notes.clear()

    for index, block in enumerate(document.blocks):
        if block.kind is BlockKind.HEADING:
            flush_all()
            section = block.section
        elif block.table is not None:
            builder.pack(fragments, ChunkKind.LIST, section)
            fragments.clear()
            for row in range(len(block.table.rows)):
                builder.row(index, block, block.table, row)
        elif block.kind is BlockKind.NOTE:
            notes.extend(_units(document.text, block, builder))
        elif block.kind is BlockKind.LIST_ITEM and _is_fragment_item(document, block):
            fragments.append(_Unit(block.start, block.end, block.page, True))
        else:
            if fragments:
                builder.pack(fragments, ChunkKind.LIST, section)
                fragments.clear()
            body.extend(_units(document.text, block, builder))
    flush_all()
    return builder.chunks


def _is_fragment_item(document: Document, block: Block) -> bool:
    text = document.span(block)
    return len(text) <= 220 and not text.rstrip().endswith((".", "!", "?"))


def _units(text: str, block: Block, builder: _Builder) -> list[_Unit]:
    """A block's sentences as units; a sentence too long for the model is cut at word boundaries."""
    units = []
    first = True
    for start, end in sentence_spans(text[block.start : block.end]):
        for piece_start, piece_end in builder.fit(block.start + start, block.start + end):
            units.append(_Unit(piece_start, piece_end, block.page, first))
            first = False
    return units


class _Builder:
    def __init__(
        self, document: Document, params: ChunkingParams, count_tokens: TokenCounter, glossary: dict[str, str]
    ) -> None:
        self.document = document
        self.params = params
        self.count = count_tokens
        self.chunks: list[Chunk] = []
        self.definitions = glossary | find_definitions(document.text)
        self.table_context = table_contexts(document)

    def fit(self, start: int, end: int) -> list[tuple[int, int]]:
        """Split [start, end) at spaces so that every piece fits the model and the reader."""
        text = self.document.text
        if self._fits(text[start:end], self.params.max_tokens - 16):
            return [(start, end)]
        pieces = []
        cursor = start
        while cursor < end:
            cut = min(end, cursor + self.params.max_chars)  # no piece is longer; keeps this linear
            while not self._fits(text[cursor:cut], self.params.target_tokens):
                space = text.rfind(" ", cursor, cursor + (cut - cursor) * 3 // 4)
                cut = space if space > cursor else cursor + (cut - cursor) // 2
            pieces.append((cursor, cut))
            cursor = cut
            while cursor < end and text[cursor] == " ":
                cursor += 1
        return pieces

    def _fits(self, text: str, tokens: int) -> bool:
        return len(text) <= self.params.max_chars and self.count(strip_markers(text)) <= tokens

    def pack(self, units: list[_Unit], kind: ChunkKind, section: str | None) -> None:
        """Whole paragraphs per passage where they fit (small ones together); a paragraph longer
        than the target is cut at sentence ends into parts of even size."""
        separator = "\n" if kind is ChunkKind.LIST else " "
        current: list[_Unit] = []
        for paragraph in _paragraphs(units):
            if current and not self._fits_all(current + paragraph, section, separator):
                self._emit(current, kind, section, separator)
                current = []
            if self._fits_all(paragraph, section, separator):
                current.extend(paragraph)
                continue
            parts = self._even_parts(paragraph, section, separator)
            for part in parts[:-1]:
                self._emit(part, kind, section, separator)
            current = list(parts[-1])
        if current:
            self._emit(current, kind, section, separator)

    def _fits_all(self, units: list[_Unit], section: str | None, separator: str) -> bool:
        text = self._text(units, separator)
        size = self.count(strip_markers(text))
        return (
            size <= self.params.target_tokens
            and len(text) <= self.params.max_chars
            and self._fits(self._embed(text, section), self.params.max_tokens)
        )

    def _even_parts(self, units: list[_Unit], section: str | None, separator: str) -> list[list[_Unit]]:
        """Sentences of one long paragraph in the fewest parts that fit, balanced in size."""
        sizes = [self.count(strip_markers(self.document.text[u.start : u.end])) for u in units]
        total = sum(sizes)
        characters = sum(u.end - u.start for u in units)
        # No fewer parts than the tokens or the characters need; past twenty, more parts are tried
        # 5% at a time, so that a paragraph of megabytes is cut in a few passes, not thousands.
        parts_needed = max(2, -(-total // self.params.target_tokens), -(-characters // self.params.max_chars))
        while True:
            goal = total / parts_needed
            parts: list[list[_Unit]] = [[]]
            running = 0.0
            for unit, size in zip(units, sizes, strict=True):
                if parts[-1] and running + size / 2 > goal * len(parts) and len(parts) < parts_needed:
                    parts.append([])
                parts[-1].append(unit)
                running += size
            if all(self._fits_all(part, section, separator) for part in parts) or parts_needed >= len(units):
                return parts
            parts_needed += max(1, parts_needed // 20)

    def row(self, index: int, block: Block, table: Table, number: int) -> None:
        """A table row under its header; the model also reads what the table is about (its
        caption, or the sentence that introduces it)."""
        row = table.rows[number]
        if table.structured:  # a row cut into cells reads as one line with its column names
            display = table.row_line(number)
            content = strip_markers(display)
        else:
            text = self.document.span(row)
            header = header_text(self.document, table)
            display = f"{header}\n{text}" if header else text
            content = " — ".join(p for p in (strip_markers(header), strip_markers(text)) if p)
        words = (self.table_context.get(table.number) or block.section or "").split()
        while True:
            context = " ".join(words) or None
            embed = f"{context}: {content}" if context else content
            if self._fits(embed, self.params.max_tokens) or not words:
                break
            words = words[: len(words) // 2]
        self._add(
            ChunkKind.TABLE_ROW,
            display[: self.params.max_chars],
            embed,
            row.start,
            row.end,
            row.page,
            row.page,
            block.section,
            context,
            content,
            table=TableRef(index, table.number, (number,)),
        )

    def _text(self, units: list[_Unit], separator: str) -> str:
        """The units as the document has them: sentences of a paragraph with their own spacing,
        paragraphs apart, list lines one per line."""
        text = self.document.text
        parts: list[str] = []
        previous: _Unit | None = None
        for unit in units:
            if previous is not None:
                gap = text[previous.end : unit.start]
                if not unit.paragraph_start and gap.strip() == "" and "\n" not in gap:
                    parts.append(gap)
                else:
                    parts.append("\n\n" if separator == " " else separator)
            parts.append(text[unit.start : unit.end])
            previous = unit
        return "".join(parts)

    def _embed(self, text: str, section: str | None) -> str:
        """What the model reads: section, then the passage's content (see `_content`)."""
        content = self._content(text, section)
        return f"{section}: {content}" if section else content

    def _content(self, text: str, section: str | None) -> str:
        """The passage without note markers, with the long forms of the acronyms it uses (or the
        acronyms of the long forms), as many as fit the model next to the section."""
        body = " ".join(strip_markers(text).split())
        prefix = f"{section}: " if section else ""
        extra = expansions_for(body, self.definitions)
        while extra:
            candidate = f"{body} ({'; '.join(extra)})"
            if self.count(prefix + candidate) <= self.params.max_tokens:
                return candidate
            extra = extra[:-1]
        return body

    def _emit(self, units: list[_Unit], kind: ChunkKind, section: str | None, separator: str) -> None:
        text = self._text(units, separator)
        context = section if section and self._fits(self._embed(text, section), self.params.max_tokens) else None
        pages = [u.page for u in units if u.page is not None]
        self._add(
            kind,
            text,
            self._embed(text, context),
            units[0].start,
            units[-1].end,
            min(pages) if pages else None,
            max(pages) if pages else None,
            section,
            context,
            self._content(text, context),
            self._sentence_windows(units, context),
        )

    def _sentence_windows(self, units: list[_Unit], context: str | None) -> tuple[str, ...]:
        """Runs of whole sentences up to `window_tokens` word pieces, each under the passage's
        context. A long passage is about several things; a question about one of them meets its
        window even where the passage as a whole reads as something else."""
        limit = self.params.window_tokens
        if not limit:
            return ()
        prefix = f"{context}: " if context else ""
        windows: list[str] = []
        current: list[str] = []
        for unit in units:
            sentence = " ".join(strip_markers(self.document.text[unit.start : unit.end]).split())
            if current and self.count(prefix + " ".join([*current, sentence])) > limit:
                windows.append(prefix + " ".join(current))
                current = []
            current.append(sentence)
        if current:
            windows.append(prefix + " ".join(current))
        return tuple(windows) if len(windows) > 1 else ()

    def _add(
        self,
        kind: ChunkKind,
        text: str,
        embed: str,
        start: int,
        end: int,
        page_start: int | None,
        page_end: int | None,
        section: str | None,
        context: str | None,
        lexical_text: str,
        windows: tuple[str, ...] = (),
        table: TableRef | None = None,
    ) -> None:
        seq = len(self.chunks)
        self.chunks.append(
            Chunk(
                chunk_id=f"{self.document.doc_id}:{seq:04d}",
                doc_id=self.document.doc_id,
                seq=seq,
                kind=kind,
                text=text,
                embed_text=embed,
                start=start,
                end=end,
                page_start=page_start,
                page_end=page_end,
                section=section,
                context=context,
                lexical_text=lexical_text,
                windows=windows,
                table=table,
            )
        )


def _paragraphs(units: list[_Unit]) -> list[list[_Unit]]:
    groups: list[list[_Unit]] = []
    for unit in units:
        if unit.paragraph_start or not groups:
            groups.append([unit])
        else:
            groups[-1].append(unit)
    return groups
