"""Tries that survive their refusal, tokens kept out of the log, forwarded addresses believed
only from named proxies (issue 11 #1, #9, #20)."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.cli import forwarding
from coachdesk.config import Settings
from coachdesk.models import EmailMessage
from coachdesk.web.logs import redact

LEA = {"name": "Léa", "email": "lea@example.ch", "accept": True}


async def test_a_code_dies_after_five_wrong_tries_even_though_each_was_refused(
    client: httpx.AsyncClient, db: AsyncSession
) -> None:
    assert (await client.post("/api/v1/chat/start", json=LEA)).status_code == 200
    other = (await client.post("/api/v1/chat/start", json=LEA)).json()
    assert other["code_sent"] is True
    headers = {"X-Chat-Token": other["token"]}
    sent = await db.scalar(select(EmailMessage).where(EmailMessage.kind == "chat_code"))
    assert sent is not None and sent.identity_code
    right = sent.identity_code
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        refused = await client.post("/api/v1/chat/verify", json={"code": wrong}, headers=headers)
        assert refused.status_code == 422
    late = await client.post("/api/v1/chat/verify", json={"code": right}, headers=headers)
    assert late.status_code == 422 and late.json()["error"]["code"] == "wrong_code"


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ('"GET /ws/chat?token=Zk3-secretDeviceToken HTTP/1.1" 101', "Zk3-secretDeviceToken"),
        ('"GET /t/AbCdEfGhIjKlMnOp HTTP/1.1" 200', "AbCdEfGhIjKlMnOp"),
        ('"GET /w/holdTokenXYZ123 HTTP/1.1" 200', "holdTokenXYZ123"),
        ('"GET /coach/sign-in/linkTok987 HTTP/1.1" 303', "linkTok987"),
    ],
)
def test_tokens_in_urls_are_redacted_from_the_access_log(line: str, secret: str) -> None:
    assert secret not in redact(line) and "[redacted]" in redact(line)


def test_forwarded_addresses_are_believed_only_from_named_proxies() -> None:
    assert forwarding(Settings(env="test")) == {"proxy_headers": False}
    named = forwarding(Settings(env="test", trusted_proxies="10.0.0.2, 10.1.0.0/16"))
    assert named == {"proxy_headers": True, "forwarded_allow_ips": ["10.0.0.2", "10.1.0.0/16"]}
