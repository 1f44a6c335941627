"""Writing one benchmark's section of bench/RESULTS.md (other sections are kept)."""

from __future__ import annotations

import platform
import re
from datetime import UTC, datetime
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
HEADER = (
    "# Benchmark results\n\nLatest figures of each benchmark in `bench/` (each runnable alone: "
    "`.venv/bin/python -m bench.<name>`). Machines here are noisy: read every figure next to "
    "the baseline measured in the same run.\n"
)


def write_section(name: str, body: str) -> None:
    text = RESULTS.read_text() if RESULTS.exists() else HEADER
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    section = (
        f"<!-- {name}:start -->\n## {name}\n\n_Measured {stamp} on "
        f"{platform.machine()}, Python {platform.python_version()}._\n\n{body.strip()}\n"
        f"<!-- {name}:end -->"
    )
    pattern = re.compile(
        rf"<!-- {re.escape(name)}:start -->.*?<!-- {re.escape(name)}:end -->", re.S
    )
    text = (
        pattern.sub(lambda _: section, text)
        if pattern.search(text)
        else (text.rstrip() + "\n\n" + section + "\n")
    )
    RESULTS.write_text(text)
