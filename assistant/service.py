"""The assistant's core calls, shared by the JSON API, the pages and the CLI.

`Assistant` holds the embedding model and the served index. It notices when a build has swapped
in a new generation and switches to it between requests: every request sees one whole index,
never a mix, and requests in flight finish on the one they started with.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from .answer import WEIGHTS as ANSWER_WEIGHTS
from .answer.answerability import Signals, Verdict, decisions, signals, table_verdict
from .answer.derived import computed_verdict, derive, working
from .answer.formulas import Metric, defined_metric
from .answer.metric import LOOKUP_PASSAGES, lookups, metric_answer, printed
from .answer.periods import asked_comparison, asked_extreme, period_answer, row_answer
from .answer.ranking import Conflict, RankedFigure, asked_kinds, asks_for_words, rank_figures
from .answer.sentences import (
    AnswerSentence,
    Relevance,
    Scored,
    best_sentences,
    relevance,
    score_sentences,
    states_answer,
)
from .errors import BadRequest, Busy, IndexDamaged, IndexMismatch, IndexMissing, NotFound
from .model import Chunk, Document, DocumentInfo
from .search.followups import Resolved, resolve
from .search.lexical import document_frequency
from .search.retrieval import Hit, search, with_passages_before
from .search.sources import issuer_words, named_sources, period_sources, source_words
from .search.statements import LineItem, looked_up
from .settings import Settings
from .store import CURRENT, IndexReader, current_generation
from .store.embedding import Embedder, RecentTexts, load_embedder
from .store.vectors import single_query_mode
from .text.periods import FilingPeriod
from .text.words import matches, stems

RELOAD_CHECK_SECONDS = 1.0
Ranking = tuple[list[RankedFigure], list[Conflict]]  # the figures found, best first, and their conflicts

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SearchResult:
    query: str
    took_ms: float
    hits: list[Hit]
    reader: IndexReader


@dataclass(frozen=True)
class Answer:
    question: str
    resolved: Resolved
    took_ms: float
    sentences: list[AnswerSentence]
    hits: list[Hit]
    reader: IndexReader
    figures: list[RankedFigure] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    verdict: Verdict = field(default_factory=lambda: Verdict(True, 0.0, 1.0))
    signals: Signals | None = None
    named: tuple[str, ...] = ()  # documents the question names (by author, publisher or ticker), favoured
    line_items: tuple[LineItem, ...] = ()  # the financial statements' line items it was looked up by
    dated: tuple[str, ...] = ()  # filings whose period best meets the one the question names, favoured

    @property
    def answerable(self) -> bool:
        return self.verdict.answerable


class Assistant:
    """The model plus the index being served."""

    def __init__(self, settings: Settings, embedder: Embedder, reader: IndexReader | None = None) -> None:
        self.settings = settings
        self.embedder = embedder
        self.recent = RecentTexts(embedder)
        self._reader = reader
        self._lock = threading.Lock()
        self._checked = 0.0
        self._pointer_mtime = self._current_mtime()
        self.warning: str | None = None  # why the generation served is not the current one
        # Searches and answers are CPU-bound: a few at a time finish sooner than all at once, and
        # leave the interpreter free for the cheap requests (health, pages) between them.
        self._slots = threading.BoundedSemaphore(settings.concurrency)
        if reader is not None:
            self._check(reader)

    @classmethod
    def load(cls, settings: Settings, embedder: Embedder | None = None, *, missing_ok: bool = False) -> Assistant:
        """Load the model and the current index (raises if it does not fit, or if there is none
        unless `missing_ok`: then requests get 503 until a build publishes one); a damaged
        current generation gives way to the newest earlier one that is whole."""
        reader: IndexReader | None = None
        warning = None
        try:
            reader, warning = IndexReader.open_served(settings.index_dir)
        except IndexMissing:
            if not missing_ok:
                raise
            log.warning("no index in %s yet; serving 503 until one is built", settings.index_dir)
        single_query_mode()
        model = embedder if embedder is not None else load_embedder(settings)
        assistant = cls(settings, model, reader)
        assistant.warning = warning
        if warning:
            log.warning(warning)
        return assistant

    def _check(self, reader: IndexReader) -> None:
        embedder = self.embedder
        reader.check_model(embedder.name, embedder.backend, embedder.dimension, embedder.fingerprint)

    # --- the index being served ---------------------------------------------------------------

    def _current_mtime(self) -> float:
        try:
            return (self.settings.index_dir / CURRENT).stat().st_mtime
        except OSError:
            return 0.0

    @property
    def reader(self) -> IndexReader:
        """The current generation; a newer one published by a build is picked up here."""
        now = time.monotonic()
        if now - self._checked >= RELOAD_CHECK_SECONDS:
            self._checked = now
            mtime = self._current_mtime()
            if mtime != self._pointer_mtime or self._reader is None:
                with self._lock:
                    self._swap(mtime)
        if self._reader is None:
            raise IndexMissing(f"no index in {self.settings.index_dir}: build one with `assistant index`")
        return self._reader

    def _swap(self, mtime: float) -> None:
        """Switch to the generation CURRENT names, once it is loaded and checked; one that is
        damaged or does not fit is not switched to (and not tried again until CURRENT changes):
        the one being served stays, and `warning` says why."""
        folder = current_generation(self.settings.index_dir)
        self._pointer_mtime = mtime
        if folder is None or (self._reader is not None and folder == self._reader.folder):
            return
        try:
            fresh = IndexReader(folder)
            self._check(fresh)
        except (IndexDamaged, IndexMismatch) as exc:
            if self._reader is None:
                raise
            self.warning = f"still serving {self._reader.folder.name}: {folder.name} was not switched to: {exc.message}"
            log.warning(self.warning)
            return
        self._reader = fresh  # old readers close when their last request lets go of them
        self.warning = None

    @property
    def ready(self) -> bool:
        try:
            self.reader  # noqa: B018 - loads or reloads
        except (IndexMissing, IndexDamaged, IndexMismatch):
            return False
        return True

    # --- core calls -----------------------------------------------------------------------------

    @contextmanager
    def _turn(self) -> Iterator[None]:
        """Wait for one of the slots for computing (at most `queue_seconds`)."""
        if not self._slots.acquire(timeout=self.settings.queue_seconds):
            raise Busy(f"busy: no answer could start within {self.settings.queue_seconds:g} s; try again shortly")
        try:
            yield
        finally:
            self._slots.release()

    def check_docs(self, reader: IndexReader, doc_ids: Sequence[str] | None) -> list[str] | None:
        if not doc_ids:
            return None
        unknown = sorted({d for d in doc_ids if d not in reader.documents})
        if unknown:
            named = ", ".join(d if len(d) <= 80 else d[:79] + "…" for d in unknown[:5])
            more = f" and {len(unknown) - 5} more" if len(unknown) > 5 else ""
            raise NotFound(f"unknown document id{'s' if len(unknown) > 1 else ''}: {named}{more}")
        return list(dict.fromkeys(doc_ids))

    def search(self, query: str, k: int = 10, doc_ids: Sequence[str] | None = None) -> SearchResult:
        started = time.perf_counter()
        query = _clean_text(query, "q")
        reader = self.reader
        docs = self.check_docs(reader, doc_ids)
        with self._turn():
            hits = search(reader, self.embedder, query, k, docs)
        return SearchResult(query, _ms(started), hits, reader)

    def ask(
        self,
        question: str,
        history: Sequence[str] = (),
        k: int = 5,
        doc_ids: Sequence[str] | None = None,
        *,
        decline: bool = True,
    ) -> Answer:
        """Answer sentences and figures from the passages found, or, when the documents do not
        answer (and `decline`), none: only the closest passages, for checking."""
        started = time.perf_counter()
        question = _clean_text(question, "question")
        turns = [" ".join(turn.split()) for turn in history]
        resolved = resolve(question, turns)
        reader = self.reader
        docs = self.check_docs(reader, doc_ids)
        with self._turn():
            return self._answer(question, resolved, reader, k, docs, decline, started)

    def _answer(
        self,
        question: str,
        resolved: Resolved,
        reader: IndexReader,
        k: int,
        docs: list[str] | None,
        decline: bool,
        started: float,
    ) -> Answer:
        vector = self.embedder.embed([resolved.query])[0]
        named = tuple(named_sources(reader.documents.values(), resolved.query))
        dated = tuple(period_sources(reader.documents.values(), resolved.query, list(named) or docs))
        hits = search(reader, self.embedder, resolved.query, k, docs, query_vector=vector, named=named, dated=dated)
        hits = with_passages_before(reader, hits)
        asked = relevance(resolved.query, vector, lambda term: document_frequency(reader, term), reader.chunk_count)
        # "Best Buy's gross margins", "according to Mironova": in the documents named, a sentence naming
        # Best Buy or Mironova says nothing yet
        if named:
            routed = source_words([reader.documents[d] for d in named], resolved.query)
            content = {term: weight for term, weight in asked.terms.items() if term not in routed}
            asked = replace(asked, terms=content) if content else asked
        scored = score_sentences(hits, asked, self.recent.embed)
        metric, ranking = self._metric(resolved, asked, hits, scored, named)
        if metric is not None:  # its line items' passages too, after those found: its operands are cited there
            hits = self._with_lookups(metric, reader, hits, docs, named, dated)
            scored = score_sentences(hits, asked, self.recent.embed)
        stated = states_answer(scored)  # the source's own sentence states the answer in full
        place = (lambda n: hits[n - 1].chunk.seq) if metric is not None else None
        computed = metric_answer(metric, self._ranker(reader, hits, named), place) if metric is not None else None
        figures, conflicts, worked_out = self._figures(resolved, asked, hits, scored, named, stated, computed, ranking)
        in_words = asked.reason or asked.described  # "what does the cost comprise": not the cost's row
        # a figure's row leads where a number is asked, unless the source's own sentence says it all;
        # a figure worked out leads with its working (if computed), then the rows it rests on
        show_work = worked_out and not in_words and (not stated or computed is not None)
        lead = figures[0].origin if figures and (show_work or asked_kinds(resolved.query)) and not in_words else None
        sentences = best_sentences(_named_first(scored, hits, named), lead)
        work = working(figures[0]) if show_work else None
        if work is not None:
            sentences = [work, *sentences][: ANSWER_WEIGHTS.max_sentences]
        found = signals(
            resolved.query,
            asked,
            hits,
            scored,
            figures,
            _sources(reader, hits, named),
            _known(reader),
            lead,
            resolved.question if resolved.is_follow_up else None,
        )
        decision = decisions().for_model(self.embedder.name)
        verdict = decision.judge(found)
        verdict = table_verdict(verdict, decision, found, asked, hits, sentences[0].text if sentences else "")
        verdict = computed_verdict(verdict, resolved.query, [hit.text for hit in hits], figures)
        if decline and not verdict.answerable:
            sentences, figures, conflicts = [], [], []
        items = tuple(looked_up(reader, resolved.query, docs if docs is not None else (list(dated or named) or None)))
        return Answer(
            question,
            resolved,
            _ms(started),
            sentences,
            hits,
            reader,
            figures,
            conflicts,
            verdict,
            found,
            named,
            items,
            dated,
        )

    def _figures(
        self,
        resolved: Resolved,
        asked: Relevance,
        hits: list[Hit],
        scored: list[Scored],
        named: tuple[str, ...],
        stated: bool,
        computed: RankedFigure | None = None,
        ranking: Ranking | None = None,
    ) -> tuple[list[RankedFigure], list[Conflict], bool]:
        """The figures that answer, best first, their conflicts, and whether the first was worked
        out: the metric the question defines (`computed`), a derived figure, or the period or the
        row a which-question asks for (a which-row question is not worked out where a sentence
        states its answer)."""
        query = resolved.query
        words = asks_for_words(query)
        extreme = None if stated else asked_extreme(query)
        if words and extreme is None and asked_comparison(query) is None:
            return [], [], False  # a name, a place, a reason or a time: figures are not answers
        ranked, conflicts = ranking if ranking is not None else self._ranking(resolved, asked, hits, scored, named)
        figures = ranked[: ANSWER_WEIGHTS.max_figures]
        answered = (
            ([computed] if computed is not None else [])
            or period_answer(query, figures)
            or (row_answer(extreme, ranked, scored) if extreme is not None else [])
            or derive(query, ranked)
        )
        if answered:
            rest = [f for f in figures if not any(_same_figure(f, a) for a in answered)]
            return [*answered, *rest][: ANSWER_WEIGHTS.max_figures], [], True
        if words and extreme is not None:
            return [], [], False  # no row answers the which-row question: the figures found do not
        return figures, conflicts, False

    def _ranking(
        self, resolved: Resolved, asked: Relevance, hits: list[Hit], scored: list[Scored], named: tuple[str, ...]
    ) -> Ranking:
        """Every figure of the passages, best first, and the conflicts among the first."""
        own_words = resolved.question if resolved.is_follow_up else None
        return rank_figures(resolved.query, asked, hits, scored, self.recent.embed, own_words, limit=None, named=named)

    def _metric(
        self, resolved: Resolved, asked: Relevance, hits: list[Hit], scored: list[Scored], named: tuple[str, ...]
    ) -> tuple[Metric | None, Ranking | None]:
        """The metric a question defines, or the standard one it names unless it asks which or
        compares ("Which year had the higher EBITDA?"), or the filer prints it among the figures of
        the passages found (its own figure answers, and nothing is added to look its items up);
        with the figures ranked to judge that, which stand for the answer's when no metric is taken."""
        query = resolved.query
        metric = defined_metric(query)
        if metric is None or not metric.implied:
            return metric, None
        if _compares(query):
            return None, None
        ranking = self._ranking(resolved, asked, hits, scored, named)
        return (None, ranking) if printed(metric, ranking[0], named, query) else (metric, None)

    def _with_lookups(
        self,
        metric: Metric,
        reader: IndexReader,
        hits: list[Hit],
        docs: list[str] | None,
        named: tuple[str, ...],
        dated: tuple[str, ...],
    ) -> list[Hit]:
        """The passages found, then those found for each line item of a defined metric."""
        seen = {hit.chunk.chunk_id for hit in hits}
        out = list(hits)
        for query in lookups(metric):
            for hit in search(reader, self.embedder, query, LOOKUP_PASSAGES, docs, named=named, dated=dated):
                if hit.chunk.chunk_id not in seen:
                    seen.add(hit.chunk.chunk_id)
                    out.append(hit)
        return out

    def _ranker(
        self, reader: IndexReader, hits: list[Hit], named: tuple[str, ...]
    ) -> Callable[[str], list[RankedFigure]]:
        """The figures of `hits` for a question of their own, best first."""

        def rank(question: str) -> list[RankedFigure]:
            vector = self.recent.embed([question])[0]
            asked = relevance(question, vector, lambda term: document_frequency(reader, term), reader.chunk_count)
            scored = score_sentences(hits, asked, self.recent.embed)
            return rank_figures(question, asked, hits, scored, self.recent.embed, limit=None, named=named)[0]

        return rank

    # --- documents ------------------------------------------------------------------------------

    def documents(self) -> list[DocumentInfo]:
        return list(self.reader.documents.values())

    def document(self, doc_id: str) -> tuple[Document, list[Chunk]]:
        """A whole document and its passages, for the viewer."""
        reader = self.reader
        with self._turn():
            document = reader.document(doc_id)
            if document is None:
                raise NotFound(f"unknown document id: {doc_id}")
            return document, reader.document_chunks(doc_id)

    @property
    def index_folder(self) -> Path | None:
        return self._reader.folder if self._reader else None


def _named_first(scored: list[Scored], hits: Sequence[Hit], named: Sequence[str]) -> list[Scored]:
    """The sentences, those of documents other than the ones the question names counting less
    (as their figures do): "eBay's net profit margin" is not answered by Apple's sentence on its
    gross margin."""
    if not named:
        return scored
    penalty = ANSWER_WEIGHTS.other_source
    return [
        item if hits[item.candidate.passage - 1].chunk.doc_id in named else replace(item, score=item.score - penalty)
        for item in scored
    ]


def _compares(question: str) -> bool:
    """A question that asks which period or row, or compares: not for one metric's value."""
    return asks_for_words(question) or asked_extreme(question) is not None or asked_comparison(question) is not None


def _same_figure(a: RankedFigure, b: RankedFigure) -> bool:
    """The same figure, or the same number of the same sentence or cell relabelled (a which-row
    answer's cell)."""
    return a.figure is b.figure or (a.citation, a.figure.sentence, a.figure.start, a.figure.text) == (
        b.citation,
        b.figure.sentence,
        b.figure.start,
        b.figure.text,
    )


def _sources(reader: IndexReader, hits: Sequence[Hit], named: Sequence[str] = ()) -> dict[str, str]:
    """What each passage's document is, as a question may name it: title, authors, publisher, the
    fiscal year it reports on, and its opening passage (a filing's cover names the company); a
    document the question was routed to by its issuer's name also answers to the names and ticker
    of that issuer's other documents ("JnJ" of the 8-K whose cover prints only "Johnson & Johnson")."""
    docs = list(dict.fromkeys(hit.chunk.doc_id for hit in hits))
    ranges = {d: reader.doc_range(d) for d in docs}
    openings = reader.chunks([r[0] for r in ranges.values() if r is not None])
    issuer = " ".join(sorted(issuer_words(reader.documents[d] for d in named)))
    out = {}
    for doc_id in docs:
        info, first = reader.documents[doc_id], ranges[doc_id]
        opening = openings[first[0]].text if first is not None and first[0] in openings else ""
        year = FilingPeriod.read(info.periods).year
        reports_on = f"fiscal {year}" if year is not None else ""
        routed = issuer if doc_id in named else ""
        out[doc_id] = " ".join([info.title, *info.authors, info.publisher or "", reports_on, routed, opening])
    return out


def _known(reader: IndexReader) -> Callable[[str], bool]:
    """Whether a word occurs anywhere in the collection: in a passage, or in what a document is
    (its title, authors, publisher)."""
    described = reader.cache.get("described")
    if described is None:
        described = reader.cache["described"] = stems(
            " ".join(" ".join([d.title, *d.authors, d.publisher or ""]) for d in reader.documents.values())
        )
    return lambda term: matches(term, described) or document_frequency(reader, term) > 0


def _clean_text(text: str, name: str) -> str:
    cleaned = " ".join(text.replace("\x00", " ").split())
    if not cleaned:
        raise BadRequest(f"{name} is empty")
    return cleaned


def _ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 1)
