"""Figure ranking on passages that are not the demo's: the kind of number asked for, what it
counts, table cells, identifiers, and figures from two sources that disagree."""

from __future__ import annotations

from dataclasses import replace

from assistant.answer.figures import extract_figures
from assistant.answer.ranking import _around, asked_kinds, rank_figures
from assistant.answer.sentences import origin_places, relevance, score_sentences
from assistant.model import Cell, Chunk, ChunkKind, Row, Table
from assistant.search.retrieval import Hit, ShownRow
from tests.conftest import FakeEmbedder

EMBED = FakeEmbedder()


def prose(text: str, doc_id: str = "annual-report", seq: int = 0) -> Hit:
    chunk = Chunk(f"{doc_id}:{seq:04d}", doc_id, seq, ChunkKind.TEXT, text, text, 0, len(text), None, None, None)
    return Hit(chunk, 1.0, 0.5, 1.0, text)


def table(header: list[str], rows: list[list[str]], context: str, doc_id: str = "annual-report") -> Hit:
    def row(texts: list[str]) -> Row:
        return Row(" | ".join(texts), 0, 0, None, tuple(Cell(t, 0, 0) for t in texts))

    data = Table(1, (row(header),), tuple(row(r) for r in rows))
    lines = [data.row_line(n) for n in range(len(rows))]
    text = "\n".join(lines)
    chunk = Chunk(f"{doc_id}:0009", doc_id, 9, ChunkKind.TABLE_ROW, text, text, 0, 1, None, None, None, context)
    located, offset = [], 0
    for n, line in enumerate(lines):
        located.append(ShownRow(line, offset, offset + len(line), True, data, n))
        offset += len(line) + 1
    return Hit(chunk, 1.0, 0.5, 1.0, text, "", tuple(located))


def ranked(question: str, *hits: Hit) -> list[tuple[str, str]]:
    vector = EMBED.embed([question])[0]
    asked = relevance(question, vector, lambda term: 1, 100)
    scored = score_sentences(hits, asked, EMBED.embed)
    figures, _ = rank_figures(question, asked, hits, scored, EMBED.embed)
    return [(f.figure.text, f.figure.kind) for f in figures]


STORES = prose(
    "In 2019 the company opened 120 new stores, and 35% of them were in Asia. "
    "It closed 14 stores in Europe after leases ended."
)


def test_how_many_asks_for_a_count() -> None:
    assert ranked("How many new stores did the company open in 2019?", STORES)[0] == ("120", "count")


def test_what_share_asks_for_a_percentage() -> None:
    assert ranked("What share of the new stores were in Asia?", STORES)[0] == ("35%", "percent")


def test_what_the_question_says_happened_picks_among_counts() -> None:
    assert ranked("How many stores were closed in Europe?", STORES)[0] == ("14", "count")


def test_an_identifier_is_never_the_answer_unless_asked_for() -> None:
    hit = prose("Traffic on Route 66 fell by 12% after 3 new toll gates opened.")
    assert ranked("By how much did traffic fall?", hit)[0] == ("12%", "percent")
    assert "66" not in [text for text, _ in ranked("By how much did traffic fall?", hit)[:2]]
    assert ranked("What route number had the toll gates?", hit)[0] == ("66", "identifier")


def test_a_table_cell_is_read_under_its_column() -> None:
    hit = table(["Region", "Stores", "Employees"], [["Americas", "410", "12,500"], ["Europe", "230", "6,100"]], "Staff")
    assert ranked("How many employees work in Europe?", hit)[0] == ("6,100", "count")


def test_two_sources_that_disagree_on_the_same_count_are_grouped() -> None:
    first = prose("The company opened 120 new stores in 2019.", "annual-report")
    second = prose("The company opened 95 new stores in 2019, the press release says.", "press-release", 3)
    vector = EMBED.embed(["How many new stores did the company open in 2019?"])[0]
    question = "How many new stores did the company open in 2019?"
    asked = relevance(question, vector, lambda term: 1, 100)
    hits = (first, second)
    figures, conflicts = rank_figures(question, asked, hits, score_sentences(hits, asked, EMBED.embed), EMBED.embed)
    assert conflicts and {figures[i].figure.text for i in conflicts[0].members} == {"120", "95"}
    assert set(conflicts[0].sources) == {"annual-report", "press-release"}


def test_figures_of_different_years_are_not_a_disagreement() -> None:
    """Sources disagree only about the same thing over the same period: one year's count in one
    source and another year's in the next are two figures, not a conflict."""
    first = prose("The company opened 120 new stores in 2019.", "annual-report")
    second = prose("The company opened 95 new stores in 2018, the press release says.", "press-release", 3)
    question = "How many new stores did the company open?"
    asked = relevance(question, EMBED.embed([question])[0], lambda term: 1, 100)
    hits = (first, second)
    figures, conflicts = rank_figures(question, asked, hits, score_sentences(hits, asked, EMBED.embed), EMBED.embed)
    assert {f.figure.text for f in figures} >= {"120", "95"}
    assert conflicts == [] and all(f.group is None for f in figures)


def test_the_column_of_what_is_counted_wins_over_one_the_question_names_in_passing() -> None:
    """The question names both columns ("a table of women and children"); it counts the women."""
    women_and_children = table(
        ["Country", "Total", "Women", "Children"],
        [["Ruritania", "~300", "44", "27"], ["Freedonia", "~600", "113", ">100"]],
        "Foreign women and children in the group",
    )
    question = "In the table of foreign women and children, how many women from Ruritania are counted?"
    assert ranked(question, women_and_children)[0][0] == "44"
    question = "In the table of foreign women and children, how many children from Ruritania are counted?"
    assert ranked(question, women_and_children)[0][0] == "27"


def test_the_people_asked_about_are_read_from_a_place_of_several_words() -> None:
    assert origin_places("How many fighters from the United Kingdom returned?") >= {"united kingdom", "uk", "british"}
    assert origin_places("How many Chileans moved to Spain?") == {"chileans", "chile"}


def test_words_for_the_same_thing_count_once_in_what_a_sentence_covers() -> None:
    """A sentence's "UK" covers the question's "United Kingdom" (the place, not its words); naming the place
    twice over ("Britain, the UK") covers it no more."""
    question = "How many fighters returned to the United Kingdom?"
    asked = relevance(question, EMBED.embed([question])[0], lambda term: 1, 100)
    assert asked.coverage("Fighters returned to France.") < asked.coverage("Fighters returned to the UK.")
    assert asked.coverage("Fighters returned to Britain, the UK.") == asked.coverage("Fighters returned to the UK.")
    question = "How many Peruvians returned?"
    asked = relevance(question, EMBED.embed([question])[0], lambda term: 1, 100)
    assert asked.coverage("Peruvians returned to Peru.") == asked.coverage("Peruvians returned.") == 1.0


def test_how_many_of_a_unit_asks_for_what_the_unit_measures() -> None:
    assert asked_kinds("A deployment longer than how many days needs a new vote?") == {"duration"}
    assert asked_kinds("How many kilometres long is the border?") == {"distance"}
    assert asked_kinds("How many fighters went?") == {"count"}
    hit = prose("Any deployment of 500 troops longer than 90 days needs a new vote.")
    assert ranked("A deployment longer than how many days needs a new vote?", hit)[0] == ("90 days", "duration")


def test_a_number_the_question_gives_is_not_its_answer() -> None:
    hit = prose("About 2,300 nationals are involved in jihadist networks, including 689 in Syria or Iraq.")
    assert ranked("How many of the 2,300 nationals involved were in Syria or Iraq?", hit)[0][0] == "689"
    # alone in its sentence, it still marks where the answer is
    alone = prose("On 27 May 2019 the group bought back 58,733,844 shares. It paid 14% below the market price.")
    assert ranked("When did the group buy back 58,733,844 shares?", alone)[0][0] == "58,733,844"


def test_the_most_or_the_least_asked_of_a_range_is_its_end() -> None:
    hit = prose("After the city fell, smugglers charged between $7,000 and $10,000 a person to leave.")
    assert ranked("What was the most a person could pay the smugglers?", hit)[0] == ("$10,000", "money")
    assert ranked("What was the least a person could pay the smugglers?", hit)[0] == ("$7,000", "money")
    assert ranked("How much did smugglers charge a person to leave?", hit)[0][0] == "between $7,000 and $10,000"
    # a superlative of what is counted is not a bound asked for
    assert ranked("How much did the most feared smugglers charge?", hit)[0][0] == "between $7,000 and $10,000"


def test_or_inside_what_a_figure_counts_does_not_end_its_words() -> None:
    sentence = "Only 15.5% of respondents had high or very high confidence in militias, versus 65.8% for the army."
    (share, _) = extract_figures(sentence)
    assert "very high confidence" in _around(share, sentence)[1]


def test_a_share_of_stock_is_not_a_share_asked_for() -> None:
    assert asked_kinds("What was the dividend per share in 2019?") == frozenset()
    assert asked_kinds("What was the change in share-based payments?") == frozenset()
    assert asked_kinds("What share of the new stores were in Asia?") == {"percent", "fraction"}


def test_a_prose_figure_is_about_the_people_its_passage_before_names() -> None:
    """Prose refers back: a passage that does not name the country asked about is still about it
    when the passage before it in its section does (read for answers as `Hit.before`)."""
    question = "How many Tunisian fighters have returned home?"
    about = prose("About 800 fighters have returned home so far.", doc_id="report-a", seq=4)
    about = replace(about, before="Tunisia sent more fighters to Syria than any other country.")
    other = prose("About 900 fighters have returned home so far.", doc_id="report-b", seq=4)
    vector = EMBED.embed([question])[0]
    asked = relevance(question, vector, lambda term: 1, 100)
    hits = [other, about]  # the other first: ranked above it, it would win were both about no one asked
    figures, _ = rank_figures(question, asked, hits, score_sentences(hits, asked, EMBED.embed), EMBED.embed)
    assert [f.figure.text for f in figures] == ["About 800", "About 900"]
