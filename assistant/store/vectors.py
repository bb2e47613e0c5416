"""The vectors: a FAISS index over L2-normalised embeddings, searched by inner product, and the
passage each vector belongs to (its own vector, or one of its sentence windows). The only
module that builds FAISS indexes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

VECTORS = "vectors.faiss"
OWNERS = "owners.npy"


# Beyond this many vectors exact search gets slow (about 20 ms at 300k on two cores) and float32
# vectors get big (1.5 GB at 1M): HNSW over 8-bit scalar-quantised vectors keeps a million
# vectors in about 650 MB, answers in about a millisecond, and recalls 0.95+ of the exact top 10.
EXACT_LIMIT = 100_000


# HNSW's breadth of search: 128 keeps recall@10 of exact search above 0.95 at a million vectors
# (bench/scale.py measures 64, 128 and 256) for well under a millisecond per query.
EF_SEARCH = 128


def choose_index_type(setting: str, count: int) -> str:
    """The FAISS index for a collection of `count` vectors under the `faiss_index` setting."""
    if setting != "auto":
        return setting
    return "flat" if count < EXACT_LIMIT else "hnsw-sq8"


def write_vectors(folder: Path, vectors: np.ndarray, owners: np.ndarray, index_type: str) -> None:
    import faiss

    faiss.write_index(build_faiss(vectors, index_type), str(folder / VECTORS))
    with open(folder / OWNERS, "wb") as handle:
        np.save(handle, owners.astype(np.int64))


def build_faiss(vectors: np.ndarray, index_type: str, *, hnsw_m: int = 32, ef_search: int = EF_SEARCH) -> Any:
    """A FAISS index over L2-normalised vectors, searched by inner product."""
    import faiss

    dimension = vectors.shape[1]
    index: Any
    if index_type == "flat":
        index = faiss.IndexFlatIP(dimension)
    elif index_type in {"hnsw", "hnsw-sq8"}:
        if index_type == "hnsw":
            index = faiss.IndexHNSWFlat(dimension, hnsw_m, faiss.METRIC_INNER_PRODUCT)
        else:
            eight_bit: Any = faiss.ScalarQuantizer.QT_8bit  # the stubs type the enum as the class
            index = faiss.IndexHNSWSQ(dimension, eight_bit, hnsw_m, faiss.METRIC_INNER_PRODUCT)
            index.train(_sample(vectors, 200_000))
        index.hnsw.efConstruction = 80
        index.hnsw.efSearch = ef_search
    elif index_type == "ivf-sq8":
        lists = max(1, min(16_384, int(4 * np.sqrt(max(1, len(vectors))))))
        quantizer = faiss.IndexFlatIP(dimension)
        index = faiss.IndexIVFScalarQuantizer(
            quantizer, dimension, lists, faiss.ScalarQuantizer.QT_8bit, faiss.METRIC_INNER_PRODUCT
        )
        index.train(_sample(vectors, max(lists * 40, 10_000)))
        index.nprobe = max(1, lists // 32)
    else:
        raise ValueError(f"unknown FAISS index type {index_type!r}")
    if len(vectors):
        index.add(vectors)
    return index


def _sample(vectors: np.ndarray, size: int) -> np.ndarray:
    if len(vectors) <= size:
        return vectors
    return vectors[np.random.default_rng(0).choice(len(vectors), size, replace=False)]


def single_query_mode() -> None:
    """One thread per FAISS search: a server answers one query per request, from several request
    threads at once, and OpenMP's own threads only fight them for the cores (on two busy cores a
    flat search over 50,000 vectors took 36 ms with two threads and 3 ms with one)."""
    import faiss

    faiss.omp_set_num_threads(1)
