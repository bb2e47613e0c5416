"""The one tokenizer and stemmer: what matches what, and that the lexical index agrees."""

from __future__ import annotations

import sqlite3

import pytest

from assistant.store.chunkstore import FTS_TOKENIZER
from assistant.text.words import fold, initials, matches, stem, stemmed, stems, words


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("returned", "returning"),
        ("countries", "country"),
        ("Revenues", "revenue"),
        ("Bogotá", "bogota"),
        ("impairments", "impairment"),
    ],
)
def test_inflections_share_a_stem(one: str, other: str) -> None:
    assert stem(one) == stem(other)


@pytest.mark.parametrize(("one", "other"), [("return", "retire"), ("fighters", "fight"), ("net", "nets.com")])
def test_different_words_keep_different_stems(one: str, other: str) -> None:
    assert stem(one) != stem(other)


def test_words_are_runs_of_letters_and_digits() -> None:
    assert words("Net sales (in $ millions): 1,496.5 — FY2019") == [
        "net",
        "sales",
        "in",
        "millions",
        "1",
        "496",
        "5",
        "fy2019",
    ]
    assert fold("Ærø Côte") == "ærø cote"


def test_a_phrase_matches_only_when_all_its_words_are_there() -> None:
    present = stems("Purchases of property, plant and equipment rose in 2019.")
    assert matches("equipment purchase", present)
    assert matches("plants", present)
    assert not matches("equipment sales", present)
    assert not matches("", present)


def test_the_lexical_index_finds_what_the_stems_say() -> None:
    """The store indexes stems and the search queries stems: a question's word form never has to
    be the document's."""
    db = sqlite3.connect(":memory:")
    db.execute(f"CREATE VIRTUAL TABLE t USING fts5(body, tokenize='{FTS_TOKENIZER}')")
    rows = ["Shipments returned by customers fell.", "The company opened 12 stores in Bogotá.", "Revenue grew."]
    db.executemany("INSERT INTO t (rowid, body) VALUES (?, ?)", [(n, stemmed(r)) for n, r in enumerate(rows)])

    def found(query: str) -> list[int]:
        return [row[0] for row in db.execute("SELECT rowid FROM t WHERE t MATCH ?", (f'"{stemmed(query)}"',))]

    assert found("shipment returning") == [0]
    assert found("returning shipment") == []  # a phrase: its words in order
    assert found("bogota") == [1]
    assert found("revenues") == [2]


def test_the_initials_of_names_are_what_their_acronyms_would_be() -> None:
    found = initials("According to the United Nations Office of the High Commissioner for Human Rights, 5,287 died.")
    assert {"un", "ohchr", "unohchr"} <= found  # particles ("of the", "for") are no initials
    assert "au" in found  # the sentence's first word is capitalised too: every run within counts
    assert initials("the committee met in march") == frozenset()
