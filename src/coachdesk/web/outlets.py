"""Where the web layer's campaign messages go (tests and previews): the same outlet the
worker builds, from the running app's configuration and the coach's settings."""

from __future__ import annotations

from coachdesk.campaigns import sending, unsubscribe
from coachdesk.integrations.whatsapp import whatsapp_sender
from coachdesk.site.registry import SiteSettings
from coachdesk.web.state import AppState


def outlet(state: AppState, site: SiteSettings) -> sending.Outlet:
    base = state.settings.public_url()
    return sending.Outlet(
        email=state.email,
        base_url=base,
        unsubscribe_url=unsubscribe.links(base, state.secret),
        whatsapp=whatsapp_sender(site, state.whatsapp),
    )
