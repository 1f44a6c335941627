"""Backups: the whole database to a file and back; the planning as JSON."""
