"""Local stand-ins for Twilio's Messages API and Meta's WhatsApp Cloud API: they check the
credentials as the real ones do, keep what they are sent, and refuse what they are told to."""

from __future__ import annotations

import base64
import itertools
import json
from dataclasses import dataclass, field
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

TWILIO_SID = "AC" + "0123456789abcdef" * 2
TWILIO_TOKEN = "twilio-secret-token"
CLOUD_PHONE_ID = "1098765432"
CLOUD_TOKEN = "cloud-secret-token"


@dataclass
class FakeTwilio:
    received: list[dict[str, str]] = field(default_factory=list)
    invalid: set[str] = field(default_factory=set)  # numbers refused for good
    busy: int = 0  # how many next requests answer 503
    ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    async def messages(self, request: Request) -> JSONResponse:
        expected = base64.b64encode(f"{TWILIO_SID}:{TWILIO_TOKEN}".encode()).decode()
        if request.path_params["sid"] != TWILIO_SID or (
            request.headers.get("authorization") != f"Basic {expected}"
        ):
            return JSONResponse({"code": 20003, "message": "Authenticate"}, status_code=401)
        if self.busy:
            self.busy -= 1
            return JSONResponse({"code": 20500, "message": "Internal error"}, status_code=503)
        form = {key: str(value) for key, value in (await request.form()).items()}
        if form["To"].removeprefix("whatsapp:") in self.invalid:
            message = "The 'To' number is not a valid phone number."
            return JSONResponse({"code": 21211, "message": message}, status_code=400)
        self.received.append(form)
        return JSONResponse({"sid": f"SM{next(self.ids):032d}", "status": "queued"}, 201)

    def app(self) -> Starlette:
        path = "/2010-04-01/Accounts/{sid}/Messages.json"
        return Starlette(routes=[Route(path, self.messages, methods=["POST"])])


@dataclass
class FakeCloud:
    received: list[dict[str, Any]] = field(default_factory=list)
    invalid: set[str] = field(default_factory=set)  # numbers (digits only) refused

    async def messages(self, request: Request) -> JSONResponse:
        if request.path_params["phone_id"] != CLOUD_PHONE_ID or (
            request.headers.get("authorization") != f"Bearer {CLOUD_TOKEN}"
        ):
            error = {"message": "Invalid OAuth access token.", "code": 190}
            return JSONResponse({"error": error}, status_code=401)
        body = json.loads(await request.body())
        if body["to"] in self.invalid:
            error = {"message": "Recipient phone number not in allowed list", "code": 131030}
            return JSONResponse({"error": error}, status_code=400)
        self.received.append(body)
        wamid = f"wamid.{len(self.received)}"
        return JSONResponse({"messaging_product": "whatsapp", "messages": [{"id": wamid}]})

    def app(self) -> Starlette:
        path = "/{phone_id}/messages"
        return Starlette(routes=[Route(path, self.messages, methods=["POST"])])
