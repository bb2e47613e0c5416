"""`make bench`: the ingest, serving and scale benchmarks, one after the other, each printing its
table and writing bench/results/<name>.json. The soak runs on its own (`make soak`)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

if __name__ == "__main__":
    subprocess.run([sys.executable, "-m", "assistant.cli", "index", "-q"], cwd=ROOT, check=True)
    benches = (("ingest.py", []), ("serving.py", []), ("pdf_tables.py", []), ("scale.py", sys.argv[1:]))
    for script, extra in benches:
        print(f"\n=== bench/{script}", flush=True)
        subprocess.run([sys.executable, str(ROOT / "bench" / script), *extra], cwd=ROOT, check=True)
