"""Cleaning on real excerpts of the seed documents (raw PDF and web extractions)."""

from __future__ import annotations

import re
from functools import cache

import pytest

from assistant.ingest.cleaning import Cleaned, clean_plain
from assistant.ingest.discover import discover, load_manifest
from assistant.ingest.readers import read_document
from assistant.model import BlockKind, Document, Row, Table
from tests.conftest import CORPUS


@cache
def seed(doc_id: str) -> Document:
    files, _ = discover(CORPUS)
    metas = load_manifest(CORPUS)
    source = next(f for f in files if f.doc_id == doc_id)
    return read_document(source, metas.get(source.relative), 10**8)


def block_texts(cleaned: Cleaned | Document, kind: str | None = None) -> list[str]:
    return [cleaned.text[b.start : b.end] for b in cleaned.blocks if kind is None or b.kind == kind]


def table_rows(doc: Document) -> list[tuple[Row, Table]]:
    """Every body row of the document's tables, with its table."""
    return [(row, table) for _, table in doc.tables() for row in table.rows]


def header_of(doc: Document, table: Table) -> str:
    return "\n".join(doc.span(row) for row in table.header)


# --- words and lines ------------------------------------------------------------------------

ABSTRACT = """ Pro-Iranian militias in Iraq—excluding Badr—have swol-
len from as few as 4,000 personnel in 2010 to over 60,000 
in 2014 when they plugged into government funding 
through the Popular Mobilization Forces raised to fight the 
Islamic State. Large, new pro-Iran militias such as Kata’ib 
Al-Imam Ali deserve more attention from the analyst com-
munity, as do new Kata’ib Hezbollah leaders such as Abu 
Zaynab al-Lami, who are emerging as challengers to the 
movement’s leader Abu Mahdi al-Muhandis.
"""


def test_hyphenation_across_lines_is_undone_but_real_compounds_stay() -> None:
    text = clean_plain(ABSTRACT).text
    assert "have swollen from" in text
    assert "analyst community" in text
    assert "Pro-Iranian militias" in text  # a real compound, kept
    assert "pro-Iran militias" in text
    assert "-\n" not in text


def test_wrapped_lines_become_one_paragraph() -> None:
    cleaned = clean_plain(ABSTRACT)
    assert block_texts(cleaned) == [cleaned.text]
    assert "\n" not in cleaned.text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("The 2011-2014 period of the Special Groups is important.", "The 2011-2014 period"),
        ("militias, including Kata’ib Al-\nImam Ali, which grew.", "Kata’ib Al-Imam Ali"),
        ("led by U.S.-designated terrorist Abu Mahdi al-Mu-\nhandis, who is also sought.", "Abu Mahdi al-Muhandis,"),
        ("Prime Minister Nouri al-Maliki (self-\ndefense units) met them.", "(self-defense units)"),
        ("PMF—forming its core, in fact—\nare older militias.", "in fact—are older"),
    ],
)
def test_line_end_joins(raw: str, expected: str) -> None:
    assert expected in clean_plain(raw).text


def test_hyphenated_word_split_by_a_column_break_is_rejoined() -> None:
    raw = (
        "Forces (PMF, Hashd al-Sha’abi in Arabic), raised in \n2014 by a combination of executive orders and reli-\n\n"
        "gious fatwa, is merely the latest example of this trend.\n"
    )
    assert "executive orders and religious fatwa, is merely" in clean_plain(raw).text


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("T he Iraqi state has drawn upon reserve forces.", "The Iraqi state"), ("S and SE Asia\n", "S and SE Asia")],
)
def test_drop_caps(raw: str, expected: str) -> None:
    assert clean_plain(raw).text.startswith(expected)


# --- furniture ------------------------------------------------------------------------------

PAGE_BREAK = """Badr’s Stronghold in Southern Diyala
The fifth major AO for PMF forces covers essentially all the ar-
eas east of the Tigris River in Diyala, the Jallam desert east of Sa-

KNIGHTS



AUGUST 2019      C TC SENTINEL      5

marra and Tuz Khurmatu district, and Kirkuk. Much of this area 
has historically been the preserve of the Badr organization.
"""


def test_running_header_and_author_line_are_dropped_and_the_sentence_rejoined() -> None:
    cleaned = clean_plain(PAGE_BREAK, running=["Knights"])
    assert "KNIGHTS" not in cleaned.text
    assert "SENTINEL" not in cleaned.text
    assert "the Jallam desert east of Samarra and Tuz Khurmatu district" in cleaned.text


def test_page_numbers_of_the_ctc_issue_are_inferred_from_its_header() -> None:
    doc = seed("ctc-sentinel-2019-08")
    pages = {b.page for b in doc.blocks if b.page is not None}
    assert min(pages) == 1 and max(pages) >= 30
    samarra = next(b for b in doc.blocks if "Tuz Khurmatu district" in doc.text[b.start : b.end])
    assert samarra.page == 4  # the paragraph starts on page 4 and runs over the page-5 header
    diyala = next(b for b in doc.blocks if doc.text[b.start : b.end].startswith("The PMF Diyala Operations Command"))
    assert diyala.page == 5
    assert doc.info.page_count == max(pages)  # the last page the text reaches


def test_soufan_footer_gives_its_page_and_its_number_leaves_the_text() -> None:
    doc = seed("soufan-beyond-the-caliphate")
    assert "BEYOND THE CALIPHATE" not in doc.text
    threat = next(b for b in doc.blocks if doc.text[b.start : b.end].startswith("At least initially"))
    assert threat.page == 14
    assert threat.section == "THE THREAT"
    assert not re.search(r"\n14\n", doc.text)


def test_web_chrome_is_dropped() -> None:
    nato = seed("mironova-can-isis-regroup").text
    assert "Follow us on" not in nato
    assert "Nato Home page" not in nato
    assert "Related articles" not in nato
    assert "What is published in NATO Review" in nato  # content, not chrome
    talkleft = seed("talkleft-where-will-isis-fighters-go").text
    assert "Ex-Spy Comes In From the Cold" not in talkleft
    assert "Display: Sort" not in talkleft
    assert "up to 503 US forces in Syria" in talkleft  # reader comments stay searchable
    vidino = seed("vidino-is-foreign-fighters").text
    assert "viagrapascherfr" not in vidino
    assert "Great article with insight" not in vidino


def test_end_of_article_mark_is_dropped() -> None:
    text = seed("ctc-sentinel-2019-08").text
    assert "analysts.     CTC" not in text
    assert not re.search(r"\bCTC\s*$", text)


# --- footnotes ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "expected",
    [
        "led by U.S.-designated terrorist Abu Mahdi al-Muhandis,[4] who is also sought",
        "Kuwaiti authorities.[5]",
        "for a total of 10,000.[20]",  # the number keeps its value
        "Sayyid al-Shuhada, PMF brigade 14[112])",  # brigade 14, note 112
        "The states of Táchira, Zulia, and Apure[91]",
        "(not including 18,000-22,000 Badr troops[h])",
        "63,000 registered personnel.[i] According",
        "In 2011, KH was assessed to have 400 active members in Iraq,[19] while today",
    ],
)
def test_note_markers_glued_to_words_and_numbers_are_set_apart(expected: str) -> None:
    assert expected in seed("ctc-sentinel-2019-08").text


@pytest.mark.parametrize(
    "expected",
    [
        "in June 2014.[7] Although",
        "Of the 129[123] who have left the United States, 7 have returned",
        "from more than 110 countries[6] both before",
        "Tunisia [97] 2,926 -/4,605 [98] >800 [99] 12/2016",
        "Indonesia [53] ~600 435/-[54] 384 [55] <50 [56] 03/2017",
        "Belgium[176] ~528 ~85 ~118[177]",
    ],
)
def test_soufan_markers_follow_the_note_sequence(expected: str) -> None:
    assert expected in seed("soufan-beyond-the-caliphate").text


@pytest.mark.parametrize(
    "unchanged",
    [
        "analysts from about 16 different government departments",
        "Israel [57] 60 <10 08/2017",  # 60 is a value: the run expects 58
        "Norway 90 [79] 40 [80] >30 [81] 09/2016",
        "Iran’s",  # a possessive, not note s
    ],
)
def test_numbers_and_words_that_are_not_markers_stay(unchanged: str) -> None:
    text = seed("ctc-sentinel-2019-08").text + seed("soufan-beyond-the-caliphate").text
    assert unchanged in text


def test_note_bodies_are_kept_searchable_and_marked_as_notes() -> None:
    doc = seed("ctc-sentinel-2019-08")
    notes: dict[str | None, str] = {}
    for block in doc.blocks:
        if block.kind is BlockKind.NOTE:  # labels restart with each article: keep the first article's
            notes.setdefault(block.label, doc.text[block.start : block.end])
    assert notes["h"].startswith("Badr has around 18,000 to 22,000 troops registered within the PMF")
    assert (
        notes["b"]
        == "Article 9 of the Iraqi Constitution states that all armed forces are commanded by the Prime Minister."
    )
    body = block_texts(doc, "paragraph")
    assert not any(text.startswith("Badr has around 18,000") for text in body)


def test_a_paragraph_cut_by_a_footnote_is_rejoined() -> None:
    text = seed("ctc-sentinel-2019-08").text
    assert "Unlike previous militias that were tolerated and controlled by the state, the Special Groups" in text


# --- tables ---------------------------------------------------------------------------------


def test_soufan_country_table_rows_keep_their_header() -> None:
    doc = seed("soufan-beyond-the-caliphate")
    rows = table_rows(doc)
    _, table = next((r, t) for r, t in rows if r.text.startswith("Tunisia [97]"))
    assert header_of(doc, table) == "COUNTRY [18] FFs [19] SENTBACK/STOP LISTED IN TURKEY[20] REMAIN RETURNED DATE"
    assert table.caption and table.caption.text.startswith("Table: Foreign Fighters who have (i) gone to Syria")
    _, other = next((r, t) for r, t in rows if r.text.startswith("Afghanistan"))
    assert other.number == table.number  # one table across the page break
    headers = {row.start: row.text for _, t in doc.tables() for row in t.header}
    assert sum(1 for h in headers.values() if h.startswith("COUNTRY [18]")) == 1  # the repeat is not repeated
    assert sum(1 for line in doc.text.split("\n") if line.startswith("COUNTRY [18]")) == 1
    assert len([r for r, t in rows if t.number == table.number]) == 53


def test_kosovo_table_rows_take_their_labels_and_header() -> None:
    doc = seed("ctc-sentinel-2019-08")
    rows = {row.text: table for row, table in table_rows(doc)}
    assert list(rows) == [
        "Total travelers 256 52 47 355",
        "Children born in Syria N/A N/A 76 76",
        "Killed 92 6 1 99",
        "Still in Syria 40 8 42 90",
        "Returned home 124 38 80 242",
        "Involved in domestic terror plots 5 0 0 5",
        "Successfully prosecuted 85 0 0 85",
    ]
    assert {header_of(doc, table) for table in rows.values()} == {"Men Women Children Total"}


def test_dayton_glossary_and_table_stay_line_by_line() -> None:
    doc = seed("ctc-sentinel-2019-08")
    items = block_texts(doc, "list_item")
    assert "ELN Ejército de Liberación Nacional (National Liberation Army)" in items
    assert "Border Security Colectivo" in items
    assert "The states of Táchira, Zulia, and Apure[91]" in items


# --- offsets --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "doc_id",
    [
        "ctc-sentinel-2019-08",
        "mironova-can-isis-regroup",
        "vidino-is-foreign-fighters",
        "soufan-beyond-the-caliphate",
        "talkleft-where-will-isis-fighters-go",
    ],
)
def test_blocks_map_back_into_the_cleaned_text(doc_id: str) -> None:
    doc = seed(doc_id)
    previous_end = 0
    for block in doc.blocks:
        assert previous_end <= block.start < block.end <= len(doc.text)
        assert doc.text[block.start : block.end].strip() == doc.text[block.start : block.end]
        previous_end = block.end
    between = [doc.text[a.end : b.start] for a, b in zip(doc.blocks, doc.blocks[1:], strict=False)]
    assert all(gap in ("\n", "\n\n") for gap in between)
