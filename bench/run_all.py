"""Runs every benchmark in turn (``make bench``)."""

import subprocess
import sys

BENCHMARKS = [
    "bench.landing",
    "bench.booking_contention",
    "bench.checkin",
    "bench.promo_bulk",
    "bench.chat_realtime",
    "bench.campaign_send",
    "bench.analytics",
]

for name in BENCHMARKS:
    subprocess.run([sys.executable, "-m", name], check=True)
