"""The audit log of admin changes."""
