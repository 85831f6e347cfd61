"""The audit trail: who did what to which registration, and when (never the content)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from .db.models import AuditEvent


def audit(session: AsyncSession, now: datetime, actor: int, action: str,
          registration_id: str | None = None, detail: str | None = None) -> None:
    """Record an event in this transaction."""
    session.add(AuditEvent(at=now, actor_id=actor, action=action,
                           registration_id=registration_id, detail=detail))
