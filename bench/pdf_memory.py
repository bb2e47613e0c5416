"""Memory as the folder grows: peak resident memory of a cold `assistant index` of synthetic
filings of 250, 500 and 1,000 pages (each folder: PDFs of 50 pages, each page a heading, three
paragraphs and a table of figures). The pages are made with fpdf2 from the sentences of
../shared/eval/tatqa/corpus, shuffled and with their numbers redrawn, so that no two pages share
their text (identical passages would be embedded once and flatter the result).

The baseline is the smallest folder in the same run: a build that streams keeps the ratio near 1.

usage: python bench/pdf_memory.py [--pages 250,500,1000]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, ROOT, save, table
from bench.pdf_ingest import measured

PAGES_PER_FILE = 50
SOURCE = ROOT.parent / "shared" / "eval" / "tatqa" / "corpus"


def sentences() -> list[str]:
    from lxml import html

    found: list[str] = []
    for path in sorted(SOURCE.glob("*.html")):
        for paragraph in html.parse(str(path)).getroot().iter("p"):
            text = " ".join(paragraph.text_content().split())
            found += [s for s in re.split(r"(?<=[.;])\s+", text) if 40 <= len(s) <= 300]
    return found


def make_folder(folder: Path, pages: int, pool: list[str], rng: random.Random) -> None:
    from fpdf import FPDF

    folder.mkdir(parents=True)
    for number in range(0, pages, PAGES_PER_FILE):
        pdf = FPDF()
        pdf.set_auto_page_break(False)
        for page in range(number, min(number + PAGES_PER_FILE, pages)):
            pdf.add_page()
            pdf.set_font("Helvetica", "B", 13)
            pdf.cell(0, 10, f"Part {page + 1}. {_latin(rng.choice(pool))[:60]}", new_x="LMARGIN", new_y="NEXT")
            pdf.set_font("Helvetica", size=10)
            for _ in range(3):
                text = " ".join(_redrawn(rng.choice(pool), rng) for _ in range(4))
                pdf.multi_cell(0, 5, _latin(text), new_x="LMARGIN", new_y="NEXT")
                pdf.ln(2)
            _table(pdf, rng, page)
        pdf.output(str(folder / f"filing-{number // PAGES_PER_FILE:03d}.pdf"))


def _table(pdf: object, rng: random.Random, page: int) -> None:
    from fpdf import FPDF

    assert isinstance(pdf, FPDF)
    years = [2019 + page % 4, 2018 + page % 4]
    pdf.cell(90, 6, "(in millions)")
    for year in years:
        pdf.cell(35, 6, str(year), align="R")
    pdf.ln()
    for label in rng.sample(
        [
            "Revenue",
            "Cost of sales",
            "Gross margin",
            "Operating expenses",
            "Net income",
            "Total assets",
            "Long-term debt",
            "Cash and equivalents",
            "Capital expenditure",
        ],
        5,
    ):
        pdf.cell(90, 6, label)
        for _ in years:
            pdf.cell(35, 6, f"{rng.randint(100, 99_999):,}", align="R")
        pdf.ln()


def _redrawn(sentence: str, rng: random.Random) -> str:
    return re.sub(r"\d[\d,]*", lambda m: f"{rng.randint(1, 10 ** min(len(m.group()), 6)):,}", sentence)


def _latin(text: str) -> str:
    return text.encode("latin-1", "replace").decode("latin-1")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pages", default="250,500,1000")
    args = parser.parse_args()
    sizes = [int(n) for n in args.pages.split(",")]
    rng = random.Random(7)
    pool = sentences()
    work = Path(tempfile.mkdtemp(prefix="bench-pdfmem-"))
    rows = []
    try:
        for pages in sizes:
            folder = work / f"pages-{pages}"
            make_folder(folder, pages, pool, rng)
            index = work / f"index-{pages}"
            command = [PYTHON, "-m", "assistant.cli", "index", str(folder), "--index-dir", str(index), "-q"]
            seconds, peak, report = measured(command)
            manifest = json.loads(next(index.glob("gen-*/manifest.json")).read_text())
            rows.append([pages, manifest["chunks"], manifest["vectors"], seconds, peak])
            shutil.rmtree(index, ignore_errors=True)
            print(report, file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    base = rows[0][4]
    out = [[*row, row[4] / base] for row in rows]
    header = ["pages", "passages", "vectors", "seconds", "peak RSS MB", "RSS ratio to smallest"]
    print(table("Peak memory of a cold build as the folder grows", header, out))
    path = save("pdf_memory", {"rows": out})
    print(f"\nwritten {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
