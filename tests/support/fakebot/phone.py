"""A terminal "phone" for a developer: talk to a bot running against the fake server.

    python -m tests.support.fakebot --port 8081
"""


from __future__ import annotations

import argparse
import sys
import threading
from collections.abc import Callable

from .api import FakeBotApi
from .common import DEFAULT_TOKEN, FakeMessage, buttons
from .server import FakeBotApiServer

# ---------------------------------------------------------------------------------------------
# Interactive terminal "phone"
# ---------------------------------------------------------------------------------------------


def _out(text: str) -> None:
    sys.stdout.write(text + "\n")
    sys.stdout.flush()


def _describe(message: FakeMessage) -> str:
    if message.text is not None:
        body = message.text
    else:
        body = f"[{message.kind}]" + (f" {message.caption}" if message.caption else "")
    lines = [f"bot #{message.message_id}: {body}"]
    row_texts: list[str] = []
    number = 0
    for row in (message.reply_markup or {}).get("inline_keyboard") or []:
        labels = []
        for button in row:
            number += 1
            app = button.get("web_app")
            opens = f" (Mini App: {app.get('url', '')})" if isinstance(app, dict) else ""
            labels.append(f"[{number}] {button.get('text', '')}{opens}")
        row_texts.append("   " + "  ".join(labels))
    lines.extend(row_texts)
    keyboard = (message.reply_markup or {}).get("keyboard")
    if keyboard:
        labels = [b if isinstance(b, str) else str(b.get("text", "")) for r in keyboard for b in r]
        lines.append("   keyboard: " + " | ".join(labels))
    return "\n".join(lines)


def _watch(api: FakeBotApi, user_id: int, stop: threading.Event) -> None:
    seen: dict[int, tuple[int, bool]] = {}
    answers_seen = 0
    version = -1

    def changed(current: FakeBotApi) -> bool:
        return current.version != version

    while not stop.is_set():
        api.wait_for(changed, timeout=0.5)
        version = api.version
        for message in api.all_bot_messages(user_id):
            state = (message.edited_count, message.deleted)
            before = seen.get(message.message_id)
            if before == state:
                continue
            seen[message.message_id] = state
            if message.deleted:
                if before is not None:
                    _out(f"(bot deleted #{message.message_id})")
            elif before is None:
                _out(_describe(message))
            else:
                _out("(edited) " + _describe(message))
        answers = api.callback_answers()
        for answer in answers[answers_seen:]:
            if answer.get("text"):
                kind = "alert" if answer.get("show_alert") else "toast"
                _out(f"({kind}) {answer['text']}")
        answers_seen = len(answers)


_PHONE_HELP = """Type a line to send it as a text message.
  /press N     press button N of the last bot message with buttons
  /photo [caption]  /sticker  /voice  /location  /document
  /block  /unblock  /quit (or Ctrl-D)"""


def _phone_command(api: FakeBotApi, user_id: int, lang: str | None, line: str) -> bool:
    """Handles a local phone command; False when the line is not one."""
    word, _, rest = line.partition(" ")
    if word == "/press":
        with_buttons = [m for m in api.bot_messages(user_id) if buttons(m)]
        if not with_buttons:
            _out("(no bot message with buttons)")
            return True
        target = with_buttons[-1]
        options = buttons(target)
        try:
            index = int(rest.strip()) - 1
            if not 0 <= index < len(options):
                raise ValueError
        except ValueError:
            _out(f"(choose a button 1-{len(options)})")
            return True
        if options[index][1].startswith("webapp:"):
            _out("(a phone opens the Mini App here: " + options[index][1][7:] + ")")
            return True
        if not options[index][1]:
            _out("(that is not a callback button)")
            return True
        api.push_callback(user_id, options[index][1], target.message_id, language_code=lang)
        return True
    actions: dict[str, Callable[[], int]] = {
        "/photo": lambda: api.push_photo(user_id, caption=rest or None, language_code=lang),
        "/sticker": lambda: api.push_sticker(user_id, language_code=lang),
        "/voice": lambda: api.push_voice(user_id, language_code=lang),
        "/location": lambda: api.push_location(user_id, language_code=lang),
        "/document": lambda: api.push_document(user_id, language_code=lang),
        "/block": lambda: api.block_bot(user_id),
        "/unblock": lambda: api.unblock_bot(user_id),
    }
    action = actions.get(word)
    if action is None:
        return False
    action()
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fake Telegram Bot API with a terminal phone")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    parser.add_argument("--token", default=DEFAULT_TOKEN)
    parser.add_argument("--bot-username", default="kks_test_bot")
    parser.add_argument("--user-id", type=int, default=1000)
    parser.add_argument("--lang", default="nl", help='language_code of the user ("" for none)')
    parser.add_argument("--first-name", default="Test")
    args = parser.parse_args(argv)

    api = FakeBotApi(token=args.token, bot_username=args.bot_username)
    lang: str | None = args.lang or None
    api.add_user(args.user_id, first_name=args.first_name, language_code=lang)
    server = FakeBotApiServer(api, host=args.host, port=args.port)
    url = server.start()
    _out(f"Fake Bot API at {url}  (python-telegram-bot: base_url={url}/bot)")
    _out(f"Bot token: {args.token}")
    _out(f"You are user {args.user_id} ({args.first_name}, language {lang}).")
    _out(_PHONE_HELP)
    stop = threading.Event()
    watcher = threading.Thread(target=_watch, args=(api, args.user_id, stop), daemon=True)
    watcher.start()
    try:
        while True:
            try:
                line = input()
            except EOFError:
                break
            line = line.rstrip("\n")
            if not line.strip():
                continue
            if line.strip() == "/quit":
                break
            if not _phone_command(api, args.user_id, lang, line.strip()):
                api.push_text(args.user_id, line, language_code=lang, first_name=args.first_name)
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        server.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

