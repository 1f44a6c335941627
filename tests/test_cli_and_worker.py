"""The command line (demo, create-coach, migrate) and the worker loop."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from typer.testing import CliRunner

from coachdesk.cli import app as cli
from coachdesk.config import get_settings
from coachdesk.kit.clock import FixedClock
from coachdesk.models import Coach, Course, CourseSession, Offer
from coachdesk.worker.loop import Worker
from tests.factories import make_course

runner = CliRunner()


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[Path]:
    monkeypatch.setenv("COACHDESK_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("COACHDESK_DATABASE_URL", raising=False)
    get_settings.cache_clear()
    yield tmp_path
    get_settings.cache_clear()


def test_migrate_demo_and_create_coach_from_the_command_line(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert runner.invoke(cli, ["migrate"]).exit_code == 0
    first = runner.invoke(cli, ["demo", "--if-empty"])
    assert first.exit_code == 0 and "Demo studio loaded" in first.output
    again = runner.invoke(cli, ["demo", "--if-empty"])
    assert again.exit_code == 0 and "not loaded" in again.output
    monkeypatch.setenv("COACHDESK_NEW_PASSWORD", "correct horse battery")
    made = runner.invoke(cli, ["create-coach", "Staff@Example.ch", "--role", "staff"])
    assert made.exit_code == 0, made.output
    duplicate = runner.invoke(cli, ["create-coach", "staff@example.ch"])
    assert duplicate.exit_code == 1 and "existe déjà" in duplicate.output
    monkeypatch.setenv("COACHDESK_NEW_PASSWORD", "short")
    weak = runner.invoke(cli, ["create-coach", "other@example.ch"])
    assert weak.exit_code == 1 and "10 caractères" in weak.output
    assert (cli_env / "coachdesk.db").exists()


async def test_the_demo_studio_is_the_neuchatel_silent_disco(
    db: AsyncSession, clock: FixedClock
) -> None:
    from coachdesk.demo import load_demo

    await load_demo(db, now=clock.now())
    await db.commit()
    offers = {o.name: (o.price_cents, o.credits) for o in await db.scalars(select(Offer))}
    assert offers == {
        "Cours à l'unité": (3000, None),
        "Carte 10 cours": (15000, 10),
        "Abonnement 1 mois": (10900, None),
    }
    courses = list(await db.scalars(select(Course).order_by(Course.weekday)))
    assert [(c.weekday, c.start_time.strftime("%H:%M"), c.capacity) for c in courses] == [
        (2, "18:30", 20),
        (6, "18:30", 20),
    ]
    assert await db.scalar(select(func.count(Coach.id))) == 0


async def test_the_worker_keeps_the_next_weeks_generated(
    app: object, db: AsyncSession, clock: FixedClock
) -> None:
    course = await make_course(db, now=clock.now(), weeks=4)
    worker = Worker(app.state.core.sessions, clock)  # type: ignore[attr-defined]
    assert (await worker.run_once())["extend_schedule"] == 0
    clock.advance(timedelta(days=14))
    assert (await worker.run_once())["extend_schedule"] == 2
    count = await db.scalar(
        select(func.count(CourseSession.id)).where(CourseSession.course_id == course.id)
    )
    assert count == 6
