"""The question's word pairs found together, in the lexical side of search."""

from __future__ import annotations

from pathlib import Path

from assistant.ingest.build import build_index
from assistant.search.lexical import phrase_search
from assistant.store import IndexReader
from tests.conftest import FakeEmbedder, settings_for

NOTES = {
    "together.md": "# Taxes\n\nThe tax benefits realized in 2019 were recorded as a reduction of income tax expense.\n",
    "apart.md": (
        "# Notes\n\nThe tax department moved offices in 2019. Employee benefits were unchanged, and the "
        "savings were realized by the procurement team over the following months.\n"
    ),
    "neither.md": "# Revenue\n\nRevenue grew in every region, led by subscriptions and services.\n",
}


def test_passages_holding_the_questions_word_pairs_together_are_found(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for name, text in NOTES.items():
        (corpus / name).write_text(text, encoding="utf-8")
    settings = settings_for(corpus, tmp_path / "index", model="fake-embedder")
    build_index(settings, FakeEmbedder)
    reader = IndexReader.open(settings.index_dir)
    try:
        found = phrase_search(reader, "What were the tax benefits realized by the company?", 10)
        docs = [reader.doc_of(pos) for pos, _ in found]
        assert docs and set(docs) == {"together"}  # "apart" holds every word, none of them together
        assert phrase_search(reader, "benefits", 10) == []  # one word makes no pair
    finally:
        reader.close()
