"""Questions of our own over the real filings of ../shared/pdfs: an analyst's figure questions
("What were eBay's capital expenditures in 2015?"), each with the filing that answers it and the
value its financial statement prints (bench/data/filing_questions.jsonl, read off the statements by
hand). The first 13 were written while building statement recognition and looked at; the other
10 were written afterwards and scored once, unseen ("batch": "fresh").

usage: python bench/filings.py INDEX_DIR [--questions FILE]    (an index of ../shared/pdfs)

bench/data/metric_questions.jsonl holds questions that define the metric they ask for, as
FinanceBench's analysts write them ("DPO is defined as: 365 * (average accounts payable between
FY2014 and FY2015) / ..."), each with the value computed by hand from the filing's statements;
the first 5 were written before and looked at while building the computation, the other 6 with
them and scored once, after it was done. bench/data/metric_questions_financebench.jsonl holds 7
more, over ../shared/eval/financebench/pdfs (give an index of those), written after and scored once.
The batch "named" of both files names a standard metric without defining it ("What was eBay's net
profit margin in 2015?"), written before `assistant/text/data/metrics.toml` was used and scored once;
the batch "over years" asks for a metric's average or change over years, scored once likewise.

Prints, per batch: the right filing first (doc@1), a row of one of its financial statements among
the first five passages (statement@5), and the first figure equal to the printed value (fig@1;
a cell "in millions" or "$11.2 billion" alike, within 1%).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

QUESTIONS = Path(__file__).resolve().parent / "data" / "filing_questions.jsonl"
SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9}


def main() -> None:
    from assistant.search.statements import statement_of
    from assistant.service import Assistant
    from assistant.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("--questions", type=Path, default=QUESTIONS, help="questions file (default: %(default)s)")
    args = parser.parse_args()
    assistant = Assistant.load(Settings(index_dir=args.index_dir))
    scores: dict[str, list[tuple[bool, bool, bool]]] = {}
    for line in args.questions.read_text(encoding="utf-8").splitlines():
        q = json.loads(line)
        answer = assistant.ask(q["question"])
        top = answer.hits[:5]
        first = answer.hits[0].chunk.doc_id == q["doc_id"] if answer.hits else False
        statement = any(h.chunk.doc_id == q["doc_id"] and statement_of(h.chunk.context or "") for h in top)
        figure = answer.figures[0].figure if answer.figures else None
        right = figure is not None and any(
            _close(figure.value, v) or _close(figure.value * SCALES.get(figure.scale or "", 1.0), v * 1e6)
            for v in (q["value"], q.get("value_also", q["value"]))
        )
        scores.setdefault(q["batch"], []).append((first, statement, right))
        print(f"{int(first)} {int(statement)} {int(right)}  {q['question']}  -> {figure.text if figure else None}")
    for batch, rows in scores.items():
        n = len(rows)
        doc, statement, fig = (sum(r[i] for r in rows) / n for i in range(3))
        print(f"{batch} (n={n}): doc@1 {doc:.3f}  statement@5 {statement:.3f}  fig@1 {fig:.3f}")


def _close(value: float, wanted: float) -> bool:
    return abs(value - wanted) <= 0.01 * abs(wanted)


if __name__ == "__main__":
    main()
