"""The assistant's API address never leads the server into its own network (issue 11 #18)."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.integrations.assistant import OpenAICompatibleAssistant, StudioFacts
from coachdesk.kit.addresses import leads_inside
from coachdesk.kit.clock import FixedClock
from coachdesk.site import service as site_service
from tests.chat.test_assistants import llm  # noqa: F401  (the local OpenAI stand-in)
from tests.factories import login, make_coach
from tests.fakes.openai_api import FakeLLM

FACTS = StudioFacts(
    studio="Studio", language="fr", concept="", place="", address="", maps_url="",
    booking_url="", sessions=[], offers=[],
)  # fmt: skip


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:11434/v1",
        "http://169.254.169.254/latest",
        "http://10.0.0.1/v1",
        "http://192.168.1.5/v1",
        "http://[::1]:8080/v1",
        "http://[::ffff:127.0.0.1]/v1",
        "http://localhost:8000/v1",
        "http://0.0.0.0/v1",
        "http://[",
        "not a url",
    ],
)
async def test_internal_and_unreadable_addresses_lead_inside(url: str) -> None:
    assert await leads_inside(url)


async def test_a_public_address_does_not() -> None:
    assert not await leads_inside("https://8.8.8.8/v1")


async def test_the_assistant_never_calls_an_internal_api_unless_allowed(
    llm: tuple[FakeLLM, str],  # noqa: F811  (the fixture imported above)
) -> None:
    fake, url = llm
    before = len(fake.requests)
    bot = OpenAICompatibleAssistant(base_url=f"{url}/v1", model="m", api_key="test-key")
    reply = await bot.reply(FACTS, [], "Bonjour")
    assert reply.handover and len(fake.requests) == before  # handed to the coach, not called
    allowed = OpenAICompatibleAssistant(
        base_url=f"{url}/v1", model="m", api_key="test-key", allow_private=True
    )
    assert not (await allowed.reply(FACTS, [], "Bonjour")).handover
    assert len(fake.requests) == before + 1


async def test_reglages_refuse_an_internal_api_address(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await make_coach(db, now=clock.now())
    token = await login(client)
    form = {"csrf_token": token, "ai_base_url": "http://169.254.169.254/v1", "ai_model": "m"}
    response = await client.post("/coach/settings", data=form)
    assert response.status_code == 422
    assert "réseau interne du serveur" in response.text
    assert (await site_service.load(db)).ai_base_url == ""
