"""The faults of issue 10, measured beside today's behaviour (the mechanism switched off, in the same run).

    python -m bench faults [--data DIR] [--ratings DIR] [--slow 2.0] [--chats 40] [--users 50000]

- replies to one message edited 300 times (and: a title typed letter by letter, then /count);
- replies lost when every send takes `--slow` seconds, and when sendMessage answers 5xx ten times;
- the worst reply latency while the settings of `--users` users are saved (python-telegram-bot's pickle;
  the database of issue 11 replaces it);
- ratings kept when one ratings file (a copy in a temporary folder) holds one stray quote 5 MB in.

"today" is main before issue 10: edits answered and inline queries in the message budget (main's
flood-control function, copied below), python-telegram-bot's transport (a one-second wait for a pooled
connection, no resend), its PicklePersistence, and pyarrow's CSV reader with quoting on.
The bot runs in this process against the Bot API double on loopback (tests/telegram_double.py).
"""
from __future__ import annotations

import argparse
import asyncio
import itertools
import logging
import pickle
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.csv as pacsv
from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop, PicklePersistence, TypeHandler
from telegram.request import HTTPXRequest

from bench import fulldata
from bot import render
from bot.app import CONNECTION_POOL, build_application
from bot.errors import FAILED_REPLIES
from bot.local import CONSOLE_TOKEN, LocalBotAPI, LocalSession
from bot.settings import Settings
from bot.texts import text
from bot.throttle import THROTTLE, Verdict
from core import Catalog
from core.settings import PROJECT_ROOT
from etl.csvsafe import BadLines, unquoted
from etl.ratings import _TYPED, RATING_COLUMNS

sys.path.insert(0, str(PROJECT_ROOT / "tests"))
from telegram_double import TelegramDouble  # noqa: E402

TOKEN = "5550002222:BENCH-faults_not-a-real-one_0123456789"


# ---- today's flood control (main before issue 10), to switch the new one off -------------------------------
async def todays_throttle(update: Update, context) -> None:
    """main's throttle: edits pass (only `update.message` counts) and inline queries share the budget."""
    user = update.effective_user
    message = update.message
    counts = bool(update.callback_query or update.inline_query or (message and (
        message.chat.type == ChatType.PRIVATE or (message.text or "").startswith("/"))))
    if user is None or not counts:
        return
    verdict = context.bot_data[THROTTLE].check(user.id, time.monotonic())
    if verdict is Verdict.ALLOW:
        return
    if update.inline_query:
        await update.inline_query.answer([], cache_time=0, is_personal=True)
    elif verdict is Verdict.WARN and update.message:
        await update.message.reply_text(text(context.lang, "throttled"))
    raise ApplicationHandlerStop


async def local_app(catalog: Catalog, today: bool):
    api = LocalBotAPI()
    application = build_application(catalog, Settings(token=CONSOLE_TOKEN, state_file=None), request=api,
                                    rate_limiter=False)
    if today:
        application.handlers[-1] = [TypeHandler(Update, todays_throttle)]
        inline_handler = next(h for h in application.handlers[0] if type(h).__name__ == "InlineQueryHandler")
        from bot import inline
        inline_handler.callback = inline.inline_query  # no lane: every query searched, in the message budget
    await application.initialize()
    return LocalSession(application, api), application


async def edits_and_typing(catalog: Catalog, today: bool) -> dict:
    session, application = await local_app(catalog, today)
    try:
        replies = len(await session.message("/count netflix"))
        now = int(time.time())
        for n in range(300):
            replies += len(await session.feed({"update_id": 10_000 + n, "edited_message": {
                "message_id": 1, "date": now, "edit_date": now, "chat": {"id": 1, "type": "private"},
                "from": LocalSession.user(1), "text": "/count hulu",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}))
        title = "pirates of the caribbean"
        for n in range(1, len(title) + 1):
            answers = await session.inline(title[:n], user_id=2)
        results = len(answers[-1].params["results"]) if answers else 0
        count = [render.plain(c.text) for c in await session.message("/count netflix", user_id=2)]
        verdict = "answered" if count and "Netflix has" in count[0] else ("throttled" if count else "no reply")
        return {"edit_replies": replies, "title_results": results, "count_after_typing": verdict}
    finally:
        await application.shutdown()


# ---- a slow and a failing Bot API ----------------------------------------------------------------------------
class SlowDouble(TelegramDouble):
    """The double, with every sendMessage taking `delay` seconds (as a slow Bot API does)."""

    delay = 0.0

    async def _handle_call(self, method, *args, **kwargs):
        if method.lower() == "sendmessage" and self.delay:
            await asyncio.sleep(self.delay)
        return await super()._handle_call(method, *args, **kwargs)


async def replies_lost(catalog: Catalog, today: bool, chats: int, slow: float, errors: int) -> dict:
    async with SlowDouble(token=TOKEN, bot_username="faults_bench_bot") as tg:
        tg.delay = slow
        settings = Settings(token=TOKEN, base_url=tg.base_url, state_file=None, throttle_burst=10**6)
        # today: python-telegram-bot's own transport, as main configured it (16 connections, 1 s pool wait)
        request = HTTPXRequest(connection_pool_size=CONNECTION_POOL) if today else None
        application = build_application(catalog, settings, request=request)
        started = time.perf_counter()
        async with application:
            await application.updater.start_polling(poll_interval=0.0, timeout=1)
            await application.start()
            if errors:
                tg.fail_next("sendMessage", error_code=500, times=errors)
            updates = [tg.user_message("/count netflix", user_id=500 + n) for n in range(chats)]
            deadline = max(20.0, 3 * slow * chats / CONNECTION_POOL)  # all of them, waited for at once

            async def arrives(update: int) -> bool:
                try:
                    await tg.replies_to(update, timeout=deadline)
                    return True
                except AssertionError:  # WaitTimeout: never answered
                    return False

            answered = sum(await asyncio.gather(*(arrives(u) for u in updates)))
            wall = time.perf_counter() - started
            await application.updater.stop()
            await application.stop()
        return {"lost": chats - answered, "counted": application.bot_data.get(FAILED_REPLIES, 0), "wall": wall}


# ---- the settings save ------------------------------------------------------------------------------------------
async def save_stall(catalog: Catalog, today: bool, users: int, changed: int, folder: Path) -> dict:
    state = folder / ("today.pickle" if today else "ours.pickle")
    data = {user: {"lang": "es" if user % 2 else "en", "platforms": ["netflix", "hulu"]} for user in range(users)}
    state.write_bytes(pickle.dumps({"user_data": data, "chat_data": {}, "bot_data": {}, "callback_data": None,
                                    "conversations": {}}))
    api = LocalBotAPI()
    application = build_application(catalog, Settings(token=CONSOLE_TOKEN, state_file=state, throttle_burst=10**6),
                                    request=api, rate_limiter=False)
    if today:  # python-telegram-bot's own PicklePersistence, storing what ours stores
        application.persistence = PicklePersistence(state, store_data=application.persistence.store_data)
        application.persistence.set_bot(application.bot)
    await application.initialize()
    session = LocalSession(application, api)
    try:
        for user in range(1, changed + 1):  # users who changed a setting since the last save
            await session.message("/lang es", user_id=user)
        latencies: list[float] = []
        done = asyncio.Event()

        async def probe() -> None:
            """Another user asks 10 ms after each answer; the latency counts from when the question was due,
            so the time the event loop was held by the save (and could not even read it) is included."""
            due = time.perf_counter()
            for n in itertools.count():
                await session.message("/count netflix", user_id=users + 1 + n)
                latencies.append(time.perf_counter() - due)
                if done.is_set():
                    return
                due = time.perf_counter() + 0.01
                await asyncio.sleep(0.01)

        asking = asyncio.create_task(probe())
        await asyncio.sleep(0.05)
        began = time.perf_counter()
        await application.update_persistence()
        await asyncio.sleep(0.05)  # a batched save runs on the loop's next turn: keep it in the window
        saved = time.perf_counter() - began
        done.set()
        await asking
        return {"worst": max(latencies), "save": saved, "size_mb": state.stat().st_size / 1e6}
    finally:
        await application.shutdown()


# ---- a stray quote in the ratings ----------------------------------------------------------------------------
def stray_quote(ratings: Path, folder: Path) -> dict:
    source = ratings / "1.csv"
    copy = folder / "1.csv"
    data = source.read_bytes()
    cut = data.index(b"\n", 5_000_000) + 1  # about 5 MB in, as in the issue
    copy.write_bytes(data[:cut] + b'1,"4.0,1451280587,ns1\n' + data[cut:])
    lines = data.count(b"\n")  # the header's newline stands for the stray line's: data rows + 1
    options = pacsv.ReadOptions(block_size=8 << 20)
    convert = pacsv.ConvertOptions(column_types=_TYPED, include_columns=RATING_COLUMNS)
    today = pacsv.read_csv(copy, read_options=options, convert_options=convert).num_rows
    bad = BadLines(copy.name)
    ours = pacsv.read_csv(copy, read_options=options, parse_options=unquoted(bad), convert_options=convert)
    return {"lines": lines, "today": today, "ours": ours.num_rows, "ours_bad": bad.count}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench faults", description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, help="processed data (default: the full data, built if needed)")
    parser.add_argument("--ratings", type=Path, help="ratings folder for the stray quote (default: the full one)")
    parser.add_argument("--slow", type=float, default=2.0, help="seconds each sendMessage takes (default 2)")
    parser.add_argument("--chats", type=int, default=40, help="chats sending at once to the slow API (default 40)")
    parser.add_argument("--users", type=int, default=50_000, help="users in the settings file (default 50,000)")
    parser.add_argument("--changed", type=int, default=100,
                        help="users who changed a setting since the last save (default 100)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.CRITICAL)  # the lost replies are the figure, not their log lines
    catalog = Catalog.load(args.data or fulldata.ensure_full_processed()).warm()
    ratings = args.ratings or fulldata.ensure_full_ratings()
    print(f"{'':<58}{'today':>12}{'issue 10':>12}")

    def row(label: str, today: object, ours: object) -> None:
        print(f"{label:<58}{today!s:>12}{ours!s:>12}", flush=True)

    typed = {today: asyncio.run(edits_and_typing(catalog, today)) for today in (True, False)}
    row("replies to 1 message + 300 edits of it", typed[True]["edit_replies"], typed[False]["edit_replies"])
    row("'pirates of the caribbean' typed: results for the title", typed[True]["title_results"],
        typed[False]["title_results"])
    row("/count right after typing it", typed[True]["count_after_typing"], typed[False]["count_after_typing"])

    slow = {today: asyncio.run(replies_lost(catalog, today, args.chats, args.slow, 0)) for today in (True, False)}
    row(f"replies lost of {args.chats}, every send {args.slow:g} s", slow[True]["lost"], slow[False]["lost"])
    row("  counted and logged with their chat", "-", slow[False]["counted"])
    row("  wall time for all of them, s", f"{slow[True]['wall']:.1f}", f"{slow[False]['wall']:.1f}")
    failing = {today: asyncio.run(replies_lost(catalog, today, 20, 0.0, 10)) for today in (True, False)}
    row("replies lost of 20, sendMessage answering 500 ten times", failing[True]["lost"], failing[False]["lost"])

    with tempfile.TemporaryDirectory(prefix="bench-faults-") as scratch:
        stall = {today: asyncio.run(save_stall(catalog, today, args.users, args.changed, Path(scratch)))
                 for today in (True, False)}
        row(f"worst reply latency during a save of {args.users:,} users, s", f"{stall[True]['worst']:.2f}",
            f"{stall[False]['worst']:.2f}")
        row(f"  ({args.changed} changed users; file {stall[False]['size_mb']:.1f} MB; the database is issue 11)",
            "", "")
        quote = stray_quote(ratings, Path(scratch))
        shutil.rmtree(scratch, ignore_errors=True)
    row(f"ratings rows read of {quote['lines']:,} lines, one stray quote", f"{quote['today']:,}",
        f"{quote['ours']:,}")
    row("  (issue 10: the stray line itself is dropped as a non-numeric rating)", "", "")
    return 0
