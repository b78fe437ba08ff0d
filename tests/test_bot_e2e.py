"""End to end: the real Application over HTTP against the Telegram Bot API double on loopback,
in long-polling and in webhook mode (private chat, group with @botname, another bot's command,
inline query, button press, photo upload, command menus) and through 429s and server errors."""
from __future__ import annotations

import contextlib
import os
import sys

import pytest

from bot import render
from bot.app import build_application
from bot.settings import Settings

sys.path.insert(0, os.path.dirname(__file__))

from telegram_double import TelegramDouble, free_port  # noqa: E402

TOKEN = "7012345678:AAF-e2e_SecretPartOfTheTokenXYZ0123456"
BOT = "catalog_e2e_bot"
SECRET = "webhook-secret_e2e"


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch):
    for name in ("NO_PROXY", "no_proxy"):  # httpx honours *_PROXY; loopback must not go through one
        monkeypatch.setenv(name, "127.0.0.1,localhost")


@pytest.fixture
async def double():
    async with TelegramDouble(token=TOKEN, bot_username=BOT) as tg:
        yield tg


def settings_for(tg: TelegramDouble, **changes) -> Settings:
    options = {"token": TOKEN, "base_url": tg.base_url, "state_file": None, "webhook_secret": SECRET} | changes
    return Settings(**options)


@contextlib.asynccontextmanager
async def running(catalog, tg: TelegramDouble, mode: str, **settings):
    """The application as `python -m bot` runs it (post_init included), polling or on a webhook."""
    application = build_application(catalog, settings_for(tg, **settings))
    async with application:
        await application.post_init(application)
        if mode == "polling":
            await application.updater.start_polling(poll_interval=0.0, timeout=1)
        else:
            port = free_port()
            url = f"http://127.0.0.1:{port}/hook"
            await application.updater.start_webhook(listen="127.0.0.1", port=port, url_path="hook",
                                                    webhook_url=url, secret_token=SECRET)
        await application.start()
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()


async def text_of(tg: TelegramDouble, update_id: int, n: int = 1) -> list[str]:
    calls = await tg.replies_to(update_id, n=n, timeout=10)
    return [render.plain(c.text or "") for c in calls]


@pytest.mark.parametrize("mode", ["polling", "webhook"])
async def test_a_conversation_end_to_end(sample_catalog, double, mode):
    async with running(sample_catalog, double, mode):
        if mode == "webhook":
            assert double.webhook_secret == SECRET
        # private chat, in Spanish (the user's Telegram language)
        [text] = await text_of(double, double.user_message("/contar netflix", user_id=501, language_code="es"))
        assert text.startswith("Netflix tiene")

        # group: our command with @botname, threaded to the asking message; another bot's command ignored
        group = -1001234
        ignored = double.user_message("/count@some_other_bot netflix", chat_id=group, user_id=502,
                                      chat_type="supergroup")
        asked = double.user_message(f"/where@{BOT} the irishman", chat_id=group, user_id=502, chat_type="supergroup")
        [reply] = await double.replies_to(asked, timeout=10)
        assert render.plain(reply.text).startswith("The Irishman streams on:")
        assert reply.params["reply_parameters"]["message_id"] == double._updates[asked].message_id
        assert double._updates[ignored].delivered_index is not None  # the other bot's command: checked below

        # a title card, then its "Similar" button
        card_update = double.user_message("inception", user_id=503)
        [card] = await double.replies_to(card_update, timeout=10)
        similar = next(b for row in card.params["reply_markup"]["inline_keyboard"] for b in row
                       if b["text"] == "Similar")
        pressed = double.callback_query(similar["callback_data"], message_id=card.result["message_id"], user_id=503)
        answered, listed = await double.replies_to(pressed, n=2, timeout=10)
        assert {answered.method, listed.method} == {"answerCallbackQuery", "sendMessage"}
        assert "Titles like <b>Inception</b>" in (listed.text or answered.text)

        # a forged button gets a short answer
        forged = double.callback_query("s:ns1:99", user_id=503)
        [answer] = await double.replies_to(forged, timeout=10)
        assert answer.params["text"] == "This button has expired."

        # inline mode
        [inline] = await double.replies_to(double.inline_query("toy story", user_id=504), timeout=10)
        assert inline.method == "answerInlineQuery" and inline.params["results"][0]["title"] == "Toy Story"

        # a photo: its caption is read as a title; a bare photo gets a pointer
        [text] = await text_of(double, double.photo_message(caption="the matrix", user_id=505))
        assert text.startswith("The Matrix (1999)")
        [text] = await text_of(double, double.photo_message(user_id=505))
        assert text.startswith("I read text, not pictures")

        # /stats uploads a chart
        [photo] = await double.replies_to(double.user_message("/stats", user_id=506), timeout=20)
        assert photo.method == "sendPhoto" and photo.files

    # Stopping waited for every update to be handled: the other bot's command got no answer at all.
    assert [c.index for c in double.calls if c.params.get("chat_id") == group and c.method == "sendMessage"] == [
        reply.index]

    # command menus: private and group scopes, English and Spanish, all from the table
    assert len(double.commands) == 4
    spanish_private = next(v for (scope, lang), v in double.commands.items() if lang == "es" and "private" in scope)
    assert {"command": "donde", "description": spanish_private[0]["description"]} in spanish_private
    assert not double.internal_errors


async def test_the_bot_survives_429_and_server_errors(sample_catalog, double):
    async with running(sample_catalog, double, "polling"):
        double.fail_next("sendMessage", retry_after=1)  # flood control: the rate limiter waits and retries
        [text] = await text_of(double, double.user_message("/count hulu", user_id=601))
        assert text.startswith("Hulu has")
        assert [c.ok for c in double.calls_to("sendMessage")][-2:] == [False, True]

        double.fail_next("getUpdates", error_code=502, times=2)  # the API is down for a moment
        [text] = await text_of(double, double.user_message("/count disney", user_id=601))
        assert text.startswith("Disney+ has")

        double.fail_next("sendMessage", error_code=500)  # a reply that cannot be sent: logged, bot goes on
        double.user_message("/count amazon", user_id=602)
        # Updates are handled concurrently: let the failure land on this reply before the next command.
        failed = await double.wait_for(
            lambda call: call.method == "sendMessage" and not call.ok and call.chat_id == 602
        )
        assert failed.params["text"].startswith("Amazon Prime Video has")
        [text] = await text_of(double, double.user_message("/count netflix", user_id=603))
        assert text.startswith("Netflix has")
