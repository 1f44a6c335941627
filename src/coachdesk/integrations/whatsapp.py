"""Sending WhatsApp messages: Twilio or the WhatsApp Cloud API when configured, otherwise
the coach sends each one by hand from a prefilled wa.me link."""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Protocol
from urllib.parse import quote

import httpx

from coachdesk.integrations.email import DeliveryError
from coachdesk.site.registry import SiteSettings

TWILIO_API = "https://api.twilio.com"
CLOUD_API = "https://graph.facebook.com/v21.0"


class Refused(DeliveryError):
    """The provider refused this message for good (bad number, bad credentials…):
    trying again would not help."""


@dataclass(frozen=True)
class WhatsAppMessage:
    to: str  # E.164
    text: str
    media_url: str = ""


class WhatsAppSender(Protocol):
    delivers: bool  # False: the coach sends each message by hand

    async def send(self, message: WhatsAppMessage) -> str:
        """Sends it and returns the provider's message id."""
        ...


def wa_me_link(to: str, text: str) -> str:
    """A link that opens WhatsApp on this number with the text already typed."""
    return f"https://wa.me/{to.lstrip('+')}?text={quote(text)}"


class ManualWhatsApp:
    """No provider: messages wait for the coach to open each wa.me link and mark it sent."""

    delivers = False

    async def send(self, message: WhatsAppMessage) -> str:
        raise DeliveryError("no WhatsApp provider configured")


class _HttpSender:
    """What both providers share: one HTTP client per batch, errors sorted into
    worth-retrying (network, 429, 5xx) and refused for good (other 4xx)."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self._client: httpx.AsyncClient | None = None

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator[None]:
        async with httpx.AsyncClient(timeout=self.timeout) as client:
            self._client = client
            try:
                yield
            finally:
                self._client = None

    async def _post(self, url: str, **kwargs: Any) -> dict[str, Any]:
        try:
            if self._client is not None:
                response = await self._client.post(url, **kwargs)
            else:
                async with httpx.AsyncClient(timeout=self.timeout) as client:
                    response = await client.post(url, **kwargs)
        except httpx.HTTPError as exc:
            raise DeliveryError(f"{type(exc).__name__}: {exc}") from exc
        try:
            body: dict[str, Any] = response.json()
        except ValueError:
            body = {}
        if response.is_success:
            return body
        detail = f"{response.status_code} {self._error_of(body) or response.reason_phrase}"
        if response.status_code == 429 or response.status_code >= 500:
            raise DeliveryError(detail)
        raise Refused(detail)

    @staticmethod
    def _error_of(body: dict[str, Any]) -> str:
        """The provider's own words for a refusal (each provider words it its own way)."""
        return str(body.get("message", ""))


class TwilioWhatsApp(_HttpSender):
    delivers = True

    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        sender: str,
        api_url: str = TWILIO_API,
        timeout: float = 15,
    ) -> None:
        super().__init__(timeout)
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.sender = sender
        self.url = f"{api_url.rstrip('/')}/2010-04-01/Accounts/{account_sid}/Messages.json"

    async def send(self, message: WhatsAppMessage) -> str:
        form = {"From": f"whatsapp:{self.sender}", "To": f"whatsapp:{message.to}"}
        form["Body"] = message.text
        if message.media_url:
            form["MediaUrl"] = message.media_url
        body = await self._post(self.url, data=form, auth=(self.account_sid, self.auth_token))
        return str(body.get("sid", ""))

    @staticmethod
    def _error_of(body: dict[str, Any]) -> str:
        code = body.get("code")
        text = str(body.get("message", ""))
        return f"{text} ({code})" if code else text


class CloudWhatsApp(_HttpSender):
    """Meta's WhatsApp Cloud API. Outside the 24 hours after a person last wrote, Meta
    only delivers approved templates: with ``template`` set, the message goes as that
    template, its one body parameter being the text."""

    delivers = True

    def __init__(
        self,
        *,
        phone_number_id: str,
        access_token: str,
        template: str = "",
        template_language: str = "fr",
        api_url: str = CLOUD_API,
        timeout: float = 15,
    ) -> None:
        super().__init__(timeout)
        self.access_token = access_token
        self.template = template
        self.template_language = template_language
        self.url = f"{api_url.rstrip('/')}/{phone_number_id}/messages"

    def payload(self, message: WhatsAppMessage) -> dict[str, Any]:
        to = message.to.lstrip("+")
        base: dict[str, Any] = {"messaging_product": "whatsapp", "to": to}
        if self.template:
            parameters = [{"type": "text", "text": message.text}]
            components: list[dict[str, Any]] = [{"type": "body", "parameters": parameters}]
            if message.media_url:
                image = {"type": "image", "image": {"link": message.media_url}}
                components.insert(0, {"type": "header", "parameters": [image]})
            template = {"name": self.template, "language": {"code": self.template_language}}
            return {**base, "type": "template", "template": {**template, "components": components}}
        if message.media_url:
            image = {"link": message.media_url, "caption": message.text}
            return {**base, "type": "image", "image": image}
        return {**base, "type": "text", "text": {"body": message.text, "preview_url": True}}

    async def send(self, message: WhatsAppMessage) -> str:
        headers = {"Authorization": f"Bearer {self.access_token}"}
        body = await self._post(self.url, json=self.payload(message), headers=headers)
        sent = body.get("messages") or [{}]
        return str(sent[0].get("id", ""))

    @staticmethod
    def _error_of(body: dict[str, Any]) -> str:
        error = body.get("error") or {}
        text = str(error.get("message", ""))
        code = error.get("code")
        return f"{text} ({code})" if code else text


@dataclass(frozen=True)
class Endpoints:
    """The providers' API addresses (tests point them at local stand-ins)."""

    twilio: str = TWILIO_API
    cloud: str = CLOUD_API


def whatsapp_sender(site: SiteSettings, endpoints: Endpoints) -> WhatsAppSender:
    """The provider the coach chose in the settings, or by hand when it lacks credentials."""
    if site.whatsapp_missing():
        return ManualWhatsApp()
    if site.whatsapp_provider == "twilio":
        return TwilioWhatsApp(
            account_sid=site.twilio_account_sid,
            auth_token=site.twilio_auth_token,
            sender=site.whatsapp_from,
            api_url=endpoints.twilio,
        )
    if site.whatsapp_provider == "cloud":
        return CloudWhatsApp(
            phone_number_id=site.whatsapp_phone_number_id,
            access_token=site.whatsapp_access_token,
            template=site.whatsapp_template,
            template_language=site.whatsapp_template_language,
            api_url=endpoints.cloud,
        )
    return ManualWhatsApp()
