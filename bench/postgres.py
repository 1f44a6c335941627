"""A fresh PostgreSQL database for a benchmark run (dropped afterwards)."""

from __future__ import annotations

import asyncio
import contextlib
import os
import uuid
from collections.abc import Iterator

import asyncpg
from sqlalchemy.engine import make_url

DEFAULT = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"


def base_url() -> str:
    return os.environ.get("COACHDESK_TEST_DATABASE_URL") or DEFAULT


async def _run(url: str, statement: str) -> None:
    target = make_url(url).set(drivername="postgresql")
    connection = await asyncpg.connect(target.render_as_string(hide_password=False))
    try:
        await connection.execute(statement)
    finally:
        await connection.close()


def available() -> bool:
    try:
        asyncio.run(_run(base_url(), "SELECT 1"))
    except (OSError, asyncpg.PostgresError):
        return False
    return True


@contextlib.contextmanager
def fresh_database() -> Iterator[str]:
    name = f"coachdesk_bench_{uuid.uuid4().hex[:8]}"
    asyncio.run(_run(base_url(), f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base_url()).set(database=name).render_as_string(hide_password=False)
    finally:
        asyncio.run(_run(base_url(), f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
