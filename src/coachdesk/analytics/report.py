"""The studio's figures over a date range: bookings and revenue per week or month, per
course and per offer, fill rate of the sessions, promo codes, new contacts, chat → booking,
campaigns, no-shows. Grouping by id is done by the database; grouping by week or month in
Python over narrow rows, the same on SQLite and PostgreSQL."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import ColumnElement, and_, case, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.kit.clock import ZURICH, to_local
from coachdesk.models import (
    Booking,
    BookingSeat,
    BookingStatus,
    Campaign,
    CampaignSend,
    Contact,
    Conversation,
    Course,
    CourseSession,
    Delivery,
    PromoCode,
    PromoRedemption,
    SeatStatus,
    SessionStatus,
)

Unit = Literal["week", "month"]
LIVE = (BookingStatus.pending, BookingStatus.confirmed)


@dataclass(frozen=True)
class Period:
    """Local calendar days, both included."""

    first: date
    last: date
    unit: Unit = "week"

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first, time.min, ZURICH)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.last + timedelta(days=1), time.min, ZURICH)

    def bucket(self, moment: datetime) -> date:
        day = to_local(moment).date()
        if self.unit == "month":
            return day.replace(day=1)
        return day - timedelta(days=day.weekday())

    def buckets(self) -> list[date]:
        found: list[date] = []
        day = self.first
        while day <= self.last:
            key = self.bucket(datetime.combine(day, time(12), ZURICH))
            if not found or found[-1] != key:
                found.append(key)
            day += timedelta(days=1)
        return found


@dataclass
class Row:
    label: str
    values: list[int | float | str]


@dataclass
class Report:
    timeline: list[Row] = field(default_factory=list)  # bucket: bookings, revenue (cents)
    courses: list[Row] = field(default_factory=list)  # course: seats, sessions, fill %
    offers: list[Row] = field(default_factory=list)  # offer: bookings, revenue
    sessions: list[Row] = field(default_factory=list)  # session: booked, capacity, fill %
    promo: list[Row] = field(default_factory=list)  # code: uses, discount (cents)
    sources: list[Row] = field(default_factory=list)  # source: new contacts
    chat: list[Row] = field(default_factory=list)  # conversations, of whom booked, %
    campaigns: list[Row] = field(default_factory=list)  # campaign: sent, failed, skipped
    attendance: list[Row] = field(default_factory=list)  # seats, checked in, no-show %


def percent(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


async def build(session: AsyncSession, period: Period, now: datetime) -> Report:
    report = Report()
    report.timeline = await _timeline(session, period)
    report.offers = await _offers(session, period)
    report.sessions, report.courses = await _sessions(session, period)
    report.promo = await _promo(session, period)
    report.sources = await _sources(session, period)
    report.chat = await _chat(session, period)
    report.campaigns = await _campaigns(session, period)
    report.attendance = await _attendance(session, period, now)
    return report


def _in(column: Any, period: Period) -> ColumnElement[bool]:
    return and_(column >= period.start, column < period.end)


async def _timeline(session: AsyncSession, period: Period) -> list[Row]:
    rows = await session.execute(
        select(Booking.created_at, Booking.status, Booking.total_cents, Booking.refunded_cents)
        .where(_in(Booking.created_at, period))
        .where(Booking.status.in_((*LIVE, BookingStatus.cancelled)))
    )
    count: dict[date, int] = defaultdict(int)
    revenue: dict[date, int] = defaultdict(int)
    for created, status, total, refunded in rows.all():
        key = period.bucket(created)
        if status in LIVE:
            count[key] += 1
        if status == BookingStatus.confirmed or refunded:
            revenue[key] += total - refunded
    return [Row(key.isoformat(), [count[key], revenue[key]]) for key in period.buckets()]


def _revenue() -> Any:
    confirmed = Booking.status == BookingStatus.confirmed
    return func.sum(case((confirmed, Booking.total_cents - Booking.refunded_cents), else_=0))


async def _offers(session: AsyncSession, period: Period) -> list[Row]:
    rows = await session.execute(
        select(Booking.offer_name, func.count(Booking.id), _revenue())
        .where(_in(Booking.created_at, period), Booking.status.in_(LIVE))
        .group_by(Booking.offer_name)
        .order_by(func.count(Booking.id).desc())
    )
    return [Row(name or "—", [n, int(cents or 0)]) for name, n, cents in rows.all()]


async def _sessions(session: AsyncSession, period: Period) -> tuple[list[Row], list[Row]]:
    booked = (
        select(func.count(BookingSeat.id))
        .where(BookingSeat.session_id == CourseSession.id, BookingSeat.status == SeatStatus.held)
        .scalar_subquery()
    )
    rows = await session.execute(
        select(CourseSession.starts_at, Course.name, CourseSession.capacity, booked)
        .join(Course, Course.id == CourseSession.course_id)
        .where(
            _in(CourseSession.starts_at, period),
            CourseSession.status != SessionStatus.cancelled,
        )
        .order_by(CourseSession.starts_at)
    )
    sessions: list[Row] = []
    per_course: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for starts, name, capacity, seats in rows.all():
        label = f"{to_local(starts):%d.%m.%Y %H:%M} {name}"
        sessions.append(Row(label, [seats, capacity, percent(seats, capacity)]))
        totals = per_course[name]
        totals[0], totals[1], totals[2] = totals[0] + seats, totals[1] + 1, totals[2] + capacity
    courses = [
        Row(name, [seats, count, percent(seats, capacity)])
        for name, (seats, count, capacity) in sorted(per_course.items())
    ]
    return sessions, courses


async def _promo(session: AsyncSession, period: Period) -> list[Row]:
    rows = await session.execute(
        select(
            PromoCode.code, func.count(PromoRedemption.id), func.sum(PromoRedemption.discount_cents)
        )
        .join(PromoCode, PromoCode.id == PromoRedemption.promo_code_id)
        .where(_in(PromoRedemption.created_at, period), PromoRedemption.released_at.is_(None))
        .group_by(PromoCode.code)
        .order_by(func.count(PromoRedemption.id).desc())
    )
    return [Row(code, [n, int(cents or 0)]) for code, n, cents in rows.all()]


async def _sources(session: AsyncSession, period: Period) -> list[Row]:
    rows = await session.execute(
        select(Contact.source, func.count(Contact.id))
        .where(_in(Contact.first_seen_at, period), Contact.merged_into_id.is_(None))
        .group_by(Contact.source)
        .order_by(func.count(Contact.id).desc())
    )
    return [Row(source or "—", [n]) for source, n in rows.all()]


async def _chat(session: AsyncSession, period: Period) -> list[Row]:
    """People who started a conversation in the period, and those of them who then booked."""
    started = (
        select(Conversation.contact_id, func.min(Conversation.created_at).label("first"))
        .where(_in(Conversation.created_at, period), Conversation.contact_id.is_not(None))
        .group_by(Conversation.contact_id)
        .subquery()
    )
    talked = await session.scalar(select(func.count()).select_from(started)) or 0
    booked = (
        await session.scalar(
            select(func.count(func.distinct(Booking.contact_id)))
            .join(started, started.c.contact_id == Booking.contact_id)
            .where(Booking.created_at >= started.c.first, Booking.status.in_(LIVE))
        )
        or 0
    )
    return [Row("chat", [talked, booked, percent(booked, talked)])]


async def _campaigns(session: AsyncSession, period: Period) -> list[Row]:
    rows = await session.execute(
        select(Campaign.name, Delivery.status, func.count(Delivery.id))
        .join(CampaignSend, CampaignSend.campaign_id == Campaign.id)
        .join(Delivery, Delivery.send_id == CampaignSend.id)
        .where(_in(CampaignSend.due_at, period))
        .group_by(Campaign.name, Delivery.status)
    )
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for name, status, n in rows.all():
        counts[name][status.value] += n
    return [
        Row(name, [c["sent"], c["failed"], c["skipped"], c["pending"] + c["sending"]])
        for name, c in sorted(counts.items())
    ]


async def _attendance(session: AsyncSession, period: Period, now: datetime) -> list[Row]:
    """Held seats of sessions already over: who came (checked in), who did not."""
    past = min(period.end, now)
    total, came = (
        await session.execute(
            select(func.count(BookingSeat.id), func.count(BookingSeat.checked_in_at))
            .join(CourseSession, CourseSession.id == BookingSeat.session_id)
            .join(Booking, Booking.id == BookingSeat.booking_id)
            .where(
                CourseSession.starts_at >= period.start,
                CourseSession.starts_at < past,
                CourseSession.status != SessionStatus.cancelled,
                BookingSeat.status == SeatStatus.held,
                Booking.status == BookingStatus.confirmed,
            )
        )
    ).one()
    return [Row("seats", [total, came, percent(total - came, total)])]
