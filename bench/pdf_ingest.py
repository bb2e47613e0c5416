"""PDF ingest: a cold `assistant index` of the real filings in ../shared/pdfs against the plain
pipeline (bench/plain_pipeline.py: pypdfium2 text, 1,000/200-character windows, sentence-
transformers, FAISS), alternating in one session. Per page: seconds and vectors; and the peak
resident memory of each run (the largest child process, from the kernel's accounting).

With `--ray`, the same build on Ray Data as well (`--engine ray`, a Ray started on this machine,
inside a network namespace with loopback only when one can be made). Its peak RSS is the driver's
alone: Ray's own processes are not its children.

usage: python bench/pdf_ingest.py [--rounds 1] [--pdfs ../shared/pdfs] [--workers N] [--ray]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, ROOT, median, save, table


def measured(command: list[str]) -> tuple[float, float, str]:
    """Seconds, peak RSS (MB) and output of a command run as a fresh process."""
    started = time.perf_counter()
    # ru_maxrss of RUSAGE_CHILDREN is the largest of the children waited for so far; the script's
    # runs only grow it when they exceed the previous ones, so each run is measured in its own child.
    probe = (
        "import resource, subprocess, sys, json; "
        "r = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
        "sys.stderr.write(r.stderr); r.returncode and sys.exit(r.returncode); "
        "print(json.dumps([resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, r.stdout]))"
    )
    result = subprocess.run([PYTHON, "-c", probe, *command], capture_output=True, text=True, cwd=ROOT)
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr[-3000:]}")
    peak_kb, output = json.loads(result.stdout)
    return time.perf_counter() - started, peak_kb / 1024, output.strip()


def _loopback() -> list[str]:
    """A prefix that runs a command with loopback as its only network interface, where possible."""
    helper = ROOT / "tests" / "ingest" / "loopback_only.py"
    for unshare in (["unshare", "--net"], ["unshare", "--net", "--map-root-user"]):
        try:
            if subprocess.run([*unshare, PYTHON, str(helper), "true"], capture_output=True, timeout=60).returncode == 0:
                return [*unshare, PYTHON, str(helper)]
        except (OSError, subprocess.TimeoutExpired):
            continue
    return []


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--pdfs", default=str(ROOT.parent / "shared" / "pdfs"))
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--ray", action="store_true", help="also build on Ray Data (--engine ray)")
    args = parser.parse_args()
    import pypdfium2

    pdfs = sorted(Path(args.pdfs).glob("*.pdf"))
    pages = sum(len(pypdfium2.PdfDocument(path)) for path in pdfs)
    work = Path(tempfile.mkdtemp(prefix="bench-pdf-"))
    corpus = work / "pdfs"
    corpus.mkdir()
    for path in pdfs:
        shutil.copy(path, corpus / path.name)
    ours, plain, on_ray = [], [], []
    report, vectors_plain = "", 0
    try:
        for n in range(args.rounds):
            index = work / f"index-{n}"
            command = [PYTHON, "-m", "assistant.cli", "index", str(corpus), "--index-dir", str(index), "-q"]
            if args.workers:
                command += ["--workers", str(args.workers)]
            ours.append(measured(command))
            report = ours[-1][2]
            manifest = json.loads(next(index.glob("gen-*/manifest.json")).read_text())
            plain.append(
                measured([PYTHON, str(ROOT / "bench" / "plain_pipeline.py"), str(corpus), str(work / f"plain-{n}")])
            )
            vectors_plain = int(plain[-1][2].splitlines()[-1])
            if args.ray:
                command = [PYTHON, "-m", "assistant.cli", "index", str(corpus), "--index-dir", str(work / f"ray-{n}")]
                on_ray.append(measured([*_loopback(), *command, "-q", "--engine", "ray"]))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    seconds_plain = median([r[0] for r in plain])

    def row(name: str, runs: list[tuple[float, float, str]], vectors: int, passages: int) -> list[object]:
        seconds = median([r[0] for r in runs])
        peak = max(r[1] for r in runs)
        return [name, seconds, seconds / pages, vectors / pages, vectors / passages, peak, seconds / seconds_plain]

    rows = [row("cold `assistant index`", ours, manifest["vectors"], manifest["chunks"])]
    if on_ray:  # the same index, built on Ray Data
        rows.append(
            row("cold `assistant index --engine ray` (local Ray)", on_ray, manifest["vectors"], manifest["chunks"])
        )
    rows.append(row("plain pipeline", plain, vectors_plain, vectors_plain))
    header = [
        "run",
        "seconds",
        "s per page",
        "vectors per page",
        "vectors per passage",
        "peak RSS MB",
        "ratio to plain",
    ]
    print(table(f"PDF ingest of {len(pdfs)} filings, {pages} pages ({report})", header, rows))
    path = save("pdf_ingest", {"pages": pages, "files": [p.name for p in pdfs], "rows": rows})
    print(f"\nwritten {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
