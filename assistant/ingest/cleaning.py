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

from .furniture import find_furniture, infer_pages
from .notes import Segment, mark_notes
from .paragraphs import Draft, is_wrapped, join_broken_paragraphs, make_drafts

__all__ = ["Block", "Cleaned", "Draft", "assemble", "clean_plain", "normalize"]

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
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


@dataclass(frozen=True)
class Block:
    """A located unit of the cleaned text."""

    kind: str  # heading | paragraph | list_item | table_row | table_header | caption | note
    start: int
    end: int
    page: int | None
    section: str | None
    table: int | None = None
    header: str | None = None
    caption: str | None = None
    label: str | None = None


@dataclass(frozen=True)
class Cleaned:
    """A cleaned document: its text, the blocks that map into it, and its page count where known."""

    text: str
    blocks: tuple[Block, ...]
    page_count: int | None


def normalize(text: str) -> str:
    """Unify line ends and whitespace, undo ligatures, drop soft hyphens and control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_CHAR_FIXES)
    return _CONTROL.sub("", text)


def clean_plain(raw: str, *, pages: Sequence[str] | None = None, running: Iterable[str] = ()) -> Cleaned:
    """Clean extracted plain text. `pages` gives a PDF's page texts (numbered from 1); a text file
    may separate pages with form feeds. `running` names strings that recur as running headers
    (title, author surnames) so they can be dropped where they stand alone on a line."""
    known_pages = pages is not None or "\f" in raw
    page_texts = list(pages) if pages is not None else raw.split("\f")
    lines: list[str] = []
    page_of: list[int | None] = []
    for number, page_text in enumerate(page_texts, 1):
        for line in normalize(page_text).split("\n"):
            lines.append(line.rstrip())
            page_of.append(number if known_pages else None)
    furniture, anchors, end_marks = find_furniture(lines, page_of if known_pages else None, running)
    for index, mark in end_marks.items():
        lines[index] = lines[index][:mark].rstrip()
    if not known_pages:
        page_of = infer_pages(lines, anchors)
    wrapped = is_wrapped(lines)
    vocabulary = Counter(w.lower() for line in lines for w in _WORDS.findall(line))
    drafts = make_drafts(lines, page_of, furniture, wrapped, vocabulary)
    if wrapped:
        drafts = join_broken_paragraphs(drafts, vocabulary)
    inferred = [page for page in page_of if page is not None]
    page_count = len(page_texts) if known_pages else (max(inferred) if inferred else None)
    return assemble(drafts, page_count=page_count)


def assemble(drafts: list[Draft], page_count: int | None) -> Cleaned:
    """Set footnote markers apart, attach sections and lay the blocks out in one text."""
    labels = {d.label for d in drafts if d.kind == "note" and d.label and d.label.isalpha()}
    marked = mark_notes([Segment(d.text, d.kind in {"table_row", "table_header"}) for d in drafts], labels)
    header_text = {d.header: text for d, text in zip(drafts, marked, strict=True) if d.kind == "table_header"}
    caption_text = {d.text: text for d, text in zip(drafts, marked, strict=True) if d.kind == "caption"}
    pieces: list[str] = []
    blocks: list[Block] = []
    offset = 0
    section: str | None = None
    previous: Draft | None = None
    for draft, text in zip(drafts, marked, strict=True):
        text = text.strip()
        if not text:
            continue
        if draft.kind == "heading":
            section = re.sub(r"\[[^\]]{1,3}\]", "", text).strip()
        tight = previous is not None and previous.table is not None and previous.table == draft.table
        tight = tight or (previous is not None and previous.kind == draft.kind == "list_item")
        separator = "" if not pieces else ("\n" if tight else "\n\n")
        offset += len(separator)
        pieces.append(separator + text)
        header = header_text.get(draft.header, draft.header) if draft.header else None
        blocks.append(
            Block(
                kind=draft.kind,
                start=offset,
                end=offset + len(text),
                page=draft.page,
                section=section if draft.kind != "heading" else text,
                table=draft.table,
                header=header,
                caption=caption_text.get(draft.caption, draft.caption) if draft.caption else None,
                label=draft.label,
            )
        )
        offset += len(text)
        previous = draft
    return Cleaned("".join(pieces), tuple(blocks), page_count)
