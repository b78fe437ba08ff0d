"""The token never reaches a log line, at any level, from any logger (httpx and httpcore included).

python-telegram-bot logs the API URL (which contains the token) at DEBUG when the bot is created, and
httpx logs every request URL at INFO: this runs a whole exchange with every logger at DEBUG and
checks each formatted record, tracebacks included.
"""
from __future__ import annotations

import asyncio
import logging
import os
import subprocess
import sys

import pytest

from bot.app import build_application
from bot.settings import Settings, configure_logging, redact
from core.settings import PROJECT_ROOT

sys.path.insert(0, os.path.dirname(__file__))

from telegram_double import TelegramDouble  # noqa: E402

TOKEN = "6098765432:AAH-logging_SecretHalfOfTheToken_987654"
SECRET_HALF = TOKEN.split(":")[1]
WEBHOOK_SECRET = "never-log-this-webhook-secret"


class Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def every_log_line(monkeypatch):
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in ("", "httpx", "httpcore", "telegram")}
    capture = Everything()
    root.addHandler(capture)
    settings = Settings(token=TOKEN, webhook_secret=WEBHOOK_SECRET, state_file=None)
    configure_logging("DEBUG", settings.secrets)
    for name in ("httpx", "httpcore"):  # the worst case: someone turns request logging on
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield capture.lines
    root.removeHandler(capture)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


async def test_the_token_never_appears_in_any_log_line(sample_catalog, every_log_line):
    async with TelegramDouble(token=TOKEN, bot_username="log_test_bot") as tg:
        settings = Settings(token=TOKEN, base_url=tg.base_url, webhook_secret=WEBHOOK_SECRET, state_file=None)
        application = build_application(sample_catalog, settings)
        async with application:
            await application.updater.start_polling(poll_interval=0.0, timeout=1)
            await application.start()
            try:
                tg.fail_next("sendMessage", error_code=500)  # an error path, with a traceback logged
                tg.user_message("/count netflix", user_id=11)
                # updates run concurrently: let the failure land on this reply before the next update
                await tg.wait_for(lambda c: c.method == "sendMessage" and not c.ok and c.chat_id == 11, timeout=60)
                await tg.replies_to(tg.user_message("/where the irishman", user_id=12), timeout=60)
                await tg.replies_to(tg.inline_query("matrix", user_id=13), timeout=60)
            finally:
                await application.updater.stop()
                await application.stop()

    lines = every_log_line
    assert any("httpx" in line for line in lines) and any("HTTP Request" in line for line in lines)
    assert any("[REDACTED]" in line for line in lines), "nothing tried to log the token: the test proves nothing"
    for line in lines:
        assert TOKEN not in line and SECRET_HALF not in line and WEBHOOK_SECRET not in line, line


def test_redact_hides_every_secret():
    configure_logging("INFO", (TOKEN, SECRET_HALF, WEBHOOK_SECRET))
    assert redact(f"POST http://x/bot{TOKEN}/getMe {WEBHOOK_SECRET}") == "POST http://x/bot[REDACTED]/getMe [REDACTED]"


async def test_a_token_telegram_rejects_stops_start_up_in_one_line_without_printing_it(sample_processed, tmp_path):
    rejected = "6098765432:AAH-rejected_OtherHalfOfTheToken_12345"  # well formed, but not the double's token
    async with TelegramDouble(token=TOKEN, bot_username="log_test_bot") as tg:
        environment = os.environ | {
            "TELEGRAM_BOT_TOKEN": rejected, "TELEGRAM_BASE_URL": tg.base_url, "LOG_LEVEL": "DEBUG",
            "CATALOG_DATA_DIR": str(sample_processed), "BOT_STATE_FILE": str(tmp_path / "bot.pickle"),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'bot.db'}",
            "NO_PROXY": "127.0.0.1,localhost", "no_proxy": "127.0.0.1,localhost",
        }
        bot = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot", cwd=PROJECT_ROOT, env=environment,
                                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        _, stderr = await asyncio.wait_for(bot.communicate(), timeout=120)
    printed = stderr.decode()
    assert bot.returncode == 2, printed
    assert printed.strip().splitlines()[-1].startswith("bot: Telegram rejected TELEGRAM_BOT_TOKEN"), printed
    assert rejected.split(":")[1] not in printed
    assert "Traceback" not in printed, printed  # issue 10: the line, without python-telegram-bot's 50-line traceback
