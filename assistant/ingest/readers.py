"""Reading a corpus folder: find the files, read each format, clean it, attach its manifest facts.

Formats: plain text (`.txt`), Markdown (`.md`), HTML (`.html`, `.htm`: boilerplate dropped by
trafilatura) and PDF (`.pdf`: text by pypdfium2, page by page). A file that cannot be read raises
`UnreadableFile` with a one-line reason; the index build reports it and goes on.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import tomllib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.errors import CorpusError, UnreadableFile

from .cleaning import Block, Cleaned, Draft, assemble, clean_plain

FORMATS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html", ".pdf": "pdf"}
MANIFEST_NAMES = ("manifest.toml",)
_BINARY_PROBE = 8192


@dataclass(frozen=True)
class Meta:
    """Bibliographic facts for a document, from the corpus manifest or the file itself."""

    title: str | None = None
    authors: tuple[str, ...] = ()
    publisher: str | None = None
    date: str | None = None
    link: str | None = None
    title_supplied: bool = False


@dataclass(frozen=True)
class Document:
    """A cleaned document with its place in the corpus and its bibliographic facts."""

    doc_id: str
    path: str  # relative to the corpus folder
    fmt: str
    sha256: str
    meta: Meta
    text: str
    blocks: tuple[Block, ...]
    page_count: int | None

    @property
    def title(self) -> str:
        return self.meta.title or self.doc_id


@dataclass(frozen=True)
class SourceFile:
    path: Path
    relative: str
    doc_id: str
    fmt: str


def discover(corpus_dir: Path) -> tuple[list[SourceFile], list[tuple[str, str]]]:
    """Supported files under `corpus_dir` (sorted, hidden ones skipped) and the problems met
    on the way (unsupported files are not problems; symlink loops and unreadable folders are)."""
    if not corpus_dir.is_dir():
        raise CorpusError(f"corpus folder not found: {corpus_dir}")
    files: list[SourceFile] = []
    problems: list[tuple[str, str]] = []
    taken: set[str] = set()
    for path, relative, error in _walk(corpus_dir):
        if error:
            problems.append((relative, error))
            continue
        fmt = FORMATS.get(path.suffix.lower())
        if fmt is None:
            continue
        doc_id = _unique(slug_for(relative), taken, fmt)
        files.append(SourceFile(path, relative, doc_id, fmt))
    return files, problems


def _walk(root: Path) -> Iterator[tuple[Path, str, str | None]]:
    for folder, subfolders, names in os.walk(root, followlinks=False, onerror=None):
        subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
        for name in sorted(names):
            if name.startswith(".") or name in MANIFEST_NAMES:
                continue
            path = Path(folder) / name
            relative = path.relative_to(root).as_posix()
            try:
                target = path.stat()  # follows links; a loop raises ELOOP
            except OSError as exc:
                reason = "symlink loop" if exc.errno == errno.ELOOP else f"cannot stat: {exc.strerror}"
                yield path, relative, reason
                continue
            if not os.path.isfile(path) or target.st_size < 0:
                continue
            yield path, relative, None


def slug_for(relative: str) -> str:
    """A readable document id from a file's path: "reports/Beyond Caliphate.pdf" -> "reports--beyond-caliphate"."""
    stem = relative.rsplit(".", 1)[0] if "." in relative.rsplit("/", 1)[-1] else relative
    parts = [re.sub(r"[^a-z0-9]+", "-", part.lower()).strip("-") for part in stem.split("/")]
    slug = "--".join(part for part in parts if part)
    return slug or "document"


def _unique(slug: str, taken: set[str], fmt: str) -> str:
    candidate = slug
    if candidate in taken:
        candidate = f"{slug}-{fmt}"
    n = 2
    while candidate in taken:
        candidate = f"{slug}-{n}"
        n += 1
    taken.add(candidate)
    return candidate


def load_manifest(corpus_dir: Path) -> dict[str, Meta]:
    """Facts per file name from `manifest.toml`; a malformed manifest is a corpus error."""
    path = corpus_dir / "manifest.toml"
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise CorpusError(f"cannot read {path}: {exc}") from None
    metas = {}
    for name, entry in data.items():
        if isinstance(entry, dict):
            metas[name] = _meta_from(entry)
    return metas


def _meta_from(entry: dict[str, Any]) -> Meta:
    authors = entry.get("authors") or ([entry["author"]] if entry.get("author") else [])
    return Meta(
        title=_text_or_none(entry.get("title")),
        authors=tuple(str(a) for a in authors),
        publisher=_text_or_none(entry.get("publisher")),
        date=_text_or_none(entry.get("date")),
        link=_text_or_none(entry.get("link")),
        title_supplied=bool(entry.get("title_supplied", False)),
    )


def _text_or_none(value: object) -> str | None:
    return str(value).strip() or None if value is not None else None


def read_document(source: SourceFile, meta: Meta | None, max_bytes: int) -> Document:
    """Read, clean and describe one file; raise `UnreadableFile` with the reason if we cannot."""
    try:
        size = source.path.stat().st_size
        if size == 0:
            raise UnreadableFile("empty file")
        if size > max_bytes:
            raise UnreadableFile(f"too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB)")
        data = source.path.read_bytes()
    except FileNotFoundError:
        raise UnreadableFile("disappeared while the index was being built") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot read: {exc.strerror or exc}") from None
    digest = hashlib.sha256(data).hexdigest()
    meta = meta or Meta()
    cleaned, found = _READERS[source.fmt](data, _running_strings(meta))
    if not cleaned.text.strip():
        raise UnreadableFile("no text could be extracted")
    merged = _merge_meta(meta, found, cleaned)
    return Document(
        source.doc_id, source.relative, source.fmt, digest, merged, cleaned.text, cleaned.blocks, cleaned.page_count
    )


def _running_strings(meta: Meta) -> list[str]:
    running = [a.split()[-1] for a in meta.authors if a.split()]
    if meta.title:
        running += [meta.title, meta.title.split(":")[0]]
    return running


def _merge_meta(meta: Meta, found: Meta, cleaned: Cleaned) -> Meta:
    title = meta.title or found.title
    supplied = meta.title_supplied
    if not title:
        first_heading = next((b for b in cleaned.blocks if b.kind == "heading"), None)
        if first_heading is not None:
            title = cleaned.text[first_heading.start : first_heading.end][:200]
    return Meta(
        title=title,
        authors=meta.authors or found.authors,
        publisher=meta.publisher or found.publisher,
        date=meta.date or found.date,
        link=meta.link or found.link,
        title_supplied=supplied,
    )


def _decode(data: bytes) -> str:
    if b"\x00" in data[:_BINARY_PROBE] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise UnreadableFile("binary content, not text")
    for bom, codec in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if data.startswith(bom):
            return data.decode(codec, errors="strict")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start})") from None


def _read_text(data: bytes, running: list[str]) -> tuple[Cleaned, Meta]:
    return clean_plain(_decode(data), running=running), Meta()


def _read_markdown(data: bytes, running: list[str]) -> tuple[Cleaned, Meta]:
    return clean_markdown(_decode(data)), Meta()


def _read_html(data: bytes, running: list[str]) -> tuple[Cleaned, Meta]:
    import trafilatura

    if b"\x00" in data[:_BINARY_PROBE]:
        raise UnreadableFile("binary content, not HTML")
    markdown = trafilatura.extract(data, output_format="markdown", include_tables=True, include_comments=False)
    if not markdown:
        raise UnreadableFile("no main text found in the HTML")
    found = trafilatura.extract_metadata(data)
    meta = Meta()
    if found is not None:
        meta = Meta(
            title=found.title or None,
            authors=tuple(a.strip() for a in (found.author or "").split(";") if a.strip()),
            publisher=found.sitename or None,
            date=found.date or None,
            link=found.url or None,
        )
    return clean_markdown(markdown), meta


def _read_pdf(data: bytes, running: list[str]) -> tuple[Cleaned, Meta]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise UnreadableFile(f"corrupt or unreadable PDF ({exc})") from None
    try:
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_bounded())
            textpage.close()
            page.close()
        info = pdf.get_metadata_dict()
    except pdfium.PdfiumError as exc:
        raise UnreadableFile(f"corrupt PDF ({exc})") from None
    finally:
        pdf.close()
    if not any(page.strip() for page in pages):
        raise UnreadableFile("PDF has no extractable text (scanned images?)")
    meta = Meta(
        title=(info.get("Title") or "").strip() or None,
        authors=tuple(a.strip() for a in re.split(r";| and ", info.get("Author") or "") if a.strip()),
    )
    return clean_plain("", pages=pages, running=running), meta


_READERS = {"text": _read_text, "markdown": _read_markdown, "html": _read_html, "pdf": _read_pdf}


def clean_markdown(markdown: str) -> Cleaned:
    """Markdown (or HTML already turned into Markdown) to located blocks: headings, paragraphs,
    list items, table rows with their header, and footnote bodies."""
    from markdown_it import MarkdownIt

    parser = MarkdownIt("commonmark").enable("table")
    tokens = parser.parse(markdown)
    drafts: list[Draft] = []
    kind_stack: list[str] = []
    row: list[str] = []
    header: str | None = None
    in_head = False
    tables = 0
    for index, token in enumerate(tokens):
        previous = tokens[index - 1].type if index else ""
        if token.type in {"bullet_list_open", "ordered_list_open", "blockquote_open"}:
            kind_stack.append(token.type)
        elif token.type in {"bullet_list_close", "ordered_list_close", "blockquote_close"}:
            kind_stack.pop()
        elif token.type == "table_open":
            tables += 1
            header = None
        elif token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            row = []
        elif token.type == "tr_close":
            text = " | ".join(row)
            if in_head:
                header = text
                drafts.append(Draft("table_header", text, table=tables, header=text))
            elif text.strip(" |"):
                drafts.append(Draft("table_row", text, table=tables, header=header))
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
        elif token.type in {"fence", "code_block"} and token.content.strip():
            drafts.append(Draft("paragraph", token.content.strip()))
    for draft in drafts:
        draft.text = re.sub(r"\[\^([\w-]{1,12})\]", r"[\1]", draft.text)
    return assemble(drafts, page_count=None)


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
