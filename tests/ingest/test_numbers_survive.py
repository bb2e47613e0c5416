"""Nothing a user indexed is altered: every number of a cleaned document (note markers set apart)
reads as a number of its source. A footnote marker split off a number ("4,073.[9]") or digits run
together would show here as a number the source never printed."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.ingest.cleaning import normalize
from assistant.ingest.discover import discover
from assistant.ingest.readers import read_document
from assistant.model import Document
from tests.conftest import CORPUS, SHARED

NUMBER = re.compile(r"\d(?:[\d,]*\d)?(?:\.\d+)?")
MARKED = re.compile(r"(?<![\d\[])(?P<number>\d(?:[\d,]*\d)?(?:\.\d+)?)(?P<dot>[.,]?)(?:\[(?P<note>\d{1,3})\])?")
WELL_FORMED = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?")


def source_text(path: Path) -> str:
    if path.suffix == ".pdf":
        import pypdfium2 as pdfium

        pdf = pdfium.PdfDocument(path)
        try:
            return "\n".join(pdf[n].get_textpage().get_text_bounded() for n in range(len(pdf)))
        finally:
            pdf.close()
    if path.suffix in {".html", ".htm"}:
        import lxml.html

        return " ".join(lxml.html.document_fromstring(path.read_bytes()).itertext())
    return path.read_text(encoding="utf-8")


def numbers(text: str) -> set[str]:
    """The numbers a source prints, after the normalisation every text gets (control characters
    a broken PDF font leaves between digits are gone in both)."""
    return {m.group() for m in NUMBER.finditer(normalize(text))}


def changed(printed: set[str], cleaned: str) -> list[str]:
    """Numbers of the cleaned text (note markers shown as "[n]") that its source does not print.
    A number a marker was split from must be whole on its own ("850[7]" from "8507", "850,[52]"
    after a comma), never a number cut inside its fraction or a thousands group ("4,073.[9]",
    "2,92[6]")."""
    out = []
    for match in MARKED.finditer(cleaned):
        number, note = match["number"].rstrip(","), match["note"]
        joined = f"{number}{match['dot']}{note}"
        split_off = note is not None and match["dot"] != "." and not (match["dot"] == "," and len(note) == 3)
        if split_off and WELL_FORMED.fullmatch(number) and joined in printed:  # "2,926" is not 2 and note 926
            continue
        if number in printed:
            continue
        out.append(match.group())
    return out


def documents(folder: Path) -> Iterator[tuple[Path, Document]]:
    files, _ = discover(folder)
    for source in files:
        yield source.path, read_document(source, None, 10**9)


@pytest.mark.parametrize(
    "folder",
    [CORPUS, SHARED / "eval" / "tatqa" / "corpus", SHARED / "eval" / "tatqa" / "corpus-md", SHARED / "pdfs"],
    ids=["demo", "tatqa-html", "tatqa-md", "filings"],
)
def test_every_number_reads_as_in_its_source(folder: Path) -> None:
    if not folder.is_dir():
        pytest.skip(f"{folder} is not beside the checkout")
    damaged: list[str] = []
    for path, document in documents(folder):
        damaged += [f"{path.name}: {n}" for n in changed(numbers(source_text(path)), document.text)]
    assert damaged == []
