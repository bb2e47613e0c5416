"""Every stage of reading and chunking is linear in its input (issue: one file stalled a build for
hours). Work is counted, not timed: the Python lines executed while a generated file is read and
cut into passages, at three sizes. Linear work grows by 3 units from n to 4n for each unit from n
to 2n; quadratic work by 5. Seconds for real sizes (19 MB) are measured in bench/linear.py."""

from __future__ import annotations

import random
import sys
from collections.abc import Callable
from pathlib import Path

import pysbd
import pytest

from assistant.ingest.chunking import ChunkingParams, chunk_document
from assistant.ingest.discover import SourceFile
from assistant.ingest.readers import read_document
from assistant.model import Meta
from assistant.text import sentences

PARAMS = ChunkingParams(target_tokens=160, max_tokens=254, max_chars=1200)
PROSE = (
    "the board approved a plan while revenue from services rose and costs of goods fell during the quarter "
    "as the company opened new stores in several regions"
)
WORDS = PROSE.split()


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 24))).capitalize()


def one_paragraph(size: int, rng: random.Random) -> str:
    """A whole file that is one line of prose, as a scraped page or a text dump can be."""
    parts: list[str] = []
    length = 0
    while length < size:
        parts.append(_sentence(rng) + ".")
        length += len(parts[-1]) + 1
    return " ".join(parts)


def many_notes(size: int, rng: random.Random) -> str:
    """Paragraphs with note markers glued to words ("stores,12") and the notes listed at the end."""
    body, notes, number, length = [], [], 1, 0
    while length < size * 0.75:
        body.append(f"{_sentence(rng)},{number} and {_sentence(rng).lower()}.\n\n")
        length += len(body[-1])
        notes.append(f"{number} Annual report {2000 + number % 20}, page {number % 300 + 1}.\n")
        number += 1
    return "".join(body) + "Notes\n\n" + "".join(notes)


def short_lines(size: int, rng: random.Random) -> str:
    """Line after line of unpunctuated text that reads as one long wrapped paragraph."""
    lines: list[str] = []
    length = 0
    while length < size:
        lines.append(" ".join(rng.choice(WORDS) for _ in range(6)) + "\n")
        length += len(lines[-1])
    return "".join(lines)


def _work(text: str, path: Path) -> int:
    path.write_text(text, encoding="utf-8")
    source = SourceFile(path, path.name, path.stem, "text")
    executed = 0

    def trace(frame, event, arg):  # type: ignore[no-untyped-def]
        nonlocal executed
        executed += 1
        return trace

    sys.settrace(trace)
    try:
        document = read_document(source, Meta(), 50_000_000)
        chunks = chunk_document(document, PARAMS, lambda text: len(text.split()) * 4 // 3)
    finally:
        sys.settrace(None)
    assert chunks
    return executed


@pytest.mark.parametrize("make", [one_paragraph, many_notes, short_lines], ids=lambda f: f.__name__)
def test_reading_and_chunking_work_grows_linearly_with_the_file(
    make: Callable[[int, random.Random], str], tmp_path: Path
) -> None:
    size = 24_000
    _work(make(size, random.Random(0)), tmp_path / "warm.txt")  # caches and lazy loads, once
    work = [_work(make(size * k, random.Random(k)), tmp_path / f"f{k}.txt") for k in (1, 2, 4)]
    growth = (work[2] - work[0]) / (work[1] - work[0])
    assert 2.4 < growth < 3.7, (work, growth)


def test_the_sentence_splitter_reads_a_long_paragraph_in_bounded_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    """pysbd's cost is quadratic in the text it is given: 0.4 MB of one paragraph took 101 s."""
    calls: list[int] = []
    processor = pysbd.Segmenter.processor  # what reads the text (for its sentences)

    def counted(self, text):  # type: ignore[no-untyped-def]
        calls.append(len(text))
        return processor(self, text)

    monkeypatch.setattr(pysbd.Segmenter, "processor", counted)
    text = one_paragraph(200_000, random.Random(1))
    spans = sentences.sentence_spans(text)
    assert max(calls) <= sentences.WINDOW_CHARS
    assert sum(calls) < 1.2 * len(text)  # each character read about once
    assert all(text[start:end].endswith(".") for start, end in spans)
    assert len(spans) == text.count(".")  # no sentence lost or split at a window's edge
