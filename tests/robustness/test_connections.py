"""Connections that send nothing, or their headers a byte at a time, are closed by the
server, as are idle ones after a response (issue 12 #10). A real `coachdesk run`."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from tests.servers import coachdesk, environment, running


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    folder = tmp_path_factory.mktemp("connections")
    env = environment(
        folder / "data", COACHDESK_HEADER_TIMEOUT="1", COACHDESK_KEEP_ALIVE_TIMEOUT="1"
    )
    coachdesk("migrate", env=env)
    with running(env, folder / "log.txt") as url:
        parts = urlsplit(url)
        assert parts.hostname and parts.port
        yield parts.hostname, parts.port


def closed_by_server(connection: socket.socket) -> bool:
    """True when the server closes within 10 s (the deadline is 1 s); False if it does not."""
    connection.settimeout(10)
    try:
        while connection.recv(4096):
            pass  # a response first (keep-alive case), then the close
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True
    return True


def test_a_connection_that_sends_nothing_is_closed(server: tuple[str, int]) -> None:
    with socket.create_connection(server) as silent:
        assert closed_by_server(silent)


def test_headers_sent_a_byte_at_a_time_are_cut_off(server: tuple[str, int]) -> None:
    with socket.create_connection(server) as slow:
        slow.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: a")
        assert closed_by_server(slow)


def test_an_idle_connection_after_a_response_is_closed(server: tuple[str, int]) -> None:
    with socket.create_connection(server) as idle:
        idle.sendall(b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        assert closed_by_server(idle)
