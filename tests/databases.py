"""Test databases: SQLite always; PostgreSQL when COACHDESK_TEST_DATABASE_URL is set.

Each run gets a fresh database built by the migrations; tests are isolated by emptying the
tables after each one.
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import asyncpg
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine

import coachdesk.models  # noqa: F401
from coachdesk import migrate
from coachdesk.db import Base

PG_ENV = "COACHDESK_TEST_DATABASE_URL"


def postgres_base_url() -> str | None:
    return os.environ.get(PG_ENV) or None


async def _admin(url: str, statement: str) -> None:
    target = make_url(url).set(drivername="postgresql")
    connection = await asyncpg.connect(target.render_as_string(hide_password=False))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


@contextmanager
def fresh_postgres() -> Iterator[str]:
    base = postgres_base_url()
    assert base
    name = f"coachdesk_test_{uuid.uuid4().hex[:10]}"
    asyncio.run(_admin(base, f'CREATE DATABASE "{name}"'))
    url = make_url(base).set(database=name).render_as_string(hide_password=False)
    try:
        migrate.upgrade(url)
        yield url
    finally:
        asyncio.run(_admin(base, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@contextmanager
def fresh_sqlite(folder: Path) -> Iterator[str]:
    url = f"sqlite+aiosqlite:///{folder / 'test.db'}"
    migrate.upgrade(url)
    yield url


async def empty_all_tables(engine: AsyncEngine) -> None:
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    async with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            names = ", ".join(f'"{t}"' for t in tables)
            await connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in tables:
                await connection.execute(text(f'DELETE FROM "{table}"'))
