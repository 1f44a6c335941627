"""Benchmarks: each runnable alone, figures in RESULTS.md."""
