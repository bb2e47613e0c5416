"""Sentence spans: text without a place where a sentence could end skips pysbd, and gets the spans
pysbd would give; text with one gets pysbd's sentences, found in the text without pysbd's pattern
per sentence."""

from __future__ import annotations

import re
from pathlib import Path

import pysbd
import pytest

from assistant.text import sentences

ROOT = Path(__file__).resolve().parents[2]
TATQA = ROOT.parent / "shared" / "eval" / "tatqa" / "corpus"


def _paragraphs() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))]
    texts += [re.sub(r"<[^>]+>", "\n", p.read_text(encoding="utf-8")) for p in sorted(TATQA.glob("*.html"))[:60]]
    return [p for text in texts for p in re.split(r"\n\s*\n|\n", text) if p.strip()]


def _pysbd_spans(text: str, monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, int]]:
    monkeypatch.setattr(sentences, "_BREAKS", re.compile(r"(?s)."))  # every text looks breakable
    try:
        return list(sentences._sentence_spans.__wrapped__(text))
    finally:
        monkeypatch.undo()


def test_one_sentence_text_gets_the_span_pysbd_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    skipped = 0
    for paragraph in _paragraphs():
        stripped = paragraph.strip()
        body = stripped[:-1] if stripped.endswith((".", "!", "?")) else stripped
        if sentences._BREAKS.search(body) is not None:
            continue
        skipped += 1
        assert sentences.sentence_spans(paragraph) == _pysbd_spans(paragraph, monkeypatch), paragraph
    assert skipped > 100  # the shortcut is taken, and checked, on many real paragraphs


def test_text_that_may_break_still_goes_to_pysbd(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    processor = pysbd.Segmenter.processor

    def counted(self: pysbd.Segmenter, text: str) -> object:
        calls.append(text)
        return processor(self, text)

    monkeypatch.setattr(pysbd.Segmenter, "processor", counted)
    sentences._sentence_spans.cache_clear()
    assert len(sentences.sentence_spans("Costs fell in stores. Sales rose online")) == 2
    assert calls
    calls.clear()
    assert sentences.sentence_spans("Sales rose in every region but one") == [(0, 34)]
    assert not calls


def test_segments_are_pysbds_own() -> None:
    segmenter = pysbd.Segmenter(language="en", clean=False)
    made = [
        "Sales rose. Sales rose. Sales rose.",  # the same sentence again: each found after the one before
        "It fell 3.5 per cent. in 2019 (see p. 4).\n\nMr. Smith, of Acme Inc., said so.  Then he left.",
        "Revenue was $1.2 bn. i.e. more than in 2018 . . . and costs rose.",
    ]
    paragraphs = made + _paragraphs()
    for paragraph in paragraphs:
        assert sentences._segments(paragraph) == segmenter.segment(paragraph), paragraph
    assert len(paragraphs) > 1000
