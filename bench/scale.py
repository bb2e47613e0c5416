"""Scale: a million 384-dimension vectors, searched with the index the product picks at that size.

The vectors are synthetic (embedding a million texts is not the point): a mixture of Gaussian
clusters around real passage vectors of the default collection when an index exists (else around
random centres), normalised like real embeddings, which are clustered rather than uniform on the
sphere. Exact search (IndexFlatIP) is the baseline measured in the same run: recall@10 of each
candidate is measured against it, and latencies are reported beside it.

usage: python bench/scale.py [--vectors 1000000] [--queries 200] [--types hnsw-sq8,ivf-sq8]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.store.vectors import EF_SEARCH, build_faiss, choose_index_type
from bench.common import ROOT, median, percentile, rss_mb, save, table

DIMENSION = 384
HNSW_EF = (64, EF_SEARCH, 256)


def synthetic(count: int, rng: np.random.Generator) -> np.ndarray:
    centres = _real_centres()
    if centres is None:
        centres = rng.standard_normal((2000, DIMENSION)).astype(np.float32)
        centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    out = np.empty((count, DIMENSION), dtype=np.float32)
    for start in range(0, count, 100_000):
        size = min(100_000, count - start)
        picks = centres[rng.integers(0, len(centres), size)]
        block = picks + rng.standard_normal((size, DIMENSION)).astype(np.float32) * 0.04
        out[start : start + size] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def _real_centres() -> np.ndarray | None:
    try:
        from assistant.store import IndexReader

        reader = IndexReader.open(ROOT / "index")
    except Exception:
        return None
    return np.stack([reader.vectors.reconstruct(i) for i in range(reader.vectors.ntotal)])


def latencies(index: object, queries: np.ndarray, k: int = 10) -> tuple[list[float], np.ndarray]:
    times, found = [], []
    for query in queries:
        started = time.perf_counter()
        _, ids = index.search(query.reshape(1, -1), k)  # type: ignore[attr-defined]
        times.append((time.perf_counter() - started) * 1000)
        found.append(ids[0])
    return times, np.stack(found)


def recall(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(f) & set(t)) / len(t) for f, t in zip(found, truth, strict=True)]))


def index_bytes(index: object) -> int:
    import faiss

    return int(faiss.serialize_index(index).nbytes)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--vectors", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument(
        "--types", default=None, help="comma-separated index types (default: what auto picks, and ivf-sq8)"
    )
    args = parser.parse_args()
    import faiss

    rng = np.random.default_rng(7)
    started = time.perf_counter()
    vectors = synthetic(args.vectors, rng)
    queries = synthetic(args.queries, np.random.default_rng(11))
    generated = time.perf_counter() - started
    chosen = choose_index_type("auto", args.vectors)
    kinds = args.types.split(",") if args.types else list(dict.fromkeys([chosen, "ivf-sq8"]))

    rows, results = [], {}
    base_rss = rss_mb(_pid())
    started = time.perf_counter()
    exact = faiss.IndexFlatIP(DIMENSION)
    exact.add(vectors)
    exact_build = time.perf_counter() - started
    exact_times, truth = latencies(exact, queries)
    exact_p50 = median(exact_times)
    results["flat"] = {
        "build_s": exact_build,
        "bytes": index_bytes(exact),
        "p50_ms": exact_p50,
        "p95_ms": percentile(exact_times, 95),
        "recall@10": 1.0,
    }
    rows.append(
        ["flat (baseline)", exact_build, index_bytes(exact) / 1e6, exact_p50, percentile(exact_times, 95), 1.0, 1.0]
    )
    del exact
    for kind in kinds:
        started = time.perf_counter()
        index = build_faiss(vectors, kind)
        build = time.perf_counter() - started
        size = index_bytes(index)
        # HNSW's search breadth trades recall for time: the product's setting and its neighbours.
        settings = [(f" (efSearch {ef})" + (", product" if ef == EF_SEARCH else ""), ef) for ef in HNSW_EF]
        for suffix, ef in settings if kind.startswith("hnsw") else [("", 0)]:
            if ef:
                index.hnsw.efSearch = ef
            times, found = latencies(index, queries)
            results[kind + suffix] = {
                "build_s": build,
                "bytes": size,
                "p50_ms": median(times),
                "p95_ms": percentile(times, 95),
                "recall@10": recall(found, truth),
                "p50_vs_flat": median(times) / exact_p50,
            }
            rows.append(
                [
                    kind + suffix,
                    build,
                    size / 1e6,
                    median(times),
                    percentile(times, 95),
                    recall(found, truth),
                    median(times) / exact_p50,
                ]
            )
        del index
    print(
        table(
            f"Scale: {args.vectors:,} vectors of {DIMENSION} dimensions, {args.queries} queries, top 10 "
            f"(auto picks {chosen!r}; generated in {generated:.0f} s; process RSS before indexes {base_rss:.0f} MB)",
            ["index", "build s", "size MB", "p50 ms", "p95 ms", "recall@10", "p50 / flat"],
            rows,
        )
    )
    path = save("scale", {"vectors": args.vectors, "queries": args.queries, "auto_choice": chosen, "results": results})
    print(f"\nwritten {path.relative_to(ROOT)}")


def _pid() -> int:
    import os

    return os.getpid()


if __name__ == "__main__":
    main()
