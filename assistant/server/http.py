"""Serving over HTTP: uvicorn with the limits a server facing slow or hostile clients needs.

- Every request must arrive whole (request line, headers and body) within `request_seconds` of
  its first byte, or of the connection opening: a client trickling bytes (Slowloris) or holding
  a silent connection is cut off. uvicorn's keep-alive timeout does not cover this, as any byte
  received resets it.
- The request line and headers together may not exceed `MAX_HEADER_BYTES`: what the protocol
  buffers of an incomplete request is bounded here (400), a complete one in the app (431).
- The port is bound before the server says it is serving, so a port in use is a clear error.

The h11 protocol is used because it is the one whose header limit can be set.
"""

from __future__ import annotations

import asyncio
import errno
import logging
import socket
from functools import partial
from typing import Any

import h11
import uvicorn
from fastapi import FastAPI
from uvicorn.protocols.http.h11_impl import H11Protocol

from assistant.errors import SettingError
from assistant.settings import Settings

from .app import MAX_HEADER_BYTES

KEEP_ALIVE_SECONDS = 5

log = logging.getLogger(__name__)


class _RequestDeadline(H11Protocol):
    """uvicorn's h11 protocol with a deadline for receiving each whole request."""

    def __init__(self, *args: Any, request_seconds: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request_seconds = request_seconds
        self.deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._arm()

    def data_received(self, data: bytes) -> None:
        if self.deadline is None and self.conn.their_state is h11.IDLE:
            self._arm()  # the first bytes of the next request on a kept-alive connection
        super().data_received(data)
        if self.conn.their_state is not h11.IDLE and self.conn.their_state is not h11.SEND_BODY:
            self._disarm()  # received whole (or the connection is done with)

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        self._disarm()
        self.deadline = self.loop.call_later(self.request_seconds, self._expire)

    def _disarm(self) -> None:
        if self.deadline is not None:
            self.deadline.cancel()
            self.deadline = None

    def _expire(self) -> None:
        self.deadline = None
        if not self.transport.is_closing():
            log.warning("closed a connection that did not send a whole request in %g s", self.request_seconds)
            self.transport.close()


def bind(settings: Settings) -> socket.socket:
    """The listening socket, or a clear error when the address cannot be had."""
    family = socket.AF_INET6 if ":" in settings.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((settings.host, settings.port))
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise SettingError(
                f"port {settings.port} on {settings.host} is already in use: stop what uses it or choose "
                "another with --port (ASSISTANT_PORT)"
            ) from None
        raise SettingError(f"cannot listen on {settings.host}:{settings.port} ({exc.strerror or exc})") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def config(app: FastAPI, settings: Settings) -> uvicorn.Config:
    return uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level="warning",
        http=partial(_RequestDeadline, request_seconds=settings.request_seconds),  # type: ignore[arg-type]
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        timeout_keep_alive=KEEP_ALIVE_SECONDS,
    )


def serve(app: FastAPI, settings: Settings, sock: socket.socket) -> None:
    """Serve `app` on the bound socket until interrupted."""
    uvicorn.Server(config(app, settings)).run(sockets=[sock])
