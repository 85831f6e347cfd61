"""The Mini App: case content served by the bot itself over HTTPS, never through a chat.

Telegram opens ``KKS_WEB_URL`` with the launch data in the URL fragment; the launch page
(our own script, no third-party code) posts ``initData`` to ``/session``, which checks it
as the Bot API specifies (:mod:`.initdata`) and opens a server-side session: a random id
in an HttpOnly, Secure, SameSite=Strict cookie, only its SHA-256 stored, a short idle
time and a maximum age (:mod:`kks_bot.pins`). Then the person's PIN, chosen on first use;
five wrong tries lock it until an administrator unlocks it. Every page is checked with
the same rule as the chat's buttons (:func:`kks_bot.cases.allowed`); a refusal is audited
and says nothing about what exists.

Every response: a Content-Security-Policy with a per-request nonce (no inline script),
framing only by Telegram's web client, ``Cache-Control: no-store``, no referrer. Nothing
personal is logged (no access log; ids only in the audit trail).
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import logging
import re
import secrets
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

import jinja2
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession

from ...audit import audit
from ...cases import allowed, policy_of
from ...db.models import AccessSession, Account, Pin, Registration
from ...delivery.documents import official_pdf
from ...delivery.outbox import Rejected
from ...forms.display import PageReader
from ...i18n import N_
from ...people import coordinator_codes
from ...pins import PIN_WRONG, Checked, Lifetimes, has_pin, open_session, tries_left, weak
from ...pins import check as check_pin
from ...pins import choose as choose_pin
from ...pins import current as current_session
from ...runtime import Runtime
from ...services.figures import access as figure_access
from ...services.figures.chart import chart_png
from . import pages
from .health import Health
from .initdata import validate

#: The periods of the figures page, as in the bot's /cijfers.
PERIOD_LABELS = (("year", N_("Dit jaar")), ("last", N_("Vorig jaar")),
                 ("12m", N_("De laatste twaalf maanden")))
log = logging.getLogger(__name__)

HERE = Path(__file__).resolve().parent
COOKIE = "__Host-kks-session"
# Where a launch may lead (the "to" of a Mini App button): nothing else is followed.
TARGET = re.compile(r"(home|admin|case/[0-9a-f-]{36}(/pdf)?)")
# Telegram's web client embeds a Mini App in a frame; its phone and desktop apps open it
# in a web view of their own.
FRAME_ANCESTORS = "https://web.telegram.org"

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
NONCE = web.RequestKey("nonce", str)
CSRF = web.RequestKey("csrf", str)


class MiniApp:
    """The Mini App's routes, mounted at the path of ``KKS_WEB_URL``."""

    def __init__(self, runtime: Runtime, token: str) -> None:
        self.runtime, self.token = runtime, token
        settings = runtime.settings
        parts = urlsplit(settings.web_url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.base = parts.path.rstrip("/")
        self.lifetimes = Lifetimes.of(settings)
        self.templates = jinja2.Environment(
            loader=jinja2.FileSystemLoader(HERE / "templates"), autoescape=True,
            undefined=jinja2.StrictUndefined)
        self._csrf_key = secrets.token_bytes(32)

    # ----------------------------------------------------------------------- the app

    def app(self) -> web.Application:
        app = web.Application(middlewares=[self._headers], client_max_size=64 * 1024)
        app.router.add_get("/", self.launch)
        app.router.add_post("/session", self.session)
        app.router.add_get("/pin", self.pin_page)
        app.router.add_post("/pin", self.pin_post)
        app.router.add_get("/home", self.home)
        app.router.add_get("/case/{id}", self.case)
        app.router.add_get("/case/{id}/pdf", self.pdf)
        app.router.add_get("/admin", self.admin)
        app.router.add_get("/figures", self.figures)
        app.router.add_post("/logout", self.logout)
        app.router.add_static("/static", HERE / "static", append_version=False)
        return app

    @web.middleware
    async def _headers(self, request: web.Request, handler: Handler) -> web.StreamResponse:
        request[NONCE] = secrets.token_urlsafe(18)
        try:
            response = await handler(request)
        except web.HTTPException as exc:  # a redirect or a refusal: the same headers
            self._protect(request, exc)
            raise
        self._protect(request, response)
        return response

    @staticmethod
    def _protect(request: web.Request, response: web.StreamResponse) -> None:
        response.headers["Content-Security-Policy"] = (
            "default-src 'none'; "
            f"script-src 'nonce-{request[NONCE]}'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; form-action 'self'; base-uri 'none'; "
            f"frame-ancestors 'self' {FRAME_ANCESTORS}")
        response.headers["Cache-Control"] = "no-store"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"

    # -------------------------------------------------------------------- rendering

    def _render(self, request: web.Request, name: str, locale: str, *, status: int = 200,
                **context: Any) -> web.Response:
        env = self.runtime.env

        def t(message: str | tuple[str, str], /, **params: object) -> Any:
            return env.tr.t(locale, message, **params)

        html = self.templates.get_template(name).render(
            N_=t, locale=locale, rtl=locale == "ar", base=self.base, nonce=request[NONCE],
            csrf=request.get(CSRF, ""), **context)
        return web.Response(text=html, status=status, content_type="text/html",
                            charset="utf-8")

    def _refused(self, request: web.Request, locale: str, status: int = 404) -> web.Response:
        """The same answer whether the thing does not exist or is not theirs."""
        return self._render(request, "message.html", locale, status=status,
                            title=N_("Niet beschikbaar"),
                            message=N_("Dit kan ik je niet tonen. Het bestaat niet, of het "
                                       "hoort niet bij jouw gemeente(n) of aanmeldingen."))

    def _locale(self, account: Account | None) -> str:
        return account.locale if account else self.runtime.settings.default_locale

    # --------------------------------------------------------------------- sessions

    def _same_origin(self, request: web.Request) -> bool:
        """A form of our own pages. With ``Referrer-Policy: no-referrer`` a browser sends
        ``Origin: null``; then the browser's own ``Sec-Fetch-Site`` (a page cannot set
        it) must say the request came from this origin."""
        origin = request.headers.get("Origin", "")
        if origin == self.origin:
            return True
        return origin in ("", "null") and \
            request.headers.get("Sec-Fetch-Site", "") == "same-origin"

    def _csrf(self, raw: str) -> str:
        return hmac.new(self._csrf_key, raw.encode(), hashlib.sha256).hexdigest()

    async def _who(self, request: web.Request, db: AsyncSession, *,
                   pin: bool = True) -> tuple[AccessSession, Account]:
        """The live session and its person; else to the launch page (no session) or the
        PIN (not past it yet)."""
        raw = request.cookies.get(COOKIE)
        now = self.runtime.clock.now()
        row = await current_session(db, raw, now, self.lifetimes)
        account = await db.get(Account, row.user_id) if row is not None else None
        if row is None or account is None or row.channel != "web":
            raise web.HTTPSeeOther(f"{self.base}/?expired=1")
        assert raw is not None
        request[CSRF] = self._csrf(raw)
        if pin and row.pin_ok_at is None:
            raise web.HTTPSeeOther(f"{self.base}/pin?to={quote(self._target(request))}")
        return row, account

    def _target(self, request: web.Request) -> str:
        path = request.path.removeprefix(self.base).lstrip("/")
        return path if TARGET.fullmatch(path) else "home"

    def _go(self, to: str) -> web.HTTPSeeOther:
        return web.HTTPSeeOther(f"{self.base}/{to if TARGET.fullmatch(to) else 'home'}")

    # ------------------------------------------------------------------------ pages

    async def launch(self, request: web.Request) -> web.StreamResponse:
        """The page Telegram opens: our script posts the launch data to /session."""
        to = request.query.get("to", "home")
        return self._render(request, "launch.html", self.runtime.settings.default_locale,
                            title=N_("KKS-bot"), to=to if TARGET.fullmatch(to) else "home",
                            expired="expired" in request.query)

    async def session(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        now = self.runtime.clock.now()
        user = validate(str(form.get("init_data", "")), self.token, now) \
            if self._same_origin(request) else None
        async with self.runtime.sessions() as db, db.begin():
            account = await db.get(Account, user.user_id) if user is not None else None
            if user is None or account is None:
                audit(db, now, user.user_id if user else 0, "refused", None, "web:launch")
                log.warning("Mini App launch refused (%s)", "no account" if user
                            else "bad, old or foreign initData")
                return self._render(request, "message.html", self._locale(account), status=403,
                                    title=N_("Niet beschikbaar"),
                                    message=N_("Open deze pagina met de knop in de bot, in "
                                               "Telegram op je telefoon."))
            raw = await open_session(db, account.user_id, "web", now)
            audit(db, now, account.user_id, "web_session")
        to = str(form.get("to", "home"))
        response = web.HTTPSeeOther(
            f"{self.base}/pin?to={quote(to if TARGET.fullmatch(to) else 'home')}")
        response.set_cookie(COOKIE, raw, path="/", secure=True, httponly=True,
                            samesite="Strict",
                            max_age=int(self.lifetimes.max_age.total_seconds()))
        raise response

    async def pin_page(self, request: web.Request) -> web.StreamResponse:
        async with self.runtime.sessions() as db, db.begin():
            _row, account = await self._who(request, db, pin=False)
            return await self._pin_form(request, db, account, request.query.get("to", "home"))

    async def _pin_form(self, request: web.Request, db: AsyncSession, account: Account,
                        to: str, error: str | tuple[str, str] = "",
                        status: int = 200) -> web.Response:
        row = await db.get(Pin, account.user_id)
        locale = self._locale(account)
        if row is not None and row.locked_at is not None:
            return self._render(request, "message.html", locale, status=403,
                                title=N_("PIN geblokkeerd"),
                                message=N_("Je PIN is geblokkeerd na vijf foute pogingen. "
                                           "Vraag de beheerder om hem vrij te geven; daarna "
                                           "kies je een nieuwe."))
        return self._render(request, "pin.html", locale, status=status,
                            title=N_("PIN"), choose=row is None, error=error,
                            left=await tries_left(db, account.user_id),
                            to=to if TARGET.fullmatch(to) else "home")

    async def pin_post(self, request: web.Request) -> web.StreamResponse:
        form = await request.post()
        now = self.runtime.clock.now()
        to = str(form.get("to", "home"))
        async with self.runtime.sessions() as db, db.begin():
            row, account = await self._who(request, db, pin=False)
            if not self._same_origin(request) or not hmac.compare_digest(
                    str(form.get("csrf", "")), request[CSRF]):
                audit(db, now, account.user_id, "refused", None, "web:pin")
                return self._refused(request, self._locale(account), 403)
            pin = str(form.get("pin", "")).strip()
            if not await has_pin(db, account.user_id):
                if weak(pin):
                    return await self._pin_form(request, db, account, to, N_(
                        "Kies 5 tot 8 cijfers, niet allemaal hetzelfde en geen reeks als "
                        "12345."), 400)
                if pin != str(form.get("repeat", "")).strip():
                    return await self._pin_form(request, db, account, to, N_(
                        "De twee PIN's zijn niet gelijk. Probeer het opnieuw."), 400)
                await choose_pin(db, account.user_id, pin, now)
                audit(db, now, account.user_id, "pin_chosen")
            else:
                checked = await check_pin(db, account.user_id, pin, now)
                if checked is Checked.LOCKED:
                    audit(db, now, account.user_id, "pin_locked")
                    await self._tell_admins_locked(db, account)
                    return await self._pin_form(request, db, account, to, status=403)
                if checked is not Checked.OK:
                    audit(db, now, account.user_id, "refused", None, "web:pin_wrong")
                    return await self._pin_form(request, db, account, to, PIN_WRONG, 403)
            row.pin_ok_at = now
        raise self._go(to)

    async def _tell_admins_locked(self, db: AsyncSession, account: Account) -> None:
        env = self.runtime.env
        for admin in sorted(env.settings.admins):
            await env.tell(db, admin, self.runtime.clock.now(), lambda loc: env.tr.t(
                loc, N_("⚠️ De PIN van gebruiker {user} is geblokkeerd na vijf foute "
                        "pogingen. Vrijgeven: kks-bot admin unlock-pin {user}"),
                user=account.user_id))

    async def home(self, request: web.Request) -> web.StreamResponse:
        async with self.runtime.sessions() as db, db.begin():
            _row, account = await self._who(request, db)
            locale, env = self._locale(account), self.runtime.env
            reader = PageReader(env, locale)
            cases = await pages.open_cases(env, db, reader, account.user_id)
            own = await pages.own_registrations(env, db, reader, account.user_id)
            return self._render(
                request, "home.html", locale, title=N_("Overzicht"), cases=cases, own=own,
                coordinator=bool(await coordinator_codes(db, account.user_id)),
                admin=account.user_id in env.settings.admins)

    async def case(self, request: web.Request) -> web.StreamResponse:
        async with self.runtime.sessions() as db, db.begin():
            _row, account = await self._who(request, db)
            locale, env, now = self._locale(account), self.runtime.env, self.runtime.clock.now()
            view = await pages.case_view(env, db, PageReader(env, locale), account.user_id,
                                         request.match_info["id"])
            if view is None:
                audit(db, now, account.user_id, "refused", request.match_info["id"],
                      "web:case")
                return self._refused(request, locale)
            audit(db, now, account.user_id, "view", view.id, "web")
            return self._render(request, "case.html", locale, title=view.reference, case=view)

    async def pdf(self, request: web.Request) -> web.StreamResponse:
        async with self.runtime.sessions() as db, db.begin():
            _row, account = await self._who(request, db)
            now, rid = self.runtime.clock.now(), request.match_info["id"]
            registration = await db.get(Registration, rid)
            if not await allowed(db, account.user_id, registration,
                                 policy_of(self.runtime.env, "pdf")):
                audit(db, now, account.user_id, "refused", rid, "web:pdf")
                return self._refused(request, self._locale(account))
            audit(db, now, account.user_id, "export_pdf", rid, "web")
        try:
            reference, body = await official_pdf(self.runtime.sessions, self.runtime.cipher,
                                                 {"registration_id": rid})
        except Rejected:
            return self._refused(request, self._locale(account))
        return web.Response(body=body, content_type="application/pdf", headers={
            "Content-Disposition": f'inline; filename="{reference}.pdf"'})

    async def admin(self, request: web.Request) -> web.StreamResponse:
        async with self.runtime.sessions() as db, db.begin():
            _row, account = await self._who(request, db)
            locale, env = self._locale(account), self.runtime.env
            if account.user_id not in env.settings.admins:
                audit(db, self.runtime.clock.now(), account.user_id, "refused", None,
                      "web:admin")
                return self._refused(request, locale, 403)
            view = await pages.admin_view(env, db, PageReader(env, locale))
            return self._render(request, "admin.html", locale, title=N_("Beheer"), admin=view)

    async def figures(self, request: web.Request) -> web.StreamResponse:
        """The factsheet's key figures and chart for a period and a municipality (or all
        of the user's together): coordinators their own, administrators every one."""
        async with self.runtime.sessions() as db, db.begin():
            _row, account = await self._who(request, db)
            locale, env, now = self._locale(account), self.runtime.env, self.runtime.clock.now()
            codes = await figure_access.allowed_codes(env, db, account.user_id)
            key = request.query.get("p", "year")
            span = figure_access.period(now.astimezone(env.tz).date(), key)
            place = request.query.get("g", "all")
            chosen = codes if place == "all" else [place] if place in codes else []
            if not chosen or span is None:
                audit(db, now, account.user_id, "refused", None, "web:figures")
                return self._refused(request, locale, 403)
            view = await pages.figures_view(env, db, locale, chosen, span,
                                            admin=account.user_id in env.settings.admins)
            audit(db, now, account.user_id, "figures_shown", None, ",".join(chosen)[:80])
        data = view.pop("chart_data")  # no chart for too few families: nothing to draw
        view["chart"] = "" if view["too_small"] else base64.b64encode(
            await asyncio.to_thread(chart_png, data)).decode("ascii")
        names = {m.code: m.name for m in env.directory.all()}
        t = env.tr.t
        return self._render(
            request, "figures.html", locale, title=N_("Cijfers"), chosen_period=key,
            chosen_place=place, periods=[(k, t(locale, label)) for k, label in PERIOD_LABELS],
            places=[(c, names.get(c, c)) for c in codes]
            + ([("all", t(locale, N_("Alle samen")))] if len(codes) > 1 else []), **view)

    async def logout(self, request: web.Request) -> web.StreamResponse:
        async with self.runtime.sessions() as db, db.begin():
            row, account = await self._who(request, db, pin=False)
            if self._same_origin(request):
                await db.delete(row)
                audit(db, self.runtime.clock.now(), account.user_id, "web_logout")
        response = web.HTTPSeeOther(f"{self.base}/?expired=1")
        response.del_cookie(COOKIE, path="/")
        raise response


def mount(app: web.Application, runtime: Runtime, token: str) -> bool:
    """Add the Mini App at the path of ``KKS_WEB_URL`` (nothing without one)."""
    if not runtime.settings.web_url:
        return False
    mini = MiniApp(runtime, token)
    app.add_subapp(mini.base or "/", mini.app())
    return True


async def serve(runtime: Runtime, token: str) -> web.AppRunner | None:
    """Polling mode: the Mini App (with a web address) on ``KKS_WEBHOOK_LISTEN`` (behind
    the TLS reverse proxy), and the health endpoints beside it, or alone on
    ``KKS_HEALTH_LISTEN``. In webhook mode the webhook's server mounts both instead."""
    settings = runtime.settings
    app = web.Application()
    Health(runtime).add_to(app)
    if not mount(app, runtime, token) and not settings.health_listen:
        return None
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    address = settings.webhook_listen if settings.web_url else settings.health_listen
    host, _, port = address.rpartition(":")
    await web.TCPSite(runner, host, int(port)).start()
    log.info("%s listening on %s:%s", "Mini App" if settings.web_url else "health endpoints",
             host, port)
    return runner
