"""Mailing the official copy: a real SMTP server on 127.0.0.1 (aiosmtpd) with STARTTLS
and a login, a certificate made in the test, and the failures a caller must retry."""

from __future__ import annotations

import asyncio
import datetime as dt
import ssl
import time
from collections.abc import Iterator
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from pydantic import SecretStr

from kks_bot.delivery.mail import MailError, MailSettings, build_message, send_official_copy
from kks_bot.delivery.official_copy import render_pdf
from tests.support.smtp import PASSWORD, USER, Certificate, Mailbox, make_certificate
from tests.support.smtp import free_port as _free_port
from tests.support.smtp import start as _start

from .cases import SOPHIE

MAILBOX = "knooppunt@heerlen.example"
SENDER = "kks-bot@kansrijkestart.example"
REFERENCE = "KKS-2026-0001"
SUBMITTED = dt.datetime(2026, 11, 23, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    """A self-signed certificate for 127.0.0.1 and localhost."""
    return make_certificate(tmp_path_factory.mktemp("smtp-cert"))


@pytest.fixture
def mailbox() -> Mailbox:
    return Mailbox()


@pytest.fixture
def smtp_server(mailbox: Mailbox, certificate: Certificate) -> Iterator[Controller]:
    controller = _start(mailbox, certificate)
    yield controller
    controller.stop()


def _settings(port: int, certificate: Certificate | None, **changes: Any) -> MailSettings:
    context = None
    if certificate is not None:  # trust the test's own certificate, and only that
        context = ssl.create_default_context(cadata=certificate.pem.decode())
    values: dict[str, Any] = {
        "host": "127.0.0.1", "port": port, "username": USER, "password": SecretStr(PASSWORD),
        "sender": SENDER, "starttls": True, "timeout": 5.0, "tls_context": context}
    values.update(changes)
    return MailSettings(**values)


@pytest.fixture(scope="module")
def pdf() -> bytes:
    return render_pdf(dict(SOPHIE.expect), reference=REFERENCE, submitted_at=SUBMITTED)


async def test_official_copy_is_mailed_over_starttls(smtp_server: Controller, mailbox: Mailbox,
                                                     certificate: Certificate,
                                                     pdf: bytes) -> None:
    settings = _settings(smtp_server.port, certificate)
    await send_official_copy(settings, to=MAILBOX, reference=REFERENCE, pdf=pdf)

    assert len(mailbox.messages) == 1
    received = mailbox.messages[0]
    assert received.rcpt_tos == [MAILBOX]
    assert received.mail_from == SENDER
    assert received.tls, "the message must travel over STARTTLS"
    assert received.login == USER.encode()
    message = message_from_bytes(received.content, policy=policy.default)
    assert isinstance(message, EmailMessage)
    assert message["Subject"] == f"Aanmelding Knooppunt Kansrijke Start {REFERENCE}"
    assert message["To"] == MAILBOX and message["From"] == SENDER
    body = message.get_body(preferencelist=("plain",))
    assert body is not None
    text = body.get_content()
    assert REFERENCE in text and "bijlage" in text
    attachments = list(message.iter_attachments())
    assert len(attachments) == 1
    attachment = attachments[0]
    assert attachment.get_content_type() == "application/pdf"
    assert attachment.get_filename() == f"{REFERENCE}.pdf"
    assert attachment.get_content() == pdf  # byte for byte what was rendered
    # Nothing about the family outside the attachment: not in the headers, not in the body.
    outside = str(message.get_body(preferencelist=("plain",))) + "".join(
        f"{k}: {v}\n" for k, v in message.items())
    for personal in ("Sophie", "Jansen", "Mark Peters", "Akerstraat", "6411", "2001",
                     "0612345678", "Heerlen"):
        assert personal not in outside, personal
        assert personal not in received.content.decode("ascii"), personal


async def test_refused_connection_raises_mail_error(pdf: bytes) -> None:
    settings = _settings(_free_port(), None, timeout=2.0)  # nothing listens there
    with pytest.raises(MailError, match=REFERENCE):
        await send_official_copy(settings, to=MAILBOX, reference=REFERENCE, pdf=pdf)


async def test_silent_server_times_out_as_mail_error(pdf: bytes) -> None:
    """A server that accepts the connection and then says nothing."""

    async def silent(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.read()  # until the client gives up
        writer.close()

    server = await asyncio.start_server(silent, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        settings = _settings(port, None, timeout=0.5)
        started = time.monotonic()
        with pytest.raises(MailError):
            await send_official_copy(settings, to=MAILBOX, reference=REFERENCE, pdf=pdf)
        assert time.monotonic() - started < 3
    finally:
        server.close()
        await server.wait_closed()


async def test_untrusted_certificate_raises_mail_error(smtp_server: Controller,
                                                       mailbox: Mailbox, pdf: bytes) -> None:
    # The system's trust store does not know the test's self-signed certificate.
    settings = _settings(smtp_server.port, None)
    with pytest.raises(MailError):
        await send_official_copy(settings, to=MAILBOX, reference=REFERENCE, pdf=pdf)
    assert mailbox.messages == []


async def test_wrong_password_raises_mail_error(smtp_server: Controller, mailbox: Mailbox,
                                                certificate: Certificate, pdf: bytes) -> None:
    settings = _settings(smtp_server.port, certificate, password="wrong")
    with pytest.raises(MailError):
        await send_official_copy(settings, to=MAILBOX, reference=REFERENCE, pdf=pdf)
    assert mailbox.messages == []


async def test_refused_recipient_raises_mail_error(smtp_server: Controller, mailbox: Mailbox,
                                                   certificate: Certificate,
                                                   pdf: bytes) -> None:
    mailbox.refuse_rcpt = True
    with pytest.raises(MailError):
        await send_official_copy(_settings(smtp_server.port, certificate), to=MAILBOX,
                                 reference=REFERENCE, pdf=pdf)
    assert mailbox.messages == []


async def test_no_plain_text_fallback_without_starttls(pdf: bytes) -> None:
    """A server that offers no STARTTLS gets nothing: no silent downgrade."""
    mailbox = Mailbox()
    controller = _start(mailbox, None)
    try:
        settings = _settings(controller.port, None, username=None, password=None)
        with pytest.raises(MailError):
            await send_official_copy(settings, to=MAILBOX, reference=REFERENCE, pdf=pdf)
    finally:
        controller.stop()
    assert mailbox.messages == []


def test_settings_guard_the_password() -> None:
    settings = _settings(25, None, password="hunter2")
    assert "hunter2" not in repr(settings)
    assert settings.secret() == "hunter2"
    assert _settings(25, None).secret() == PASSWORD
    with pytest.raises(ValueError, match="STARTTLS"):
        _settings(25, None, starttls=False)
    assert _settings(25, None, starttls=False, username=None, password=None).secret() is None


def test_message_names_only_the_reference() -> None:
    message = build_message(_settings(25, None), to=MAILBOX, reference=REFERENCE, pdf=b"%PDF-1.4")
    assert message["Subject"] == f"Aanmelding Knooppunt Kansrijke Start {REFERENCE}"
    assert message["Message-ID"].endswith("@kansrijkestart.example>")
    with pytest.raises(ValueError, match="reference"):
        build_message(_settings(25, None), to=MAILBOX, reference="KKS\r\nBcc: x@y.z",
                      pdf=b"%PDF-1.4")
