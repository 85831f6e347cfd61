"""A family member's Telegram id is not stored in the clear: a keyed hash finds their
contact (``family_contact.user_hash``), a sealed copy (``chat_sealed``) is what the bot
messages. Without the key, nothing in the database links a Telegram account to a case:
the scheduled messages name the contact, the audit trail records family actions without
the id, and the outbox's rows (which must name the chat to deliver) leave after 72 hours.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, select
from sqlalchemy.ext.asyncio import AsyncSession

from .crypto import Cipher
from .db.models import FamilyContact, ScheduledMessage


def bind(cipher: Cipher, contact: FamilyContact, user_id: int) -> None:
    contact.user_hash = cipher.lookup_hash(str(user_id))
    contact.chat_sealed = cipher.seal_json(user_id, contact.aad)


def unbind(contact: FamilyContact) -> None:
    contact.user_hash = contact.chat_sealed = None


def of_user(cipher: Cipher, user_id: int) -> ColumnElement[bool]:
    """``where`` clause: the contacts of this Telegram user."""
    return FamilyContact.user_hash.in_(cipher.lookup_hashes(str(user_id)))


def belongs_to(cipher: Cipher, contact: FamilyContact, user_id: int) -> bool:
    return contact.user_hash is not None and \
        contact.user_hash in cipher.lookup_hashes(str(user_id))


def chat_of(cipher: Cipher, contact: FamilyContact) -> int | None:
    if not contact.chat_sealed:
        return None
    return int(cipher.open_json(contact.chat_sealed, contact.aad))


async def move_legacy_ids(session: AsyncSession, cipher: Cipher) -> int:
    """Once, at the first start after migration 0011: ids in the clear become a hash and a
    sealed copy; their scheduled messages name the contact instead."""
    moved = 0
    for contact in (await session.execute(select(FamilyContact).where(
            FamilyContact.legacy_user_id.is_not(None)))).scalars():
        user_id = contact.legacy_user_id
        assert user_id is not None
        bind(cipher, contact, user_id)
        contact.legacy_user_id = None
        for row in (await session.execute(select(ScheduledMessage).where(
                ScheduledMessage.recipient_id == user_id,
                ScheduledMessage.kind.in_(("invitation", "reminder"))))).scalars():
            row.recipient_id, row.contact_id = 0, contact.id
        moved += 1
    return moved
