"""Every rule and message, in the SPEC's order; discounts as properties."""

from __future__ import annotations

from datetime import date, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from coachdesk.kit.i18n import gettext
from coachdesk.models import PromoKind
from coachdesk.promo.rules import MESSAGES, Use, discount, normalise, refusal

TODAY = date(2026, 11, 18)


def code(**fields: Any) -> Any:
    base = {
        "active": True,
        "valid_from": None,
        "valid_until": None,
        "max_uses": None,
        "uses": 0,
        "courses": [],
        "offers": [],
        "beneficiary_id": None,
        "kind": PromoKind.percent,
        "value": 20,
    }
    return SimpleNamespace(**{**base, **fields})


USE = Use(today=TODAY, course_ids=frozenset({1}), offer_id=10, contact_id=7)
COURSE_1, COURSE_2 = SimpleNamespace(id=1), SimpleNamespace(id=2)
OFFER_10, OFFER_11 = SimpleNamespace(id=10), SimpleNamespace(id=11)


@pytest.mark.parametrize(
    ("promo", "reason", "message"),
    [
        (None, "unknown", "Code promo inconnu."),
        (code(active=False), "inactive", "Ce code promo n'est pas actif."),
        (
            code(valid_from=date(2026, 11, 19)),
            "not_yet_valid",
            "Ce code promo est valable à partir du %(date)s.",
        ),
        (code(valid_until=date(2026, 11, 17)), "expired", "Code promo expiré."),
        (code(max_uses=3, uses=3), "used_up", "Code promo épuisé."),
        (
            code(courses=[COURSE_2]),
            "not_applicable",
            "Code promo non applicable à cette séance ou cette offre.",
        ),
        (
            code(offers=[OFFER_11]),
            "not_applicable",
            "Code promo non applicable à cette séance ou cette offre.",
        ),
        (code(beneficiary_id=8), "other_beneficiary", "Code promo réservé à un autre compte."),
        (code(valid_from=TODAY, valid_until=TODAY), None, None),  # valid all its last day
        (
            code(
                courses=[COURSE_1, COURSE_2],
                offers=[OFFER_10],
                beneficiary_id=7,
                max_uses=4,
                uses=3,
            ),
            None,
            None,
        ),
    ],
)
def test_each_rule_and_its_message(promo: Any, reason: str | None, message: str | None) -> None:
    assert refusal(promo, USE) == reason
    if reason:
        assert MESSAGES[reason] == message


def test_rules_are_checked_in_the_spec_order() -> None:
    everything_wrong = code(
        active=False,
        valid_until=date(2020, 1, 1),
        max_uses=1,
        uses=1,
        courses=[COURSE_2],
        beneficiary_id=99,
    )
    assert refusal(everything_wrong, USE) == "inactive"
    assert refusal(code(valid_until=date(2020, 1, 1), max_uses=1, uses=1), USE) == "expired"
    assert refusal(code(max_uses=1, uses=1, courses=[COURSE_2]), USE) == "used_up"
    assert refusal(code(courses=[COURSE_2], beneficiary_id=99), USE) == "not_applicable"


def test_a_booking_of_several_courses_needs_them_all_allowed() -> None:
    several = Use(today=TODAY, course_ids=frozenset({1, 2}), offer_id=10, contact_id=None)
    assert refusal(code(courses=[COURSE_1]), several) == "not_applicable"


@pytest.mark.parametrize("language", ["de", "en"])
def test_messages_are_translated(language: str) -> None:
    assert gettext(MESSAGES["used_up"], language) != MESSAGES["used_up"]


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("  summer10 ", "SUMMER10"),
        ("Summer 10", "SUMMER10"),
        (".*", ".*"),
        ("%", "%"),
        ("x" * 10_000, "X" * 40),
        ("été😀", "ÉTÉ😀"),
    ],
)
def test_codes_are_plain_text_trimmed_and_upper_case(typed: str, stored: str) -> None:
    assert normalise(typed) == stored


@pytest.mark.parametrize(
    ("kind", "value", "total", "expected"),
    [
        (PromoKind.free, 0, 3000, 3000),
        (PromoKind.percent, 20, 3000, 600),
        (PromoKind.percent, 15, 999, 150),
        (PromoKind.percent, 100, 15000, 15000),
        (PromoKind.amount, 1000, 3000, 1000),
        (PromoKind.amount, 5000, 3000, 3000),
        (PromoKind.amount, 1000, 0, 0),
    ],
)
def test_discount_table(kind: PromoKind, value: int, total: int, expected: int) -> None:
    assert discount(kind=kind, value=value, total_cents=total) == expected


@given(st.sampled_from(list(PromoKind)), st.integers(-(10**6), 10**7), st.integers(0, 10**7))
def test_a_discounted_total_stays_between_zero_and_the_price(
    kind: PromoKind, value: int, total: int
) -> None:
    off = discount(kind=kind, value=value, total_cents=total)
    assert 0 <= total - off <= total
    if kind == PromoKind.free:
        assert total - off == 0


def test_dates_compare_as_local_days() -> None:
    late_evening = Use(
        today=datetime(2026, 11, 18, 23, 59).date(),
        course_ids=frozenset({1}),
        offer_id=10,
        contact_id=None,
    )
    assert refusal(code(valid_until=date(2026, 11, 18)), late_evening) is None
