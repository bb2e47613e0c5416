"""A damaged generation is refused by name and never served: checked whole before it is published
or loaded (sizes and SHA-256 in the manifest, then the parts against each other). At start the
newest whole generation is served instead; while serving, the one being served stays. An index
built with other model files than the ones serving is refused."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

from assistant.errors import IndexDamaged, IndexMismatch
from assistant.ingest import build as ingest
from assistant.ingest.build import build_index
from assistant.server.app import create_app
from assistant.service import Assistant
from assistant.settings import Settings, load_settings
from assistant.store import MANIFEST, IndexReader, current_generation
from assistant.store.model_files import fingerprint, model_location
from tests.conftest import FakeEmbedder, settings_for


def _corpus(folder: Path, count: int = 120) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "ledger.md").write_text(f"# Ledger\n\nThe ledger lists {count} shipments returned in 2021.\n")
    (folder / "notes.txt").write_text("Warehouse notes\n\nThe north warehouse closed in March after a flood.\n")
    return folder


def _settings(tmp_path: Path) -> Settings:
    return settings_for(tmp_path / "corpus", tmp_path / "index", model="fake-embedder")


def _built(tmp_path: Path, count: int = 120) -> tuple[Settings, Path]:
    """A collection indexed once, and the generation it is served from."""
    _corpus(tmp_path / "corpus", count)
    settings = _settings(tmp_path)
    build_index(settings, FakeEmbedder)
    generation = current_generation(settings.index_dir)
    assert generation is not None
    return settings, generation


def _two_generations(tmp_path: Path) -> tuple[Settings, Path, Path]:
    """An index with an earlier generation (120 shipments) and a current one (150)."""
    settings, _ = _built(tmp_path)
    earlier = current_generation(settings.index_dir)
    _corpus(tmp_path / "corpus", 150)
    build_index(settings, FakeEmbedder)
    current = current_generation(settings.index_dir)
    assert earlier is not None and current is not None and earlier != current
    return settings, earlier, current


def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _flip(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))


def _owners_out_of_range(folder: Path) -> None:
    """A consistent-looking file whose content is wrong, with the manifest's digest updated to match."""
    owners = np.load(folder / "owners.npy")
    owners[-1] = 10_000
    np.save(folder / "owners.npy", owners)
    manifest = json.loads((folder / MANIFEST).read_text())
    import hashlib

    manifest["files"]["owners.npy"] = {
        "bytes": (folder / "owners.npy").stat().st_size,
        "sha256": hashlib.sha256((folder / "owners.npy").read_bytes()).hexdigest(),
    }
    (folder / MANIFEST).write_text(json.dumps(manifest))


DAMAGE: dict[str, tuple[Callable[[Path], None], str]] = {
    "owners.npy truncated": (lambda g: _truncate(g / "owners.npy"), "owners.npy has"),
    "vectors.faiss truncated": (lambda g: _truncate(g / "vectors.faiss"), "vectors.faiss has"),
    "store.sqlite altered": (lambda g: _flip(g / "store.sqlite"), "store.sqlite is not the file that was written"),
    "vectors.faiss missing": (lambda g: (g / "vectors.faiss").unlink(), "vectors.faiss cannot be read"),
    "manifest not JSON": (lambda g: (g / MANIFEST).write_text("{not json"), "manifest.json cannot be read"),
    "manifest without files": (
        lambda g: (g / MANIFEST).write_text(json.dumps({**json.loads((g / MANIFEST).read_text()), "files": {}})),
        "lists no files to check",
    ),
    "owners beyond the passages": (_owners_out_of_range, "vectors that belong to no passage"),
}


@pytest.mark.parametrize("damage", list(DAMAGE), ids=list(DAMAGE))
def test_a_damaged_generation_is_refused_naming_the_file(damage: str, tmp_path: Path) -> None:
    _, generation = _built(tmp_path)
    harm, says = DAMAGE[damage]
    harm(generation)
    with pytest.raises(IndexDamaged, match=says):
        IndexReader(generation)


def test_at_start_a_damaged_current_generation_gives_way_to_the_earlier_one(tmp_path: Path) -> None:
    settings, earlier, current = _two_generations(tmp_path)
    _truncate(current / "owners.npy")
    with TestClient(create_app(settings, Assistant.load(settings, FakeEmbedder()))) as client:
        health = client.get("/api/health").json()
        assert health["generation"] == earlier.name
        assert health["warning"].startswith(
            f"serving the earlier generation {earlier.name}: the current one is damaged"
        )
        assert "owners.npy" in health["warning"]
        found = client.get("/api/search", params={"q": "shipments returned"})
        assert found.status_code == 200, found.text
        hits = found.json()["results"]
        assert "120 shipments" in hits[0]["text"]


def test_a_damaged_generation_published_while_serving_is_not_switched_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It used to fail about one request a second (health included) and be re-read each time."""
    settings, served = _built(tmp_path)
    loads: list[Path] = []
    real_init = IndexReader.__init__

    def counted(self: IndexReader, folder: Path) -> None:
        loads.append(folder)
        real_init(self, folder)

    with TestClient(create_app(settings, Assistant.load(settings, FakeEmbedder()))) as client:
        _corpus(tmp_path / "corpus", 150)
        # damaged after the build checked it, just before it is published (as a disk might)
        build_index(
            settings,
            FakeEmbedder,
            before_publish=lambda: _truncate(next(settings.index_dir.glob(".build-*")) / "owners.npy"),
        )
        monkeypatch.setattr(IndexReader, "__init__", counted)
        monkeypatch.setattr("assistant.service.RELOAD_CHECK_SECONDS", 0.0)
        statuses = []
        for _ in range(20):
            statuses.append(client.get("/api/health").status_code)
            statuses.append(client.get("/api/search", params={"q": "shipments returned"}).status_code)
        health = client.get("/api/health").json()
    assert set(statuses) == {200}
    assert health["generation"] == served.name
    assert health["warning"].startswith(f"still serving {served.name}:") and "owners.npy has" in health["warning"]
    assert len(loads) == 1  # tried once, not on every request


def test_a_build_whose_files_do_not_hold_together_is_not_published(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings, served = _built(tmp_path)
    real_write = ingest.write_vectors

    def short_owners(folder, vectors, owners, index_type):  # type: ignore[no-untyped-def]
        real_write(folder, vectors, owners[:-1], index_type)

    monkeypatch.setattr(ingest, "write_vectors", short_owners)
    _corpus(tmp_path / "corpus", 150)
    with pytest.raises(IndexDamaged, match="does not hold together"):
        build_index(settings, FakeEmbedder)
    assert current_generation(settings.index_dir) == served


def test_a_damaged_served_generation_is_rebuilt_not_called_up_to_date(tmp_path: Path) -> None:
    settings, generation = _built(tmp_path)
    _flip(generation / "store.sqlite")
    report = build_index(settings, FakeEmbedder)
    assert not report.up_to_date
    assert any("damaged, built again" in why for _, why in report.problems)
    rebuilt = current_generation(settings.index_dir)
    assert rebuilt is not None and rebuilt != generation
    IndexReader(rebuilt).close()


def test_an_up_to_date_build_needs_no_write_access(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings, _ = _built(tmp_path)
    monkeypatch.setattr(ingest, "_writable", lambda folder: False)
    assert build_index(settings, FakeEmbedder).up_to_date
    _corpus(tmp_path / "corpus", 150)
    with pytest.raises(ingest.IndexReadOnly, match=r"cannot build in .*: the folder is not writable"):
        build_index(settings, FakeEmbedder)


class _OtherFiles(FakeEmbedder):
    fingerprint = "0123456789abcdef"  # same name, backend and dimension; other weights


def test_an_index_built_with_other_model_files_is_refused(tmp_path: Path) -> None:
    settings, _ = _built(tmp_path)
    with pytest.raises(IndexMismatch, match="built with other files of model 'fake-embedder'"):
        Assistant.load(settings, _OtherFiles())


def test_the_model_fingerprint_follows_the_files_not_their_names(tmp_path: Path) -> None:
    bundled = Path(model_location(load_settings()))
    copy = tmp_path / "model"
    shutil.copytree(bundled, copy, ignore=shutil.ignore_patterns("*.safetensors"))
    for weights in bundled.glob("*.safetensors"):
        (copy / weights.name).symlink_to(weights)
    same = load_settings(model=str(copy))
    assert fingerprint(same) == fingerprint(load_settings()) is not None
    vocabulary = copy / "vocab.txt"
    vocabulary.write_text(vocabulary.read_text(encoding="utf-8").replace("[unused1]", "[unused9]"), encoding="utf-8")
    assert fingerprint(load_settings(model=str(copy))) != fingerprint(load_settings())


def test_a_full_disk_is_reported_with_the_folder_and_leaves_the_index_served(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import errno

    settings, served = _built(tmp_path)

    def full(folder, documents, chunks):  # type: ignore[no-untyped-def]
        raise OSError(errno.ENOSPC, "No space left on device", str(folder / "store.sqlite"))

    monkeypatch.setattr(ingest, "write_store", full)
    _corpus(tmp_path / "corpus", 150)
    with pytest.raises(ingest.IndexWriteFailed) as raised:
        build_index(settings, FakeEmbedder)
    assert raised.value.message.startswith(f"cannot write the new index in {settings.index_dir}/.build-")
    assert "No space left on device" in raised.value.message and "store.sqlite" in raised.value.message
    assert current_generation(settings.index_dir) == served
    assert not list(settings.index_dir.glob(".build-*"))


def test_a_retired_generation_is_closed_when_its_last_request_ends(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its files stayed open (deleted, still on disk) until the garbage collector ran."""
    import gc
    import os

    def open_generations() -> set[str]:
        names = set()
        for fd in os.listdir("/proc/self/fd"):
            try:
                target = os.readlink(f"/proc/self/fd/{fd}")
            except OSError:
                continue
            if target.startswith(str(tmp_path / "index")):
                names.add(Path(target.removesuffix(" (deleted)")).parent.name)
        return names

    monkeypatch.setattr("assistant.service.RELOAD_CHECK_SECONDS", 0.0)
    settings, _ = _built(tmp_path)
    assistant = Assistant.load(settings, FakeEmbedder())
    gc.disable()
    try:
        for count in (130, 140, 150):
            _corpus(tmp_path / "corpus", count)
            build_index(settings, FakeEmbedder)
            assert f"{count} shipments" in assistant.search("shipments returned").hits[0].chunk.text
            assert open_generations() == {assistant.reader.folder.name}
    finally:
        gc.enable()
