"""A Telegram Bot API *double* for end-to-end tests, served on 127.0.0.1.

The double is a small HTTP server (tornado, running on its own event loop in a
background thread) that answers ``/bot<TOKEN>/<method>`` and
``/file/bot<TOKEN>/<path>`` the way api.telegram.org does, so a real
python-telegram-bot ``Application`` can be pointed at it::

    async with TelegramDouble(token="123456:TEST-token", bot_username="our_test_bot") as tg:
        app = (
            Application.builder()
            .token(tg.token)
            .base_url(tg.base_url)
            .base_file_url(tg.base_file_url)
            .build()
        )
        ...  # add handlers, start polling or a webhook
        update_id = tg.user_message("/start")
        [reply] = await tg.replies_to(update_id)
        assert reply.params["text"] == "Hello!"

Because the server lives in its own thread it does not care which event loop
(or whether any loop) the test uses: ``start()``/``stop()`` and the
``with``/``async with`` forms all work, the inject helpers are plain
synchronous methods, and ``wait_for``/``replies_to`` can be awaited from any
loop (``wait_for_sync`` exists for synchronous tests).

What it checks, like the real server does (each check answers HTTP 400 with a
Telegram-worded description, so a bot that would fail in production fails in
tests too): formatting entities for ``parse_mode`` HTML / Markdown /
MarkdownV2 (unsupported tags, unclosed entities, unescaped reserved
characters), empty or over-long texts and captions, ``callback_data`` over 64
bytes, editing a message with identical content ("message is not modified"),
answering a callback or inline query that is unknown or already answered, polls (2-12
options of 1-100 characters, a question of 1-300, no non-anonymous poll in a channel, stopping a
closed poll),
``getUpdates`` while a webhook is set (409) and two concurrent ``getUpdates``
(the older one gets 409).  Set ``strict=False`` to turn the content checks
off.

Only the standard library, tornado and httpx are used (both come with
``python-telegram-bot[webhooks]``).
"""

from __future__ import annotations

import asyncio
import contextlib
import html
import itertools
import json
import re
import socket
import struct
import threading
import time
import zlib
from collections import deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any

import httpx
import tornado.httpserver
import tornado.netutil
import tornado.web

__all__ = [
    "ApiError",
    "Call",
    "SentMessage",
    "TelegramDouble",
    "WaitTimeout",
    "WebhookAttempt",
    "free_port",
    "png_bytes",
]

# --------------------------------------------------------------------------- #
# small public helpers
# --------------------------------------------------------------------------- #


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that was free a moment ago (for a webhook server in a test)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def png_bytes(width: int = 2, height: int = 2, rgb: tuple[int, int, int] = (200, 30, 30)) -> bytes:
    """A valid, tiny, single-colour PNG image."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)

    row = b"\x00" + bytes(rgb) * width
    raw = row * height
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def _image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG or JPEG, or None."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 9 < len(data):
            if data[i] != 0xFF:
                return None
            marker = data[i + 1]
            length = struct.unpack(">H", data[i + 2 : i + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2):
                height, width = struct.unpack(">HH", data[i + 5 : i + 9])
                return width, height
            i += 2 + length
    return None


# --------------------------------------------------------------------------- #
# records
# --------------------------------------------------------------------------- #


class ApiError(Exception):
    """Raised inside the double to answer ``{"ok": false, ...}``."""

    def __init__(self, error_code: int, description: str, parameters: dict | None = None):
        super().__init__(description)
        self.error_code = error_code
        self.description = description
        self.parameters = parameters

    def as_json(self) -> dict:
        payload: dict[str, Any] = {
            "ok": False,
            "error_code": self.error_code,
            "description": self.description,
        }
        if self.parameters:
            payload["parameters"] = self.parameters
        return payload


class WaitTimeout(AssertionError):
    """``wait_for``/``replies_to`` gave up; the message lists the last calls."""


@dataclass
class Call:
    """One request the bot made to the double."""

    index: int
    method: str
    params: dict[str, Any]
    time: float
    files: dict[str, bytes] = field(default_factory=dict)
    result: Any = None
    error: dict[str, Any] | None = None
    http_method: str = "POST"
    content_type: str = ""

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def chat_id(self) -> int | str | None:
        return _norm_id(self.params.get("chat_id"))

    @property
    def text(self) -> str | None:
        """``text`` or ``caption`` of the call, if any."""
        value = self.params.get("text", self.params.get("caption"))
        return None if value is None else str(value)

    def __repr__(self) -> str:
        status = "ok" if self.ok else f"error {self.error and self.error.get('error_code')}"
        keys = {k: self.params[k] for k in ("chat_id", "text", "caption", "message_id") if k in self.params}
        return f"<Call #{self.index} {self.method} {keys} {status}>"


@dataclass
class SentMessage:
    """A message the bot sent (``double.sent``) or edited (``double.edits``)."""

    method: str
    chat_id: int | str | None
    message_id: int | None
    text: str | None
    parse_mode: str | None
    reply_markup: dict | None
    reply_parameters: dict | None
    reply_to_message_id: int | None
    caption: str | None
    photo_size: int | None
    date: int
    params: dict[str, Any]
    call_index: int
    message: dict | bool | None = None
    inline_message_id: str | None = None


@dataclass
class _Update:
    update_id: int
    payload: dict
    kind: str
    chat_id: int | None
    message_id: int | None
    query_id: str | None
    inline_message_id: str | None
    injected_index: int
    delivered_index: int | None = None
    delivered_at: float | None = None
    dropped: bool = False
    in_flight: bool = False  # a webhook POST of it is open
    retry_at: float = 0.0  # (server loop time) not before this after a failed webhook delivery
    retry_delay: float = 0.0


@dataclass
class WebhookAttempt:
    """One webhook POST: when it was sent and answered (``time.monotonic()``), the HTTP status (None: no
    answer), and the worker that answered (its ``X-Bot-Worker`` header)."""

    update_id: int
    started: float
    ended: float | None = None
    status: int | None = None
    error: str | None = None
    worker: str | None = None


@dataclass
class _File:
    file_id: str
    file_unique_id: str
    file_path: str
    data: bytes


@dataclass(eq=False)
class _Waiter:
    match: Callable[[Call], bool]
    n: int
    future: asyncio.Future
    cursor: int
    found: list[Call] = field(default_factory=list)


class _Poller:
    """Wake-up flag of one waiting long poll / the webhook worker (server loop only)."""

    __slots__ = ("closed", "event", "kicked")

    def __init__(self) -> None:
        self.event = asyncio.Event()
        self.kicked = False
        self.closed = False


# --------------------------------------------------------------------------- #
# parameter decoding and validation
# --------------------------------------------------------------------------- #

# Parameters Telegram treats as strings: never JSON-decode these from form bodies
# (PTB sends strings raw and everything else JSON-encoded).
_STRING_FIELDS = frozenset(
    """text caption parse_mode url secret_token callback_query_id inline_query_id query
    next_offset switch_pm_text switch_pm_parameter file_id language_code description
    short_description name title business_connection_id message_effect_id action emoji
    question ip_address inline_message_id data first_name last_name phone_number address
    foursquare_id foursquare_type google_place_id google_place_type payload provider_token
    currency start_parameter vcard username custom_emoji_id sticker_set_name explanation
    explanation_parse_mode question_parse_mode invite_link photo document video audio voice
    animation sticker video_note thumbnail cover""".split()
)
_JSONISH = re.compile(r"[\[{]|-?\d+(\.\d+)?([eE][+-]?\d+)?$|true$|false$|null$")

_MESSAGE_KINDS = ("message", "edited_message", "channel_post", "edited_channel_post", "business_message")
_DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
_CHAT_ACTIONS = frozenset(
    """typing upload_photo record_video upload_video record_voice upload_voice upload_document
    choose_sticker find_location record_video_note upload_video_note""".split()
)
_REPLY_PREFIXES = ("send", "edit", "answer", "copymessage", "forwardmessage", "deletemessage",
                   "setmessagereaction", "stoppoll", "pinchatmessage")
_BOT_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{1,64})?")
_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}$")
_SECRET_TOKEN = re.compile(r"[A-Za-z0-9_-]{1,256}$")


def _coerce(key: str, value: str) -> Any:
    if key in _STRING_FIELDS or not _JSONISH.match(value):
        return value
    try:
        return json.loads(value)
    except ValueError:
        return value


def _norm_id(value: Any) -> int | str | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = str(value)
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return text


def _same_id(a: Any, b: Any) -> bool:
    return a is not None and b is not None and _norm_id(a) == _norm_id(b)


def _reply_target(params: dict) -> int | None:
    reply_parameters = params.get("reply_parameters")
    if isinstance(reply_parameters, dict) and reply_parameters.get("message_id") is not None:
        return _norm_id(reply_parameters["message_id"])  # type: ignore[return-value]
    if params.get("reply_to_message_id") is not None:
        return _norm_id(params["reply_to_message_id"])  # type: ignore[return-value]
    return None


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _byte_offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _is_reply_method(method: str, methods: Iterable[str] | None) -> bool:
    lower = method.lower()
    if methods is not None:
        return lower in {m.lower() for m in methods}
    return lower != "sendchataction" and lower.startswith(_REPLY_PREFIXES)


def _entity_error(detail: str) -> ApiError:
    return ApiError(400, f"Bad Request: can't parse entities: {detail}")


_HTML_TAGS = frozenset(
    "b strong i em u ins s strike del span tg-spoiler a code pre blockquote tg-emoji".split()
)
_HTML_TAG = re.compile(
    r"""<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>"']+))?)*)\s*>"""
)
_HTML_ENTITY = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")


def _html_plain(text: str) -> str:
    out: list[str] = []
    stack: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "<":
            match = _HTML_TAG.match(text, i)
            if not match:
                word = re.match(r"</?\s*([^\s>]*)", text[i:])
                name = word.group(1) if word else ""
                raise _entity_error(f'Unsupported start tag "{name}" at byte offset {_byte_offset(text, i)}')
            closing, name, attrs = match.group(1), match.group(2).lower(), match.group(3)
            if name not in _HTML_TAGS:
                kind = "end" if closing else "start"
                raise _entity_error(
                    f'Unsupported {kind} tag "{name}" at byte offset {_byte_offset(text, i)}'
                )
            if closing:
                if not stack:
                    raise _entity_error(f"Unexpected end tag at byte offset {_byte_offset(text, i)}")
                if stack[-1] != name:
                    raise _entity_error(
                        f"Unmatched end tag at byte offset {_byte_offset(text, i)}, "
                        f'expected "</{stack[-1]}>", found "</{name}>"'
                    )
                stack.pop()
            else:
                if name == "span" and "tg-spoiler" not in attrs:
                    raise _entity_error(
                        f'Tag "span" must have class "tg-spoiler" at byte offset {_byte_offset(text, i)}'
                    )
                stack.append(name)
            i = match.end()
            continue
        if char == "&":
            entity = _HTML_ENTITY.match(text, i)
            if entity:
                out.append(html.unescape(entity.group(0)))
                i = entity.end()
                continue
        out.append(char)
        i += 1
    if stack:
        raise _entity_error(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out)


_MDV2_RESERVED = frozenset("_*[]()~`>#+-=|{}.!")
_MDV2_NAMES = {"*": "Bold", "_": "Italic", "__": "Underline", "~": "Strikethrough", "||": "Spoiler"}


def _mdv2_find_close(text: str, start: int, closer: str) -> int:
    """Index of the first unescaped ``closer`` at or after ``start``, or -1."""
    i = start
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(closer, i):
            return i
        i += 1
    return -1


def _mdv2_unescape(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text, flags=re.DOTALL)


def _mdv2_plain(text: str) -> str:
    out: list[str] = []
    open_marks: dict[str, int] = {}
    links: list[int] = []
    i = 0
    n = len(text)
    while i < n:
        char = text[i]
        if char == "\\":
            if i + 1 < n:
                out.append(text[i + 1])
            i += 2
            continue
        if text.startswith("```", i):
            end = _mdv2_find_close(text, i + 3, "```")
            if end < 0:
                raise _entity_error(f"Can't find end of Pre entity at byte offset {_byte_offset(text, i)}")
            body = text[i + 3 : end]
            first, sep, rest = body.partition("\n")
            if sep and first and not re.search(r"\s", first):
                body = rest  # language specifier
            out.append(_mdv2_unescape(body))
            i = end + 3
            continue
        if char == "`":
            end = _mdv2_find_close(text, i + 1, "`")
            if end < 0:
                raise _entity_error(f"Can't find end of Code entity at byte offset {_byte_offset(text, i)}")
            out.append(_mdv2_unescape(text[i + 1 : end]))
            i = end + 1
            continue
        mark = None
        if text.startswith("__", i):
            mark = "__"
        elif text.startswith("||", i):
            mark = "||"
        elif char in "*_~":
            mark = char
        if mark:
            if mark in open_marks:
                del open_marks[mark]
            else:
                open_marks[mark] = i
            i += len(mark)
            continue
        if char == "[":
            links.append(i)
            i += 1
            continue
        if char == "]":
            if not links:
                raise _entity_error(
                    "Character ']' is reserved and must be escaped with the preceding '\\'"
                )
            links.pop()
            i += 1
            if i < n and text[i] == "(":
                end = _mdv2_find_close(text, i + 1, ")")
                if end < 0:
                    raise _entity_error(f"Can't find end of a URL at byte offset {_byte_offset(text, i)}")
                i = end + 1
            continue
        if char == "!" and text.startswith("[", i + 1):
            i += 1
            continue
        if char == ">" and (i == 0 or text[i - 1] == "\n"):
            i += 1
            continue
        if char in _MDV2_RESERVED:
            raise _entity_error(
                f"Character '{char}' is reserved and must be escaped with the preceding '\\'"
            )
        out.append(char)
        i += 1
    if links:
        raise _entity_error(f"Can't find end of TextUrl entity at byte offset {_byte_offset(text, links[-1])}")
    if open_marks:
        mark, pos = min(open_marks.items(), key=lambda item: item[1])
        raise _entity_error(
            f"Can't find end of {_MDV2_NAMES[mark]} entity at byte offset {_byte_offset(text, pos)}"
        )
    return "".join(out)


def _markdown_plain(text: str) -> str:
    out: list[str] = []
    i = 0
    n = len(text)

    def unclosed(pos: int) -> ApiError:
        return _entity_error(f"Can't find end of the entity starting at byte offset {_byte_offset(text, pos)}")

    while i < n:
        char = text[i]
        if char == "\\" and i + 1 < n and text[i + 1] in "_*`[":
            out.append(text[i + 1])
            i += 2
            continue
        if text.startswith("```", i):
            end = text.find("```", i + 3)
            if end < 0:
                raise unclosed(i)
            out.append(text[i + 3 : end])
            i = end + 3
            continue
        if char in "*_`":
            end = text.find(char, i + 1)
            if end < 0:
                raise unclosed(i)
            out.append(text[i + 1 : end])
            i = end + 1
            continue
        if char == "[":
            end = text.find("]", i + 1)
            if end < 0:
                raise unclosed(i)
            out.append(text[i + 1 : end])
            i = end + 1
            if text.startswith("(", i):
                close = text.find(")", i)
                if close < 0:
                    raise unclosed(i)
                i = close + 1
            continue
        out.append(char)
        i += 1
    return "".join(out)


def _plain_text(text: str, parse_mode: Any) -> str:
    """The text Telegram would show, raising the error Telegram would raise."""
    if parse_mode in (None, ""):
        return text
    mode = str(parse_mode).lower()
    if mode == "html":
        return _html_plain(text)
    if mode == "markdownv2":
        return _mdv2_plain(text)
    if mode == "markdown":
        return _markdown_plain(text)
    raise ApiError(400, f"Bad Request: unsupported parse_mode {parse_mode}")


def _check_reply_markup(markup: Any) -> dict | None:
    if markup is None:
        return None
    if not isinstance(markup, dict):
        raise ApiError(400, "Bad Request: can't parse reply keyboard markup JSON object")
    keyboard = markup.get("inline_keyboard")
    if keyboard is None:
        return markup
    if not isinstance(keyboard, list) or not all(isinstance(row, list) for row in keyboard):
        raise ApiError(
            400, 'Bad Request: field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays'
        )
    for row in keyboard:
        for button in row:
            if not isinstance(button, dict) or not button.get("text") or not set(button) - {"text"}:
                raise ApiError(400, "Bad Request: can't parse inline keyboard button: "
                                    "Text buttons are unallowed in the inline keyboard")
            data = button.get("callback_data")
            if data is not None and not (1 <= len(str(data).encode("utf-8")) <= 64):
                raise ApiError(400, "Bad Request: BUTTON_DATA_INVALID")
    return markup


# --------------------------------------------------------------------------- #
# HTTP layer
# --------------------------------------------------------------------------- #


def _json_bytes(payload: Any) -> bytes:
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class _ApiHandler(tornado.web.RequestHandler):
    double: TelegramDouble
    poller: _Poller | None

    def initialize(self, double: TelegramDouble) -> None:
        self.double = double
        self.poller = None

    def on_connection_close(self) -> None:
        if self.poller is not None:
            self.poller.closed = True
            self.poller.event.set()

    def compute_etag(self) -> None:  # never answer 304
        return None

    async def get(self, token: str, method: str) -> None:
        await self._handle(token, method)

    async def post(self, token: str, method: str) -> None:
        await self._handle(token, method)

    async def _handle(self, token: str, method: str) -> None:
        double = self.double
        if token != double.token:
            self._reply(401, _json_bytes({"ok": False, "error_code": 401, "description": "Unauthorized"}))
            return
        try:
            params, files = _parse_request(self.request)
        except ValueError as exc:
            error = ApiError(400, f"Bad Request: {exc}")
            self._reply(400, _json_bytes(error.as_json()))
            return
        self.poller = _Poller()
        status, body = await double._handle_call(
            method, params, files, self.request.method or "POST",
            self.request.headers.get("Content-Type", ""), self.poller,
        )
        if not self.poller.closed:
            self._reply(status, body)

    def _reply(self, status: int, body: bytes) -> None:
        self.set_status(status)
        self.set_header("Content-Type", "application/json")
        self.finish(body)


class _FileHandler(tornado.web.RequestHandler):
    def initialize(self, double: TelegramDouble) -> None:
        self.double = double

    def compute_etag(self) -> None:
        return None

    def get(self, token: str, path: str) -> None:
        stored = self.double._files_by_path.get(path) if token == self.double.token else None
        if stored is None:
            self.set_status(404)
            self.set_header("Content-Type", "application/json")
            self.finish(_json_bytes({"ok": False, "error_code": 404, "description": "Not Found"}))
            return
        with self.double._lock:
            self.double.downloads.append(path)
        self.set_header("Content-Type", "application/octet-stream")
        self.finish(stored.data)


class _NotFound(tornado.web.RequestHandler):
    def prepare(self) -> None:
        self.set_status(404)
        self.set_header("Content-Type", "application/json")
        self.finish(_json_bytes({"ok": False, "error_code": 404, "description": "Not Found"}))


def _parse_request(request: Any) -> tuple[dict[str, Any], dict[str, bytes]]:
    params: dict[str, Any] = {}
    files: dict[str, bytes] = {}
    for key, values in request.query_arguments.items():
        params[key] = _coerce(key, values[-1].decode("utf-8"))
    content_type = request.headers.get("Content-Type", "")
    if content_type.split(";")[0].strip().lower() == "application/json":
        if request.body.strip():
            try:
                data = json.loads(request.body)
            except ValueError as exc:
                raise ValueError("can't parse JSON object") from exc
            if not isinstance(data, dict):
                raise ValueError("JSON object expected")
            params.update(data)
        return params, files
    for key, values in request.body_arguments.items():
        params[key] = _coerce(key, values[-1].decode("utf-8"))
    for key, uploads in request.files.items():
        upload = uploads[-1]
        files[key] = upload.body
        params[key] = {
            "_upload": upload.filename,
            "size": len(upload.body),
            "mime_type": upload.content_type,
        }
    return params, files


# --------------------------------------------------------------------------- #
# the double
# --------------------------------------------------------------------------- #


class TelegramDouble:
    """A loopback Telegram Bot API server for tests; see the module docstring.

    Public state (read it from tests; it is appended to by the server thread):

    * ``calls``: every :class:`Call` in arrival order (getUpdates included).
    * ``sent``: every message the bot sent, as :class:`SentMessage`.
    * ``edits``: every editMessage* the bot made, as :class:`SentMessage`.
    * ``callback_answers`` / ``inline_answers``: ``{query_id: params}``.
    * ``commands``: ``{(scope_json, language_code): [BotCommand dicts]}``.
    * ``unknown_methods``: names of methods handled by the generic fallback.
    * ``webhook_deliveries``: ``(update_id, http_status_or_None, error)`` per POST, once answered.
    * ``webhook_attempts``: every webhook POST as a :class:`WebhookAttempt` (times, status, worker), from
      when it is sent; webhook updates go out in parallel, up to setWebhook's ``max_connections``.
    * ``downloads``: file paths fetched through ``/file/bot<TOKEN>/``.
    * ``internal_errors``: exceptions raised by the double itself (answered as 500).
    """

    def __init__(
        self,
        token: str = "123456:TEST-token",
        bot_username: str = "our_test_bot",
        *,
        bot_first_name: str = "Test Bot",
        host: str = "127.0.0.1",
        port: int = 0,
        can_join_groups: bool = True,
        can_read_all_group_messages: bool = False,
        supports_inline_queries: bool = True,
        default_user_id: int = 1001,
        first_update_id: int = 800_000_001,
        strict: bool = True,
        webhook_retry_delay: float = 0.05,
    ) -> None:
        bot_id, sep, secret = token.partition(":")
        if not (bot_id.isdigit() and sep and secret):
            raise ValueError("token must look like '<digits>:<secret>'")
        self.token = token
        self.bot_username = bot_username
        self.bot_id = int(bot_id)
        self.bot_first_name = bot_first_name
        self.host = host
        self.can_join_groups = can_join_groups
        self.can_read_all_group_messages = can_read_all_group_messages
        self.supports_inline_queries = supports_inline_queries
        self.default_user_id = default_user_id
        self.strict = strict
        self.webhook_retry_delay = webhook_retry_delay
        self._port = port

        self._lock = threading.RLock()
        self._cond = threading.Condition(self._lock)

        # public records
        self.calls: list[Call] = []
        self.sent: list[SentMessage] = []
        self.edits: list[SentMessage] = []
        self.callback_answers: dict[str, dict] = {}
        self.inline_answers: dict[str, dict] = {}
        self.commands: dict[tuple[str, str], list[dict]] = {}
        self.unknown_methods: list[str] = []
        self.webhook_deliveries: list[tuple[int, int | None, str | None]] = []
        self.webhook_attempts: list[WebhookAttempt] = []
        self.downloads: list[str] = []
        self.internal_errors: list[BaseException] = []
        self.logged_out = False
        self.closed = False

        # updates
        self._next_update_id = first_update_id
        self._pending: deque[_Update] = deque()
        self._updates: dict[int, _Update] = {}
        self._allowed_updates: list[str] | None = None
        self._known_queries: set[str] = set()
        self._query_ids = itertools.count(4_200_000_000_000_000_001)

        # chats, users, messages, files
        self._chats: dict[int, dict] = {}
        self._chat_by_username: dict[str, int] = {}
        self._next_message_id: dict[int, int] = {}
        self._messages: dict[tuple[int, int], dict] = {}
        self._files: dict[str, _File] = {}
        self._files_by_path: dict[str, _File] = {}
        self._file_counter = itertools.count(1)
        self._blocked: set[int] = set()
        self._inline_message_ids = itertools.count(1)

        # native polls the bot sent: poll_id -> {"poll": Poll dict, "chat_id", "message_id", "answers": {user: ids}}
        self.polls: dict[str, dict] = {}
        self._poll_ids = itertools.count(5_800_000_000_000_000_001)

        # webhook
        self._webhook: dict[str, Any] = {}
        self._webhook_last_error: tuple[int, str] | None = None
        self._webhook_task: asyncio.Task | None = None

        # failures to inject: lower-case method -> deque of ApiError
        self._failures: dict[str, deque[ApiError]] = {}

        # server-side machinery (lives on the double's own loop)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: tornado.httpserver.HTTPServer | None = None
        self._pollers: set[_Poller] = set()
        self._active_poll: _Poller | None = None
        self._stopping = False

        # test-side waiters, per event loop they wait on
        self._async_waiters: dict[asyncio.AbstractEventLoop, list[_Waiter]] = {}
        self._loops_pending: set[asyncio.AbstractEventLoop] = set()

        self._handlers: dict[str, Callable[[Call], Any]] = {
            "getme": self._api_get_me,
            "setwebhook": self._api_set_webhook,
            "deletewebhook": self._api_delete_webhook,
            "getwebhookinfo": self._api_get_webhook_info,
            "sendmessage": self._api_send_message,
            "sendphoto": self._api_send_photo,
            "editmessagetext": self._api_edit_message_text,
            "editmessagereplymarkup": self._api_edit_message_reply_markup,
            "answercallbackquery": self._api_answer_callback_query,
            "answerinlinequery": self._api_answer_inline_query,
            "sendchataction": self._api_send_chat_action,
            "setmycommands": self._api_set_my_commands,
            "getmycommands": self._api_get_my_commands,
            "deletemycommands": self._api_delete_my_commands,
            "getfile": self._api_get_file,
            "logout": self._api_log_out,
            "close": self._api_close,
            "sendpoll": self._api_send_poll,
            "stoppoll": self._api_stop_poll,
        }

    # ------------------------------------------------------------------ #
    # properties
    # ------------------------------------------------------------------ #

    @property
    def port(self) -> int:
        return self._port

    @property
    def base_url(self) -> str:
        """Hand to ``ApplicationBuilder.base_url`` (PTB appends the token)."""
        return f"http://{self.host}:{self._port}/bot"

    @property
    def base_file_url(self) -> str:
        """Hand to ``ApplicationBuilder.base_file_url`` (PTB appends the token)."""
        return f"http://{self.host}:{self._port}/file/bot"

    @property
    def api_url(self) -> str:
        """``.../bot<TOKEN>``: append ``/<method>`` for raw HTTP calls."""
        return f"{self.base_url}{self.token}"

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    @property
    def bot_user(self) -> dict:
        return {
            "id": self.bot_id,
            "is_bot": True,
            "first_name": self.bot_first_name,
            "username": self.bot_username,
        }

    @property
    def webhook_url(self) -> str:
        return self._webhook.get("url", "")

    @property
    def webhook_secret(self) -> str | None:
        return self._webhook.get("secret_token")

    @property
    def pending_update_count(self) -> int:
        with self._lock:
            return len(self._pending)

    # ------------------------------------------------------------------ #
    # start / stop
    # ------------------------------------------------------------------ #

    def start(self) -> TelegramDouble:
        """Start serving in a background thread; returns once the port is bound."""
        if self._thread is not None:
            raise RuntimeError("TelegramDouble already started")
        ready = threading.Event()
        failure: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            self._loop = loop
            try:
                loop.run_until_complete(self._serve())
            except BaseException as exc:  # noqa: BLE001 - reported to start()
                failure.append(exc)
                ready.set()
                loop.close()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                tasks = [t for t in asyncio.all_tasks(loop) if not t.done()]
                for task in tasks:
                    task.cancel()
                if tasks:
                    loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
                loop.run_until_complete(loop.shutdown_asyncgens())
                loop.close()

        self._stopping = False
        self._thread = threading.Thread(target=run, name="TelegramDouble", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("TelegramDouble did not start within 10 s")
        if failure:
            self._thread.join()
            self._thread = None
            raise failure[0]
        return self

    def stop(self) -> None:
        """Stop serving: aborts long polls, stops webhook delivery, closes sockets."""
        thread, loop = self._thread, self._loop
        if thread is None or loop is None:
            return
        try:
            asyncio.run_coroutine_threadsafe(self._shutdown(), loop).result(10)
        finally:
            loop.call_soon_threadsafe(loop.stop)
            thread.join(10)
            self._thread = None
            self._loop = None

    def __enter__(self) -> TelegramDouble:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    async def __aenter__(self) -> TelegramDouble:
        await asyncio.to_thread(self.start)
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await asyncio.to_thread(self.stop)

    async def _serve(self) -> None:
        app = tornado.web.Application(
            [
                (r"/bot([^/]+)/([A-Za-z0-9_]+)/?", _ApiHandler, {"double": self}),
                (r"/file/bot([^/]+)/(.+)", _FileHandler, {"double": self}),
            ],
            default_handler_class=_NotFound,
            log_function=lambda handler: None,
        )
        self._server = tornado.httpserver.HTTPServer(app, max_body_size=60 * 1024 * 1024)
        sockets = tornado.netutil.bind_sockets(self._port, self.host, family=socket.AF_INET)
        self._server.add_sockets(sockets)
        self._port = sockets[0].getsockname()[1]
        with self._lock:
            if self._webhook.get("url"):
                self._ensure_webhook_worker()

    async def _shutdown(self) -> None:
        self._stopping = True
        self._wake_all()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._webhook_task
            self._webhook_task = None
        if self._server is not None:
            self._server.stop()
            with contextlib.suppress(TimeoutError, Exception):
                await asyncio.wait_for(self._server.close_all_connections(), 5)
            self._server = None

    # ------------------------------------------------------------------ #
    # failures, blocking
    # ------------------------------------------------------------------ #

    def fail_next(
        self,
        method: str,
        retry_after: int | None = None,
        error_code: int | None = None,
        description: str | None = None,
        *,
        times: int = 1,
        parameters: dict | None = None,
    ) -> None:
        """Make the next ``times`` calls of ``method`` fail.

        ``fail_next("sendMessage", retry_after=1)`` answers a 429 flood-control
        error with ``parameters.retry_after``; ``fail_next("sendMessage",
        error_code=500)`` answers a 500.  With neither, a 429 with
        ``retry_after=1`` is used.  The HTTP status equals ``error_code``, as
        on the real server (PTB relies on that).
        """
        if error_code is None:
            error_code = 429
        params = dict(parameters or {})
        if error_code == 429 and retry_after is None:
            retry_after = 1
        if retry_after is not None:
            params["retry_after"] = int(retry_after)
        if description is None:
            if error_code == 429:
                description = f"Too Many Requests: retry after {params.get('retry_after', 1)}"
            elif error_code == 400:
                description = "Bad Request"
            elif error_code == 403:
                description = "Forbidden: bot was blocked by the user"
            else:
                try:
                    description = HTTPStatus(error_code).phrase
                except ValueError:
                    description = "Error"
        error = ApiError(error_code, description, params or None)
        with self._lock:
            queue = self._failures.setdefault(method.lower(), deque())
            queue.extend(error for _ in range(times))

    def block_chat(self, chat_id: int) -> None:
        """Sending to ``chat_id`` fails with 403 "bot was blocked by the user"."""
        with self._lock:
            self._blocked.add(int(chat_id))

    def unblock_chat(self, chat_id: int) -> None:
        with self._lock:
            self._blocked.discard(int(chat_id))

    # ------------------------------------------------------------------ #
    # injecting updates (callable from any thread)
    # ------------------------------------------------------------------ #

    def inject(self, update: dict) -> int:
        """Queue a raw update (``{"message": {...}}``); returns its update_id.

        The ``update_id`` is assigned when missing.  Delivery is by getUpdates,
        or by POST to the webhook when one is set.
        """
        update = dict(update)
        kinds = [key for key in update if key != "update_id"]
        if len(kinds) != 1:
            raise ValueError(f"an update carries exactly one object, got {kinds}")
        kind = kinds[0]
        obj = update[kind]
        chat_id = message_id = query_id = inline_message_id = None
        if kind in _MESSAGE_KINDS:
            chat_id, message_id = obj["chat"]["id"], obj["message_id"]
        elif kind == "callback_query":
            query_id = str(obj["id"])
            inline_message_id = obj.get("inline_message_id")
            if obj.get("message"):
                chat_id, message_id = obj["message"]["chat"]["id"], obj["message"]["message_id"]
        elif kind == "inline_query":
            query_id = str(obj["id"])
        with self._lock:
            if "update_id" in update:
                update_id = int(update["update_id"])
                if update_id < self._next_update_id - 1 or update_id in self._updates:
                    raise ValueError("update_id must increase")
                self._next_update_id = update_id + 1
            else:
                update_id = self._next_update_id
                self._next_update_id += 1
                update = {"update_id": update_id, **update}
            if query_id is not None:
                self._known_queries.add(query_id)
            if kind == "callback_query" and chat_id is not None:
                self._messages.setdefault((int(chat_id), int(message_id)), obj["message"])
            if kind in _MESSAGE_KINDS:
                self._remember_chat(obj["chat"])
                key = (int(chat_id), int(message_id))
                if kind.startswith("edited"):
                    self._messages[key] = obj
                else:
                    self._messages.setdefault(key, obj)
                    self._next_message_id[int(chat_id)] = max(
                        self._next_message_id.get(int(chat_id), 1), int(message_id) + 1
                    )
            record = _Update(
                update_id=update_id,
                payload=update,
                kind=kind,
                chat_id=None if chat_id is None else int(chat_id),
                message_id=None if message_id is None else int(message_id),
                query_id=query_id,
                inline_message_id=inline_message_id,
                injected_index=len(self.calls),
            )
            self._updates[update_id] = record
            self._pending.append(record)
        self._wake_server()
        return update_id

    def user_message(
        self,
        text: str,
        chat_id: int | None = None,
        user_id: int | None = None,
        chat_type: str = "private",
        language_code: str | None = "en",
        username: str | None = None,
        *,
        first_name: str | None = None,
        chat_title: str | None = None,
        reply_to_message_id: int | None = None,
        entities: list[dict] | None = None,
        message_thread_id: int | None = None,
    ) -> int:
        """A user writes ``text``; returns the update_id.

        A leading ``/command`` or ``/command@botname`` gets a ``bot_command``
        entity, as Telegram adds.  Private chats have ``chat_id == user_id``
        (either may be given).  Group defaults: ``-400000001`` (group) and
        ``-1001000000001`` (supergroup).
        """
        user, chat = self._user_and_chat(chat_id, user_id, chat_type, language_code, username,
                                         first_name, chat_title)
        message = self._user_message_dict(chat, user)
        message["text"] = text
        if entities is None:
            match = _BOT_COMMAND.match(text)
            if match:
                entities = [{"offset": 0, "length": _utf16_len(match.group(0)), "type": "bot_command"}]
        if entities:
            message["entities"] = entities
        if message_thread_id is not None:
            message["message_thread_id"] = message_thread_id
        if reply_to_message_id is not None:
            with self._lock:
                replied = self._messages.get((chat["id"], reply_to_message_id))
            message["reply_to_message"] = (
                _strip_reply(replied) if replied
                else {"message_id": reply_to_message_id, "chat": chat, "date": message["date"]}
            )
        return self.inject({"message": message})

    def photo_message(
        self,
        caption: str | None = None,
        chat_id: int | None = None,
        user_id: int | None = None,
        chat_type: str = "private",
        language_code: str | None = "en",
        username: str | None = None,
        *,
        data: bytes | None = None,
        first_name: str | None = None,
        chat_title: str | None = None,
    ) -> int:
        """A user sends a photo (``data`` defaults to a small PNG); returns the update_id.

        The ``photo`` array holds a thumbnail and the full size; ``getFile`` on
        either file_id returns a ``file_path`` served under ``base_file_url``.
        """
        data = png_bytes(64, 48) if data is None else data
        user, chat = self._user_and_chat(chat_id, user_id, chat_type, language_code, username,
                                         first_name, chat_title)
        message = self._user_message_dict(chat, user)
        message["photo"] = self._photo_sizes(data)
        if caption is not None:
            message["caption"] = caption
            match = _BOT_COMMAND.match(caption)
            if match:
                message["caption_entities"] = [
                    {"offset": 0, "length": _utf16_len(match.group(0)), "type": "bot_command"}
                ]
        return self.inject({"message": message})

    def callback_query(
        self,
        data: str,
        message_id: int | None = None,
        chat_id: int | None = None,
        user_id: int | None = None,
        *,
        chat_type: str = "private",
        language_code: str | None = "en",
        username: str | None = None,
        first_name: str | None = None,
        inline_message_id: str | None = None,
    ) -> int:
        """A user presses an inline button carrying ``data``; returns the update_id.

        Without ``message_id`` the newest message the bot sent to the chat
        whose keyboard has that ``callback_data`` is used (else the newest
        bot message, else a made-up one).  With ``inline_message_id`` the
        query comes from an inline-mode message and has no ``message``.
        """
        user, chat = self._user_and_chat(chat_id, user_id, chat_type, language_code, username,
                                         first_name, None)
        query: dict[str, Any] = {
            "id": str(next(self._query_ids)),
            "from": user,
            "chat_instance": str(-(abs(hash((chat["id"], self.bot_id))) % 10**18)),
            "data": data,
        }
        if inline_message_id is not None:
            query["inline_message_id"] = inline_message_id
        else:
            query["message"] = self._message_for_callback(chat, data, message_id)
        return self.inject({"callback_query": query})

    def inline_query(
        self,
        query: str,
        user_id: int | None = None,
        *,
        offset: str = "",
        chat_type: str | None = "sender",
        language_code: str | None = "en",
        username: str | None = None,
        first_name: str | None = None,
    ) -> int:
        """A user types ``@bot query``; returns the update_id."""
        user = self._user(user_id if user_id is not None else self.default_user_id,
                          username, first_name, language_code)
        payload: dict[str, Any] = {
            "id": str(next(self._query_ids)),
            "from": user,
            "query": query,
            "offset": offset,
        }
        if chat_type is not None:
            payload["chat_type"] = chat_type
        return self.inject({"inline_query": payload})

    def poll_answer(
        self,
        poll_id: str,
        option_ids: Iterable[int],
        user_id: int | None = None,
        *,
        language_code: str | None = "en",
        username: str | None = None,
        first_name: str | None = None,
    ) -> int:
        """A user votes in a poll the bot sent (``option_ids`` empty: the vote is retracted); returns the
        update_id of the ``poll_answer`` update.

        As Telegram does, only non-anonymous polls report answers, a closed poll takes no vote, a poll
        without ``allows_multiple_answers`` takes one option, and the poll's ``voter_count`` per option and
        ``total_voter_count`` follow the answers (see :meth:`poll`).  Asking for anything Telegram would
        not send raises ValueError: that is a mistake in the test, not in the bot.
        """
        option_ids = [int(o) for o in option_ids]
        user = self._user(self.default_user_id if user_id is None else int(user_id), username, first_name,
                          language_code)
        with self._lock:
            record = self.polls.get(str(poll_id))
            if record is None:
                raise ValueError(f"no poll {poll_id!r} was sent by the bot")
            poll = record["poll"]
            if poll["is_anonymous"]:
                raise ValueError("anonymous polls send no poll_answer updates")
            if poll["is_closed"]:
                raise ValueError("the poll is closed: Telegram takes no more votes")
            if len(option_ids) != len(set(option_ids)) or any(not 0 <= o < len(poll["options"]) for o in option_ids):
                raise ValueError(f"option ids {option_ids} do not fit a poll of {len(poll['options'])} options")
            if len(option_ids) > 1 and not poll["allows_multiple_answers"]:
                raise ValueError("the poll allows one answer")
            answers: dict[int, list[int]] = record["answers"]
            for option in answers.pop(user["id"], []):
                poll["options"][option]["voter_count"] -= 1
            if option_ids:
                answers[user["id"]] = option_ids
                for option in option_ids:
                    poll["options"][option]["voter_count"] += 1
            poll["total_voter_count"] = len(answers)
            message = self._messages.get((record["chat_id"], record["message_id"]))
            if message is not None:
                message["poll"] = poll
        persistent = [poll["options"][o]["persistent_id"] for o in option_ids]
        return self.inject({"poll_answer": {"poll_id": str(poll_id), "user": user, "option_ids": option_ids,
                                            "option_persistent_ids": persistent}})

    def member_left(
        self,
        chat_id: int,
        user_id: int,
        *,
        chat_type: str = "supergroup",
        first_name: str | None = None,
        chat_member_update: bool = False,
    ) -> int:
        """A member leaves a group; returns the update_id.

        By default the ``left_chat_member`` service message every bot in the group gets (privacy mode
        on or off).  With ``chat_member_update=True``, the ``chat_member`` update instead (Telegram sends
        it only to administrators, and only when ``allowed_updates`` asks for it: the double holds it
        back otherwise, as it does any update kind not asked for).
        """
        user, chat = self._user_and_chat(chat_id, user_id, chat_type, None, None, first_name, None)
        if chat_member_update:
            return self.inject({"chat_member": {
                "chat": chat, "from": user, "date": int(time.time()),
                "old_chat_member": {"status": "member", "user": user},
                "new_chat_member": {"status": "left", "user": user},
            }})
        message = self._user_message_dict(chat, user)
        message["left_chat_member"] = user
        return self.inject({"message": message})

    def poll(self, poll_id: str) -> dict | None:
        """The current state of a poll the bot sent (options with voter counts, is_closed)."""
        with self._lock:
            record = self.polls.get(str(poll_id))
            return None if record is None else json.loads(json.dumps(record["poll"]))

    def add_file(self, data: bytes, file_path: str | None = None, *, kind: str = "documents") -> dict:
        """Register bytes to be served by getFile / the file URL; returns a File dict."""
        with self._lock:
            stored = self._store_file(data, kind, file_path)
        return self._file_dict(stored)

    # ------------------------------------------------------------------ #
    # looking at what the bot did
    # ------------------------------------------------------------------ #

    def injected(self, update_id: int) -> dict:
        """The update as injected (what getUpdates or the webhook carries)."""
        with self._lock:
            return self._updates[int(update_id)].payload

    def mark(self) -> int:
        """Current number of calls; pass as ``since=`` to only look at later calls."""
        return len(self.calls)

    def calls_to(self, method: str) -> list[Call]:
        lower = method.lower()
        return [call for call in list(self.calls) if call.method.lower() == lower]

    def sent_to(self, chat_id: int) -> list[SentMessage]:
        return [msg for msg in list(self.sent) if _same_id(msg.chat_id, chat_id)]

    def get_commands(self, scope: dict | None = None, language_code: str = "") -> list[dict]:
        return list(self.commands.get(self._commands_key(scope, language_code), []))

    def message(self, chat_id: int, message_id: int) -> dict | None:
        """The current state of a stored message (after edits)."""
        with self._lock:
            return self._messages.get((int(chat_id), int(message_id)))

    async def wait_for(
        self, predicate: Callable[[Call], bool], timeout: float = 5.0, *, since: int = 0
    ) -> Call:
        """The first call (index >= ``since``) for which ``predicate(call)`` is true.

        Calls already recorded count.  Failed calls are included: check
        ``call.ok`` in the predicate if needed.  Raises :class:`WaitTimeout`.
        """
        [call] = await self._wait(predicate, 1, timeout, since, getattr(predicate, "__name__", "predicate"))
        return call

    async def wait_for_calls(
        self, predicate: Callable[[Call], bool], n: int, timeout: float = 5.0, *, since: int = 0
    ) -> list[Call]:
        """The first ``n`` calls matching ``predicate`` (see :meth:`wait_for`)."""
        return await self._wait(predicate, n, timeout, since, getattr(predicate, "__name__", "predicate"))

    async def replies_to(
        self,
        update_id_or_chat: int | None = None,
        n: int = 1,
        timeout: float = 5.0,
        *,
        update_id: int | None = None,
        chat_id: int | None = None,
        since: int = 0,
        methods: Iterable[str] | None = None,
    ) -> list[Call]:
        """Wait for ``n`` successful outgoing calls answering an update or a chat.

        The positional argument is an update_id when the double injected an
        update with that id, otherwise a chat_id (or use the keywords).
        Outgoing = send*/edit*/answer*/copy/forward/delete/pin calls, not
        sendChatAction (override with ``methods=``).

        For an update: calls made after it was delivered, to its chat (for a
        message; a reply pointing at a *different* message is excluded), or
        answering its callback/inline query id, or editing its
        inline_message_id.  With several in-flight updates in one chat,
        only explicit replies can be told apart - prefer the chat form then.
        For a chat: all such calls to the chat with index >= ``since``.
        """
        if update_id is None and chat_id is None:
            if update_id_or_chat is None:
                raise TypeError("replies_to needs an update_id or a chat_id")
            if int(update_id_or_chat) in self._updates:
                update_id = int(update_id_or_chat)
            else:
                chat_id = int(update_id_or_chat)
        methods = None if methods is None else [m.lower() for m in methods]
        if update_id is not None:
            record = self._updates.get(int(update_id))
            if record is None:
                raise ValueError(f"update {update_id} was not injected by this double")
            return await self._wait(self._reply_matcher(record, methods), n, timeout,
                                    max(since, record.injected_index), f"replies to update {update_id}")

        def to_chat(call: Call) -> bool:
            return call.ok and _is_reply_method(call.method, methods) and _same_id(call.params.get("chat_id"), chat_id)

        return await self._wait(to_chat, n, timeout, since, f"replies to chat {chat_id}")

    def wait_for_sync(
        self, predicate: Callable[[Call], bool], timeout: float = 5.0, *, since: int = 0
    ) -> Call:
        """Blocking :meth:`wait_for` for synchronous tests."""
        deadline = time.monotonic() + timeout
        cursor = since
        with self._cond:
            while True:
                for call in self.calls[cursor:]:
                    if predicate(call):
                        return call
                cursor = len(self.calls)
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise WaitTimeout(self._timeout_message("predicate", 1, 0, timeout))
                self._cond.wait(remaining)

    def _reply_matcher(self, record: _Update, methods: list[str] | None) -> Callable[[Call], bool]:
        def matches(call: Call) -> bool:
            if not call.ok or not _is_reply_method(call.method, methods):
                return False
            delivered = record.delivered_index
            if delivered is None or call.index < delivered:
                return False
            params = call.params
            if record.query_id is not None and record.query_id in (
                str(params.get("callback_query_id")), str(params.get("inline_query_id"))
            ):
                return True
            inline_id = record.inline_message_id
            if inline_id is not None and params.get("inline_message_id") == inline_id:
                return True
            if record.chat_id is not None and _same_id(params.get("chat_id"), record.chat_id):
                target = _reply_target(params)
                if record.kind in _MESSAGE_KINDS and target is not None and target != record.message_id:
                    return False
                return True
            return False

        return matches

    async def _wait(
        self, match: Callable[[Call], bool], n: int, timeout: float, since: int, what: str
    ) -> list[Call]:
        loop = asyncio.get_running_loop()
        waiter = _Waiter(match, n, loop.create_future(), since)
        with self._lock:
            self._async_waiters.setdefault(loop, []).append(waiter)
        try:
            self._scan_waiters(loop)  # calls recorded before we started count too
            return await asyncio.wait_for(waiter.future, timeout)
        except TimeoutError:
            raise WaitTimeout(self._timeout_message(what, n, len(waiter.found), timeout)) from None
        finally:
            with self._lock:
                waiters = self._async_waiters.get(loop)
                if waiters is not None:
                    with contextlib.suppress(ValueError):
                        waiters.remove(waiter)
                    if not waiters:
                        del self._async_waiters[loop]

    def _timeout_message(self, what: str, n: int, got: int, timeout: float) -> str:
        recent = "\n".join(f"  {call!r}" for call in self.calls[-15:]) or "  (no calls at all)"
        return (
            f"TelegramDouble: waited {timeout:g}s for {n} x {what}, got {got}. "
            f"Last calls:\n{recent}\npending updates: {self.pending_update_count}"
        )

    # ------------------------------------------------------------------ #
    # notifications (thread plumbing)
    # ------------------------------------------------------------------ #

    def _record(self, call: Call) -> None:
        """Append a call and wake test-side waiters. Caller holds no expectations."""
        with self._lock:
            call.index = len(self.calls)
            self.calls.append(call)
            self._cond.notify_all()
            for loop in self._async_waiters:
                if loop not in self._loops_pending:
                    self._loops_pending.add(loop)
                    try:
                        loop.call_soon_threadsafe(self._flush_waiters, loop)
                    except RuntimeError:  # that loop is closed
                        self._loops_pending.discard(loop)

    def _flush_waiters(self, loop: asyncio.AbstractEventLoop) -> None:
        with self._lock:
            self._loops_pending.discard(loop)
        self._scan_waiters(loop)

    def _scan_waiters(self, loop: asyncio.AbstractEventLoop) -> None:
        """Feed new calls to the waiters of ``loop`` (runs on that loop)."""
        with self._lock:
            waiters = list(self._async_waiters.get(loop, ()))
            end = len(self.calls)
        calls = self.calls
        for waiter in waiters:
            if waiter.future.done() or waiter.cursor >= end:
                continue
            start, waiter.cursor = waiter.cursor, end
            try:
                for call in calls[start:end]:
                    if waiter.match(call):
                        waiter.found.append(call)
                        if len(waiter.found) >= waiter.n:
                            waiter.future.set_result(waiter.found[: waiter.n])
                            break
            except Exception as exc:  # a broken predicate fails its own wait
                waiter.future.set_exception(exc)

    def _wake_server(self) -> None:
        loop = self._loop
        if loop is None:
            return
        try:
            if threading.current_thread() is self._thread:
                self._wake_all()
            else:
                loop.call_soon_threadsafe(self._wake_all)
        except RuntimeError:
            pass

    def _wake_all(self) -> None:
        for poller in list(self._pollers):
            poller.event.set()

    # ------------------------------------------------------------------ #
    # request dispatch (server loop)
    # ------------------------------------------------------------------ #

    async def _handle_call(
        self,
        method: str,
        params: dict[str, Any],
        files: dict[str, bytes],
        http_method: str,
        content_type: str,
        poller: _Poller,
    ) -> tuple[int, bytes]:
        call = Call(index=-1, method=method, params=params, files=files, time=time.time(),
                    http_method=http_method, content_type=content_type)
        lower = method.lower()
        try:
            with self._lock:
                queue = self._failures.get(lower)
                if queue:
                    raise queue.popleft()
            if lower == "getupdates":
                result = await self._get_updates(call, poller)
            else:
                handler = self._handlers.get(lower, self._api_fallback)
                with self._lock:
                    result = handler(call)
        except ApiError as error:
            call.error = error.as_json()
            if call.index < 0:
                self._record(call)
            return error.error_code, _json_bytes(call.error)
        except Exception as exc:  # a bug in the double: answer 500, keep it visible
            self.internal_errors.append(exc)
            call.error = ApiError(500, f"Internal Server Error: TelegramDouble failed on {method}: {exc!r}").as_json()
            if call.index < 0:
                self._record(call)
            return 500, _json_bytes(call.error)
        call.result = result
        if call.index < 0:
            self._record(call)
        return 200, _json_bytes({"ok": True, "result": result})

    async def _get_updates(self, call: Call, poller: _Poller) -> list[dict]:
        params = call.params
        try:
            offset = int(params.get("offset") or 0)
            limit = max(1, min(100, int(params.get("limit") or 100)))
            timeout = max(0.0, min(50.0, float(params.get("timeout") or 0)))
        except (TypeError, ValueError) as exc:
            raise ApiError(400, "Bad Request: wrong parameter in getUpdates") from exc
        loop = asyncio.get_running_loop()
        with self._lock:
            if self._webhook.get("url"):
                raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                    "use deleteWebhook to delete the webhook first")
            if "allowed_updates" in params:
                self._set_allowed_updates(params["allowed_updates"])
            previous, self._active_poll = self._active_poll, poller
            self._record(call)
        if previous is not None:
            previous.kicked = True
            previous.event.set()
        self._pollers.add(poller)
        deadline = loop.time() + timeout
        try:
            while True:
                poller.event.clear()
                if poller.kicked:
                    raise ApiError(409, "Conflict: terminated by other getUpdates request; "
                                        "make sure that only one bot instance is running")
                with self._lock:
                    batch = [] if self._webhook.get("url") else self._take_updates(offset, limit)
                remaining = deadline - loop.time()
                if batch or remaining <= 0 or self._stopping or poller.closed:
                    return batch
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(poller.event.wait(), remaining)
        finally:
            self._pollers.discard(poller)
            if self._active_poll is poller:
                self._active_poll = None

    def _take_updates(self, offset: int, limit: int) -> list[dict]:
        pending = self._pending
        if offset < 0:
            keep = -offset
            while len(pending) > keep:
                pending.popleft()
        else:
            while pending and pending[0].update_id < offset:
                pending.popleft()
        batch: list[_Update] = []
        dropped = False
        for record in pending:
            if not self._allowed(record.kind):
                record.dropped = dropped = True
                continue
            batch.append(record)
            if len(batch) >= limit:
                break
        if dropped:
            self._pending = deque(r for r in pending if not r.dropped)
        now = time.time()
        for record in batch:
            if record.delivered_index is None:
                record.delivered_index = len(self.calls)
                record.delivered_at = now
        return [record.payload for record in batch]

    def _allowed(self, kind: str) -> bool:
        if self._allowed_updates:
            return kind in self._allowed_updates
        return kind not in _DEFAULT_EXCLUDED_UPDATES

    def _set_allowed_updates(self, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, str):
            value = json.loads(value) if value.startswith("[") else [value]
        self._allowed_updates = list(value) or None

    # ------------------------------------------------------------------ #
    # webhook delivery (server loop)
    # ------------------------------------------------------------------ #

    def _ensure_webhook_worker(self) -> None:
        if self._loop is None:
            return
        if self._webhook_task is None or self._webhook_task.done():
            def create() -> None:
                if self._webhook_task is None or self._webhook_task.done():
                    self._webhook_task = asyncio.ensure_future(self._webhook_worker())
            if threading.current_thread() is self._thread:
                create()
            else:
                self._loop.call_soon_threadsafe(create)

    async def _webhook_worker(self) -> None:
        """Deliver pending updates as Telegram does: up to ``max_connections`` POSTs at once (setWebhook's,
        default 40), in arrival order; an update leaves the queue only on a 2xx answer, and a failed one is
        tried again after its own back-off (``webhook_retry_delay``, doubling up to 1 s)."""
        poller = _Poller()
        self._pollers.add(poller)
        running: set[asyncio.Task] = set()
        loop = asyncio.get_running_loop()
        try:
            limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
            async with httpx.AsyncClient(trust_env=False, timeout=60, limits=limits) as client:
                while not self._stopping:
                    poller.event.clear()
                    now = loop.time()
                    next_retry: float | None = None
                    picked: list[_Update] = []
                    with self._lock:
                        url = self._webhook.get("url")
                        secret = self._webhook.get("secret_token")
                        limit = self._webhook.get("max_connections", 40)
                        if url:
                            while self._pending and not self._allowed(self._pending[0].kind):
                                self._pending.popleft()
                            busy = sum(record.in_flight for record in self._pending)
                            for record in self._pending:
                                if busy + len(picked) >= limit:
                                    break
                                if record.in_flight:
                                    continue
                                if record.retry_at > now:
                                    next_retry = min(next_retry or record.retry_at, record.retry_at)
                                    continue
                                record.in_flight = True
                                picked.append(record)
                                if record.delivered_index is None:
                                    record.delivered_index = len(self.calls)
                                    record.delivered_at = time.time()
                    if not url:
                        return
                    for record in picked:
                        task = asyncio.ensure_future(self._deliver(client, url, secret, record, poller))
                        running.add(task)
                        task.add_done_callback(running.discard)
                    wait = None if next_retry is None else max(0.0, next_retry - loop.time())
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(poller.event.wait(), wait)
        finally:
            for task in running:
                task.cancel()
            self._pollers.discard(poller)

    async def _deliver(self, client: httpx.AsyncClient, url: str, secret: str | None, record: _Update,
                       poller: _Poller) -> None:
        headers = {"Content-Type": "application/json"}
        if secret:
            headers["X-Telegram-Bot-Api-Secret-Token"] = secret
        attempt = WebhookAttempt(record.update_id, started=time.monotonic())
        with self._lock:
            self.webhook_attempts.append(attempt)
        error: str | None = None
        try:
            response = await client.post(url, content=_json_bytes(record.payload), headers=headers)
            attempt.status = response.status_code
            attempt.worker = response.headers.get("X-Bot-Worker")
            if not 200 <= attempt.status < 300:
                error = f"Wrong response from the webhook: {attempt.status} {response.reason_phrase}"
        except httpx.HTTPError as exc:
            error = f"Connection failed: {type(exc).__name__}: {exc}"
        attempt.ended, attempt.error = time.monotonic(), error
        with self._lock:
            self.webhook_deliveries.append((record.update_id, attempt.status, error))
            record.in_flight = False
            if error is None:
                with contextlib.suppress(ValueError):
                    self._pending.remove(record)
            else:
                self._webhook_last_error = (int(time.time()), error)
                record.retry_delay = min(record.retry_delay * 2, 1.0) if record.retry_delay else \
                    self.webhook_retry_delay
                record.retry_at = asyncio.get_running_loop().time() + record.retry_delay
        poller.event.set()

    def webhook_in_flight(self, since: float, until: float) -> list[WebhookAttempt]:
        """Webhook POSTs that were open at some moment between ``since`` and ``until`` (``time.monotonic()``):
        sent before ``until`` and not answered before ``since``. Around a worker's kill, these are the updates
        that may be lost or answered twice; every other one must be answered exactly once."""
        with self._lock:
            return [a for a in self.webhook_attempts
                    if a.started <= until and (a.ended is None or a.ended >= since)]

    # ------------------------------------------------------------------ #
    # chats, users, messages, files (caller holds the lock where needed)
    # ------------------------------------------------------------------ #

    def _user(self, user_id: int, username: str | None, first_name: str | None,
              language_code: str | None) -> dict:
        user: dict[str, Any] = {
            "id": int(user_id),
            "is_bot": False,
            "first_name": first_name or f"User{user_id}",
            "username": username or f"user{user_id}",
        }
        if language_code:
            user["language_code"] = language_code
        return user

    def _user_and_chat(self, chat_id: int | None, user_id: int | None, chat_type: str,
                       language_code: str | None, username: str | None, first_name: str | None,
                       chat_title: str | None) -> tuple[dict, dict]:
        if chat_type == "private":
            if chat_id is not None and user_id is not None and int(chat_id) != int(user_id):
                raise ValueError("in a private chat chat_id equals user_id")
            user_id = user_id if user_id is not None else chat_id
            user_id = self.default_user_id if user_id is None else int(user_id)
            user = self._user(user_id, username, first_name, language_code)
            chat = {"id": user_id, "type": "private", "first_name": user["first_name"],
                    "username": user["username"]}
        elif chat_type in ("group", "supergroup", "channel"):
            user = self._user(self.default_user_id if user_id is None else int(user_id),
                              username, first_name, language_code)
            if chat_id is None:
                chat_id = -400000001 if chat_type == "group" else -1001000000001
            with self._lock:
                known = self._chats.get(int(chat_id))
            title = chat_title or (known or {}).get("title") or f"Test {chat_type} {abs(int(chat_id))}"
            chat = {"id": int(chat_id), "type": chat_type, "title": title}
        else:
            raise ValueError(f"unknown chat_type {chat_type!r}")
        return user, chat

    def _remember_chat(self, chat: dict) -> None:
        self._chats[int(chat["id"])] = chat
        if chat.get("username"):
            self._chat_by_username[chat["username"].lower()] = int(chat["id"])

    def _user_message_dict(self, chat: dict, user: dict) -> dict:
        with self._lock:
            message_id = self._next_message_id.get(chat["id"], 1)
            self._next_message_id[chat["id"]] = message_id + 1
        return {"message_id": message_id, "from": user, "chat": chat, "date": int(time.time())}

    def _chat_for(self, value: Any) -> dict:
        chat_id = _norm_id(value)
        if chat_id is None:
            raise ApiError(400, "Bad Request: chat_id is empty")
        if isinstance(chat_id, str):
            if not chat_id.startswith("@"):
                raise ApiError(400, "Bad Request: chat not found")
            known = self._chat_by_username.get(chat_id[1:].lower())
            if known is None:
                known = -1002000000000 - len(self._chat_by_username)
                self._remember_chat({"id": known, "type": "channel", "title": chat_id[1:],
                                     "username": chat_id[1:]})
            chat_id = known
        chat = self._chats.get(chat_id)
        if chat is None:
            if chat_id > 0:
                chat = {"id": chat_id, "type": "private", "first_name": f"User{chat_id}"}
            elif str(chat_id).startswith("-100"):
                chat = {"id": chat_id, "type": "supergroup", "title": f"Chat {chat_id}"}
            else:
                chat = {"id": chat_id, "type": "group", "title": f"Chat {chat_id}"}
            self._remember_chat(chat)
        if chat_id in self._blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        return chat

    def _new_bot_message(self, chat: dict, params: dict, **content: Any) -> dict:
        chat_id = chat["id"]
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        message: dict[str, Any] = {
            "message_id": message_id,
            "from": self.bot_user,
            "chat": chat,
            "date": int(time.time()),
        }
        if params.get("message_thread_id") is not None:
            message["message_thread_id"] = params["message_thread_id"]
        target = _reply_target(params)
        if target is not None:
            replied = self._messages.get((chat_id, target))
            if replied is not None:
                message["reply_to_message"] = _strip_reply(replied)
        message.update({k: v for k, v in content.items() if v is not None})
        self._messages[(chat_id, message_id)] = message
        return message

    def _record_sent(self, call: Call, chat: dict | None, message: dict | bool, *, edit: bool = False,
                     photo_size: int | None = None) -> None:
        params = call.params
        markup = params.get("reply_markup")
        reply_parameters = params.get("reply_parameters")
        is_dict = isinstance(message, dict)
        record = SentMessage(
            method=call.method,
            chat_id=chat["id"] if chat else _norm_id(params.get("chat_id")),
            message_id=message["message_id"] if is_dict else _norm_id(params.get("message_id")),  # type: ignore[index,arg-type]
            text=params.get("text") if params.get("text") is not None else params.get("caption"),
            parse_mode=params.get("parse_mode"),
            reply_markup=markup if isinstance(markup, dict) else None,
            reply_parameters=reply_parameters if isinstance(reply_parameters, dict) else None,
            reply_to_message_id=_reply_target(params),
            caption=params.get("caption"),
            photo_size=photo_size,
            date=message["date"] if is_dict else int(time.time()),  # type: ignore[index]
            params=params,
            call_index=len(self.calls),
            message=message,
            inline_message_id=params.get("inline_message_id"),
        )
        (self.edits if edit else self.sent).append(record)

    def _message_for_callback(self, chat: dict, data: str, message_id: int | None) -> dict:
        with self._lock:
            if message_id is not None:
                known = self._messages.get((chat["id"], int(message_id)))
                if known is not None:
                    # As Telegram does: the message keeps the one message it replies to (whose own
                    # reply_to_message was stripped when it was stored), so a bot can tell who asked.
                    return known
            else:
                fallback = None
                for sent in reversed(self.sent):
                    if not _same_id(sent.chat_id, chat["id"]) or not isinstance(sent.message, dict):
                        continue
                    current = self._messages.get((chat["id"], sent.message["message_id"]), sent.message)
                    fallback = fallback or current
                    if _has_button(current.get("reply_markup"), data):
                        return _strip_reply(current)
                if fallback is not None:
                    return _strip_reply(fallback)
            if chat["id"] not in self._chats:
                self._remember_chat(chat)
            if message_id is None:
                message_id = self._next_message_id.get(chat["id"], 1)
                self._next_message_id[chat["id"]] = message_id + 1
            message = {
                "message_id": int(message_id),
                "from": self.bot_user,
                "chat": chat,
                "date": int(time.time()),
                "text": "(message made up by TelegramDouble)",
                "reply_markup": {"inline_keyboard": [[{"text": data, "callback_data": data}]]},
            }
            self._messages[(chat["id"], int(message_id))] = message
            return message

    def _photo_sizes(self, data: bytes) -> list[dict]:
        width, height = _image_size(data) or (800, 600)
        with self._lock:
            full = self._store_file(data, "photos", None)
            thumb = self._store_file(data, "photos", None)
        scale = min(1.0, 90 / max(width, height, 1))
        return [
            {"file_id": thumb.file_id, "file_unique_id": thumb.file_unique_id, "file_size": len(data),
             "width": max(1, round(width * scale)), "height": max(1, round(height * scale))},
            {"file_id": full.file_id, "file_unique_id": full.file_unique_id, "file_size": len(data),
             "width": width, "height": height},
        ]

    def _store_file(self, data: bytes, kind: str, file_path: str | None) -> _File:
        number = next(self._file_counter)
        suffix = ".png" if data[:4] == b"\x89PNG" else ".jpg" if data[:2] == b"\xff\xd8" else ""
        stored = _File(
            file_id=f"AgACAgIAAxkDAAI{number:08d}{kind[:3].upper()}",
            file_unique_id=f"AQAD{number:06d}",
            file_path=file_path or f"{kind}/file_{number}{suffix}",
            data=bytes(data),
        )
        self._files[stored.file_id] = stored
        self._files_by_path[stored.file_path] = stored
        return stored

    @staticmethod
    def _file_dict(stored: _File) -> dict:
        return {"file_id": stored.file_id, "file_unique_id": stored.file_unique_id,
                "file_size": len(stored.data), "file_path": stored.file_path}

    def _commands_key(self, scope: Any, language_code: Any) -> tuple[str, str]:
        if not scope:
            scope = {"type": "default"}
        if isinstance(scope, str):
            scope = json.loads(scope)
        return json.dumps(scope, sort_keys=True), str(language_code or "")

    def _checked_text(self, value: Any, parse_mode: Any, *, caption: bool) -> str:
        text = str(value)
        if not self.strict:
            return text
        plain = _plain_text(text, parse_mode)
        limit = 1024 if caption else 4096
        if _utf16_len(plain) > limit:
            raise ApiError(400, "Bad Request: message caption is too long" if caption
                           else "Bad Request: message is too long")
        if not caption and not plain.strip():
            raise ApiError(400, "Bad Request: message text is empty")
        return plain

    def _checked_markup(self, markup: Any) -> dict | None:
        if not self.strict:
            return markup if isinstance(markup, dict) else None
        return _check_reply_markup(markup)

    # ------------------------------------------------------------------ #
    # Bot API methods (server loop, lock held)
    # ------------------------------------------------------------------ #

    def _api_get_me(self, call: Call) -> dict:
        return {
            **self.bot_user,
            "can_join_groups": self.can_join_groups,
            "can_read_all_group_messages": self.can_read_all_group_messages,
            "supports_inline_queries": self.supports_inline_queries,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    def _api_set_webhook(self, call: Call) -> bool:
        params = call.params
        url = params.get("url") or ""
        if not url:
            return self._api_delete_webhook(call)
        if not re.match(r"https?://", str(url)):
            raise ApiError(400, "Bad Request: bad webhook: Failed to resolve host: Name or service not known")
        secret = params.get("secret_token")
        if secret is not None and not _SECRET_TOKEN.match(str(secret)):
            raise ApiError(400, "Bad Request: secret token contains unallowed characters")
        if params.get("drop_pending_updates"):
            self._pending.clear()
        if "allowed_updates" in params:
            self._set_allowed_updates(params["allowed_updates"])
        self._webhook = {
            "url": str(url),
            "secret_token": None if secret is None else str(secret),
            "max_connections": int(params.get("max_connections") or 40),
            "ip_address": params.get("ip_address"),
            "has_custom_certificate": "certificate" in params,
        }
        self._webhook_last_error = None
        if self._active_poll is not None:
            self._active_poll.event.set()
        self._ensure_webhook_worker()
        return True

    def _api_delete_webhook(self, call: Call) -> bool:
        if call.params.get("drop_pending_updates"):
            self._pending.clear()
        self._webhook = {}
        self._webhook_last_error = None
        self._wake_all()
        return True

    def _api_get_webhook_info(self, call: Call) -> dict:
        info: dict[str, Any] = {
            "url": self._webhook.get("url", ""),
            "has_custom_certificate": bool(self._webhook.get("has_custom_certificate")),
            "pending_update_count": len(self._pending),
        }
        if info["url"]:
            info["max_connections"] = self._webhook["max_connections"]
            if self._webhook.get("ip_address"):
                info["ip_address"] = self._webhook["ip_address"]
            if self._allowed_updates:
                info["allowed_updates"] = list(self._allowed_updates)
            if self._webhook_last_error:
                info["last_error_date"], info["last_error_message"] = self._webhook_last_error
        return info

    def _api_send_message(self, call: Call) -> dict:
        params = call.params
        chat = self._chat_for(params.get("chat_id"))
        if params.get("text") is None or str(params.get("text")) == "":
            raise ApiError(400, "Bad Request: message text is empty")
        text = self._checked_text(params["text"], params.get("parse_mode"), caption=False)
        markup = self._checked_markup(params.get("reply_markup"))
        message = self._new_bot_message(
            chat, params, text=text,
            reply_markup=markup if markup and "inline_keyboard" in markup else None,
        )
        self._record_sent(call, chat, message)
        return message

    def _api_send_photo(self, call: Call) -> dict:
        params = call.params
        chat = self._chat_for(params.get("chat_id"))
        photo = params.get("photo")
        data: bytes | None = None
        if "photo" in call.files:
            data = call.files["photo"]
        elif isinstance(photo, str) and photo.startswith("attach://"):
            data = call.files.get(photo[len("attach://"):])
        elif isinstance(photo, str) and photo in self._files:
            data = self._files[photo].data
        elif isinstance(photo, str) and re.match(r"https?://", photo):
            data = png_bytes(8, 8)
        if data is None:
            raise ApiError(400, "Bad Request: there is no photo in the request")
        caption = params.get("caption")
        if caption is not None:
            caption = self._checked_text(caption, params.get("parse_mode"), caption=True)
        markup = self._checked_markup(params.get("reply_markup"))
        message = self._new_bot_message(
            chat, params, photo=self._photo_sizes(data), caption=caption or None,
            reply_markup=markup if markup and "inline_keyboard" in markup else None,
        )
        from_url = isinstance(photo, str) and photo.startswith(("http://", "https://"))
        self._record_sent(call, chat, message, photo_size=None if from_url else len(data))
        return message

    def _editable(self, params: dict) -> tuple[dict | None, dict | None]:
        """(chat, stored message) for an edit, or (None, None) for inline messages."""
        if params.get("inline_message_id"):
            return None, None
        if params.get("chat_id") is None or params.get("message_id") is None:
            raise ApiError(400, "Bad Request: message identifier is not specified")
        chat = self._chat_for(params["chat_id"])
        stored = self._messages.get((chat["id"], int(params["message_id"])))
        if stored is None:
            raise ApiError(400, "Bad Request: message to edit not found")
        if (stored.get("from") or {}).get("id") != self.bot_id:
            raise ApiError(400, "Bad Request: message can't be edited")
        return chat, stored

    def _apply_edit(self, call: Call, chat: dict | None, stored: dict | None, **changes: Any) -> dict | bool:
        if stored is None:
            self._record_sent(call, None, True, edit=True)
            return True
        markup = changes.pop("reply_markup")
        new = {k: v for k, v in stored.items() if k != "reply_markup"}
        new.update(changes)
        if markup and "inline_keyboard" in markup:
            new["reply_markup"] = markup
        if self.strict and all(new.get(k) == stored.get(k) for k in (*changes, "reply_markup")):
            raise ApiError(400, "Bad Request: message is not modified: specified new message content "
                                "and reply markup are exactly the same as a current content and reply "
                                "markup of the message")
        new["edit_date"] = int(time.time())
        self._messages[(stored["chat"]["id"], stored["message_id"])] = new
        self._record_sent(call, chat, new, edit=True)
        return new

    def _api_edit_message_text(self, call: Call) -> dict | bool:
        params = call.params
        if params.get("text") is None or str(params.get("text")) == "":
            raise ApiError(400, "Bad Request: message text is empty")
        text = self._checked_text(params["text"], params.get("parse_mode"), caption=False)
        markup = self._checked_markup(params.get("reply_markup"))
        chat, stored = self._editable(params)
        if stored is not None and "text" not in stored:
            raise ApiError(400, "Bad Request: there is no text in the message to edit")
        return self._apply_edit(call, chat, stored, text=text, reply_markup=markup)

    def _api_edit_message_reply_markup(self, call: Call) -> dict | bool:
        markup = self._checked_markup(call.params.get("reply_markup"))
        chat, stored = self._editable(call.params)
        return self._apply_edit(call, chat, stored, reply_markup=markup)

    def _answer_query(self, query_id: Any, store: dict[str, dict], params: dict) -> None:
        query_id = None if query_id is None else str(query_id)
        if self.strict and (query_id is None or query_id not in self._known_queries or query_id in store):
            raise ApiError(400, "Bad Request: query is too old and response timeout expired or query ID is invalid")
        store[str(query_id)] = params

    def _api_answer_callback_query(self, call: Call) -> bool:
        text = call.params.get("text")
        if self.strict and text is not None and len(str(text)) > 200:
            raise ApiError(400, "Bad Request: MESSAGE_TOO_LONG")
        self._answer_query(call.params.get("callback_query_id"), self.callback_answers, call.params)
        return True

    def _api_answer_inline_query(self, call: Call) -> bool:
        results = call.params.get("results")
        if isinstance(results, str):
            results = json.loads(results)
        if not isinstance(results, list):
            raise ApiError(400, "Bad Request: can't parse inline query results JSON object")
        if self.strict:
            if len(results) > 50:
                raise ApiError(400, "Bad Request: RESULTS_TOO_MUCH")
            ids = [r.get("id") for r in results if isinstance(r, dict)]
            if len(ids) != len(results) or not all(ids) or not all(r.get("type") for r in results):
                raise ApiError(400, "Bad Request: can't parse inline query result")
            if len(set(ids)) != len(ids):
                raise ApiError(400, "Bad Request: RESULT_ID_DUPLICATE")
        self._answer_query(call.params.get("inline_query_id"), self.inline_answers, call.params)
        return True

    def _api_send_chat_action(self, call: Call) -> bool:
        self._chat_for(call.params.get("chat_id"))
        if self.strict and call.params.get("action") not in _CHAT_ACTIONS:
            raise ApiError(400, "Bad Request: wrong parameter action in request")
        return True

    def _api_set_my_commands(self, call: Call) -> bool:
        commands = call.params.get("commands")
        if isinstance(commands, str):
            commands = json.loads(commands)
        if not isinstance(commands, list):
            raise ApiError(400, "Bad Request: can't parse commands JSON object")
        if self.strict:
            for command in commands:
                if not isinstance(command, dict) or not _COMMAND_NAME.match(str(command.get("command", ""))):
                    raise ApiError(400, "Bad Request: BOT_COMMAND_INVALID")
                if not 1 <= len(str(command.get("description", ""))) <= 256:
                    raise ApiError(400, "Bad Request: BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._commands_key(call.params.get("scope"), call.params.get("language_code"))
        if commands:
            self.commands[key] = [{"command": c["command"], "description": c["description"]} for c in commands]
        else:
            self.commands.pop(key, None)
        return True

    def _api_get_my_commands(self, call: Call) -> list[dict]:
        key = self._commands_key(call.params.get("scope"), call.params.get("language_code"))
        return list(self.commands.get(key, []))

    def _api_delete_my_commands(self, call: Call) -> bool:
        key = self._commands_key(call.params.get("scope"), call.params.get("language_code"))
        self.commands.pop(key, None)
        return True

    def _api_get_file(self, call: Call) -> dict:
        stored = self._files.get(str(call.params.get("file_id")))
        if stored is None:
            raise ApiError(400, "Bad Request: invalid file_id")
        return self._file_dict(stored)

    def _api_send_poll(self, call: Call) -> dict:
        """sendPoll: a regular or quiz poll of 2-12 options (1-100 characters each) and a question of
        1-300; non-anonymous polls are refused in channels; the Message carries the Poll."""
        params = call.params
        chat = self._chat_for(params.get("chat_id"))
        question = str(params.get("question") or "")
        if not question.strip():
            raise ApiError(400, "Bad Request: poll question must be non-empty")
        if len(question) > 300:
            raise ApiError(400, "Bad Request: poll question length must not exceed 300")
        options = params.get("options")
        if isinstance(options, str):
            try:
                options = json.loads(options)
            except ValueError as exc:
                raise ApiError(400, "Bad Request: can't parse options JSON object") from exc
        if not isinstance(options, list):
            raise ApiError(400, "Bad Request: can't parse options JSON object")
        texts = [str(o.get("text", "")) if isinstance(o, dict) else str(o) for o in options]
        if len(texts) < 2:
            raise ApiError(400, "Bad Request: poll must have at least 2 option")
        if len(texts) > 12:
            raise ApiError(400, "Bad Request: poll can't have more than 12 options")
        if any(not t.strip() for t in texts):
            raise ApiError(400, "Bad Request: poll options must be non-empty")
        if any(len(t) > 100 for t in texts):
            raise ApiError(400, "Bad Request: poll options length must not exceed 100")
        anonymous = params.get("is_anonymous")
        anonymous = True if anonymous is None else anonymous in (True, "true", "True", 1)
        if not anonymous and chat.get("type") == "channel":
            raise ApiError(400, "Bad Request: non-anonymous polls can't be sent to channel chats")
        kind = str(params.get("type") or "regular")
        if kind not in ("regular", "quiz"):
            raise ApiError(400, "Bad Request: wrong poll type specified")
        multiple = params.get("allows_multiple_answers") in (True, "true", "True", 1) and kind == "regular"
        poll_id = str(next(self._poll_ids))
        poll = {
            "id": poll_id,
            "question": question,
            # persistent_id: an option's id that survives edits of the poll (required since Bot API 9.6)
            "options": [{"text": t, "voter_count": 0, "persistent_id": f"{poll_id}:{k}"} for k, t in enumerate(texts)],
            "total_voter_count": 0,
            "is_closed": params.get("is_closed") in (True, "true", "True", 1),
            "is_anonymous": anonymous,
            "type": kind,
            "allows_multiple_answers": multiple,
            # required fields of a Poll since Bot API 9.6 and 10.0
            "allows_revoting": params.get("allows_revoting") not in (False, "false", "False", 0),
            "members_only": params.get("members_only") in (True, "true", "True", 1),
        }
        markup = self._checked_markup(params.get("reply_markup"))
        message = self._new_bot_message(
            chat, params, poll=poll, reply_markup=markup if markup and "inline_keyboard" in markup else None)
        self.polls[poll["id"]] = {"poll": poll, "chat_id": chat["id"], "message_id": message["message_id"],
                                  "answers": {}}
        self._record_sent(call, chat, message)
        return message

    def _api_stop_poll(self, call: Call) -> dict:
        """stopPoll: closes a poll the bot sent and returns the Poll; the message's inline keyboard becomes
        the one given (none when none is)."""
        params = call.params
        if params.get("chat_id") is None or params.get("message_id") is None:
            raise ApiError(400, "Bad Request: message identifier is not specified")
        chat = self._chat_for(params["chat_id"])
        stored = self._messages.get((chat["id"], int(params["message_id"])))
        if stored is None or "poll" not in stored:
            raise ApiError(400, "Bad Request: message with poll to stop not found")
        if (stored.get("from") or {}).get("id") != self.bot_id:
            raise ApiError(400, "Bad Request: message can't be edited")
        record = self.polls.get(stored["poll"]["id"])
        poll = record["poll"] if record else stored["poll"]
        if poll["is_closed"]:
            raise ApiError(400, "Bad Request: poll has already been closed")
        poll["is_closed"] = True
        markup = self._checked_markup(params.get("reply_markup"))
        new = {k: v for k, v in stored.items() if k != "reply_markup"}
        new["poll"] = poll
        if markup and "inline_keyboard" in markup:
            new["reply_markup"] = markup
        self._messages[(chat["id"], stored["message_id"])] = new
        self._record_sent(call, chat, new, edit=True)
        return json.loads(json.dumps(poll))

    def _api_log_out(self, call: Call) -> bool:
        self.logged_out = True
        return True

    def _api_close(self, call: Call) -> bool:
        self.closed = True
        return True

    def _api_fallback(self, call: Call) -> Any:
        """Unknown methods: recorded in ``unknown_methods``; send* answer a Message."""
        lower = call.method.lower()
        self.unknown_methods.append(call.method)
        params = call.params
        if lower == "sendmediagroup":
            chat = self._chat_for(params.get("chat_id"))
            media = params.get("media") or []
            messages = [self._new_bot_message(chat, params, caption=(m or {}).get("caption"),
                                              media_group_id=f"mg{call.time:.0f}")
                        for m in (media if isinstance(media, list) else [])]
            for message in messages:
                self._record_sent(call, chat, message)
            return messages
        if lower in ("copymessage", "forwardmessage") or (lower.startswith("send") and lower != "sendchataction"):
            chat = self._chat_for(params.get("chat_id"))
            content: dict[str, Any] = {}
            if params.get("text") is not None:
                content["text"] = self._checked_text(params["text"], params.get("parse_mode"), caption=False)
            if params.get("caption") is not None:
                content["caption"] = self._checked_text(params["caption"], params.get("parse_mode"), caption=True)
            markup = self._checked_markup(params.get("reply_markup"))
            if markup and "inline_keyboard" in markup:
                content["reply_markup"] = markup
            message = self._new_bot_message(chat, params, **content)
            self._record_sent(call, chat, message)
            return {"message_id": message["message_id"]} if lower == "copymessage" else message
        return True


def _strip_reply(message: dict) -> dict:
    return {k: v for k, v in message.items() if k != "reply_to_message"}


def _has_button(markup: Any, data: str) -> bool:
    if not isinstance(markup, dict):
        return False
    return any(
        isinstance(button, dict) and button.get("callback_data") == data
        for row in markup.get("inline_keyboard") or []
        for button in row
    )
