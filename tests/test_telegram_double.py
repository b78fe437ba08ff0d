"""Self-test of tests/telegram_double.py against a real python-telegram-bot Application.

Everything runs on 127.0.0.1; no Telegram, no internet.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import time
import types
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from telegram import (
    Bot,
    BotCommand,
    BotCommandScopeAllGroupChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    InlineQueryResultArticle,
    InputTextMessageContent,
    Update,
)
from telegram.error import BadRequest, NetworkError
from telegram.ext import (
    AIORateLimiter,
    Application,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    InlineQueryHandler,
    MessageHandler,
    _aioratelimiter,
    filters,
)

sys.path.insert(0, os.path.dirname(__file__))

from telegram_double import TelegramDouble, WaitTimeout, free_port, png_bytes  # noqa: E402


async def until(condition, timeout: float = 30.0) -> None:
    """Wait for `condition()` to hold; the timeout only bounds a hang, it orders nothing."""
    async def poll() -> None:
        while not condition():
            await asyncio.sleep(0.01)

    await asyncio.wait_for(poll(), timeout)

TOKEN = "123456:TEST-token"
BOT_USERNAME = "our_test_bot"
SECRET = "s3cr3t-token_OK"
PHOTO = png_bytes(3, 2)



@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    # httpx (used by PTB) honours *_PROXY variables; loopback must never go through a proxy.
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")


@pytest_asyncio.fixture
async def double() -> AsyncIterator[TelegramDouble]:
    async with TelegramDouble(token=TOKEN, bot_username=BOT_USERNAME) as tg:
        yield tg


# --------------------------------------------------------------------------- #
# a small bot exercising each kind of update
# --------------------------------------------------------------------------- #


def build_app(tg: TelegramDouble, *, rate_limiter: bool = False) -> tuple[Application, list[BaseException]]:
    builder = Application.builder().token(tg.token).base_url(tg.base_url).base_file_url(tg.base_file_url)
    if rate_limiter:
        builder = builder.rate_limiter(AIORateLimiter(max_retries=1))
    app = builder.build()
    errors: list[BaseException] = []

    async def start(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Like", callback_data="like")]])
        await update.effective_message.reply_text(
            f"Hello, <b>{update.effective_user.first_name}</b>!", parse_mode="HTML", reply_markup=keyboard
        )

    async def count(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(f"n={context.args[0]}")

    async def photo_cmd(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await context.bot.send_chat_action(update.effective_chat.id, "upload_photo")
        await update.effective_message.reply_photo(PHOTO, caption="a tiny picture")

    async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.effective_message.reply_text(f"echo: {update.effective_message.text}", do_quote=True)

    async def got_photo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        file = await update.effective_message.photo[-1].get_file()
        data = await file.download_as_bytearray()
        await update.effective_message.reply_text(f"got {len(data)} bytes")

    async def button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.callback_query.answer("Liked!")
        await update.callback_query.edit_message_text("You liked it")

    async def inline(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.inline_query.query
        await update.inline_query.answer(
            [InlineQueryResultArticle(id="1", title=f"Result for {query}",
                                      input_message_content=InputTextMessageContent(query))],
            cache_time=0,
        )

    async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        errors.append(context.error)  # type: ignore[arg-type]

    app.add_handler(CommandHandler("start", start))
    app.add_handler(CommandHandler("count", count))
    app.add_handler(CommandHandler("photo", photo_cmd))
    app.add_handler(MessageHandler(filters.TEXT & ~filters.COMMAND, echo))
    app.add_handler(MessageHandler(filters.PHOTO, got_photo))
    app.add_handler(CallbackQueryHandler(button))
    app.add_handler(InlineQueryHandler(inline))
    app.add_error_handler(on_error)
    return app, errors


@contextlib.asynccontextmanager
async def running(app: Application, mode: str) -> AsyncIterator[int | None]:
    """Run ``app`` by polling or by webhook; yields the webhook port (or None)."""
    async with app:
        port = None
        if mode == "polling":
            await app.updater.start_polling(poll_interval=0.0, timeout=2)
        else:
            port = free_port()
            await app.updater.start_webhook(listen="127.0.0.1", port=port, secret_token=SECRET)
        await app.start()
        try:
            yield port
        finally:
            await app.updater.stop()
            await app.stop()


# --------------------------------------------------------------------------- #
# end to end, polling and webhook
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize("mode", ["polling", "webhook"])
@pytest.mark.asyncio
async def test_every_kind_of_update_gets_its_reply(double: TelegramDouble, mode: str) -> None:
    app, errors = build_app(double)
    async with running(app, mode) as port:
        if mode == "webhook":
            assert double.webhook_url == f"http://127.0.0.1:{port}/"
            assert double.webhook_secret == SECRET
        else:
            assert double.webhook_url == ""

        # command -> reply with an inline keyboard
        start_id = double.user_message("/start", user_id=42, first_name="Ada")
        [reply] = await double.replies_to(start_id)
        assert reply.method == "sendMessage"
        assert reply.params["chat_id"] == 42
        assert reply.params["text"] == "Hello, <b>Ada</b>!"
        assert reply.params["parse_mode"] == "HTML"
        assert reply.params["reply_markup"] == {
            "inline_keyboard": [[{"text": "Like", "callback_data": "like"}]]
        }
        assert reply.result["text"] == "Hello, Ada!"  # entities parsed like Telegram does
        sent = double.sent[-1]
        assert (sent.chat_id, sent.text, sent.message_id) == (42, "Hello, <b>Ada</b>!", 2)

        # plain text -> echo, quoting the user's message
        echo_id = double.user_message("hello there", user_id=42)
        [echo] = await double.replies_to(echo_id)
        assert echo.params["text"] == "echo: hello there"
        user_message_id = double._updates[echo_id].message_id
        assert double.sent[-1].reply_to_message_id == user_message_id
        assert echo.result["reply_to_message"]["text"] == "hello there"

        # button press on the keyboard sent above -> answer + edit
        cb_id = double.callback_query("like", user_id=42)
        answer, edit = await double.replies_to(cb_id, n=2)
        assert answer.method == "answerCallbackQuery" and answer.params["text"] == "Liked!"
        assert edit.method == "editMessageText" and edit.params["message_id"] == sent.message_id
        assert double.message(42, sent.message_id)["text"] == "You liked it"
        assert "reply_markup" not in double.message(42, sent.message_id)

        # inline query -> one article
        iq_id = double.inline_query("matrix", user_id=42)
        [inline] = await double.replies_to(iq_id)
        assert inline.method == "answerInlineQuery"
        [article] = inline.params["results"]
        assert article["type"] == "article" and article["title"] == "Result for matrix"

        # command -> photo upload (multipart); the chat action is not counted as a reply
        photo_cmd_id = double.user_message("/photo", user_id=42)
        [photo] = await double.replies_to(photo_cmd_id)
        assert photo.method == "sendPhoto"
        assert photo.content_type.startswith("multipart/form-data")
        assert photo.files["photo"] == PHOTO
        assert double.sent[-1].photo_size == len(PHOTO)
        assert double.sent[-1].caption == "a tiny picture"
        assert [c.params["action"] for c in double.calls_to("sendChatAction")] == ["upload_photo"]

        # user uploads a photo -> bot downloads it through getFile + the file URL
        upload = png_bytes(40, 30)
        up_id = double.photo_message(caption="look", user_id=42, data=upload)
        [got] = await double.replies_to(up_id)
        assert got.params["text"] == f"got {len(upload)} bytes"
        assert double.downloads and double.downloads[-1].startswith("photos/")

        # group: a command for another bot is ignored, one for us is answered
        double.user_message("/start@someone_else_bot", chat_type="group", user_id=7)
        ours = double.user_message(f"/start@{BOT_USERNAME}", chat_type="group", user_id=7)
        [group_reply] = await double.replies_to(ours)
        assert group_reply.params["chat_id"] == -400000001
        assert len(double.sent_to(-400000001)) == 1

    assert errors == []
    if mode == "webhook":
        assert double.webhook_deliveries and all(s == 200 for _, s, _ in double.webhook_deliveries)
    else:
        # every poll waits the timeout given; the one exception is PTB's last call on stopping (timeout 0),
        # which may be recorded before the cancelled long poll when the machine is busy
        polls = double.calls_to("getUpdates")
        assert polls[0].params.get("timeout") == 2
        assert {c.params.get("timeout") for c in polls} <= {2, 0}


@pytest.mark.asyncio
async def test_webhook_mode_rejects_get_updates_and_retries_failed_deliveries(double: TelegramDouble) -> None:
    async with httpx.AsyncClient(trust_env=False) as client:
        port = free_port()  # nothing listens there yet
        double.webhook_retry_delay = 0.02
        r = await client.post(f"{double.api_url}/setWebhook", json={"url": f"http://127.0.0.1:{port}/hook"})
        assert r.json() == {"ok": True, "result": True}
        r = await client.post(f"{double.api_url}/getUpdates")
        assert r.status_code == 409 and r.json()["error_code"] == 409

        update_id = double.user_message("/start")
        await until(lambda: double.webhook_deliveries)
        info = (await client.get(f"{double.api_url}/getWebhookInfo")).json()["result"]
        assert info["pending_update_count"] == 1
        assert "last_error_message" in info and isinstance(info["last_error_date"], int)

        # now the bot comes up on that port: the pending update is delivered
        app, errors = build_app(double)
        async with app:
            await app.updater.start_webhook(listen="127.0.0.1", port=port, url_path="hook",
                                            webhook_url=f"http://127.0.0.1:{port}/hook")
            await app.start()
            try:
                [reply] = await double.replies_to(update_id)
                assert reply.params["text"].startswith("Hello")
            finally:
                await app.updater.stop()
                await app.stop()
        assert errors == []


@pytest.mark.asyncio
async def test_webhook_updates_go_out_in_parallel_up_to_max_connections(double: TelegramDouble) -> None:
    """As Telegram does: several POSTs open at once, never more than setWebhook's max_connections, and the
    next update goes out as soon as one is answered."""
    held: list[asyncio.Future] = []
    seen: list[int] = []  # open requests, as each arrives
    loop = asyncio.get_running_loop()

    async def hook(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        while True:
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except (asyncio.IncompleteReadError, ConnectionError):
                break
            length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                              if line.lower().startswith(b"content-length")))
            await reader.readexactly(length)
            answer = loop.create_future()
            held.append(answer)
            seen.append(sum(not f.done() for f in held))
            await answer
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nX-Bot-Worker: 1\r\n\r\n")
            await writer.drain()
        writer.close()

    server = await asyncio.start_server(hook, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with httpx.AsyncClient(trust_env=False) as client:
            r = await client.post(f"{double.api_url}/setWebhook",
                                  json={"url": f"http://127.0.0.1:{port}/hook", "max_connections": 3})
            assert r.json()["result"] is True
        updates = [double.user_message(f"/start {i}") for i in range(8)]
        await until(lambda: len(held) == 3)  # three at once, not one after the other
        for answered in range(1, 6):  # each answer lets exactly one more out
            held[answered - 1].set_result(None)
            await until(lambda n=answered: len(held) == 3 + n)
        for answer in held:
            if not answer.done():
                answer.set_result(None)
        await until(lambda: len(double.webhook_deliveries) == 8)
    finally:
        server.close()
    assert max(seen) == 3 and seen[:3] == [1, 2, 3]
    assert sorted(u for u, status, _ in double.webhook_deliveries if status == 200) == updates
    assert {a.worker for a in double.webhook_attempts} == {"1"}
    assert double.pending_update_count == 0


@pytest.mark.asyncio
async def test_wrong_secret_is_refused_by_ptb_and_reported(double: TelegramDouble) -> None:
    app, _ = build_app(double)
    async with running(app, "webhook") as port:
        async with httpx.AsyncClient(trust_env=False) as client:
            await client.post(f"{double.api_url}/setWebhook",
                              json={"url": f"http://127.0.0.1:{port}/", "secret_token": "wrong"})
            double.user_message("/start")
            await until(lambda: double.webhook_deliveries)
            assert double.webhook_deliveries[0][1] == 403
            assert double.pending_update_count == 1


# --------------------------------------------------------------------------- #
# failures
# --------------------------------------------------------------------------- #


@pytest.mark.asyncio
async def test_429_is_survived_by_ptb_rate_limiter(double: TelegramDouble, monkeypatch) -> None:
    # The rate limiter's own sleeps are recorded, not slept: the test checks it waits retry_after, not a clock.
    waits: list[float] = []

    async def recorded_sleep(seconds: float) -> None:
        waits.append(seconds)

    fake_asyncio = types.SimpleNamespace(**{**vars(asyncio), "sleep": recorded_sleep})
    monkeypatch.setattr(_aioratelimiter, "asyncio", fake_asyncio)
    app, errors = build_app(double, rate_limiter=True)
    double.fail_next("sendMessage", retry_after=1)
    async with running(app, "polling"):
        update_id = double.user_message("/start")
        [reply] = await double.replies_to(update_id, timeout=30)
    assert waits and waits[0] >= 1.0  # PTB waited retry_after before retrying
    failed, ok = double.calls_to("sendMessage")
    assert failed.error == {
        "ok": False,
        "error_code": 429,
        "description": "Too Many Requests: retry after 1",
        "parameters": {"retry_after": 1},
    }
    assert ok is reply and ok.ok
    assert len(double.sent) == 1
    assert errors == []


@pytest.mark.asyncio
async def test_500_and_raw_error_shapes(double: TelegramDouble) -> None:
    double.fail_next("sendMessage", error_code=500)
    async with Bot(TOKEN, base_url=double.base_url, base_file_url=double.base_file_url) as bot:
        with pytest.raises(NetworkError, match="Internal Server Error"):
            await bot.send_message(5, "first")
        message = await bot.send_message(5, "second")
        assert message.text == "second" and message.chat.id == 5
        assert message.date.timestamp() == double.sent[-1].date  # unix seconds -> aware datetime
        with pytest.raises(BadRequest, match="(?i)reserved"):
            await bot.send_message(5, "Done.", parse_mode="MarkdownV2")
        with pytest.raises(BadRequest, match="(?i)unsupported start tag"):
            await bot.send_message(5, "line<br>break", parse_mode="HTML")
        with pytest.raises(BadRequest, match="(?i)not modified"):
            await bot.edit_message_text("second", chat_id=5, message_id=message.message_id)
        with pytest.raises(BadRequest, match="(?i)button_data_invalid"):
            await bot.send_message(5, "x", reply_markup=InlineKeyboardMarkup(
                [[InlineKeyboardButton("b", callback_data="x" * 65)]]))
        double.block_chat(6)
        with pytest.raises(Exception, match="(?i)blocked"):
            await bot.send_message(6, "hi")

    async with httpx.AsyncClient(trust_env=False) as client:
        double.fail_next("getMe", retry_after=3)
        r = await client.get(f"{double.api_url}/getMe")
        assert r.status_code == 429
        assert r.json()["parameters"] == {"retry_after": 3}
        assert (await client.get(f"{double.api_url}/getMe")).status_code == 200


# --------------------------------------------------------------------------- #
# the wire protocol, without PTB
# --------------------------------------------------------------------------- #


@pytest.mark.asyncio
async def test_bodies_long_polling_and_offsets(double: TelegramDouble) -> None:
    api = double.api_url
    async with httpx.AsyncClient(trust_env=False) as client:
        me = (await client.get(f"{api}/getMe")).json()
        assert me["ok"] and me["result"]["is_bot"] is True
        assert me["result"]["username"] == BOT_USERNAME
        assert me["result"]["can_read_all_group_messages"] is False
        assert me["result"]["supports_inline_queries"] is True

        # JSON, urlencoded (PTB style: JSON-encoded non-strings) and multipart bodies
        sent_from = int(time.time())
        r1 = await client.post(f"{api}/sendMessage", json={"chat_id": 9, "text": "123"})
        r2 = await client.post(f"{api}/sendMessage", data={
            "chat_id": "9", "text": "true",
            "reply_parameters": json.dumps({"message_id": 1}),
        })
        r3 = await client.post(f"{api}/sendPhoto", data={"chat_id": "9"},
                               files={"photo": ("p.png", PHOTO, "image/png")})
        assert [r.status_code for r in (r1, r2, r3)] == [200, 200, 200]
        assert [m.text for m in double.sent] == ["123", "true", None]
        assert double.sent[1].reply_to_message_id == 1
        assert double.sent[2].photo_size == len(PHOTO)
        assert [m.message_id for m in double.sent] == [1, 2, 3]
        assert all(isinstance(m.date, int) and sent_from <= m.date <= time.time() for m in double.sent)

        # long polling: an idle poll ends empty at its timeout...
        r = await client.post(f"{api}/getUpdates", json={"timeout": 0.3})
        assert r.json() == {"ok": True, "result": []}

        # ...and a waiting poll returns as soon as an update arrives, long before its 50 s timeout
        mark = double.mark()
        poll = asyncio.ensure_future(client.post(f"{api}/getUpdates", json={"timeout": 50}, timeout=60))
        await double.wait_for(lambda c: c.method == "getUpdates", since=mark, timeout=30)  # it is waiting
        first = double.user_message("/cmd@our_test_bot arg", chat_id=-1001234, chat_type="supergroup")
        updates = (await asyncio.wait_for(poll, 30)).json()["result"]
        [update] = updates
        assert update["update_id"] == first
        msg = update["message"]
        assert msg["chat"] == {"id": -1001234, "type": "supergroup", "title": "Test supergroup 1001234"}
        assert msg["entities"] == [{"offset": 0, "length": len("/cmd@our_test_bot"), "type": "bot_command"}]

        # updates stay until confirmed with offset; limit applies
        second = double.user_message("two")
        got = (await client.post(f"{api}/getUpdates", data={"offset": str(first)})).json()["result"]
        assert [u["update_id"] for u in got] == [first, second]
        got = (await client.post(f"{api}/getUpdates", json={"offset": first + 1, "limit": 1})).json()["result"]
        assert [u["update_id"] for u in got] == [second]
        got = (await client.post(f"{api}/getUpdates", json={"offset": second + 1})).json()["result"]
        assert got == [] and double.pending_update_count == 0

        # a second concurrent poll terminates the first with 409, like Telegram
        mark = double.mark()
        older = asyncio.ensure_future(client.post(f"{api}/getUpdates", json={"timeout": 50}, timeout=60))
        await double.wait_for(lambda c: c.method == "getUpdates", since=mark, timeout=30)  # it is waiting
        newer = asyncio.ensure_future(client.post(f"{api}/getUpdates", json={"timeout": 0.2}))
        assert (await older).status_code == 409
        assert (await newer).status_code == 200

        # commands per scope + language
        scope = json.dumps({"type": "all_group_chats"})
        cmds = json.dumps([{"command": "start", "description": "Start"}])
        await client.post(f"{api}/setMyCommands", data={"commands": cmds, "scope": scope, "language_code": "de"})
        await client.post(f"{api}/setMyCommands", json={"commands": [{"command": "help", "description": "Help"}]})
        got = (await client.post(f"{api}/getMyCommands", data={"scope": scope, "language_code": "de"})).json()
        assert got["result"] == [{"command": "start", "description": "Start"}]
        assert double.get_commands() == [{"command": "help", "description": "Help"}]
        await client.post(f"{api}/deleteMyCommands", json={})
        assert double.get_commands() == []
        assert double.get_commands({"type": "all_group_chats"}, "de") != []
        bad = await client.post(f"{api}/setMyCommands", json={"commands": [{"command": "Bad-Cmd", "description": "x"}]})
        assert bad.status_code == 400

        # unknown method: recorded, ok/true; wrong token: 401; files
        r = await client.post(f"{api}/setMessageReaction", json={"chat_id": 9, "message_id": 1})
        assert r.json() == {"ok": True, "result": True}
        assert double.unknown_methods == ["setMessageReaction"]
        r = await client.get(f"{double.base_url}999:wrong/getMe")
        assert r.status_code == 401
        file = double.add_file(b"hello world", "documents/hello.txt")
        r = await client.post(f"{api}/getFile", json={"file_id": file["file_id"]})
        assert r.json()["result"]["file_path"] == "documents/hello.txt"
        r = await client.get(f"{double.base_file_url}{double.token}/documents/hello.txt")
        assert r.content == b"hello world"
        r = await client.get(f"{double.base_file_url}{double.token}/nope.txt")
        assert r.status_code == 404

        # logOut / close
        assert (await client.post(f"{api}/logOut")).json()["result"] is True
        assert (await client.post(f"{api}/close")).json()["result"] is True
        assert double.logged_out and double.closed


@pytest.mark.asyncio
async def test_ptb_sees_the_objects_it_expects(double: TelegramDouble) -> None:
    async with Bot(TOKEN, base_url=double.base_url, base_file_url=double.base_file_url) as bot:
        assert bot.username == BOT_USERNAME and bot.can_join_groups is True
        assert bot.supports_inline_queries is True and bot.can_read_all_group_messages is False
        await bot.set_my_commands([BotCommand("start", "Start the bot")],
                                  scope=BotCommandScopeAllGroupChats(), language_code="de")
        assert await bot.get_my_commands() == ()
        [cmd] = await bot.get_my_commands(scope=BotCommandScopeAllGroupChats(), language_code="de")
        assert cmd.command == "start"
        info = await bot.get_webhook_info()
        assert info.url == "" and info.pending_update_count == 0

        double.user_message("/start", user_id=5)
        double.callback_query("pick:1", user_id=5)
        double.inline_query("q", user_id=5)
        double.photo_message(user_id=5)
        updates = await bot.get_updates(timeout=1)
        assert [u.effective_user.id for u in updates] == [5, 5, 5, 5]
        assert updates[0].message.text == "/start"
        assert updates[0].message.date.tzinfo is not None
        assert updates[1].callback_query.data == "pick:1"
        assert updates[1].callback_query.message.reply_markup.inline_keyboard[0][0].callback_data == "pick:1"
        assert updates[2].inline_query.query == "q"
        photo = updates[3].message.photo[-1]
        data = await (await photo.get_file()).download_as_bytearray()
        assert bytes(data) == png_bytes(64, 48) and photo.width == 64

        # answering twice, or an unknown query, fails like Telegram
        await updates[1].callback_query.answer()
        with pytest.raises(BadRequest, match="(?i)query is too old"):
            await updates[1].callback_query.answer()


@pytest.mark.asyncio
async def test_wait_for_helpers(double: TelegramDouble) -> None:
    async with httpx.AsyncClient(trust_env=False) as client:
        waiter = asyncio.ensure_future(double.wait_for(lambda c: c.method == "sendMessage" and c.text == "late"))
        for _ in range(5):  # let it scan what is recorded so far: nothing matches, so it must still wait
            await asyncio.sleep(0)
        assert not waiter.done()
        await client.post(f"{double.api_url}/sendMessage", json={"chat_id": 3, "text": "late"})
        call = await asyncio.wait_for(waiter, 30)
        assert call.params["chat_id"] == 3

        mark = double.mark()
        await client.post(f"{double.api_url}/sendMessage", json={"chat_id": 3, "text": "again"})
        [again] = await double.replies_to(chat_id=3, since=mark)
        assert again.text == "again"

        with pytest.raises(WaitTimeout, match="replies to chat 4"):
            await double.replies_to(4, timeout=0.1)


def test_sync_start_stop_and_wait_for_sync() -> None:
    tg = TelegramDouble(token=TOKEN, bot_username=BOT_USERNAME).start()
    try:
        assert tg.running and tg.base_url == f"http://127.0.0.1:{tg.port}/bot"
        with httpx.Client(trust_env=False) as client:
            client.post(f"{tg.api_url}/sendMessage", data={"chat_id": "1", "text": "sync"})
        assert tg.wait_for_sync(lambda c: c.method == "sendMessage").text == "sync"
    finally:
        tg.stop()
    assert not tg.running
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{tg.api_url}/getMe", trust_env=False)


# --------------------------------------------------------------------------- #
# load: many chats x many commands through polling, nothing lost, order kept
# --------------------------------------------------------------------------- #

# The default keeps the suite fast; TELEGRAM_DOUBLE_LOAD=100x20 runs the full
# benchmark shape (2,000 updates).
LOAD_CHATS, LOAD_PER_CHAT = (int(x) for x in os.environ.get("TELEGRAM_DOUBLE_LOAD", "20x10").split("x"))


@pytest.mark.asyncio
async def test_load_many_chats_through_polling(double: TelegramDouble) -> None:
    chats, per_chat = LOAD_CHATS, LOAD_PER_CHAT
    app, errors = build_app(double)
    async with running(app, "polling"):
        started = time.monotonic()
        for i in range(per_chat):
            for chat in range(1, chats + 1):
                double.user_message(f"/count {i}", user_id=10_000 + chat)
        results = await asyncio.gather(
            *(double.replies_to(chat_id=10_000 + chat, n=per_chat, timeout=60) for chat in range(1, chats + 1))
        )
        elapsed = time.monotonic() - started
    assert errors == []
    for replies in results:
        assert [r.params["text"] for r in replies] == [f"n={i}" for i in range(per_chat)]
    assert len(double.sent) == chats * per_chat
    assert len({s.message_id for s in double.sent_to(10_001)}) == per_chat
    assert double.pending_update_count == 0
    print(f"\n{chats * per_chat} updates answered in {elapsed:.2f}s")
