"""Runs every benchmark in turn (``make bench``)."""

import subprocess
import sys

BENCHMARKS = ["bench.landing"]

for name in BENCHMARKS:
    subprocess.run([sys.executable, "-m", name], check=True)
