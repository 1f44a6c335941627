"""Bulk promo codes: 10,000 codes generated and stored in one action (target < 2 s), next
to creating codes one by one through the admin API as the original app did, in the same run.

Run: .venv/bin/python -m bench.promo_bulk [--count 10000] [--one-by-one 10000]
"""

from __future__ import annotations

import argparse
import asyncio
import re
import time
import tracemalloc

import httpx

from bench.booking_contention import percentile
from bench.results import write_section
from bench.servers import WORK, coachdesk_server, prepare_demo
from coachdesk.db import make_engine, make_session_factory, unit_of_work
from coachdesk.kit.clock import SystemClock
from coachdesk.promo.batches import create_batch
from coachdesk.promo.schemas import BatchIn

EMAIL, PASSWORD = "bench@example.ch", "bench password 123"
CSRF = re.compile(r'<meta name="csrf-token" content="([0-9a-f]+)">')


async def in_one_action(database_url: str, count: int) -> tuple[float, float]:
    engine = make_engine(database_url)
    try:
        tracemalloc.start()
        started = time.perf_counter()
        async with unit_of_work(make_session_factory(engine)) as session:
            await create_batch(
                session,
                data=BatchIn(count=count, kind="percent", value=10, prefix="BULK"),
                actor=None,
                now=SystemClock().now(),
            )
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] / 1024 / 1024
        tracemalloc.stop()
        return seconds, peak
    finally:
        await engine.dispose()


def one_by_one(url: str, count: int) -> tuple[float, list[float]]:
    client = httpx.Client(base_url=url, timeout=30)
    token = CSRF.search(client.get("/coach").text).group(1)  # type: ignore[union-attr]
    client.post("/coach/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token})
    latencies = []
    started = time.perf_counter()
    for n in range(count):
        t = time.perf_counter()
        response = client.post(
            "/api/v1/admin/promo-codes",
            headers={"X-CSRF-Token": token},
            json={"code": f"ONE{n:05d}", "kind": "percent", "value": 10},
        )
        response.raise_for_status()
        latencies.append((time.perf_counter() - t) * 1000)
    return time.perf_counter() - started, latencies


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--one-by-one", type=int, default=10_000)
    args = parser.parse_args()
    data = WORK / "promo"
    env = prepare_demo(
        data, extra_env={"COACHDESK_NEW_PASSWORD": PASSWORD}, then=(["create-coach", EMAIL],)
    )
    database_url = f"sqlite+aiosqlite:///{data / 'coachdesk.db'}"
    seconds, peak = asyncio.run(in_one_action(database_url, args.count))
    with coachdesk_server(env, 1) as (url, _):
        api_seconds, latencies = one_by_one(url, args.one_by_one)
    body = "\n".join(
        [
            "SQLite, one process; the API loop runs against `coachdesk run` on the same machine.\n",
            "| how | codes | seconds | codes/s | notes |",
            "|---|---:|---:|---:|---|",
            f"| one action (`create_batch`, target < 2 s) | {args.count:,} | {seconds:.2f} | "
            f"{args.count / seconds:,.0f} | peak Python memory {peak:.0f} MB |",
            f"| one by one through `POST /api/v1/admin/promo-codes` (baseline) | "
            f"{args.one_by_one:,} | {api_seconds:.1f} | {args.one_by_one / api_seconds:,.0f} | "
            f"p50 {percentile(latencies, 50):.1f} ms, p95 {percentile(latencies, 95):.1f} ms |",
        ]
    )
    write_section("promo-bulk", body)
    print(body)


if __name__ == "__main__":
    main()
