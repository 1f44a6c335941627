"""The outbox: e-mails queued by the domains, delivered by the worker."""
