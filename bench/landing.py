"""Landing page and public sessions API: requests/s and latency next to a bare FastAPI
endpoint, plus the bytes a visitor downloads (HTML + CSS + JS, media excluded).

Target (SPEC §14): landing ≥ 500 requests/s on 2 cores, under 60 KB.
Run: .venv/bin/python -m bench.landing [--seconds 5] [--workers 2] [--connections 32]
"""

from __future__ import annotations

import argparse
import asyncio
import re

import httpx

from bench.http_load import LoadResult, run_load
from bench.results import write_section
from bench.servers import WORK, baseline_server, coachdesk_server, prepare_demo

ASSET = re.compile(r'(?:href|src)="(/static/[^"]+)"')


def page_bytes(url: str) -> tuple[int, int]:
    html = httpx.get(url + "/", headers={"Accept-Language": "fr"}).content
    assets = set(ASSET.findall(html.decode()))
    total = len(html) + sum(len(httpx.get(url + path).content) for path in assets)
    return len(html), total


def row(label: str, result: LoadResult, baseline: LoadResult) -> str:
    ratio = result.rps / baseline.rps if baseline.rps else 0
    return (
        f"| {label} | {result.rps:,.0f} | {result.p50:.1f} | {result.percentile(99):.1f} | "
        f"{result.errors} | {ratio:.0%} of baseline |"
    )


def measure(port: int, path: str, args: argparse.Namespace) -> LoadResult:
    asyncio.run(run_load("127.0.0.1", port, path, connections=args.connections, seconds=1))
    return asyncio.run(
        run_load("127.0.0.1", port, path, connections=args.connections, seconds=args.seconds)
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    env = prepare_demo(WORK / "landing")
    with baseline_server(args.workers) as (_, port):
        base_html = measure(port, "/plain", args)
        base_json = measure(port, "/json", args)
    with coachdesk_server(env, args.workers) as (url, port):
        html_size, total_size = page_bytes(url)
        landing = measure(port, "/", args)
        sessions = measure(port, "/api/v1/sessions", args)
    body = "\n".join(
        [
            f"{args.workers} uvicorn workers, {args.connections} keep-alive connections, "
            f"{args.seconds:g} s per endpoint, load generator on the same machine.\n",
            "| endpoint | requests/s | p50 ms | p99 ms | errors | vs baseline |",
            "|---|---:|---:|---:|---:|---|",
            row("bare FastAPI HTML (baseline)", base_html, base_html),
            row("`GET /` landing page", landing, base_html),
            row("bare FastAPI JSON (baseline)", base_json, base_json),
            row("`GET /api/v1/sessions`", sessions, base_json),
            "",
            f"Landing page weight: HTML {html_size / 1024:.1f} KB; HTML + CSS + JS "
            f"{total_size / 1024:.1f} KB (target < 60 KB).",
        ]
    )
    write_section("landing", body)
    print(body)


if __name__ == "__main__":
    main()
