"""Ingest: a cold `assistant index` of corpus/ against the plain pipeline, run alternately in one
session (medians of several rounds), and a warm rebuild with nothing changed.

Both sides run as fresh processes, so both pay for starting Python and loading the model.

usage: python bench/ingest.py [--rounds 3] [--corpus corpus]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, ROOT, median, run, save, table


def timed(command: list[str]) -> tuple[float, str]:
    started = time.perf_counter()
    result = run(command)
    return time.perf_counter() - started, result.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--corpus", default="corpus")
    args = parser.parse_args()
    corpus = str(ROOT / args.corpus)
    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    cold, plain, warm = [], [], []
    summary = ""
    try:
        for n in range(args.rounds):
            index = work / f"index-{n}"
            seconds, summary = timed([PYTHON, "-m", "assistant.cli", "index", corpus, "--index-dir", str(index), "-q"])
            cold.append(seconds)
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
            "cold_ratio": median(cold) / median(plain),
            "warm_ratio": median(warm) / median(plain),
        },
    )
    print(f"\nwritten {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
