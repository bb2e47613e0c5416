"""Reading one file into a cleaned, typed document: plain text (`.txt`), Markdown (`.md`), HTML
(`.html`, `.htm`: boilerplate dropped by trafilatura) and PDF (`.pdf`: text by pypdfium2, page by
page, and its tables found by the positions of their words, see `pdf`), with its bibliographic
facts merged from the manifest and the file itself. A file that cannot be read raises
`UnreadableFile` with a one-line reason; the index build reports it and goes on.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace

from lxml import etree

from assistant.errors import UnreadableFile
from assistant.model import BlockKind, Document, DocumentInfo, Meta
from assistant.text.controls import blank_controls, strip_controls

from .cleaning import Cleaned, assemble, clean_plain
from .discover import SourceFile
from .html import html_drafts
from .issuer import cover_title, filing_periods, issuer
from .markdown import clean_markdown
from .paragraphs import Draft
from .pdf import page_tables, page_text

_BINARY_PROBE = 8192


def read_document(source: SourceFile, meta: Meta | None, max_bytes: int) -> Document:
    """Read, clean and describe one file; raise `UnreadableFile` with the reason if we cannot."""
    return parse_document(source, meta, read_bytes(source, max_bytes))


def read_bytes(source: SourceFile, max_bytes: int) -> bytes:
    """The file's bytes, or `UnreadableFile` (empty, too large, gone, refused)."""
    try:
        size = source.path.stat().st_size
        if size == 0:
            raise UnreadableFile("empty file")
        if size > max_bytes:
            raise UnreadableFile(f"too large ({size / 1e6:.1f} MB; the limit is {max_bytes / 1e6:.0f} MB)")
        return source.path.read_bytes()
    except FileNotFoundError:
        raise UnreadableFile("disappeared while the index was being built") from None
    except OSError as exc:
        raise UnreadableFile(f"cannot read: {exc.strerror or exc}") from None


def parse_document(source: SourceFile, meta: Meta | None, data: bytes) -> Document:
    """Clean and describe a file's bytes (wherever they were read: here, or shipped to a worker)."""
    digest = hashlib.sha256(data).hexdigest()
    meta = meta or Meta()
    cleaned, found = _READERS[source.fmt](data, _running_strings(meta))
    cleaned = replace(cleaned, text=blank_controls(cleaned.text))  # no terminal escapes, no reordering
    if not cleaned.text.strip():
        raise UnreadableFile("no text could be extracted")
    merged = _merge_meta(meta, found, cleaned)
    if merged.publisher is None:  # a filing or a release says who issued it
        merged = replace(merged, publisher=issuer(cleaned.text))
    if not merged.title_supplied and (titled := cover_title(cleaned.text)) is not None:
        merged = replace(merged, title=titled)  # its cover says what it is better than a file's metadata
    info = DocumentInfo(
        doc_id=source.doc_id,
        path=source.relative,
        fmt=source.fmt,
        sha256=digest,
        title=merged.title or source.doc_id,
        authors=merged.authors,
        publisher=merged.publisher,
        date=merged.date,
        link=merged.link,
        title_supplied=merged.title_supplied,
        page_count=cleaned.page_count,
        chars=len(cleaned.text),
        periods=filing_periods(cleaned.text),
    )
    return Document(info, cleaned.text, cleaned.blocks)


def _running_strings(meta: Meta) -> list[str]:
    running = [a.split()[-1] for a in meta.authors if a.split()]
    if meta.title:
        running += [meta.title, meta.title.split(":")[0]]
    return running


def _merge_meta(meta: Meta, found: Meta, cleaned: Cleaned) -> Meta:
    title = meta.title or found.title
    supplied = meta.title_supplied
    if not title:
        first_heading = next((b for b in cleaned.blocks if b.kind is BlockKind.HEADING), None)
        if first_heading is not None:
            title = cleaned.text[first_heading.start : first_heading.end][:200]
    publisher, date, link = meta.publisher or found.publisher, meta.date or found.date, meta.link or found.link
    return Meta(
        title=_safe(title),
        authors=tuple(a for a in (_safe(a) for a in meta.authors or found.authors) if a),
        publisher=_safe(publisher),
        date=_safe(date),
        link=_safe(link),
        title_supplied=supplied,
    )


def _safe(value: str | None) -> str | None:
    """A manifest or metadata string without control characters (None when nothing is left)."""
    return (" ".join(strip_controls(value).split()) or None) if value is not None else None


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
    try:
        drafts = html_drafts(data)
    except (ValueError, etree.ParserError) as exc:
        raise UnreadableFile(f"cannot parse the HTML ({exc})") from None
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
    if not any(draft.text.strip() for draft in drafts):
        raise UnreadableFile("no main text found in the HTML")
    return assemble(drafts, page_count=None), meta


def _read_pdf(data: bytes, running: list[str]) -> tuple[Cleaned, Meta]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == pdfium_c.FPDF_ERR_PASSWORD:
            raise UnreadableFile("encrypted PDF: it opens only with a password") from None
        raise UnreadableFile(f"corrupt or unreadable PDF ({exc})") from None
    try:
        pages: list[str] = []
        tables: dict[tuple[int, int], list[Draft]] = {}
        count = 0
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            found = page_tables(textpage, index + 1, count)
            count += len(found)
            width, height = page.get_size()
            text, at = page_text(textpage, width, height, found)
            pages.append(text)
            tables |= {(index + 1, line): table.drafts for table, line in zip(found, at, strict=True)}
            textpage.close()
            page.close()
        info = pdf.get_metadata_dict()
    except pdfium.PdfiumError as exc:
        raise UnreadableFile(f"corrupt PDF ({exc})") from None
    finally:
        pdf.close()
    if not any(page.strip() for page in pages) and not tables:
        raise UnreadableFile("PDF has no extractable text (scanned images?)")
    meta = Meta(
        title=(info.get("Title") or "").strip() or None,
        authors=tuple(a.strip() for a in re.split(r";| and ", info.get("Author") or "") if a.strip()),
    )
    return clean_plain("", pages=pages, running=running, tables=tables), meta


_READERS = {"text": _read_text, "markdown": _read_markdown, "html": _read_html, "pdf": _read_pdf}
