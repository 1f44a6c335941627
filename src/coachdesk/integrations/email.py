"""Sending e-mail: SMTP when configured, otherwise kept in the outbox for the coach to read."""

from __future__ import annotations

import contextlib
import secrets
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from email import encoders
from email.charset import QP, Charset
from email.header import Header
from email.message import Message
from email.mime.base import MIMEBase
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.utils import formataddr, formatdate, make_msgid
from typing import Protocol

import aiosmtplib

UTF8_QP = Charset("utf-8")
UTF8_QP.body_encoding = QP


class DeliveryError(Exception):
    """The server refused or could not be reached; worth trying again later."""


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True)
class OutgoingEmail:
    to: str
    subject: str
    text: str
    html: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)


class EmailSender(Protocol):
    delivers: bool  # False: messages stay in the outbox (nothing leaves the machine)

    async def send(self, email: OutgoingEmail) -> None: ...


class OutboxSender:
    """The default: nothing is sent; messages stay readable in Coach Mode's outbox."""

    delivers = False

    async def send(self, email: OutgoingEmail) -> None:
        return None


def _boundary() -> str:
    """A part boundary that cannot occur in the parts: they are quoted-printable or
    base64, where "=_" never appears (and the generator need not search for it)."""
    return f"=_{secrets.token_hex(16)}"


def _text_part(text: str, subtype: str) -> MIMEText:
    part = MIMEText("", subtype, "utf-8")
    del part["Content-Transfer-Encoding"]
    part.set_payload(text, UTF8_QP)  # quoted-printable: readable, and cheap to build
    return part


def build_message(email: OutgoingEmail, *, sender: str, sender_name: str) -> Message:
    """The MIME message: text, an HTML alternative, attachments. Built with the classic
    (compat32) email API, several times faster than the modern one for the same output."""
    body: Message = _text_part(email.text, "plain")
    if email.html:
        alternative = MIMEMultipart("alternative", boundary=_boundary())
        alternative.attach(body)
        alternative.attach(_text_part(email.html, "html"))
        body = alternative
    if email.attachments:
        mixed = MIMEMultipart("mixed", boundary=_boundary())
        mixed.attach(body)
        for item in email.attachments:
            main, sub = item.content_type.split("/", 1)
            part = MIMEBase(main, sub)
            part.set_payload(item.data)
            encoders.encode_base64(part)
            part.add_header("Content-Disposition", "attachment", filename=item.filename)
            mixed.attach(part)
        body = mixed
    body["From"] = formataddr((sender_name, sender), charset="utf-8")
    body["To"] = email.to
    body["Subject"] = Header(email.subject, "utf-8").encode() if email.subject else ""
    body["Date"] = formatdate()
    body["Message-ID"] = make_msgid(domain=sender.split("@")[-1])
    for name, value in email.headers.items():
        body[name] = value
    return body


class SmtpSender:
    delivers = True

    def __init__(
        self,
        *,
        host: str,
        port: int,
        sender: str,
        sender_name: str = "",
        username: str | None = None,
        password: str | None = None,
        starttls: bool = False,
        tls: bool = False,
        timeout: float = 20,
    ) -> None:
        self._options = {
            "hostname": host,
            "port": port,
            "username": username,
            "password": password,
            "start_tls": starttls,
            "use_tls": tls,
            "timeout": timeout,
        }
        self._sender = sender
        self._sender_name = sender_name
        self._client: aiosmtplib.SMTP | None = None

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator[None]:
        """Sends inside the block share one SMTP connection (opened on first need)."""
        self._client = aiosmtplib.SMTP(**self._options)  # type: ignore[arg-type]
        try:
            yield
        finally:
            client, self._client = self._client, None
            if client is not None and client.is_connected:
                with contextlib.suppress(aiosmtplib.SMTPException, OSError):
                    await client.quit()

    async def send(self, email: OutgoingEmail) -> None:
        message = build_message(email, sender=self._sender, sender_name=self._sender_name)
        try:
            if self._client is None:
                await aiosmtplib.send(message, **self._options)  # type: ignore[arg-type]
                return
            if not self._client.is_connected:
                await self._client.connect()
            await self._client.send_message(message)
        except (aiosmtplib.SMTPException, OSError) as exc:
            if self._client is not None and self._client.is_connected:
                self._client.close()  # start afresh with the next message
            raise DeliveryError(str(exc)) from exc
