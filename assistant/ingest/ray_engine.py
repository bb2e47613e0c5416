"""The build's stages on Ray Data, for folders larger than one machine reads in good time.

Each stage is a `map_batches` over one-item batches: `parse` in Ray tasks (the bytes are read here
and shipped with the job, so the workers need no shared disk), `cut` and `embed` in actor pools
that load the model once per actor. The stage functions are those of the local engine, and the
texts are grouped for the model as it groups them, so the index is the same. What comes back is
written by the build as always: atomically, after everything succeeded.

Ray is an optional extra (`pip install 'assistant[ray]'`), imported only here. With no address
set, a Ray is started on this machine on 127.0.0.1 for the build and stopped after it; with
`ASSISTANT_RAY_ADDRESS` the build joins that cluster, whose nodes need this package and the model
installed (see the README).
"""

from __future__ import annotations

import logging
import pickle
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from assistant.errors import SettingError, UnreadableFile
from assistant.settings import Settings
from assistant.store.batches import length_batches

from .chunking import ChunkingParams
from .engines import Cut, CutJob, Read, Source, cut_one, parse_one
from .readers import read_bytes

_QUIET = ("ray", "ray.data", "ray._private", "ray.util")


class RayEngine:
    def __init__(self, settings: Settings, progress: bool = False) -> None:
        try:
            import ray
            import ray.data
        except ImportError:
            raise SettingError(
                "ASSISTANT_ENGINE=ray needs Ray: pip install 'assistant[ray]' (or use the local engine)"
            ) from None
        for name in _QUIET:
            logging.getLogger(name).setLevel(logging.ERROR)
        self.settings = settings
        self._started = False
        if not ray.is_initialized():
            try:
                if settings.ray_address:
                    ray.init(address=settings.ray_address, logging_level=logging.ERROR, log_to_driver=False)
                else:
                    ray.init(
                        num_cpus=settings.workers,
                        include_dashboard=False,
                        _node_ip_address="127.0.0.1",
                        logging_level=logging.ERROR,
                        log_to_driver=False,
                    )
            except (ConnectionError, RuntimeError, ValueError) as exc:
                where = settings.ray_address or "this machine"
                raise SettingError(f"ASSISTANT_RAY_ADDRESS: cannot start or join Ray on {where} ({exc})") from None
            self._started = True
        context = ray.data.DataContext.get_current()
        context.enable_progress_bars = progress
        context.print_on_execution_start = False
        resources: dict[str, float] = ray.cluster_resources()  # type: ignore[no-untyped-call]
        cpus = int(resources.get("CPU", 1))
        self.workers = max(1, cpus if settings.ray_address else min(settings.workers, cpus))
        nodes = len([node for node in ray.nodes() if node.get("Alive")])  # type: ignore[no-untyped-call]
        self.description = (
            f"Ray at {settings.ray_address}: {cpus} CPUs on {nodes} nodes"
            if settings.ray_address
            else f"Ray on this machine (127.0.0.1): {cpus} CPUs"
        )

    def read(self, sources: Sequence[Source]) -> list[Read]:
        results: list[Read | None] = []
        jobs: list[bytes] = []
        for source in sources:
            try:
                data = read_bytes(source.file, self.settings.max_file_bytes)
            except UnreadableFile as exc:
                results.append((None, exc.message, 0.0))
                continue
            results.append(None)
            jobs.append(pickle.dumps((source.file, source.meta, data, self.settings.file_seconds)))
        parsed = iter(self._map(jobs, _parse, actors=False))
        return [result if result is not None else next(parsed) for result in results]

    def cut(self, jobs: Sequence[CutJob], params: ChunkingParams, glossary: dict[str, str]) -> list[Cut]:
        payloads = [pickle.dumps(job) for job in jobs]
        return self._map(payloads, _Cutter, actors=True, settings=self.settings, params=params, glossary=glossary)

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        batches = length_batches(texts, self.settings.batch_size)
        payloads = [pickle.dumps([texts[n] for n in batch]) for batch in batches]
        parts = self._map(payloads, _Embedder, actors=True, settings=self.settings)
        out = np.zeros((len(texts), parts[0].shape[1] if parts else 0), dtype=np.float32)
        for batch, vectors in zip(batches, parts, strict=True):
            out[batch] = vectors
        return out

    def close(self) -> None:
        if self._started:
            import ray

            ray.shutdown()
            self._started = False

    def _map(self, jobs: list[bytes], worker: Callable[..., Any] | type, *, actors: bool, **setup: Any) -> list[Any]:
        """The worker's results for each pickled job, in order."""
        if not jobs:
            return []
        import ray.data
        from ray.data import ActorPoolStrategy, TaskPoolStrategy

        dataset = ray.data.from_items(
            [{"n": n, "job": job} for n, job in enumerate(jobs)], override_num_blocks=min(len(jobs), 8 * self.workers)
        )
        if actors:
            compute: Any = ActorPoolStrategy(min_size=1, max_size=self.workers)
            mapped = dataset.map_batches(
                worker, batch_size=1, compute=compute, fn_constructor_kwargs=setup, udf_modifying_row_count=False
            )
        else:
            mapped = dataset.map_batches(
                worker, batch_size=1, compute=TaskPoolStrategy(size=self.workers), udf_modifying_row_count=False
            )
        rows = sorted(mapped.take_all(), key=lambda row: int(row["n"]))
        return [pickle.loads(row["result"]) for row in rows]


def _parse(batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    results = [pickle.dumps(parse_one(*pickle.loads(job))) for job in batch["job"]]
    return {"n": batch["n"], "result": np.array(results, dtype=object)}


class _Cutter:
    """Cuts documents into passages, counting tokens with the model's tokenizer."""

    def __init__(self, settings: Settings, params: ChunkingParams, glossary: dict[str, str]) -> None:
        from assistant.store.embedding import load_embedder

        self.count_tokens = load_embedder(settings, bulk=True).count_tokens
        self.params, self.glossary = params, glossary

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        results = [
            pickle.dumps(cut_one(pickle.loads(job), self.params, self.count_tokens, self.glossary))
            for job in batch["job"]
        ]
        return {"n": batch["n"], "result": np.array(results, dtype=object)}


class _Embedder:
    """Embeds batches of texts as they were grouped on the driver."""

    def __init__(self, settings: Settings) -> None:
        from assistant.store.embedding import load_embedder

        self.embedder = load_embedder(settings, bulk=True)

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        results = [pickle.dumps(self.embedder.embed(pickle.loads(job))) for job in batch["job"]]
        return {"n": batch["n"], "result": np.array(results, dtype=object)}
