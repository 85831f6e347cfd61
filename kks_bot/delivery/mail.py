"""Mailing the official copy to the municipality's secure mailbox, over SMTP with STARTTLS.

The message says nothing about the family: its subject and body name only the
reference, and the registration itself travels as the attached PDF. A failure
of any kind (connection, TLS, login, a refused recipient, a time-out) raises
:class:`MailError`, so that the caller can keep the job and try again later.
"""

from __future__ import annotations

import re
import ssl
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from pydantic import SecretStr

from .. import lazy
from ..config import Settings

# Loaded with the first mail (with the e-mail package: about 15 ms of a start).
aiosmtplib = lazy.module("aiosmtplib")

__all__ = [
    "MailError",
    "MailSettings",
    "attachment_name",
    "build_message",
    "mail_settings",
    "send_official_copy",
    "subject",
]

SUBJECT_PREFIX = "Aanmelding Knooppunt Kansrijke Start"
BODY = """\
Goedendag,

In de bijlage staat het officiële afschrift van aanmelding {reference} voor het
Knooppunt Kansrijke Start, als PDF ({filename}).

Het afschrift bevat bijzondere persoonsgegevens. Bewaar het alleen in het beveiligde
dossier van de gemeente en stuur het niet door.

Dit bericht is automatisch verstuurd door de KKS-bot; antwoorden op dit bericht
worden niet gelezen.
"""

# A reference is printed in a header and used as a file name: keep it to safe characters.
_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


class MailError(Exception):
    """The official copy could not be mailed; the caller may retry later."""


@dataclass
class MailSettings:
    """How to reach the SMTP server that delivers to the municipalities' mailboxes.

    ``username``/``password`` ``None``: no login. ``starttls``: upgrade the
    connection with STARTTLS and refuse to go on without it (the default; a
    login is only ever sent over TLS). ``tls_context``: the TLS settings, e.g. a
    context that trusts a private CA; ``None`` is the system's default, which
    checks the server's certificate and host name.
    """

    host: str
    port: int
    username: str | None
    password: SecretStr | str | None = field(repr=False)
    sender: str
    starttls: bool = True
    timeout: float = 30.0
    tls_context: ssl.SSLContext | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        if (self.username or self.password) and not self.starttls:
            raise ValueError("an SMTP login needs STARTTLS: the password would go in clear")
        if self.timeout <= 0:
            raise ValueError("timeout must be positive")

    def secret(self) -> str | None:
        if isinstance(self.password, SecretStr):
            return self.password.get_secret_value()
        return self.password


def _check_reference(reference: str) -> str:
    if not _REFERENCE.fullmatch(reference):
        raise ValueError(f"not a usable reference: {reference!r}")
    return reference


def subject(reference: str) -> str:
    return f"{SUBJECT_PREFIX} {_check_reference(reference)}"


def attachment_name(reference: str) -> str:
    return f"{_check_reference(reference)}.pdf"


def build_message(settings: MailSettings, *, to: str, reference: str, pdf: bytes,
                  now: datetime | None = None) -> EmailMessage:
    """The mail: subject and body with the reference only, the PDF attached."""
    filename = attachment_name(reference)
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject(reference)
    message["Date"] = format_datetime(now or datetime.now(UTC))
    # Name the domain: without one, make_msgid asks the resolver for this host's name.
    domain = Address(addr_spec=settings.sender).domain if "@" in settings.sender else ""
    message["Message-ID"] = make_msgid(idstring=reference, domain=domain or "kks-bot.invalid")
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(BODY.format(reference=reference, filename=filename))
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=filename)
    return message


def mail_settings(settings: Settings) -> MailSettings | None:
    """The SMTP settings from the bot's configuration (None: no mail configured)."""
    if not settings.smtp_host:
        return None
    context = ssl.create_default_context(cafile=settings.smtp_ca_file) \
        if settings.smtp_ca_file else None
    return MailSettings(settings.smtp_host, settings.smtp_port, settings.smtp_username or None,
                        settings.smtp_password if settings.smtp_password.get_secret_value()
                        else None, settings.smtp_sender or f"kks-bot@{settings.smtp_host}",
                        tls_context=context)


async def send_official_copy(settings: MailSettings, *, to: str, reference: str,
                             pdf: bytes) -> None:
    """Mail the official copy of ``reference`` to ``to``; raise :class:`MailError` on failure."""
    message = build_message(settings, to=to, reference=reference, pdf=pdf)
    where = f"{settings.host}:{settings.port}"
    try:
        refused, _ = await aiosmtplib.send(
            message,
            hostname=settings.host,
            port=settings.port,
            username=settings.username,
            password=settings.secret(),
            start_tls=settings.starttls,
            use_tls=False,
            timeout=settings.timeout,
            tls_context=settings.tls_context,
        )
    except aiosmtplib.SMTPException as exc:
        raise MailError(f"mailing {reference} via {where} failed: {exc}") from exc
    except OSError as exc:  # refused, unreachable, TLS failures, time-outs
        raise MailError(f"mailing {reference} via {where} failed: "
                        f"{type(exc).__name__}: {exc}") from exc
    if refused:
        raise MailError(f"mailing {reference} via {where}: recipient refused "
                        f"({'; '.join(str(r) for r in refused.values())})")
