"""What the running app holds: configuration, database, clock and secret."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from coachdesk.config import Settings
from coachdesk.integrations.email import EmailSender, OutboxSender
from coachdesk.integrations.payments import PaymentGateway
from coachdesk.integrations.whatsapp import Endpoints
from coachdesk.kit.clock import Clock
from coachdesk.kit.ratelimit import SlidingWindow
from coachdesk.realtime.hub import Hub
from coachdesk.site.registry import SiteSettings
from coachdesk.web.cache import MicroCache


@dataclass
class AppState:
    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    clock: Clock
    secret: str
    # Last settings read from the database: used where no database is at hand (error pages).
    site: SiteSettings = field(default_factory=SiteSettings)
    public_cache: MicroCache = field(default_factory=lambda: MicroCache(0))
    payments: PaymentGateway | None = None  # online payments, when configured
    email: EmailSender = field(default_factory=OutboxSender)
    whatsapp: Endpoints = field(default_factory=Endpoints)  # providers' API addresses
    # wrong promo-code guesses per address: 20 in 10 minutes, then a pause
    promo_guesses: SlidingWindow = field(default_factory=lambda: SlidingWindow(20, 600))
    hub: Hub = field(default_factory=Hub)
    # chat floods: messages per visitor and per address, introductions per address
    chat_by_visitor: SlidingWindow = field(default_factory=lambda: SlidingWindow(12, 60))
    chat_by_address: SlidingWindow = field(default_factory=lambda: SlidingWindow(40, 60))
    chat_starts: SlidingWindow = field(default_factory=lambda: SlidingWindow(10, 600))
