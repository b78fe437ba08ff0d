"""`python -m bot` in webhook mode with several workers, against the Bot API double: for tests and `bench workers`.

    async with Deployment(tg, data_dir, workers=3, env={...}) as bot:   # returns once every worker is ready
        ...                                                               # tg delivers updates to bot.url
        bot.worker_pids                                                   # the pids that said "ready"

Waits are on events (a worker's "ready" line on stderr, a process's pidfd), each bounded by a generous timeout.
"""
from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

from telegram_double import TelegramDouble, free_port

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TOKEN = "7012345678:AAF-workers_SecretPartOfTheTokenXYZ01"
SECRET = "workers-test-secret"
BOT_USERNAME = "workers_bot"
READY = re.compile(r"worker (\d+) ready")


class Deployment:
    """The bot's master and workers as one subprocess tree; stderr is kept (and read as it comes)."""

    def __init__(self, tg: TelegramDouble, data_dir: Path, *, workers: int, env: dict[str, str] | None = None,
                 timeout: float = 180.0) -> None:
        self.tg, self.data_dir, self.workers, self.extra, self.timeout = tg, data_dir, workers, env or {}, timeout
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/telegram"
        self.lines: list[str] = []
        self.worker_pids: list[int] = []
        self._lock = threading.Lock()
        self._ready = threading.Condition(self._lock)
        self.process: subprocess.Popen | None = None

    async def __aenter__(self) -> Deployment:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_BASE_URL": self.tg.base_url,
            "WEBHOOK_URL": self.url,
            "WEBHOOK_SECRET": SECRET,
            "WEBHOOK_LISTEN": "127.0.0.1",
            "WEBHOOK_PORT": str(self.port),
            "WORKERS": str(self.workers),
            "CATALOG_DATA_DIR": str(self.data_dir),
            "BOT_ENV_FILE": os.devnull,
            "NO_PROXY": "127.0.0.1,localhost",
            "LOG_LEVEL": "INFO",
            **self.extra,
        }
        self.process = subprocess.Popen([sys.executable, "-m", "bot"], cwd=PROJECT_ROOT, env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        threading.Thread(target=self._read, daemon=True).start()
        ready = await asyncio.to_thread(self._wait_ready, self.workers)
        if not ready:
            await self.__aexit__(None, None, None)
            raise AssertionError(f"{self.workers} workers never said they were ready:\n{self.log_tail()}")
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await asyncio.to_thread(self.stop)

    def _read(self) -> None:
        assert self.process is not None and self.process.stderr is not None
        for line in self.process.stderr:
            with self._lock:
                self.lines.append(line.rstrip("\n"))
                found = READY.search(line)
                if found:
                    self.worker_pids.append(int(found.group(1)))
                self._ready.notify_all()
        with self._lock:
            self._ready.notify_all()

    def _wait_ready(self, n: int) -> bool:
        with self._lock:
            return self._ready.wait_for(lambda: len(self.worker_pids) >= n or self.process.poll() is not None,
                                        self.timeout) and len(self.worker_pids) >= n

    async def wait_ready(self, n: int) -> bool:
        """Until `n` workers (restarted ones included) have said they are ready."""
        return await asyncio.to_thread(self._wait_ready, n)

    def log_tail(self, n: int = 40) -> str:
        with self._lock:
            return "\n".join(self.lines[-n:])

    def stop(self) -> None:
        """SIGTERM (graceful: the workers finish what they hold), as a supervisor would."""
        process = self.process
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=self.timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


async def killed(pid: int, timeout: float = 60.0) -> None:
    """SIGKILL `pid` (not our child: a worker of the master) and return once it has died (its pidfd
    becomes readable then)."""
    fd = os.pidfd_open(pid)
    try:
        died = asyncio.get_running_loop().create_future()
        asyncio.get_running_loop().add_reader(fd, lambda: died.done() or died.set_result(None))
        try:
            os.kill(pid, signal.SIGKILL)
            await asyncio.wait_for(died, timeout)
        finally:
            asyncio.get_running_loop().remove_reader(fd)
    finally:
        os.close(fd)


def group_command(tg: TelegramDouble, chat: int, user: int, text: str) -> int:
    """`text` as `/cmd@bot args` from `user` in group `chat` (the bot's replies thread to it)."""
    command, _, rest = text.partition(" ")
    return tg.user_message(f"{command}@{BOT_USERNAME} {rest}".strip(), chat_id=chat, user_id=user,
                           chat_type="group")


def replies_per_update(tg: TelegramDouble, updates: dict[tuple[int, int], int]) -> dict[int, int]:
    """How many messages the bot sent in reply to each update ({(chat, message id): update id})."""
    counts = dict.fromkeys(updates.values(), 0)
    for call in list(tg.calls):
        if call.ok and call.method == "sendMessage":
            target = (call.params.get("reply_parameters") or {}).get("message_id")
            key = (int(call.params.get("chat_id")), int(target)) if target is not None else None
            if key in updates:
                counts[updates[key]] += 1
    return counts
