"""Coach and staff accounts: passwords, sessions, rate limits, first-run setup."""
