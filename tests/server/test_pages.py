"""The pages, in process, with a fake embedder: what a person (or a browser without JavaScript)
gets back, escaping, the JSON twins, and markup that the Content-Security-Policy lets run."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from fastapi.testclient import TestClient
from markupsafe import escape

from assistant.ingest.build import build_index
from assistant.server.app import create_app
from assistant.server.highlight import highlight, inline
from assistant.server.schemas import FigureModel
from assistant.server.wording import qualifier_words
from assistant.service import Assistant
from assistant.settings import Settings
from tests.conftest import CORPUS, FakeEmbedder, settings_for

HX = {"HX-Request": "true"}
TUNISIA = "How many Tunisians went to fight in Syria and Iraq?"
XSS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>']


@pytest.fixture(scope="module")
def markup_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A one-document collection whose text and manifest are full of markup."""
    corpus = tmp_path_factory.mktemp("markup-corpus")
    (corpus / "markup.txt").write_text(
        "Markup in documents\n\n"
        'The report says <b>bold</b> & <script>alert(1)</script> are text, and "><img src=x onerror=alert(1)> too.\n\n'
        "About 1,200 fighters returned home in 2017, according to the ministry.\n"
    )
    (corpus / "manifest.toml").write_text(
        '["markup.txt"]\ntitle = "<i>Tags</i> & co"\nauthors = ["<b>Author</b>"]\n'
        'publisher = "Press <script>x</script>"\ndate = "2020-01"\nlink = "javascript:alert(1)"\n'
    )
    settings = settings_for(corpus, tmp_path_factory.mktemp("markup-index"), model="fake-embedder")
    build_index(settings, FakeEmbedder)
    with TestClient(create_app(settings, Assistant.load(settings, FakeEmbedder()))) as test_client:
        yield test_client


def esc(text: str) -> str:
    return str(escape(text))


def hidden_history(html: str) -> list[str]:
    import html as html_lib

    return [html_lib.unescape(v) for v in re.findall(r'<input type="hidden" name="history" value="([^"]*)">', html)]


def assert_csp_compatible(html: str) -> None:
    """Nothing the policy `script-src 'self'; style-src 'self'` would block."""
    for tag in re.findall(r"<script\b[^>]*>", html, flags=re.IGNORECASE):
        assert re.search(r'\ssrc="/static/[^"]+"', tag), tag
    assert not re.search(r"<script\b[^>]*>(?!</script>)", html, flags=re.IGNORECASE), "inline script"
    assert not re.search(r"\son[a-z]+\s*=", html, flags=re.IGNORECASE), "event-handler attribute"
    assert not re.search(r"\sstyle\s*=", html, flags=re.IGNORECASE), "style attribute"
    assert "<style" not in html.lower()
    assert "hx-on" not in html and 'href="javascript:' not in html


# --- the chat ----------------------------------------------------------------------------------


def test_the_chat_page_is_a_real_form_that_htmx_enhances(client: TestClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["vary"] == "HX-Request"
    assert "script-src 'self'" in response.headers["content-security-policy"]
    html = response.text
    assert '<form class="ask" action="/ask" method="get" hx-get="/ask" hx-target="#conversation"' in html
    assert 'hx-swap="beforeend"' in html and 'hx-indicator="#asking"' in html
    assert '<label for="q">' in html and '<input id="q" name="q" type="text"' in html
    assert '<div id="history">' in html and hidden_history(html) == []
    assert '<meta name="htmx-config"' in html and '"includeIndicatorStyles": false' in html
    assert re.search(r'<script src="/static/htmx-\d+\.\d+\.\d+\.min\.js" defer></script>', html)
    assert '<main id="main"' in html and 'href="#main"' in html and '<nav aria-label="Main">' in html
    assert 'role="status"' in html and 'aria-live="polite"' in html
    assert '<a class="new-conversation" href="/">New conversation</a>' in html
    assert 'href="/api/health"' in html
    assert_csp_compatible(html)


def test_the_home_page_describes_the_collection_served_not_the_demo(
    client: TestClient, long_client: TestClient
) -> None:
    """It said "reports on foreign fighters, militias and returnees" whatever was served; the
    description and example questions now come from the collection's own manifest.toml."""
    demo = client.get("/").text
    assert "Ask a question about the 5 documents in the collection: five reports on foreign fighters" in demo
    examples = re.findall(r'<li><a href="/ask\?q=([^"]+)">([^<]+)</a></li>', demo)
    assert len(examples) == 3 and examples[0][1] == "How many Tunisians went off to fight in Syria and Iraq?"
    assert client.get("/ask?q=" + examples[0][0]).status_code == 200
    other = long_client.get("/").text
    assert "Ask a question about the 1 document in the collection." in other
    assert "fighters" not in other.lower()
    # no example questions in its manifest: a heading of its document to start from
    assert re.findall(r'<li><a href="/ask\?q=[^"]+">([^<]+)</a></li>', other) == ["Section 0 Shipments"]


def test_asking_without_javascript_gives_a_full_page_ready_for_a_follow_up(client: TestClient) -> None:
    response = client.get("/ask", params=[("q", f"  {TUNISIA}  "), ("history", "Who went to Syria?")])
    assert response.status_code == 200
    assert response.headers["vary"] == "HX-Request"
    html = response.text
    assert html.lstrip().startswith("<!doctype html>")
    questions = re.findall(r'<h2 class="question" id="t-[0-9a-f]+-q">([^<]+)</h2>', html)
    assert questions == ["Who went to Syria?", TUNISIA]  # the whole conversation, each turn answered
    assert html.count('<article class="turn"') == 2
    assert hidden_history(html) == ["Who went to Syria?", TUNISIA]
    assert "Ask a follow-up question" in html
    twin = re.search(r'<link rel="alternate" type="application/json" href="([^"]+)">', html)
    assert twin is not None
    url = urlsplit(twin.group(1).replace("&amp;", "&"))
    assert url.path == "/api/ask"
    assert parse_qs(url.query) == {"q": [TUNISIA], "history": ["Who went to Syria?"]}
    assert_csp_compatible(html)


def test_htmx_gets_only_the_new_turn_and_the_updated_history(client: TestClient) -> None:
    response = client.get("/ask", params={"q": TUNISIA}, headers=HX)
    assert response.status_code == 200
    assert response.headers["vary"] == "HX-Request"
    html = response.text
    assert "<html" not in html and "<form" not in html
    assert html.lstrip().startswith('<article class="turn"')
    assert '<div id="history" hx-swap-oob="true">' in html and hidden_history(html) == [TUNISIA]
    assert '<p id="status" class="visually-hidden" role="status" aria-live="polite" hx-swap-oob="innerHTML">' in html
    assert_csp_compatible(html)


def test_the_page_shows_what_its_json_twin_says(client: TestClient) -> None:
    page = client.get("/ask", params={"q": TUNISIA}).text
    twin = client.get("/api/ask", params={"q": TUNISIA}).json()
    for passage in twin["passages"]:
        assert f'<a class="open" href="{passage["url"]}"' in page
        assert f'data-cite="{esc(passage["cite"])}"' in page
        assert f'<p class="cite-text">{esc(passage["cite"])}</p>' in page
        assert esc(passage["title"]) in page
    for figure in twin["figures"]:
        assert f'<span class="fig-text">{esc(figure["text"])}</span>' in page
    assert twin["answer"]
    for sentence in twin["answer"]:
        assert esc(sentence["text"]) in page


def test_citation_markers_link_to_passage_cards_on_the_page(client: TestClient) -> None:
    html = client.get("/ask", params={"q": TUNISIA}).text
    targets = set(re.findall(r'href="#(t-[0-9a-f]+-[pd]\d+)"', html))
    assert targets
    ids = set(re.findall(r'id="(t-[0-9a-f]+-[pd]\d+)"', html))
    assert targets <= ids
    assert len(re.findall(r'<details class="card" id="t-[0-9a-f]+-p\d+"', html)) == 5
    assert html.count(">Open in document</a>") == 5
    assert html.count('<button type="button" class="copy"') == 5 and html.count("<summary>Citation</summary>") == 5


def test_a_follow_up_says_how_it_was_understood(client: TestClient) -> None:
    response = client.get(
        "/ask", params=[("q", "And how many came back?"), ("history", "How many foreign fighters came from Tunisia?")]
    )
    assert response.status_code == 200
    assert "Understood as: <q>How many foreign fighters from Tunisia came back?</q>" in response.text
    first = client.get("/ask", params={"q": TUNISIA}).text
    assert "Understood as" not in first


def test_the_history_a_page_carries_is_capped_at_twenty_turns(client: TestClient) -> None:
    earlier = [f"question number {i}" for i in range(25)]
    response = client.get("/ask", params=[("q", TUNISIA), *(("history", h) for h in earlier), ("history", "  ")])
    assert response.status_code == 200
    assert hidden_history(response.text) == [*earlier[-19:], TUNISIA]


@pytest.mark.parametrize(
    ("question", "says"),
    [
        ("", "Type a question first."),
        ("   \t ", "Type a question first."),
        ("x" * 1001, "That question is 1,001 characters long; the limit is 1,000."),
    ],
)
def test_bad_questions_give_an_error_turn(client: TestClient, question: str, says: str) -> None:
    partial = client.get("/ask", params=[("q", question), ("history", "Earlier?")], headers=HX)
    assert partial.status_code == 422
    assert partial.headers["vary"] == "HX-Request"
    assert partial.text.lstrip().startswith('<article class="turn turn-error" role="alert">')
    assert says in partial.text and "<html" not in partial.text
    page = client.get("/ask", params=[("q", question), ("history", "Earlier?")])
    assert page.status_code == 422
    assert "<!doctype html>" in page.text and says in page.text and 'role="alert"' in page.text
    assert hidden_history(page.text) == ["Earlier?"]  # the conversation is kept for another try
    assert_csp_compatible(page.text)


def test_a_missing_question_is_the_same_error(client: TestClient) -> None:
    response = client.get("/ask")
    assert response.status_code == 422 and "Type a question first." in response.text


@pytest.mark.parametrize("payload", XSS)
def test_questions_come_back_escaped(client: TestClient, payload: str) -> None:
    question = f"How many fighters {payload}"
    for headers in ({}, HX):
        html = client.get("/ask", params=[("q", question), ("history", payload)], headers=headers).text
        assert payload not in html
        assert "&lt;script&gt;" in html or "&lt;img src=x onerror=alert(1)&gt;" in html
        assert "<img" not in html and "<script>alert" not in html
        assert_csp_compatible(html.replace("onerror=alert(1)&gt;", ""))
    error = client.get("/ask", params={"q": payload + "x" * 1000}, headers=HX).text
    assert payload not in error and "&lt;" in error


def test_a_server_failure_is_an_error_page_or_turn_never_a_blank(fake_settings: Settings) -> None:
    class Broken(Assistant):
        def ask(self, *args: object, **kwargs: object):  # type: ignore[no-untyped-def, override]
            raise RuntimeError("boom")

    app = create_app(fake_settings, Broken.load(fake_settings, FakeEmbedder()))
    with TestClient(app, raise_server_exceptions=False) as broken:
        page = broken.get("/ask", params={"q": TUNISIA})
        assert page.status_code == 500 and "<!doctype html>" in page.text
        assert "Something went wrong" in page.text and "boom" not in page.text
        partial = broken.get("/ask", params={"q": TUNISIA}, headers=HX)
        assert partial.status_code == 500 and 'class="error-message"' in partial.text and "<html" not in partial.text
        assert broken.get("/api/ask", params={"q": TUNISIA}).json() == {"detail": "internal error"}


def test_without_an_index_the_pages_say_so(tmp_path: Path) -> None:
    settings = settings_for(CORPUS, tmp_path / "no-index", model="fake-embedder")
    with TestClient(create_app(settings, Assistant(settings, FakeEmbedder()))) as empty:
        for path in ("/", "/docs", "/docs/anything", "/ask?q=fighters"):
            response = empty.get(path)
            assert response.status_code == 503, path
            assert "<!doctype html>" in response.text and "assistant index" in response.text
        partial = empty.get("/ask", params={"q": "fighters"}, headers=HX)
        assert partial.status_code == 503 and "assistant index" in partial.text and "<html" not in partial.text


# --- the collection and the viewer ------------------------------------------------------------


def test_the_documents_table(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200
    html = response.text
    documents = client.get("/api/documents").json()
    assert html.count("<tr>") == len(documents) + 1
    for doc in documents:
        assert f'<a href="/docs/{doc["doc_id"]}">' in html
        assert f'<td data-label="Passages" class="num">{doc["chunks"]:,}</td>' in html
    assert '<td data-label="Author(s)">Richard Barrett</td>' in html
    assert '<td data-label="Publisher">The Soufan Center</td>' in html
    assert '<time datetime="2017-10">October 2017</time>' in html
    assert '<th scope="col">Author(s)</th>' in html and '<caption class="visually-hidden">' in html
    assert 'href="/api/documents"' in html
    assert_csp_compatible(html)


@pytest.mark.parametrize(
    "doc_id", ["soufan-beyond-the-caliphate", "ctc-sentinel-2019-08", "vidino-is-foreign-fighters"]
)
def test_the_viewer_has_an_element_for_every_passage_the_api_links_to(client: TestClient, doc_id: str) -> None:
    detail = client.get(f"/api/documents/{doc_id}").json()
    wanted = [p["url"].split("#", 1)[1] for p in detail["passages"]]
    for url in [p["url"] for p in detail["passages"]][::25]:  # each link opens the part that holds its passage
        assert f'id="{url.split("#")[1]}"' in client.get(url).text
    response = client.get(f"/docs/{doc_id}")
    assert response.status_code == 200
    html = response.text
    parts = int(m.group(1)) if (m := re.search(r"<span>Part 1 of (\d+)</span>", html)) else 1
    ids = []
    for part in range(1, parts + 1):
        ids += re.findall(r'class="passage[^"]*" id="(c-\d{4})"', client.get(f"/docs/{doc_id}?part={part}").text)
    assert sorted(ids) == sorted(wanted) and len(ids) == len(set(ids))
    assert [c.split(":")[1] for c in (p["chunk_id"] for p in detail["passages"])] == [w[2:] for w in wanted]
    assert re.search(rf'<h1 id="doc-title">\[?{re.escape(esc(detail["title"]))}\]?</h1>', html)
    assert f'href="/api/documents/{doc_id}"' in html
    assert f'data-cite="{esc(detail["cite"])}"' in html
    assert_csp_compatible(html)


def test_the_viewer_shows_headings_tables_pages_and_notes(client: TestClient) -> None:
    soufan = client.get("/docs/soufan-beyond-the-caliphate").text
    assert re.search(r'<h2 class="doc-heading" id="h-\d+">', soufan)
    assert '<p class="page-mark"><span>p. 13</span></p>' in soufan
    assert re.search(r'<tr><th scope="col">COUNTRY <span class="ref">\[18\]</span></th><th scope="col">FFs', soufan)
    assert re.search(
        r'<tbody class="passage" id="c-\d{4}">\s*<tr><th scope="row">Tunisia <span class="ref">\[97\]</span></th>'
        r'<td class="num">2,926</td>',
        soufan,
    )
    assert '<p class="doc-caption">Table: Foreign Fighters who have' in soufan
    cite = "Richard Barrett, “Beyond the Caliphate: Foreign Fighters and the Threat of Returnees,” The Soufan Center"
    assert f'<span class="cite-text">{cite}, October 2017.</span>' in soufan
    ctc = client.get("/docs/ctc-sentinel-2019-08").text
    assert re.search(r'<aside class="passage note" id="c-\d{4}" aria-label="Notes? [a-z]', ctc)
    assert '<span class="note-label">Note a</span>' in ctc


def test_an_unknown_document_is_a_404_page(client: TestClient) -> None:
    response = client.get("/docs/no-such-document")
    assert response.status_code == 404
    html = response.text
    assert "<!doctype html>" in html and "Not found" in html and "no-such-document" in html
    assert '<a href="/docs">Back to the documents</a>' in html
    assert_csp_compatible(html)
    assert client.get("/docs/<script>alert(1)</script>").text.count("<script>alert") == 0


TRAVERSALS = [
    "/docs/..%2f..%2fpyproject.toml",
    "/docs/%2e%2e%2f%2e%2e%2fpyproject.toml",
    "/docs/..%252f..%252fpyproject.toml",
    "/docs/%252e%252e%252f%252e%252e%252fpyproject.toml",
    "/docs/..%5c..%5cpyproject.toml",
    "/static/..%2f..%2fpyproject.toml",
    "/static/%2e%2e/%2e%2e/pyproject.toml",
    "/static/..%252f..%252fpyproject.toml",
    "/api/documents/..%2f..%2fpyproject.toml",
    "/api/documents/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_path_traversal_reaches_nothing_outside_the_collection(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "[project]" not in response.text and "root:" not in response.text


def test_unknown_addresses_are_html_for_pages_and_json_for_the_api(client: TestClient) -> None:
    page = client.get("/no/such/page")
    assert page.status_code == 404 and "There is no page at this address." in page.text
    api = client.get("/api/no/such/route")
    assert api.status_code == 404 and api.json() == {"detail": "Not Found"}
    wrong = client.post("/ask")
    assert wrong.status_code == 405 and "<!doctype html>" in wrong.text


def test_markup_in_documents_is_shown_as_text(markup_client: TestClient) -> None:
    viewer = markup_client.get("/docs/markup").text
    assert "&lt;b&gt;bold&lt;/b&gt; &amp; &lt;script&gt;alert(1)&lt;/script&gt;" in viewer
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in viewer
    assert '<h1 id="doc-title">&lt;i&gt;Tags&lt;/i&gt; &amp; co</h1>' in viewer
    assert "<dd>Press &lt;script&gt;x&lt;/script&gt;</dd>" in viewer
    assert 'href="javascript:' not in viewer  # a manifest link is only a link when it is http(s)
    table = markup_client.get("/docs").text
    assert "&lt;i&gt;Tags&lt;/i&gt; &amp; co" in table and "<i>Tags" not in table
    for headers in ({}, HX):
        answer = markup_client.get("/ask", params={"q": "How many fighters returned home?"}, headers=headers).text
        assert "&lt;b&gt;bold&lt;/b&gt;" in answer and "<b>bold" not in answer and "<img" not in answer
        assert '<mark class="answer">' in answer and "<script>alert" not in answer
        assert_csp_compatible(answer.replace("onerror=alert(1)&gt;", "").replace("onerror=<mark", ""))


def test_static_files_are_served(client: TestClient) -> None:
    html = client.get("/").text
    htmx = re.search(r'src="(/static/htmx-[^"]+)"', html)
    assert htmx is not None
    for path in (htmx.group(1), "/static/app.js", "/static/app.css"):
        response = client.get(path)
        assert response.status_code == 200 and response.content, path
    assert "htmx" in client.get(htmx.group(1)).text[:200]
    licence = htmx.group(1).replace(".min.js", ".LICENSE.txt")
    assert client.get(licence).status_code == 200


# --- pieces ------------------------------------------------------------------------------------


def test_highlight_marks_the_answer_sentence_and_the_query_terms() -> None:
    text = "First sentence here.[3] Tunisia sent 2,926 fighters [19] to Syria. Last one."
    quote = (text.index("Tunisia"), text.index(" Last"))
    segments = highlight(text, [quote], ["tunisia", "fighters"])
    assert [s.kind for s in segments] == ["text"]
    html = str(segments[0].html)
    assert (
        '<mark class="answer"><mark class="term">Tunisia</mark> sent 2,926 <mark class="term">fighters</mark>' in html
    )
    assert "to Syria.</mark> Last one." in html
    assert '<span class="ref">[3]</span>' in html and '<span class="ref">[19]</span>' in html


def test_highlight_marks_a_table_row_under_its_header_and_escapes() -> None:
    text = "COUNTRY [18] FFs RETURNED\nTrinidad [96] >130\nTunisia [97] 2,926 >800\n<b>x</b> & y"
    row = text.index("Tunisia")
    head = text.index("\n")
    segments = highlight(
        text, [(row, text.index("\n", row))], [], parts=[("head", 0, head), ("rows", head + 1, len(text))]
    )
    assert [s.kind for s in segments] == ["head", "rows"]
    rows = str(segments[1].html)
    assert '<mark class="answer">Tunisia <span class="ref">[97]</span> 2,926 &gt;800</mark>' in rows
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in rows and "<b>" not in rows


def test_highlight_splits_paragraphs_and_escapes() -> None:
    segments = highlight("One para.\n\nTwo <para>.", [], ["para"])
    assert [str(s.html) for s in segments] == [
        'One <mark class="term">para</mark>.',
        'Two &lt;<mark class="term">para</mark>&gt;.',
    ]
    assert str(inline("a [b] <c>")) == 'a <span class="ref">[b]</span> &lt;c&gt;'


@pytest.mark.parametrize(
    ("qualifier", "value", "high", "unit", "words"),
    [
        ("more_than", 800, None, None, "more than 800"),
        ("approx", 30000, None, None, "about 30,000"),
        ("exact", 2926, None, None, "exact figure"),
        ("at_least", 37.5, None, "percent", "at least 37.5%"),
        ("range", 5000, 6000, None, "between 5,000 and 6,000"),
        ("less_than", 2, None, "years", "less than 2 years"),
    ],
)
def test_qualifier_words(qualifier: str, value: float, high: float | None, unit: str | None, words: str) -> None:
    figure = FigureModel(
        text="x", value=value, value_high=high, qualifier=qualifier, unit=unit, label="l", sentence="s", citation=1
    )
    assert qualifier_words(figure) == words


def test_a_bad_earlier_turn_is_named_in_the_error(client: TestClient) -> None:
    response = client.get("/ask", params=[("q", TUNISIA), ("history", "x" * 1001)], headers=HX)
    assert response.status_code == 422
    assert "history.0:" in response.text and "1000" in response.text


@pytest.fixture(scope="module")
def long_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """A one-document collection whose document is long: 60 sections of 40 paragraphs."""
    corpus = tmp_path_factory.mktemp("long-corpus")
    sections = []
    for section in range(60):
        paragraphs = [
            f"Paragraph {section}.{n}: the depot shipped {section * 100 + n:,} crates to the eastern stores that week, "
            "and the ledger records each crate with its weight, its origin and the clerk who signed for it."
            for n in range(40)
        ]
        sections.append(f"Section {section} Shipments\n\n" + "\n\n".join(paragraphs))
    (corpus / "ledger.txt").write_text("\n\n".join(sections) + "\n", encoding="utf-8")
    settings = settings_for(corpus, tmp_path_factory.mktemp("long-index"), model="fake-embedder")
    build_index(settings, FakeEmbedder)
    with TestClient(create_app(settings, Assistant.load(settings, FakeEmbedder()))) as test_client:
        yield test_client


def test_a_long_document_is_shown_in_parts_of_bounded_size(long_client: TestClient) -> None:
    """A 4 MB file used to be one 20.5 MB page, 19 s to build, holding up the server."""
    from assistant.server.viewer import PART_SIZE

    passages = long_client.get("/api/documents/ledger").json()["passages"]
    assert len(passages) > 3 * PART_SIZE
    first = long_client.get("/docs/ledger").text
    count = int(re.search(r"<span>Part 1 of (\d+)</span>", first).group(1))  # type: ignore[union-attr]
    assert count == -(-len(passages) // PART_SIZE)
    sizes = []
    for number in range(1, count + 1):
        html = long_client.get(f"/docs/ledger?part={number}").text
        sizes.append(len(html))
        shown = re.findall(r'class="passage[^"]*" id="(c-\d{4})"', html)
        assert 0 < len(shown) <= PART_SIZE
        assert ('rel="prev"' in html) == (number > 1) and ('rel="next"' in html) == (number < count)
    assert max(sizes) < 3 * min(sizes[:-1])  # every part about the same size, whatever the document's length
    late = passages[-5]
    page = long_client.get(late["url"]).text  # a citation's link opens the part that holds it
    assert f'id="{late["url"].split("#")[1]}"' in page and f"<span>Part {count} of {count}</span>" in page
    contents = re.findall(r'<li><a href="(\?part=\d+)?#(h-\d+)">Section (\d+) Shipments</a></li>', first)
    assert len(contents) == 60
    part, anchor, _ = contents[-1]
    assert part and f'id="{anchor}"' in long_client.get(f"/docs/ledger{part}").text
    assert f'id="{anchor}"' not in first
    beyond = long_client.get(f"/docs/ledger?part={count + 5}")
    assert beyond.status_code == 200 and f"<span>Part {count} of {count}</span>" in beyond.text
    assert long_client.get("/docs/ledger?part=0").status_code == 422


@pytest.mark.parametrize(
    ("periods", "label"),
    [
        (("FY2024", "Q2", "2023-07-29"), "Q2 of fiscal 2024 (to 29 July 2023)"),
        (("FY2023", "annual", "2023-01-28"), "fiscal 2023 (to 28 January 2023)"),
        (("FY2023", "2023-08-30"), "fiscal 2023 (dated 30 August 2023)"),  # an 8-K's day is the day it reports
        (("FY2022", "Q4"), "Q4 of fiscal 2022"),
        ((), ""),
    ],
)
def test_a_filings_period_reads_as_an_analyst_says_it(periods: tuple[str, ...], label: str) -> None:
    from assistant.server.citation import format_period

    assert format_period(periods) == label
