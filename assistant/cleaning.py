"""Cleaning of extracted text into readable, located blocks.

The seeds are raw PDF and web extractions: lines wrapped mid-word, running headers and page
numbers between sentences, footnotes and sidebars cutting paragraphs in two, tables flattened
into lines, web chrome. `clean_plain` turns such text (or a PDF's pages) into a `Cleaned`
document: one string for reading plus blocks (headings, paragraphs, list items, table rows,
notes) that map back into it by character offsets, each with its page where one is known.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace

from wordfreq import zipf_frequency

from .notes import Segment, mark_notes
from .tables import Table, find_tables, is_row

_TERMINAL = (".", "!", "?", ":", ";")
# A closed paragraph ends a sentence, perhaps followed by a quote, a bracket or a note marker.
_CLOSED = re.compile(r"[.!?:;][\"”’)\]]*(?:\d{1,3}|[a-z]{1,2})?$")
_SENTENCE_END = (".", "!", "?")
_ENUMERATED = re.compile(r"^\s*\(?(?:[ivx]{1,4}|[a-h]|\d{1,2})[.)]\s+(?=[A-Z])")
_BULLET = re.compile(r"^\s*(?:[•▪●◦‣∙·*]|[-–](?=\s))\s*")
_NOTE_BODY = re.compile(r"^\s*(?P<label>[a-z]{1,2}|\d{1,3})\t\s*")
_PAGE_NUMBER = re.compile(r"^\s*(?:page\s+)?[-–]?\s*(?P<n>\d{1,3})\s*[-–]?\s*$", re.IGNORECASE)
_PAGE_START = re.compile(r"^ {1,2}\S")  # how the seeds' PDF extraction began each page
_HEADER_GAPS = re.compile(r"\S\s{3,}\S")
_END_MARK = re.compile(r"(?<=[.!?”\"’])\s{3,}(?P<mark>[A-Z]{2,5})\s*$")
_WORDS = re.compile(r"[A-Za-z\u00C0-\u024F]+(?:-[A-Za-z\u00C0-\u024F]+)*")
_CHROME = re.compile(
    r"^\s*(?:[•▪*]\s*)?(?:follow (?:us|@)|share (?:this|on)|sign (?:up|in)\b|subscribe\b|related articles|"
    r".{0,40}home ?page$|all rights reserved|cookie|click here|read more$|newsletter|contribute to\b|"
    r"display: ?sort|skip to (?:main )?content|print this|back to top|log ?in$|"
    r"<.*\|.*>$|https?://\S+(?: in: .*)?$|\S+ in: .{5,})",
    re.IGNORECASE,
)
_MINOR = {
    "a",
    "an",
    "the",
    "and",
    "or",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "by",
    "with",
    "from",
    "as",
    "vs",
    "after",
    "before",
    "into",
    "over",
    "under",
    "via",
    "but",
    "nor",
    "its",
    "their",
}
_OPEN_ENDINGS = _MINOR | {"that", "which", "who", "whose", "his", "her", "than", "is", "are", "was", "were", "be"}
# First parts that usually make a real compound when a hyphen falls at a line end.
_PREFIXES = {
    "self",
    "non",
    "anti",
    "pro",
    "co",
    "ex",
    "post",
    "pre",
    "multi",
    "semi",
    "well",
    "cross",
    "mid",
    "long",
    "short",
    "high",
    "low",
    "full",
    "part",
    "half",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "so",
    "re",
    "de",
    "sub",
    "inter",
    "intra",
    "counter",
    "quasi",
    "all",
    "much",
    "little",
    "first",
    "second",
    "third",
    "hard",
    "old",
    "new",
    "large",
}
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
    text: str
    blocks: tuple[Block, ...]
    page_count: int | None


@dataclass
class Draft:
    """A block before offsets are assigned; the markup reader builds these directly."""

    kind: str
    text: str
    page: int | None = None
    label: str | None = None
    table: int | None = None
    header: str | None = None
    caption: str | None = None
    full_width: bool = False  # its last line reached the column's width (for joins across breaks)
    fragment: bool = False  # one of a run of short pieces (legend, glossary, split table): never joined
    lines: list[str] = field(default_factory=list)


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
    furniture, anchors, end_marks = _furniture(lines, page_of if known_pages else None, running)
    for index, mark in end_marks.items():
        lines[index] = lines[index][:mark].rstrip()
    if not known_pages:
        page_of = _infer_pages(lines, anchors)
    wrapped = _is_wrapped(lines)
    vocabulary = Counter(w.lower() for line in lines for w in _WORDS.findall(line))
    drafts = _drafts(lines, page_of, furniture, wrapped, vocabulary)
    if wrapped:
        drafts = _join_broken_paragraphs(drafts, vocabulary)
    return assemble(drafts, page_count=len(page_texts) if known_pages else None)


# --- furniture: running headers, page numbers, web chrome -----------------------------------


def _furniture(
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
            or (not known_pages and _is_caps_heading(text) and counts[keys[i]] >= 3 and not near_row[i])
        ):
            furniture.add(i)
        elif len(text) <= 160 and _CHROME.match(text):
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


def _is_page_header(line: str) -> bool:
    """ "AUGUST 2019      CTC SENTINEL      5": parts set apart by wide gaps, a page number at an end."""
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
        if (before and after) or (trailing and (lines[i].rstrip().endswith("...") or _BULLET.match(lines[i]))):
            found.add(i)
    return found


def _infer_pages(lines: list[str], anchors: dict[int, int]) -> list[int | None]:
    """Pages of a text extraction without form feeds: each page's text starts with a single space,
    and a running header gives the number of one page; count from it in both directions."""
    starts = [i for i, line in enumerate(lines) if _PAGE_START.match(line)]
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


# --- paragraphs ---------------------------------------------------------------------------


def _is_wrapped(lines: list[str]) -> bool:
    """Hard-wrapped text (PDF columns) rather than one paragraph per line (web captures)."""
    lengths = [len(line.strip()) for line in lines if line.strip()]
    return bool(lengths) and statistics.median(lengths) <= 120


def _drafts(
    lines: list[str], page_of: list[int | None], furniture: set[int], wrapped: bool, vocabulary: Counter[str]
) -> list[Draft]:
    usable = [i not in furniture for i in range(len(lines))]
    notes = _note_lines(lines, usable)
    for i in notes:
        usable[i] = False
    tables = {table.first: table for table in find_tables(lines, usable)}
    for table in tables.values():
        for j in table.caption_lines:
            usable[j] = False
    width = _column_width(lines)
    drafts: list[Draft] = []
    block: list[int] = []

    def flush() -> None:
        if block:
            drafts.extend(_block_drafts([lines[j] for j in block], page_of[block[0]], width, vocabulary, wrapped))
            block.clear()

    i = 0
    headers: dict[str, int] = {}
    while i < len(lines):
        if i in tables:
            flush()
            table = tables[i]
            drafts.extend(_table_drafts(table, page_of, headers))
            i = table.last + 1
            continue
        if i in notes:
            flush()
            label, body = notes[i]
            drafts.append(Draft("note", _join_lines(body, vocabulary), page_of[i], label=label))
            i += 1
            while i < len(lines) and i in notes and notes[i][0] == label:
                i += 1
            continue
        if not usable[i] or not lines[i].strip():
            flush()
        elif not wrapped or _BULLET.match(lines[i]) or _starts_page(lines, page_of, i):
            flush()
            block.append(i)
            if not wrapped:
                flush()
        else:
            block.append(i)
        i += 1
    flush()
    if wrapped:
        _promote_headings(drafts, width)
    return _mark_fragment_lists(drafts)


def _promote_headings(drafts: list[Draft], width: int) -> None:
    """A one-line paragraph shaped like a heading, followed by body text, is a heading."""
    for i, draft in enumerate(drafts[:-1]):
        following = drafts[i + 1]
        if (
            draft.kind == "paragraph"
            and len(draft.lines) == 1
            and _is_heading(draft.text, width)
            and following.kind in {"paragraph", "list_item"}
            and (following.text[:1].isupper() or following.text[:1].isdigit())
            and len(following.text) > 2 * len(draft.text)
        ):
            drafts[i] = replace(draft, kind="heading")


def _starts_page(lines: list[str], page_of: list[int | None], i: int) -> bool:
    """A new page (known, or marked by extraction's leading space) begins a new block."""
    return i > 0 and (page_of[i] != page_of[i - 1] or bool(_PAGE_START.match(lines[i])))


def _note_lines(lines: list[str], usable: list[bool]) -> dict[int, tuple[str, list[str]]]:
    """Footnote bodies ("a<TAB>The original ...") running to the next blank line."""
    notes: dict[int, tuple[str, list[str]]] = {}
    i = 0
    while i < len(lines):
        match = _NOTE_BODY.match(lines[i]) if usable[i] else None
        if not match:
            i += 1
            continue
        label = match["label"]
        body = [lines[i][match.end() :]]
        members = [i]
        j = i + 1
        while (
            j < len(lines)
            and lines[j].strip()
            and usable[j]
            and not _NOTE_BODY.match(lines[j])
            and not _PAGE_START.match(lines[j])
        ):
            body.append(lines[j])
            members.append(j)
            j += 1
        for k in members:
            notes[k] = (label, body)
        i = j
    return notes


def _column_width(lines: list[str]) -> int:
    lengths = sorted(len(line.rstrip()) for line in lines if len(line.strip()) > 20)
    return lengths[int(len(lengths) * 0.9)] if lengths else 80


def _block_drafts(
    block: list[str], page: int | None, width: int, vocabulary: Counter[str], wrapped: bool
) -> list[Draft]:
    """A run of lines between blank lines: optional heading, list items, paragraph."""
    out: list[Draft] = []
    rest = list(block)
    if len(rest) <= 3 and _is_caps_heading(" ".join(" ".join(rest).split())):
        return [Draft("heading", " ".join(" ".join(rest).split()), page)]
    if len(rest) == 1 and _ENUMERATED.match(rest[0]) and _is_heading(_ENUMERATED.sub("", rest[0]), width):
        return [Draft("heading", " ".join(rest[0].split()), page)]
    first_line = rest[0].rstrip()
    two_line = len(rest) >= 3 and _continues_heading(first_line, rest[1])
    headed = _is_heading(first_line.removesuffix("-"), width) if two_line else _is_heading(first_line, width)
    if wrapped and len(rest) >= 2 and headed:
        take = 2 if two_line else 1
        body = " ".join(rest[take:]).strip()
        if (len(body) > 60 or len(rest) - take >= 2) and (
            body[:1].isupper() or body[:1].isdigit() or body[:1] in "“\"‘'"
        ):
            out.append(Draft("heading", _join_lines(rest[:take], vocabulary), page))
            rest = rest[take:]
    if not wrapped and len(rest) == 1 and _is_line_heading(rest[0]):
        return [Draft("heading", " ".join(rest[0].split()), page)]
    items: list[list[str]] = []
    for line in rest:
        if _BULLET.match(line) or not items:
            items.append([line])
        else:
            items[-1].append(line)
    for item in items:
        is_item = bool(_BULLET.match(item[0]))
        if is_item:
            item = [_BULLET.sub("", item[0], count=1), *item[1:]]
        text = _fix_drop_cap(_join_lines(item, vocabulary))
        if text:
            last = item[-1].rstrip()
            out.append(
                Draft(
                    "list_item" if is_item else "paragraph",
                    text,
                    page,
                    full_width=len(last) >= 0.85 * width,
                    lines=item,
                )
            )
    return out


def _is_caps_heading(line: str) -> bool:
    text = line.strip()
    letters = [c for c in text if c.isalpha()]
    return bool(letters) and len(text) <= 60 and text.upper() == text and len(letters) >= 4 and not is_row(text)


def _is_heading(line: str, width: int) -> bool:
    text = " ".join(line.split())
    words = text.split()
    if not words or len(words) > 12 or len(text) > max(30, 0.75 * width) or is_row(text):
        return False
    if text.endswith((".", "!", ";", ",", ":", "-")) or not (text[0].isupper() or text[0].isdigit()):
        return False
    if words[-1].lower() in _OPEN_ENDINGS - _MINOR and len(words) > 3:
        return False
    if _is_caps_heading(text):
        return True
    long_words = [w for w in words if len(w) >= 4 and w.lower() not in _MINOR]
    capitalised = sum(1 for w in long_words if w[0].isupper() or w[0] in "‘'“\"(")
    return bool(long_words) and capitalised / len(long_words) >= 0.6


def _continues_heading(first: str, second: str) -> bool:
    first, second = first.rstrip(), second.strip()
    return (
        len(second) <= 40
        and not second.endswith(_SENTENCE_END)
        and (
            first.endswith("-")
            or first.split()[-1].lower() in _OPEN_ENDINGS
            or second[:1].isupper()
            or second[:1].islower()
        )
    )


def _is_line_heading(line: str) -> bool:
    text = " ".join(line.split())
    words = text.split()
    if not words or len(words) > 12 or text.endswith((".", "!", ";", ",", ":", "...")):
        return False
    if text.endswith("?"):
        return len(words) <= 8
    return text[0].isupper() or text[0].isdigit()


def _join_lines(lines: Sequence[str], vocabulary: Counter[str]) -> str:
    text = ""
    for line in lines:
        piece = " ".join(line.split())
        if not piece:
            continue
        text = _join(text, piece, vocabulary) if text else piece
    return text


def _join(left: str, right: str, vocabulary: Counter[str]) -> str:
    """Join two pieces of a paragraph, undoing hyphenation at line ends where it is not a compound."""
    if left.endswith(("—", "–", "/")):
        return left + right
    match = re.search(r"([A-Za-z\u00C0-\u024F]+)-$", left)
    if match and (right[:1].isupper() or right[:1].isdigit()):
        return left + right  # "pro-\nIranian", "2011-\n2014": a real hyphen
    if match and right[:1].isalpha() and right[:1].islower():
        second = re.match(r"[A-Za-z\u00C0-\u024F]+", right)
        if second and _keep_hyphen(match.group(1), second.group(), vocabulary):
            return left + right
        return left[:-1] + right
    return left + " " + right


def _keep_hyphen(first: str, second: str, vocabulary: Counter[str]) -> bool:
    joined, hyphenated = (first + second).lower(), f"{first}-{second}".lower()
    if vocabulary[hyphenated] > vocabulary[joined]:
        return True
    if vocabulary[joined] or zipf_frequency(joined, "en") >= 2.5:
        return False
    return first.lower() in _PREFIXES


def _fix_drop_cap(text: str) -> str:
    """A decorative initial set apart by extraction: "T he Iraqi state" -> "The Iraqi state"."""
    match = re.match(r"^([A-Z]) ([a-z]+)\b", text)
    if not match:
        return text
    letter, rest = match.groups()
    joined = letter + rest
    # "T he" -> "The", "A rmed" -> "Armed", but "S and SE Asia" stays: "and" outranks "sand"
    if zipf_frequency(joined.lower(), "en") <= max(2.5, zipf_frequency(rest, "en")):
        return text
    return joined + text[match.end() :]


def _mark_fragment_lists(drafts: list[Draft]) -> list[Draft]:
    """Runs of four or more short, unpunctuated blocks (a legend, a glossary, a table whose cells
    extraction split apart) read as a list: kept together, line by line, never joined as prose."""
    out = list(drafts)
    i = 0
    while i < len(out):
        j = i
        while (
            j < len(out)
            and _is_fragment(out[j])
            and not (out[j].kind == "heading" and j + 1 < len(out) and out[j + 1].kind == "paragraph")
        ):
            j += 1
        if j - i >= 4:
            for k in range(i, j):
                out[k] = replace(out[k], kind="list_item", full_width=False, fragment=True)
        i = max(j, i + 1)
    return out


def _is_fragment(draft: Draft) -> bool:
    text = draft.text
    return (
        draft.kind in {"paragraph", "heading"}
        and len(text) <= 220
        and len(text.split()) <= 30
        and not text.endswith(_SENTENCE_END)
        and not _is_caps_heading(text)
    )


def _table_drafts(table: Table, page_of: list[int | None], headers: dict[str, int]) -> list[Draft]:
    key = " ".join((table.header or "").split()).lower()
    out: list[Draft] = []
    if key and key in headers:
        number = headers[key]
    else:
        number = len({n for k, n in headers.items() if not k.startswith("caption:")}) + 1
        headers[key or f"#{number}"] = number
        if table.header:
            out.append(Draft("table_header", table.header, page_of[table.first], table=number, header=table.header))
    if table.caption and f"caption:{number}" not in headers:
        headers[f"caption:{number}"] = number
        out.append(Draft("caption", table.caption, page_of[table.first], table=number))
    for line_index, row in table.rows:
        out.append(
            Draft("table_row", row, page_of[line_index], table=number, header=table.header, caption=table.caption)
        )
    return out


def _join_broken_paragraphs(drafts: list[Draft], vocabulary: Counter[str]) -> list[Draft]:
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
            text=_join(draft.text, follow.text, vocabulary),
            full_width=follow.full_width,
            lines=draft.lines + follow.lines,
        )
        del out[target]
    return out


def _ends_open(draft: Draft) -> bool:
    text = draft.text.rstrip()
    return bool(text) and not _CLOSED.search(text)


def _continuation(drafts: list[Draft], i: int) -> int | None:
    draft = drafts[i]
    last_word = draft.text.split()[-1].lower()
    strongly_open = draft.text.endswith("-") or draft.full_width or last_word in _OPEN_ENDINGS
    first_body = None
    for j in range(i + 1, min(len(drafts), i + 8)):
        other = drafts[j]
        if other.kind in {"note", "table_row", "table_header", "caption"}:
            continue
        starts_lower = other.text[:1].islower() and not _ENUMERATED.match(other.text)
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


# --- assembly -----------------------------------------------------------------------------


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
