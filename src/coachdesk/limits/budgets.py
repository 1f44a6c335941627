"""Every budget of tries in one place, with the deployment's overrides."""

from __future__ import annotations

from dataclasses import dataclass, field

from coachdesk.config import Settings
from coachdesk.limits.service import Budget

MINUTE, HOUR = 60, 3600

# Proving an address with a 6-digit code: 5 tries per code (the code row counts those),
# and at most this many per address and per card, whichever code they were for.
CODE_TRIES_BY_ADDRESS = Budget("code_tries_address", 20, HOUR)
CODE_TRIES_BY_CONTACT = Budget("code_tries_contact", 10, HOUR)
CODES_SENT_BY_CONTACT = Budget("codes_sent_contact", 5, HOUR)
# Promo codes tried (by the live check or by a booking): per address and per e-mail.
PROMO_GUESSES = Budget("promo_guesses", 20, 10 * MINUTE)


@dataclass(frozen=True)
class Budgets:
    """The budgets the deployment can tune (``COACHDESK_*`` settings)."""

    chat_starts: Budget = field(default_factory=lambda: Budget("chat_starts", 10, 10 * MINUTE))
    chat_by_visitor: Budget = field(default_factory=lambda: Budget("chat_visitor", 12, MINUTE))
    chat_by_address: Budget = field(default_factory=lambda: Budget("chat_address", 40, MINUTE))
    bookings_by_address: Budget = field(
        default_factory=lambda: Budget("bookings_address", 10, HOUR)
    )
    bookings_by_email: Budget = field(default_factory=lambda: Budget("bookings_email", 6, HOUR))

    @classmethod
    def of(cls, settings: Settings) -> Budgets:
        return cls(
            chat_starts=Budget("chat_starts", settings.chat_starts_per_address, 10 * MINUTE),
            chat_by_visitor=Budget("chat_visitor", settings.chat_messages_per_visitor, MINUTE),
            chat_by_address=Budget("chat_address", settings.chat_messages_per_address, MINUTE),
            bookings_by_address=Budget("bookings_address", settings.bookings_per_address, HOUR),
            bookings_by_email=Budget("bookings_email", settings.bookings_per_email, HOUR),
        )


@dataclass(frozen=True)
class Requester:
    """Who asks, as far as limits go: the client's network address (from a trusted proxy
    or the connection) and the budgets in force."""

    address: str
    budgets: Budgets = field(default_factory=Budgets)
