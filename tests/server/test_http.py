"""The HTTP server's own limits, over real sockets on loopback: a request must arrive whole in
time (a trickling or silent client is cut off), headers are bounded, and a port in use is a clear
error before anything claims to be serving."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest
import uvicorn

from assistant.errors import SettingError
from assistant.server.app import create_app
from assistant.server.http import MAX_HEADER_BYTES, bind, config
from assistant.service import Assistant
from assistant.settings import Settings
from tests.conftest import FakeEmbedder, free_port

DEADLINE = 1.0


@pytest.fixture(scope="module")
def server(fake_settings: Settings) -> Iterator[Settings]:
    settings = fake_settings.model_copy(update={"port": free_port(), "request_seconds": DEADLINE})
    sock = bind(settings)
    app = create_app(settings, Assistant.load(settings, FakeEmbedder()))
    running = uvicorn.Server(config(app, settings))
    thread = threading.Thread(target=running.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    for _ in range(200):
        if running.started:
            break
        time.sleep(0.05)
    yield settings
    running.should_exit = True
    thread.join(timeout=10)
    sock.close()


def _connect(settings: Settings) -> socket.socket:
    return socket.create_connection((settings.host, settings.port), timeout=DEADLINE * 8)


def _closed(connection: socket.socket) -> bool:
    """Whether the server has closed the connection (reads end, or writes are refused)."""
    try:
        return connection.recv(4096) == b""
    except (ConnectionResetError, TimeoutError):
        return False


def test_a_whole_request_in_time_is_answered(server: Settings) -> None:
    with _connect(server) as connection:
        connection.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert connection.recv(4096).startswith(b"HTTP/1.1 200")


def test_a_client_trickling_its_headers_is_cut_off(server: Settings) -> None:
    """Each byte used to reset the only timer there was, so the connection was held forever."""
    with _connect(server) as connection:
        connection.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\n")
        cut_off = False
        for _ in range(int(DEADLINE * 6 / 0.2)):
            try:
                connection.sendall(b"X")
            except (BrokenPipeError, ConnectionResetError):
                cut_off = True
                break
            time.sleep(0.2)
        assert cut_off or _closed(connection)


def test_a_connection_that_sends_nothing_is_closed(server: Settings) -> None:
    with _connect(server) as connection:
        assert _closed(connection)


@pytest.mark.parametrize("size", [4 * MAX_HEADER_BYTES, 64_000_000], ids=["64 KB at once", "64 MB streamed"])
def test_oversized_headers_are_refused(server: Settings, size: int) -> None:
    """A 64 MB header used to be read in full and answered."""
    with _connect(server) as connection:
        connection.sendall(b"GET /api/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: ")
        try:
            chunk = b"a" * 65536
            for _ in range(size // len(chunk)):
                connection.sendall(chunk)
            connection.sendall(b"\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            return  # refused before it was all sent
        status = connection.recv(4096).split(b"\r\n")[0]
        assert status in {b"HTTP/1.1 400 Bad Request", b"HTTP/1.1 431 Request Header Fields Too Large"}


def test_a_port_in_use_is_a_clear_error(server: Settings) -> None:
    with pytest.raises(SettingError, match=f"port {server.port} on 127.0.0.1 is already in use"):
        bind(server)
