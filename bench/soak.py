"""Soak: sixty seconds at eight concurrent clients mixing search and ask on loopback. Passes with
zero errors and resident memory flat within 10% (the last sample against the first one taken
after warm-up). Not part of the default test run.

usage: python bench/soak.py [--seconds 60] [--clients 8] [--index-dir index]
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from pathlib import Path

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, ROOT, median, percentile, rss_mb, save, table
from bench.serving import QUERIES, free_port, start


async def soak(base: str, pid: int, clients: int, seconds: float) -> dict[str, object]:
    errors: list[str] = []
    times: dict[str, list[float]] = {"search": [], "ask": []}
    memory: list[tuple[float, float]] = []
    started = time.perf_counter()
    deadline = started + seconds

    async def worker(offset: int) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            n = offset
            while time.perf_counter() < deadline:
                question = QUERIES[n % len(QUERIES)]
                kind = "ask" if n % 4 == 0 else "search"
                t = time.perf_counter()
                try:
                    if kind == "ask":
                        response = await client.post("/api/ask", json={"question": question})
                    else:
                        response = await client.get("/api/search", params={"q": question})
                    if response.status_code != 200:
                        errors.append(f"{kind} {response.status_code}")
                except httpx.HTTPError as error:
                    errors.append(f"{kind} {error!r}")
                times[kind].append((time.perf_counter() - t) * 1000)
                n += clients

    async def sample() -> None:
        while time.perf_counter() < deadline:
            memory.append((time.perf_counter() - started, rss_mb(pid)))
            await asyncio.sleep(2)

    await asyncio.gather(sample(), *(worker(i) for i in range(clients)))
    return {"errors": errors, "times": times, "memory": memory, "elapsed": time.perf_counter() - started}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--index-dir", default="index")
    args = parser.parse_args()
    port = free_port()
    process, _ = start(
        [PYTHON, "-m", "assistant.cli", "serve", "--port", str(port), "--index-dir", str(ROOT / args.index_dir)], port
    )
    try:
        base = f"http://127.0.0.1:{port}"
        asyncio.run(soak(base, process.pid, args.clients, 5))  # warm-up: caches, lazy imports
        result = asyncio.run(soak(base, process.pid, args.clients, args.seconds))
    finally:
        process.terminate()
        process.wait(timeout=30)
    memory = [mb for _, mb in result["memory"]]  # type: ignore[union-attr]
    growth = (memory[-1] - memory[0]) / memory[0]
    times = result["times"]  # type: ignore[assignment]
    total = sum(len(v) for v in times.values())  # type: ignore[union-attr]
    errors = result["errors"]  # type: ignore[assignment]
    rows = [
        ["requests (search / ask)", f"{len(times['search'])} / {len(times['ask'])}", ""],  # type: ignore[index]
        ["throughput (req/s)", total / result["elapsed"], ""],  # type: ignore[operator]
        ["errors", len(errors), "0"],  # type: ignore[arg-type]
        ["search p50 / p99 (ms)", f"{median(times['search']):.0f} / {percentile(times['search'], 99):.0f}", ""],  # type: ignore[index]
        ["ask p50 / p99 (ms)", f"{median(times['ask']):.0f} / {percentile(times['ask'], 99):.0f}", ""],  # type: ignore[index]
        ["RSS first / max / last (MB)", f"{memory[0]:.0f} / {max(memory):.0f} / {memory[-1]:.0f}", ""],
        ["RSS growth, last vs first", f"{growth:+.1%}", "within ±10%"],
    ]
    print(
        table(
            f"Soak: {args.seconds:.0f} s, {args.clients} clients, 3 searches to 1 ask",
            ["measure", "value", "target"],
            rows,
        )
    )
    path = save(
        "soak",
        {
            "seconds": args.seconds,
            "clients": args.clients,
            "errors": errors,
            "memory_mb": result["memory"],
            "rss_growth": growth,
            "requests": total,
        },
    )
    print(f"\nwritten {path.relative_to(ROOT)}")
    if errors or abs(growth) > 0.10:
        sys.exit(1)


if __name__ == "__main__":
    main()
