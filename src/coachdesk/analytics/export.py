"""A report section as CSV (Excel-friendly), the same rows as the tables on the page."""

from __future__ import annotations

from coachdesk.analytics.report import Report
from coachdesk.kit.spreadsheet import excel_csv

COLUMNS: dict[str, list[str]] = {
    "timeline": ["période", "réservations", "revenu CHF"],
    "courses": ["cours", "places réservées", "séances", "remplissage %"],
    "offers": ["offre", "réservations", "revenu CHF"],
    "sessions": ["séance", "places réservées", "capacité", "remplissage %"],
    "promo": ["code", "utilisations", "remise CHF"],
    "sources": ["source", "nouveaux contacts"],
    "chat": ["", "conversations", "ont réservé ensuite", "conversion %"],
    "campaigns": ["campagne", "envoyés", "échecs", "ignorés", "en attente"],
    "attendance": ["", "places des séances passées", "présents", "absences %"],
}
MONEY = {"timeline": 2, "offers": 2, "promo": 2}  # column index holding cents


def section_csv(report: Report, name: str) -> bytes:
    money = MONEY.get(name)
    rows = []
    for row in getattr(report, name):
        values = [row.label, *row.values]
        if money is not None:
            values[money] = f"{int(values[money]) / 100:.2f}"
        rows.append(values)
    return excel_csv(COLUMNS[name], rows)
