"""What a question asks for that an answer may not give: a day or a name its best sentence lacks,
a column its answer's table row leaves blank. Each is a signal of answerability (see
answerability.py): the fit makes such a signal decline outright when almost no answerable dev
question shows it.
"""

from __future__ import annotations

import re

from assistant.text.function_words import STOPWORDS
from assistant.text.markers import strip_markers
from assistant.text.numbers import dates_in
from assistant.text.periods import years_in
from assistant.text.places import gazetteer
from assistant.text.sentences import sentence_spans
from assistant.text.vocabulary import month_names, phrases
from assistant.text.words import WORD, initials, matches, stems, words

from .operations import asked_operation
from .sentences import Scored

_DATE_ASKED = phrases("answer_types", "date")  # "on what date"
_NUMERIC_DATE = re.compile(r"\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b")  # 31/12/2019, 2019-12-31
_NAME_ASKED = phrases("answer_types", "name", r"(?:^|[,;:]\s*)\W*")  # "Who ...", "What is the name of ..."
_BLANK_CELL = re.compile(r"^[\s\-\u2013\u2014/]*$")  # empty, or a dash ("-", "–", "—", "-/-")


def gives_no_day_or_name(question: str, answer: str) -> bool:
    """Whether the question asks for a day ("On what date ...") or a name ("Who ...", "What is the
    name of ...") and the answer's sentence (or row) gives none: a month or a date in digits (a
    year alone is no day: "expelled in 2014" says nothing of when someone was killed); a
    capitalised word that starts no sentence, is not the question's (nor its names' initials: "CSD"
    of "Central Security Directorate"), and is neither a place (of one word or several: "United
    Kingdom") nor a month ("The head of MI5 said ..." names no one)."""
    if _DATE_ASKED.search(question):  # a month as written: "May", not "some may"
        months = set(month_names())
        return not (_NUMERIC_DATE.search(answer) or any(word in months for word in WORD.findall(answer)))
    if _NAME_ASKED.search(question):
        places = gazetteer()
        asked = stems(question) | stems(" ".join(initials(question)))
        not_names = {m.lower() for m in month_names()} | STOPWORDS
        not_names |= {w for place in places.places_in(answer) for w in words(" ".join(places.every_word_for(place)))}
        return not any(
            word[:1].isupper()
            and word.lower() not in not_names
            and not matches(word, asked)
            and not places.is_place_word(word)
            for start, end in sentence_spans(answer)
            for word in WORD.findall(answer[start:end])[1:]
        )
    return False


def leaves_blank(question: str, origin: Scored) -> bool:
    """Whether the table row a figure comes from leaves blank a column the question names in all
    its header's words ("How many ... returned?" of a row whose RETURNED cell is empty: the row's
    other cells count something else). A column of a period is not one (the period asked is for
    the `undated` signal to judge), nor one naming an operation ("Total", "Change"): its blank is
    worked out from the cells beside it. A row cut into fewer cells than its table has columns
    says nothing of the ones it lacks."""
    table, row = origin.candidate.table, origin.candidate.row
    if table is None or not 0 <= row < len(table.rows):
        return False
    asked = stems(question)
    cells = table.rows[row].cells
    months = {month.lower() for month in month_names()}
    for column, name in enumerate(table.column_names()[1 : len(cells)], 1):
        if years_in(name) or dates_in(name) or months.intersection(w.lower() for w in WORD.findall(name)):
            continue  # a column of a period ("FY 2018", "December 31,")
        named = [word for word in WORD.findall(name) if word.lower() not in STOPWORDS]
        if not named or not all(matches(word, asked) for word in named) or asked_operation(name) is not None:
            continue
        if _BLANK_CELL.match(strip_markers(cells[column].text)):
            return True
    return False
