"""The chat assistant: an interface, the built-in one (no network), and any
OpenAI-compatible API. Both answer from the studio's live facts and can hand over."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, cast

from coachdesk.kit.addresses import leads_inside
from coachdesk.kit.i18n import N_, gettext
from coachdesk.kit.text import fold

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletionMessageParam

HANDOVER_MARK = "[COACH]"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SessionFact:
    when: str
    course: str
    place: str
    seats_left: int


@dataclass(frozen=True)
class OfferFact:
    name: str
    price: str
    description: str


@dataclass(frozen=True)
class StudioFacts:
    studio: str
    language: str
    concept: str
    place: str
    address: str
    maps_url: str
    booking_url: str
    sessions: list[SessionFact] = field(default_factory=list)
    offers: list[OfferFact] = field(default_factory=list)


@dataclass(frozen=True)
class Reply:
    text: str
    handover: bool = False


class Assistant(Protocol):
    async def reply(
        self, facts: StudioFacts, history: list[tuple[str, str]], question: str
    ) -> Reply: ...


INTENTS: list[tuple[str, tuple[str, ...]]] = [
    (
        "handover",
        (
            "coach",
            "humain",
            "quelqu'un",
            "parler",
            "mensch",
            "jemand",
            "sprechen",
            "human",
            "someone",
            "talk to",
            "person",
        ),
    ),
    ("book", ("reserv", "inscri", "buchen", "anmeld", "book", "sign up", "register")),
    (
        "price",
        (
            "prix",
            "tarif",
            "combien",
            "cout",
            "carte",
            "abonnement",
            "abo",
            "preis",
            "kost",
            "karte",
            "price",
            "cost",
            "how much",
            "pass",
            "membership",
        ),
    ),
    (
        "schedule",
        (
            "quand",
            "horaire",
            "prochain",
            "seance",
            "date",
            "heure",
            "place",
            "complet",
            "wann",
            "termin",
            "zeit",
            "when",
            "schedule",
            "next",
            "session",
            "class",
            "cours",
            "kurs",
        ),
    ),
    (
        "where",
        (
            "ou ",
            "ou?",
            "adresse",
            "lieu",
            "acces",
            "wo ",
            "wo?",
            "ort",
            "where",
            "address",
            "location",
        ),
    ),
    (
        "concept",
        ("concept", "casque", "silent", "c'est quoi", "konzept", "kopfhorer", "what is", "headset"),
    ),
    ("hello", ("bonjour", "salut", "hello", "hallo", "gruezi", "hi ", "coucou")),
]
HANDOVER_TEXT = N_("Je préviens le coach, qui vous répond ici dès que possible.")
TEXTS = {
    "schedule": N_("Les prochaines séances :"),
    "schedule_none": N_("Aucune séance n'est prévue pour le moment."),
    "seats": N_("%(n)s places"),
    "full": N_("complet"),
    "price": N_("Nos formules :"),
    "where": N_("Les cours ont lieu à %(place)s, %(address)s."),
    "book": N_(
        "Pour réserver, choisissez une séance sur %(url)s, puis votre formule : le "
        "billet arrive aussitôt par e-mail."
    ),
    "hello": N_(
        "Bonjour ! Je peux vous renseigner sur les séances, les prix, le lieu ou la "
        "réservation. Et si vous préférez, je passe le relais au coach."
    ),
    "handover": HANDOVER_TEXT,
    "unknown": N_(
        "Je n'ai pas la réponse à cela. Voulez-vous que le coach vous réponde ? "
        "Écrivez simplement « coach »."
    ),
}


def intent(question: str) -> str:
    text = f" {fold(question)} "
    for name, words in INTENTS:
        if any(word in text for word in words):
            return name
    return "unknown"


class BuiltinAssistant:
    """Answers the common questions from the live data, in the visitor's language."""

    async def reply(
        self, facts: StudioFacts, history: list[tuple[str, str]], question: str
    ) -> Reply:
        kind = intent(question)

        def say(key: str, **params: object) -> str:
            return gettext(TEXTS[key], facts.language, **params)

        if kind == "handover":
            return Reply(say("handover"), handover=True)
        if kind == "schedule":
            if not facts.sessions:
                return Reply(say("schedule_none"))
            lines = [
                f"• {s.when} — {s.course}, {s.place} "
                f"({say('seats', n=s.seats_left) if s.seats_left else say('full')})"
                for s in facts.sessions[:5]
            ]
            return Reply("\n".join([say("schedule"), *lines]))
        if kind == "price":
            lines = [
                f"• {o.name} : {o.price}" + (f" — {o.description}" if o.description else "")
                for o in facts.offers
            ]
            return Reply("\n".join([say("price"), *lines]))
        if kind == "where":
            text = say("where", place=facts.place, address=facts.address)
            return Reply(f"{text} {facts.maps_url}".strip())
        if kind == "book":
            return Reply(say("book", url=facts.booking_url))
        if kind == "concept" and facts.concept:
            return Reply(facts.concept.split("\n\n")[0])
        if kind == "hello":
            return Reply(say("hello"))
        return Reply(say("unknown"))


def system_prompt(facts: StudioFacts) -> str:
    sessions = (
        "\n".join(
            f"- {s.when}: {s.course} at {s.place}, {s.seats_left} places left"
            for s in facts.sessions
        )
        or "- none planned"
    )
    offers = "\n".join(f"- {o.name}: {o.price}. {o.description}" for o in facts.offers)
    return (
        f"You are the assistant of {facts.studio}, a fitness studio. Answer briefly, kindly, "
        f"only from the facts below, in the language of the visitor (code {facts.language}). "
        f"If you do not know, or the visitor wants a person, say you will ask the coach and "
        f"end your answer with {HANDOVER_MARK}.\n\nConcept: {facts.concept}\nPlace: "
        f"{facts.place}, {facts.address} {facts.maps_url}\nBook at: {facts.booking_url}\n"
        f"Next sessions:\n{sessions}\nOffers:\n{offers}"
    )


class OpenAICompatibleAssistant:
    """Any OpenAI-compatible chat API (base URL, model, key). The ``openai`` package is
    loaded on the first question, not when the app starts. The address is checked before
    every call (names are resolved again each time): unless ``allow_private`` is set (a
    local Ollama), an API that leads to the server's own network is never called."""

    def __init__(
        self,
        *,
        base_url: str,
        model: str,
        api_key: str,
        timeout: float = 20,
        allow_private: bool = False,
    ) -> None:
        self._base_url, self._api_key, self._timeout = base_url, api_key, timeout
        self._model = model
        self._allow_private = allow_private

    def _client(self) -> Any:
        from openai import AsyncOpenAI  # ~50 MB: only for studios that use it

        return AsyncOpenAI(
            base_url=self._base_url,
            api_key=self._api_key or "none",
            timeout=self._timeout,
            max_retries=1,
        )

    async def reply(
        self, facts: StudioFacts, history: list[tuple[str, str]], question: str
    ) -> Reply:
        from openai import APIError

        if not self._allow_private and await leads_inside(self._base_url):
            log.warning("assistant API address leads to an internal network: not called")
            return Reply(gettext(HANDOVER_TEXT, facts.language), handover=True)
        turns = [{"role": "system", "content": system_prompt(facts)}]
        turns += [{"role": role, "content": text} for role, text in history[-12:]]
        turns.append({"role": "user", "content": question})
        messages = cast("list[ChatCompletionMessageParam]", turns)
        try:
            answer = await self._client().chat.completions.create(
                model=self._model, messages=messages, temperature=0.3
            )
        except APIError:
            return Reply(gettext(HANDOVER_TEXT, facts.language), handover=True)
        text = (answer.choices[0].message.content or "").strip()
        handover = HANDOVER_MARK in text
        text = re.sub(re.escape(HANDOVER_MARK), "", text).strip()
        return Reply(text or gettext(HANDOVER_TEXT, facts.language), handover)
