"""Real-time across processes: with Redis, a visitor's message posted to one app process
reaches the coach's WebSocket held by another. Also: a visitor's socket hears only their
own conversations. Runs `coachdesk run` for real."""

from __future__ import annotations

import asyncio
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.servers import OWNER_EMAIL, OWNER_PASSWORD, coachdesk, environment, running

REDIS = os.environ.get("COACHDESK_TEST_REDIS_URL")
CSRF = re.compile(r'<meta name="csrf-token" content="([0-9a-f]+)">')


@pytest.fixture(scope="module")
def two_processes(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    if not REDIS:
        pytest.skip("set COACHDESK_TEST_REDIS_URL (a Redis server) to run the two-process test")
    data = tmp_path_factory.mktemp("realtime")
    env = environment(data, COACHDESK_REDIS_URL=REDIS, COACHDESK_EMBEDDED_WORKER="false")
    coachdesk("migrate", env=env)
    coachdesk("demo", "--if-empty", env=env)
    with running(env, data / "a.log") as first, running(env, data / "b.log") as second:
        yield first, second


def coach_cookie(url: str) -> str:
    client = httpx.Client(base_url=url)
    token = CSRF.search(client.get("/coach").text).group(1)  # type: ignore[union-attr]
    client.post(
        "/coach/login", data={"email": OWNER_EMAIL, "password": OWNER_PASSWORD, "csrf_token": token}
    )
    return f"cd_session={client.cookies['cd_session']}"


def ws(url: str) -> str:
    return url.replace("http://", "ws://")


async def next_message(socket: object) -> dict[str, object]:
    while True:
        event = json.loads(await asyncio.wait_for(socket.recv(), 5))  # type: ignore[attr-defined]
        if event.get("type") == "message":
            return event  # type: ignore[no-any-return]


async def test_a_message_posted_to_one_process_reaches_the_coach_on_another(
    two_processes: tuple[str, str], tmp_path: Path
) -> None:
    first, second = two_processes
    cookie = coach_cookie(first)
    async with connect(f"{ws(first)}/ws/coach", additional_headers={"Cookie": cookie}) as coach:
        async with httpx.AsyncClient(base_url=second) as visitor:
            me = (
                await visitor.post(
                    "/api/v1/chat/start",
                    json={"name": "Ana", "email": "ana@example.ch", "accept": True},
                )
            ).json()
            await visitor.post(
                "/api/v1/chat/messages",
                json={"body": "Bonjour de B"},
                headers={"X-Chat-Token": me["token"]},
            )
        event = await next_message(coach)
    assert event["body"] == "Bonjour de B" and event["name"] == "Ana"


async def test_a_visitor_socket_hears_only_its_own_conversations(
    two_processes: tuple[str, str],
) -> None:
    first, second = two_processes
    async with httpx.AsyncClient(base_url=second) as http:
        ana = (
            await http.post(
                "/api/v1/chat/start",
                json={"name": "Ana", "email": "ana2@example.ch", "accept": True},
            )
        ).json()
        bob = (
            await http.post(
                "/api/v1/chat/start",
                json={"name": "Bob", "email": "bob@example.ch", "accept": True},
            )
        ).json()
        async with connect(f"{ws(first)}/ws/chat?token={bob['token']}") as bob_socket:
            await http.post(
                "/api/v1/chat/messages",
                json={"body": "pour Ana seulement"},
                headers={"X-Chat-Token": ana["token"]},
            )
            await http.post(
                "/api/v1/chat/messages",
                json={"body": "de Bob"},
                headers={"X-Chat-Token": bob["token"]},
            )
            heard = await next_message(bob_socket)
    assert heard["body"] == "de Bob"
    with pytest.raises((ConnectionClosed, InvalidStatus)):  # refused at the handshake
        async with connect(f"{ws(first)}/ws/chat?token=forged") as thief:
            await asyncio.wait_for(thief.recv(), 5)
