"""The typed registry of coach-editable settings, with their defaults.

Each field is one row in the ``settings`` table when it differs from its default. A value
that no longer validates (after an upgrade, say) falls back to its default instead of
breaking the site.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from coachdesk.kit.links import LinkOrPath

HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


def _colour(value: str) -> str:
    if not HEX_COLOUR.match(value):
        raise ValueError("colour")
    return value.lower()


Colour = Annotated[str, AfterValidator(_colour)]
Link = LinkOrPath
PaymentLogo = Literal["twint", "paypal", "card"]
WhatsAppProvider = Literal["manual", "twilio", "cloud"]
Section = Literal["accueil", "concept", "seances", "offres"]
NoticeKind = Literal[
    "booking_new", "booking_cancelled", "waitlist_moved", "chat_human", "payment_failed"
]
ALL_NOTICES: tuple[NoticeKind, ...] = (
    "booking_new",
    "booking_cancelled",
    "waitlist_moved",
    "chat_human",
    "payment_failed",
)
# The six colour presets (primary, secondary), named as the coach knows them.
PRESETS: dict[str, tuple[str, str]] = {
    "Rose Néon": ("#ff2d95", "#00e5ff"),
    "Bleu Électrique": ("#2f6bff", "#00e5ff"),
    "Vert Menthe": ("#2ee6a6", "#7c5cff"),
    "Orange Sunset": ("#ff7a1a", "#ffd23f"),
    "Rouge Passion": ("#e11d48", "#ff8fab"),
    "Or Luxe": ("#d4af37", "#f5e6a8"),
}


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4


def luminance(colour: str) -> float:
    """Relative luminance (WCAG) of a #rrggbb colour."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast(first: str, second: str) -> float:
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_on(colour: str) -> str:
    """Black or white, whichever reads better on this colour (white if it is not one)."""
    if not HEX_COLOUR.match(colour or ""):
        return "#ffffff"
    return "#000000" if contrast(colour, "#000000") >= contrast(colour, "#ffffff") else "#ffffff"


ALL_PAYMENT_LOGOS: tuple[PaymentLogo, ...] = ("twint", "paypal", "card")


class SiteSettings(BaseModel):
    model_config = ConfigDict(str_strip_whitespace=True, validate_assignment=True)

    app_name: str = Field("coachdesk", min_length=1, max_length=60)
    tagline: str = Field("", max_length=160)
    logo_url: Link = ""
    favicon_url: Link = ""
    primary_color: Colour = "#ff2d95"
    secondary_color: Colour = "#00e5ff"
    concept_title: str = Field("", max_length=120)
    concept_text: str = Field("", max_length=5000)
    hero_media_url: Link = ""
    poster_url: Link = ""  # an event poster (image or video) shown once per visit
    poster_active: bool = False
    audio_player_enabled: bool = False  # the courses' playlists on the public page
    default_section: Section = "accueil"
    terms_text: str = Field("", max_length=20000)
    reviews_url: Link = ""
    footer_link1_label: str = Field("", max_length=60)
    footer_link1_url: Link = ""
    footer_link2_label: str = Field("", max_length=60)
    footer_link2_url: Link = ""
    payment_logos: list[PaymentLogo] = Field(default_factory=lambda: list(ALL_PAYMENT_LOGOS))
    weeks_ahead: int = Field(4, ge=1, le=26)
    contact_email: str = Field("", max_length=254)
    # Booking
    booking_code_prefix: str = Field("", max_length=8, pattern=r"^[A-Z0-9-]*$")
    pending_minutes: int = Field(30, ge=5, le=1440)
    link_pending_hours: int = Field(48, ge=1, le=720)
    cancel_deadline_hours: int = Field(12, ge=0, le=720)
    reminder_hours: int = Field(24, ge=0, le=168)
    waitlist_hold_hours: int = Field(2, ge=1, le=72)
    # "On site" bookings the client must confirm from the e-mail within N hours, or the
    # seat is freed (0: they wait for the coach, as before)
    on_site_confirm_hours: int = Field(0, ge=0, le=168)
    # Payment methods the coach offers (Stripe also needs its keys in the configuration)
    stripe_enabled: bool = False
    pay_on_site_enabled: bool = True
    paypal_link: Link = ""
    twint_link: Link = ""
    # Chat assistant: the built-in one, or an OpenAI-compatible API when a URL is given
    assistant_enabled: bool = True
    ai_base_url: Link = ""
    ai_model: str = Field("", max_length=120)
    ai_api_key: str = Field("", max_length=500)  # write-only in the admin
    # WhatsApp for campaigns: by hand from wa.me links, or through Twilio / the Cloud API
    whatsapp_provider: WhatsAppProvider = "manual"
    twilio_account_sid: str = Field("", max_length=34, pattern=r"^(AC[0-9a-fA-F]{32})?$")
    twilio_auth_token: str = Field("", max_length=200)  # write-only in the admin
    whatsapp_from: str = Field("", max_length=20, pattern=r"^(\+[1-9][0-9]{6,14})?$")
    whatsapp_phone_number_id: str = Field("", max_length=40, pattern=r"^[0-9]*$")
    whatsapp_access_token: str = Field("", max_length=1000)  # write-only in the admin
    whatsapp_template: str = Field("", max_length=120, pattern=r"^[a-z0-9_]*$")
    whatsapp_template_language: str = Field("fr", max_length=10, pattern=r"^[a-z]{2}(_[A-Z]{2})?$")

    # What the coach is told, and how (Coach Mode shows every event live when open)
    notify_push: list[NoticeKind] = Field(default_factory=lambda: list(ALL_NOTICES))
    notify_email: list[NoticeKind] = Field(default_factory=list)
    notify_whatsapp: list[NoticeKind] = Field(default_factory=list)
    coach_whatsapp: str = Field("", max_length=20, pattern=r"^(\+[1-9][0-9]{6,14})?$")

    def whatsapp_missing(self) -> bool:
        """A provider is chosen but what it needs is not all there."""
        needs = {
            "twilio": (self.twilio_account_sid, self.twilio_auth_token, self.whatsapp_from),
            "cloud": (self.whatsapp_phone_number_id, self.whatsapp_access_token),
        }
        return not all(needs.get(self.whatsapp_provider, ()))


DEFAULTS = SiteSettings()
