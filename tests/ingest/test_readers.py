"""Reading every supported format, and reporting every kind of file that cannot be read."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from fpdf import FPDF

from assistant.errors import CorpusError, UnreadableFile
from assistant.ingest.discover import SourceFile, discover, load_manifest, slug_for
from assistant.ingest.readers import read_document
from assistant.model import Document

LIMIT = 10_000_000


def read(path: Path, root: Path | None = None) -> Document:
    root = root or path.parent
    files, problems = discover(root)
    assert not problems
    source = next(f for f in files if f.path == path)
    return read_document(source, load_manifest(root).get(source.relative), LIMIT)


def texts(doc: Document, kind: str) -> list[str]:
    """The texts of the blocks of one kind; "table_row": the body rows of every table."""
    if kind == "table_row":
        return [row.text for _, table in doc.tables() for row in table.rows]
    return [doc.text[b.start : b.end] for b in doc.blocks if b.kind == kind]


def make_pdf(path: Path, pages: list[list[str]], header: str = "Returnees Review 2019") -> None:
    pdf = FPDF()
    pdf.set_auto_page_break(auto=False)
    pdf.set_font("Helvetica", size=11)
    for number, paragraphs in enumerate(pages, 1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=8)
        pdf.cell(0, 6, header, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", size=11)
        for paragraph in paragraphs:
            pdf.multi_cell(0, 6, paragraph)
            pdf.ln(4)
        pdf.set_y(-15)
        pdf.cell(0, 6, str(number), align="C")
    pdf.output(str(path))


def test_pdf_keeps_page_numbers_and_drops_running_headers(tmp_path: Path) -> None:
    first = "About 5,600 foreign fighters had returned to 33 countries by October 2017, according to the report."
    second = "Tunisia had the most: some 2,926 of its citizens travelled, and more than 800 came back home."
    make_pdf(tmp_path / "report.pdf", [[first], [second]])
    doc = read(tmp_path / "report.pdf")
    assert doc.info.fmt == "pdf" and doc.info.page_count == 2
    pages = {doc.text[b.start : b.end]: b.page for b in doc.blocks}
    assert pages[first] == 1
    assert pages[second] == 2
    assert "Returnees Review 2019" not in doc.text  # the running header of every page
    assert "\n1\n" not in doc.text and not doc.text.endswith("2")  # page numbers are locations, not text


def test_markdown_headings_lists_tables_and_footnotes(tmp_path: Path) -> None:
    (tmp_path / "notes.md").write_text(
        "# Returnees\n\nAbout 30% had come home by July 2017.[^1]\n\n## By country\n\n"
        "- Tunisia sent the most fighters\n- Morocco followed\n\n"
        "| Country | Went | Returned |\n|---|---|---|\n| Tunisia | 2,926 | >800 |\n| Morocco | 1,660 | 236 |\n\n"
        "[^1]: Radicalization Awareness Network estimate.\n",
        encoding="utf-8",
    )
    doc = read(tmp_path / "notes.md")
    assert texts(doc, "heading") == ["Returnees", "By country"]
    assert texts(doc, "list_item") == ["Tunisia sent the most fighters", "Morocco followed"]
    assert texts(doc, "table_row") == ["Tunisia | 2,926 | >800", "Morocco | 1,660 | 236"]
    (_, table), *_ = doc.tables()
    assert [doc.span(row) for row in table.header] == ["Country | Went | Returned"]
    assert [cell.text for cell in table.rows[0].cells] == ["Tunisia", "2,926", ">800"]
    assert [doc.span(cell) for cell in table.rows[1].cells] == ["Morocco", "1,660", "236"]
    assert "About 30% had come home by July 2017.[1]" in doc.text
    assert doc.info.title == "Returnees"


def test_html_drops_navigation_and_boilerplate(tmp_path: Path) -> None:
    (tmp_path / "page.html").write_text(
        """<html><head><title>Returnees report</title><meta name="author" content="Jane Analyst"></head><body>
        <nav><ul><li><a href="/">Home</a></li><li>Follow us on Twitter</li>
        <li>Subscribe to our newsletter</li></ul></nav>
        <article><h1>Foreign fighters returning home</h1>
        <p>About 5,600 foreign fighters had returned to 33 countries by October 2017, according to the report,
        which draws on official figures from the countries concerned and on interviews.</p>
        <table><thead><tr><th>Country</th><th>Went</th><th>Returned</th></tr></thead>
        <tbody><tr><td>Tunisia</td><td>2,926</td><td>&gt;800</td></tr>
        <tr><td>Morocco</td><td>1,660</td><td>236</td></tr></tbody>
        </table><p>Most returnees are imprisoned, or disappear from view, the report finds in its conclusion.</p>
        </article>
        <footer>Copyright 2018. All rights reserved. <a href="/privacy">Privacy policy</a></footer></body></html>""",
        encoding="utf-8",
    )
    doc = read(tmp_path / "page.html")
    assert "About 5,600 foreign fighters had returned to 33 countries" in doc.text
    assert "Tunisia | 2,926 | >800" in texts(doc, "table_row")
    for chrome in ("Follow us on Twitter", "newsletter", "All rights reserved", "Privacy policy"):
        assert chrome not in doc.text
    assert doc.info.meta.authors == ("Jane Analyst",)


def test_manifest_facts_and_readable_ids(tmp_path: Path) -> None:
    (tmp_path / "Beyond the Caliphate (2017).txt").write_text(
        "A report on returnees and their numbers.", encoding="utf-8"
    )
    (tmp_path / "manifest.toml").write_text(
        '["Beyond the Caliphate (2017).txt"]\ntitle = "Beyond the Caliphate"\nauthors = ["Richard Barrett"]\n'
        'publisher = "The Soufan Center"\ndate = "2017-10"\n',
        encoding="utf-8",
    )
    doc = read(tmp_path / "Beyond the Caliphate (2017).txt")
    assert doc.doc_id == "beyond-the-caliphate-2017"
    assert (doc.info.meta.title, doc.info.meta.authors, doc.info.meta.publisher) == (
        "Beyond the Caliphate",
        ("Richard Barrett",),
        "The Soufan Center",
    )


@pytest.mark.parametrize(
    ("relative", "slug"),
    [("reports/Beyond Caliphate.pdf", "reports--beyond-caliphate"), ("ÉTÉ!!.txt", "t"), ("___.md", "document")],
)
def test_slugs(relative: str, slug: str) -> None:
    assert slug_for(relative) == slug


def test_a_broken_manifest_is_a_corpus_error(tmp_path: Path) -> None:
    (tmp_path / "manifest.toml").write_text('["a.txt"\ntitle = ', encoding="utf-8")
    with pytest.raises(CorpusError, match=r"manifest\.toml"):
        load_manifest(tmp_path)


def test_missing_corpus_folder(tmp_path: Path) -> None:
    with pytest.raises(CorpusError, match="corpus folder not found"):
        discover(tmp_path / "nowhere")


# --- files that cannot be read ----------------------------------------------------------------


def source(path: Path, fmt: str) -> SourceFile:
    return SourceFile(path, path.name, path.stem, fmt)


@pytest.mark.parametrize(
    ("name", "content", "fmt", "reason"),
    [
        ("empty.txt", b"", "text", "empty file"),
        ("blank.md", b"   \n\n\t\n", "markdown", "no text could be extracted"),
        ("binary.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00" + bytes(range(256)) * 4, "text", "binary content"),
        ("latin1.txt", "Café société, déjà vu: 30% à Paris".encode("latin-1"), "text", "not UTF-8 text"),
        ("truncated.pdf", b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R", "pdf", "corrupt"),
        ("fake.pdf", b"this is not a pdf at all", "pdf", "corrupt"),
        (
            "nothing.html",
            b"<html><head><style>p{}</style></head><body><script>var x;</script></body></html>",
            "html",
            "no main text",
        ),
    ],
)
def test_unreadable_files_say_why(tmp_path: Path, name: str, content: bytes, fmt: str, reason: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(UnreadableFile, match=reason):
        read_document(source(path, fmt), None, LIMIT)


def test_a_file_over_the_size_limit_is_refused_without_reading_it(tmp_path: Path) -> None:
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(50_000_000)  # sparse: 50 MB on paper, nothing on disk
    with pytest.raises(UnreadableFile, match=r"too large \(50.0 MB"):
        read_document(source(path, "text"), None, 20_000_000)


def test_a_file_removed_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "gone.txt"
    path.write_text("soon gone", encoding="utf-8")
    entry = source(path, "text")
    path.unlink()
    with pytest.raises(UnreadableFile, match="disappeared"):
        read_document(entry, None, LIMIT)


def test_symlink_loops_are_reported_and_other_files_still_found(tmp_path: Path) -> None:
    (tmp_path / "good.txt").write_text("A readable report about returnees.", encoding="utf-8")
    os.symlink(tmp_path / "loop-a.txt", tmp_path / "loop-b.txt")
    os.symlink(tmp_path / "loop-b.txt", tmp_path / "loop-a.txt")
    (tmp_path / "sub").mkdir()
    os.symlink(tmp_path, tmp_path / "sub" / "back-to-top")  # a directory loop is not followed
    files, problems = discover(tmp_path)
    assert [f.relative for f in files] == ["good.txt"]
    assert sorted(problems) == [
        ("loop-a.txt", "symlink loop"),
        ("loop-b.txt", "symlink loop"),
        ("sub/back-to-top", "linked folder not followed"),
    ]


def test_links_out_of_the_corpus_folder_are_reported_and_never_read(tmp_path: Path) -> None:
    corpus, outside = tmp_path / "corpus", tmp_path / "outside"
    corpus.mkdir()
    outside.mkdir()
    (outside / "secret.txt").write_text("Not for the index.", encoding="utf-8")
    (corpus / "report.txt").write_text("A report about returnees.", encoding="utf-8")
    os.symlink(outside / "secret.txt", corpus / "passwd.txt")
    os.symlink(corpus / "report.txt", corpus / "alias.txt")  # a link that stays inside is a file like any
    os.symlink(outside, corpus / "elsewhere")
    files, problems = discover(corpus)
    assert [f.relative for f in files] == ["alias.txt", "report.txt"]
    assert sorted(problems) == [
        ("elsewhere", "linked folder not followed"),
        ("passwd.txt", "link to a file outside the corpus folder, not followed"),
    ]


def test_hidden_files_and_folders_are_reported_not_silently_skipped(tmp_path: Path) -> None:
    (tmp_path / "report.txt").write_text("A report about shipments.", encoding="utf-8")
    (tmp_path / ".draft.md").write_text("# Draft\n\nNot read.", encoding="utf-8")
    (tmp_path / ".DS_Store").write_bytes(b"\0\0")  # not a document: nothing to say
    (tmp_path / ".archive").mkdir()
    (tmp_path / ".archive" / "old.txt").write_text("Not read either.", encoding="utf-8")
    files, problems = discover(tmp_path)
    assert [f.relative for f in files] == ["report.txt"]
    assert sorted(problems) == [(".archive", "hidden folder, not read"), (".draft.md", "hidden file, not read")]


@pytest.mark.parametrize("name", ["escapes.txt", "escapes.md", "escapes.html"])
def test_control_characters_never_reach_the_index(tmp_path: Path, name: str) -> None:
    """Terminal escapes (ESC, CSI) and bidi overrides in a document or its manifest title are gone;
    the text keeps its length, so every offset into it still holds."""
    body = "Returnees \x1b[2J\x1b]0;owned\x07were \x9b31mcounted \u202eevil\u202c in 2019.\n"
    page = f"<html><body><main><p>{body}</p></main></body></html>" if name.endswith("html") else body
    (tmp_path / name).write_text(page, encoding="utf-8")
    (tmp_path / "manifest.toml").write_text(f'["{name}"]\ntitle = "Report \\u001b[31mred"\n', encoding="utf-8")
    doc = read(tmp_path / name, tmp_path)
    for unsafe in ("\x1b", "\x07", "\x9b", "\u202e", "\u202c"):
        assert unsafe not in doc.text and unsafe not in doc.info.title
    assert doc.info.title == "Report [31mred"
    assert "Returnees" in doc.text and "counted" in doc.text and "2019" in doc.text


def test_an_encrypted_pdf_is_reported_as_encrypted_not_corrupt(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(text="Returnees counted in 2019.")
    pdf.set_encryption(owner_password="owner", user_password="reader")
    pdf.output(str(tmp_path / "locked.pdf"))
    with pytest.raises(UnreadableFile, match=r"^encrypted PDF: it opens only with a password$"):
        read_document(source(tmp_path / "locked.pdf", "pdf"), None, LIMIT)
