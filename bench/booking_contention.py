"""Booking contention: 500 simultaneous booking attempts on a session of 20 seats, through
the HTTP API, on SQLite and on PostgreSQL. Exactly 20 must be booked, the others refused
with "complet" (409), and no server error. Baseline: the same burst on a bare FastAPI POST.

Run: .venv/bin/python -m bench.booking_contention [--attempts 500] [--seats 20] [--workers 2]
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from collections import Counter
from contextlib import ExitStack

import httpx

from bench import postgres
from bench.results import write_section
from bench.servers import WORK, baseline_server, coachdesk_server, prepare_demo


def target_session(url: str, seats: int) -> tuple[int, int]:
    """The next demo session and the single-class offer; the session resized to ``seats``."""
    sessions = httpx.get(f"{url}/api/v1/sessions").json()
    offers = httpx.get(f"{url}/api/v1/offers").json()
    single = next(o for o in offers if o["kind"] == "single")
    session = sessions[0]
    if session["capacity"] != seats:
        raise SystemExit("the demo session must have the benchmark's seat count")
    return session["id"], single["id"]


async def burst(
    url: str, path: str, bodies: list[dict[str, object]]
) -> tuple[Counter[int], list[float]]:
    limits = httpx.Limits(max_connections=len(bodies), max_keepalive_connections=0)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=60) as client:

        async def one(body: dict[str, object]) -> tuple[int, float]:
            started = time.perf_counter()
            response = await client.post(path, json=body)
            return response.status_code, (time.perf_counter() - started) * 1000

        results = await asyncio.gather(*(one(b) for b in bodies))
    return Counter(code for code, _ in results), [ms for _, ms in results]


def bodies(session_id: int, offer_id: int, attempts: int) -> list[dict[str, object]]:
    return [
        {
            "session_ids": [session_id],
            "offer_id": offer_id,
            "name": f"Guest {n}",
            "email": f"guest{n}@example.ch",
            "payment_method": "on_site",
            "accept_terms": True,
        }
        for n in range(attempts)
    ]


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))]


def row(label: str, codes: Counter[int], latencies: list[float], booked: int | None) -> str:
    errors = sum(n for code, n in codes.items() if code >= 500)
    shown = "—" if booked is None else str(booked)
    return (
        f"| {label} | {len(latencies)} | {shown} | {codes.get(409, 0)} | {errors} | "
        f"{statistics.median(latencies):.0f} | {percentile(latencies, 95):.0f} |"
    )


def run_backend(label: str, database_url: str | None, args: argparse.Namespace) -> str:
    extra = {"COACHDESK_DATABASE_URL": database_url} if database_url else {}
    env = prepare_demo(WORK / f"contention-{label}", extra_env=extra)
    with coachdesk_server(env, args.workers) as (url, _):
        session_id, offer_id = target_session(url, args.seats)
        codes, latencies = asyncio.run(
            burst(url, "/api/v1/bookings", bodies(session_id, offer_id, args.attempts))
        )
        left = next(s for s in httpx.get(f"{url}/api/v1/sessions").json() if s["id"] == session_id)[
            "seats_left"
        ]
    booked = codes.get(201, 0)
    verdict = (
        "ok"
        if booked == args.seats and left == 0 and not any(c >= 500 for c in codes)
        else "FAILED"
    )
    return row(f"{label} ({verdict}, seats left after: {left})", codes, latencies, booked)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--attempts", type=int, default=500)
    parser.add_argument("--seats", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    rows = []
    with baseline_server(args.workers) as (url, _):
        codes, latencies = asyncio.run(burst(url, "/echo", bodies(1, 1, args.attempts)))
        rows.append(row("bare FastAPI POST (baseline)", codes, latencies, None))
    rows.append(run_backend("SQLite", None, args))
    with ExitStack() as stack:
        if postgres.available():
            url = stack.enter_context(postgres.fresh_database())
            rows.append(run_backend("PostgreSQL", url, args))
        else:
            rows.append("| PostgreSQL | not run: no server at the test URL | | | | | |")
    body = "\n".join(
        [
            f"{args.attempts} simultaneous `POST /api/v1/bookings` on one session of {args.seats} "
            f"seats, {args.workers} uvicorn workers, client on the same machine.\n",
            "| run | requests | booked (201) | complet (409) | 5xx | p50 ms | p95 ms |",
            "|---|---:|---:|---:|---:|---:|---:|",
            *rows,
        ]
    )
    write_section("booking-contention", body)
    print(body)


if __name__ == "__main__":
    main()
