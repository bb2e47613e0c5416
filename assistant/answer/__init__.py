"""Answering: the sentences of the retrieved passages that answer, the figures they state
(prose and table cells) ranked against the question, and figures that disagree."""

from .ranking import Conflict, RankedFigure, asked_kinds, asks_for_words, rank_figures
from .sentences import AnswerSentence, Relevance, Scored, best_sentences, relevance, score_sentences
from .weights import WEIGHTS, AnswerWeights

__all__ = [
    "WEIGHTS",
    "AnswerSentence",
    "AnswerWeights",
    "Conflict",
    "RankedFigure",
    "Relevance",
    "Scored",
    "asked_kinds",
    "asks_for_words",
    "best_sentences",
    "rank_figures",
    "relevance",
    "score_sentences",
]
