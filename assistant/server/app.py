"""The web application: `create_app(settings)` builds it; nothing is loaded at import time.

The model and the index load once, in the lifespan. Errors of every kind leave as a JSON body
`{"detail": ...}` with a 4xx status (or a page, for the HTML routes); an unexpected failure is a
plain 500 without a traceback. Request bodies are capped, and every response carries security
headers.
"""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from assistant import __version__
from assistant.errors import AssistantError
from assistant.service import Assistant
from assistant.settings import Settings

from .api import router as api_router
from .pages import STATIC, error_response, is_page
from .pages import router as pages_router
from .schemas import readable_errors

log = logging.getLogger("assistant")

# The request line and headers together; browsers send a few KB, and no API call needs more.
MAX_HEADER_BYTES = 16 * 1024

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

SECURITY_HEADERS = {
    "content-security-policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
        "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
    ),
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
}


def create_app(settings: Settings, assistant: Assistant | None = None) -> FastAPI:
    """The application for these settings; tests pass their own `assistant` (e.g. a fake model)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        app.state.assistant = assistant if assistant is not None else _load(settings)
        yield

    app = FastAPI(
        title="Retrieval assistant",
        version=__version__,
        description="Answers from a document collection with cited passages and extracted figures.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.assistant = assistant
    app.include_router(api_router)
    app.include_router(pages_router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _register_errors(app)
    app.add_middleware(_SecurityHeaders)
    app.add_middleware(_BodyLimit, limit=settings.max_body_bytes)
    app.add_middleware(_AllowedHosts, hosts=settings.served_hosts)
    app.add_middleware(_HeaderLimit)
    app.add_middleware(_HeadAsGet)
    return app


def _load(settings: Settings) -> Assistant:
    return Assistant.load(settings, missing_ok=True)


def _register_errors(app: FastAPI) -> None:
    @app.exception_handler(AssistantError)
    async def assistant_error(request: Request, exc: AssistantError) -> Response:
        if is_page(request):
            return error_response(request, exc.status_code, exc.message)
        return JSONResponse({"detail": exc.message}, status_code=exc.status_code)

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        if is_page(request):
            return error_response(request, 422, validation_message(exc))
        return JSONResponse({"detail": validation_message(exc)}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if is_page(request):
            message = "There is no page at this address." if exc.status_code == 404 else str(exc.detail)
            return error_response(request, exc.status_code, message)
        return await http_exception_handler(request, exc)

    @app.exception_handler(Exception)
    async def unexpected(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        if is_page(request):
            return error_response(request, 500, "Something went wrong on our side. Please try again.")
        return JSONResponse({"detail": "internal error"}, status_code=500)


def validation_message(exc: RequestValidationError) -> str:
    return readable_errors(exc.errors())


class _HeadAsGet:
    """HEAD answers as GET does, headers only (FastAPI's routes take GET alone and said 405)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                if not message.get("more_body", False):
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


class _AllowedHosts:
    """Answer only requests addressed to this server by a name it is served under: a web page
    that rebinds its own domain to 127.0.0.1 (DNS rebinding) cannot read the collection, and
    redirects never reflect a foreign Host. "*" allows any host."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str]) -> None:
        self.app = app
        self.hosts = hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or "*" in self.hosts:
            await self.app(scope, receive, send)
            return
        host = dict(scope.get("headers") or []).get(b"host", b"").decode("latin-1").strip().lower()
        name = host.rsplit(":", 1)[0] if not host.endswith("]") else host
        if name.strip("[]") not in self.hosts:
            await _json_error(
                send, 400, "this server does not answer for that Host header (see ASSISTANT_ALLOWED_HOSTS)"
            )
            return
        await self.app(scope, receive, send)


class _HeaderLimit:
    """Reject an address over `MAX_HEADER_BYTES` with 414 and a request line and headers over it
    together with 431 (the HTTP protocol bounds what it buffers of an incomplete request; this
    bounds a complete one)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            address = len(scope.get("raw_path") or b"") + len(scope.get("query_string") or b"")
            size = address + sum(len(name) + len(value) + 4 for name, value in scope.get("headers") or [])
            limit = f"the limit is {MAX_HEADER_BYTES:,}"
            if address > MAX_HEADER_BYTES:
                await _json_error(
                    send, 414, f"address too long ({address:,} bytes; {limit}): send long questions by POST"
                )
                return
            if size > MAX_HEADER_BYTES:
                await _json_error(send, 431, f"request headers too large ({size:,} bytes; {limit})")
                return
        await self.app(scope, receive, send)


class _BodyLimit:
    """Reject request bodies over the limit with 413, whether announced or streamed."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await _too_large(send, self.limit)
            return
        body = bytearray()
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body.extend(message.get("body", b""))
            more = message.get("more_body", False)
            if len(body) > self.limit:
                await _too_large(send, self.limit)
                return
        delivered = False

        async def replay() -> Message:
            nonlocal delivered
            if not delivered:
                delivered = True
                return {"type": "http.request", "body": bytes(body), "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _too_large(send: Send, limit: int) -> None:
    await _json_error(send, 413, f"request body too large (limit {limit} bytes)")


async def _json_error(send: Send, status: int, detail: str) -> None:
    """A JSON error answered before any route runs."""
    payload = json.dumps({"detail": detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": payload})


class _SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                extra = [(k.encode(), v.encode()) for k, v in SECURITY_HEADERS.items() if k.encode() not in present]
                message["headers"] = list(message.get("headers", [])) + extra
            await send(message)

        await self.app(scope, receive, with_headers)
