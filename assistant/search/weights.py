"""The tunable numbers of search, declared once.

How each was set: the fusion weights by comparing calibrated score fusion with reciprocal-rank
fusion on the seeds' dev questions (equal weights: recall@1 .735 against .694, MRR .838 against
.814); the rest by hand on the same questions in earlier rounds, each at a value where small
changes did not move the dev scores. None was fitted on the held-out sets.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SearchWeights:
    dense: float = 1.0  # cosine similarity, rescaled over the query's dense candidates
    lexical: float = 1.0  # BM25, divided by the query's best lexical score
    meta: float = 0.3  # a lexical match in the title, authors or section, against one in the passage
    # BM25 of the question's consecutive content words found together, in the filings it is routed
    # to, over the larger of its best score and the words' best: of .15, .3, .6 and 1.0 on the dev
    # sets, .3 (TAT-QA doc@1 .632 -> .647, ans@5 .838 -> .850, seeds recall@1 .776 -> .816); .6 and
    # 1.0 lost seeds and FinanceBench pages
    proximity: float = 0.3
    near: int = 2  # at most this many words between the two words of a pair
    candidates: int = 50  # candidates from each side before fusion (at least 4 per passage asked for)
    per_term_candidates: int = 2000  # a word's best passages kept for the dis-max over its synonyms
    named_source_bonus: float = 0.5  # added to passages of a source the question names ("according to Smith")
    # added to the filings whose period best meets the one a question names ("Q2 of FY2024": the
    # 10-Q of that quarter), as much as naming their issuer; 0.3 and 0.5 alike on FinanceBench's
    # dev questions (page@5 .762 -> .810)
    period_bonus: float = 0.5
    # added to a financial statement's row of the line item a question asks for: of 0.5, 0.75, 1.0 and
    # 1.5 on FinanceBench's dev questions (page@5 .619 .667 .714 .762) and 13 questions of our own
    # over ../shared/pdfs, the largest; 10 more of our own, written afterwards, checked it (fig@1 .90).
    # With word pairs beside dense and BM25 a passage may score 2.3, not 2: 1.5 raised as much (1.8)
    statement_row_bonus: float = 1.8
    duplicate_overlap: float = 0.8  # share of words in common above which a passage repeats one shown


WEIGHTS = SearchWeights()
