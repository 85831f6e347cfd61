"""The floor for bench/speed.py: a bare python-telegram-bot echo bot (its Application,
polling), against the same fake Bot API. Not part of the product.

    TELEGRAM_BOT_TOKEN=... TELEGRAM_API_BASE_URL=http://127.0.0.1:port python bench/echo_bot.py
"""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import Application, ContextTypes, MessageHandler, filters


async def echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    if update.message and update.message.text:
        await update.message.reply_text(update.message.text)


def main() -> None:
    base = os.environ["TELEGRAM_API_BASE_URL"].rstrip("/")
    app = (Application.builder().token(os.environ["TELEGRAM_BOT_TOKEN"])
           .base_url(base + "/bot").base_file_url(base + "/file/bot").build())
    app.add_handler(MessageHandler(filters.TEXT, echo))
    app.run_polling(poll_interval=0.0, timeout=10)


if __name__ == "__main__":
    main()
