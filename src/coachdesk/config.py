"""Deployment configuration: one validated object read from ``COACHDESK_*`` variables.

What the coach edits at run time lives in the settings registry (``site.registry``);
this is what the person deploying the app decides.
"""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEV_DATA_DIR = Path("var")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="COACHDESK_", env_file=".env", extra="ignore")

    env: Literal["dev", "test", "production"] = "dev"
    data_dir: Path = DEV_DATA_DIR
    database_url: str = ""
    secret_key: SecretStr | None = None
    base_url: str = Field(default="", description="Public address; default http://HOST:PORT")
    host: str = "127.0.0.1"
    port: int = 8000
    cookie_secure: bool | None = Field(
        default=None, description="Force the Secure flag; default: on for https requests."
    )
    session_days: int = 14
    admin_email: str | None = None
    admin_password: SecretStr | None = None
    embedded_worker: bool = True
    worker_interval_seconds: float = 10.0
    log_level: str = "info"
    stripe_secret_key: SecretStr | None = None
    stripe_webhook_secret: SecretStr | None = None
    stripe_api_base: str | None = Field(
        default=None, description="Another Stripe API address (tests use a local stand-in)"
    )
    twilio_api_url: str = Field(
        default="https://api.twilio.com", description="Twilio's API (tests use a stand-in)"
    )
    whatsapp_api_url: str = Field(
        default="https://graph.facebook.com/v21.0",
        description="WhatsApp Cloud API (tests use a stand-in)",
    )
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_starttls: bool = True
    smtp_tls: bool = False
    mail_from: str = "no-reply@localhost"
    header_timeout: float = Field(
        10.0, gt=0, le=300, description="Seconds a request has to send its headers"
    )
    keep_alive_timeout: int = Field(
        5, ge=1, le=300, description="Seconds an idle connection stays open after a response"
    )
    campaign_emails_per_minute: int = Field(
        0, ge=0, description="Campaign e-mails sent per minute at most (0 = no limit)"
    )
    redis_url: str | None = Field(
        default=None, description="Real-time events across processes (redis://…)"
    )
    chat_starts_per_address: int = Field(10, ge=1, description="per 10 minutes")
    chat_messages_per_visitor: int = Field(12, ge=1, description="per minute")
    chat_messages_per_address: int = Field(40, ge=1, description="per minute")
    bookings_per_address: int = Field(10, ge=0, description="per hour (0 = no limit)")
    bookings_per_email: int = Field(6, ge=0, description="per hour (0 = no limit)")
    trusted_proxies: str = Field(
        default="",
        description="Addresses of the reverse proxies whose X-Forwarded-For / -Proto are "
        "believed (comma-separated IPs or networks); empty: none, the connection's address "
        "is the client's",
    )
    allow_private_ai_url: bool = Field(
        default=False,
        description="Let the assistant's API live on a private or local address (Ollama)",
    )
    public_cache_seconds: float = Field(
        default=1.0, ge=0, description="How long public pages reuse what they read (0 = off)"
    )

    @model_validator(mode="after")
    def _defaults(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite+aiosqlite:///{self.data_dir / 'coachdesk.db'}"
        if self.env == "production" and self.secret_key is None:
            raise ValueError("COACHDESK_SECRET_KEY must be set when COACHDESK_ENV=production")
        return self

    def public_url(self, port: int | None = None) -> str:
        return self.base_url.rstrip("/") or f"http://{self.host}:{port or self.port}"

    @property
    def stripe_configured(self) -> bool:
        return self.stripe_secret_key is not None and self.stripe_webhook_secret is not None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    def resolved_secret(self) -> str:
        """The signing secret; in dev and test a random one is kept in the data dir."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value()
        path = self.data_dir / "secret.key"
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_urlsafe(48))
            path.chmod(0o600)
        return path.read_text().strip()


@lru_cache
def get_settings() -> Settings:
    return Settings()
