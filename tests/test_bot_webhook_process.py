"""`python -m bot` in webhook mode, run as the real process with only WEBHOOK_URL set (as a deployment
would), against the Bot API double: it registers its URL (path included) and a random secret, answers
updates Telegram delivers with that secret, and refuses a request without it."""
from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys

import httpx
import pytest
from telegram_double import TelegramDouble, free_port

from core.settings import PROJECT_ROOT

TOKEN = "7012345678:AAF-webhook_SecretPartOfTheTokenXYZ01"
HANG = 120  # seconds: only bounds a hang (start-up loads the catalog); nothing is timed


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch):
    for name in ("NO_PROXY", "no_proxy"):
        monkeypatch.setenv(name, "127.0.0.1,localhost")


def start_bot(tg: TelegramDouble, url: str, port: int, data_dir, tmp_path) -> subprocess.Popen:
    env = {
        **os.environ,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_BASE_URL": tg.base_url,
        "WEBHOOK_URL": url,  # and no WEBHOOK_SECRET: the bot must make one up
        "WEBHOOK_LISTEN": "127.0.0.1",
        "WEBHOOK_PORT": str(port),
        "CATALOG_DATA_DIR": str(data_dir),
        "BOT_STATE_FILE": str(tmp_path / f"state-{port}.pickle"),
        "BOT_ENV_FILE": os.devnull,
        "NO_PROXY": "127.0.0.1,localhost",
    }
    env.pop("WEBHOOK_SECRET", None)
    return subprocess.Popen([sys.executable, "-m", "bot"], cwd=PROJECT_ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def stop(process: subprocess.Popen) -> str:
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
    try:
        _, err = process.communicate(timeout=HANG)
    except subprocess.TimeoutExpired:
        process.kill()
        _, err = process.communicate()
    return err


async def registered(tg: TelegramDouble, process: subprocess.Popen) -> dict:
    """The bot's setWebhook parameters, once it has called it."""
    try:
        call = await tg.wait_for(lambda c: c.method == "setWebhook" and c.ok, timeout=HANG)
    except AssertionError:
        raise AssertionError(f"the bot never set its webhook: {stop(process)[-2000:]}") from None
    return call.params


async def delivered(tg: TelegramDouble) -> None:
    while not any(status == 200 for _, status, _ in tg.webhook_deliveries):  # bounded by the caller's timeout
        await asyncio.sleep(0.01)


async def test_python_m_bot_with_webhook_url_registers_a_random_secret_it_checks(sample_processed, tmp_path):
    async with TelegramDouble(token=TOKEN, bot_username="webhook_bot") as one, \
            TelegramDouble(token=TOKEN, bot_username="webhook_bot") as two:
        ports = free_port(), free_port()
        urls = [f"http://127.0.0.1:{port}/telegram/hook-path" for port in ports]
        processes = [start_bot(tg, url, port, sample_processed, tmp_path)
                     for tg, url, port in zip((one, two), urls, ports)]
        try:
            first, second = await asyncio.gather(registered(one, processes[0]), registered(two, processes[1]))
            assert first["url"] == urls[0]  # the path is part of what Telegram is told
            secret = first["secret_token"]
            assert re.fullmatch(r"[A-Za-z0-9_-]{32,256}", secret)
            assert secret != second["secret_token"]  # made up afresh by each process, not derived
            assert secret not in TOKEN

            # Telegram (the double) delivers an update with the secret: answered
            update = one.user_message("/count netflix", user_id=77)
            [reply] = await one.replies_to(update, timeout=HANG)
            await asyncio.wait_for(delivered(one), HANG)
            # refused (no answer at all) while the worker was not listening yet, then answered once
            *refused, answered = [status for _, status, _ in one.webhook_deliveries]
            assert answered == 200 and set(refused) <= {None}
            assert reply.params["text"].startswith("Netflix has")

            # anyone else posting to the URL without the secret (or with a wrong one) is refused
            async with httpx.AsyncClient(trust_env=False) as client:
                body = {"update_id": 999, "message": {"message_id": 1, "date": 0, "chat": {"id": 78, "type": "private"},
                                                      "from": {"id": 78, "is_bot": False, "first_name": "X"},
                                                      "text": "/count hulu"}}
                for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "not-" + secret[4:]}):
                    refused = await client.post(urls[0], json=body, headers=headers, timeout=HANG)
                    assert refused.status_code == 403
        finally:
            errors = [stop(p) for p in processes]
        assert not one.sent_to(78)
        assert all(TOKEN.partition(":")[2] not in err and secret not in err for err in errors)
