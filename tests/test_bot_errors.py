"""The error handler's paths, through the real application: a bug gets a short apology in the user's
language (a message, or a button's answer), an inline query gets none, a Telegram network failure is
only logged, and an apology that cannot be delivered is logged, never raised."""
from __future__ import annotations

import datetime as dt
import json
import logging

import pytest
from telegram.error import NetworkError, RetryAfter, TimedOut
from test_bot_handlers import open_session, replies

from bot import render
from bot.errors import error_handler
from bot.local import LocalBotAPI, LocalSession

SORRY_EN = "Sorry, something went wrong on my side. Please try again in a moment."


@pytest.fixture
def broken(sample_catalog, monkeypatch):
    """Make a catalog method raise `error`: broken("count_platform", RuntimeError("..."))."""
    def breaker(method: str, error: Exception) -> None:
        def fail(*args, **kwargs):
            raise error

        monkeypatch.setattr(type(sample_catalog), method, fail)
    return breaker


@pytest.fixture
async def session(sample_catalog):
    session, application = await open_session(sample_catalog)
    yield session
    await application.shutdown()


def errors_logged(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "bot.errors"]


@pytest.mark.parametrize("lang", ["en", "es"])
async def test_a_bug_gets_an_apology_in_the_users_language(session, broken, caplog, lang):
    broken("count_platform", RuntimeError("index corrupted"))
    with caplog.at_level(logging.WARNING, logger="bot.errors"):
        [reply] = replies(await session.message("/count netflix", lang=lang))
    expected = SORRY_EN if lang == "en" else "Lo siento, algo ha fallado por mi parte."
    assert render.plain(reply.text).startswith(expected)
    [record] = errors_logged(caplog)
    assert record.levelno == logging.ERROR and record.exc_info[0] is RuntimeError


@pytest.mark.parametrize("error", [NetworkError("connection reset"), TimedOut(), RetryAfter(dt.timedelta(seconds=30))],
                         ids=["network", "timeout", "flood"])
async def test_telegram_failing_is_logged_and_nobody_is_told(session, broken, caplog, error):
    broken("count_platform", error)
    with caplog.at_level(logging.WARNING, logger="bot.errors"):
        calls = await session.message("/count netflix")
    assert calls == []  # no apology: Telegram is the one failing, and a reply would fail too
    [record] = errors_logged(caplog)
    assert "/count netflix" in record.getMessage() and "chat 1" in record.getMessage()


async def test_telegram_failing_while_polling_is_only_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="bot.errors"):
        await error_handler(None, Context(NetworkError("bad gateway")))
    [record] = errors_logged(caplog)
    assert record.levelno == logging.WARNING and "bad gateway" in record.getMessage()


async def broken_button_press(session, broken):
    [card] = replies(await session.message("irishman"))
    similar = next(b for b in card.buttons if b["text"] == "Similar")
    broken("similar", RuntimeError("recommender gone"))
    return await session.press(similar["callback_data"], card)


async def test_a_broken_button_is_logged_with_its_data(session, broken, caplog):
    with caplog.at_level(logging.ERROR, logger="bot.errors"):
        await broken_button_press(session, broken)
    [record] = errors_logged(caplog)
    assert record.exc_info[0] is RuntimeError and "button 's:" in record.getMessage()


async def test_a_broken_button_gets_the_apology_telegram_accepts(session, broken):
    calls = await broken_button_press(session, broken)
    answers = [c for c in calls if c.method == "answerCallbackQuery"]
    assert len(answers) == 1  # Telegram takes one answer per press
    shown = [answers[0].params.get("text")] + [c.text for c in calls if c.method == "sendMessage"]
    assert SORRY_EN in shown


async def test_a_broken_inline_query_is_logged_without_a_reply(session, broken, caplog):
    for method in ("search", "resolve"):  # whichever the inline answer uses
        broken(method, RuntimeError("resolver gone"))
    with caplog.at_level(logging.ERROR, logger="bot.errors"):
        calls = await session.inline("toy story")
    assert [c for c in calls if c.method != "answerInlineQuery"] == []
    [record] = errors_logged(caplog)
    assert "inline 'toy story'" in record.getMessage()


class BlockedByUser(LocalBotAPI):
    """Telegram refuses every message: the user blocked the bot."""

    async def do_request(self, url, method, request_data=None, **kwargs):
        if url.endswith("/sendMessage"):
            body = {"ok": False, "error_code": 403, "description": "Forbidden: bot was blocked by the user"}
            return 403, json.dumps(body).encode()
        return await super().do_request(url, method, request_data, **kwargs)


async def test_an_apology_that_cannot_be_sent_is_logged_not_raised(sample_catalog, broken, caplog):
    from bot.app import build_application
    from bot.local import CONSOLE_TOKEN
    from bot.settings import Settings

    api = BlockedByUser()
    application = build_application(sample_catalog, Settings(token=CONSOLE_TOKEN, state_file=None), request=api,
                                    rate_limiter=False)
    await application.initialize()
    try:
        broken("count_platform", RuntimeError("index corrupted"))
        with caplog.at_level(logging.WARNING, logger="bot.errors"):
            await LocalSession(application, api).message("/count netflix")
        levels = [(r.levelno, r.getMessage().split(":")[0]) for r in errors_logged(caplog)]
        assert levels[0][0] == logging.ERROR
        assert levels[1] == (logging.WARNING, "Could not tell the user about the failure")
    finally:
        await application.shutdown()


class Context:
    def __init__(self, error: Exception) -> None:
        self.error = error


async def test_a_failure_outside_any_update_is_only_logged(caplog):
    with caplog.at_level(logging.ERROR, logger="bot.errors"):
        await error_handler(None, Context(RuntimeError("job failed")))
        await error_handler({"raw": "payload"}, Context(RuntimeError("odd update")))
    messages = [r.getMessage() for r in errors_logged(caplog)]
    assert messages == ["Failed to handle None", "Failed to handle {'raw': 'payload'}"]
