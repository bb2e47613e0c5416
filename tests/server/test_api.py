"""The JSON API against its contract (shared/API.md), in process, with a fake embedder."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from assistant.server.app import create_app
from assistant.service import Assistant
from assistant.settings import Settings
from tests.conftest import CORPUS, FakeEmbedder, settings_for

QUALIFIERS = {"exact", "approx", "more_than", "less_than", "at_least", "at_most", "range"}


def test_health(client: TestClient) -> None:
    response = client.get("/api/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "documents": 5,
        "chunks": response.json()["chunks"],
        "model": "fake-embedder",
        "generation": response.json()["generation"],
        "warning": None,
    }
    assert response.json()["chunks"] > 300
    assert response.json()["generation"].startswith("gen-")


def test_health_without_an_index_is_503_with_a_detail(tmp_path: Path) -> None:
    settings = settings_for(CORPUS, tmp_path / "no-index", model="fake-embedder")
    with TestClient(create_app(settings, Assistant(settings, FakeEmbedder()))) as test_client:
        response = test_client.get("/api/health")
        assert response.status_code == 503
        assert "assistant index" in response.json()["detail"]
        search = test_client.get("/api/search", params={"q": "returnees"})
        assert search.status_code == 503
        assert "assistant index" in search.json()["detail"]


def test_search_follows_the_contract(client: TestClient) -> None:
    response = client.get("/api/search", params={"q": "  how many fighters returned to tunisia  ", "k": 4})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "how many fighters returned to tunisia"
    assert isinstance(body["took_ms"], float)
    results = body["results"]
    assert [r["rank"] for r in results] == [1, 2, 3, 4]
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    for result in results:
        assert set(result) >= {"rank", "score", "doc_id", "title", "chunk_id", "text", "page", "url"}
        seq = result["chunk_id"].split(":")[1]
        assert result["chunk_id"].startswith(result["doc_id"] + ":") and len(seq) == 4
        assert result["url"] == f"/docs/{result['doc_id']}?at={int(seq)}#c-{seq}"
        assert result["page"] is None or isinstance(result["page"], int)
        assert 0 < len(result["text"]) <= 1200
        assert result["cite"].endswith(".") and result["title"].split(":")[0] in result["cite"]


def test_search_default_k_and_document_filter(client: TestClient) -> None:
    assert len(client.get("/api/search", params={"q": "foreign fighters"}).json()["results"]) == 10
    only = client.get(
        "/api/search", params=[("q", "foreign fighters"), ("doc", "vidino-is-foreign-fighters"), ("k", "50")]
    ).json()["results"]
    assert only and {r["doc_id"] for r in only} == {"vidino-is-foreign-fighters"}
    two = client.get(
        "/api/search",
        params=[("q", "returnees"), ("doc", "vidino-is-foreign-fighters"), ("doc", "soufan-beyond-the-caliphate")],
    ).json()["results"]
    assert {r["doc_id"] for r in two} <= {"vidino-is-foreign-fighters", "soufan-beyond-the-caliphate"}


@pytest.mark.parametrize(
    ("params", "status", "says"),
    [
        ({}, 422, "q"),
        ({"q": ""}, 422, "must not be empty"),
        ({"q": "   \t  "}, 422, "must not be"),
        ({"q": "\x00\x07"}, 422, "must not be"),
        ({"q": "x" * 1001}, 422, "at most 1000"),
        ({"q": "fighters", "k": 0}, 422, "k"),
        ({"q": "fighters", "k": 51}, 422, "k"),
        ({"q": "fighters", "k": "ten"}, 422, "k"),
        ({"q": "fighters", "doc": "no-such-doc"}, 404, "unknown document id: no-such-doc"),
    ],
)
def test_search_rejects_bad_input_clearly(
    client: TestClient, params: dict[str, object], status: int, says: str
) -> None:
    response = client.get("/api/search", params=params)  # type: ignore[arg-type]
    assert response.status_code == status
    assert says in response.json()["detail"]


def test_ask_follows_the_contract(client: TestClient) -> None:
    response = client.post("/api/ask", json={"question": "How many Tunisians went to fight?", "k": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["question"] == "How many Tunisians went to fight?"
    assert body["resolved_query"] == body["question"]
    assert body["answerable"] is True and 0.0 < body["confidence"] <= 1.0
    assert [p["n"] for p in body["passages"]] == [1, 2, 3]
    for passage in body["passages"]:
        assert set(passage) >= {"n", "rank", "score", "doc_id", "title", "chunk_id", "text", "page", "url"}
    numbers = {p["n"] for p in body["passages"]}
    assert body["answer"] and all(set(s["citations"]) <= numbers for s in body["answer"])
    assert body["figures"]
    for figure in body["figures"]:
        assert figure["qualifier"] in QUALIFIERS
        assert figure["citation"] in numbers
        assert isinstance(figure["value"], float)
        assert figure["text"] and figure["sentence"]
        if figure["qualifier"] == "range":
            assert figure["value_high"] > figure["value"]


def test_ask_resolves_a_follow_up_against_history(client: TestClient) -> None:
    response = client.post(
        "/api/ask",
        json={"question": "And how many came back?", "history": ["How many foreign fighters came from Tunisia?"]},
    )
    assert response.status_code == 200
    assert response.json()["resolved_query"] == "How many foreign fighters from Tunisia came back?"


@pytest.mark.parametrize(
    ("body", "says"),
    [
        ({}, "question"),
        ({"question": ""}, "must not be empty"),
        ({"question": "   "}, "must not be"),
        ({"question": "x" * 1001}, "at most 1000"),
        ({"question": 42}, "question"),
        ({"question": "fighters", "k": 21}, "k"),
        ({"question": "fighters", "k": 0}, "k"),
        ({"question": "fighters", "history": "not a list"}, "history"),
        ({"question": "fighters", "history": ["turn"] * 21}, "history"),
        ({"question": "fighters", "history": ["x" * 1001]}, "at most 1000"),
        ({"question": "\x00\x00 \x01"}, "must not be"),
    ],
)
def test_ask_rejects_bad_input_clearly(client: TestClient, body: dict[str, object], says: str) -> None:
    response = client.post("/api/ask", json=body)
    assert response.status_code == 422
    assert says in response.json()["detail"]


def test_control_characters_are_read_as_spaces(client: TestClient) -> None:
    found = client.get("/api/search", params={"q": "Tunisia\x00returnees\x1b[31m"}).json()
    assert found["query"] == "Tunisia returnees [31m"
    asked = client.post("/api/ask", json={"question": "How many\x00returned?", "history": ["a\x00b"]}).json()
    assert asked["question"] == "How many returned?"


def test_malformed_and_oversized_bodies(client: TestClient) -> None:
    broken = client.post("/api/ask", content=b'{"question": "x"', headers={"content-type": "application/json"})
    assert broken.status_code == 422 and isinstance(broken.json()["detail"], str)
    not_utf8 = client.post(
        "/api/ask", content=b'{"question": "\xff\xfe"}', headers={"content-type": "application/json"}
    )
    assert not_utf8.status_code in (400, 422) and isinstance(not_utf8.json()["detail"], str)
    huge = client.post("/api/ask", json={"question": "x" * 100_000})
    assert huge.status_code == 413
    assert "too large" in huge.json()["detail"]
    long_query = client.get("/api/search", params={"q": "fighters " * 1_500})  # 13.5 KB in the address
    assert long_query.status_code == 422 and "at most 1000" in long_query.json()["detail"]
    longer = client.get("/api/search", params={"q": "fighters " * 6_000})  # 54 KB in the address
    assert longer.status_code == 414 and "send long questions by POST" in longer.json()["detail"]


def test_every_route_is_in_the_openapi_document(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/api/search", "/api/ask", "/api/health"} <= set(schema["paths"])
    components = schema["components"]["schemas"]
    assert {"SearchResponse", "AskRequest", "AskResponse", "HealthResponse", "FigureModel"} <= set(components)
    assert "422" in schema["paths"]["/api/ask"]["post"]["responses"]


def test_unknown_routes_and_methods_are_4xx_with_detail(client: TestClient) -> None:
    assert client.get("/api/nothing").status_code == 404
    wrong = client.delete("/api/ask")
    assert wrong.status_code == 405 and wrong.json()["detail"]


def test_get_ask_is_the_same_answer_as_post(client: TestClient) -> None:
    question = "How many Tunisians went to fight?"
    by_get = client.get("/api/ask", params=[("q", question), ("history", "An earlier turn"), ("k", "3")]).json()
    by_post = client.post("/api/ask", json={"question": question, "history": ["An earlier turn"], "k": 3}).json()
    for body in (by_get, by_post):
        body.pop("took_ms")
    assert by_get == by_post
    assert client.get("/api/ask", params={"q": " "}).status_code == 422


def test_documents_and_one_document(client: TestClient) -> None:
    documents = client.get("/api/documents").json()
    assert {d["doc_id"] for d in documents} >= {"soufan-beyond-the-caliphate", "ctc-sentinel-2019-08"}
    soufan = next(d for d in documents if d["doc_id"] == "soufan-beyond-the-caliphate")
    assert soufan["title"] == "Beyond the Caliphate: Foreign Fighters and the Threat of Returnees"
    assert soufan["authors"] == ["Richard Barrett"] and soufan["url"] == "/docs/soufan-beyond-the-caliphate"
    detail = client.get("/api/documents/soufan-beyond-the-caliphate").json()
    assert len(detail["passages"]) == detail["chunks"]
    assert detail["passages"][0]["url"].startswith("/docs/soufan-beyond-the-caliphate?at=")
    assert client.get("/api/documents/nope").status_code == 404


def test_security_headers(client: TestClient) -> None:
    headers = client.get("/api/health").headers
    assert "script-src 'self'" in headers["content-security-policy"]
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_requests_for_another_host_are_refused(client: TestClient) -> None:
    """A page on evil.example that rebinds its name to 127.0.0.1 must not read the collection, and a
    redirect must not send the browser to the Host it was given."""
    for host in ("evil.example", "evil.example:8000", "127.0.0.1.evil.example"):
        response = client.get("/api/documents", headers={"host": host})
        assert response.status_code == 400
        assert "Host header" in response.json()["detail"] and "evil" not in response.text
    response = client.get("/docs/", headers={"host": "evil.example"}, follow_redirects=False)
    assert response.status_code == 400 and "location" not in response.headers
    for host in ("127.0.0.1:8000", "localhost", "[::1]:8000", "testserver"):
        assert client.get("/api/health", headers={"host": host}).status_code == 200


def test_any_host_can_be_allowed(fake_settings: Settings) -> None:
    settings = fake_settings.model_copy(update={"allowed_hosts": ["*"]})
    with TestClient(create_app(settings, Assistant.load(settings, FakeEmbedder()))) as test_client:
        assert test_client.get("/api/health", headers={"host": "reports.example.org"}).status_code == 200


def test_too_many_document_ids_are_refused_clearly(client: TestClient) -> None:
    """999 ids once made SQLite fail ("Expression tree is too large") and the API answer 500."""
    ids = [f"doc-{n}" for n in range(999)]
    search = client.get("/api/search", params={"q": "returnees", "doc": ids})
    assert search.status_code == 422 and "100" in search.json()["detail"]
    ask = client.post("/api/ask", json={"question": "How many returned?", "doc": ids})
    assert ask.status_code == 422 and "100" in ask.json()["detail"]
    known = client.get("/api/documents").json()[0]["doc_id"]
    assert client.get("/api/search", params={"q": "returnees", "doc": [known] * 100}).status_code == 200


def test_unknown_document_ids_are_named_briefly(client: TestClient) -> None:
    """The 404 detail used to echo every unknown id (5,000 of them)."""
    ids = [f"missing-{n:03d}-" + "x" * 100 for n in range(100)]
    response = client.post("/api/ask", json={"question": "How many returned?", "doc": ids})
    detail = response.json()["detail"]
    assert response.status_code == 404 and len(detail) < 600
    assert detail.startswith("unknown document ids: missing-000-xxx") and detail.endswith(" and 95 more")


def test_head_answers_like_get_without_a_body(client: TestClient) -> None:
    for path in ("/api/health", "/api/documents", "/", "/docs"):
        got, head = client.get(path), client.head(path)
        assert head.status_code == got.status_code == 200, path
        assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"]
    assert client.head("/api/documents/no-such-document").status_code == 404


def test_answers_beyond_the_concurrency_wait_their_turn_then_get_503(
    fake_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Computing every request at once made all of them slow and health wait behind them; at most
    `concurrency` compute at a time, the rest wait, and past `queue_seconds` are told to retry."""
    import threading

    import assistant.service as service

    settings = fake_settings.model_copy(update={"concurrency": 1, "queue_seconds": 0.3})
    release, started = threading.Event(), threading.Event()
    real_search = service.search

    def slow_search(*args, **kwargs):  # type: ignore[no-untyped-def]
        if not started.is_set():
            started.set()
            release.wait(timeout=30)
        return real_search(*args, **kwargs)

    monkeypatch.setattr(service, "search", slow_search)
    with TestClient(create_app(settings, Assistant.load(settings, FakeEmbedder()))) as test_client:
        first = threading.Thread(target=lambda: test_client.get("/api/search", params={"q": "returnees"}))
        first.start()
        assert started.wait(timeout=30)
        busy = test_client.get("/api/search", params={"q": "returnees"})
        health = test_client.get("/api/health")
        release.set()
        first.join(timeout=30)
        after = test_client.get("/api/search", params={"q": "returnees"})
    assert busy.status_code == 503 and busy.json()["detail"].startswith("busy: no answer could start within 0.3 s")
    assert health.status_code == 200  # health never waits for a turn
    assert after.status_code == 200


@pytest.mark.parametrize(
    "question",
    [
        "What is the ratio in 2019? Ratio = " + "(" * 400 + "revenue" + ")" * 400,  # brackets past recursion
        "What is the total in 2019? Total = " + " + ".join(["x"] * 240),  # a chain longer than any definition
    ],
)
def test_a_definition_too_deep_to_read_is_answered_without_it(client: TestClient, question: str) -> None:
    response = client.post("/api/ask", json={"question": question})
    assert response.status_code == 200
    assert not any(f.get("qualifier") == "derived" for f in response.json()["figures"])
