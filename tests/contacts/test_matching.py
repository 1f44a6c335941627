import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.contacts.matching import Identity, match_or_create
from coachdesk.errors import Invalid
from coachdesk.kit.clock import FixedClock


def who(name: str = "Léa", email: str = "", phone: str = "") -> Identity:
    return Identity.parse(name=name, email=email, phone=phone, language="fr")


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("079 123 45 67", "+41791234567"),
        ("+41 79 123 45 67", "+41791234567"),
        ("0041791234567", "+41791234567"),
        ("+33 6 12 34 56 78", "+33612345678"),
    ],
)
def test_phones_are_stored_in_e164_swiss_by_default(raw: str, e164: str) -> None:
    assert who(phone=raw).phone == e164


@pytest.mark.parametrize(("email", "phone", "field"), [("nope", "", "email"), ("", "12", "phone")])
def test_invalid_email_or_phone_is_refused_on_its_field(email: str, phone: str, field: str) -> None:
    with pytest.raises(Invalid) as caught:
        who(email=email, phone=phone)
    assert caught.value.field == field


async def test_matched_by_email_or_phone_never_by_name(db: AsyncSession, clock: FixedClock) -> None:
    lea = await match_or_create(
        db, identity=who(email=" Lea@Example.CH "), source="booking", now=clock.now()
    )
    again = await match_or_create(
        db,
        identity=who(name="Someone Else", email="lea@example.ch", phone="0791234567"),
        source="booking",
        now=clock.now(),
    )
    assert again.id == lea.id and again.name == "Léa"
    assert again.phone is None  # a typed phone is a claim: it adds nothing to the card
    phoned = await match_or_create(
        db,
        identity=who(email="tom@example.ch", phone="0791234567"),
        source="booking",
        now=clock.now(),
    )
    by_phone = await match_or_create(
        db, identity=who(phone="+41791234567"), source="booking", now=clock.now()
    )
    assert by_phone.id == phoned.id
    namesake = await match_or_create(
        db, identity=who(name="Léa"), source="booking", now=clock.now()
    )
    assert namesake.id != lea.id


async def test_a_phone_known_with_another_email_stays_apart(
    db: AsyncSession, clock: FixedClock
) -> None:
    first = await match_or_create(
        db,
        identity=who(email="a@example.ch", phone="0791234567"),
        source="booking",
        now=clock.now(),
    )
    second = await match_or_create(
        db,
        identity=who(email="b@example.ch", phone="0791234567"),
        source="booking",
        now=clock.now(),
    )
    assert first.id != second.id and first.phone == second.phone == "+41791234567"
