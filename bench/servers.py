"""Starting and stopping the servers a benchmark measures (loopback only)."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / ".work"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_ready(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.TransportError):
            if httpx.get(url, timeout=1).status_code < 500:
                return
        time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not start")


@contextlib.contextmanager
def serve(args: list[str], env: dict[str, str], ready_path: str, port: int) -> Iterator[str]:
    log = (WORK / f"server-{port}.log").open("wb")
    process = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_ready(url + ready_path)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=15)


def coachdesk_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "COACHDESK_DATA_DIR": str(data_dir),
        "COACHDESK_LOG_LEVEL": "warning",
        **extra,
    }
    env.pop("COACHDESK_DATABASE_URL", None)
    return env


def prepare_demo(
    data_dir: Path, *, extra_env: dict[str, str] | None = None, then: tuple[list[str], ...] = ()
) -> dict[str, str]:
    """A fresh demo studio database (SQLite in ``data_dir`` unless ``extra_env`` names
    another), plus any further ``coachdesk`` commands; returns the environment to serve it."""
    data_dir.mkdir(parents=True, exist_ok=True)
    for old in data_dir.glob("coachdesk.db*"):
        old.unlink()
    env = {**coachdesk_env(data_dir), **(extra_env or {})}
    for command in (["migrate"], ["demo", "--if-empty"], *then):
        subprocess.run(
            [sys.executable, "-m", "coachdesk", *command],
            env=env,
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
    return env


@contextlib.contextmanager
def coachdesk_server(env: dict[str, str], workers: int) -> Iterator[tuple[str, int]]:
    port = free_port()
    args = [
        sys.executable,
        "-m",
        "uvicorn",
        "coachdesk.asgi:app",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    with serve(args, {**env, "COACHDESK_EMBEDDED_WORKER": "false"}, "/health", port) as url:
        yield url, port


@contextlib.contextmanager
def baseline_server(workers: int) -> Iterator[tuple[str, int]]:
    port = free_port()
    args = [
        sys.executable,
        "-m",
        "uvicorn",
        "bench.baseline_app:app",
        "--port",
        str(port),
        "--workers",
        str(workers),
        "--log-level",
        "warning",
        "--no-access-log",
    ]
    with serve(args, dict(os.environ), "/plain", port) as url:
        yield url, port
