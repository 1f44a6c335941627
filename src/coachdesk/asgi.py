"""ASGI entry point for uvicorn: ``coachdesk.asgi:app``."""

from coachdesk.app import create_app

app = create_app()
