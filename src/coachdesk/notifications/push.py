"""Web Push to the coach's devices (VAPID). The key pair is made on first use and kept in
the data folder; the public half goes to the browser when it subscribes."""

from __future__ import annotations

import base64
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import aiohttp
from cryptography.hazmat.primitives import serialization
from py_vapid import Vapid02
from pywebpush import WebPushException, webpush_async

from coachdesk.models import CoachNotice, PushSubscription

log = logging.getLogger(__name__)
KEY_FILE = "vapid_private.pem"
GONE = {404, 410}  # the browser dropped the subscription: forget it
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


def checked_endpoint(value: str) -> str:
    """A push service's address as browsers give it: https and a real host (plain http only
    on this machine, for a local push service)."""
    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
        parts.port  # noqa: B018 — a port that is not a number raises here
    except ValueError:
        raise ValueError("not an address") from None
    if parts.scheme == "http" and host in LOOPBACK:
        return value
    if parts.scheme != "https" or "." not in host or host.startswith(".") or host.endswith("."):
        raise ValueError("a push service's https address is expected")
    return value


def checked_key(value: str, *, size: int, first: int | None = None) -> str:
    """A subscription key: base64url of ``size`` bytes (a P-256 point starts with 4)."""
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    except ValueError:
        raise ValueError("not base64url") from None
    if len(raw) != size or (first is not None and raw[0] != first):
        raise ValueError(f"{size} bytes expected")
    return value


def keys(data_dir: Path) -> Vapid02:
    """The studio's VAPID key pair, generated and stored (owner-only) on first use."""
    path = data_dir / KEY_FILE
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        vapid = Vapid02()
        vapid.generate_keys()
        vapid.save_key(str(path))
        os.chmod(path, 0o600)
    return Vapid02.from_file(str(path))


def public_key(data_dir: Path) -> str:
    """The applicationServerKey a browser subscribes with (base64url, no padding)."""
    raw = keys(data_dir).public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


@dataclass(frozen=True)
class Outcome:
    sent: int = 0
    gone: tuple[int, ...] = ()  # subscriptions to forget
    errors: tuple[str, ...] = ()


async def send(
    notice: CoachNotice, subscriptions: list[PushSubscription], vapid: Vapid02, contact: str
) -> Outcome:
    """The notice to every subscribed device; ``contact`` (mailto:…) identifies the sender
    to the push services."""
    data = json.dumps({"title": notice.title, "body": notice.body, "url": notice.url})
    sent, gone, errors = 0, [], []
    for subscription in subscriptions:
        info = {
            "endpoint": subscription.endpoint,
            "keys": {"p256dh": subscription.p256dh, "auth": subscription.auth},
        }
        try:
            await webpush_async(
                info,
                data,
                vapid_private_key=vapid,
                vapid_claims={"sub": contact},
                ttl=3600,
                timeout=10,
            )
        except WebPushException as exc:
            status = exc.status_code or 0
            if status in GONE:
                gone.append(subscription.id)
            else:
                errors.append(str(exc.message).split("\n")[0][:300])
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            errors.append(f"{type(exc).__name__}: {exc}"[:300])
        except Exception as exc:  # one broken subscription never stops the others
            log.warning("push to subscription %s failed: %s", subscription.id, exc)
            errors.append(f"{type(exc).__name__}: {exc}"[:300])
        else:
            sent += 1
    return Outcome(sent, tuple(gone), tuple(errors))
