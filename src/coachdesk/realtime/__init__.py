"""Real-time events between processes: memory by default, Redis when configured."""
