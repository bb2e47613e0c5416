"""The ONNX Runtime backend: the same sentence-transformers model, exported once to ONNX and, for
bulk embedding, quantised to 8-bit weights; it runs with onnxruntime and tokenizers only.

Exporting needs torch and happens once per model and machine, into `ASSISTANT_MODEL_CACHE`
(outside the index, like the model itself); the export is checked against the torch model before
it is kept, and written atomically. Afterwards neither torch nor sentence-transformers is imported:
start-up takes a fraction of a second and batches run about twice as fast in 8-bit.

sentence-transformers' own `backend="onnx"` would be the obvious tool, but it goes through
optimum-onnx, which does not install beside transformers 5 (huggingface/optimum-onnx#114); the
export here uses torch.onnx and onnxruntime.quantization directly, and only for models made of a
transformer and a pooling layer (others run with `ASSISTANT_BACKEND=torch`).
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import logging
import os
import shutil
import tempfile
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from assistant.errors import SettingError

from .batches import length_batches
from .model_files import model_folder

EXPORT_VERSION = 1
SPEC = "spec.json"
TOKENIZER = "tokenizer.json"
FULL, QUANTISED = "model.onnx", "model-int8.onnx"
POOLINGS = {"mean", "cls", "max"}
PROBES = (
    "How many shipments were returned last year?",
    "A longer sentence, with punctuation, numbers such as 1,000 and 2013, and a rarer word: quantisation.",
    "x",
)


@dataclass(frozen=True)
class OnnxSpec:
    """What another process needs to load the same embedder."""

    folder: Path
    weights: str
    name: str
    backend: str
    batch_size: int


class OnnxEmbedder:
    """A sentence-transformers model exported to ONNX, on the CPU (on `threads` of it; None: all)."""

    def __init__(
        self, folder: Path, weights: str, *, name: str, backend: str, batch_size: int = 32, threads: int | None = None
    ) -> None:
        self.spec = OnnxSpec(folder, weights, name, backend, batch_size)
        self.name = name
        self.fingerprint: str | None = None
        self.backend = backend
        # 8-bit weights come with 8-bit activations whose scale is read off each input tensor as it
        # runs: texts batched together share one scale, so a text's vector would depend on the texts
        # it happened to be batched with (up to 0.04 apart in a component), and a document would get
        # other vectors in another collection. Run one text at a time, each on its own scale: the
        # same vectors wherever it is read, nearer the full-precision ones (mean cosine .9933 against
        # .9926 in batches of 32) and no slower (2,500 passages and windows of the FinanceBench
        # filings: 8.3 s against 9.3 s; no padding to carry).
        self.batch_size = 1 if weights == QUANTISED else batch_size
        try:
            self._load(folder, weights, threads)
        except Exception as exc:  # onnxruntime and tokenizers raise kinds of their own
            raise SettingError(
                f"ASSISTANT_MODEL_CACHE: the exported model in {folder} cannot be loaded ({exc}); "
                "delete that folder to export the model again"
            ) from None
        # chunking asks again for the texts of the document it cuts, rarely for another's
        self.count_tokens = lru_cache(maxsize=8192)(self._count_tokens)

    def _load(self, folder: Path, weights: str, threads: int | None) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        spec = json.loads((folder / SPEC).read_text(encoding="utf-8"))
        self.dimension = int(spec["dimension"])
        self.max_tokens = int(spec["max_seq_length"]) - 2
        self._pooling = str(spec["pooling"])
        self._tokenizer = Tokenizer.from_file(str(folder / TOKENIZER))
        self._tokenizer.no_padding()
        self._tokenizer.enable_truncation(max_length=int(spec["max_seq_length"]))
        self._counter = Tokenizer.from_file(str(folder / TOKENIZER))
        self._counter.no_padding()
        self._counter.no_truncation()
        options = ort.SessionOptions()
        options.log_severity_level = 3
        # A memory pattern is planned and kept for every input shape met, and texts come in as many
        # shapes as there are batch widths: with patterns, a build's memory grew with the folder
        # (embedding 20,000 texts peaked at 596 MB, 5,000 at 425 MB); without, 382 MB for both,
        # in the same time.
        options.enable_mem_pattern = False
        options.intra_op_num_threads = threads or 0
        self._session = ort.InferenceSession(str(folder / weights), options, providers=["CPUExecutionProvider"])
        self._inputs = {i.name for i in self._session.get_inputs()}

    def _count_tokens(self, text: str) -> int:
        return len(self._counter.encode(text, add_special_tokens=False).ids)

    def embed(self, texts: Sequence[str], *, progress: bool = False) -> np.ndarray:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for batch in _progress(length_batches(texts, self.batch_size), progress):
            out[batch] = self._embed_batch([texts[n] for n in batch])
        return out

    def _embed_batch(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), dtype=np.int64)
        mask = np.zeros_like(ids)
        for row, encoding in enumerate(encodings):
            ids[row, : len(encoding.ids)] = encoding.ids
            mask[row, : len(encoding.ids)] = 1
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, {k: v for k, v in feeds.items() if k in self._inputs})[0]
        vectors = _pool(hidden, mask, self._pooling)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return np.asarray(vectors / np.maximum(norms, 1e-12), dtype=np.float32)


def embed_with(spec: OnnxSpec, texts: list[str]) -> np.ndarray:
    """In a worker process: `texts` embedded by a one-thread copy of the embedder `spec` describes,
    loaded once per process."""
    return worker_embedder(spec).embed(texts)


@lru_cache(maxsize=1)
def worker_embedder(spec: OnnxSpec) -> OnnxEmbedder:
    """The embedder `spec` describes, on one thread, loaded once in a worker process."""
    return OnnxEmbedder(
        spec.folder, spec.weights, name=spec.name, backend=spec.backend, batch_size=spec.batch_size, threads=1
    )


def _pool(hidden: np.ndarray, mask: np.ndarray, pooling: str) -> np.ndarray:
    if pooling == "cls":
        return np.asarray(hidden[:, 0])
    weights = mask[..., None].astype(hidden.dtype)
    if pooling == "max":
        return np.asarray(np.where(weights > 0, hidden, -np.inf).max(axis=1))
    return np.asarray((hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1e-9))


def _progress(batches: list[list[int]], shown: bool) -> Iterator[list[int]]:
    if not shown:
        yield from batches
        return
    from tqdm import tqdm

    yield from tqdm(batches, desc="Embedding", unit="batch")


# --- the one-time export ------------------------------------------------------------------------


def exported_model(location: str, cache: Path, weights: str) -> Path:
    """The folder holding `location` exported with `weights` (FULL or QUANTISED), exporting it
    first if needed."""
    source = model_folder(location)
    folder = cache / f"{source.name}-{_fingerprint(source)}"
    if all((folder / name).exists() for name in (SPEC, FULL, weights)):
        return folder
    try:
        cache.mkdir(parents=True, exist_ok=True)
        with _locked(cache / ".lock"):
            if not ((folder / SPEC).exists() and (folder / FULL).exists()):
                shutil.rmtree(folder, ignore_errors=True)
                _export(source, folder)
            if not (folder / weights).exists():
                _quantize(folder)
    except OSError as exc:
        raise SettingError(f"ASSISTANT_MODEL_CACHE: cannot write the exported model to {cache} ({exc})") from None
    return folder


def _fingerprint(source: Path) -> str:
    """Changes when any file of the model changes, or the export itself does."""
    digest = hashlib.sha256(f"{EXPORT_VERSION}".encode())
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        stat = path.stat()
        digest.update(f"{path.relative_to(source)}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:16]


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """One export at a time per cache, across processes (a build and a server may start together)."""
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _export(source: Path, folder: Path) -> None:
    import torch
    from sentence_transformers import SentenceTransformer

    model = SentenceTransformer(str(source), device="cpu", model_kwargs={"attn_implementation": "eager"})
    transformer, pooling = _parts(model, source)
    tokenizer = model.tokenizer
    if not getattr(tokenizer, "is_fast", False):
        raise SettingError(f"ASSISTANT_BACKEND: {source.name} has no fast tokenizer; use ASSISTANT_BACKEND=torch")
    inputs = [name for name in ("input_ids", "attention_mask", "token_type_ids") if name in tokenizer.model_input_names]
    axes = {name: {0: "batch", 1: "tokens"} for name in [*inputs, "hidden"]}
    encoder = _hidden_state(transformer.auto_model, inputs)
    sample = tokenizer(list(PROBES), padding=True, return_tensors="pt")
    staging = Path(tempfile.mkdtemp(prefix=".export-", dir=folder.parent))
    try:
        with warnings.catch_warnings(), torch.no_grad():
            warnings.simplefilter("ignore")
            torch.onnx.export(
                encoder,
                tuple(sample[name] for name in inputs),
                str(staging / FULL),
                input_names=inputs,
                output_names=["hidden"],
                dynamic_axes=axes,
                opset_version=17,
                dynamo=False,
            )
        tokenizer.backend_tokenizer.save(str(staging / TOKENIZER))
        spec = {
            "export_version": EXPORT_VERSION,
            "source": str(source),
            "pooling": pooling,
            "max_seq_length": int(model.max_seq_length or 512),
            "dimension": int(model.get_embedding_dimension() or 0),
        }
        (staging / SPEC).write_text(json.dumps(spec, indent=2), encoding="utf-8")
        _check(staging, model)
        os.replace(staging, folder)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _hidden_state(auto_model: Any, inputs: list[str]) -> Any:
    """The transformer's last hidden state as a module of positional tensors, for tracing."""
    import torch

    class Hidden(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.model = auto_model

        def forward(self, *tensors: Any) -> Any:
            return self.model(**dict(zip(inputs, tensors, strict=True))).last_hidden_state

    return Hidden().eval()


def _parts(model: Any, source: Path) -> tuple[Any, str]:
    """The transformer and the pooling mode, if the model is only transformer, pooling, normalize."""
    from sentence_transformers.models import Normalize, Pooling, Transformer

    modules = list(model)
    kinds = [type(module) for module in modules]
    if (
        not kinds
        or kinds[0] is not Transformer
        or kinds[1:2] != [Pooling]
        or any(k is not Normalize for k in kinds[2:])
    ):
        raise SettingError(
            f"ASSISTANT_BACKEND: {source.name} is not a plain transformer + pooling model; use ASSISTANT_BACKEND=torch"
        )
    pooling = getattr(modules[1], "pooling_mode", None)
    if not isinstance(pooling, str) or pooling not in POOLINGS:
        raise SettingError(f"ASSISTANT_BACKEND: pooling {pooling!r} is not supported; use ASSISTANT_BACKEND=torch")
    return modules[0], pooling


def _check(folder: Path, model: Any) -> None:
    """The export must give the torch model's vectors, or it is not kept."""
    expected = model.encode(list(PROBES), normalize_embeddings=True, convert_to_numpy=True)
    got = OnnxEmbedder(folder, FULL, name="check", backend="onnx").embed(PROBES)
    if float((expected * got).sum(axis=1).min()) < 0.9999:
        raise SettingError(
            "ASSISTANT_BACKEND: the ONNX export does not reproduce the model; use ASSISTANT_BACKEND=torch"
        )


def _quantize(folder: Path) -> None:
    """8-bit weights, per channel; activations are quantised on the fly."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    staging = folder / f".{QUANTISED}.{os.getpid()}"
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)  # the quantiser logs advice about pre-processing at WARNING
    try:
        quantize_dynamic(folder / FULL, staging, weight_type=QuantType.QInt8, per_channel=True, reduce_range=False)
        os.replace(staging, folder / QUANTISED)
    finally:
        root.setLevel(level)
        staging.unlink(missing_ok=True)
