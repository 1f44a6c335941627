from datetime import UTC, date, datetime, time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coachdesk.kit.clock import local_day_bounds, local_to_utc
from coachdesk.kit.money import format_amount, parse_amount


@pytest.mark.parametrize(
    ("day", "utc_hour"),
    [
        (date(2026, 10, 18), 16),  # summer time (UTC+2): 18:30 local = 16:30 UTC
        (date(2026, 10, 25), 17),  # the DST change day itself: already winter time
        (date(2026, 3, 29), 16),  # spring change day: summer time again
        (date(2026, 12, 20), 17),  # winter (UTC+1)
    ],
)
def test_local_wall_clock_time_is_kept_across_daylight_saving(day: date, utc_hour: int) -> None:
    assert local_to_utc(day, time(18, 30)) == datetime.combine(day, time(utc_hour, 30), tzinfo=UTC)


def test_the_autumn_change_day_lasts_25_hours() -> None:
    start, end = local_day_bounds(date(2026, 10, 25))
    assert (end - start).total_seconds() == 25 * 3600


@pytest.mark.parametrize(
    ("text", "cents"),
    [
        ("30", 3000),
        ("30.50", 3050),
        ("30,5", 3050),
        ("CHF 109.-", 10900),
        (" 0 ", 0),
        ("1'200", 120000),
    ],
)
def test_amounts_typed_by_a_coach_are_read_as_cents(text: str, cents: int) -> None:
    assert parse_amount(text) == cents


@pytest.mark.parametrize("text", ["", "abc", "-5", "1.234", "NaN", "inf", "1e3x"])
def test_nonsense_amounts_are_refused(text: str) -> None:
    with pytest.raises(ValueError):
        parse_amount(text)


def test_amounts_are_shown_the_swiss_way() -> None:
    assert format_amount(3000) == "CHF 30.–"
    assert format_amount(10950) == "CHF 109.50"
    assert format_amount(150000) == "CHF 1’500.–"


@given(st.integers(min_value=0, max_value=10**9))
def test_formatting_then_parsing_gives_back_the_same_cents(cents: int) -> None:
    shown = format_amount(cents, currency=False).replace("’", "").replace(".–", "")
    assert parse_amount(shown) == cents
