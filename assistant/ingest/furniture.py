"""Page furniture: what an extraction carries besides the text.

Running headers and footers, page numbers, end-of-article marks and web chrome (share buttons,
cookie notices, link lists) are found here so that cleaning can drop them; the page numbers they
carry let `infer_pages` number the pages of a text extraction that has no form feeds. The shapes
of single lines that paragraph assembly relies on too (a page's first line, a bullet, a line in
capitals) are defined here.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from .layout_tables import is_row

PAGE_START = re.compile(r"^ {1,2}\S")  # how the seeds' PDF extraction began each page
BULLET = re.compile(r"^\s*(?:[•▪●◦‣∙·*]|[-–](?=\s))\s*")
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?[-–]?\s*(?P<n>\d{1,3})\s*[-–]?\s*$", re.IGNORECASE)
_HEADER_GAPS = re.compile(r"\S\s{3,}\S")
_END_MARK = re.compile(r"(?<=[.!?”\"’])\s{3,}(?P<mark>[A-Z]{2,5})\s*$")
_CHROME = re.compile(
    r"^\s*(?:[•▪*]\s*)?(?:follow (?:us|@)|share (?:this|on)|sign (?:up|in)\b|subscribe\b|related articles|"
    r".{0,40}home ?page$|all rights reserved|cookie|click here|read more$|newsletter|contribute to\b|"
    r"display: ?sort|skip to (?:main )?content|print this|back to top|log ?in$|"
    r"<.*\|.*>$|https?://\S+(?: in: .*)?$|\S+ in: .{5,})",
    re.IGNORECASE,
)


def find_furniture(
    lines: list[str], page_of: list[int | None] | None, running: Iterable[str]
) -> tuple[set[int], dict[int, int], dict[int, int]]:
    """Lines to drop, page numbers they carry (line -> page) and end-of-article marks to strip.

    Running headers and footers are recognised by shape (wide gaps and a page number), by naming
    the document's title or authors, or by repetition: on a PDF, the same line at the edge of
    several pages; in flat text, the same capitalised line three times or more.
    """
    known_pages = page_of is not None
    running_keys = {" ".join(r.split()).upper() for r in running if r and len(r) <= 60}
    keys = [re.sub(r"\d+", "#", " ".join(line.split())).lower() for line in lines]
    counts = Counter(key for key in keys if key)
    near_row = _near_rows(lines)
    edge = _page_edges(lines, page_of) if page_of is not None else set()
    edge_pages: dict[str, set[int | None]] = {}
    for i in edge:
        edge_pages.setdefault(keys[i], set()).add(page_of[i] if page_of else None)
    furniture: set[int] = set()
    anchors: dict[int, int] = {}
    end_marks: dict[int, int] = {}
    marks: set[str] = set()
    chrome: set[int] = set()
    for i, line in enumerate(lines):
        text = " ".join(line.split())
        if not text:
            continue
        if match := _END_MARK.search(line):
            end_marks[i] = match.start()
            marks.add(match["mark"])
        if _is_page_header(line):
            furniture.add(i)
            number = re.findall(r"\d{1,3}", text.split()[0]) or re.findall(r"\d{1,3}", text.split()[-1])
            if number:
                anchors[i] = int(number[0])
        elif (
            (text.upper() in running_keys and (text.isupper() or counts[keys[i]] > 1))
            or (i in edge and len(text) <= 90 and len(edge_pages[keys[i]]) >= 2)
            or (not known_pages and is_caps_heading(text) and counts[keys[i]] >= 3 and not near_row[i])
        ):
            furniture.add(i)
        elif is_chrome(text):
            furniture.add(i)
            chrome.add(i)
    for i, line in enumerate(lines):
        text = line.strip()
        if text in marks:
            furniture.add(i)
        match = _PAGE_NUMBER.match(line)
        if match and text and (_next_to(furniture, lines, i) or (known_pages and _at_page_edge(lines, i))):
            furniture.add(i)
            anchors.setdefault(i, int(match["n"]))
    furniture |= _extend_chrome(lines, chrome)
    return furniture, anchors, end_marks


def is_chrome(text: str) -> bool:
    """A short line of web chrome: "Share this", "Sign up", "All rights reserved", a bare link."""
    return len(text) <= 160 and _CHROME.match(text) is not None


def _is_page_header(line: str) -> bool:
    """ "AUGUST 2019      QUARTERLY REVIEW      5": parts set apart by wide gaps, a page number at an end."""
    text = line.strip()
    if len(text) > 90 or len(_HEADER_GAPS.findall(text)) < 2:
        return False
    tokens = text.split()
    numbers = [t for t in tokens if t.isdigit()]
    return (tokens[0].isdigit() or tokens[-1].isdigit()) and len(numbers) <= 2 and bool(re.search(r"[A-Za-z]{3}", text))


def _page_edges(lines: list[str], page_of: list[int | None]) -> set[int]:
    """The first and last two non-blank lines of every page."""
    by_page: dict[int | None, list[int]] = {}
    for i, line in enumerate(lines):
        if line.strip():
            by_page.setdefault(page_of[i], []).append(i)
    edges: set[int] = set()
    for members in by_page.values():
        edges.update(members[:2] + members[-2:])
    return edges


def _near_rows(lines: list[str], reach: int = 6) -> list[bool]:
    rows = [is_row(line) for line in lines]
    return [any(rows[max(0, i - reach) : i + reach + 1]) for i in range(len(lines))]


def _next_to(furniture: set[int], lines: list[str], i: int) -> bool:
    for step in (-1, 1):
        j, seen = i + step, 0
        while 0 <= j < len(lines) and seen < 2:
            if lines[j].strip():
                if j in furniture:
                    return True
                seen += 1
            j += step
    return False


def _at_page_edge(lines: list[str], i: int) -> bool:
    before = [line for line in lines[max(0, i - 3) : i] if line.strip()]
    after = [line for line in lines[i + 1 : i + 4] if line.strip()]
    return not before or not after


def _extend_chrome(lines: list[str], chrome: set[int]) -> set[int]:
    """Short lines caught between chrome lines, or trailing after chrome at the end, are chrome too."""
    found = set(chrome)
    content = [i for i, line in enumerate(lines) if line.strip()]
    if not content or not chrome:
        return found
    tail_start = content[int(len(content) * 0.9)]
    for i in content:
        if i in chrome or len(lines[i].split()) > 25:
            continue
        before = [j for j in chrome if j < i and i - j <= 2]
        after = [j for j in chrome if j > i and j - i <= 2]
        trailing = i >= tail_start and any(tail_start <= j < i for j in chrome)
        if (before and after) or (trailing and (lines[i].rstrip().endswith("...") or BULLET.match(lines[i]))):
            found.add(i)
    return found


def infer_pages(lines: list[str], anchors: dict[int, int]) -> list[int | None]:
    """Pages of a text extraction without form feeds: each page's text starts with a single space,
    and a running header gives the number of one page; count from it in both directions."""
    starts = [i for i, line in enumerate(lines) if PAGE_START.match(line)]
    indented = sum(1 for line in lines if re.match(r"^\s{3,}\S", line))
    if not anchors or len(starts) < 2 or indented > len(starts) * 3:
        return [None] * len(lines)
    boundaries = sorted(set(starts) | set(anchors) | {0})
    numbers: dict[int, int] = {}
    anchor_positions = sorted(anchors)
    for n, anchor in enumerate(anchor_positions):
        position = boundaries.index(anchor)
        upper = boundaries.index(anchor_positions[n + 1]) if n + 1 < len(anchor_positions) else len(boundaries)
        lower = boundaries.index(anchor_positions[n - 1]) + 1 if n > 0 else 0
        for k in range(lower, upper):
            numbers[boundaries[k]] = anchors[anchor] + (k - position)
    pages: list[int | None] = []
    current: int | None = None
    for i in range(len(lines)):
        if i in numbers:
            current = numbers[i] if numbers[i] >= 1 else None
        pages.append(current)
    return pages


def is_caps_heading(line: str) -> bool:
    text = line.strip()
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and len(text) <= 60 and text.upper() == text and len(letters) >= 4 and not is_row(text)
