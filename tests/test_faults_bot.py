"""Faults the bot must survive (issue 10): edits and inline typing against flood control, a damaged
settings file, a revoked token, an unreachable or failing Bot API, damaged data at start-up.

Process faults run the real `python -m bot` against the Bot API double; time faults (a slow API,
typing speed) assert the mechanism with fake clocks and events, and their times go to `python -m bench
faults`.
"""
from __future__ import annotations

import asyncio
import contextlib
import os
import pickle
import shutil
import subprocess
import sys
import time

import httpx
import pytest
from telegram.error import NetworkError, TimedOut
from telegram.ext import ExtBot

from bot import render
from bot.app import build_application
from bot.context import STORAGE
from bot.local import CONSOLE_TOKEN, LocalBotAPI, LocalSession
from bot.settings import Settings
from bot.state import SafePicklePersistence, read_state_file
from bot.throttle import InlineLanes
from bot.transport import PatientRequest
from core.settings import PROJECT_ROOT

sys.path.insert(0, os.path.dirname(__file__))

from telegram_double import TelegramDouble, free_port  # noqa: E402

TOKEN = "7012345678:AAF-faults_SecretPartOfTheTokenXYZ0123"
LOOPBACK = {"NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost"}
REJECTED = "bot: Telegram rejected TELEGRAM_BOT_TOKEN"


async def open_session(catalog, **settings) -> tuple[LocalSession, object]:
    api = LocalBotAPI()
    options = {"token": CONSOLE_TOKEN, "state_file": None} | settings
    application = build_application(catalog, Settings(**options), request=api, rate_limiter=False)
    await application.initialize()
    return LocalSession(application, api), application


def edited(message_id: int, text: str, user_id: int = 1) -> dict:
    user = LocalSession.user(user_id)
    return {"edited_message": {"message_id": message_id, "date": int(time.time()), "edit_date": int(time.time()),
                               "chat": {"id": user_id, "type": "private"}, "from": user, "text": text,
                               "entities": [{"type": "bot_command", "offset": 0, "length": 6}]}}


@contextlib.asynccontextmanager
async def polling_bot(catalog):
    """The double, and the application polling it in this process (as `python -m bot` runs it)."""
    async with TelegramDouble(token=TOKEN, bot_username="faults_bot") as tg:
        application = build_application(catalog, Settings(token=TOKEN, base_url=tg.base_url, state_file=None))
        async with application:
            await application.updater.start_polling(poll_interval=0.0, timeout=1)
            await application.start()
            try:
                yield tg, application
            finally:
                await application.updater.stop()
                await application.stop()


# ---- flood control: edits, inline typing --------------------------------------------------------------------
async def test_an_edited_command_is_never_answered_and_costs_no_budget(sample_catalog):
    session, application = await open_session(sample_catalog, throttle_burst=3, throttle_rate=0.001)
    try:
        [reply] = await session.message("/count netflix")
        for n in range(300):  # the flood: one message edited 300 times got 301 replies
            assert await session.feed({"update_id": 10_000 + n, **edited(1, "/count hulu")}) == []
        # the edits left the user's budget of 3 untouched: two more commands are answered normally
        for _ in range(2):
            [answer] = await session.message("/count hulu")
            assert render.plain(answer.text).startswith("Hulu has")
    finally:
        await application.shutdown()


async def test_only_the_newest_queued_inline_query_runs_once_a_search_ends():
    lanes, ran, release = InlineLanes(), [], asyncio.Event()

    def search(query: str):
        async def run() -> None:
            ran.append(query)
            if query == "p":
                await release.wait()  # the first search is slow; the user keeps typing
        return run

    first = asyncio.create_task(lanes.run(7, search("p")))
    await asyncio.sleep(0)  # let it start its search
    queued = [asyncio.create_task(lanes.run(7, search(q))) for q in ("pi", "pir", "pira")]
    other_user = await lanes.run(8, search("matrix"))  # another user's lane is not held up
    await asyncio.sleep(0)
    assert ran == ["p", "matrix"] and other_user
    release.set()
    assert [await first, *[await q for q in queued]] == [True, False, False, True]  # stale dropped, newest ran
    assert ran == ["p", "matrix", "pira"]
    assert len(lanes) == 0  # nothing kept for users with nothing queued


async def test_typing_a_title_letter_by_letter_answers_it_and_leaves_commands_unthrottled(sample_catalog):
    session, application = await open_session(sample_catalog)  # the real budget: 8 at once, 1 a second
    try:
        title = "the irishman"
        answers = [await session.inline(title[:n]) for n in range(1, len(title) + 1)]
        [last] = answers[-1]
        titles = [r["title"] for r in last.params["results"]]
        assert titles and titles[0].lower().startswith("the irishman"), titles
        [count] = await session.message("/count netflix")
        assert render.plain(count.text).startswith("Netflix has")
    finally:
        await application.shutdown()


# ---- the settings file --------------------------------------------------------------------------------------
def good_state(user_id: int = 42) -> bytes:
    return pickle.dumps({"user_data": {user_id: {"lang": "es"}}, "chat_data": {}, "bot_data": {},
                         "callback_data": None, "conversations": {}})


DAMAGE = {
    "random bytes": bytes(range(256)) * 16,
    "truncated": good_state()[:-7],
    "empty": b"",
    "not a settings dict": pickle.dumps(["a", "list"]),
}


@pytest.mark.parametrize("damage", DAMAGE)
async def test_a_damaged_settings_file_is_set_aside_and_the_bot_starts(sample_catalog, tmp_path, caplog, damage):
    state = tmp_path / "bot.pickle"
    state.write_bytes(DAMAGE[damage])
    api = LocalBotAPI()
    application = build_application(sample_catalog, Settings(token=CONSOLE_TOKEN, state_file=state),
                                    request=api, rate_limiter=False)
    await application.initialize()
    await application.post_init(application)  # moves the file into the database: this raised TypeError once
    try:
        [aside] = list(tmp_path.glob("bot.pickle.damaged-*"))
        assert aside.read_bytes() == DAMAGE[damage]  # kept, never deleted
        lines = [r.getMessage() for r in caplog.records if r.name == "bot.state"]
        assert len(lines) == 1 and "damaged" in lines[0] and aside.name in lines[0]
        [reply] = await LocalSession(application, api).message("/lang es")  # and settings work again
        assert reply.text
        assert (await application.bot_data[STORAGE].settings(1)).lang == "es"  # kept in the database now
    finally:
        await application.shutdown()


def test_read_state_file_returns_the_data_or_none_and_sets_damage_aside(tmp_path):
    state = tmp_path / "bot.pickle"
    assert read_state_file(state) is None  # no file yet
    state.write_bytes(good_state(42))
    assert read_state_file(state)["user_data"] == {42: {"lang": "es"}}
    state.write_bytes(b"\x80\x05garbage")
    assert read_state_file(state) is None and not state.exists()
    assert len(list(tmp_path.glob("bot.pickle.damaged-*"))) == 1


def test_a_save_killed_halfway_leaves_the_previous_file_whole(tmp_path, monkeypatch):
    state = tmp_path / "bot.pickle"
    state.write_bytes(good_state(42))
    persistence = SafePicklePersistence(state)
    persistence.user_data, persistence.chat_data, persistence.conversations = {43: {"lang": "en"}}, {}, {}
    persistence.bot_data, persistence.callback_data = {}, None

    def killed(self, obj):  # SIGKILL during the write: the file is open for writing, nothing more comes
        raise KeyboardInterrupt

    from telegram.ext import _picklepersistence

    monkeypatch.setattr(_picklepersistence._BotPickler, "dump", killed)
    with pytest.raises(KeyboardInterrupt):
        persistence._dump_singlefile()
    assert state.read_bytes() == good_state(42)  # before: a 0-byte or half-written file, every setting lost
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bot.pickle"]  # no temporary file left behind


# ---- the Bot API transport ---------------------------------------------------------------------------------
class ScriptedRequest:
    """A stand-in for HTTPXRequest that plays a script: an int is an HTTP status, an exception is raised."""

    def __init__(self, *script) -> None:
        self.script, self.calls = list(script), 0

    async def do_request(self, *args, **kwargs):
        self.calls += 1
        step = self.script.pop(0)
        if isinstance(step, BaseException):
            raise step
        return step, b'{"ok": true, "result": true}'


def failure(kind: type[Exception], cause: Exception) -> Exception:
    error = kind("failed")
    error.__cause__ = cause
    return error


def patient(*script, **options) -> tuple[PatientRequest, ScriptedRequest, list[float]]:
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    inner = ScriptedRequest(*script)
    return PatientRequest(inner, sleep=sleep, **options), inner, slept


async def test_a_request_that_never_left_is_sent_again_with_backoff():
    request, inner, slept = patient(failure(TimedOut, httpx.PoolTimeout("pool full")),
                                    failure(NetworkError, httpx.ConnectError("refused")), 200)
    assert (await request.do_request("http://x/bot1:a/sendMessage", "POST"))[0] == 200
    assert inner.calls == 3 and slept == [0.5, 1.0]


async def test_a_timeout_after_sending_is_not_resent():
    request, inner, slept = patient(failure(TimedOut, httpx.ReadTimeout("slow")), 200)
    with pytest.raises(TimedOut):
        await request.do_request("http://x/bot1:a/sendMessage", "POST")
    assert inner.calls == 1 and slept == []  # Telegram may have it: a resend could post it twice


async def test_5xx_is_resent_a_bounded_number_of_times():
    request, inner, slept = patient(502, 500, 200)
    assert (await request.do_request("http://x/bot1:a/sendMessage", "POST"))[0] == 200
    request, inner, slept = patient(500, 500, 500, 500, 200)
    assert (await request.do_request("http://x/bot1:a/sendMessage", "POST"))[0] == 500  # gives up
    assert inner.calls == 4 and slept == [0.5, 1.0, 2.0]
    request, inner, slept = patient(400)
    assert (await request.do_request("http://x/bot1:a/sendMessage", "POST"))[0] == 400 and inner.calls == 1


async def test_a_401_tells_the_owner_once_and_holds_the_request_until_cancelled():
    rejected = []
    request, _, _ = patient(401, 401, on_rejected=lambda: rejected.append(True))
    held = asyncio.create_task(request.do_request("http://x/bot1:a/getUpdates", "POST"))
    await asyncio.sleep(0)
    assert rejected == [True] and not held.done()
    held.cancel()
    assert (await request.do_request("http://x/bot1:a/getUpdates", "POST"))[0] == 401  # the shutdown's last call
    assert rejected == [True]


async def test_replies_survive_ten_server_errors(sample_catalog):
    """The issue's run: 500 on sendMessage ten times lost 10 of 20 replies; now every one arrives."""
    async with polling_bot(sample_catalog) as (tg, application):
        tg.fail_next("sendMessage", error_code=500, times=5)
        tg.fail_next("sendMessage", error_code=502, times=5)
        updates = [tg.user_message("/count netflix", user_id=100 + n) for n in range(20)]
        for update in updates:
            [reply] = await tg.replies_to(update, timeout=30)
            assert render.plain(reply.text).startswith("Netflix has")
        failed = [c for c in tg.calls_to("sendMessage") if not c.ok]
        assert len(failed) == 10  # the ten failures happened, and were sent again


# ---- the real process ----------------------------------------------------------------------------------------
def bot_environment(data_dir, state_file, base_url: str, **extra) -> dict[str, str]:
    return os.environ | LOOPBACK | {
        "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_BASE_URL": base_url, "CATALOG_DATA_DIR": str(data_dir),
        "BOT_STATE_FILE": str(state_file), "LOG_LEVEL": "INFO",
        "DATABASE_URL": f"sqlite:///{state_file.parent / 'bot.db'}",
    } | extra


async def start_bot(environment: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", cwd=PROJECT_ROOT, env=environment,
                                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)


async def finished(bot: asyncio.subprocess.Process) -> str:
    _, stderr = await asyncio.wait_for(bot.communicate(), timeout=120)
    return stderr.decode()


async def test_the_process_starts_on_a_zero_byte_settings_file_and_exits_when_the_token_is_revoked(
        sample_processed, tmp_path):
    state = tmp_path / "bot.pickle"
    state.write_bytes(b"")  # what SIGKILL during a save used to leave
    async with TelegramDouble(token=TOKEN, bot_username="faults_bot") as tg:
        bot = await start_bot(bot_environment(sample_processed, state, tg.base_url))
        try:
            [reply] = await tg.replies_to(tg.user_message("/count netflix"), timeout=90)
            assert render.plain(reply.text).startswith("Netflix has")  # it started, and answers
            tg.fail_next("getUpdates", error_code=401, description="Unauthorized")  # the token is revoked
            tg.user_message("/count hulu")  # ends the current long poll, so the next one meets the 401
            printed = await finished(bot)
        finally:
            if bot.returncode is None:
                bot.kill()
                await bot.wait()
    assert bot.returncode == 2, printed  # before: polling stopped, the process idled forever
    assert printed.strip().splitlines()[-1].startswith(REJECTED), printed
    assert "Traceback" not in printed, printed
    assert [line for line in printed.splitlines() if "damaged" in line and "bot.pickle" in line], printed
    assert TOKEN.split(":")[1] not in printed


async def test_an_unreachable_bot_api_is_retried_then_one_line(sample_processed, tmp_path):
    nobody = f"http://127.0.0.1:{free_port()}/bot"  # connection refused
    bot = await start_bot(bot_environment(sample_processed, tmp_path / "s.pickle", nobody,
                                          TELEGRAM_START_RETRIES="1"))
    printed = await finished(bot)
    assert bot.returncode == 1, printed
    last = printed.strip().splitlines()[-1]
    assert last.startswith("bot: cannot reach the Telegram Bot API at http://127.0.0.1") and "2 tries" in last
    assert "Traceback" not in printed, printed
    assert printed.count("sending again") >= 2  # each try resent the request that never left


@pytest.mark.parametrize("damage", ["truncated", "not parquet"])
async def test_a_damaged_data_file_stops_start_up_in_one_line(sample_processed, tmp_path, damage):
    data = tmp_path / "processed"
    shutil.copytree(sample_processed, data)
    titles = data / "titles.parquet"
    titles.write_bytes(titles.read_bytes()[:-100] if damage == "truncated" else b"id,title\nns1,x\n")
    bot = await start_bot(bot_environment(data, tmp_path / "s.pickle", "http://127.0.0.1:9/bot"))
    printed = await finished(bot)
    assert bot.returncode == 2, printed
    assert printed.strip().splitlines() == [printed.strip().splitlines()[-1]], printed  # one line, no traceback
    assert "is damaged" in printed and "python -m etl" in printed


async def test_a_save_of_many_changed_users_writes_the_file_once(tmp_path, monkeypatch):
    """python-telegram-bot rewrote the whole file once per changed user: 100 changed users of 50,000 held
    every reply for seconds (`python -m bench faults`). Now one save writes it once."""
    state = tmp_path / "bot.pickle"
    state.write_bytes(pickle.dumps({"user_data": {u: {"lang": "en"} for u in range(5_000)}, "chat_data": {},
                                    "bot_data": {}, "callback_data": None, "conversations": {}}))
    persistence = SafePicklePersistence(state)
    persistence.set_bot(ExtBot(CONSOLE_TOKEN))
    await persistence.get_user_data()
    written = []
    monkeypatch.setattr(SafePicklePersistence, "_dump_singlefile", lambda self: written.append(1))
    await asyncio.gather(*(persistence.update_user_data(u, {"lang": "es"}) for u in range(100)))
    await asyncio.sleep(0)  # the batch is written on the loop's next turn
    assert len(written) == 1
    monkeypatch.undo()
    await asyncio.gather(*(persistence.update_user_data(u, {"lang": "es"}) for u in range(100, 110)))
    await asyncio.sleep(0)
    assert read_state_file(state)["user_data"][109] == {"lang": "es"}  # and the batch is really on disk


# ---- the smaller items ---------------------------------------------------------------------------------------
def paging_button(call) -> str:
    rows = (call.params.get("reply_markup") or {}).get("inline_keyboard") or []
    return next(b["callback_data"] for row in rows for b in row if b.get("callback_data", "").startswith("S:"))


async def test_paging_someone_elses_list_in_a_group_keeps_the_owners_language(sample_catalog):
    group = -400000077
    async with polling_bot(sample_catalog) as (tg, application):
        ask = "/similares@faults_bot toy story"
        [spanish] = await tg.replies_to(tg.user_message(ask, chat_id=group, user_id=21, chat_type="group",
                                                        language_code="es"), timeout=20)
        data = paging_button(spanish)
        message_id = spanish.result["message_id"]
        pressed = tg.callback_query(data, message_id=message_id, chat_id=group, user_id=22,
                                    chat_type="group", language_code="en")  # someone else presses it
        [by_other] = [c for c in await tg.replies_to(pressed, n=2, timeout=20) if c.method == "editMessageText"]
        [again] = await tg.replies_to(tg.user_message(ask, chat_id=group, user_id=21, chat_type="group",
                                                      language_code="es"), timeout=20)
        pressed = tg.callback_query(paging_button(again), message_id=again.result["message_id"],
                                    chat_id=group, user_id=21, chat_type="group", language_code="es")
        [by_owner] = [c for c in await tg.replies_to(pressed, n=2, timeout=20) if c.method == "editMessageText"]
    assert by_other.text == by_owner.text  # the page the owner would have got: before, English
    assert by_other.text.startswith("Títulos parecidos a")


async def test_a_forged_paging_button_on_a_message_the_bot_cannot_edit_is_still_answered(sample_catalog):
    title = sample_catalog.titles[0].id
    async with polling_bot(sample_catalog) as (tg, application):
        own = tg.user_message("hello", user_id=31)  # the user's own message: the bot may not edit it
        await tg.replies_to(own, timeout=20)
        users_message = 1  # the chat's first message is the user's "hello" (the bot's reply is 2)
        assert tg.message(31, users_message)["from"]["id"] == 31
        pressed = tg.callback_query(f"S:{title}:1", message_id=users_message, user_id=31)
        calls = await tg.replies_to(pressed, n=2, timeout=20)
    methods = [c.method for c in calls]
    assert "answerCallbackQuery" in methods and "sendMessage" in methods, methods  # before: only an empty answer
    assert not tg.internal_errors


async def test_platforms_in_a_group_do_not_show_the_askers_services(sample_catalog):
    session, application = await open_session(sample_catalog)
    try:
        await session.message("/platforms disney hulu", user_id=41)
        [reply] = await session.message("/platforms", user_id=41, chat_id=-400000041, chat_type="group")
        shown = render.plain(reply.text)
        assert "Disney" not in shown and "Hulu" not in shown  # before: "Your services: Disney+, Hulu…"
        assert "private chat" in shown
        [private] = await session.message("/platforms", user_id=41)
        assert "Disney+" in render.plain(private.text) and "Hulu" in render.plain(private.text)
    finally:
        await application.shutdown()


async def test_debug_logs_carry_ids_not_names_or_texts(sample_catalog):
    import logging

    from bot.settings import configure_logging

    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            lines.append(self.format(record))

    root = logging.getLogger()
    level, collector = root.level, Collect()
    configure_logging("DEBUG")
    root.addHandler(collector)
    try:
        async with polling_bot(sample_catalog) as (tg, application):
            asked = tg.user_message("the secret diary of zebulonia", user_id=51, first_name="Zebulonia")
            await tg.replies_to(asked, timeout=20)
    finally:
        root.removeHandler(collector)
        root.setLevel(level)
    logged = "\n".join(lines)
    assert f"Processing update update {asked} (user 51, chat 51)" in logged, "the update's debug line is gone"
    assert "Zebulonia" not in logged and "zebulonia" not in logged.lower()


def test_the_console_removes_its_temporary_folder(sample_processed, tmp_path):
    environment = {k: v for k, v in os.environ.items() if k not in ("TELEGRAM_BOT_TOKEN", "BOT_ENV_FILE")}
    done = subprocess.run([sys.executable, "-m", "bot", "console"], input="/stats netflix\n/count hulu\n",
                          capture_output=True, text=True, cwd=PROJECT_ROOT, timeout=120,
                          env=environment | {"CATALOG_DATA_DIR": str(sample_processed), "TMPDIR": str(tmp_path)})
    assert done.returncode == 0, done.stderr
    assert "[image: " + str(tmp_path) in done.stdout  # a chart was written there during the session
    assert list(tmp_path.glob("bot-console-*")) == []
