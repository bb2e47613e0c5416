"""Serving: start-up time, latency at one client, throughput at eight, resident memory.

The product server (`assistant serve`) and a baseline server are measured in the same run, the
same way: the baseline is the plain service a user would write first (load the model and the
FAISS vectors, embed the query, return the top passages: no lexical side, no fusion, no
de-duplication), on the same index. Load comes from an async Python client (httpx) on loopback.

usage: python bench/serving.py [--index-dir index] [--seconds 20] [--requests 200]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PYTHON, ROOT, median, percentile, rss_mb, save, table

QUERIES = [line.strip() for line in (ROOT / "bench" / "queries.txt").read_text().splitlines() if line.strip()]


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start(command: list[str], port: int) -> tuple[subprocess.Popen[bytes], float]:
    """Start a server; return it and the seconds until /api/health answered 200."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=1) as response:
                if response.status == 200:
                    return process, time.perf_counter() - started
        except OSError:
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode() if process.stderr else "server died") from None
            time.sleep(0.05)


async def sequential(base: str, path: str, method: str, count: int) -> tuple[list[float], int]:
    times, errors = [], 0
    async with httpx.AsyncClient(base_url=base, timeout=60) as client:
        for n in range(count):
            started = time.perf_counter()
            response = await _call(client, path, method, QUERIES[n % len(QUERIES)])
            times.append((time.perf_counter() - started) * 1000)
            errors += response.status_code != 200
    return times, errors


async def concurrent(base: str, path: str, method: str, clients: int, seconds: float) -> dict[str, Any]:
    times: list[float] = []
    errors = 0
    deadline = time.perf_counter() + seconds

    async def worker(offset: int) -> None:
        nonlocal errors
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            n = offset
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                response = await _call(client, path, method, QUERIES[n % len(QUERIES)])
                times.append((time.perf_counter() - started) * 1000)
                errors += response.status_code != 200
                n += clients

    started = time.perf_counter()
    await asyncio.gather(*(worker(i) for i in range(clients)))
    elapsed = time.perf_counter() - started
    return {
        "requests": len(times),
        "errors": errors,
        "rps": len(times) / elapsed,
        "p50_ms": median(times),
        "p95_ms": percentile(times, 95),
        "p99_ms": percentile(times, 99),
    }


async def _call(client: httpx.AsyncClient, path: str, method: str, question: str) -> httpx.Response:
    if method == "POST":
        return await client.post(path, json={"question": question})
    return await client.get(path, params={"q": question, "k": 10})


def ready_time(command: list[str], port: int, starts: int) -> float:
    """Median seconds from launch until /api/health answers, over fresh starts."""
    times = []
    for _ in range(starts):
        process, seconds = start(command, port)
        process.terminate()
        process.wait(timeout=30)
        times.append(seconds)
    return median(times)


def measure(name: str, command: list[str], port: int, args: argparse.Namespace, ask: bool) -> dict[str, Any]:
    ready = ready_time(command, port, args.starts)
    process, _ = start(command, port)
    base = f"http://127.0.0.1:{port}"
    try:
        asyncio.run(sequential(base, "/api/search", "GET", 20))  # warm up
        search_times, search_errors = asyncio.run(sequential(base, "/api/search", "GET", args.requests))
        result: dict[str, Any] = {
            "ready_s": ready,
            "search_1_client": {
                "p50_ms": median(search_times),
                "p95_ms": percentile(search_times, 95),
                "p99_ms": percentile(search_times, 99),
                "errors": search_errors,
            },
            "search_8_clients": asyncio.run(concurrent(base, "/api/search", "GET", 8, args.seconds)),
        }
        if ask:
            ask_times, ask_errors = asyncio.run(sequential(base, "/api/ask", "POST", args.requests // 4))
            result["ask_1_client"] = {
                "p50_ms": median(ask_times),
                "p95_ms": percentile(ask_times, 95),
                "p99_ms": percentile(ask_times, 99),
                "errors": ask_errors,
            }
            result["ask_8_clients"] = asyncio.run(concurrent(base, "/api/ask", "POST", 8, args.seconds))
        result["rss_mb"] = rss_mb(process.pid)
        return result
    finally:
        process.terminate()
        process.wait(timeout=30)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--index-dir", default="index")
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--starts", type=int, default=3, help="fresh starts to time readiness over")
    args = parser.parse_args()
    index = str(ROOT / args.index_dir)
    product_port, baseline_port = free_port(), free_port()
    baseline = measure(
        "baseline",
        [PYTHON, str(ROOT / "bench" / "baseline_server.py"), "--port", str(baseline_port), "--index-dir", index],
        baseline_port,
        args,
        ask=False,
    )
    product = measure(
        "product",
        [PYTHON, "-m", "assistant.cli", "serve", "--port", str(product_port), "--index-dir", index],
        product_port,
        args,
        ask=True,
    )
    p, b = product, baseline
    rows = [
        ["server ready (s, median of starts)", p["ready_s"], b["ready_s"], p["ready_s"] / b["ready_s"], "<= 8 s"],
        [
            "search p50, 1 client (ms)",
            p["search_1_client"]["p50_ms"],
            b["search_1_client"]["p50_ms"],
            p["search_1_client"]["p50_ms"] / b["search_1_client"]["p50_ms"],
            "<= 20 ms",
        ],
        [
            "search p95, 1 client (ms)",
            p["search_1_client"]["p95_ms"],
            b["search_1_client"]["p95_ms"],
            p["search_1_client"]["p95_ms"] / b["search_1_client"]["p95_ms"],
            "",
        ],
        [
            "search p99, 1 client (ms)",
            p["search_1_client"]["p99_ms"],
            b["search_1_client"]["p99_ms"],
            p["search_1_client"]["p99_ms"] / b["search_1_client"]["p99_ms"],
            "",
        ],
        [
            "search req/s, 8 clients",
            p["search_8_clients"]["rps"],
            b["search_8_clients"]["rps"],
            p["search_8_clients"]["rps"] / b["search_8_clients"]["rps"],
            ">= 80",
        ],
        ["search errors, 8 clients", p["search_8_clients"]["errors"], b["search_8_clients"]["errors"], "", "0"],
        [
            "ask p50 / p95 / p99, 1 client (ms)",
            " / ".join(f"{p['ask_1_client'][f'p{q}_ms']:.0f}" for q in (50, 95, 99)),
            "",
            "",
            "",
        ],
        ["ask req/s, 8 clients", p["ask_8_clients"]["rps"], "", "", ""],
        ["resident memory (MB)", p["rss_mb"], b["rss_mb"], p["rss_mb"] / b["rss_mb"], ""],
    ]
    print(
        table(
            "Serving (product vs the plain dense-search baseline, same index, same run)",
            ["measure", "product", "baseline", "ratio", "target"],
            rows,
        )
    )
    path = save("serving", {"product": product, "baseline": baseline})
    print(f"\nwritten {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
