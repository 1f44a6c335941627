"""A campaign's deliveries as CSV: who, which channel, what happened and why."""

from __future__ import annotations

from coachdesk.kit.clock import to_local
from coachdesk.kit.spreadsheet import excel_csv
from coachdesk.models import Delivery

HEADER = [
    "nom",
    "canal",
    "adresse",
    "statut",
    "raison",
    "erreur",
    "essais",
    "envoyé le",
    "identifiant du fournisseur",
]


def deliveries_csv(rows: list[Delivery]) -> bytes:
    return excel_csv(
        HEADER,
        (
            [
                row.contact.name,
                row.channel.value,
                row.address,
                row.status.value,
                row.reason,
                row.error,
                row.attempts,
                f"{to_local(row.sent_at):%d.%m.%Y %H:%M}" if row.sent_at else "",
                row.provider_id,
            ]
            for row in rows
        ),
    )
