"""End to end over HTTP: the real server process, the real model, the real corpus."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request

import pytest

pytestmark = pytest.mark.model


def get(base: str, path: str, **params: object) -> tuple[int, dict]:  # type: ignore[type-arg]
    url = base + path + ("?" + urllib.parse.urlencode(params, doseq=True) if params else "")
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def post(base: str, path: str, body: object) -> tuple[int, dict]:  # type: ignore[type-arg]
    request = urllib.request.Request(
        base + path, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


def test_health_reports_the_collection(live_server: str) -> None:
    status, body = get(live_server, "/api/health")
    assert status == 200
    assert body["status"] == "ok" and body["documents"] == 5 and body["model"] == "all-MiniLM-L6-v2"


def test_search_finds_the_soufan_row_for_tunisia(live_server: str) -> None:
    status, body = get(live_server, "/api/search", q="How many Tunisian fighters came back home?", k=5)
    assert status == 200
    texts = [r["text"] for r in body["results"]]
    line = "Tunisia [97] — FFs: 2,926; SENTBACK/STOP LISTED IN TURKEY: -/4,605 [98]; RETURNED: >800 [99]; DATE: 12/2016"
    assert any(line in text for text in texts)  # the row with its column names and its notes
    row = next(r for r in body["results"] if "Tunisia [97]" in r["text"])
    assert row["doc_id"] == "soufan-beyond-the-caliphate" and row["page"] == 13
    assert row["cite"] == (
        "Richard Barrett, “Beyond the Caliphate: Foreign Fighters and the Threat of Returnees,” "
        "The Soufan Center, October 2017, p. 13."
    )


def test_a_conversation_over_http(live_server: str) -> None:
    status, first = post(
        live_server, "/api/ask", {"question": "How many Tunisians went off to fight in Syria and Iraq?"}
    )
    assert status == 200
    assert first["figures"][0]["value"] == 2926
    status, second = post(
        live_server,
        "/api/ask",
        {"question": "And how many of them are back in Tunisia now?", "history": [first["question"]]},
    )
    assert status == 200
    assert "Tunisians" in second["resolved_query"]
    best = second["figures"][0]
    assert (best["text"], best["qualifier"], best["value"]) == (">800", "more_than", 800)
    cited = second["passages"][best["citation"] - 1]
    assert "Tunisia" in cited["text"] and ">800" in cited["text"]


def test_bad_input_over_http_is_4xx_with_a_detail(live_server: str) -> None:
    for status, body in (
        get(live_server, "/api/search", q=""),
        get(live_server, "/api/search", q="x", k=99),
        get(live_server, "/api/search", q="x", doc="nope"),
        post(live_server, "/api/ask", {"question": ""}),
        post(live_server, "/api/ask", {"question": "x", "history": ["y"] * 25}),
    ):
        assert 400 <= status < 500
        assert isinstance(body["detail"], str) and body["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/docs/../../pyproject.toml",
        "/static/../../pyproject.toml",
        "/static/../assistant/settings.py",
        "/docs/%2e%2e/x",
    ],
)
def test_raw_dot_segments_reach_nothing_outside_the_collection(live_server: str, path: str) -> None:
    """Sent as written (no client normalises the dots away), to the real server."""
    import http.client

    host, port = urllib.parse.urlsplit(live_server).netloc.split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode("utf-8", "replace")
    finally:
        connection.close()
    assert response.status == 404
    assert "[project]" not in body and "BaseSettings" not in body


def test_a_100_kb_query_is_refused_clearly(live_server: str) -> None:
    import http.client

    host, port = urllib.parse.urlsplit(live_server).netloc.split(":")
    query = urllib.parse.quote("fighters " * 11_400)  # over 100 KB
    for method, path, body in (
        ("GET", f"/api/search?q={query}", None),
        ("POST", "/api/ask", json.dumps({"question": "fighters " * 11_400}).encode()),
    ):
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        try:
            connection.request(method, path, body=body, headers={"Content-Type": "application/json"})
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        assert 400 <= response.status < 500, (method, response.status)
        assert "Traceback" not in text


def test_a_question_the_documents_do_not_answer_is_declined(live_server: str) -> None:
    status, body = post(live_server, "/api/ask", {"question": "Who won the 2018 FIFA World Cup?"})
    assert status == 200
    assert body["answerable"] is False and body["confidence"] == 0.0
    assert body["answer"] == [] and body["figures"] == []
    assert len(body["passages"]) == 5  # the closest ones, for checking
    status, body = post(live_server, "/api/ask", {"question": "How many Tunisians went to fight in Syria and Iraq?"})
    assert body["answerable"] is True and 0.0 < body["confidence"] <= 1.0
