"""The coach's live socket sends staff accounts nothing (issue 11 #6). Runs `coachdesk run`."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import ConnectionClosed, InvalidStatus

from tests.servers import OWNER_EMAIL, OWNER_PASSWORD, coachdesk, environment, running

CSRF = re.compile(r'<meta name="csrf-token" content="([0-9a-f]+)">')
STAFF_EMAIL, STAFF_PASSWORD = "door@example.ch", "a long door phrase"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    data: Path = tmp_path_factory.mktemp("staff-socket")
    env = environment(data, COACHDESK_EMBEDDED_WORKER="false")
    coachdesk("migrate", env=env)
    coachdesk("demo", "--if-empty", env=env)
    with running(env, data / "server.log") as url:  # the owner is made at the first start
        staff_env = {**env, "COACHDESK_NEW_PASSWORD": STAFF_PASSWORD}
        coachdesk("create-coach", STAFF_EMAIL, "--role", "staff", env=staff_env)
        yield url


def cookie(url: str, email: str, password: str) -> str:
    client = httpx.Client(base_url=url)
    token = CSRF.search(client.get("/coach").text).group(1)  # type: ignore[union-attr]
    client.post("/coach/login", data={"email": email, "password": password, "csrf_token": token})
    return f"cd_session={client.cookies['cd_session']}"


async def test_staff_are_refused_the_coach_socket_and_the_owner_is_not(served: str) -> None:
    ws = served.replace("http://", "ws://") + "/ws/coach"
    staff = {"Cookie": cookie(served, STAFF_EMAIL, STAFF_PASSWORD), "Origin": served}
    with pytest.raises((ConnectionClosed, InvalidStatus)):
        async with connect(ws, additional_headers=staff) as socket:
            await socket.recv()
    owner = {"Cookie": cookie(served, OWNER_EMAIL, OWNER_PASSWORD), "Origin": served}
    async with connect(ws, additional_headers=owner) as socket:
        await socket.ping()
