"""Files made at delivery from the sealed rows, never stored: the official copy of a
registration or a meeting's action and decision list (PDF), a QR code, a chart of the
figures; and the mail
that takes an official copy to the municipality's secure mailbox."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from conversations.meeting import OUTCOME_FORM

from ..charts import radar_png
from ..clock import Clock
from ..crypto import Cipher
from ..db.models import AuditEvent, Meeting, Registration
from ..services.figures.chart import chart_png
from .mail import MailError, MailSettings, send_official_copy
from .outbox import Rejected, TemporaryFailure
from .qr import qr_png


async def render_document(sessions: async_sessionmaker[AsyncSession], cipher: Cipher,
                          payload: dict[str, Any]) -> tuple[str, bytes]:
    """A file made at delivery, never stored: the official copy (PDF), a QR code or a chart."""
    if payload.get("render") == "qr":
        return str(payload.get("filename") or "qr.png"), qr_png(str(payload["link"]))
    if payload.get("render") == "chart":  # the figures' chart: anonymous, drawn now
        return (str(payload.get("filename") or "cijfers.png"),
                await asyncio.to_thread(chart_png, payload["chart"]))
    if payload.get("render") == "radar":  # the family's Positieve Gezondheid (issue 16)
        series = [(str(name), list(values)) for name, values in payload["series"]]
        return str(payload.get("filename") or "chart.png"), await asyncio.to_thread(
            radar_png, payload["labels"], series, str(payload.get("title") or ""),
            rtl=bool(payload.get("rtl")), note=str(payload.get("note") or ""))
    reference, pdf = await official_pdf(sessions, cipher, payload)
    return f"{reference}.pdf", pdf


async def official_pdf(sessions: async_sessionmaker[AsyncSession], cipher: Cipher,
                       payload: dict[str, Any]) -> tuple[str, bytes]:
    """The registration's official copy, or (``"document": "actions"``) the meeting's
    action and decision list - rendered now from the sealed rows, never stored."""
    # Lazy: fpdf2 and HarfBuzz take a quarter of a second to load, and only a PDF needs
    # them (the bot starts and answers without).
    from .official_copy import render_pdf

    async with sessions() as session:
        registration = await session.get(Registration, payload["registration_id"])
        if registration is None:
            raise Rejected("registration is gone")
        if payload.get("document") == "actions":
            meeting = await session.get(Meeting, payload.get("meeting_id", ""))
            if meeting is None or meeting.outcome_sealed is None:
                raise Rejected("meeting is gone")
            answers = cipher.open_json(meeting.outcome_sealed, f"meeting:{meeting.id}:outcome")
            reference = f"{registration.reference}-actielijst"
            return reference, await asyncio.to_thread(
                render_pdf, answers, reference=reference, submitted_at=meeting.starts_at,
                form=OUTCOME_FORM, advice=False, date_label="Overleg op")
        data = cipher.open_json(registration.data_sealed, f"registration:{registration.id}")
        reference, submitted = registration.reference, registration.submitted_at
    return reference, await asyncio.to_thread(render_pdf, data["answers"],
                                              reference=reference, submitted_at=submitted)


async def send_mail(sessions: async_sessionmaker[AsyncSession], cipher: Cipher,
                    mail: MailSettings | None, clock: Clock, payload: dict[str, Any]) -> None:
    """The official copy: rendered from the stored registration, mailed over SMTP."""
    if mail is None:
        raise TemporaryFailure("SMTP is not configured")
    reference, pdf = await official_pdf(sessions, cipher, payload)
    try:
        await send_official_copy(mail, to=payload["to"], reference=reference, pdf=pdf)
    except MailError as exc:
        raise TemporaryFailure(type(exc).__name__) from None
    async with sessions() as session, session.begin():
        session.add(AuditEvent(at=clock.now(), actor_id=0, action="mail_sent",
                               registration_id=payload["registration_id"]))
