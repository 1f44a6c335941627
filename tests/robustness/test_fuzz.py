"""A bounded schema fuzz of the whole API (issue 12): schemathesis generates requests from
/api/openapi.json for every public and admin operation (signed in as the owner), against a
started `coachdesk run` on SQLite and on PostgreSQL. Zero server errors, zero answers the
document does not describe. COACHDESK_FUZZ_EXAMPLES raises the number of cases per
operation (15 by default; the seed is fixed so that a red run can be replayed)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import httpx
import pytest

from tests.databases import fresh_postgres, postgres_base_url
from tests.servers import OWNER_EMAIL, OWNER_PASSWORD, coachdesk, environment, running

CHECKS = ",".join(
    (
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_schema_conformance",
    )
)
# Operations that end the fuzzer's own session or device; the rest, erasure included, run.
LEAVE_OUT = "logout|chat/forget|chat/delete-history"
CSRF_META = re.compile(r'<meta name="csrf-token" content="([0-9a-f]+)">')


def signed_in(url: str) -> tuple[str, str]:
    """The owner's session cookie and CSRF token, as the fuzzer sends them."""
    with httpx.Client(base_url=url) as browser:
        form = re.search(r'name="csrf_token" value="([^"]+)"', browser.get("/coach").text)
        assert form
        answer = browser.post(
            "/coach/login",
            data={"email": OWNER_EMAIL, "password": OWNER_PASSWORD, "csrf_token": form[1]},
        )
        assert answer.status_code == 303, answer.text
        token = CSRF_META.search(browser.get("/coach", follow_redirects=True).text)
        assert token
        cookie = "; ".join(f"{name}={value}" for name, value in browser.cookies.items())
        return cookie, token[1]


@pytest.fixture(params=["sqlite", "postgresql"])
def served(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with ExitStack() as stack:
        env = environment(tmp_path / "data")  # SQLite in the data folder
        if request.param == "postgresql":
            if not postgres_base_url():
                pytest.skip("PostgreSQL variant: set COACHDESK_TEST_DATABASE_URL to run it")
            env["COACHDESK_DATABASE_URL"] = stack.enter_context(fresh_postgres())
        coachdesk("migrate", env=env)
        coachdesk("demo", env=env)
        yield stack.enter_context(running(env, tmp_path / "server.log"))


def test_no_generated_request_gets_a_server_error_or_an_undocumented_answer(
    served: str, tmp_path: Path
) -> None:
    cookie, token = signed_in(served)
    command = shutil.which("st", path=str(Path(sys.executable).parent)) or "st"
    examples = os.environ.get("COACHDESK_FUZZ_EXAMPLES", "15")
    done = subprocess.run(
        [
            command, "run", f"{served}/api/openapi.json",
            "--header", f"Cookie: {cookie}",
            "--header", f"X-CSRF-Token: {token}",
            "--phases", "examples,coverage,fuzzing",
            "--max-examples", examples,
            "--seed", "20261207",
            "--checks", CHECKS,
            "--exclude-path-regex", LEAVE_OUT,
            "--generation-database", "none",
            "--workers", "2",
            "--no-color",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )  # fmt: skip
    summary = done.stdout[done.stdout.find("SUMMARY") :] if "SUMMARY" in done.stdout else ""
    assert done.returncode == 0, done.stdout[-6000:] + done.stderr[-2000:]
    assert "passed" in summary and "failed" not in summary.split("Test cases")[-1]
