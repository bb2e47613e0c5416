"""Paragraphs that a page break, sidebar, footnote or table cut in two, joined again."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from .lines import join
from .paragraphs import CLOSED, ENUMERATED, OPEN_ENDINGS, Draft


def join_broken_paragraphs(drafts: list[Draft], vocabulary: Counter[str]) -> list[Draft]:
    """Rejoin a paragraph that a page break, sidebar, footnote or table cut in two.

    A paragraph that ends mid-sentence continues in the next paragraph that starts in lower case
    (skipping the notes, boxes and headings that extraction put in between), or in the very next
    paragraph when the break clearly fell mid-sentence (a full line, or a function word at its end).
    """
    out = list(drafts)
    i = 0
    while i < len(out):
        draft = out[i]
        if draft.kind not in {"paragraph", "list_item"} or draft.fragment or not _ends_open(draft):
            i += 1
            continue
        target = _continuation(out, i)
        if target is None:
            i += 1
            continue
        follow = out[target]
        out[i] = replace(
            draft,
            text=join(draft.text, follow.text, vocabulary),
            full_width=follow.full_width,
            lines=draft.lines + follow.lines,
        )
        del out[target]
    return out


def _ends_open(draft: Draft) -> bool:
    text = draft.text.rstrip()
    return bool(text) and not CLOSED.search(text)


def _continuation(drafts: list[Draft], i: int) -> int | None:
    draft = drafts[i]
    last_word = draft.text.split()[-1].lower()
    strongly_open = draft.text.endswith("-") or draft.full_width or last_word in OPEN_ENDINGS
    first_body = None
    for j in range(i + 1, min(len(drafts), i + 8)):
        other = drafts[j]
        if other.kind in {"note", "table_row", "table_header", "caption"}:
            continue
        starts_lower = other.text[:1].islower() and not ENUMERATED.match(other.text)
        if other.fragment:
            continue
        if other.kind in {"paragraph", "list_item"} and starts_lower:
            return j
        if first_body is None and other.kind in {"paragraph", "list_item"}:
            first_body = j
        if other.kind == "paragraph" and _ends_open(other) and not starts_lower:
            break  # another open paragraph: the flow has moved on
    if (
        first_body is not None
        and strongly_open
        and drafts[first_body].kind == "paragraph"
        and all(d.kind in {"note", "table_row", "table_header", "caption"} for d in drafts[i + 1 : first_body])
    ):
        return first_body
    return None
