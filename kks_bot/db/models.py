"""Database tables. Personal data only ever sits in the ``*_sealed`` columns.

Columns in the clear hold ids, timestamps, statuses and the municipality code
(needed to route a registration); everything a user typed is sealed with
:class:`kks_bot.crypto.Cipher`.
"""

from __future__ import annotations

import secrets
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in UTC on every database (SQLite forgets the zone)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the database")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def row_uid() -> str:
    """A random id of a row whose primary key is only known after the insert: the
    associated data of its sealed value names it, so the value cannot move to another row."""
    return secrets.token_hex(8)


class Base(DeclarativeBase):
    pass


def _ts(*, nullable: bool = False, index: bool = False) -> Mapped[datetime]:
    return mapped_column(UTCDateTime(), nullable=nullable, index=index)


class ProcessedUpdate(Base):
    """The inbox: one row per Telegram update that took effect."""

    __tablename__ = "processed_update"
    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime] = _ts()


class Account(Base):
    """A user of the bot (a Telegram user id, or the console user)."""

    __tablename__ = "account"
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    locale: Mapped[str] = mapped_column(String(8))
    locale_chosen: Mapped[bool] = mapped_column(Boolean, default=False)
    profile_sealed: Mapped[str | None] = mapped_column(Text, nullable=True)
    # set when Telegram answered 403 (the user blocked the bot); cleared on their next update
    unreachable_at: Mapped[datetime | None] = _ts(nullable=True)
    created_at: Mapped[datetime] = _ts()
    updated_at: Mapped[datetime] = _ts()


class Conversation(Base):
    """Where a user is in a conversation: flow, step, and a nonce for buttons."""

    __tablename__ = "conversation"
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("account.user_id", ondelete="CASCADE"), primary_key=True,
        autoincrement=False,
    )
    flow: Mapped[str] = mapped_column(String(32))
    step: Mapped[str] = mapped_column(String(160))
    seq: Mapped[int] = mapped_column(Integer, default=0)
    draft_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    state_sealed: Mapped[str | None] = mapped_column(Text, nullable=True)
    updated_at: Mapped[datetime] = _ts()


class Draft(Base):
    """A registration being filled in; deleted on submit, cancel or expiry."""

    __tablename__ = "draft"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    owner_id: Mapped[int] = mapped_column(BigInteger, index=True)
    form: Mapped[str] = mapped_column(String(40))
    position: Mapped[str] = mapped_column(String(160))
    answers_sealed: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = _ts()
    updated_at: Mapped[datetime] = _ts()
    expires_at: Mapped[datetime] = _ts(index=True)
    warned_at: Mapped[datetime | None] = _ts(nullable=True)


class Registration(Base):
    """A submitted registration (one case, one reference for its whole life)."""

    __tablename__ = "registration"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    owner_id: Mapped[int] = mapped_column(BigInteger, index=True)
    form: Mapped[str] = mapped_column(String(40))
    gemeente_code: Mapped[str | None] = mapped_column(String(16), index=True, nullable=True)
    status: Mapped[str] = mapped_column(String(24), index=True)
    data_sealed: Mapped[str] = mapped_column(Text)
    handler_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    notified_at: Mapped[datetime | None] = _ts(nullable=True)
    started_at: Mapped[datetime] = _ts()
    submitted_at: Mapped[datetime] = _ts()
    updated_at: Mapped[datetime] = _ts()
    # Some months after closing the content is deleted (services/retention.py); what the
    # anonymous figures need stays here as categories (JSON, no free text).
    purged_at: Mapped[datetime | None] = _ts(nullable=True)
    figures: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)


class RegistrationEvent(Base):
    """The history of a case: every status change, who and when (no content)."""

    __tablename__ = "registration_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    registration_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("registration.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[str] = mapped_column(String(24))
    actor_id: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = _ts()
    # an id, never free text: where a case was referred to (ozks, zorgpaden, gemeente, ...)
    detail: Mapped[str | None] = mapped_column(String(40), nullable=True)


class ReferenceCounter(Base):
    """The last reference number handed out per year (KKS-2026-0042)."""

    __tablename__ = "reference_counter"
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(Integer)


class Outbox(Base):
    """Every message the bot sends, edits or deletes, written in the same
    transaction as the change that caused it and delivered afterwards."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    kind: Mapped[str] = mapped_column(String(16))  # send, edit, delete, delete_tag
    uid: Mapped[str | None] = mapped_column(String(16), nullable=True)
    payload_sealed: Mapped[str] = mapped_column(Text)
    tag: Mapped[str | None] = mapped_column(String(60), index=True, nullable=True)
    target_id: Mapped[int | None] = mapped_column(Integer, nullable=True)  # outbox row to edit
    target_message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    status: Mapped[str] = mapped_column(String(12), index=True)
    # 0: a reply or notification a person is waiting for; 1: bulk (scheduled reminders
    # and nudges), which waits while replies to other chats go first.
    priority: Mapped[int] = mapped_column(SmallInteger, default=0, server_default="0")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = _ts()
    created_at: Mapped[datetime] = _ts()
    sent_at: Mapped[datetime | None] = _ts(nullable=True)
    message_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    error: Mapped[str | None] = mapped_column(String(200), nullable=True)
    # Checked again when the row is sent: "coordinator:<CBS code>" goes out only while the
    # chat is an active coordinator of that municipality (deactivated since: dropped).
    gate: Mapped[str | None] = mapped_column(String(24), nullable=True)

    @property
    def aad(self) -> str:
        """Binds the payload to this row (rows of earlier versions: to the chat)."""
        return f"outbox:{self.chat_id}:{self.uid}" if self.uid else f"outbox:{self.chat_id}"


class WorkerLease(Base):
    """Who delivers the outbox: one process at a time, so Telegram's rate limits hold
    for the bot as a whole. Renewed while held; taken over when it expires."""

    __tablename__ = "worker_lease"
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(120))
    expires_at: Mapped[datetime] = _ts()


class Municipality(Base):
    """A municipality: the routing key (CBS code), its Knooppunt, its secure mailbox."""

    __tablename__ = "municipality"
    code: Mapped[str] = mapped_column(String(16), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    subregion: Mapped[str] = mapped_column(String(80), default="")
    postcodes: Mapped[str] = mapped_column(String(400), default="")  # "6400-6433,6436"
    mailbox: Mapped[str | None] = mapped_column(String(254), nullable=True)
    knooppunt_active: Mapped[bool] = mapped_column(Boolean, default=True)


class Coordinator(Base):
    """A Knooppuntcoördinator: a bot user who joined through an invitation."""

    __tablename__ = "coordinator"
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = _ts()
    deactivated_at: Mapped[datetime | None] = _ts(nullable=True)


class CoordinatorMunicipality(Base):
    """Which municipalities a coordinator serves (several both ways)."""

    __tablename__ = "coordinator_municipality"
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("coordinator.user_id", ondelete="CASCADE"), primary_key=True,
        autoincrement=False)
    code: Mapped[str] = mapped_column(String(16), ForeignKey("municipality.code"),
                                      primary_key=True)


class Invitation(Base):
    """A one-time invitation for a coordinator; only the token's hash is stored."""

    __tablename__ = "invitation"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    municipalities: Mapped[str] = mapped_column(String(400))  # comma-separated CBS codes
    created_at: Mapped[datetime] = _ts()
    expires_at: Mapped[datetime] = _ts()
    used_at: Mapped[datetime | None] = _ts(nullable=True)
    used_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    # Who redeemed it as Telegram shows them (name, username), for the administrator who
    # approves or rejects it; nothing reaches the account before that.
    identity_sealed: Mapped[str | None] = mapped_column(Text, nullable=True)
    decided_at: Mapped[datetime | None] = _ts(nullable=True)
    decided_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    approved: Mapped[bool | None] = mapped_column(Boolean, nullable=True)


class Pin(Base):
    """A person's PIN for case content (argon2id hash; never the PIN). Five wrong tries
    lock it until an administrator unlocks it."""

    __tablename__ = "pin"
    user_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    pin_hash: Mapped[str] = mapped_column(String(200))
    failures: Mapped[int] = mapped_column(Integer, default=0)
    locked_at: Mapped[datetime | None] = _ts(nullable=True)
    created_at: Mapped[datetime] = _ts()
    updated_at: Mapped[datetime] = _ts()


class AccessSession(Base):
    """A session for case content: the Mini App's (cookie) or the chat's (no web address).
    Only the SHA-256 of the session id is stored; it ends after a short idle time, at
    its maximum age, and at once when the person is deactivated."""

    __tablename__ = "access_session"
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    channel: Mapped[str] = mapped_column(String(8))  # web, chat
    created_at: Mapped[datetime] = _ts()
    seen_at: Mapped[datetime] = _ts()
    pin_ok_at: Mapped[datetime | None] = _ts(nullable=True)


class AuditEvent(Base):
    """Who saw or changed what, when (NEN 7513). Ids and action names only."""

    __tablename__ = "audit_event"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = _ts(index=True)
    actor_id: Mapped[int] = mapped_column(BigInteger)
    action: Mapped[str] = mapped_column(String(40))
    registration_id: Mapped[str | None] = mapped_column(String(36), index=True, nullable=True)
    detail: Mapped[str | None] = mapped_column(String(80), nullable=True)
    # The hash chain (audit.py): each entry carries the hash of the one before it, in the
    # order it was chained (``seq``; an entry committed late still gets the next place).
    seq: Mapped[int | None] = mapped_column(Integer, unique=True, nullable=True)
    prev_hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    hash: Mapped[str | None] = mapped_column(String(64), nullable=True)
    # The chain covers salted digests of the actor and the detail, not the values, so a
    # person's erasure can remove them (``redacted`` keeps the two digests, the salt goes)
    # and the chain still verifies, while the digests cannot be traced back to an id.
    salt: Mapped[str | None] = mapped_column(String(32), nullable=True)
    redacted: Mapped[str | None] = mapped_column(String(129), nullable=True)


class AuditHead(Base):
    """The end of the audit chain: its last entry (so a cut-off tail shows too), and the
    hashes of the entries retention deleted (where the chain may now begin)."""

    __tablename__ = "audit_head"
    name: Mapped[str] = mapped_column(String(20), primary_key=True)
    last_seq: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))
    anchors: Mapped[str] = mapped_column(String(6600), default="")


class CaseMessage(Base):
    """A question, answer, supplement or reason inside a case (sealed)."""

    __tablename__ = "case_message"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    registration_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # question, answer, supplement, close, ...
    author_id: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = _ts()
    uid: Mapped[str | None] = mapped_column(String(16), nullable=True)
    text_sealed: Mapped[str] = mapped_column(Text)

    @property
    def aad(self) -> str:
        """Binds the text to this row (rows of earlier versions: to the case)."""
        base = f"case:{self.registration_id}"
        return f"{base}:{self.uid}" if self.uid else base


class SparThread(Base):
    """An anonymous sparring question of a professional to a municipality's coordinators."""

    __tablename__ = "spar_thread"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    reference: Mapped[str] = mapped_column(String(20), unique=True)
    professional_id: Mapped[int] = mapped_column(BigInteger, index=True)
    gemeente_code: Mapped[str] = mapped_column(String(16), index=True)
    status: Mapped[str] = mapped_column(String(12), index=True)  # open, closed
    closed_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)
    created_at: Mapped[datetime] = _ts()
    updated_at: Mapped[datetime] = _ts()


class SparMessage(Base):
    """One message in a sparring thread (sealed)."""

    __tablename__ = "spar_message"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    thread_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("spar_thread.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(BigInteger)
    at: Mapped[datetime] = _ts()
    uid: Mapped[str | None] = mapped_column(String(16), nullable=True)
    text_sealed: Mapped[str] = mapped_column(Text)

    @property
    def aad(self) -> str:
        """Binds the text to this row (rows of earlier versions: to the thread)."""
        return f"spar:{self.thread_id}:{self.uid}" if self.uid else f"spar:{self.thread_id}"


class Meeting(Base):
    """A Knooppuntoverleg planned for a case; times in UTC, shown in the configured zone."""

    __tablename__ = "meeting"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    registration_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    planned_by: Mapped[int] = mapped_column(BigInteger)
    starts_at: Mapped[datetime] = _ts(index=True)
    status: Mapped[str] = mapped_column(String(12), index=True)  # planned, cancelled, held
    # place, invitees, interpreter, and after the meeting the action and decision list
    details_sealed: Mapped[str] = mapped_column(Text)
    outcome_sealed: Mapped[str | None] = mapped_column(Text, nullable=True)
    evaluation_due_at: Mapped[datetime | None] = _ts(nullable=True, index=True)
    evaluated_at: Mapped[datetime | None] = _ts(nullable=True)
    created_at: Mapped[datetime] = _ts()
    updated_at: Mapped[datetime] = _ts()


class FamilyContact(Base):
    """A family member who opened the coordinator's one-time invitation and opted in."""

    __tablename__ = "family_contact"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    registration_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    expires_at: Mapped[datetime] = _ts()
    # The family's Telegram id is not stored in the clear: found by a keyed hash
    # (Cipher.lookup_hash), messaged through the sealed copy (people.family_chat).
    user_hash: Mapped[str | None] = mapped_column(String(80), nullable=True, index=True)
    chat_sealed: Mapped[str | None] = mapped_column(Text, nullable=True)
    # Versions before 0011 kept the id here; moved to the two above at start, then NULL.
    legacy_user_id: Mapped[int | None] = mapped_column("user_id", BigInteger, nullable=True,
                                                       index=True)
    # The link works once: set at its first use, whatever the family answers after.
    spent_at: Mapped[datetime | None] = _ts(nullable=True)
    opted_in_at: Mapped[datetime | None] = _ts(nullable=True)
    stopped_at: Mapped[datetime | None] = _ts(nullable=True)
    created_at: Mapped[datetime] = _ts()

    @property
    def aad(self) -> str:
        return f"family_contact:{self.id}"


class CaseGuest(Base):
    """A professional on the bot invited to a case's Knooppuntoverleg through a one-time
    link: they get the invitation, the reminders and the action and decision list."""

    __tablename__ = "case_guest"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    registration_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by: Mapped[int] = mapped_column(BigInteger)
    expires_at: Mapped[datetime] = _ts()
    user_id: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    joined_at: Mapped[datetime | None] = _ts(nullable=True)
    created_at: Mapped[datetime] = _ts()


class ScheduledMessage(Base):
    """Something to say at a moment: the database row is the source of truth.

    The dispatcher claims due rows with one conditional UPDATE (status pending -> sent),
    so two processes never both send one; a reminder whose meeting has passed, moved or
    been cancelled is dropped instead.
    """

    __tablename__ = "scheduled_message"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(24))  # invitation, reminder, evaluation
    meeting_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("meeting.id", ondelete="CASCADE"), index=True, nullable=True)
    recipient_id: Mapped[int] = mapped_column(BigInteger, index=True)  # 0: a family contact
    contact_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("family_contact.id", ondelete="CASCADE"), index=True,
        nullable=True)
    due_at: Mapped[datetime] = _ts(index=True)
    status: Mapped[str] = mapped_column(String(12), index=True)  # pending, sent, dropped, ...
    processed_at: Mapped[datetime | None] = _ts(nullable=True)
    detail: Mapped[str | None] = mapped_column(String(40), nullable=True)


class FamilyVoice(Base):
    """The family's own voice about a meeting (issue 16): the six Positieve Gezondheid
    ratings and their words before it (``before``), how they experienced it
    (``experience``), the ratings again at the evaluation (``evaluation``). Filled in by
    the family on the bot (``by`` family, ``contact_id``) or by the coordinator together
    with the family during the meeting (``by`` coordinator). The answers are sealed
    (associated data ``family_voice:<id>``); ``status``: offered, declined,
    started, stopped, done."""

    __tablename__ = "family_voice"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    registration_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("registration.id", ondelete="CASCADE"), index=True)
    meeting_id: Mapped[str] = mapped_column(
        String(36), ForeignKey("meeting.id", ondelete="CASCADE"), index=True)
    contact_id: Mapped[str | None] = mapped_column(
        String(36), ForeignKey("family_contact.id", ondelete="SET NULL"), index=True,
        nullable=True)
    moment: Mapped[str] = mapped_column(String(12))  # before, experience, evaluation
    by: Mapped[str] = mapped_column(String(12))  # family, coordinator
    status: Mapped[str] = mapped_column(String(12))  # see above
    offers: Mapped[int] = mapped_column(SmallInteger, default=1)
    answers_sealed: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[datetime] = _ts()
    updated_at: Mapped[datetime] = _ts()

    @property
    def aad(self) -> str:
        return f"family_voice:{self.id}"


class FaqReview(Base):
    """A sparring question the FAQ could not answer, or whose answer a professional marked
    as not helpful: for an administrator to teach the bot. Never who asked; a question
    with identifying details is not kept at all."""

    __tablename__ = "faq_review"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    locale: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(String(12))  # unknown, unhelpful
    answered: Mapped[str | None] = mapped_column(String(40), nullable=True)  # the entry shown
    text_sealed: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), index=True)  # open, attached
    entry: Mapped[str | None] = mapped_column(String(40), nullable=True)  # taught as
    created_at: Mapped[datetime] = _ts()
    decided_at: Mapped[datetime | None] = _ts(nullable=True)
    decided_by: Mapped[int | None] = mapped_column(BigInteger, nullable=True)

    @property
    def aad(self) -> str:
        return f"faq_review:{self.id}"
