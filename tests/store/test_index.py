"""The index on disk describes itself; loading checks the description and names any mismatch."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from assistant.errors import IndexMismatch, IndexMissing
from assistant.ingest.build import PIPELINE_VERSION, build_index
from assistant.search import lexical
from assistant.search.lexical import lexical_search, term_groups
from assistant.store import FORMAT_VERSION, MANIFEST, IndexReader, current_generation
from tests.conftest import FakeEmbedder, settings_for


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.conftest import CORPUS

    index = tmp_path_factory.mktemp("index")
    build_index(settings_for(CORPUS, index, model="fake-embedder"), FakeEmbedder)
    return index


def test_manifest_records_what_the_index_was_built_with(built: Path) -> None:
    manifest = IndexReader.open(built).manifest
    assert manifest["format_version"] == FORMAT_VERSION
    assert (manifest["model"], manifest["dimension"]) == ("fake-embedder", 64)
    assert manifest["chunking"] == {
        "pipeline_version": PIPELINE_VERSION,
        "target_tokens": 160,
        "max_tokens": 254,
        "max_chars": 1200,
        "window_tokens": 32,
    }
    assert len(manifest["corpus_hash"]) == 64 and manifest["documents"] == 5
    assert manifest["faiss_index"] == "flat"


def test_a_model_mismatch_is_named(built: Path) -> None:
    reader = IndexReader.open(built)
    with pytest.raises(
        IndexMismatch, match="built with model 'fake-embedder' but ASSISTANT_MODEL is 'all-MiniLM-L6-v2'"
    ):
        reader.check_model("all-MiniLM-L6-v2", FakeEmbedder.backend, 384)
    with pytest.raises(IndexMismatch, match="64-dimension vectors but the model makes 384"):
        reader.check_model("fake-embedder", FakeEmbedder.backend, 384)
    with pytest.raises(IndexMismatch, match="built with backend 'onnx-int8' but ASSISTANT_BACKEND is 'torch'"):
        reader.check_model("fake-embedder", "torch", 64)
    reader.check_model("fake-embedder", FakeEmbedder.backend, 64)


def test_a_format_mismatch_is_named(built: Path, tmp_path: Path) -> None:
    generation = current_generation(built)
    assert generation is not None
    copy = tmp_path / "gen"
    copy.mkdir()
    for part in generation.iterdir():
        (copy / part.name).write_bytes(part.read_bytes())
    manifest = json.loads((copy / MANIFEST).read_text())
    manifest["format_version"] = 99
    (copy / MANIFEST).write_text(json.dumps(manifest))
    with pytest.raises(IndexMismatch, match=r"index format 99 .* rebuild it with `assistant index`"):
        IndexReader(copy)


def test_no_index_says_how_to_build_one(tmp_path: Path) -> None:
    with pytest.raises(IndexMissing, match="build one with `assistant index`"):
        IndexReader.open(tmp_path)


def test_document_filters_apply_to_both_sides(built: Path) -> None:
    reader = IndexReader.open(built)
    vector = FakeEmbedder().embed(["foreign fighters returned home"])[0]
    only = ["soufan-beyond-the-caliphate"]
    dense = reader.dense(vector, 20, only)
    lexical = lexical_search(reader, "foreign fighters returned home", 20, only)
    assert dense and lexical
    assert {reader.doc_of(pos) for pos, _ in dense + lexical} == set(only)
    both = ["soufan-beyond-the-caliphate", "vidino-is-foreign-fighters"]
    assert {reader.doc_of(pos) for pos, _ in reader.dense(vector, 200, both)} == set(both)
    assert reader.dense(vector, 5, ["no-such-document"]) == []


def test_words_for_the_same_place_are_one_group() -> None:
    assert term_groups("How many Moroccan jihadists remain in Syria and Iraq? And in Syria?") == [
        ["moroccan", "morocco"],
        ["jihadists"],
        ["remain"],
        ["syria", "syrian"],
        ["iraq", "iraqi"],
    ]


def test_a_place_named_in_several_words_is_also_found_by_its_other_names() -> None:
    """A question's "United Kingdom" is also "UK" and "Britain" (and its words stay terms of their own); "US" is
    no other name for the United States in a search, as "us" is a pronoun."""
    assert term_groups("How many fighters from the United Kingdom returned?") == [
        ["fighters"],
        ["united kingdom", "britain", "great britain", "uk", "british", "briton"],
        ["united"],
        ["kingdom"],
        ["returned"],
    ]
    assert "us" not in term_groups("What were the sales in the United States?")[1]


def test_a_passage_is_not_worth_more_for_naming_a_place_twice(built: Path) -> None:
    """Passages that say both "Iraqi" and "Iraq", "Syrian" and "Syria" but not Morocco must not
    outweigh the Morocco row of the Soufan table, which has the one word that sets the question apart."""
    reader = IndexReader.open(built)
    found = lexical_search(reader, "How many foreign fighters went from Morocco to Syria and Iraq?", 10)
    chunks = reader.chunks([pos for pos, _ in found])
    texts = [chunks[pos].text for pos, _ in found]
    row = next(n for n, text in enumerate(texts) if re.match(r"Morocco (\[\d+\] )?— FFs: 1,660", text))
    doubled = [n for n, text in enumerate(texts) if text.startswith(("Article 9 of the Iraqi", "Special Groups began"))]
    assert doubled and all(row < n for n in doubled)


def test_the_memo_of_word_frequencies_is_bounded(built: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every distinct query word used to stay in memory for the life of the server."""
    monkeypatch.setattr(lexical, "MAX_CACHED_TERMS", 50)
    reader = IndexReader.open(built)
    for n in range(120):
        lexical.document_frequency(reader, f"word{n}")
    assert len(reader.cache["document_frequency"]) == 50
    assert "word119" in reader.cache["document_frequency"] and "word0" not in reader.cache["document_frequency"]
    assert lexical.document_frequency(reader, "returnees") > 0


def test_the_passage_before_a_passage_is_the_prose_just_before_it_in_its_section(built: Path) -> None:
    reader = IndexReader.open(built)
    checked = 0
    for doc_id in reader.documents:
        passages = reader.document_chunks(doc_id)
        by_seq = {c.seq: c for c in passages}
        for chunk in passages:
            before = reader.preceding(chunk)
            earlier = by_seq.get(chunk.seq - 1)
            if before is None:
                assert (
                    earlier is None
                    or earlier.kind is not chunk.kind
                    or earlier.section != chunk.section
                    or earlier.end > chunk.start
                )
                continue
            checked += 1
            assert before == earlier
            assert before.kind is chunk.kind and before.section == chunk.section
            assert before.end <= chunk.start
    assert checked > 20
