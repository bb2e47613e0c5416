"""Soak: sixty seconds at sixteen concurrent clients on loopback, mixing what people and scripts
do (two asks, three searches, an answer page, a document part and the collection page in every
eight requests), while one more client polls /api/health ten times a second. Passes with zero
errors, resident memory flat within 10% (the last sample against the first one taken after
warm-up), and health's p99 below ask's p50: health never waits behind answers. Not part of the
default test run.

usage: python bench/soak.py [--seconds 60] [--clients 16] [--warm-up 30] [--index-dir index]
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

# What each of eight requests in turn is.
MIX = ["ask", "search", "answer page", "search", "ask", "document page", "search", "documents page"]


async def soak(base: str, pid: int, clients: int, seconds: float) -> dict[str, object]:
    errors: list[str] = []
    times: dict[str, list[float]] = {kind: [] for kind in [*dict.fromkeys(MIX), "health"]}
    memory: list[tuple[float, float]] = []
    started = time.perf_counter()
    deadline = started + seconds
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        documents = [d["doc_id"] for d in (await client.get("/api/documents")).json()]

    async def call(client: httpx.AsyncClient, kind: str, n: int) -> httpx.Response:
        question = QUERIES[n % len(QUERIES)]
        if kind == "ask":
            return await client.post("/api/ask", json={"question": question})
        if kind == "search":
            return await client.get("/api/search", params={"q": question})
        if kind == "answer page":
            return await client.get("/ask", params={"q": question})
        if kind == "document page":
            return await client.get(f"/docs/{documents[n % len(documents)]}", params={"part": 1 + n % 2})
        if kind == "documents page":
            return await client.get("/docs")
        return await client.get("/api/health")

    async def timed(client: httpx.AsyncClient, kind: str, n: int) -> None:
        t = time.perf_counter()
        try:
            response = await call(client, kind, n)
            if response.status_code != 200:
                errors.append(f"{kind} {response.status_code}")
        except httpx.HTTPError as error:
            errors.append(f"{kind} {error!r}")
        times[kind].append((time.perf_counter() - t) * 1000)

    async def worker(offset: int) -> None:
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            n = offset
            while time.perf_counter() < deadline:
                await timed(client, MIX[(n + n // clients) % len(MIX)], n)  # each client goes through the mix
                n += clients

    async def health() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            while time.perf_counter() < deadline:
                await timed(client, "health", 0)
                await asyncio.sleep(0.1)

    async def sample() -> None:
        while time.perf_counter() < deadline:
            memory.append((time.perf_counter() - started, rss_mb(pid)))
            await asyncio.sleep(2)

    await asyncio.gather(sample(), health(), *(worker(i) for i in range(clients)))
    return {"errors": errors, "times": times, "memory": memory, "elapsed": time.perf_counter() - started}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--index-dir", default="index")
    parser.add_argument("--warm-up", type=float, default=30, help="seconds of the same load before measuring")
    args = parser.parse_args()
    port = free_port()
    process, _ = start(
        [PYTHON, "-m", "assistant.cli", "serve", "--port", str(port), "--index-dir", str(ROOT / args.index_dir)], port
    )
    try:
        base = f"http://127.0.0.1:{port}"
        # warm-up: lazy imports, and the bounded caches (vectors of recent sentences, a database
        # connection per server thread) filling up to their size
        asyncio.run(soak(base, process.pid, args.clients, args.warm_up))
        result = asyncio.run(soak(base, process.pid, args.clients, args.seconds))
    finally:
        process.terminate()
        process.wait(timeout=30)
    memory = [mb for _, mb in result["memory"]]  # type: ignore[union-attr]
    growth = (memory[-1] - memory[0]) / memory[0]
    times: dict[str, list[float]] = result["times"]  # type: ignore[assignment]
    total = sum(len(v) for kind, v in times.items() if kind != "health")
    errors: list[str] = result["errors"]  # type: ignore[assignment]
    health_p99, ask_p50 = percentile(times["health"], 99), median(times["ask"])
    rows: list[list[object]] = [
        ["requests", total, ""],
        ["throughput (req/s)", total / result["elapsed"], ""],  # type: ignore[operator]
        ["errors", len(errors), "0"],
    ]
    for kind, values in times.items():
        rows.append(
            [
                f"{kind}: count, p50 / p99 (ms)",
                f"{len(values)}, {median(values):.0f} / {percentile(values, 99):.0f}",
                "",
            ]
        )
    rows += [
        ["health p99 vs ask p50 (ms)", f"{health_p99:.0f} vs {ask_p50:.0f}", "health p99 < ask p50"],
        ["RSS first / max / last (MB)", f"{memory[0]:.0f} / {max(memory):.0f} / {memory[-1]:.0f}", ""],
        ["RSS growth, last vs first", f"{growth:+.1%}", "within ±10%"],
    ]
    print(
        table(
            f"Soak: {args.seconds:.0f} s, {args.clients} clients and a health probe",
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
            "latency_ms": {
                kind: {"p50": median(v), "p99": percentile(v, 99), "count": len(v)} for kind, v in times.items()
            },
        },
    )
    print(f"\nwritten {path.relative_to(ROOT)}")
    if errors or abs(growth) > 0.10 or not health_p99 < ask_p50:
        sys.exit(1)


if __name__ == "__main__":
    main()
