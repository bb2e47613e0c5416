"""Fusion of the dense and lexical candidates, and how a table passage is shown."""

from __future__ import annotations

import pytest

from assistant.model import ChunkKind
from assistant.search.retrieval import fuse, shown_table
from assistant.search.weights import SearchWeights
from assistant.settings import Settings
from assistant.store import IndexReader


def test_dense_scores_are_rescaled_over_the_candidates_and_bm25_over_its_best() -> None:
    dense = [(1, 0.80), (2, 0.60), (3, 0.40)]
    lexical = [(2, 12.0), (4, 6.0)]
    fused = fuse(dense, lexical)
    assert fused == pytest.approx({1: 1.0, 2: 0.5 + 1.0, 3: 0.0, 4: 0.5})
    assert max(fused, key=fused.__getitem__) == 2  # strong on both sides beats best on one


def test_the_weights_say_how_much_each_side_counts() -> None:
    dense = [(1, 0.9), (2, 0.1)]
    lexical = [(2, 5.0)]
    assert max(fuse(dense, lexical, SearchWeights(dense=3.0)).items(), key=lambda item: item[1])[0] == 1
    assert max(fuse(dense, lexical, SearchWeights(lexical=3.0)).items(), key=lambda item: item[1])[0] == 2


def test_word_pairs_found_together_add_their_share_on_the_words_scale() -> None:
    dense = [(1, 0.80), (2, 0.60), (3, 0.40)]
    lexical = [(2, 12.0), (1, 6.0)]
    near = [(1, 4.0)]
    fused = fuse(dense, lexical, SearchWeights(proximity=0.5), near)
    assert fused == pytest.approx({1: 1.0 + 0.5 + 0.5 * 4.0 / 12.0, 2: 0.5 + 1.0, 3: 0.0})
    # pairs scoring above any single word are put over their own best: never more than their weight
    assert fuse(dense, lexical, SearchWeights(proximity=0.5), [(3, 24.0), (1, 12.0)]) == pytest.approx(
        {1: 1.0 + 0.5 + 0.25, 2: 0.5 + 1.0, 3: 0.5}
    )
    assert fuse(dense, lexical, SearchWeights(proximity=0.5), []) == fuse(dense, lexical)


def test_one_sided_or_empty_candidates() -> None:
    assert fuse([], []) == {}
    assert fuse([(7, 0.3)], []) == {7: 0.0}  # one dense candidate: no spread to rescale over
    assert fuse([], [(7, 2.0)]) == {7: 1.0}


def test_a_table_row_is_shown_with_its_table_or_its_neighbours(fake_settings: Settings) -> None:
    reader = IndexReader.open(fake_settings.index_dir)
    rows = [c for c in reader.chunks(range(reader.chunk_count)).values() if c.kind is ChunkKind.TABLE_ROW]
    for chunk in rows:
        shown = shown_table(reader, chunk)
        assert shown is not None and chunk.table is not None
        text, header, located = shown
        assert header == "" and len(text) <= 1200  # a table cut into cells shows each row as a line
        assert sum(row.own for row in located) == 1
        for row in located:
            assert text[row.start : row.end] == row.text
        own = next(row for row in located if row.own)
        table = reader.table(chunk.doc_id, chunk.table.block)
        assert table is not None and own.text == table.row_line(chunk.table.rows[0])
    small = next(c for c in rows if c.doc_id == "ctc-sentinel-2019-08")  # the seven rows of a small table
    assert len(shown_table(reader, small)[2]) == 7  # type: ignore[index]
    assert shown_table(reader, next(c for c in reader.chunks(range(5)).values() if c.table is None)) is None
