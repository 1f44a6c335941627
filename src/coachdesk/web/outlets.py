"""Where the web layer's campaign messages go (tests and previews): the same outlet the
worker builds, from the running app's configuration and the coach's settings."""

from __future__ import annotations

from coachdesk.campaigns import sending
from coachdesk.site.registry import SiteSettings
from coachdesk.web.state import AppState


def outlet(state: AppState, site: SiteSettings) -> sending.Outlet:
    return sending.outlet_for(
        email=state.email,
        base_url=state.settings.public_url(),
        secret=state.secret,
        site=site,
        endpoints=state.whatsapp,
    )
