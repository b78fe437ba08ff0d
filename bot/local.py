"""An in-process Bot API: a python-telegram-bot request transport that answers locally and records calls.

The console and the handler tests run the real `Application` on it: updates go in through
`Application.process_update`, and every API call the handlers make (sendMessage, editMessageText,
answerInlineQuery…) is recorded as a `Call` and answered as Telegram would, without a network.
"""
from __future__ import annotations

import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.request import BaseRequest, RequestData

BOT_ID = 100000001
BOT_USERNAME = "CatalogAssistantBot"
CONSOLE_TOKEN = f"{BOT_ID}:local-transport-not-a-real-telegram-token"


@dataclass(frozen=True)
class Call:
    """One Bot API call the bot made: the method, its parameters and any uploaded files' bytes."""

    method: str
    params: dict[str, Any]
    files: dict[str, bytes] = field(default_factory=dict, repr=False)
    result: Any = field(default=None, repr=False)  # what the API answered (the message sent, True...)

    @property
    def text(self) -> str:
        return str(self.params.get("text") or self.params.get("caption") or "")

    @property
    def buttons(self) -> list[dict[str, Any]]:
        markup = self.params.get("reply_markup") or {}
        if isinstance(markup, str):
            markup = json.loads(markup)
        return [b for row in markup.get("inline_keyboard", []) for b in row]


REPLIES = frozenset({"sendMessage", "sendPhoto", "sendDocument", "editMessageText", "editMessageCaption"})
ANSWERS = frozenset({"answerCallbackQuery", "answerInlineQuery"})


class LocalBotAPI(BaseRequest):
    """Answers the Bot API methods the bot uses; `calls` keeps every call in order."""

    def __init__(self, username: str = BOT_USERNAME) -> None:
        self.bot_user = {"id": BOT_ID, "is_bot": True, "first_name": "Catalog assistant", "username": username,
                         "can_join_groups": True, "can_read_all_group_messages": False,
                         "supports_inline_queries": True}
        self.calls: list[Call] = []
        self.chats: dict[int, dict[str, Any]] = {}
        self._message_ids = itertools.count(1000)
        self.messages: dict[tuple[int, int], dict[str, Any]] = {}  # what each chat shows, after edits

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass

    def chat(self, chat_id: int) -> dict[str, Any]:
        return self.chats.get(chat_id, {"id": chat_id, "type": "private" if chat_id > 0 else "group",
                                        "title": None if chat_id > 0 else "group"})

    def next_message_id(self) -> int:
        return next(self._message_ids)

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         read_timeout=None, write_timeout=None, connect_timeout=None,
                         pool_timeout=None) -> tuple[int, bytes]:
        endpoint = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        files = {}
        if request_data and request_data.contains_files:
            files = {name: value[1] for name, value in request_data.multipart_data.items()}
        result = self._result(endpoint, params, files)
        self.calls.append(Call(endpoint, params, files, result))
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def _result(self, endpoint: str, params: dict[str, Any], files: dict[str, bytes]) -> Any:
        if endpoint == "getMe":
            return self.bot_user
        if endpoint == "getUpdates":
            return []
        if endpoint == "editMessageReplyMarkup":  # the same message with new buttons (a press changed them)
            key = (int(params.get("chat_id", 0)), int(params.get("message_id", 0)))
            if key not in self.messages:
                return True
            markup = params.get("reply_markup") or {}
            self.messages[key] = {**self.messages[key], "reply_markup": json.loads(markup) if isinstance(
                markup, str) else markup}
            return self.messages[key]
        if endpoint in REPLIES:
            if "inline_message_id" in params:
                return True
            chat_id = int(params.get("chat_id", 0))
            message = {
                "message_id": params.get("message_id") or self.next_message_id(),
                "date": int(time.time()), "chat": self.chat(chat_id), "from": self.bot_user,
            }
            if endpoint == "sendPhoto":
                size = len(next(iter(files.values()), b""))
                message["photo"] = [{"file_id": "photo", "file_unique_id": "photo", "width": 800, "height": 400,
                                     "file_size": size}]
                message["caption"] = params.get("caption", "")
            elif endpoint == "sendDocument":
                size = len(next(iter(files.values()), b""))
                message["document"] = {"file_id": "document", "file_unique_id": "document", "file_size": size}
                message["caption"] = params.get("caption", "")
            else:
                message["text"] = params.get("text", "")
            if params.get("reply_markup"):
                markup = params["reply_markup"]
                message["reply_markup"] = json.loads(markup) if isinstance(markup, str) else markup
            self.messages[(chat_id, message["message_id"])] = message
            return message
        return True  # answerCallbackQuery, answerInlineQuery, setMyCommands, deleteWebhook, ...


class LocalSession:
    """Feeds updates into an initialised Application running on a LocalBotAPI; returns the calls each caused.

        session = LocalSession(application, api)
        calls = await session.message("/count netflix")
        calls = await session.press(calls[-1].buttons[0]["callback_data"], calls[-1])
    """

    def __init__(self, application, api: LocalBotAPI) -> None:
        self.application = application
        self.api = api
        self._update_ids = itertools.count(1)

    @staticmethod
    def user(user_id: int = 1, lang: str | None = "en", first_name: str = "Ada") -> dict[str, Any]:
        user = {"id": user_id, "is_bot": False, "first_name": first_name}
        if lang:
            user["language_code"] = lang
        return user

    def _chat(self, chat_id: int, chat_type: str) -> dict[str, Any]:
        chat = {"id": chat_id, "type": chat_type}
        if chat_type != "private":
            chat["title"] = "Film club"
        self.api.chats[chat_id] = chat
        return chat

    async def feed(self, update: dict[str, Any]) -> list[Call]:
        first = len(self.api.calls)
        await self.application.process_update(Update.de_json(update, self.application.bot))
        return self.api.calls[first:]

    async def message(self, text: str | None, *, user_id: int = 1, chat_id: int | None = None,
                      chat_type: str = "private", lang: str | None = "en", photo: bool = False,
                      caption: str | None = None) -> list[Call]:
        """A user sends a message (`text`, or a photo with an optional caption) into a chat."""
        chat_id = user_id if chat_id is None else chat_id
        message: dict[str, Any] = {
            "message_id": self.api.next_message_id(), "date": int(time.time()),
            "chat": self._chat(chat_id, chat_type), "from": self.user(user_id, lang),
        }
        if photo:
            message["photo"] = [{"file_id": "upload", "file_unique_id": "upload", "width": 640, "height": 480}]
            if caption:
                message["caption"] = caption
        else:
            message["text"] = text or ""
            if text and text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
        return await self.feed({"update_id": next(self._update_ids), "message": message})

    async def press(self, data: str, on: Call | dict[str, Any] | None = None, *, user_id: int = 1,
                    lang: str | None = "en") -> list[Call]:
        """A user presses a button with `data` on the message a call sent (or on an unknown message)."""
        if isinstance(on, Call):
            on = on.result if isinstance(on.result, dict) else None
        if on is None:
            on = {"message_id": self.api.next_message_id(), "date": int(time.time()), "chat": self._chat(
                user_id, "private"), "from": self.api.bot_user, "text": "…"}
        query = {"id": str(next(self._update_ids)), "from": self.user(user_id, lang), "chat_instance": "local",
                 "data": data, "message": on}
        return await self.feed({"update_id": next(self._update_ids), "callback_query": query})

    async def inline(self, query: str, *, user_id: int = 1, lang: str | None = "en") -> list[Call]:
        inline_query = {"id": str(next(self._update_ids)), "from": self.user(user_id, lang), "query": query,
                        "offset": ""}
        return await self.feed({"update_id": next(self._update_ids), "inline_query": inline_query})
