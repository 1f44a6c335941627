"""Contacts as CSV that opens cleanly in Excel."""

from __future__ import annotations

from coachdesk.kit.clock import to_local
from coachdesk.kit.spreadsheet import excel_csv
from coachdesk.models import Contact

HEADER = [
    "nom",
    "e-mail",
    "téléphone",
    "langue",
    "source",
    "étiquettes",
    "accord e-mail",
    "accord WhatsApp",
    "premier contact",
    "dernière activité",
]


def contacts_csv(contacts: list[Contact]) -> bytes:
    return excel_csv(HEADER, (_row(c) for c in contacts))


def _row(c: Contact) -> list[str]:
    return [
        c.name,
        c.email or "",
        c.phone or "",
        c.language,
        c.source,
        "|".join(c.tag_names),
        "oui" if c.consent_email else "non",
        "oui" if c.consent_whatsapp else "non",
        f"{to_local(c.first_seen_at):%d.%m.%Y}",
        f"{to_local(c.last_seen_at):%d.%m.%Y}",
    ]
