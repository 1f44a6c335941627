"""Time: an injectable clock, the studio's time zone, and local/UTC conversions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

__all__ = ["UTC", "ZURICH", "Clock", "FixedClock", "SystemClock", "local_to_utc", "to_local"]

ZURICH = ZoneInfo("Europe/Zurich")


class Clock(Protocol):
    def now(self) -> datetime: ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass
class FixedClock:
    """A clock for tests: stands still until moved."""

    current: datetime = field(default_factory=lambda: datetime(2026, 1, 1, tzinfo=UTC))

    def now(self) -> datetime:
        return self.current

    def advance(self, delta: timedelta) -> None:
        self.current += delta


def local_to_utc(day: date, at: time, tz: ZoneInfo = ZURICH) -> datetime:
    """The UTC instant of a wall-clock time on a local day (DST-correct)."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(UTC)


def to_local(moment: datetime, tz: ZoneInfo = ZURICH) -> datetime:
    return moment.astimezone(tz)


def local_day_bounds(day: date, tz: ZoneInfo = ZURICH) -> tuple[datetime, datetime]:
    """UTC start (inclusive) and end (exclusive) of a local calendar day."""
    return local_to_utc(day, time.min, tz), local_to_utc(day + timedelta(days=1), time.min, tz)
