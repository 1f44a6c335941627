"""The assistants: the built-in one's answers, and any OpenAI-compatible API driven by the
real `openai` client against a local stand-in."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from coachdesk.integrations.assistant import (
    BuiltinAssistant,
    OfferFact,
    OpenAICompatibleAssistant,
    SessionFact,
    StudioFacts,
    intent,
)
from tests.fakes.openai_api import FakeLLM
from tests.fakes.server import serving

FACTS = StudioFacts(
    studio="Silent Disco Fit",
    language="fr",
    concept="Un casque, la musique, la danse.",
    place="Salle du Faubourg",
    address="Faubourg de l'Hôpital 25",
    maps_url="https://maps.x",
    booking_url="https://studio.example/#seances",
    sessions=[SessionFact("mercredi 18 novembre 18:30", "Cardio", "Salle du Faubourg", 0)],
    offers=[OfferFact("Carte 10 cours", "CHF 150.–", "10 séances")],
)


@pytest.mark.parametrize(
    ("question", "kind"),
    [
        ("Quels sont vos prix ?", "price"),
        ("C'est où ?", "where"),
        ("Wann ist der Kurs?", "schedule"),
        ("How do I book?", "book"),
        ("Je veux parler à quelqu'un", "handover"),
        ("C'est quoi le silent disco ?", "concept"),
        ("Salut", "hello"),
        ("42", "unknown"),
    ],
)
def test_the_built_in_assistant_understands_the_common_questions(question: str, kind: str) -> None:
    assert intent(question) == kind


async def test_the_built_in_assistant_answers_from_the_facts() -> None:
    bot = BuiltinAssistant()
    schedule = await bot.reply(FACTS, [], "prochaine séance ?")
    assert "Cardio" in schedule.text and "complet" in schedule.text
    where = await bot.reply(FACTS, [], "c'est où ?")
    assert "Salle du Faubourg" in where.text and "https://maps.x" in where.text
    handover = await bot.reply(FACTS, [], "je veux parler au coach")
    assert handover.handover


@pytest.fixture(scope="module")
def llm() -> Iterator[tuple[FakeLLM, str]]:
    fake = FakeLLM()
    with serving(fake.app()) as url:
        yield fake, url


async def test_an_openai_compatible_api_gets_the_live_facts_and_answers(
    llm: tuple[FakeLLM, str],
) -> None:
    fake, url = llm
    fake.answer = "La carte 10 cours coûte CHF 150.–."
    bot = OpenAICompatibleAssistant(
        base_url=f"{url}/v1", model="studio-1", api_key="test-key", allow_private=True
    )
    reply = await bot.reply(
        FACTS, [("user", "Bonjour"), ("assistant", "Bonjour !")], "Combien coûte la carte ?"
    )
    assert reply.text == "La carte 10 cours coûte CHF 150.–." and not reply.handover
    sent = fake.requests[-1]
    assert sent["model"] == "studio-1"
    assert "Carte 10 cours: CHF 150.–" in sent["messages"][0]["content"]
    assert sent["messages"][-1] == {"role": "user", "content": "Combien coûte la carte ?"}


async def test_the_api_can_hand_over_and_a_failure_hands_over(llm: tuple[FakeLLM, str]) -> None:
    fake, url = llm
    fake.answer = "Je demande au coach. [COACH]"
    bot = OpenAICompatibleAssistant(
        base_url=f"{url}/v1", model="m", api_key="test-key", allow_private=True
    )
    reply = await bot.reply(FACTS, [], "question difficile")
    assert reply.handover and "[COACH]" not in reply.text
    broken = OpenAICompatibleAssistant(
        base_url=f"{url}/v1", model="m", api_key="wrong", allow_private=True
    )
    refused = await broken.reply(FACTS, [], "bonjour")
    assert refused.handover and "préviens le coach" in refused.text
