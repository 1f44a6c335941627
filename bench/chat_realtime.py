"""Chat latency: visitor message → the coach's open inbox over WebSocket, with 100
visitors writing at once (target p95 < 100 ms), next to a bare FastAPI POST in the same
run; and the built-in assistant's reply time.

Run: .venv/bin/python -m bench.chat_realtime [--visitors 100]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import time
from collections.abc import Awaitable, Callable
from contextlib import ExitStack

import httpx
from websockets.asyncio.client import connect

from bench import postgres
from bench.booking_contention import percentile
from bench.results import write_section
from bench.servers import WORK, baseline_server, coachdesk_server, prepare_demo
from coachdesk.integrations.assistant import BuiltinAssistant, OfferFact, SessionFact, StudioFacts

EMAIL, PASSWORD = "bench@example.ch", "bench password 123"
WINDOW = 10.0  # seconds over which the connected visitors write, in the steady flow
ROUNDS = 3  # messages per visitor in the steady flow
CSRF = re.compile(r'<meta name="csrf-token" content="([0-9a-f]+)">')


def coach_cookie(url: str) -> str:
    client = httpx.Client(base_url=url)
    token = CSRF.search(client.get("/coach").text).group(1)  # type: ignore[union-attr]
    client.post("/coach/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token})
    return f"cd_session={client.cookies['cd_session']}"


async def inbox_latency(url: str, visitors: int, burst: bool, rounds: int = 1) -> list[float]:
    arrived: dict[str, float] = {}
    async with httpx.AsyncClient(
        base_url=url, timeout=60, limits=httpx.Limits(max_connections=visitors)
    ) as http:
        tokens = [
            (
                await http.post(
                    "/api/v1/chat/start",
                    json={"name": f"V{n}", "email": f"v{n}@example.ch", "accept": True},
                )
            ).json()["token"]
            for n in range(visitors)
        ]
        ws_url = url.replace("http://", "ws://") + "/ws/coach"
        async with connect(ws_url, additional_headers={"Cookie": coach_cookie(url)}) as coach:

            async def listen() -> None:
                while len(arrived) < visitors * rounds:
                    event = json.loads(await coach.recv())
                    if event.get("type") == "message" and event.get("author") == "visitor":
                        arrived.setdefault(event["body"], time.perf_counter())

            listener = asyncio.create_task(listen())
            sent: dict[str, float] = {}

            async def write(n: int, token: str) -> None:
                body = f"bench message {n}.{len(sent)}"
                sent[body] = time.perf_counter()
                await http.post(
                    "/api/v1/chat/messages", json={"body": body}, headers={"X-Chat-Token": token}
                )

            if burst:
                await asyncio.gather(*(write(n, t) for n, t in enumerate(tokens)))
            else:
                await asyncio.gather(
                    *(chatting(url, n, t, rounds, write) for n, t in enumerate(tokens))
                )
            await asyncio.wait_for(listener, 60)
    return [(arrived[body] - sent[body]) * 1000 for body in sent]


async def chatting(
    url: str, n: int, token: str, rounds: int, write: Callable[[int, str], Awaitable[None]]
) -> None:
    """One visitor with the chat open (its own WebSocket) writing at a human pace."""
    pace = random.Random(n)
    ws_url = url.replace("http://", "ws://") + f"/ws/chat?token={token}"
    async with connect(ws_url):
        for _ in range(rounds):
            await asyncio.sleep(pace.uniform(0, WINDOW / rounds))
            await write(n, token)


async def baseline_latency(url: str, visitors: int, burst: bool) -> list[float]:
    async with httpx.AsyncClient(
        base_url=url, limits=httpx.Limits(max_connections=visitors)
    ) as http:

        async def one(n: int) -> float:
            started = time.perf_counter()
            await http.post("/echo", json={"body": f"m{n}"})
            return (time.perf_counter() - started) * 1000

        if burst:
            return list(await asyncio.gather(*(one(n) for n in range(visitors))))
        return [await one(n) for n in range(visitors)]


async def assistant_time(rounds: int = 2000) -> list[float]:
    facts = StudioFacts(
        "Studio",
        "fr",
        "Concept",
        "Salle",
        "Rue 1",
        "",
        "https://x",
        [SessionFact("mercredi 18:30", "Cardio", "Salle", 12)] * 5,
        [OfferFact("Carte", "CHF 150.–", "10 séances")] * 3,
    )
    bot, questions = BuiltinAssistant(), ["prix ?", "quand ?", "où ?", "réserver ?", "coach"]
    times = []
    for n in range(rounds):
        started = time.perf_counter()
        await bot.reply(facts, [], questions[n % len(questions)])
        times.append((time.perf_counter() - started) * 1000)
    return times


def row(label: str, values: list[float]) -> str:
    return (
        f"| {label} | {len(values)} | {percentile(values, 50):.1f} | "
        f"{percentile(values, 95):.1f} | {max(values):.1f} |"
    )


LIMITS_OFF = {
    "COACHDESK_NEW_PASSWORD": PASSWORD,
    "COACHDESK_CHAT_STARTS_PER_ADDRESS": "100000",
    "COACHDESK_CHAT_MESSAGES_PER_ADDRESS": "100000",
    "COACHDESK_CHAT_MESSAGES_PER_VISITOR": "100000",
}


def measure(label: str, database_url: str | None, visitors: int) -> list[str]:
    extra = {**LIMITS_OFF, **({"COACHDESK_DATABASE_URL": database_url} if database_url else {})}
    env = prepare_demo(WORK / f"chat-{label}", extra_env=extra, then=(["create-coach", EMAIL],))
    with coachdesk_server(env, 1) as (url, _):
        flow = asyncio.run(inbox_latency(url, visitors, burst=False, rounds=ROUNDS))
    with coachdesk_server(env, 1) as (url, _):
        burst = asyncio.run(inbox_latency(url, visitors, burst=True))
    return [
        row(f"{label}: visitor POST → coach's WebSocket, steady flow (target p95 < 100 ms)", flow),
        row(f"{label}: visitor POST → coach's WebSocket, burst", burst),
    ]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--visitors", type=int, default=100)
    args = parser.parse_args()
    with baseline_server(1) as (url, _):
        base_flow = asyncio.run(baseline_latency(url, args.visitors, burst=False))
        base_burst = asyncio.run(baseline_latency(url, args.visitors, burst=True))
    rows = [
        row("bare FastAPI POST, one at a time (baseline)", base_flow),
        row("bare FastAPI POST, all at once (baseline)", base_burst),
        *measure("SQLite", None, args.visitors),
    ]
    with ExitStack() as stack:
        if postgres.available():
            url = stack.enter_context(postgres.fresh_database())
            rows += measure("PostgreSQL", url, args.visitors)
        else:
            rows.append("| PostgreSQL | not run: no server at the test URL | | | |")
    rows.append(row("built-in assistant reply (in process)", asyncio.run(assistant_time())))
    body = "\n".join(
        [
            f"Steady flow: {args.visitors} visitors connected at once, each with the chat "
            f"open (its own WebSocket), post {ROUNDS} messages each at random moments over "
            f"{WINDOW:.0f} s (~{args.visitors * ROUNDS / WINDOW:.0f} messages/s). Burst: the "
            f"{args.visitors} visitors post one message each at the same moment. 1 uvicorn "
            "worker, in-process pub/sub, assistant on (each message also gets its reply); "
            "the coach holds `/ws/coach` open. Client on the same machine.\n",
            "| measure | samples | p50 ms | p95 ms | max ms |",
            "|---|---:|---:|---:|---:|",
            *rows,
        ]
    )
    write_section("chat-realtime", body)
    print(body)


if __name__ == "__main__":
    main()
