"""Footnote markers set apart as "[n]" by the run of note numbers, without ever changing a
number of the text."""

from __future__ import annotations

import re

from assistant.ingest.notes import Segment, mark_notes


def marked(*texts: str, table: bool = False, labels: tuple[str, ...] = ()) -> list[str]:
    return mark_notes([Segment(text, table) for text in texts], labels)


def test_markers_glued_after_punctuation_follow_their_run() -> None:
    out = marked(
        "Revenue rose in the first quarter.1 Costs fell,2 as the plan foresaw.",
        "Margins improved.3 The board approved a dividend.",
    )
    assert out == [
        "Revenue rose in the first quarter.[1] Costs fell,[2] as the plan foresaw.",
        "Margins improved.[3] The board approved a dividend.",
    ]


def test_a_lone_number_after_a_word_is_not_a_note_without_its_run() -> None:
    text = "The company operates in 16 countries and employs 1,200 people at 45 sites."
    assert marked(text) == [text]


def test_digits_glued_to_a_number_are_split_only_as_the_runs_next_note() -> None:
    out = marked("Sales reached $4,073.9 million.1 In 2019 the store count was 1,496.2")
    assert out == ["Sales reached $4,073.9 million.[1] In 2019 the store count was 1,496.[2]"]


def test_a_fiscal_year_in_short_is_not_a_word_with_a_note() -> None:
    # TAT-QA report-502dd70a heads its columns "FY19**", "FY18**"; its prose says "in FY19"
    texts = ("Emissions from: FY19** FY18** FY18***", "There was a significant improvement in FY19, and FY18 was flat.")
    assert marked(*texts) == list(texts)
    assert marked("Exports rose in Lisbon91 and Porto92.") == ["Exports rose in Lisbon[91] and Porto[92]."]


def test_free_numbers_in_a_table_row_are_notes_only_where_the_run_goes_on() -> None:
    segments = [
        Segment("Sales grew.1 Costs fell.2 Margins rose.3", False),
        Segment("Portugal 4 120 5 >80 6 12/2016", True),
        Segment("Spain 7 95 8 40 9 03/2017", True),
    ]
    _, portugal, spain = mark_notes(segments)
    assert portugal == "Portugal [4] 120 [5] >80 [6] 12/2016"
    assert spain == "Spain [7] 95 [8] 40 9 03/2017"  # nothing after 9 shows the run going on: a value


def test_lettered_notes_need_a_note_body_with_that_label() -> None:
    text = "The plan has 63,000 members.b According to the filing, most joined in 2018."
    assert marked(text, labels=("b",)) == [
        "The plan has 63,000 members.[b] According to the filing, most joined in 2018."
    ]
    assert marked(text) == [text]


def test_every_number_reads_the_same_after_marking() -> None:
    text = "Net sales were $1,496.5 million,4 up from $1,202.9 million5 in 2018; (494) and 31.6% stayed."
    (out,) = marked(text)
    stripped = re.sub(r"\[\d+\]", "", out)
    assert re.findall(r"[\d.,]+\d", stripped) == ["1,496.5", "1,202.9", "2018", "494", "31.6"]
