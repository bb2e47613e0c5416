"""Property-based API fuzzing with schemathesis against the app's own OpenAPI document: whatever
the input, no 5xx, and every response matches the schema (bounded in examples and time).

The operations are driven through Hypothesis directly rather than schemathesis's pytest plugin,
which does not load under this pytest version."""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings

from assistant.server.app import create_app
from assistant.service import Assistant
from assistant.settings import Settings
from tests.conftest import FakeEmbedder

EXAMPLES = 80


@pytest.fixture(scope="module")
def api_schema(fake_settings: Settings) -> Any:
    app = create_app(fake_settings, Assistant.load(fake_settings, FakeEmbedder()))
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def operations(schema: Any) -> list[Any]:
    return [result.ok() for result in schema.get_all_operations()]


def test_the_schema_lists_the_json_routes(api_schema: Any) -> None:
    names = {f"{op.method.upper()} {op.path}" for op in operations(api_schema)}
    assert {"GET /api/search", "POST /api/ask", "GET /api/ask", "GET /api/health"} <= names


@pytest.mark.parametrize(
    "route", ["GET /api/search", "POST /api/ask", "GET /api/ask", "GET /api/health", "GET /api/documents/{doc_id}"]
)
def test_no_server_errors_and_responses_match_the_schema(api_schema: Any, route: str) -> None:
    operation = next(op for op in operations(api_schema) if f"{op.method.upper()} {op.path}" == route)
    seen: list[int] = []

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(case: Any) -> None:
        response = case.call()
        seen.append(response.status_code)
        assert response.status_code < 500, (case.path, case.query, case.body, response.text[:300])
        case.validate_response(response)

    check()
    assert seen, "no example ran"
