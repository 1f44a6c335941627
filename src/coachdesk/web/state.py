"""What the running app holds: configuration, database, clock and secret."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from coachdesk.config import Settings
from coachdesk.integrations.email import EmailSender, OutboxSender
from coachdesk.integrations.payments import PaymentGateway
from coachdesk.integrations.whatsapp import Endpoints
from coachdesk.kit.clock import Clock
from coachdesk.limits.budgets import Budgets
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
    hub: Hub = field(default_factory=Hub)
    # tries per address, visitor, e-mail… counted in the database (shared by every process)
    budgets: Budgets = field(default_factory=Budgets)
