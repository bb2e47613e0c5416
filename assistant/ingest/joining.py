"""Paragraphs that a page break, sidebar, footnote or table cut in two, joined again."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace

from .lines import joint
from .paragraphs import CLOSED, ENUMERATED, OPEN_ENDINGS, Draft

# How many of the drafts after a paragraph are looked at for its continuation.
_REACH = 7


def join_broken_paragraphs(drafts: list[Draft], vocabulary: Counter[str]) -> list[Draft]:
    """Rejoin a paragraph that a page break, sidebar, footnote or table cut in two.

    A paragraph that ends mid-sentence continues in the next paragraph that starts in lower case
    (skipping the notes, boxes and headings that extraction put in between), or in the very next
    paragraph when the break clearly fell mid-sentence (a full line, or a function word at its end).
    Linear in the drafts: a joined paragraph is assembled once, from its parts.
    """
    joined = [False] * len(drafts)
    out: list[Draft] = []
    for i, draft in enumerate(drafts):
        if joined[i]:
            continue
        parts = [draft]  # the paragraph so far ends as its last part ends
        ahead: list[int] = []  # the next drafts not yet joined to another
        frontier = i + 1
        while draft.kind in {"paragraph", "list_item"} and not draft.fragment and _ends_open(parts[-1]):
            while len(ahead) < _REACH and frontier < len(drafts):
                if not joined[frontier]:
                    ahead.append(frontier)
                frontier += 1
            target = _continuation(drafts, ahead, parts[-1])
            if target is None:
                break
            parts.append(drafts[target])
            joined[target] = True
            ahead.remove(target)
        if len(parts) > 1:
            draft = replace(
                draft,
                text=_joined([part.text for part in parts], vocabulary),
                full_width=parts[-1].full_width,
                lines=[line for part in parts for line in part.lines],
            )
        out.append(draft)
    return out


def _joined(texts: list[str], vocabulary: Counter[str]) -> str:
    pieces = [texts[0]]
    for text in texts[1:]:
        cut, separator = joint(pieces[-1], text, vocabulary)
        pieces[-1] = pieces[-1][: len(pieces[-1]) - cut] + separator
        pieces.append(text)
    return "".join(pieces)


def _ends_open(draft: Draft) -> bool:
    text = draft.text.rstrip()
    return bool(text) and not CLOSED.search(text)


def _continuation(drafts: list[Draft], ahead: list[int], end: Draft) -> int | None:
    """Which of the drafts `ahead` continues a paragraph whose text so far ends as `end` does."""
    last_word = end.text.split()[-1].lower()
    strongly_open = end.text.endswith("-") or end.full_width or last_word in OPEN_ENDINGS
    first_body = None
    for n, j in enumerate(ahead):
        other = drafts[j]
        if other.kind in {"note", "table_row", "table_header", "caption"}:
            continue
        starts_lower = other.text[:1].islower() and not ENUMERATED.match(other.text)
        if other.fragment:
            continue
        if other.kind in {"paragraph", "list_item"} and starts_lower:
            return j
        if first_body is None and other.kind in {"paragraph", "list_item"}:
            first_body = n
        if other.kind == "paragraph" and _ends_open(other) and not starts_lower:
            break  # another open paragraph: the flow has moved on
    if (
        first_body is not None
        and strongly_open
        and drafts[ahead[first_body]].kind == "paragraph"
        and all(drafts[j].kind in {"note", "table_row", "table_header", "caption"} for j in ahead[:first_body])
    ):
        return ahead[first_body]
    return None
