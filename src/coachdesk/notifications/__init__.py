"""Telling the coach: live in Coach Mode, by Web Push, by e-mail or WhatsApp."""
