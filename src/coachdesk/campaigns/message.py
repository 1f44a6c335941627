"""A campaign's message: the variables the coach may write, checked before launch and
filled in for each recipient. ``{prénom}`` always means the recipient's first name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from coachdesk.errors import Invalid
from coachdesk.kit.i18n import N_
from coachdesk.kit.links import is_web_link

# a variable is a word between braces; {{ and }} write a brace itself
PLACEHOLDER = re.compile(r"\{\{|\}\}|\{([^{}\s]{1,30})\}")
VARIABLES = ("prénom", "nom", "billet", "réserver", "code_promo")
ALIASES = {"prenom": "prénom", "reserver": "réserver", "code": "code_promo"}
MAX_LENGTH = 4000

UNKNOWN_VARIABLE = N_("Variable inconnue : {%(name)s}. Variables possibles : %(known)s.")
EMPTY_MESSAGE = N_("Écrivez le message de la campagne.")
TOO_LONG = N_("Message trop long : %(max)s caractères au plus.")
BAD_MEDIA = N_("Le lien du média doit commencer par http:// ou https://.")


@dataclass(frozen=True)
class Recipient:
    """What a message may say about one person."""

    name: str
    ticket_url: str = ""  # their next ticket, if any
    booking_url: str = ""  # the public booking page
    promo_code: str = ""  # a code reserved for them, if any


def _canonical(name: str) -> str | None:
    name = ALIASES.get(name.lower(), name.lower())
    return name if name in VARIABLES else None


def variables_in(text: str) -> list[str]:
    """The variables a message uses, in order; an unknown one is refused."""
    found = []
    for match in PLACEHOLDER.finditer(text):
        raw = match.group(1)
        if raw is None:
            continue
        name = _canonical(raw)
        if name is None:
            known = ", ".join(f"{{{v}}}" for v in VARIABLES)
            raise Invalid(
                UNKNOWN_VARIABLE, code="unknown_variable", field="body", name=raw, known=known
            )
        found.append(name)
    return found


def checked(body: str, media_url: str = "") -> str:
    text = body.strip()
    if not text:
        raise Invalid(EMPTY_MESSAGE, code="empty_message", field="body")
    if len(text) > MAX_LENGTH:
        raise Invalid(TOO_LONG, code="message_too_long", field="body", max=MAX_LENGTH)
    variables_in(text)
    checked_media(media_url)
    return text


def checked_media(media_url: str) -> str:
    if media_url.strip() and not is_web_link(media_url.strip()):
        raise Invalid(BAD_MEDIA, code="bad_media_url", field="media_url")
    return media_url.strip()


def split_name(name: str) -> tuple[str, str]:
    first, _, last = " ".join(name.split()).partition(" ")
    return first, last


def render(body: str, recipient: Recipient) -> str:
    """The message for one person. A value they do not have leaves nothing behind."""
    first, last = split_name(recipient.name)
    values = {
        "prénom": first,
        "nom": last,
        "billet": recipient.ticket_url,
        "réserver": recipient.booking_url,
        "code_promo": recipient.promo_code,
    }

    def fill(match: re.Match[str]) -> str:
        if match.group(1) is None:
            return match.group(0)[0]
        name = _canonical(match.group(1))
        return values[name] if name else match.group(0)

    return PLACEHOLDER.sub(fill, body)
