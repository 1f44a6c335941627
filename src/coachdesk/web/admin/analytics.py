"""The Statistiques tab: a date range (this month by default), week or month, charts and
tables, each table downloadable as CSV."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response
from markupsafe import Markup

from coachdesk.analytics import charts, export, report
from coachdesk.errors import NotFound
from coachdesk.kit.clock import to_local
from coachdesk.kit.days import plausible
from coachdesk.kit.i18n import N_, gettext
from coachdesk.web.deps import DB, Now, Owner
from coachdesk.web.downloads import csv_download
from coachdesk.web.templating import render

router = APIRouter(prefix="/analytics")
LONGEST = timedelta(days=3 * 366)
BOOKINGS_CHART = N_("Réservations par période")
REVENUE_CHART = N_("Revenu par période (CHF)")


def period_of(request: Request, now: datetime) -> tuple[report.Period, bool]:
    """The range asked for (this month when none or a wrong one); and whether it was wrong."""
    today = to_local(now).date()
    default = report.Period(today.replace(day=1), today, "week")
    params = request.query_params
    unit: report.Unit = "month" if params.get("unit") == "month" else "week"
    try:
        first = date.fromisoformat(params.get("from", "")) if params.get("from") else default.first
        last = date.fromisoformat(params.get("to", "")) if params.get("to") else default.last
    except ValueError:
        return default, True
    if last < first or last - first > LONGEST or not (plausible(first) and plausible(last)):
        return default, True
    return report.Period(first, last, unit), False


def _chart(points: list[tuple[str, float]], title: str, *, money: bool = False) -> Markup:
    """Every label in the SVG is escaped by the chart drawer."""
    return Markup(charts.bar_chart(points, title=gettext(title), money=money))  # noqa: S704


@router.get("")
async def page(request: Request, db: DB, now: Now, owner: Owner) -> Response:
    period, wrong = period_of(request, now)
    figures = await report.build(db, period, now)
    timeline = [(row.label, float(row.values[0])) for row in figures.timeline]
    revenue = [(row.label, float(row.values[1])) for row in figures.timeline]
    context = {
        "tab": "analytics",
        "period": period,
        "wrong": wrong,
        "figures": figures,
        "bookings_chart": _chart(timeline, BOOKINGS_CHART),
        "revenue_chart": _chart(revenue, REVENUE_CHART, money=True),
        "query": request.url.query,
    }
    return render(request, "coach/analytics.html", context)


@router.get("/{section}.csv")
async def section_csv(request: Request, section: str, db: DB, now: Now, owner: Owner) -> Response:
    if section not in export.COLUMNS:
        raise NotFound()
    period, _ = period_of(request, now)
    figures = await report.build(db, period, now)
    name = f"statistiques-{section}-{period.first}-{period.last}.csv"
    return csv_download(export.section_csv(figures, section), name)
