"""A turn as the analyst's page shows it (in process, fake embedder): the answer line first, the
passages numbered in the order the page cites them, the conversation held in the URL, the turn
exported as Markdown and its figures as CSV, the document filter, and the API's own docs page."""

from __future__ import annotations

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

from fastapi.testclient import TestClient

from assistant.server.export import figures_csv
from assistant.server.pages import Lead, Turn, in_citation_order, lead_of
from assistant.server.schemas import AskResponse

TUNISIA = "How many Tunisians went to fight in Syria and Iraq?"
CAME_BACK = "And how many of them came back?"
HX = {"HX-Request": "true"}


def cited_in_order(html: str) -> list[int]:
    """Citation numbers of a turn in the order they appear, before the passage list."""
    shown = html.split('<section class="passages"')[0]
    return [int(n) for n in re.findall(r'<a class="cite" href="#t-[0-9a-f]+-p(\d+)"', shown)]


def test_the_turn_leads_with_one_answer_line(client: TestClient) -> None:
    html = client.get("/ask", params={"q": TUNISIA}).text
    twin = client.get("/api/ask", params={"q": TUNISIA}).json()
    lead = re.search(r'<p class="lead-line is-figure">(.*?)</p>', html, re.S)
    assert lead is not None, "a numeric question leads with its best figure"
    line = lead.group(1)
    best = twin["figures"][0]
    assert f'<span class="lead-text">{best["text"]}</span>' in line
    assert best["label"] in line and "Confidence" in line
    assert re.search(r'<a class="cite" href="#t-[0-9a-f]+-p1"', line), "the answer line cites passage 1"
    assert html.index("lead-line") < html.index('class="figure-table"') < html.index('<section class="passages"')


def test_citations_are_numbered_in_order_of_first_appearance(client: TestClient) -> None:
    for question in (TUNISIA, "Who recruited the fighters?", "What happened to the returnees in Europe?"):
        html = client.get("/ask", params={"q": question}).text
        seen: list[int] = []
        for n in cited_in_order(html):
            if n not in seen:
                seen.append(n)
        assert seen == list(range(1, len(seen) + 1)), (question, seen)
        cards = [int(n) for n in re.findall(r'<details class="card" id="t-[0-9a-f]+-p(\d+)"', html)]
        assert cards == list(range(1, len(cards) + 1))


def test_renumbering_keeps_every_citation_on_its_passage(client: TestClient) -> None:
    """The page's numbers differ from the API's rank numbers; each must still point at the same
    passage (its chunk id), for sentences, quotes and figures alike."""
    twin = AskResponse.model_validate(client.get("/api/ask", params={"q": TUNISIA}).json())
    page = in_citation_order(twin, lead_of(twin))
    chunk_of = {p.n: p.chunk_id for p in twin.passages}
    new_chunk_of = {p.n: p.chunk_id for p in page.passages}
    for old, new in zip(twin.answer, page.answer, strict=True):
        assert [chunk_of[n] for n in old.citations] == [new_chunk_of[n] for n in new.citations]
        assert [chunk_of[q.passage] for q in old.quotes] == [new_chunk_of[q.passage] for q in new.quotes]
    for old_figure, new_figure in zip(twin.figures, page.figures, strict=True):
        assert chunk_of[old_figure.citation] == new_chunk_of[new_figure.citation]
    assert sorted(new_chunk_of.values()) == sorted(chunk_of.values())


def test_the_url_holds_the_conversation(client: TestClient) -> None:
    """The htmx form pushes /ask?q=...&history=... ; that URL, loaded afresh (reload, Back, a
    shared link), answers every turn again, in order."""
    first = client.get("/", headers={})
    assert 'hx-push-url="true"' in first.text
    partial = client.get("/ask", params=[("q", CAME_BACK), ("history", TUNISIA)], headers=HX).text
    assert partial.count('<article class="turn"') == 1  # htmx gets the new turn only
    page = client.get("/ask", params=[("q", CAME_BACK), ("history", TUNISIA)]).text
    assert re.findall(r'<h2 class="question" id="t-[0-9a-f]+-q">([^<]+)</h2>', page) == [TUNISIA, CAME_BACK]
    restored = client.get(
        "/ask", params=[("q", CAME_BACK), ("history", TUNISIA)], headers={**HX, "HX-History-Restore-Request": "true"}
    ).text
    assert restored.lstrip().startswith("<!doctype html>") and restored.count('<article class="turn"') == 2
    links = [parse_qs(q.replace("&amp;", "&")) for q in re.findall(r'<a href="/ask\?([^"]+)">Link to this', page)]
    assert links == [{"q": [TUNISIA]}, {"q": [CAME_BACK], "history": [TUNISIA]}]  # each turn, with what came before


def test_a_turn_downloads_as_markdown_with_its_references(client: TestClient) -> None:
    page = client.get("/ask", params={"q": TUNISIA}).text
    link = re.search(r'<a href="(/export/answer\.md\?[^"]+)" download>', page)
    assert link is not None
    response = client.get(link.group(1).replace("&amp;", "&"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/markdown")
    assert response.headers["content-disposition"] == 'attachment; filename="answer.md"'
    text = response.text
    assert text.startswith(f"# {TUNISIA}\n")
    references = dict(re.findall(r"^(\d+)\. .*?<(http://testserver/docs/[^>]+)>$", text, re.M))
    assert list(references) == [str(n) for n in range(1, 6)]
    body = text.split("## References")[0]
    assert {int(n) for n in re.findall(r"\[(\d+)\]", body)} <= {int(n) for n in references}
    twin = client.get("/api/ask", params={"q": TUNISIA}).json()
    assert f"**{twin['figures'][0]['text']}**" in body  # the answer line
    assert "| Figure | How the source puts it | What it counts | Source |" in body
    for url in references.values():  # each reference opens the viewer at its passage
        assert client.get(urlsplit(url).path + "?" + urlsplit(url).query).status_code == 200


def test_figures_download_as_csv_numbered_like_the_page(client: TestClient) -> None:
    response = client.get("/export/figures.csv", params={"q": TUNISIA})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    twin = client.get("/api/ask", params={"q": TUNISIA}).json()
    assert [row["figure"] for row in rows] == [f["text"] for f in twin["figures"]]
    assert [float(row["value"]) for row in rows] == [f["value"] for f in twin["figures"]]
    assert rows[0]["citation"] == "1"  # the best figure leads the page, so its passage is [1]
    assert all(row["url"].startswith("http://testserver/docs/") for row in rows)


def test_a_figure_cell_a_spreadsheet_would_run_is_kept_as_text(client: TestClient) -> None:
    twin = AskResponse.model_validate(client.get("/api/ask", params={"q": TUNISIA}).json())
    figure = twin.figures[0].model_copy(update={"sentence": '=HYPERLINK("http://x")', "label": "+1 row", "text": "-5"})
    turn = Turn("t-1", twin.model_copy(update={"figures": [figure]}), None, {}, {}, "", {p.n: p for p in twin.passages})
    row = next(csv.DictReader(io.StringIO(figures_csv(turn, lambda path: path))))
    assert row["sentence"] == '\'=HYPERLINK("http://x")' and row["label"] == "'+1 row" and row["figure"] == "-5"


def test_the_document_filter_restricts_the_turn(client: TestClient) -> None:
    documents = client.get("/api/documents").json()
    chosen = documents[1]["doc_id"]
    home = client.get("/").text
    assert home.count('<input type="checkbox" name="doc"') == len(documents)
    page = client.get("/ask", params={"q": TUNISIA, "doc": chosen}).text
    assert f'value="{chosen}" checked' in page and "Search in: 1 of" in page
    hrefs = re.findall(r'<a class="open" href="/docs/([^?"#]+)', page)
    assert hrefs and set(hrefs) == {chosen}
    unknown = client.get("/ask", params={"q": TUNISIA, "doc": "no-such-document"})
    assert unknown.status_code == 404 and "no-such-document" in unknown.text


def test_the_api_is_described_at_api_docs(client: TestClient) -> None:
    page = client.get("/api/docs")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert '<script src="/static/swagger-ui/swagger-ui-bundle.js" defer></script>' in page.text
    assert "<script>" not in page.text  # nothing inline: the Content-Security-Policy allows none
    assert client.get("/static/swagger-ui/swagger-ui-bundle.js").status_code == 200
    assert client.get("/openapi.json").json()["paths"]["/api/ask"]


def test_lead_of_a_declined_turn_is_none(client: TestClient) -> None:
    twin = AskResponse.model_validate(client.get("/api/ask", params={"q": "Who won the 2018 World Cup?"}).json())
    assert not twin.answerable and lead_of(twin) is None
    assert isinstance(lead_of(twin.model_copy(update={"answerable": True})), Lead | None)


def test_an_unknown_export_is_a_404(client: TestClient) -> None:
    response = client.get("/export/answer.pdf", params={"q": TUNISIA})
    assert response.status_code == 404 and "answer.md or figures.csv" in response.text


def test_a_question_naming_a_publisher_says_whose_documents_were_searched_first(client: TestClient) -> None:
    question = "What does the Soufan Center say about returnees?"
    answer = client.post("/api/ask", json={"question": question}).json()
    assert answer["named_sources"] == ["soufan-beyond-the-caliphate"]
    page = client.get("/ask", params={"q": question}).text
    assert "Searched first: The Soufan Center (1 document)" in page
    assert client.post("/api/ask", json={"question": "How many fighters returned?"}).json()["named_sources"] == []
