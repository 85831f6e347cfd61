"""The Bot API methods of the fake (getMe, sendMessage, editMessageText, ...), checked as
Telegram checks them; called by :class:`~.api.FakeBotApi` with its lock held."""


from __future__ import annotations

import contextlib
import re
from collections.abc import Mapping
from typing import Any

from .common import (
    BOT_COMMAND_NAME_RE,
    CALLBACK_ANSWER_WINDOW_SECONDS,
    CHAT_ACTIONS,
    DELETE_WINDOW_SECONDS,
    MAX_CALLBACK_ANSWER_LENGTH,
    MAX_CAPTION_LENGTH,
    MAX_TEXT_LENGTH,
    NOT_MODIFIED,
    ApiError,
    FakeMessage,
    FakeUpload,
    JSONDict,
    StoredFile,
    User,
    bad_request,
    check_reply_markup,
    inline_keyboard,
    scope_key,
    utf16_length,
)
from .markup import render


class BotMethods:
    """Mixed into :class:`~.api.FakeBotApi`, whose state the methods use."""


    def _api_getMe(self, params: JSONDict) -> JSONDict:
        return {
            **self.bot_user,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _api_deleteWebhook(self, params: JSONDict) -> bool:
        if params.get("drop_pending_updates"):
            self._updates.clear()
        self.webhook = None
        return True

    def _api_setWebhook(self, params: JSONDict) -> bool:
        url = str(params.get("url") or "")
        secret = params.get("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", str(secret)):
            raise bad_request("secret token contains unallowed characters")
        self.webhook = {"url": url, "secret_token": secret,
                        "allowed_updates": params.get("allowed_updates")} if url else None
        return True

    def _api_getWebhookInfo(self, params: JSONDict) -> JSONDict:
        pending = len(self._updates)
        url = self.webhook["url"] if self.webhook else ""
        return {"url": url, "has_custom_certificate": False, "pending_update_count": pending}

    def _api_setMyCommands(self, params: JSONDict) -> bool:
        commands = params.get("commands")
        if not isinstance(commands, list):
            raise bad_request('parameter "commands" is required')
        if len(commands) > 100:
            raise bad_request("too many commands specified")
        cleaned: list[JSONDict] = []
        for command in commands:
            if not isinstance(command, Mapping):
                raise bad_request("can't parse BotCommand")
            name = str(command.get("command", ""))
            description = str(command.get("description", ""))
            if not BOT_COMMAND_NAME_RE.fullmatch(name):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(description) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": name, "description": description})
        key = (scope_key(params.get("scope")), str(params.get("language_code") or ""))
        self._commands[key] = cleaned
        return True

    def _api_getMyCommands(self, params: JSONDict) -> list[JSONDict]:
        key = (scope_key(params.get("scope")), str(params.get("language_code") or ""))
        return list(self._commands.get(key, []))

    def _api_deleteMyCommands(self, params: JSONDict) -> bool:
        key = (scope_key(params.get("scope")), str(params.get("language_code") or ""))
        self._commands.pop(key, None)
        return True

    def _set_bot_text(self, kind: str, params: JSONDict, limit: int) -> bool:
        value = str(params.get(kind) or "")
        if len(value) > limit:
            raise bad_request(f"{kind} is too long")
        self._bot_texts[(kind, str(params.get("language_code") or ""))] = value
        return True

    def _get_bot_text(self, kind: str, params: JSONDict) -> JSONDict:
        lang = str(params.get("language_code") or "")
        value = self._bot_texts.get((kind, lang), self._bot_texts.get((kind, ""), ""))
        if kind == "name" and not value:
            value = self.bot_first_name
        return {kind: value}

    def _api_setMyDescription(self, params: JSONDict) -> bool:
        return self._set_bot_text("description", params, 512)

    def _api_getMyDescription(self, params: JSONDict) -> JSONDict:
        return self._get_bot_text("description", params)

    def _api_setMyShortDescription(self, params: JSONDict) -> bool:
        return self._set_bot_text("short_description", params, 120)

    def _api_getMyShortDescription(self, params: JSONDict) -> JSONDict:
        return self._get_bot_text("short_description", params)

    def _api_setMyName(self, params: JSONDict) -> bool:
        return self._set_bot_text("name", params, 64)

    def _api_getMyName(self, params: JSONDict) -> JSONDict:
        return self._get_bot_text("name", params)

    def _api_setChatMenuButton(self, params: JSONDict) -> bool:
        chat = params.get("chat_id")
        button = params.get("menu_button") or {"type": "default"}
        self._menu_buttons[chat if isinstance(chat, int) else None] = dict(button)
        return True

    def _api_getChatMenuButton(self, params: JSONDict) -> JSONDict:
        chat = params.get("chat_id")
        key = chat if isinstance(chat, int) else None
        return dict(self._menu_buttons.get(key, self._menu_buttons.get(None, {"type": "commands"})))

    def _target_chat(self, params: JSONDict) -> User:
        chat_id = params.get("chat_id")
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        user = self._users.get(chat_id) if isinstance(chat_id, int) else None
        if user is None:
            raise bad_request("chat not found")
        return user

    def _check_can_send(self, user: User) -> None:
        if user.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")

    def _reply_to(self, params: JSONDict, chat_id: int) -> FakeMessage | None:
        reply = params.get("reply_parameters")
        target: Any = params.get("reply_to_message_id")
        allow = bool(params.get("allow_sending_without_reply"))
        if isinstance(reply, Mapping):
            target = reply.get("message_id")
            allow = bool(reply.get("allow_sending_without_reply", allow))
        if target is None:
            return None
        found = self._messages.get(chat_id, {}).get(int(target))
        if (found is None or found.deleted) and not allow:
            raise bad_request("message to be replied not found")
        return found if found is not None and not found.deleted else None

    def _api_sendMessage(self, params: JSONDict) -> JSONDict:
        user = self._target_chat(params)
        text = params.get("text")
        if text is None or not str(text).strip():
            raise bad_request("message text is empty")
        text = str(text)
        parse_mode = params.get("parse_mode") or None
        plain, entities = render(text, parse_mode, params.get("entities"))
        if not plain.strip():
            raise bad_request("message text is empty")
        if utf16_length(plain) > MAX_TEXT_LENGTH:
            raise bad_request("message is too long")
        markup = check_reply_markup(params.get("reply_markup"))
        reply_to = self._reply_to(params, user.user_id)
        self._check_can_send(user)
        message = self._new_message(
            user.user_id,
            from_bot=True,
            text=plain,
            reply_markup=markup,
            raw_text=text,
            parse_mode=parse_mode,
            entities=entities,
        )
        data = self._message_json(message)
        if reply_to is not None:
            data["reply_to_message"] = self._message_json(reply_to)
        return data

    def _media_file(self, value: Any, kind: str) -> StoredFile:
        if isinstance(value, FakeUpload):
            extension = value.filename.rsplit(".", 1)[-1] if "." in value.filename else "bin"
            return self._new_file(kind, value.data, extension)
        if isinstance(value, str) and value in self._files:
            return self._files[value]
        if isinstance(value, str) and value.startswith(("http://", "https://")):
            return self._new_file(kind, value.encode(), "bin")
        if isinstance(value, str) and value.startswith("attach://"):
            raise bad_request(f"file for {value} not found in the request")
        raise bad_request("wrong file identifier/HTTP URL specified")

    def _send_media(self, params: JSONDict, kind: str) -> JSONDict:
        user = self._target_chat(params)
        value = params.get(kind)
        if value is None:
            raise bad_request(f"there is no {kind} in the request")
        caption_raw = params.get("caption")
        caption: str | None = None
        entities: list[JSONDict] = []
        parse_mode = params.get("parse_mode") or None
        if caption_raw is not None:
            caption, entities = render(
                str(caption_raw), parse_mode, params.get("caption_entities")
            )
            if utf16_length(caption) > MAX_CAPTION_LENGTH:
                raise bad_request("message caption is too long")
        markup = check_reply_markup(params.get("reply_markup"))
        stored = self._media_file(value, kind)
        self._check_can_send(user)
        if kind == "photo":
            media: JSONDict = {
                "photo": [
                    {
                        "file_id": stored.file_id,
                        "file_unique_id": stored.file_unique_id,
                        "width": 800,
                        "height": 600,
                        "file_size": len(stored.data),
                    }
                ]
            }
        else:
            name = value.filename if isinstance(value, FakeUpload) else stored.file_path
            mime = value.content_type if isinstance(value, FakeUpload) else None
            document: JSONDict = {
                "file_id": stored.file_id,
                "file_unique_id": stored.file_unique_id,
                "file_name": name.rsplit("/", 1)[-1],
                "file_size": len(stored.data),
            }
            if mime:
                document["mime_type"] = mime
            media = {"document": document}
        message = self._new_message(
            user.user_id,
            from_bot=True,
            text=None,
            reply_markup=markup,
            kind=kind,
            raw_text=None if caption_raw is None else str(caption_raw),
            parse_mode=parse_mode,
            entities=entities,
            caption=caption,
            media=media,
        )
        return self._message_json(message)

    def _api_sendPhoto(self, params: JSONDict) -> JSONDict:
        return self._send_media(params, "photo")

    def _api_sendDocument(self, params: JSONDict) -> JSONDict:
        return self._send_media(params, "document")

    def _message_to_edit(self, params: JSONDict) -> FakeMessage:
        if params.get("inline_message_id"):
            raise bad_request("MESSAGE_ID_INVALID")
        user = self._target_chat(params)
        message_id = params.get("message_id")
        if message_id is None:
            raise bad_request("message identifier is not specified")
        message = self._messages.get(user.user_id, {}).get(message_id)
        if message is None or message.deleted:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        self._check_can_send(user)
        return message

    def _api_editMessageText(self, params: JSONDict) -> JSONDict:
        message = self._message_to_edit(params)
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        text = params.get("text")
        if text is None or not str(text).strip():
            raise bad_request("message text is empty")
        parse_mode = params.get("parse_mode") or None
        plain, entities = render(str(text), parse_mode, params.get("entities"))
        if not plain.strip():
            raise bad_request("message text is empty")
        if utf16_length(plain) > MAX_TEXT_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        # Telegram removes the inline keyboard when reply_markup is not passed.
        markup = check_reply_markup(params.get("reply_markup"))
        if (
            plain == message.text
            and entities == message.entities
            and inline_keyboard(markup) == inline_keyboard(message.reply_markup)
        ):
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        message.text = plain
        message.entities = entities
        message.raw_text = str(text)
        message.parse_mode = parse_mode
        message.reply_markup = markup
        message.edited_count += 1
        message.edit_date = int(self._now())
        return self._message_json(message)

    def _api_editMessageReplyMarkup(self, params: JSONDict) -> JSONDict:
        message = self._message_to_edit(params)
        markup = check_reply_markup(params.get("reply_markup"))
        if inline_keyboard(markup) == inline_keyboard(message.reply_markup):
            raise bad_request(NOT_MODIFIED.removeprefix("Bad Request: "))
        message.reply_markup = markup
        message.edited_count += 1
        message.edit_date = int(self._now())
        return self._message_json(message)

    def _delete_one(self, chat_id: Any, message_id: Any) -> None:
        message = (
            self._messages.get(chat_id, {}).get(message_id) if isinstance(chat_id, int) else None
        )
        if message is None or message.deleted:
            raise bad_request("message to delete not found")
        if self._now() - message.date >= DELETE_WINDOW_SECONDS:
            raise bad_request("message can't be deleted")
        message.deleted = True

    def _api_deleteMessage(self, params: JSONDict) -> bool:
        self._target_chat(params)
        if params.get("message_id") is None:
            raise bad_request("message identifier is not specified")
        self._delete_one(params.get("chat_id"), params.get("message_id"))
        return True

    def _api_deleteMessages(self, params: JSONDict) -> bool:
        self._target_chat(params)
        ids = params.get("message_ids")
        if not isinstance(ids, list) or not 1 <= len(ids) <= 100:
            raise bad_request("message_ids must be a list of 1-100 message identifiers")
        for message_id in ids:
            with contextlib.suppress(ApiError):
                self._delete_one(params.get("chat_id"), int(message_id))
        return True

    def _api_answerCallbackQuery(self, params: JSONDict) -> bool:
        query = self._callbacks.get(str(params.get("callback_query_id") or ""))
        too_old = query is not None and (
            self._now() - query.created > CALLBACK_ANSWER_WINDOW_SECONDS
        )
        if query is None or query.answered or too_old:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid")
        text = params.get("text")
        if text is not None and len(str(text)) > MAX_CALLBACK_ANSWER_LENGTH:
            raise bad_request("MESSAGE_TOO_LONG")
        query.answered = True
        query.answer = {"callback_query_id": query.query_id, "user_id": query.user_id, **params}
        return True

    def _api_sendChatAction(self, params: JSONDict) -> bool:
        user = self._target_chat(params)
        action = params.get("action")
        if action not in CHAT_ACTIONS:
            raise bad_request("wrong parameter action in request")
        self._check_can_send(user)
        self._chat_actions.setdefault(user.user_id, []).append(str(action))
        return True

    def _api_getFile(self, params: JSONDict) -> JSONDict:
        stored = self._files.get(str(params.get("file_id") or ""))
        if stored is None:
            raise bad_request("invalid file_id")
        return {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_size": len(stored.data),
            "file_path": stored.file_path,
        }

    def _file_by_path(self, path: str) -> bytes | None:
        with self._lock:
            for stored in self._files.values():
                if stored.file_path == path:
                    return stored.data
            return None


