"""`coachdesk backup` / `coachdesk restore`: a full round trip loses nothing, on SQLite and
PostgreSQL and from one to the other; a broken file, a file of another version or a
database that is not empty are refused with a clear message, and nothing changes."""

from __future__ import annotations

import asyncio
import gzip
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, insert, select

from coachdesk import demo
from coachdesk.backup.files import backup_to, restore_from
from coachdesk.backup.full import BackupError, dump
from coachdesk.campaigns import sending, service
from coachdesk.campaigns.service import CampaignIn
from coachdesk.contacts import crm, merge
from coachdesk.contacts.crm import ContactIn
from coachdesk.db import make_engine, make_session_factory
from coachdesk.kit.clock import FixedClock
from coachdesk.models import Contact, Course, Offer, OfferKind, PaymentMethod
from coachdesk.promo.admin import create_code
from coachdesk.promo.schemas import PromoCodeIn
from tests.booking.conftest import book
from tests.conftest import START
from tests.databases import fresh_postgres, fresh_sqlite, postgres_base_url
from tests.factories import booking_request, confirm_consents, make_coach, next_sessions
from tests.servers import coachdesk, environment


def nothing(table: str, rows: int) -> None:
    """Progress is not what these tests look at."""


async def seed(url: str) -> None:
    """A studio with a bit of everything: planning, bookings (one paid with a pass name
    whose stored value differs from its name), a merged contact, a campaign, promo codes."""
    engine = make_engine(url)
    clock = FixedClock(START)
    async with make_session_factory(engine)() as db:
        coach = await make_coach(db, now=clock.now())
        await demo.load_demo(db, now=clock.now())
        await db.commit()
        course = await db.scalar(select(Course).order_by(Course.id))
        assert course is not None
        sessions = await next_sessions(db, course.id)
        single = await db.scalar(select(Offer).where(Offer.kind == OfferKind.single))
        assert single is not None
        await book(
            db,
            booking_request(
                [sessions[0].id],
                offer_id=single.id,
                consent_email=True,
                payment_method=PaymentMethod.on_site,
            ),
            clock.now(),
        )
        await confirm_consents(db, clock.now())
        await book(
            db,
            booking_request(
                [sessions[1].id],
                offer_id=single.id,
                name="Marc Ünal",
                email="marc@example.ch",
                phone="078 765 43 21",
                payment_method=PaymentMethod.on_site,
            ),
            clock.now(),
        )
        twin = await crm.create(
            db,
            data=ContactIn(name="Léa M.", phone="079 123 45 68", notes="« guillemets » 🎧"),
            actor=coach,
            now=clock.now(),
        )
        lea = await db.scalar(select(Contact).where(Contact.email == "lea@example.ch"))
        assert lea is not None
        await merge.merge(db, kept=twin, merged=lea, actor=coach, now=clock.now())
        await create_code(
            db,
            data=PromoCodeIn(code="RENTREE", kind="percent", value=20, course_ids=[course.id]),
            actor=coach,
            now=clock.now(),
        )
        campaign = await service.create(
            db, data=CampaignIn(name="Rentrée", body="Salut {prénom}"), actor=coach, now=clock.now()
        )
        await service.launch(db, campaign=campaign, times=[], actor=coach, now=clock.now())
        await sending.start_due(db, clock.now() + timedelta(seconds=1))
        await db.commit()
    await engine.dispose()


async def rows_of(url: str) -> list[str]:
    """Every row of every table, as the backup writes them (the header's time left out)."""
    out = io.StringIO()
    engine = make_engine(url)
    await dump(engine, out, START, nothing)
    await engine.dispose()
    lines = out.getvalue().splitlines()
    header = json.loads(lines[0])
    header.pop("created_at")
    return [json.dumps(header, sort_keys=True), *lines[1:]]


@pytest.fixture
def sqlite_pair(tmp_path: Path) -> Iterator[tuple[str, str]]:
    with fresh_sqlite(tmp_path / "a") as a, fresh_sqlite(tmp_path / "b") as b:
        yield a, b


def needs_postgres() -> None:
    if not postgres_base_url():
        pytest.skip("PostgreSQL variant: set COACHDESK_TEST_DATABASE_URL to run it")


async def round_trip(source: str, target: str, path: Path) -> None:
    await seed(source)
    header = await backup_to(source, path, START, nothing)
    assert header.tables["bookings"] == 2 and header.tables["contacts"] >= 3
    await restore_from(target, path, replace=False, progress=nothing)
    assert await rows_of(target) == await rows_of(source)


async def test_round_trip_on_sqlite_loses_nothing(
    sqlite_pair: tuple[str, str], tmp_path: Path
) -> None:
    source, target = sqlite_pair
    await round_trip(source, target, tmp_path / "studio.jsonl.gz")
    with gzip.open(tmp_path / "studio.jsonl.gz", "rt") as handle:  # compressed as named
        assert json.loads(handle.readline())["format"] == "coachdesk-backup"


def test_round_trip_on_postgresql_and_across(tmp_path: Path) -> None:
    needs_postgres()
    with (
        fresh_postgres() as pg_a,
        fresh_postgres() as pg_b,
        fresh_postgres() as pg_c,
        fresh_sqlite(tmp_path / "s") as lite,
        fresh_sqlite(tmp_path / "s2") as lite2,
    ):
        copies = asyncio.run(across(tmp_path, pg_a, pg_b, pg_c, lite, lite2))
    source_pg, into_pg, into_lite, source_lite, lite_into_pg, fresh_id = copies
    assert into_pg == source_pg  # PostgreSQL → PostgreSQL
    assert into_lite == source_pg  # PostgreSQL → SQLite
    assert lite_into_pg == source_lite  # SQLite → PostgreSQL
    assert fresh_id == 2  # the next coach after the restored one: ids continue, no clash


async def across(
    tmp_path: Path, pg_a: str, pg_b: str, pg_c: str, lite: str, lite2: str
) -> tuple[list[str], list[str], list[str], list[str], list[str], int]:
    """Each copy's rows, as the backup writes them, next to its source's."""
    await seed(pg_a)
    await backup_to(pg_a, tmp_path / "pg.jsonl", START, nothing)
    await restore_from(pg_b, tmp_path / "pg.jsonl", replace=False, progress=nothing)
    await restore_from(lite, tmp_path / "pg.jsonl", replace=False, progress=nothing)
    await seed(lite2)
    await backup_to(lite2, tmp_path / "lite.jsonl", START, nothing)
    await restore_from(pg_c, tmp_path / "lite.jsonl", replace=False, progress=nothing)
    rows = [await rows_of(url) for url in (pg_a, pg_b, lite, lite2, pg_c)]
    engine = make_engine(pg_c)
    async with make_session_factory(engine)() as db:
        coach = await make_coach(db, now=START, email="new@example.ch")
        await db.commit()
    await engine.dispose()
    return rows[0], rows[1], rows[2], rows[3], rows[4], coach.id


async def test_a_bad_file_or_a_full_database_changes_nothing(
    sqlite_pair: tuple[str, str], tmp_path: Path
) -> None:
    source, target = sqlite_pair
    await seed(source)
    path = tmp_path / "studio.jsonl"
    await backup_to(source, path, START, nothing)
    before = await rows_of(source)
    with pytest.raises(BackupError, match="not empty"):
        await restore_from(source, path, replace=False, progress=nothing)
    lines = path.read_text().splitlines()
    damaged = tmp_path / "damaged.jsonl"
    damaged.write_text("\n".join([*lines[:40], "{not json", *lines[40:]]) + "\n")
    with pytest.raises(BackupError, match="line 41 is damaged"):
        await restore_from(source, damaged, replace=True, progress=nothing)
    cut = tmp_path / "cut.jsonl"
    cut.write_text("\n".join(lines[:-5]) + "\n")
    with pytest.raises(BackupError, match="incomplete"):
        await restore_from(source, cut, replace=True, progress=nothing)
    other = tmp_path / "other.jsonl"
    header = json.loads(lines[0])
    other.write_text(json.dumps({**header, "schema": "0123abcd"}) + "\n")
    with pytest.raises(BackupError, match="another version of coachdesk"):
        await restore_from(target, other, replace=False, progress=nothing)
    junk = tmp_path / "photo.jpg"
    junk.write_bytes(b"\xff\xd8\xff\xe0 not a backup")
    with pytest.raises(BackupError, match="not a coachdesk backup"):
        await restore_from(target, junk, replace=False, progress=nothing)
    assert await rows_of(source) == before  # every refusal left it as it was
    await restore_from(source, path, replace=True, progress=nothing)
    assert await rows_of(source) == before


def test_the_commands_show_progress_and_clear_errors(tmp_path: Path) -> None:
    env = environment(tmp_path / "studio")
    coachdesk("migrate", env=env)
    coachdesk("demo", env=env)
    picture = tmp_path / "studio" / "media" / "0123456789abcdef01234567.webp"
    picture.parent.mkdir(parents=True)
    picture.write_bytes(b"RIFF an uploaded logo")
    file = tmp_path / "all.jsonl.gz"
    done = subprocess.run(
        [sys.executable, "-m", "coachdesk", "backup", str(file)],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "rows written to" in done.stdout and file.is_file()
    again = subprocess.run(
        [sys.executable, "-m", "coachdesk", "restore", str(file)],
        env=env,
        capture_output=True,
        text=True,
    )
    assert again.returncode == 2
    assert "the database is not empty: restore into a new one, or pass --replace" in again.stdout
    fresh = environment(tmp_path / "elsewhere")
    restored = subprocess.run(
        [sys.executable, "-m", "coachdesk", "restore", str(file)],
        env=fresh,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "rows restored from" in restored.stdout
    copied = tmp_path / "elsewhere" / "media" / picture.name
    assert copied.read_bytes() == picture.read_bytes()  # uploaded images travel with the rows
    assert not (tmp_path / "elsewhere" / "secret.key").exists()  # only what belongs with rows


async def test_a_backup_taken_while_people_book_holds_one_moment(
    sqlite_pair: tuple[str, str], tmp_path: Path
) -> None:
    """A card written by someone else while the file is being made is in neither the
    counts nor the rows: the file restores (issue 12 #2)."""
    source, target = sqlite_pair
    await seed(source)
    writer = create_engine(source.replace("+aiosqlite", ""))
    written: list[str] = []

    def someone_books_meanwhile(table: str, rows: int) -> None:
        if not written:  # after the first table, before the contacts are read
            with writer.begin() as connection:
                connection.execute(
                    insert(Contact.__table__).values(
                        email="meanwhile@example.ch",
                        name="Pendant",
                        source="booking",
                        language="fr",
                        first_seen_at=START,
                        last_seen_at=START,
                    )
                )
            written.append(table)

    path = tmp_path / "busy.jsonl"
    header = await backup_to(source, path, START, someone_books_meanwhile)
    writer.dispose()
    assert written and written[0] != "contacts"
    await restore_from(target, path, replace=False, progress=nothing)
    engine = make_engine(target)
    async with make_session_factory(engine)() as db:
        emails = set(await db.scalars(select(Contact.email)))
    await engine.dispose()
    assert len(emails) == header.tables["contacts"] and "meanwhile@example.ch" not in emails


async def test_a_file_whose_rows_point_nowhere_is_refused_in_words(
    sqlite_pair: tuple[str, str], tmp_path: Path
) -> None:
    source, target = sqlite_pair
    await seed(source)
    path = tmp_path / "studio.jsonl"
    await backup_to(source, path, START, nothing)
    lines = path.read_text().splitlines()
    header = json.loads(lines[0])
    booking = next(i for i, line in enumerate(lines) if line.startswith('{"t": "bookings"'))
    header["tables"]["bookings"] -= 1  # counts agree; the booking's seats point nowhere
    broken = tmp_path / "broken.jsonl"
    kept = [json.dumps(header), *lines[1:booking], *lines[booking + 1 :]]
    broken.write_text("\n".join(kept) + "\n")
    with pytest.raises(BackupError, match=r"inconsistent .* nothing was restored"):
        await restore_from(target, broken, replace=False, progress=nothing)
    engine = make_engine(target)
    async with make_session_factory(engine)() as db:
        assert await db.scalar(select(Contact.id)) is None
    await engine.dispose()
