"""``kks-bot admin``: set up coordinators before anyone has Telegram open."""

from __future__ import annotations

import argparse
import json
import os
import re
from datetime import timedelta
from pathlib import Path

from sqlalchemy import and_, func, or_, select, update

from . import pins
from .audit import audit, chain, verify
from .config import Settings
from .db.models import (
    AuditEvent,
    Coordinator,
    CoordinatorMunicipality,
    Municipality,
    Outbox,
    Registration,
)
from .delivery.documents import official_pdf
from .directory import expand_postcodes
from .flows.casework import onboarding
from .flows.sparring import learned, learning
from .forms.parsers import ParseError
from .people import covered_codes, create_invitation
from .runtime import Runtime, build
from .services import rights
from .services.figures.access import period
from .services.figures.command import run_factsheet
from .services.figures.faq import faq_figures, faq_lines
from .services.retention import compact, purge
from .text import FSI, PDI, plain_text
from .tokens import start_link


async def _audit(runtime: Runtime, args: argparse.Namespace) -> int:
    """``admin audit show --reference R`` (who did what to the case, and when) and
    ``admin audit verify`` (the hash chain: any changed, removed or moved entry)."""
    async with runtime.sessions() as session, session.begin():
        if args.audit_command == "verify":
            problems = await verify(session)
            for problem in problems:
                print(problem)  # noqa: T201
            count = (await session.execute(select(func.count()).select_from(AuditEvent)))
            print(f"{count.scalar_one()} entries; "  # noqa: T201
                  + ("the chain is intact" if not problems else f"{len(problems)} problem(s)"))
            return 1 if problems else 0
        await chain(session)
        registration = (await session.execute(select(Registration).where(
            Registration.reference == args.reference.strip().upper()))).scalar_one_or_none()
        if registration is None:
            print("no such reference")  # noqa: T201
            return 2
        rows = (await session.execute(select(AuditEvent).where(
            AuditEvent.registration_id == registration.id).order_by(AuditEvent.seq))).scalars()
        for row in rows:
            print(f"{row.at.isoformat(timespec='seconds')}\t{row.actor_id}\t"  # noqa: T201
                  f"{row.action}\t{row.detail or ''}")
        audit(session, runtime.clock.now(), 0, "audit_shown", registration.id, "cli")
        return 0


def _confirmed(args: argparse.Namespace, what: str, answer: str) -> bool:
    """Every right is confirmed before it acts: type the reference (or the id) again."""
    if args.yes:
        return True
    print(what)  # noqa: T201
    typed = input(f"Type {answer} to go on: ").strip().upper()
    if typed != answer.upper():
        print("Not confirmed; nothing was done.")  # noqa: T201
        return False
    return True


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


async def _rights(runtime: Runtime, args: argparse.Namespace) -> int:
    """``admin export|erase <reference>`` and ``admin erase-user <telegram id>``."""
    env = runtime.env
    if args.admin_command == "erase-user":
        if not _confirmed(args, f"Erase Telegram user {args.user_id}: account, profile, drafts, "
                          "PIN, sparring questions, and their id everywhere else.",
                          str(args.user_id)):
            return 1
        async with runtime.sessions() as session, session.begin():
            await onboarding.deactivate(env, session, args.user_id, 0, runtime.clock.now())
            erased = await rights.erase_user(env, session, args.user_id, 0)
    else:
        async with runtime.sessions() as session, session.begin():
            registration = await rights.find_case(session, args.reference)
            if registration is None:
                print("no such reference")  # noqa: T201
                return 2
            reference, rid = registration.reference, registration.id
            if args.admin_command == "export":
                folder = Path(args.out)
                if not _confirmed(args, f"Write {reference} decrypted (JSON and PDF) to "
                                  f"{folder}.", reference):
                    return 1
                exported = await rights.export_case(env, session, registration, 0)
                purged = registration.purged_at is not None
            else:
                if not _confirmed(args, f"Erase {reference} from every table, the outbox "
                                  "and the scheduled messages included. This cannot be undone.",
                                  reference):
                    return 1
                erased = await rights.erase_case(env, session, registration, 0)
        if args.admin_command == "export":
            _write_private(folder / f"{reference}.json", json.dumps(
                exported, ensure_ascii=False, indent=2).encode("utf-8"))
            print(f"wrote {folder / (reference + '.json')}")  # noqa: T201
            if not purged:
                _name, pdf = await official_pdf(runtime.sessions, env.cipher,
                                                {"registration_id": rid})
                _write_private(folder / f"{reference}.pdf", pdf)
                print(f"wrote {folder / (reference + '.pdf')}")  # noqa: T201
            return 0
    await compact(runtime.sessions, runtime.settings)
    for name, count in erased.counts.items():
        print(f"{name}\t{count}")  # noqa: T201
    print("erased")  # noqa: T201
    return 0


#: Why a row ended for good: trying again cannot help (the user blocked the bot, access
#: was revoked, the message was already there).
FINAL_ERRORS = ("unreachable", "revoked")


async def _outbox(runtime: Runtime, args: argparse.Namespace) -> int:
    """``admin outbox``: what waits after failures, and what was given up; ``--requeue``
    sends the given-up ones again (never content: kinds, chats, errors)."""
    now = runtime.clock.now()
    async with runtime.sessions() as session, session.begin():
        rows = (await session.execute(select(Outbox).where(or_(
            and_(Outbox.status == "pending", Outbox.attempts > 0),
            Outbox.status == "failed")).order_by(Outbox.id))).scalars().all()
        for row in rows:
            age = (now - row.created_at).total_seconds() / 3600
            print(f"{row.id}\t{row.status}\t{row.kind}\tchat {row.chat_id}\t"  # noqa: T201
                  f"{row.attempts} attempts\t{age:.1f} h\t{row.error or ''}")
        again = [r for r in rows if r.status == "failed" and (r.error or "") not in FINAL_ERRORS]
        if args.requeue:
            await session.execute(update(Outbox).where(Outbox.id.in_([r.id for r in again]))
                                  .values(status="pending", attempts=0, error=None,
                                          created_at=now, next_attempt_at=now))
            audit(session, now, 0, "outbox_requeued", detail=str(len(again)))
            print(f"{len(again)} message(s) queued again")  # noqa: T201
        else:
            print(f"{len(rows)} row(s); {len(again)} can be tried again with "  # noqa: T201
                  "--requeue")
    return 0


def _typed(runtime: Runtime, args: argparse.Namespace, name: str) -> str:
    """A text of a new entry: from its flag, or asked until it is right."""
    given = getattr(args, name, None)
    while True:
        raw = given if given is not None else input(f"{name.replace('_', ' ')}: ")
        try:
            return learned.clean(name, raw)
        except ParseError as exc:
            said = runtime.env.tr.t(args.taal, exc.message, **exc.params)
            print(plain_text(str(said)).replace(FSI, "").replace(PDI, ""))  # noqa: T201
            if given is not None:
                raise
            continue


async def _faq_entries(runtime: Runtime, args: argparse.Namespace) -> int:
    """``admin faq new <review id> | entries | retire <entry id> | figures``."""
    now = runtime.clock.now()
    if args.faq_command == "figures":
        span = period(runtime.env.clock.now().date(), args.period)
        assert span is not None
        async with runtime.sessions() as session:
            figures = await faq_figures(session, *span)
            for line in await faq_lines(session, runtime.env.tr, args.taal, figures):
                print(line.replace(FSI, "").replace(PDI, ""))  # noqa: T201
        return 0
    async with runtime.sessions() as session, session.begin():
        if args.faq_command == "entries":
            for row in await learned.everyone(session):
                print(f"{row.id}\t{row.status}\t"  # noqa: T201
                      f"{row.created_at.date().isoformat()}\t{row.question('nl')}")
            return 0
        if args.faq_command == "retire":
            if not await learned.retire(session, args.review or "", 0, now):
                print("no such active entry; see: kks-bot admin faq entries")  # noqa: T201
                return 2
            print(f"retired {args.review}: no longer answered")  # noqa: T201
            return 0
        found = [r for r, _ in await learning.open_reviews(runtime.env, session)
                 if args.review and r.id.startswith(args.review)]
        if len(found) != 1:
            print("no such question (or more than one starts so)")  # noqa: T201
            return 2
        try:
            texts = {name: _typed(runtime, args, name) for name in learned.FIELDS}
        except ParseError:
            return 2
        entry = await learned.create(session, found[0].id, texts, 0, now)
        if entry is None:
            print("the question was decided meanwhile; nothing saved")  # noqa: T201
            return 2
        print(f"saved {entry.id}; the running bot answers it within a few "  # noqa: T201
              "minutes")
    return 0


async def _faq(runtime: Runtime, args: argparse.Namespace) -> int:
    """``admin faq list | attach <id> <entry> | discard <id>``: the review list
    (flows/sparring/learning.py); the running bot learns an attached question within a
    few minutes. New entries: :func:`_faq_entries`."""
    if args.faq_command in ("new", "entries", "retire", "figures"):
        return await _faq_entries(runtime, args)
    now = runtime.clock.now()
    async with runtime.sessions() as session, session.begin():
        reviews = await learning.open_reviews(runtime.env, session)
        if args.faq_command == "list":
            for review, text in reviews:
                shown = f" (answered: {review.answered})" if review.answered else ""
                print(f"{review.id[:8]}\t{review.locale}\t{review.reason}{shown}\t"  # noqa: T201
                      f"{text}")
            print(f"{len(reviews)} question(s); entries: "  # noqa: T201
                  + ", ".join(learning.ENTRIES))
            return 0
        found = [r for r, _ in reviews if args.review and r.id.startswith(args.review)]
        if len(found) != 1:
            print("no such question (or more than one starts so)")  # noqa: T201
            return 2
        if args.faq_command == "attach":
            if not await learning.attach(session, found[0].id, args.entry or "", 0, now):
                print("unknown entry; see: kks-bot admin faq list")  # noqa: T201
                return 2
            print(f"taught as an example of {args.entry}")  # noqa: T201
        else:
            await learning.discard(session, found[0].id, 0, now)
            print("dropped")  # noqa: T201
    return 0


async def run_admin(settings: Settings, args: argparse.Namespace) -> int:
    runtime = await build(settings)
    now = runtime.clock.now()
    try:
        if args.admin_command == "audit":
            return await _audit(runtime, args)
        if args.admin_command == "faq":
            return await _faq(runtime, args)
        if args.admin_command == "outbox":
            return await _outbox(runtime, args)
        if args.admin_command in ("export", "erase", "erase-user"):
            return await _rights(runtime, args)
        if args.admin_command == "factsheet":
            return await run_factsheet(runtime.env, args)
        if args.admin_command == "retention":
            counts = await purge(runtime.env, dry_run=args.dry_run)
            verb = "would delete" if args.dry_run else "deleted"
            for name, count in counts.items():
                print(f"{name}\t{count}")  # noqa: T201
            print(f"{verb} {sum(counts.values())} row(s)")  # noqa: T201
            return 0
        async with runtime.sessions() as session, session.begin():
            if args.admin_command == "invite":
                codes = [c.upper() for c in args.codes]
                known = {m.code for m in (await session.execute(select(Municipality)))
                         .scalars()}
                unknown = [c for c in codes if c not in known]
                if unknown:
                    print(f"unknown municipality code(s): {', '.join(unknown)}")  # noqa: T201
                    return 2
                token = await create_invitation(
                    session, codes, now, timedelta(days=settings.invitation_ttl_days))
                audit(session, now, 0, "invitation_created", detail=",".join(codes))
                link = start_link(settings, token)
                print(f"Invitation for {', '.join(codes)}, valid "  # noqa: T201
                      f"{settings.invitation_ttl_days} days, single use:\n{link}")
            elif args.admin_command == "coordinators":
                rows = (await session.execute(
                    select(Coordinator, CoordinatorMunicipality.code).join(
                        CoordinatorMunicipality,
                        CoordinatorMunicipality.user_id == Coordinator.user_id)
                    .order_by(Coordinator.user_id))).all()
                for coordinator, code in rows:
                    state = "active" if coordinator.active else "deactivated"
                    print(f"{coordinator.user_id}\t{code}\t{state}")  # noqa: T201
            elif args.admin_command == "deactivate":
                if not await onboarding.deactivate(runtime.env, session, args.user_id, 0, now):
                    print("no such active coordinator")  # noqa: T201
                    return 2
                print(f"deactivated {args.user_id}")  # noqa: T201
            elif args.admin_command == "unlock-pin":
                if not await pins.unlock(session, args.user_id, now):
                    print("that user has no PIN")  # noqa: T201
                    return 2
                audit(session, now, 0, "pin_unlocked", detail=str(args.user_id))
                print(f"PIN of {args.user_id} cleared: they choose a new one")  # noqa: T201
            elif args.admin_command == "pending":
                for invitation in await onboarding.pending_requests(session):
                    who = onboarding.identity(runtime.env, invitation)
                    print(f"{invitation.used_by}\t{invitation.municipalities}\t"  # noqa: T201
                          f"{who.get('name') or '-'}\t@{who.get('username') or '-'}")
            elif args.admin_command in ("approve", "reject"):
                pending = [i for i in await onboarding.pending_requests(session)
                           if i.used_by == args.user_id]
                if not pending:
                    print("no request of that user waits")  # noqa: T201
                    return 2
                decide = onboarding.approve if args.admin_command == "approve" \
                    else onboarding.reject
                for invitation in pending:
                    await decide(runtime.env, session, invitation, 0, now)
                done = "approved" if args.admin_command == "approve" else "rejected"
                print(f"{done} {args.user_id}")  # noqa: T201
            elif args.admin_command == "mailbox":
                municipality = await session.get(Municipality, args.code.upper())
                if municipality is None:
                    print("unknown municipality code")  # noqa: T201
                    return 2
                municipality.mailbox = args.address.strip()
                audit(session, now, 0, "mailbox_set", detail=municipality.code)
                print(f"{municipality.name}: official copies go to {municipality.mailbox}")  # noqa: T201
            elif args.admin_command == "municipality":
                code = args.code.upper()
                if not re.fullmatch(r"GM\d{4}", code):
                    print("a CBS code looks like GM0917")  # noqa: T201
                    return 2
                try:
                    expand_postcodes(args.postcodes)
                except ValueError:
                    print("postcodes look like 6400-6433,6436")  # noqa: T201
                    return 2
                place = await session.get(Municipality, code)
                if place is None:
                    place = Municipality(code=code)
                    session.add(place)
                place.name, place.subregion = args.name.strip(), args.subregion.strip()
                place.postcodes, place.knooppunt_active = args.postcodes.replace(" ", ""), \
                    not args.inactive
                audit(session, now, 0, "municipality_saved", detail=code)
                print(f"{code}\t{place.name}\tsaved (the running bot sees it after a "  # noqa: T201
                      "restart)")
            elif args.admin_command == "municipalities":
                covered = await covered_codes(session)
                for m in (await session.execute(select(Municipality).order_by(Municipality.name))
                          ).scalars():
                    mark = "coordinator" if m.code in covered else "NO coordinator"
                    print(f"{m.code}\t{m.name}\t{mark}")  # noqa: T201
        return 0
    finally:
        await runtime.close()
