"""PDF tables: the product's reader (word positions from pypdfium2) against pdfplumber's
`extract_tables` (ruled lines, and its text strategy), on the real filings in ../shared/pdfs.

Speed is pages per second over the same pages, the three run in one session, median of rounds.
Quality is the share of the hand-read cells in bench/data/pdf_table_cells.tsv that an extractor
puts in a table with the right row label, under a column whose header names the right period,
holding the printed value.

usage: python bench/pdf_tables.py [--pdfs ../shared/pdfs] [--every 4] [--rounds 3]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, median, save, table

CELLS = ROOT / "bench" / "data" / "pdf_table_cells.tsv"
Grid = list[list[str]]  # a table as rows of cell texts, header rows first


def product_tables(path: Path, pages: list[int]) -> dict[int, list[Grid]]:
    """Tables found by the product's page reader, as grids: header rows then body rows."""
    import pypdfium2 as pdfium

    from assistant.ingest.pdf import page_tables

    out: dict[int, list[Grid]] = {}
    pdf = pdfium.PdfDocument(path)
    try:
        for number in pages:
            page = pdf[number - 1]
            textpage = page.get_textpage()
            grids = []
            for found in page_tables(textpage, number, 0):
                grid: Grid = []
                for draft in found.drafts:
                    cells = [" ".join(cell.split()) for cell in draft.cells or ()]
                    if cells:  # a header cell spanning columns stands over each of them
                        grid.append([cells[k] for k in draft.columns] if draft.columns else cells)
                grids.append(grid)
            out[number] = grids
            textpage.close()
            page.close()
    finally:
        pdf.close()
    return out


def plumber_tables(strategy: str) -> Callable[[Path, list[int]], dict[int, list[Grid]]]:
    settings = {} if strategy == "lines" else {"vertical_strategy": "text", "horizontal_strategy": "text"}

    def read(path: Path, pages: list[int]) -> dict[int, list[Grid]]:
        import pdfplumber

        out: dict[int, list[Grid]] = {}
        with pdfplumber.open(path) as pdf:
            for number in pages:
                page = pdf.pages[number - 1]
                grids = page.extract_tables(settings)
                out[number] = [[[" ".join((cell or "").split()) for cell in row] for row in grid] for grid in grids]
                page.flush_cache()
        return out

    return read


EXTRACTORS: dict[str, Callable[[Path, list[int]], dict[int, list[Grid]]]] = {
    "product (pypdfium2 word positions)": product_tables,
    "pdfplumber, ruled lines": plumber_tables("lines"),
    "pdfplumber, text strategy": plumber_tables("text"),
}


def value_of(text: str) -> float | None:
    """A printed amount as a number: "$ (1,327 )" is -1327."""
    if not re.fullmatch(r"\$?\s*\(?\s*\$?\s*\d[\d,]*(?:\.\d+)?\s*\)?", text.strip()):
        return None
    digits = re.sub(r"[^\d.]", "", text)
    return -float(digits) if "(" in text else float(digits)


def holds(grid: Grid, row_label: str, column: str, value: float) -> bool:
    """Some row of `grid` begins with `row_label`, and holds `value` in a column whose text above
    (the header rows, or any row above that is not a row of values) names `column`."""
    for r, row in enumerate(grid):
        label = " ".join(cell for cell in row if cell and value_of(cell) is None)
        if not label.lower().startswith(row_label.lower()):
            continue
        for c, cell in enumerate(row):
            if value_of(cell) != value:
                continue
            above = " ".join(grid[k][c] for k in range(r) if c < len(grid[k]) and value_of(grid[k][c]) is None)
            if column in above or column in " ".join(grid[k][c] for k in range(r) if c < len(grid[k])):
                return True
    return False


def gold() -> Iterator[dict[str, str]]:
    with CELLS.open(encoding="utf-8") as handle:
        yield from csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pdfs", default=str(ROOT.parent / "shared" / "pdfs"))
    parser.add_argument("--every", type=int, default=4, help="time every n-th page of each filing")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    import pypdfium2 as pdfium

    folder = Path(args.pdfs)
    files = sorted(folder.glob("*.pdf"))
    sample: dict[Path, list[int]] = {}
    for path in files:
        pdf = pdfium.PdfDocument(path)
        sample[path] = list(range(1, len(pdf) + 1, args.every))
        pdf.close()
    pages = sum(len(numbers) for numbers in sample.values())

    seconds: dict[str, list[float]] = {name: [] for name in EXTRACTORS}
    for _ in range(args.rounds):
        for name, extract in EXTRACTORS.items():
            started = time.perf_counter()
            for path, numbers in sample.items():
                extract(path, numbers)
            seconds[name].append(time.perf_counter() - started)

    cells = list(gold())
    found: dict[str, int] = {}
    for name, extract in EXTRACTORS.items():
        hits = 0
        for cell in cells:
            grids = extract(folder / cell["file"], [int(cell["page"])])[int(cell["page"])]
            amount = value_of(cell["value"])
            hits += amount is not None and any(holds(g, cell["row"], cell["column"], amount) for g in grids)
        found[name] = hits

    base = median(seconds["product (pypdfium2 word positions)"])
    rows = [
        (
            name,
            f"{pages / median(seconds[name]):.1f}",
            f"{median(seconds[name]) / base:.2f}",
            f"{found[name]}/{len(cells)}",
        )
        for name in EXTRACTORS
    ]
    print(
        table(
            f"PDF tables over {pages} pages of {len(files)} filings (every {args.every}th page, median of "
            f"{args.rounds} rounds); cells: {len(cells)} hand-read statement cells",
            ["extractor", "pages/s", "time ratio to product", "cells right"],
            rows,
        )
    )
    save(
        "pdf_tables",
        {"pages": pages, "seconds": seconds, "cells": len(cells), "found": found},
    )


if __name__ == "__main__":
    main()
