"""Creating codes one by one and by thousands, batches as a whole, detaching, CSV."""

from __future__ import annotations

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.catalog.offers import delete_offer, get_offer
from coachdesk.contacts.matching import Identity, match_or_create
from coachdesk.errors import AppError
from coachdesk.kit.clock import FixedClock
from coachdesk.models import PromoCode, PromoKind
from coachdesk.promo import admin, batches, csv_io
from coachdesk.promo.schemas import BatchIn, PromoCodeIn
from tests.factories import make_coach, make_course, make_offer


async def count(db: AsyncSession) -> int:
    return await db.scalar(select(func.count(PromoCode.id))) or 0


async def test_codes_are_unique_whatever_the_case_and_spaces(
    db: AsyncSession, clock: FixedClock
) -> None:
    coach = await make_coach(db, now=clock.now())
    await admin.create_code(
        db,
        data=PromoCodeIn(code=" ete-2026 ", kind="percent", value=10),
        actor=coach,
        now=clock.now(),
    )
    with pytest.raises(AppError) as twice:
        await admin.create_code(
            db, data=PromoCodeIn(code="ETE-2026", kind="free"), actor=coach, now=clock.now()
        )
    assert twice.value.code == "code_taken"


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"code": "", "kind": "free"}, "code_required"),
        ({"code": "A B%", "kind": "free"}, "code_chars"),
        ({"code": "X", "kind": "percent", "value": 0}, "percent_range"),
        ({"code": "X", "kind": "percent", "value": 101}, "percent_range"),
        ({"code": "X", "kind": "amount", "value": 0}, "amount_required"),
        (
            {"code": "X", "kind": "free", "valid_from": "2026-12-01", "valid_until": "2026-11-01"},
            "dates_order",
        ),
    ],
)
def test_code_rules(fields: dict[str, object], error: str) -> None:
    with pytest.raises(ValidationError) as caught:
        PromoCodeIn.model_validate(fields)
    assert error in str(caught.value)


@pytest.mark.parametrize("size", [0, 10_001, "abc"])
def test_a_batch_of_zero_too_many_or_text_is_refused(size: object) -> None:
    with pytest.raises(ValidationError):
        BatchIn.model_validate({"count": size, "kind": "free"})


async def test_a_batch_of_a_thousand_random_codes_and_sequences_that_continue(
    db: AsyncSession, clock: FixedClock
) -> None:
    coach = await make_coach(db, now=clock.now())
    offer = await make_offer(db, now=clock.now())
    first = await batches.create_batch(
        db,
        data=BatchIn(count=1000, kind="percent", value=15, prefix="xmas", offer_ids=[offer.id]),
        actor=coach,
        now=clock.now(),
    )
    codes = await batches.batch_codes(db, first)
    assert len({c.code for c in codes}) == 1000
    assert all(c.code.startswith("XMAS") and len(c.code) == 10 for c in codes)
    assert all(not set(c.code[4:]) & set("01OI") for c in codes)
    assert {o.id for o in codes[0].offers} == {offer.id} and codes[0].max_uses == 1
    one = await batches.create_batch(
        db,
        data=BatchIn(count=3, kind="free", prefix="vip", naming="sequence"),
        actor=coach,
        now=clock.now(),
    )
    two = await batches.create_batch(
        db,
        data=BatchIn(count=2, kind="free", prefix="VIP", naming="sequence"),
        actor=coach,
        now=clock.now(),
    )
    names = [c.code for c in await batches.batch_codes(db, one)] + [
        c.code for c in await batches.batch_codes(db, two)
    ]
    assert names == ["VIP-001", "VIP-002", "VIP-003", "VIP-004", "VIP-005"]


async def test_one_code_per_chosen_contact(db: AsyncSession, clock: FixedClock) -> None:
    coach = await make_coach(db, now=clock.now())
    people = [
        await match_or_create(
            db,
            identity=Identity.parse(
                name=f"P{n}", email=f"p{n}@example.ch", phone="", language="fr"
            ),
            source="manual",
            now=clock.now(),
        )
        for n in range(3)
    ]
    batch = await batches.create_batch(
        db,
        data=BatchIn(count=6, kind="amount", value=500, contact_ids=[p.id for p in people]),
        actor=coach,
        now=clock.now(),
    )
    owners = [c.beneficiary_id for c in await batches.batch_codes(db, batch)]
    assert sorted(owners) == sorted([p.id for p in people] * 2)


async def test_a_batch_is_deactivated_or_deleted_as_a_whole(
    db: AsyncSession, clock: FixedClock
) -> None:
    coach = await make_coach(db, now=clock.now())
    batch = await batches.create_batch(
        db, data=BatchIn(count=20, kind="free"), actor=coach, now=clock.now()
    )
    await batches.set_batch_active(db, batch=batch, active=False, actor=coach, now=clock.now())
    await db.commit()
    assert not any(c.active for c in await batches.batch_codes(db, batch))
    await batches.delete_batch(db, batch=batch, actor=coach, now=clock.now())
    await db.commit()
    assert await count(db) == 0


async def test_deleting_the_only_offer_a_code_allows_deactivates_it(
    db: AsyncSession, clock: FixedClock
) -> None:
    coach = await make_coach(db, now=clock.now())
    only, other = (
        await make_offer(db, now=clock.now()),
        await make_offer(db, now=clock.now(), name="B"),
    )
    lone = await admin.create_code(
        db,
        data=PromoCodeIn(code="LONE", kind="free", offer_ids=[only.id]),
        actor=coach,
        now=clock.now(),
    )
    pair = await admin.create_code(
        db,
        data=PromoCodeIn(code="PAIR", kind="free", offer_ids=[only.id, other.id]),
        actor=coach,
        now=clock.now(),
    )
    await db.commit()
    await delete_offer(db, offer=await get_offer(db, only.id), actor=coach, now=clock.now())
    await db.commit()
    await db.refresh(lone)
    await db.refresh(pair)
    assert not lone.active and lone.offers == []  # never widened to every offer
    assert pair.active and [o.id for o in pair.offers] == [other.id]


async def test_csv_round_trip_loses_nothing(db: AsyncSession, clock: FixedClock) -> None:
    coach = await make_coach(db, now=clock.now())
    course = await make_course(db, now=clock.now(), name="Cardio")
    offer = await make_offer(db, now=clock.now(), name="Carte 10")
    lea = await match_or_create(
        db,
        identity=Identity.parse(name="Léa", email="lea@example.ch", phone="", language="fr"),
        source="manual",
        now=clock.now(),
    )
    await admin.create_code(
        db,
        data=PromoCodeIn(
            code="LEA50",
            kind="amount",
            value=5050,
            max_uses=3,
            valid_from="2026-11-01",
            valid_until="2026-12-31",
            note='=HYPERLINK("http://x") fidélité; « VIP »',
            beneficiary_id=lea.id,
            course_ids=[course.id],
            offer_ids=[offer.id],
        ),
        actor=coach,
        now=clock.now(),
    )
    await admin.create_code(
        db,
        data=PromoCodeIn(code="OFF", kind="percent", value=20, active=False),
        actor=coach,
        now=clock.now(),
    )
    await batches.create_batch(
        db, data=BatchIn(count=5, kind="free", name="Noël"), actor=coach, now=clock.now()
    )
    await db.commit()
    everything = list(await db.scalars(select(PromoCode).order_by(PromoCode.code)))
    exported = csv_io.export(everything)
    assert "'=HYPERLINK" in exported.decode()  # a formula-like note stays text in Excel
    for code in everything:
        await db.delete(code)
    await db.commit()
    rows = await csv_io.preview(db, exported)
    assert [r.errors for r in rows] == [[]] * 7
    assert (
        await csv_io.import_rows(db, rows=rows, skip_invalid=False, actor=coach, now=clock.now())
        == 7
    )
    await db.commit()
    again = list(await db.scalars(select(PromoCode).order_by(PromoCode.code)))
    assert csv_io.export(again) == exported
    assert next(c for c in again if c.code == "LEA50").note.startswith("=HYPERLINK")


async def test_import_previews_row_errors_and_imports_all_or_the_good_ones(
    db: AsyncSession, clock: FixedClock
) -> None:
    coach = await make_coach(db, now=clock.now())
    content = (
        "code;type;valeur;utilisations max;utilisations;valable dès;valable jusqu'au;"
        "actif;bénéficiaire;cours;offres;lot;note\n"
        "GOOD1;percent;10;;0;;;oui;;;;;\n"
        "BAD1;bogus;10;;0;;;oui;;;;;\n"
        "BAD2;percent;10;;0;;2026-13-40;oui;;;;;\n"
        "BAD3;amount;5;;0;;;oui;;Inexistant;;;\n"
        "GOOD1;free;;;0;;;oui;;;;;\n"
    ).encode()
    rows = await csv_io.preview(db, content)
    assert [bool(r.errors) for r in rows] == [False, True, True, True, True]
    assert "Cours inconnu : Inexistant." in rows[3].errors
    assert rows[4].errors == ["Ce code existe déjà."]
    with pytest.raises(AppError) as refused:
        await csv_io.import_rows(db, rows=rows, skip_invalid=False, actor=coach, now=clock.now())
    assert "4 ligne(s)" in refused.value.translated()
    assert await count(db) == 0
    assert (
        await csv_io.import_rows(db, rows=rows, skip_invalid=True, actor=coach, now=clock.now())
        == 1
    )
    with pytest.raises(AppError):
        await csv_io.preview(db, b"\xff\xfe garbage")
    assert (await db.scalar(select(PromoCode.kind))) == PromoKind.percent
