"""Ingest: a cold `assistant index` of corpus/ against the plain pipeline, run alternately in one
session (medians of several rounds), and a warm rebuild with nothing changed.

Both sides run as fresh processes, so both pay for starting Python and loading the model. The
product's one-time ONNX export of the model (once per model and machine, like installing it) is
made before the rounds and reported on its own line; the product with `ASSISTANT_BACKEND=torch`
runs in each round too, to show what the backend contributes.


usage: python bench/ingest.py [--rounds 3] [--corpus corpus]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, ROOT, median, run, save, table

EXPORT = """
import sys
from assistant.store.embedding import load_embedder
from assistant.settings import load_settings
settings = load_settings(model_cache=sys.argv[1])
load_embedder(settings, bulk=True)
load_embedder(settings)
"""


def timed(command: list[str], env: dict[str, str] | None = None) -> tuple[float, str]:
    started = time.perf_counter()
    result = run(command, env=env or {})
    return time.perf_counter() - started, result.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--corpus", default="corpus")
    args = parser.parse_args()
    corpus = str(ROOT / args.corpus)
    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    cold, plain, warm, torch = [], [], [], []
    summary = ""
    export_cache = work / "model-cache"
    os.environ["ASSISTANT_MODEL_CACHE"] = str(export_cache)  # every product run below uses it
    try:
        export_s, _ = timed([PYTHON, "-c", EXPORT, str(export_cache)])
        for n in range(args.rounds):
            index = work / f"index-{n}"
            seconds, summary = timed([PYTHON, "-m", "assistant.cli", "index", corpus, "--index-dir", str(index), "-q"])
            cold.append(seconds)
            seconds, _ = timed(
                [PYTHON, "-m", "assistant.cli", "index", corpus, "--index-dir", str(work / f"torch-{n}"), "-q"],
                env={"ASSISTANT_BACKEND": "torch"},
            )
            torch.append(seconds)
            seconds, windows = timed(
                [PYTHON, str(ROOT / "bench" / "plain_pipeline.py"), corpus, str(work / f"plain-{n}")]
            )
            plain.append(seconds)
            seconds, _ = timed([PYTHON, "-m", "assistant.cli", "index", corpus, "--index-dir", str(index), "-q"])
            warm.append(seconds)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    rows = [
        ["cold `assistant index`", median(cold), median(cold) / median(plain), "<= 0.8"],
        ["plain pipeline (baseline)", median(plain), 1.0, ""],
        ["cold `assistant index`, torch backend", median(torch), median(torch) / median(plain), ""],
        ["one-time ONNX export of the model", export_s, export_s / median(plain), "(once per machine)"],
        ["warm rebuild, nothing changed", median(warm), median(warm) / median(plain), "<= 0.1"],
    ]
    print(
        table(
            f"Ingest of {args.corpus}/ (median of {args.rounds} alternating rounds, seconds; "
            f"plain pipeline: {windows} windows; product: {summary.splitlines()[-1] if summary else ''})",
            ["run", "seconds", "ratio to plain", "target"],
            rows,
        )
    )
    path = save(
        "ingest",
        {
            "cold_s": cold,
            "plain_s": plain,
            "warm_s": warm,
            "torch_backend_s": torch,
            "export_s": export_s,
            "cold_ratio": median(cold) / median(plain),
            "warm_ratio": median(warm) / median(plain),
        },
    )
    print(f"\nwritten {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
