"""The family's own opt-in: a one-time link or QR code from the coordinator, the family
chooses its language and says yes before any message; then the invitation, reminders
and answers ("I'll come", "another time", "I bring someone", "no more messages", "wipe
my details"). Family buttons are ``f.<action>.<meeting id>``, checked against the opt-in.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from ... import families
from ...audit import audit
from ...cases import current_meeting
from ...db.models import FamilyContact, Meeting, Registration
from ...i18n import LANGUAGE_NAMES, N_, NP_
from ...kernel.buttons import routed
from ...kernel.context import HOME, Ctx, Flow, Redeemed
from ...kernel.events import Button
from ...services.rights import forget_person
from ...text import Markup, lines
from ...tokens import one_time_link, token_hash
from .common import (
    FAMILY,
    FAMILY_PREFIX,
    cancel_pending,
    contact_line,
    coordinator_contact,
    family_message,
    schedule_reminders,
    tell_coordinator,
)

STATE = "family"
# Before the family chose a language: all three at once.
CHOOSE_LANGUAGE = Markup("Kies je taal · Choose your language · اختاروا لغتكم")
ACTIONS = ("yes", "no", "plus", "stop", "forget")
#: Who a family's answer is recorded as in the audit trail: "the family", without the id
#: that would link their Telegram account to the case.
FAMILY_ACTOR = 0


async def family_invitation(ctx: Ctx, registration: Registration, _arg: str = "") -> None:
    """A one-time link and QR code for the family, to hand over in person."""
    token, link = one_time_link(ctx.env.settings, FAMILY_PREFIX)
    days = ctx.env.settings.invitation_ttl_days
    ctx.session.add(FamilyContact(id=str(uuid.uuid4()), registration_id=registration.id,
                                  token_hash=token_hash(token), created_at=ctx.now,
                                  expires_at=ctx.now + timedelta(days=days)))
    audit(ctx.session, ctx.now, ctx.account.user_id, "family_invitation", registration.id)
    tag = f"fam:{token[:8]}"
    ctx.say(ctx.tn(NP_("Uitnodiging voor het gezin van {reference}, {n} dag geldig, één keer "
                       "te gebruiken. Geef de QR-code of de link aan het gezin; het gezin kiest "
                       "zelf de taal en of het berichten wil.",
                       "Uitnodiging voor het gezin van {reference}, {n} dagen geldig, één keer "
                       "te gebruiken. Geef de QR-code of de link aan het gezin; het gezin kiest "
                       "zelf de taal en of het berichten wil."),
                   days, reference=registration.reference) + "\n"
            + ctx.t(N_("In de berichten aan het gezin staan de naam, het telefoonnummer en het "
                       "e-mailadres uit het profiel van de coördinator die de aanmelding "
                       "behandelt, zodat het gezin kan bellen of mailen."))
            + "\n\n" + link, tag=tag)
    ctx.enqueue(ctx.event.chat_id, "document", {
        "render": "qr", "link": link, "filename": "uitnodiging-gezin.png",
        "caption": ctx.t(N_("QR-code voor het gezin"))}, tag=tag)
    # The link is a key: out of the chat after a day (a bot cannot delete after 48 hours).
    ctx.delete_later(tag, ctx.now + timedelta(days=1))


def _choose_language(ctx: Ctx) -> None:
    ctx.say(CHOOSE_LANGUAGE,
            [[ctx.btn(LANGUAGE_NAMES[code], f"fam:lang:{code}")] for code in ("nl", "en", "ar")],
            tag=None)


async def redeem_family(ctx: Ctx, token: str) -> Redeemed:
    """``/start f_<token>``: the family opens the coordinator's invitation."""
    if not token.startswith(FAMILY_PREFIX):
        return Redeemed.NOT_MINE
    contact = (await ctx.session.execute(select(FamilyContact).where(
        FamilyContact.token_hash == token_hash(token[len(FAMILY_PREFIX):])))
    ).scalar_one_or_none()
    # Spent at its first use: after a "Nee" or a wipe nobody can use it again, not even
    # whoever finds the QR code; the one who opened it may go on where they were.
    if contact is None or contact.expires_at <= ctx.now or (
            contact.spent_at is not None
            and not families.belongs_to(ctx.env.cipher, contact, ctx.account.user_id)):
        audit(ctx.session, ctx.now, ctx.account.user_id, "refused", None, "family_link")
        ctx.say(ctx.t(N_("Deze link werkt niet. Misschien is hij al gebruikt of te oud. Vraag de "
                         "coördinator om een nieuwe link.")), tag=None)
        return Redeemed.DONE
    families.bind(ctx.env.cipher, contact, ctx.account.user_id)
    contact.spent_at = contact.spent_at or ctx.now
    ctx.go(STATE, "lang")
    ctx.conv.draft_id = None
    ctx.state.clear()
    ctx.state["contact"] = contact.id
    ctx.tag = None
    _choose_language(ctx)
    return Redeemed.DONE


class FamilyState(Flow):
    """The family's screens: language, consent, then only answers to invitations."""

    name = STATE

    async def text(self, ctx: Ctx) -> None:
        await self.reprompt(ctx)

    async def button(self, ctx: Ctx, kind: str, arg: str) -> None:
        if kind == "fam":
            await family_action(ctx, arg)
        else:
            await ctx.reprompt()

    async def reprompt(self, ctx: Ctx) -> None:
        if ctx.conv.step == "consent":
            ask_family_consent(ctx)
        elif ctx.conv.step == "lang":
            _choose_language(ctx)
        else:
            contact = await ctx.session.get(FamilyContact, str(ctx.state.get("contact")))
            found = {}
            if contact is not None and contact.opted_in_at is not None and \
                    families.belongs_to(ctx.env.cipher, contact, ctx.account.user_id):
                found = await coordinator_contact(ctx.env, ctx.session, contact.registration_id)
            ctx.say(lines(ctx.t(N_("Hier krijg je alleen berichten over je gesprek. Op wat je "
                                   "hier typt, kan ik niet antwoorden.")),
                          contact_line(ctx.env, ctx.locale, found)), tag=None)


async def family_action(ctx: Ctx, arg: str) -> None:
    """Buttons of the family's opt-in (screen buttons "fam:...")."""
    env = ctx.env
    contact = await ctx.session.get(FamilyContact, str(ctx.state.get("contact")))
    if contact is None or not families.belongs_to(env.cipher, contact, ctx.account.user_id):
        ctx.home()
        return
    kind, _, value = arg.partition(":")
    if kind == "lang" and value in ("nl", "en", "ar"):
        ctx.account.locale, ctx.account.locale_chosen = value, True
        ctx.conv.step = "consent"
        ask_family_consent(ctx)
    elif kind == "yes":
        contact.opted_in_at = ctx.now
        ctx.conv.step = "in"
        audit(ctx.session, ctx.now, FAMILY_ACTOR, "family_opt_in", contact.registration_id)
        ctx.say(ctx.t(N_("Dank je. Je krijgt hier berichten over je gesprek.\nOnder elk bericht "
                         "staat de knop 'Geen berichten meer'. Daarmee kun je altijd stoppen.")),
                tag=None)
        meeting = await current_meeting(ctx.session, contact.registration_id)
        if meeting is not None and meeting.status == "planned" and meeting.starts_at > ctx.now:
            await family_message(env, ctx.session, ctx.account.user_id, meeting, ctx.now)
            schedule_reminders(env, ctx.session, meeting, 0, ctx.now, contact=contact.id)
        await tell_coordinator(ctx, contact.registration_id,
                               N_("Het gezin van {reference} krijgt nu berichten over het "
                                  "overleg in de eigen taal ({language})."),
                               language=LANGUAGE_NAMES.get(ctx.locale, ctx.locale))
    elif kind == "no":
        families.unbind(contact)
        ctx.conv.step = ""
        ctx.say(ctx.t(N_("Goed. Je krijgt geen berichten van mij.")), tag=None)
    else:
        await ctx.reprompt()


def ask_family_consent(ctx: Ctx) -> None:
    ctx.say(ctx.t(N_("Hallo. De coördinator gaf je deze link.\nHier kun je berichten krijgen "
                     "over je gesprek met de mensen die je kunnen helpen. Bijvoorbeeld een "
                     "herinnering.\nWil je deze berichten krijgen?")),
            [[ctx.btn(ctx.t(N_("Ja, graag")), "fam:yes"), ctx.btn(ctx.t(N_("Nee")), "fam:no")]],
            tag=None)


async def guard(ctx: Ctx, action: str, meeting_id: str, policy: Any) -> Any:
    """The meeting, when the presser is a family member who opted in for its case."""
    meeting = await ctx.session.get(Meeting, meeting_id)
    contact = None
    if meeting is not None:
        contact = (await ctx.session.execute(select(FamilyContact).where(
            families.of_user(ctx.env.cipher, ctx.account.user_id),
            FamilyContact.registration_id == meeting.registration_id,
            FamilyContact.opted_in_at.is_not(None)))).scalars().first()
    if meeting is None or contact is None or action not in ACTIONS:
        audit(ctx.session, ctx.now, ctx.account.user_id, "refused",
              meeting.registration_id if meeting else None, f"f.{action}.{meeting_id}")
        ctx.say(ctx.t(N_("Dat kan ik niet doen.")), tag=None)
        return None
    return (meeting, contact)


async def stop(ctx: Ctx, found: tuple[Meeting, FamilyContact], _arg: str = "") -> None:
    meeting, contact = found
    contact.stopped_at = ctx.now
    await cancel_pending(ctx.session, meeting.id, ("invitation", "reminder"),
                         contact=contact.id)
    audit(ctx.session, ctx.now, FAMILY_ACTOR, "family_stop", meeting.registration_id)
    ctx.say(ctx.t(N_("Je krijgt geen berichten meer van mij. Wil je ook dat ik je gegevens "
                     "wis?")),
            [[Button(ctx.t(N_("Ja, wis mijn gegevens")), routed(FAMILY, "forget", meeting.id))]],
            tag=None)
    await tell_coordinator(ctx, meeting.registration_id,
                           N_("Het gezin van {reference} wil geen berichten meer."))


async def forget(ctx: Ctx, found: tuple[Meeting, FamilyContact], _arg: str = "") -> None:
    meeting, contact = found
    contact.stopped_at = contact.stopped_at or ctx.now
    await cancel_pending(ctx.session, meeting.id, ("invitation", "reminder"),
                         contact=contact.id)
    registration_id = meeting.registration_id
    audit(ctx.session, ctx.now, FAMILY_ACTOR, "family_forget", registration_id)
    # Their id leaves the scheduled messages, the outbox and the audit trail too, and what
    # they said about their meetings (found through their id: unbound after).
    await forget_person(ctx.env, ctx.session, ctx.account.user_id, ctx.now)
    families.unbind(contact)
    ctx.state.clear()
    ctx.account.locale_chosen = False
    ctx.go(HOME)
    ctx.say(ctx.t(N_("Je gegevens zijn gewist. Dag!")), tag=None)


#: The family's answer to an invitation: what they hear, what the coordinator hears.
ANSWERS = {"yes": (N_("Fijn dat je komt! Ik heb het doorgegeven aan de coördinator."),
                   N_("Het gezin van {reference} komt naar het overleg.")),
           "no": (N_("Ik heb de coördinator om een andere tijd gevraagd. Je krijgt een bericht "
                     "als er een nieuwe tijd is."),
                  N_("Het gezin van {reference} kan niet en vraagt een andere tijd.")),
           "plus": (N_("Goed. Je mag iemand meenemen die je vertrouwt. Ik heb het doorgegeven "
                       "aan de coördinator."),
                    N_("Het gezin van {reference} neemt iemand mee."))}


def answer(action: str) -> Any:
    async def handler(ctx: Ctx, found: tuple[Meeting, FamilyContact], _arg: str = "") -> None:
        meeting, _contact = found
        contact = await coordinator_contact(ctx.env, ctx.session, meeting.registration_id)
        if meeting.status != "planned" or meeting.starts_at <= ctx.now:
            ctx.say(lines(ctx.t(N_("Dit gesprek is al geweest, of het gaat niet door.")),
                          contact_line(ctx.env, ctx.locale, contact)), tag=None)
            return
        to_family, to_coordinator = ANSWERS[action]
        audit(ctx.session, ctx.now, FAMILY_ACTOR, f"family_{action}",
              meeting.registration_id)
        ctx.say(lines(ctx.t(to_family), contact_line(ctx.env, ctx.locale, contact))
                if action == "no" else ctx.t(to_family), tag=None)
        await tell_coordinator(ctx, meeting.registration_id, to_coordinator)

    return handler
