"""Adapters to the outside world. Each: an interface, the real client, a local default.
Domains call only the interfaces; these modules never touch the ORM."""
