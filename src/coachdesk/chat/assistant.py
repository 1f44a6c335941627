"""The assistant in a conversation: live facts in, a reply (or a hand-over) out."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.catalog import queries
from coachdesk.chat import threads
from coachdesk.integrations.assistant import (
    Assistant,
    BuiltinAssistant,
    OfferFact,
    OpenAICompatibleAssistant,
    Reply,
    SessionFact,
    StudioFacts,
)
from coachdesk.kit.i18n import current_language, format_day, format_time
from coachdesk.kit.money import format_amount
from coachdesk.models import Author, Conversation, ConversationMode, Message
from coachdesk.site.registry import SiteSettings

TURNS = 12  # the conversation's latest messages the assistant reads
FactsCache = Callable[[str, Callable[[], Awaitable[StudioFacts]]], Awaitable[StudioFacts]]


def provider(site: SiteSettings, *, allow_private: bool = False) -> Assistant:
    if site.ai_base_url and site.ai_model:
        return OpenAICompatibleAssistant(
            base_url=site.ai_base_url,
            model=site.ai_model,
            api_key=site.ai_api_key,
            allow_private=allow_private,
        )
    return BuiltinAssistant()


async def facts(
    session: AsyncSession, *, site: SiteSettings, now: datetime, language: str, base_url: str
) -> StudioFacts:
    token = current_language.set(language)
    try:
        found = await queries.public_sessions(
            session, start=now, end=now + timedelta(weeks=site.weeks_ahead), limit=8
        )
        sessions = [
            SessionFact(
                f"{format_day(s.starts_at)} {format_time(s.starts_at)}",
                s.course.name,
                s.course.location_name,
                s.seats_left,
            )
            for s in found
            if not s.is_cancelled
        ]
        offers = [
            OfferFact(o.name, format_amount(o.price_cents), o.description)
            for o in await queries.public_offers(session)
        ]
    finally:
        current_language.reset(token)
    first = found[0].course if found else None
    return StudioFacts(
        studio=site.app_name,
        language=language,
        concept=site.concept_text,
        place=first.location_name if first else "",
        address=first.address if first else "",
        maps_url=first.maps_url if first else "",
        booking_url=f"{base_url}/#seances",
        sessions=sessions,
        offers=offers,
    )


def _turns(messages: list[Message]) -> list[tuple[str, str]]:
    return [("user" if m.author == Author.visitor else "assistant", m.body) for m in messages]


async def respond(
    session: AsyncSession,
    *,
    conversation: Conversation,
    question: str,
    site: SiteSettings,
    now: datetime,
    language: str,
    base_url: str,
    assistant: Assistant | None = None,
    cached: FactsCache | None = None,
    allow_private_url: bool = False,
) -> tuple[Message | None, bool]:
    """The assistant's answer in an ``ai`` conversation; a hand-over switches it to
    ``human``. Returns the message posted (if any) and whether the coach must be told.
    ``cached`` may serve the studio's facts from a short-lived cache."""
    if conversation.mode != ConversationMode.ai or not site.assistant_enabled:
        return None, False

    async def load() -> StudioFacts:
        return await facts(session, site=site, now=now, language=language, base_url=base_url)

    known = await (cached(f"facts:{language}", load) if cached else load())
    past = await threads.history(session, conversation, last=TURNS + 1)
    answer: Reply = await (assistant or provider(site, allow_private=allow_private_url)).reply(
        known, _turns(past[:-1]), question
    )
    message = await threads.post(
        session,
        conversation=conversation,
        author=Author.assistant,
        body=answer.text[: threads.MAX_MESSAGE],
        now=now,
    )
    if answer.handover:
        await threads.set_mode(
            session, conversation=conversation, mode=ConversationMode.human, actor=None, now=now
        )
    return message, answer.handover
