"""Check-in validation latency: a coach scans 300 tickets of tonight's session one after the
other through `POST /api/v1/checkins`. Target (SPEC §14): p95 under 20 ms. Baseline: the
same sequential POSTs on a bare FastAPI endpoint, in the same run.

Run: .venv/bin/python -m bench.checkin [--tickets 300]
"""

from __future__ import annotations

import argparse
import re
import statistics
import time
from datetime import UTC, datetime, timedelta

import httpx

from bench.booking_contention import percentile
from bench.results import write_section
from bench.servers import WORK, baseline_server, coachdesk_server, prepare_demo

EMAIL, PASSWORD = "bench@example.ch", "bench password 123"
CSRF = re.compile(r'<meta name="csrf-token" content="([0-9a-f]+)">')


def prepare() -> dict[str, str]:
    return prepare_demo(
        WORK / "checkin",
        extra_env={"COACHDESK_NEW_PASSWORD": PASSWORD},
        then=(["create-coach", EMAIL],),
    )


def signed_in(url: str) -> tuple[httpx.Client, str]:
    client = httpx.Client(base_url=url, timeout=30)
    token = CSRF.search(client.get("/coach").text).group(1)  # type: ignore[union-attr]
    client.post("/coach/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token})
    return client, token


def tonight_with_tickets(client: httpx.Client, token: str, tickets: int) -> list[str]:
    headers = {"X-CSRF-Token": token}
    offer = client.post(
        "/api/v1/admin/offers",
        headers=headers,
        json={"name": "Bench", "kind": "single", "price_cents": 0},
    ).json()
    course = client.get("/api/v1/admin/courses", headers=headers).json()[0]
    starts = datetime.now(UTC) + timedelta(minutes=5)
    session = client.post(
        "/api/v1/admin/sessions",
        headers=headers,
        json={"course_id": course["id"], "starts_at": starts.isoformat(), "capacity": tickets},
    ).json()
    codes = []
    for n in range(tickets):
        booked = client.post(
            "/api/v1/bookings",
            json={
                "session_ids": [session["id"]],
                "offer_id": offer["id"],
                "name": f"Guest {n}",
                "email": f"guest{n}@example.ch",
                "accept_terms": True,
            },
        ).json()
        codes.append(booked["code"])
    return codes


def timed(
    client: httpx.Client, path: str, bodies: list[dict[str, object]], headers: dict[str, str]
) -> tuple[list[float], list[str]]:
    latencies, outcomes = [], []
    for body in bodies:
        started = time.perf_counter()
        response = client.post(path, json=body, headers=headers)
        latencies.append((time.perf_counter() - started) * 1000)
        outcomes.append(str(response.json().get("outcome", response.status_code)))
    return latencies, outcomes


def row(label: str, latencies: list[float]) -> str:
    return (
        f"| {label} | {len(latencies)} | {statistics.median(latencies):.1f} | "
        f"{percentile(latencies, 95):.1f} | {max(latencies):.1f} |"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=300)
    args = parser.parse_args()
    with baseline_server(1) as (url, _), httpx.Client(base_url=url) as client:
        base, _ = timed(client, "/echo", [{"code": str(n)} for n in range(args.tickets)], {})
    env = prepare()
    with coachdesk_server(env, 1) as (url, _):
        client, token = signed_in(url)
        codes = tonight_with_tickets(client, token, args.tickets)
        headers = {"X-CSRF-Token": token}
        first, outcomes = timed(client, "/api/v1/checkins", [{"code": c} for c in codes], headers)
        second, repeats = timed(
            client, "/api/v1/checkins", [{"code": c} for c in codes[:50]], headers
        )
    body = "\n".join(
        [
            f"{args.tickets} tickets of one session scanned one after the other (1 uvicorn worker, "
            "SQLite, client on the same machine). Outcomes: "
            f"{outcomes.count('valid')} valid, then {repeats.count('already')} of 50 rescans "
            "answered 'already'.\n",
            "| run | requests | p50 ms | p95 ms | max ms |",
            "|---|---:|---:|---:|---:|",
            row("bare FastAPI POST (baseline)", base),
            row("`POST /api/v1/checkins` first scan", first),
            row("`POST /api/v1/checkins` rescan", second),
        ]
    )
    write_section("checkin", body)
    print(body)


if __name__ == "__main__":
    main()
