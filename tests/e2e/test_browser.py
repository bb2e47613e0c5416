"""The pages in a real browser (Debian's Chromium through Playwright), on the real server with the
real model: a conversation with htmx, the same without JavaScript, the viewer, errors, a phone.

`make browsers` installs Chromium. With `UI_SHOTS=1` in the environment, one more test saves a
screenshot of each state to /tmp/ui-shots (or `$UI_SHOTS_DIR`) for a person to look at.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.model]

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TUNISIA = "How many Tunisians went off to fight in Syria and Iraq?"
CAME_BACK = "And how many of them came back?"
CONFLICT = "How many foreign fighters joined the Islamic State?"
ANSWER_TIMEOUT = 60_000


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail("Chromium is not installed: run `make browsers` (never `playwright install`)")
    expect.set_options(timeout=15_000)
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


def open_page(browser: Any, **options: Any) -> tuple[Any, Any, list[str]]:
    """A fresh context and page; the list collects what the console reports as errors, so that a
    test can check the pages run under the Content-Security-Policy without complaint."""
    context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
    page = context.new_page()
    problems: list[str] = []
    page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    return context, page, problems


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context, page, problems = open_page(browser)
    yield page
    context.close()
    blocked = [p for p in problems if "Content Security Policy" in p or "Refused to" in p]
    assert not blocked, blocked
    uncaught = [p for p in problems if "Failed to load resource" not in p]
    assert not uncaught, uncaught


def ask(page: Any, question: str, turns: int) -> Any:
    """Type a question, press Enter, and wait for the turn it adds; returns that turn."""
    field = page.locator("input[name=q]")
    field.fill(question)
    field.press("Enter")
    expect(page.locator("#conversation > .turn")).to_have_count(turns, timeout=ANSWER_TIMEOUT)
    return page.locator("#conversation > .turn").nth(turns - 1)


def test_a_numeric_question_shows_its_figure_and_citations(page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    expect(page.get_by_label("Your question")).to_be_focused()
    turn = ask(page, TUNISIA, 1)
    assert page.url == live_server + "/ask?" + urlencode({"q": TUNISIA}, quote_via=quote)  # swapped in, URL kept
    expect(turn.locator(".question")).to_have_text(TUNISIA)
    expect(turn.locator(".lead-line .lead-text")).to_have_text("2,926")
    expect(turn.locator(".figure.best .fig-text")).to_have_text("2,926")
    expect(turn.locator(".figure.best .fig-label")).to_contain_text("Tunisia")
    expect(turn.locator(".card")).to_have_count(5)
    expect(turn.locator(".card .card-text, .card .card-table").first).to_be_hidden()  # collapsed behind titles
    expect(page.locator("input[name=q]")).to_have_value("")
    expect(page.locator("input[name=q]")).to_be_focused()
    expect(page.locator("input[name=history]")).to_have_count(1)
    expect(page.locator(".intro")).to_be_hidden()
    expect(page.locator("#status")).to_contain_text(TUNISIA)

    turn.locator(".lead-line a.cite").click()  # a citation opens its passage
    opened = turn.locator(".card").first
    expect(opened).to_have_attribute("open", "")
    expect(opened.locator(".card-text, .card-table")).to_be_visible()
    expect(opened.locator(".card-text, .card-table")).to_contain_text("2,926")
    expect(opened.get_by_role("button", name="Copy citation")).to_be_visible()
    marker = turn.locator(".sentences a.cite").first
    target = marker.get_attribute("href")
    assert target and re.fullmatch(r"#t-[0-9a-f]+-p\d", target)
    marker.click()
    assert page.url.endswith(target)
    expect(page.locator(target)).to_be_in_viewport()
    expect(page.locator(target)).to_have_attribute("open", "")


def test_a_follow_up_uses_the_first_turn(page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    ask(page, TUNISIA, 1)
    expect(page.get_by_label("Ask a follow-up question")).to_be_visible()
    second = ask(page, CAME_BACK, 2)
    expect(second.locator(".question")).to_have_text(CAME_BACK)
    expect(second.locator(".understood")).to_contain_text("Tunisians")
    expect(second.locator(".figure.best .fig-text")).to_have_text(">800")
    expect(second.locator(".figure.best .fig-qual")).to_contain_text("more than 800")
    history = page.locator("input[name=history]")
    expect(history).to_have_count(2)
    assert [history.nth(i).get_attribute("value") for i in range(2)] == [TUNISIA, CAME_BACK]
    # the two turns' passage cards have their own anchors
    ids = page.locator(".card").evaluate_all("cards => cards.map(card => card.id)")
    assert len(ids) == 10 and len(set(ids)) == 10


def test_open_in_document_lands_on_the_highlighted_passage(page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    turn = ask(page, TUNISIA, 1)
    for summary in turn.locator(".card > summary").all():
        summary.click()  # open every passage
    # the card the answer quotes: a sentence marked in prose, or a table row marked as quoted
    card = turn.locator(".card", has_text="Tunisia").filter(has=page.locator("mark.answer, tr.quoted")).first
    expected = card.get_by_role("link", name="Open in document").get_attribute("href")
    assert expected and re.fullmatch(r"/docs/[\w-]+\?at=\d+#c-\d{4}", expected)
    card.get_by_role("link", name="Open in document").click()
    page.wait_for_url(re.compile(r"/docs/[\w-]+\?at=\d+#c-\d{4}$"))
    assert page.url == live_server + expected
    passage = page.locator("#" + expected.split("#")[1])
    expect(passage).to_be_in_viewport()
    expect(passage).to_have_class(re.compile(r"\bis-target\b"))
    expect(passage).to_contain_text("Tunisia")
    assert page.evaluate("document.querySelector(':target').id") == expected.split("#")[1]
    background = passage.evaluate("element => getComputedStyle(element).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")
    doc_id = expected.split("/")[2].split("#")[0]
    document = page.request.get(f"{live_server}/api/documents/{doc_id}").json()
    expect(page.locator("h1")).to_contain_text(document["title"])  # in brackets when the title is supplied


def test_without_javascript_the_form_gives_a_full_answer_page(browser: Any, live_server: str) -> None:
    context, page, _ = open_page(browser, java_script_enabled=False)
    try:
        page.goto(live_server + "/")
        page.get_by_label("Your question").fill(TUNISIA)
        page.get_by_role("button", name="Ask").click()
        page.wait_for_url(re.compile(r"/ask\?q="))
        turn = page.locator(".turn")
        expect(turn.locator(".figure.best .fig-text")).to_have_text("2,926")
        expect(turn.locator(".card")).to_have_count(5)
        turn.locator(".card > summary").first.click()  # details open without JavaScript
        expect(turn.get_by_role("button", name="Copy citation").first).to_be_hidden()  # needs JavaScript
        turn.locator(".cite-box summary").first.click()
        expect(turn.locator(".cite-box .cite-text").first).to_be_visible()
        expect(page.locator("link[rel=alternate]")).to_have_attribute("href", re.compile(r"^/api/ask\?q="))

        page.get_by_label("Ask a follow-up question").fill(CAME_BACK)
        page.get_by_role("button", name="Ask").click()
        page.wait_for_url(re.compile(r"history="))
        expect(page.locator(".turn .question")).to_have_text([TUNISIA, CAME_BACK])  # the whole conversation
        expect(page.locator(".turn").nth(1).locator(".understood")).to_contain_text("Tunisians")
        expect(page.locator(".turn").nth(1).locator(".figure.best .fig-text")).to_have_text(">800")
    finally:
        context.close()


def test_an_empty_question_shows_an_inline_error(page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    page.get_by_role("button", name="Ask").click()
    error = page.locator("#conversation > .turn-error")
    expect(error).to_have_count(1)
    expect(error).to_have_attribute("role", "alert")
    expect(error).to_contain_text("Type a question first.")
    assert page.url == live_server + "/"
    page.locator("input[name=q]").fill("   ")
    page.locator("input[name=q]").press("Enter")
    expect(error).to_have_count(2)
    ask(page, TUNISIA, 3)  # an error turn does not stop the conversation
    expect(page.locator("input[name=history]")).to_have_count(1)


def test_a_failed_request_shows_an_error_turn_not_a_blank(browser: Any, live_server: str) -> None:
    context, page, problems = open_page(browser)  # htmx logs these failures to the console: expected here
    try:
        failed_requests_become_error_turns(page, live_server)
    finally:
        context.close()
    assert not [p for p in problems if "Content Security Policy" in p]


def failed_requests_become_error_turns(page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    page.route("**/ask?*", lambda route: route.abort())
    page.locator("input[name=q]").fill(TUNISIA)
    page.locator("input[name=q]").press("Enter")
    expect(page.locator(".turn-error")).to_contain_text("could not be reached")
    page.unroute("**/ask?*")
    page.route(
        "**/ask?*",
        lambda route: route.fulfill(status=503, content_type="application/json", body='{"detail": "index loading"}'),
    )
    page.get_by_role("button", name="Ask").click()
    expect(page.locator(".turn-error")).to_have_count(2)
    expect(page.locator(".turn-error").nth(1)).to_contain_text("index loading")
    expect(page.locator("input[name=q]")).to_have_value(TUNISIA)  # kept, to try again


def test_copy_citation_puts_the_cite_string_on_the_clipboard(browser: Any, live_server: str) -> None:
    context, page, _ = open_page(browser)
    try:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
        page.goto(live_server + "/")
        turn = ask(page, TUNISIA, 1)
        turn.locator(".card > summary").nth(1).click()
        button = turn.locator(".card").nth(1).get_by_role("button", name="Copy citation")
        cite = button.get_attribute("data-cite")
        assert cite and cite.endswith(".")
        button.click()
        expect(button).to_have_text("Copied")
        assert page.evaluate("navigator.clipboard.readText()") == cite
    finally:
        context.close()


@pytest.mark.parametrize("path", ["/", "/docs", "/docs/soufan-beyond-the-caliphate#c-0062", "/ask?q=" + TUNISIA])
def test_pages_fit_a_phone(browser: Any, live_server: str, path: str) -> None:
    context, page, _ = open_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        page.goto(live_server + path)
        expect(page.locator("main")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"{path} scrolls sideways on a phone ({width}px)"
    finally:
        context.close()


def test_the_collection_and_a_missing_document(page: Any, live_server: str) -> None:
    page.goto(live_server + "/docs")
    rows = page.locator("table.documents tbody tr")
    expect(rows).to_have_count(5)
    page.get_by_role("link", name="Beyond the Caliphate: Foreign Fighters and the Threat of Returnees").click()
    expect(page).to_have_url(live_server + "/docs/soufan-beyond-the-caliphate")
    expect(page.locator(".passage").first).to_be_visible()
    response = page.goto(live_server + "/docs/no-such-document")
    assert response is not None and response.status == 404
    page.get_by_role("link", name="Back to the documents").click()
    expect(page).to_have_url(live_server + "/docs")


@pytest.mark.skipif(not os.environ.get("UI_SHOTS"), reason="set UI_SHOTS=1 to save screenshots")
def test_save_screenshots(browser: Any, live_server: str) -> None:
    """One picture per state, for a person to look at (not an assertion of how things look)."""
    out = Path(os.environ.get("UI_SHOTS_DIR", "/tmp/ui-shots"))
    out.mkdir(parents=True, exist_ok=True)

    def shot(page: Any, name: str, *, full: bool = True) -> None:
        page.screenshot(path=str(out / f"{name}.png"), full_page=full, animations="disabled")

    context, page, _ = open_page(browser)
    try:
        page.goto(live_server + "/")
        shot(page, "chat-empty")
        ask(page, TUNISIA, 1)
        shot(page, "answer")
        ask(page, CAME_BACK, 2)
        shot(page, "follow-up", full=False)
        page.locator("input[name=q]").fill("")
        page.get_by_role("button", name="Ask").click()
        expect(page.locator(".turn-error")).to_have_count(1)
        shot(page, "error", full=False)
        page.goto(live_server + "/")
        ask(page, CONFLICT, 1)
        expect(page.locator(".conflicts")).to_be_visible()
        page.locator(".conflicts").scroll_into_view_if_needed()
        shot(page, "conflict")
        page.locator(".card .open").first.click()
        page.wait_for_url(re.compile(r"#c-\d{4}$"))
        shot(page, "viewer", full=False)
        page.goto(live_server + "/docs/soufan-beyond-the-caliphate#c-0062")
        shot(page, "viewer-table", full=False)
        page.goto(live_server + "/docs")
        shot(page, "docs")
        page.goto(live_server + "/docs/no-such-document")
        shot(page, "404")
    finally:
        context.close()
    context, phone, _ = open_page(browser, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    try:
        phone.goto(live_server + "/")
        shot(phone, "phone-empty", full=False)
        ask(phone, TUNISIA, 1)
        shot(phone, "phone-answer", full=False)
        shot(phone, "phone-answer-full")
        phone.goto(live_server + "/docs/soufan-beyond-the-caliphate#c-0062")
        shot(phone, "phone-viewer", full=False)
    finally:
        context.close()


def test_a_question_the_documents_do_not_answer_says_so(page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    turn = ask(page, "Who won the 2018 FIFA World Cup?", 1)
    expect(turn.locator(".declined")).to_contain_text("The documents don't say.")
    expect(turn.locator(".declined q")).to_have_text("Who won the 2018 FIFA World Cup?")
    expect(turn.locator(".figures")).to_have_count(0)
    expect(turn.get_by_text("Best match")).to_have_count(0)
    expect(turn.locator(".lead-line")).to_have_count(0)
    expect(turn.locator(".card")).to_have_count(5)  # the closest passages, folded behind their titles
    expect(turn.locator(".card .card-text, .card .card-table").first).to_be_hidden()
    turn.locator(".card > summary").first.click()
    expect(turn.locator(".card .card-text, .card .card-table").first).to_be_visible()


def cited_numbers(turn: Any) -> list[int]:
    """The citation numbers a turn shows above its passages, in the order a reader meets them."""
    hrefs = turn.locator(".answer a.cite, .figures a.cite").evaluate_all("links => links.map(a => a.hash)")
    return [int(h.rsplit("-p", 1)[1]) for h in hrefs]


def test_the_answer_comes_first_and_citations_count_up(page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    for n, question in enumerate([TUNISIA, CONFLICT, "What happened to the Kosovars who returned from Syria?"], 1):
        turn = ask(page, question, n)
        first = []
        for number in cited_numbers(turn):
            if number not in first:
                first.append(number)
        assert first == list(range(1, len(first) + 1)), (question, first)
        titles = turn.locator(".card .card-n").all_inner_texts()
        assert titles == [str(i) for i in range(1, len(titles) + 1)]
        answer_box = turn.locator("section.answer").bounding_box()
        passages_box = turn.locator(".passages").bounding_box()
        assert answer_box and passages_box and answer_box["y"] < passages_box["y"]
    expect(page.locator(".turn").first.locator(".lead-line")).to_contain_text("Confidence")
    card = page.locator(".turn").first.locator(".card").nth(2)
    expect(card.locator(".card-text, .card-table")).to_be_hidden()
    card.locator("summary.card-head").click()
    expect(card.locator(".card-text, .card-table")).to_be_visible()
    card.locator("summary.card-head").click()
    expect(card.locator(".card-text, .card-table")).to_be_hidden()


def test_reload_back_and_a_shared_link_keep_the_conversation(browser: Any, live_server: str) -> None:
    context, page, _ = open_page(browser)
    try:
        page.goto(live_server + "/")
        ask(page, TUNISIA, 1)
        ask(page, CAME_BACK, 2)
        shared = page.url
        assert "history=" in shared
        page.reload()
        expect(page.locator(".turn .question")).to_have_text([TUNISIA, CAME_BACK])
        page.locator(".turn").nth(1).locator(".card > summary").first.click()
        page.locator(".turn").nth(1).get_by_role("link", name="Open in document").first.click()
        page.wait_for_url(re.compile(r"/docs/"))
        page.go_back()
        expect(page.locator(".turn .question")).to_have_text([TUNISIA, CAME_BACK])
        expect(page.locator("input[name=history]")).to_have_count(2)
        page.go_back()  # the first turn alone, as it was
        expect(page.locator(".turn .question")).to_have_text([TUNISIA])
        page.get_by_role("link", name="New conversation").click()
        expect(page.locator(".turn")).to_have_count(0)
        expect(page.locator(".intro")).to_be_visible()
    finally:
        context.close()
    other, elsewhere, _ = open_page(browser)  # someone the link was sent to
    try:
        elsewhere.goto(shared)
        expect(elsewhere.locator(".turn .question")).to_have_text([TUNISIA, CAME_BACK])
        expect(elsewhere.locator(".turn").nth(1).locator(".lead-line .lead-text")).to_have_text(">800")
    finally:
        other.close()


def test_a_turn_exports_as_markdown_and_its_figures_as_csv(browser: Any, live_server: str) -> None:
    context, page, _ = open_page(browser, accept_downloads=True)
    try:
        page.goto(live_server + "/")
        turn = ask(page, TUNISIA, 1)
        with page.expect_download() as got:
            turn.get_by_role("link", name="Download as Markdown").click()
        download = got.value
        assert download.suggested_filename == "answer.md"
        text = Path(download.path()).read_text(encoding="utf-8")
        assert text.startswith(f"# {TUNISIA}\n") and "**2,926**" in text
        references = re.findall(r"^(\d+)\. .+<(http://127\.0\.0\.1:\d+/docs/\S+)>$", text, re.M)
        assert [n for n, _ in references] == ["1", "2", "3", "4", "5"]
        with page.expect_download() as got:
            turn.get_by_role("link", name="Figures as CSV").click()
        rows = list(csv.DictReader(io.StringIO(Path(got.value.path()).read_text(encoding="utf-8"))))
        shown = turn.locator(".figure-table .fig-text").all_inner_texts()
        assert [row["figure"] for row in rows] == shown
        assert rows[0]["figure"] == "2,926" and rows[0]["citation"] == "1" and rows[0]["value"] == "2926"
    finally:
        context.close()


def test_the_document_filter_restricts_the_answer(page: Any, live_server: str) -> None:
    page.goto(live_server + "/")
    page.get_by_text("Search in: all 5 documents").click()
    chosen = "Lorenzo Vidino on what will happen to the Islamic State's foreign fighters"
    page.get_by_label(chosen).check()
    turn = ask(page, TUNISIA, 1)
    assert "doc=" in page.url
    for summary in turn.locator(".card > summary").all():
        summary.click()
    links = turn.get_by_role("link", name="Open in document").evaluate_all("links => links.map(a => a.pathname)")
    assert links and len(set(links)) == 1, links
    titles = set(turn.locator(".card .card-h").all_inner_texts())
    assert all(chosen in title for title in titles), titles
    expect(page.get_by_text("Search in: 1 of 5 documents")).to_be_visible()


@pytest.fixture(scope="module")
def second_collection(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A collection that is not the demo (two financial reports with tables), with its own
    [collection] in manifest.toml, served by `assistant serve`."""
    from assistant.ingest.build import build_index
    from assistant.store.embedding import load_embedder
    from tests.conftest import SHARED, serving, settings_for

    corpus = tmp_path_factory.mktemp("second-corpus")
    for path in sorted((SHARED / "eval" / "tatqa" / "corpus").glob("*.html"))[:2]:
        (corpus / path.name).write_bytes(path.read_bytes())
    (corpus / "notes.md").write_text(
        "# Notes on the two reports\n\n## Credit exposure by region\n\n"
        "The largest credit exposure is in the UK, at £24.5m in 2019 against £24.9m in 2018.\n\n"
        "## Questions for the auditors\n\nWhether the Irish receivables of £0.4m are fully recoverable.\n",
        encoding="utf-8",
    )
    (corpus / "manifest.toml").write_text(
        '[collection]\nname = "Two annual reports"\ndescription = "excerpts of two companies\' annual reports"\n',
        encoding="utf-8",
    )
    settings = settings_for(corpus, tmp_path_factory.mktemp("second-index"))
    build_index(settings, lambda: load_embedder(settings, bulk=True))
    with serving(settings.index_dir) as base:
        yield base


def test_the_home_page_of_another_collection_shows_that_collection(page: Any, second_collection: str) -> None:
    page.goto(second_collection + "/")
    intro = page.locator(".intro")
    expect(intro.locator("h2")).to_have_text("Two annual reports")
    expect(intro).to_contain_text("Ask a question about the 3 documents in the collection: excerpts of two companies")
    expect(intro).not_to_contain_text("fighters")
    topics = intro.locator(".examples a")  # no example questions in its manifest: headings to start from
    expect(topics.first).to_be_visible()
    topic = topics.first.inner_text()
    topics.first.click()
    expect(page.locator(".turn .question")).to_have_text([topic])
