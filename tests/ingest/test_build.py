"""Building the index: incremental updates, atomic swaps, bad files (fake embedder, real corpus)."""

from __future__ import annotations

import fcntl
import shutil
from pathlib import Path

import pytest

from assistant.errors import CorpusError
from assistant.ingest import BuildInProgress, build_index, format_report
from assistant.search.retrieval import search
from assistant.store import CURRENT, IndexReader, current_generation
from tests.conftest import CORPUS, FakeEmbedder, settings_for


def build(corpus: Path, index: Path, embedder: FakeEmbedder, **kwargs: object):  # type: ignore[no-untyped-def]
    loads: list[int] = []

    def load() -> FakeEmbedder:
        loads.append(1)
        return embedder

    report = build_index(settings_for(corpus, index, model="fake-embedder"), load, **kwargs)  # type: ignore[arg-type]
    report.model_loaded = bool(loads)  # type: ignore[attr-defined]
    return report


def doc_chunks(index: Path, doc_id: str) -> list[str]:
    reader = IndexReader.open(index)
    try:
        return [c.embed_text for c in reader.document_chunks(doc_id)]
    finally:
        reader.close()


def test_cold_build_indexes_every_document(corpus_copy: Path, tmp_path: Path, fake_embedder: FakeEmbedder) -> None:
    report = build(corpus_copy, tmp_path / "index", fake_embedder)
    assert report.documents == 5
    assert report.chunks > 300
    assert report.embedded == len(set(fake_embedder.embedded)) > 0
    assert report.problems == []
    assert sorted(report.added) == sorted(p.name for p in corpus_copy.glob("*.txt"))
    reader = IndexReader.open(tmp_path / "index")
    assert len(reader.documents) == 5 and reader.chunk_count == report.chunks
    assert reader.manifest["model"] == "fake-embedder" and reader.manifest["dimension"] == 64
    lines = format_report(report)
    assert lines[-1].startswith(
        f"indexed 5 documents, {report.chunks} chunks, {report.vectors} vectors ({report.embedded} embedded"
    )


def test_unchanged_corpus_embeds_nothing_and_writes_nothing(
    corpus_copy: Path, tmp_path: Path, fake_embedder: FakeEmbedder
) -> None:
    index = tmp_path / "index"
    first = build(corpus_copy, index, fake_embedder)
    generation = current_generation(index)
    again = build(corpus_copy, index, FakeEmbedder())
    assert again.up_to_date and not again.model_loaded
    assert (again.documents, again.chunks, again.embedded) == (5, first.chunks, 0)
    assert current_generation(index) == generation
    assert "index is up to date" in format_report(again)[-1]


def test_editing_one_file_re_embeds_only_its_passages(corpus_copy: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build(corpus_copy, index, FakeEmbedder())
    before = {doc: doc_chunks(index, doc) for doc in ("vidino-is-foreign-fighters", "soufan-beyond-the-caliphate")}
    edited = corpus_copy / "vidino-is-foreign-fighters.txt"
    edited.write_text(
        edited.read_text(encoding="utf-8") + "\nA closing line added by an analyst about returnee courts.\n",
        encoding="utf-8",
    )
    embedder = FakeEmbedder()
    report = build(corpus_copy, index, embedder)
    assert report.changed == ["vidino-is-foreign-fighters.txt"] and not report.added and not report.removed
    after_vidino = doc_chunks(index, "vidino-is-foreign-fighters")
    assert set(embedder.embedded) <= set(after_vidino)  # nothing outside the edited document
    assert 0 < report.embedded <= len(after_vidino)
    assert set(after_vidino) - set(before["vidino-is-foreign-fighters"]) == set(embedder.embedded)
    assert doc_chunks(index, "soufan-beyond-the-caliphate") == before["soufan-beyond-the-caliphate"]


def test_an_update_puts_every_vector_where_a_cold_build_does(corpus_copy: Path, tmp_path: Path) -> None:
    """Vectors taken from the cache, embedded afresh, or shared by passages of the same text all
    land on their own passage's rows."""
    build(corpus_copy, tmp_path / "updated", FakeEmbedder())
    edited = corpus_copy / "vidino-is-foreign-fighters.txt"
    edited.write_text(edited.read_text(encoding="utf-8") + "\nA closing line on returnee courts.\n", encoding="utf-8")
    (corpus_copy / "copy.txt").write_text((corpus_copy / "soufan-beyond-the-caliphate.txt").read_text(encoding="utf-8"))
    update = build(corpus_copy, tmp_path / "updated", FakeEmbedder())
    assert update.reused > 0 and update.embedded > 0
    cold = FakeEmbedder()
    build(corpus_copy, tmp_path / "cold", cold)
    assert len(cold.embedded) == len(set(cold.embedded))  # the copy's passages were embedded once
    updated, fresh = IndexReader.open(tmp_path / "updated"), IndexReader.open(tmp_path / "cold")
    try:
        assert updated.vectors.ntotal == fresh.vectors.ntotal
        assert (updated.owners == fresh.owners).all()
        total = fresh.vectors.ntotal
        assert (updated.vectors.reconstruct_n(0, total) == fresh.vectors.reconstruct_n(0, total)).all()
    finally:
        updated.close()
        fresh.close()


def test_deleting_a_file_removes_its_passages(corpus_copy: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build(corpus_copy, index, FakeEmbedder())
    (corpus_copy / "talkleft-where-will-isis-fighters-go.txt").unlink()
    embedder = FakeEmbedder()
    report = build(corpus_copy, index, embedder)
    assert report.removed == ["talkleft-where-will-isis-fighters-go.txt"]
    assert report.documents == 4 and report.embedded == 0 and embedder.embedded == []
    reader = IndexReader.open(index)
    assert "talkleft-where-will-isis-fighters-go" not in reader.documents
    assert reader.db.execute("SELECT count(*) FROM chunks WHERE doc_id LIKE 'talkleft%'").fetchone()[0] == 0
    hits = search(reader, embedder, "Obama administration limit of 503 US forces in Syria", 10)
    assert all(hit.chunk.doc_id != "talkleft-where-will-isis-fighters-go" for hit in hits)


def test_adding_a_file_indexes_it(corpus_copy: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build(corpus_copy, index, FakeEmbedder())
    (corpus_copy / "new-note.md").write_text("# Field note\n\nSome 40 returnees were interviewed in Pristina.\n")
    report = build(corpus_copy, index, FakeEmbedder())
    assert report.added == ["new-note.md"] and report.documents == 6
    assert any("Pristina" in text for text in doc_chunks(index, "new-note"))


def test_a_build_that_fails_midway_leaves_the_served_index_untouched(corpus_copy: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    embedder = FakeEmbedder()
    build(corpus_copy, index, embedder)
    generation = current_generation(index)
    assert generation is not None
    reader = IndexReader.open(index)
    before = [h.chunk.chunk_id for h in search(reader, embedder, "How many Tunisians returned home?", 5)]
    (corpus_copy / "mironova-can-isis-regroup.txt").write_text("Changed completely.\n")

    def crash() -> None:
        raise RuntimeError("disk full")

    with pytest.raises(RuntimeError, match="disk full"):
        build(corpus_copy, index, FakeEmbedder(), before_publish=crash)
    assert current_generation(index) == generation
    assert not list(index.glob(".build-*"))
    again = IndexReader.open(index)
    assert again.folder == generation
    assert [h.chunk.chunk_id for h in search(again, embedder, "How many Tunisians returned home?", 5)] == before


def test_leftovers_of_a_killed_build_are_cleaned_up(corpus_copy: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build(corpus_copy, index, FakeEmbedder())
    (index / ".build-deadbeef0000").mkdir()
    (index / ".build-deadbeef0000" / "store.sqlite").write_bytes(b"half written")
    (index / ".CURRENT.tmp1").write_text("gen-nothing\n")
    (corpus_copy / "vidino-is-foreign-fighters.txt").write_text("Edited.\n")
    build(corpus_copy, index, FakeEmbedder())
    assert not (index / ".build-deadbeef0000").exists()
    assert not (index / ".CURRENT.tmp1").exists()
    assert IndexReader.open(index).documents


def test_bad_files_are_reported_one_line_each_and_skipped(corpus_copy: Path, tmp_path: Path) -> None:
    (corpus_copy / "empty.txt").write_bytes(b"")
    (corpus_copy / "binary.md").write_bytes(b"\x00\x01\x02" * 100)
    (corpus_copy / "latin1.txt").write_bytes("Déjà vu à Paris".encode("latin-1"))
    (corpus_copy / "broken.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\n1 0 obj <<")
    report = build(corpus_copy, tmp_path / "index", FakeEmbedder())
    assert report.documents == 5
    reasons = {Path(path).name: why for path, why in report.problems}
    assert reasons["empty.txt"] == "empty file"
    assert reasons["binary.md"].startswith("binary content")
    assert reasons["latin1.txt"].startswith("not UTF-8 text")
    assert reasons["broken.pdf"].startswith("corrupt")
    lines = format_report(report)
    assert sum(line.startswith("skipped ") for line in lines) == 4


def test_an_empty_corpus_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "corpus").mkdir()
    with pytest.raises(CorpusError, match="nothing to index"):
        build(tmp_path / "corpus", tmp_path / "index", FakeEmbedder())
    assert current_generation(tmp_path / "index") is None


def test_a_second_build_at_the_same_time_is_refused(corpus_copy: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    index.mkdir()
    with open(index / ".lock", "w") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with pytest.raises(BuildInProgress, match="another build"):
            build(corpus_copy, index, FakeEmbedder())


def test_current_pointer_names_a_complete_generation(corpus_copy: Path, tmp_path: Path) -> None:
    index = tmp_path / "index"
    build(corpus_copy, index, FakeEmbedder())
    name = (index / CURRENT).read_text().strip()
    assert {p.name for p in (index / name).iterdir()} == {
        "manifest.json",
        "store.sqlite",
        "vectors.faiss",
        "owners.npy",
    }
    shutil.rmtree(index / name)
    assert current_generation(index) is None


def test_huge_files_symlink_loops_and_files_removed_mid_build_are_skipped(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    import assistant.ingest.engines as ingest

    with open(corpus_copy / "huge.txt", "wb") as handle:
        handle.truncate(50_000_000)  # 50 MB on paper
    os.symlink(corpus_copy / "loop-b.txt", corpus_copy / "loop-a.txt")
    os.symlink(corpus_copy / "loop-a.txt", corpus_copy / "loop-b.txt")
    (corpus_copy / "vanishing.md").write_text("# Soon gone\n\nThis file is deleted while the build runs.\n")
    real_read = ingest.read_bytes

    def read_then_vanish(source, limit):  # type: ignore[no-untyped-def]
        if source.relative == "vanishing.md":
            source.path.unlink()
        return real_read(source, limit)

    monkeypatch.setattr(ingest, "read_bytes", read_then_vanish)
    report = build(corpus_copy, tmp_path / "index", FakeEmbedder())
    reasons = {Path(path).name: why for path, why in report.problems}
    assert reasons["huge.txt"] == "too large (50.0 MB; the limit is 20 MB)"
    assert reasons["loop-a.txt"] == reasons["loop-b.txt"] == "symlink loop"
    assert reasons["vanishing.md"] == "disappeared while the index was being built"
    assert report.documents == 5


def test_a_file_edited_between_hashing_and_reading_is_rebuilt_next_time(
    corpus_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The build hashes every file, then reads the changed ones: a file edited in between (and
    edited back) left an index of text no longer on disk, and the next build said "up to date"."""
    import assistant.ingest.engines as ingest

    note = corpus_copy / "edited.md"
    note.write_text("# Counts\n\nThe register lists 120 returnees.\n", encoding="utf-8")
    real_read = ingest.read_bytes

    def edit_while_reading(source, limit):  # type: ignore[no-untyped-def]
        if source.relative == "edited.md":
            original = note.read_text(encoding="utf-8")
            note.write_text(original.replace("120", "999"), encoding="utf-8")
            try:
                return real_read(source, limit)
            finally:
                note.write_text(original, encoding="utf-8")
        return real_read(source, limit)

    monkeypatch.setattr(ingest, "read_bytes", edit_while_reading)
    build(corpus_copy, tmp_path / "index", FakeEmbedder())
    monkeypatch.setattr(ingest, "read_bytes", real_read)
    again = build(corpus_copy, tmp_path / "index", FakeEmbedder())
    assert not again.up_to_date and again.changed == ["edited.md"]
    reader = IndexReader.open(tmp_path / "index")
    document = next(d for d in reader.documents.values() if d.path == "edited.md")
    assert "120 returnees" in reader.document(document.doc_id).text  # what is on disk


def test_a_file_over_its_time_budget_is_reported_and_skipped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One file must not hold the build (and its lock) for hours: past its budget it is reported
    and the rest of the collection is indexed. The stall here never ends by itself, so the test
    only finishes if the budget stops it."""
    import assistant.ingest.engines as ingest

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "stalls.md").write_text("# Stalls\n\nA file whose reading never ends.\n", encoding="utf-8")
    (corpus / "quick.md").write_text("# Quick\n\nThe register lists 120 returnees.\n", encoding="utf-8")
    real_parse = ingest.parse_document
    interrupted: list[str] = []

    def stall(source, meta, data):  # type: ignore[no-untyped-def]
        if source.relative == "stalls.md":
            try:
                while True:
                    pass
            finally:
                interrupted.append(source.relative)
        return real_parse(source, meta, data)

    monkeypatch.setattr(ingest, "parse_document", stall)
    settings = settings_for(corpus, tmp_path / "index", model="fake-embedder", file_seconds=2)
    report = build_index(settings, FakeEmbedder)  # type: ignore[arg-type]
    reasons = {Path(path).name: why for path, why in report.problems}
    assert interrupted == ["stalls.md"]
    assert reasons == {"stalls.md": "took longer than 2 s to read and cut into passages (ASSISTANT_FILE_SECONDS)"}
    assert report.added == ["quick.md"]
    assert report.documents == 1


def test_reading_in_worker_processes_gives_the_same_index(tmp_path: Path) -> None:
    """Documents are read in parallel processes; what comes back is what one process reads."""
    serial = build_index(settings_for(CORPUS, tmp_path / "one", model="fake-embedder"), FakeEmbedder)
    parallel = build_index(settings_for(CORPUS, tmp_path / "two", model="fake-embedder", workers=2), FakeEmbedder)
    assert (parallel.documents, parallel.chunks, parallel.problems) == (serial.documents, serial.chunks, [])
    one, two = IndexReader.open(tmp_path / "one"), IndexReader.open(tmp_path / "two")
    try:
        for doc_id in one.documents:
            assert [c.text for c in two.document_chunks(doc_id)] == [c.text for c in one.document_chunks(doc_id)]
            assert two.document(doc_id) == one.document(doc_id)
    finally:
        one.close()
        two.close()


def test_worker_processes_take_the_largest_documents_first() -> None:
    """A long filing started last would keep one worker busy while the others wait; what comes
    back is still in the order asked."""
    from concurrent.futures import Future

    from assistant.ingest.engines import _largest_first

    started: list[str] = []

    def submit(name: str) -> Future[str]:
        started.append(name)
        future: Future[str] = Future()
        future.set_result(name.upper())
        return future

    futures = _largest_first(["memo", "annual report", "note", "10-K filing"], len, submit)
    assert started == ["annual report", "10-K filing", "memo", "note"]
    assert [f.result() for f in futures] == ["MEMO", "ANNUAL REPORT", "NOTE", "10-K FILING"]
