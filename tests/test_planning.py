"""The planning file: exported from one studio, wiped, imported (previewed first), and found
whole; broken or foreign files refused with a clear message and nothing changed."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk import demo
from coachdesk.backup import planning
from coachdesk.errors import Invalid
from coachdesk.kit.clock import FixedClock
from coachdesk.models import Course, CourseSession, Offer, PromoCode
from coachdesk.promo.admin import create_code
from coachdesk.promo.schemas import PromoCodeIn
from coachdesk.site import service as site_service
from tests.factories import login, make_coach


async def studio(db: AsyncSession, clock: FixedClock) -> None:
    coach = await make_coach(db, now=clock.now())
    await demo.load_demo(db, now=clock.now())
    course = await db.scalar(select(Course).order_by(Course.id))
    offer = await db.scalar(select(Offer).order_by(Offer.id))
    assert course and offer
    data = PromoCodeIn(
        code="ETE",
        kind="amount",
        value=500,
        course_ids=[course.id],
        offer_ids=[offer.id],
        valid_until="2027-08-31",
        max_uses=50,
    )
    await create_code(db, data=data, actor=coach, now=clock.now())
    await site_service.change(db, changes={"ai_api_key": "sk-secret"}, actor=None, now=clock.now())
    await db.commit()


def without_time(exported: dict[str, object]) -> dict[str, object]:
    return {k: v for k, v in exported.items() if k != "exported_at"}


async def wipe(db: AsyncSession) -> None:
    for model in (PromoCode, CourseSession, Course, Offer):
        await db.execute(delete(model))
    await db.commit()


async def test_export_wipe_import_and_find_it_whole(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await studio(db, clock)
    token = await login(client)
    exported = await client.get("/coach/backup/planning.json")
    assert exported.headers["content-disposition"].startswith('attachment; filename="planning-')
    before = exported.json()
    assert "sk-secret" not in exported.text and "ai_api_key" not in before["settings"]
    assert [c["code"] for c in before["promo_codes"]] == ["ETE"]
    await wipe(db)
    files = {"file": ("planning.json", exported.content, "application/json")}
    shown = await client.post("/coach/backup/preview", data={"csrf_token": token}, files=files)
    assert shown.status_code == 200 and "nouveaux : 3" in shown.text  # three offers
    assert await db.scalar(select(func.count(Offer.id))) == 0  # a preview changes nothing
    done = await client.post(
        "/coach/backup/import", data={"csrf_token": token, "content": exported.text}
    )
    assert done.status_code == 303
    after = (await client.get("/coach/backup/planning.json")).json()
    assert without_time(after) == without_time(before)
    assert await db.scalar(select(func.count(CourseSession.id)))  # sessions generated again
    assert (await site_service.load(db)).ai_api_key == "sk-secret"  # secrets untouched
    again = await client.post(
        "/coach/backup/preview",
        data={"csrf_token": token},
        files={"file": ("planning.json", exported.content, "application/json")},
    )
    assert "mis à jour : 3" in again.text  # the same names update, nothing doubles


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"{not json", "Ce fichier n'est pas du JSON lisible."),
        (b'{"format": "other"}', "Ce fichier n'est pas un planning coachdesk."),
        (b'{"format": "coachdesk-planning", "version": 9}', "autre version de coachdesk"),
        (
            json.dumps(
                {
                    "format": "coachdesk-planning",
                    "version": 1,
                    "offers": [{"name": "X", "kind": "single", "price_cents": -5}],
                }
            ).encode(),
            "Le planning contient une erreur : offers.0.price_cents",
        ),
        (
            json.dumps(
                {
                    "format": "coachdesk-planning",
                    "version": 1,
                    "courses": [
                        {
                            "name": "Zumba",
                            "weekday": 1,
                            "start_time": "10:00",
                            "capacity": 5,
                            "offers": ["Inconnue"],
                        }
                    ],
                }
            ).encode(),
            "Le planning nomme « Inconnue », qui n'y figure pas.",
        ),
    ],
)
def test_broken_or_foreign_files_are_refused_in_words(content: bytes, message: str) -> None:
    with pytest.raises(Invalid) as refused:
        planning.parse(content)
    assert message in refused.value.translated()


async def test_a_refused_import_changes_nothing(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock, tmp_path: Path
) -> None:
    await studio(db, clock)
    token = await login(client)
    bad = await client.post(
        "/coach/backup/import", data={"csrf_token": token, "content": "{broken"}
    )
    assert bad.status_code == 422 and "JSON lisible" in bad.text
    assert await db.scalar(select(func.count(Offer.id))) == 3


async def test_the_api_exports_previews_and_imports(
    client: httpx.AsyncClient, db: AsyncSession, clock: FixedClock
) -> None:
    await studio(db, clock)
    headers = {"X-CSRF-Token": await login(client)}
    exported = (await client.get("/api/v1/admin/planning")).json()
    await wipe(db)
    body = json.dumps(exported).encode()
    preview = await client.post("/api/v1/admin/planning/preview", content=body, headers=headers)
    assert len(preview.json()["new"]["courses"]) == 2
    done = await client.post("/api/v1/admin/planning", content=body, headers=headers)
    assert done.status_code == 200
    again = (await client.get("/api/v1/admin/planning")).json()
    assert without_time(again) == without_time(exported)
    broken = await client.post("/api/v1/admin/planning", content=b"[]", headers=headers)
    assert broken.status_code == 422 and broken.json()["error"]["code"] == "not_planning"
