"""Running `coachdesk` for real in subprocesses (browser and multi-process tests)."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from tests.fakes.server import free_port

OWNER_EMAIL = "coach@example.ch"
OWNER_PASSWORD = "correct horse battery"


def environment(data: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "COACHDESK_DATA_DIR": str(data),
        "COACHDESK_ADMIN_EMAIL": OWNER_EMAIL,
        "COACHDESK_ADMIN_PASSWORD": OWNER_PASSWORD,
        "COACHDESK_LOG_LEVEL": "warning",
        **extra,
    }
    env.pop("COACHDESK_DATABASE_URL", None)
    return env


def coachdesk(*args: str, env: dict[str, str]) -> None:
    subprocess.run(
        [sys.executable, "-m", "coachdesk", *args],
        env=env,
        check=True,
        capture_output=True,
        timeout=120,
    )


@contextmanager
def running(env: dict[str, str], log: Path) -> Iterator[str]:
    """`coachdesk run` on a free loopback port, until the block ends."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "coachdesk", "run"],
        env={**env, "COACHDESK_PORT": str(port), "COACHDESK_BASE_URL": url},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.2)
        else:
            raise RuntimeError(log.read_text())
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)
