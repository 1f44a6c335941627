import pytest
from hypothesis import given
from hypothesis import strategies as st

from coachdesk.booking.pricing import quote, with_pass
from coachdesk.models import OfferKind


@pytest.mark.parametrize(
    ("kind", "price", "sessions", "total", "buys_pass", "credits"),
    [
        (OfferKind.single, 3000, 1, 3000, False, 0),
        (OfferKind.single, 3000, 3, 9000, False, 0),
        (OfferKind.pack, 15000, 2, 15000, True, 2),
        (OfferKind.subscription, 10900, 4, 10900, True, 0),
        (OfferKind.single, 0, 2, 0, False, 0),
    ],
)
def test_price_table(
    kind: OfferKind, price: int, sessions: int, total: int, buys_pass: bool, credits: int
) -> None:
    result = quote(kind=kind, price_cents=price, sessions=sessions)
    assert (result.total_cents, result.buys_pass, result.credits_needed) == (
        total,
        buys_pass,
        credits,
    )


@given(st.sampled_from(list(OfferKind)), st.integers(0, 10**7), st.integers(1, 10))
def test_totals_are_never_negative_and_passes_cost_their_price_once(
    kind: OfferKind, price: int, sessions: int
) -> None:
    total = quote(kind=kind, price_cents=price, sessions=sessions).total_cents
    assert total >= 0
    assert total == (price * sessions if kind == OfferKind.single else price)


def test_using_a_pass_costs_nothing_and_a_card_spends_one_credit_per_session() -> None:
    assert with_pass(sessions=3, kind=OfferKind.pack).credits_needed == 3
    assert with_pass(sessions=3, kind=OfferKind.subscription).credits_needed == 0
    assert with_pass(sessions=3, kind=OfferKind.pack).total_cents == 0
