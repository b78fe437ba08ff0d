"""Property: whatever text follows whatever command (or is typed inline, or sits in a button), the bot
answers exactly once, within Telegram's limits, and nothing reaches the error handler."""
from __future__ import annotations

import asyncio
import logging

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot import render
from bot.app import build_application
from bot.commands import COMMANDS
from bot.local import CONSOLE_TOKEN, LocalBotAPI, LocalSession
from bot.settings import Settings

NAMES = sorted(name for command in COMMANDS for name in command.names())
WORDS = ["netflix", "hulu", "amazon prime video", "disney+", "2019", "1999", "min", "season", "temporadas",
         "movie", "tv", "tv show", "3.5", "4,5", "0", "42", "-1", "99999999999", "united states", "pg-13",
         "the matrix", "toy story", "the office", "ns1", "ds1", "es", "en", "all", "<b>", "&amp;", "@bot",
         "t_ns1", "t_", "/count", "é", "🎬", "\u200b", "'", '"']
ARGUMENTS = st.one_of(
    st.lists(st.sampled_from(WORDS), max_size=6).map(" ".join),
    st.lists(st.one_of(st.sampled_from(WORDS), st.text(max_size=12)), max_size=5).map(" ".join),
    st.text(max_size=40),
    st.text(min_size=290, max_size=420),
)
CALLBACK_DATA = st.one_of(
    st.text(max_size=70),
    st.builds(lambda k, i, p: f"{k}:{i}:{p}", st.sampled_from("cwsrCWSRx"), st.sampled_from(
        ["ns1", "ds1", "hs16", "as5", "ns0", "zz1", "ns99999"]), st.integers(-2, 12)),
    st.builds(lambda k, u, i, p: f"{k}:{u}:{i}:{p}", st.sampled_from("rR"), st.integers(-5, 3 * 10**10),
              st.sampled_from(["ns1", "ds1", "ns99999"]), st.integers(0, 10)),
)


class Failures(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def within_limits(calls) -> None:
    for call in calls:
        limit = render.MAX_CAPTION if call.method == "sendPhoto" else render.MAX_TEXT
        assert 0 < len(call.text) <= limit or call.method.startswith("answer")
        for button in call.buttons:
            assert len(button.get("callback_data", "").encode()) <= 64


def test_every_input_gets_exactly_one_reply_and_nothing_raises(sample_catalog):
    failures = Failures()
    logging.getLogger("bot").addHandler(failures)
    api = LocalBotAPI()
    application = build_application(
        sample_catalog, Settings(token=CONSOLE_TOKEN, state_file=None, throttle_burst=10**9),
        request=api, rate_limiter=False)
    runner = asyncio.Runner()
    try:
        runner.run(application.initialize())
        session = LocalSession(application, api)

        @settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
        @given(name=st.sampled_from(NAMES), arguments=ARGUMENTS, lang=st.sampled_from(["en", "es", None, "fr"]),
               group=st.booleans())
        def commands(name, arguments, lang, group):
            chat = {"chat_id": -4242, "chat_type": "group"} if group else {}
            calls = runner.run(session.message(f"/{name} {arguments}", lang=lang, **chat))
            within_limits(calls)
            assert not failures.records, failures.records[0].getMessage()
            assert [c.method for c in calls] in (["sendMessage"], ["sendPhoto"], ["sendDocument"]), calls

        @settings(max_examples=150, deadline=None)
        @given(text=st.text(max_size=350))
        def plain_messages(text):
            calls = runner.run(session.message(text or "x"))
            within_limits(calls)
            assert not failures.records, failures.records[0].getMessage()
            assert [c.method for c in calls] == ["sendMessage"], calls

        @settings(max_examples=200, deadline=None)
        @given(data=CALLBACK_DATA)
        def buttons(data):
            calls = runner.run(session.press(data))
            within_limits(calls)
            assert not failures.records, failures.records[0].getMessage()
            methods = [c.method for c in calls]
            assert methods[0] == "answerCallbackQuery" and methods.count("answerCallbackQuery") == 1, calls
            assert len(methods) <= 2

        @settings(max_examples=150, deadline=None)
        @given(query=st.one_of(ARGUMENTS, st.builds(lambda a: "rec " + a, ARGUMENTS)))
        def inline_queries(query):
            calls = runner.run(session.inline(query[:256]))
            within_limits(calls)
            assert not failures.records, failures.records[0].getMessage()
            assert [c.method for c in calls] == ["answerInlineQuery"]
            assert len(calls[0].params["results"]) <= 20

        commands()
        plain_messages()
        buttons()
        inline_queries()
        assert failures.records == [], [r.getMessage() for r in failures.records]
    finally:
        runner.run(application.shutdown())
        runner.close()
        logging.getLogger("bot").removeHandler(failures)
