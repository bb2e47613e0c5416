"""Search: lexical (BM25 over stems) and dense (FAISS) candidates, fused; follow-up questions
resolved against the conversation."""

from .followups import Resolved, resolve
from .retrieval import Hit, ShownRow, search
from .weights import WEIGHTS, SearchWeights

__all__ = ["WEIGHTS", "Hit", "Resolved", "SearchWeights", "ShownRow", "resolve", "search"]
