"""``kks-bot``: run the bot on Telegram or in the console, check, manage keys."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from typing import TYPE_CHECKING

from . import __version__
from .config import Settings
from .logging_setup import setup_logging
from .services.figures.arguments import add_arguments as add_factsheet_arguments

if TYPE_CHECKING:
    from .runtime import Runtime


def _settings() -> Settings:
    try:
        return Settings()
    except ValueError as exc:
        raise SystemExit(f"configuration error: {exc}") from None


# Each command loads only what it needs (imports inside the functions below): `check` and
# `keys` start in a fraction of a second without python-telegram-bot, SQLAlchemy or
# aiohttp, and `console` without Telegram.


async def _run(settings: Settings) -> None:
    from .channels.telegram.transport import make_bot

    bot = make_bot(settings)
    runtime = await _build_when_reachable(settings)
    try:
        if settings.webhook_url:
            # The webhook's server (aiohttp, the Mini App's Jinja) only in webhook mode.
            from .channels.telegram.webhook import run_webhook

            await run_webhook(runtime, bot)
        else:
            from .channels.telegram.polling import run_polling

            await run_polling(runtime, bot)
    finally:
        await runtime.close()


async def _build_when_reachable(settings: Settings) -> Runtime:
    """Open the database; while it does not answer, a clear line and a back-off (a bot
    started before its database, as containers are, waits instead of crashing)."""
    from sqlalchemy.exc import InterfaceError, OperationalError

    from .runtime import build

    delay = 1.0
    while True:
        try:
            return await build(settings)
        except (OSError, OperationalError, InterfaceError) as exc:
            where = settings.database_url.split("@")[-1]
            logging.getLogger("kks_bot").error(
                "the database (%s) does not answer (%s); trying again in %.0f s", where,
                type(exc).__name__, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 60)


async def _console(settings: Settings, language: str | None, user_id: int) -> None:
    from .channels.console import run_console
    from .runtime import build

    runtime = await build(settings)
    try:
        await run_console(runtime, language=language, user_id=user_id)
    finally:
        await runtime.close()


def _check() -> int:
    from .checks import run_checks

    problems = run_checks()
    for problem in problems:
        print(f"- {problem}")  # noqa: T201
    if problems:
        print(f"{len(problems)} problem(s) found.")  # noqa: T201
        return 1
    print("Conversations and catalogues are valid.")  # noqa: T201
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="kks-bot", description=__doc__)
    parser.add_argument("--version", action="version", version=__version__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="run the Telegram bot (polling; a webhook with KKS_WEBHOOK_URL)")
    console = sub.add_parser("console", help="try the bot in this terminal")
    console.add_argument("--lang", choices=["nl", "en", "ar"], default=None,
                         help="language to start in (can be changed with /taal)")
    console.add_argument("--user", type=int, default=1, help="console user id")
    check = sub.add_parser("check", help="validate the conversations and the translations")
    check.add_argument("--live", action="store_true",
                       help="also reach the database, the Bot API, SMTP and the web address")
    sub.add_parser("migrate", help="bring the database schema up to date")
    keys = sub.add_parser("keys", help="encryption keys: generate, rotate, retire")
    keys.add_argument("action", choices=["generate", "rotate", "retire"])
    keys.add_argument("key_id", nargs="?", help="retire: the key no value uses any more")
    keys.add_argument("--resume", action="store_true",
                      help="rotate: go on under the active key (no new key)")
    keys.add_argument("--batch", type=int, default=200, help="rotate: rows per transaction")
    keys.add_argument("--pause", type=float, default=0.0,
                      help="rotate: seconds between batches, to spare a busy database")
    admin = sub.add_parser("admin", help="coordinators and municipalities")
    admin_sub = admin.add_subparsers(dest="admin_command", required=True)
    invite = admin_sub.add_parser("invite", help="a one-time invitation link for a coordinator")
    invite.add_argument("codes", nargs="+", help="CBS codes of the municipalities, e.g. GM0917")
    admin_sub.add_parser("coordinators", help="list coordinators")
    deactivate = admin_sub.add_parser("deactivate", help="deactivate a coordinator")
    deactivate.add_argument("user_id", type=int)
    audit = admin_sub.add_parser("audit", help="the audit trail (NEN 7513)")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True)
    show = audit_sub.add_parser("show", help="who did what to a case, and when")
    show.add_argument("--reference", required=True, help="e.g. KKS-2026-0001")
    audit_sub.add_parser("verify", help="check the hash chain: exit 1 names what changed")
    export = admin_sub.add_parser("export", help="everything stored about a case (JSON, PDF)")
    export.add_argument("reference", help="e.g. KKS-2026-0001")
    export.add_argument("--out", default=".", help="folder for the two files (owner-only)")
    erase = admin_sub.add_parser("erase", help="erase a case from every table")
    erase.add_argument("reference")
    erase_user = admin_sub.add_parser("erase-user", help="erase a person (a professional "
                                      "who leaves, a family) by Telegram id")
    erase_user.add_argument("user_id", type=int)
    for rights in (export, erase, erase_user):
        rights.add_argument("--yes", action="store_true", help="do not ask to confirm")
    faq = admin_sub.add_parser("faq", help="questions the FAQ could not answer: teach, write "
                               "a new entry or drop; the entries written; the figures")
    faq.add_argument("faq_command", choices=["list", "attach", "discard", "new", "entries",
                                             "retire", "figures"])
    faq.add_argument("review", nargs="?", help="attach/discard/new: the question's id (its "
                     "first letters do); retire: the entry's id")
    faq.add_argument("entry", nargs="?", help="attach: the FAQ entry that answers it")
    for language in ("nl", "en", "ar"):
        for kind in ("question", "answer"):
            faq.add_argument(f"--{kind}-{language}", dest=f"{kind}_{language}",
                             help=f"new: the {kind} in {language} (else asked)")
    faq.add_argument("--taal", choices=["nl", "en", "ar"], default="en",
                     help="the language of messages and figures")
    faq.add_argument("--period", choices=["year", "last", "12m"], default="12m",
                     help="figures: this year, last year, the last twelve months")
    outbox = admin_sub.add_parser("outbox", help="messages that wait or were given up")
    outbox.add_argument("--requeue", action="store_true",
                        help="try the given-up ones again (not: blocked the bot, revoked)")
    retention = admin_sub.add_parser("retention", help="delete what the schedule says is due")
    retention.add_argument("--dry-run", action="store_true",
                           help="only count what the next run would delete")
    admin_sub.add_parser("pending", help="coordinator requests waiting for approval")
    unlock = admin_sub.add_parser("unlock-pin", help="clear a locked PIN (a new one is chosen)")
    unlock.add_argument("user_id", type=int)
    for verb in ("approve", "reject"):
        decide = admin_sub.add_parser(verb, help=f"{verb} a coordinator's request")
        decide.add_argument("user_id", type=int)
    admin_sub.add_parser("municipalities", help="list municipalities and their coordinators")
    municipality = admin_sub.add_parser(
        "municipality", help="add or change a municipality (CBS code, name, postcodes)")
    municipality.add_argument("code", help="CBS code, e.g. GM0917")
    municipality.add_argument("name")
    municipality.add_argument("--postcodes", default="",
                              help="postcode digits it covers, e.g. 6400-6433,6436")
    municipality.add_argument("--subregion", default="")
    municipality.add_argument("--inactive", action="store_true",
                              help="its Knooppunt is not active (yet)")
    mailbox = admin_sub.add_parser("mailbox", help="set a municipality's secure mailbox")
    mailbox.add_argument("code")
    mailbox.add_argument("address")
    add_factsheet_arguments(admin_sub)
    args = parser.parse_args(argv)
    os.umask(0o077)  # every file the bot writes (database, WAL, exports) is owner-only

    if args.command == "check" and not args.live:
        return _check()
    if args.command == "keys" and args.action == "generate":
        from .crypto import generate_key

        print(f"KKS_ENCRYPTION_KEYS=k1:{generate_key()}")  # noqa: T201
        return 0
    if args.command == "keys" and args.action == "retire" and not args.key_id:
        parser.error("keys retire needs the id of the key")
    settings = _settings()
    secrets = [settings.telegram_bot_token.get_secret_value()]
    setup_logging(settings.log_level, secrets)
    if args.command == "run":
        asyncio.run(_run(settings))
    elif args.command == "console":
        setup_logging("WARNING", secrets)
        asyncio.run(_console(settings, args.lang, args.user))
    elif args.command == "check":
        from .live_check import live

        return _check() or asyncio.run(live(settings))
    elif args.command == "keys":
        from .keys_cli import run_keys

        return asyncio.run(run_keys(settings, args))
    elif args.command == "admin":
        from .admin import run_admin

        return asyncio.run(run_admin(settings, args))
    elif args.command == "migrate":
        from .runtime import build

        async def _migrate() -> None:
            runtime = await build(settings)
            await runtime.close()

        asyncio.run(_migrate())
    return 0


if __name__ == "__main__":
    sys.exit(main())
