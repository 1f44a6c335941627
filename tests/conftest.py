"""Shared fixtures: a database per backend, the app with a fixed clock, an HTTP client."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from pydantic import SecretStr
from sqlalchemy.ext.asyncio import AsyncSession

from coachdesk.app import create_app
from coachdesk.config import Settings
from coachdesk.kit.clock import ZURICH, FixedClock
from tests.databases import empty_all_tables, fresh_postgres, fresh_sqlite, postgres_base_url

# Wednesday 18 November 2026, 10:00 in Neuchâtel.
START = datetime(2026, 11, 18, 10, 0, tzinfo=ZURICH)
BASE_URL = "https://testserver"


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    if request.param == "sqlite":
        with fresh_sqlite(tmp_path_factory.mktemp("sqlite")) as url:
            yield url
    else:
        if not postgres_base_url():
            pytest.skip("PostgreSQL variant: set COACHDESK_TEST_DATABASE_URL to run it")
        with fresh_postgres() as url:
            yield url


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    return Settings(
        env="test",
        database_url=database_url,
        data_dir=tmp_path,
        secret_key=SecretStr("test-secret-key"),
        embedded_worker=False,
        public_cache_seconds=0,
    )


@pytest.fixture
async def app(settings: Settings, clock: FixedClock) -> AsyncIterator[FastAPI]:
    application = create_app(settings, clock=clock)
    yield application
    engine = application.state.core.engine
    await empty_all_tables(engine)
    await engine.dispose()


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE_URL) as http:
        yield http


@pytest.fixture
async def db(app: FastAPI) -> AsyncIterator[AsyncSession]:
    """A session on the app's database; tests commit what they set up."""
    async with app.state.core.sessions() as session:
        yield session


CSRF_META = re.compile(r'<meta name="csrf-token" content="([0-9a-f]+)">')


async def csrf_token(client: httpx.AsyncClient, page: str = "/coach") -> str:
    response = await client.get(page)
    match = CSRF_META.search(response.text)
    assert match, f"no CSRF token on {page}"
    return match.group(1)
