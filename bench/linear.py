"""Reading and chunking time against file size, for the shapes that once made a build quadratic:
one paragraph as a whole file, many numbered notes, line after line of unpunctuated text. Seconds
are CPU seconds of reading plus chunking with the model's real tokenizer; linear means the
seconds per MB stay flat as the file grows (tests/ingest/test_linear.py asserts the same on
counted work). `--full` adds the 19 MB size of the issue that found it.

usage: python bench/linear.py [--full]
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from assistant.ingest.chunking import chunk_document
from assistant.ingest.discover import SourceFile
from assistant.ingest.readers import read_document
from assistant.model import Meta
from assistant.settings import load_settings
from assistant.store.embedding import load_embedder
from bench.common import save, table
from tests.ingest.test_linear import PARAMS, many_notes, one_paragraph, short_lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="also a 19 MB file of each shape")
    args = parser.parse_args()
    sizes = [100_000, 400_000, 1_600_000] + ([19_000_000] if args.full else [])
    count_tokens = load_embedder(load_settings(), bulk=True).count_tokens
    rows, results = [], []
    with tempfile.TemporaryDirectory() as folder:
        for make in (one_paragraph, many_notes, short_lines):
            for size in sizes:
                path = Path(folder) / f"{make.__name__}.txt"
                path.write_text(make(size, random.Random(size)), encoding="utf-8")
                started = time.process_time()
                document = read_document(SourceFile(path, path.name, path.stem, "text"), Meta(), 10**9)
                chunks = chunk_document(document, PARAMS, count_tokens)
                seconds = time.process_time() - started
                mb = path.stat().st_size / 1e6
                rows.append((make.__name__, f"{mb:.1f}", seconds, seconds / mb, len(chunks)))
                results.append({"shape": make.__name__, "mb": mb, "seconds": seconds, "passages": len(chunks)})
                print(rows[-1], flush=True)
    print(table("Reading and chunking (CPU seconds)", ["shape", "MB", "seconds", "s per MB", "passages"], rows))
    save("linear", {"results": results})


if __name__ == "__main__":
    main()
