"""Contacts as CSV (UTF-8 with BOM, semicolons: opens in Excel)."""

from __future__ import annotations

import csv
import io

from coachdesk.kit.clock import to_local
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
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADER)
    for c in contacts:
        writer.writerow(
            [
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
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
