"""Three webhook workers behind one port (`WORKERS=3 python -m bot`), sharing PostgreSQL and Redis, fed in
parallel by the Bot API double as Telegram would (up to setWebhook's max_connections at once).

- 200 group chats x 10 commands: every update answered exactly once, and each worker answers a share;
- a worker killed mid-load: only the updates whose delivery was open at the kill (the double's own record)
  may go unanswered or be answered twice, and they are counted;
- the flood budget is one per user for all three workers (kept in Redis).

Each command comes from its own member of the group, so the per-user flood budget never decides an answer
here (the last test is about that budget). Waits are on events with generous timeouts; nothing is timed.
"""
from __future__ import annotations

import asyncio
import collections
import os
import time
import uuid

import pytest
import redis.asyncio as aioredis
from storage_backends import drop_postgresql_schema, fresh_postgresql_schema, postgresql_test_url
from telegram_double import TelegramDouble
from webhook_workers import BOT_USERNAME, TOKEN, Deployment, group_command, killed, replies_per_update

HANG = 180.0  # seconds: only bounds a hang on a loaded machine
COMMANDS = ["/count netflix", "/count hulu", "/count disney", "/count amazon", "/rating pg-13"]


def redis_test_url() -> str:
    return os.environ.get("TEST_REDIS_URL", "").strip() or "redis://127.0.0.1:6379/0"


@pytest.fixture
async def shared_stores():
    """A fresh PostgreSQL schema and a fresh Redis key prefix: the env of a deployment of its own."""
    client = aioredis.Redis.from_url(redis_test_url(), socket_connect_timeout=3)
    try:
        await client.ping()
    except (aioredis.RedisError, OSError) as error:
        message = f"Redis not reachable at {redis_test_url()} ({type(error).__name__}); set TEST_REDIS_URL"
        await client.aclose()
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    schema = await fresh_postgresql_schema()
    prefix = f"test-{uuid.uuid4().hex[:12]}:"
    yield {"DATABASE_URL": f"{postgresql_test_url()}?search_path={schema}", "REDIS_URL": redis_test_url(),
           "REDIS_PREFIX": prefix}, client, prefix
    async for key in client.scan_iter(f"{prefix}*"):
        await client.delete(key)
    await client.aclose()
    await drop_postgresql_schema(schema)


class Load:
    """Group chats, each sending its commands one after the other (the next once the last was answered)."""

    def __init__(self, tg: TelegramDouble, chats: int, per_chat: int, reply_timeout: float = HANG) -> None:
        self.tg, self.chats, self.per_chat, self.reply_timeout = tg, chats, per_chat, reply_timeout
        self.updates: dict[tuple[int, int], int] = {}  # (chat, message id) -> update id
        self.answered = 0
        self.progress = asyncio.Condition()
        self.unanswered: list[int] = []

    async def chat(self, k: int) -> None:
        for i in range(self.per_chat):
            update_id = group_command(self.tg, -(10**7 + k), 10**6 + k * 100 + i, COMMANDS[(k + i) % len(COMMANDS)])
            message = self.tg.injected(update_id)["message"]
            self.updates[(message["chat"]["id"], message["message_id"])] = update_id
            try:
                await self.tg.replies_to(update_id, timeout=self.reply_timeout)
            except AssertionError:  # WaitTimeout: counted below, the chat goes on
                self.unanswered.append(update_id)
            async with self.progress:
                self.answered += 1
                self.progress.notify_all()

    async def run(self) -> None:
        await asyncio.gather(*(self.chat(k) for k in range(self.chats)))

    async def reached(self, n: int) -> None:
        async with self.progress:
            await self.progress.wait_for(lambda: self.answered >= n)


async def settled(tg: TelegramDouble) -> None:
    """Until the double holds no update and no webhook POST is open (late second answers have landed)."""
    while tg.pending_update_count or any(a.ended is None for a in tg.webhook_attempts):
        await asyncio.sleep(0.05)  # polls a condition; the caller bounds it


async def test_three_workers_answer_200_chats_x_10_commands_each_exactly_once(sample_processed, shared_stores):
    env, _, _ = shared_stores
    async with TelegramDouble(token=TOKEN, bot_username=BOT_USERNAME) as tg:
        async with Deployment(tg, sample_processed, workers=3, env=env, timeout=HANG) as bot:
            load = Load(tg, chats=200, per_chat=10)
            await asyncio.wait_for(load.run(), HANG * 3)
            await asyncio.wait_for(settled(tg), HANG)
            counts = replies_per_update(tg, load.updates)
            log = bot.log_tail()
        assert len(counts) == 2000
        assert load.unanswered == []
        assert collections.Counter(counts.values()) == {1: 2000}, log  # each answered exactly once
        answered_by = collections.Counter(a.worker for a in tg.webhook_attempts if a.status == 200)
        assert sum(answered_by.values()) == 2000  # one successful delivery per update
        assert set(answered_by) == {str(pid) for pid in bot.worker_pids}
        # Each worker answers a share. Its size is the kernel's choice (which worker accepts a connection) and varies
        # with the machine's load (one of three got 4.5 % on a busy machine), so there is no floor on it.
        assert len(answered_by) == 3 and min(answered_by.values()) > 0, answered_by
        webhook = tg.calls_to("setWebhook")
        assert len(webhook) == 1 and webhook[0].params["secret_token"]  # set once, by the master
        assert tg.internal_errors == []


async def test_a_worker_killed_mid_load_loses_or_repeats_only_the_updates_in_flight(sample_processed,
                                                                                   shared_stores):
    env, _, _ = shared_stores
    async with TelegramDouble(token=TOKEN, bot_username=BOT_USERNAME) as tg:
        async with Deployment(tg, sample_processed, workers=3, env=env, timeout=HANG) as bot:
            load = Load(tg, chats=60, per_chat=10, reply_timeout=60)
            running = asyncio.ensure_future(load.run())
            await asyncio.wait_for(load.reached(150), HANG)
            busiest = collections.Counter(a.worker for a in tg.webhook_attempts if a.status == 200).most_common(1)
            victim = int(busiest[0][0])
            since = time.monotonic()
            await killed(victim)
            until = time.monotonic()  # it has died by now: POSTs sent later went to the other workers
            in_flight = {a.update_id for a in tg.webhook_in_flight(since, until)}
            assert await bot.wait_ready(4)  # gunicorn's master started a worker in its place
            await asyncio.wait_for(running, HANG * 3)
            await asyncio.wait_for(settled(tg), HANG)
            counts = replies_per_update(tg, load.updates)
        lost = [u for u, n in counts.items() if n == 0]
        twice = [u for u, n in counts.items() if n > 1]
        print(f"in flight at the kill: {len(in_flight)}; lost {len(lost)}, answered twice {len(twice)}")
        assert len(counts) == 600
        assert set(lost) | set(twice) <= in_flight  # every other update was answered exactly once
        assert len(lost) + len(twice) <= len(in_flight)
        assert any(a.worker == str(victim) and a.status == 200 for a in tg.webhook_attempts)  # it did answer
        assert any(a.error and a.update_id in in_flight for a in tg.webhook_attempts)  # the kill cut some off


async def test_the_flood_budget_is_one_per_user_across_the_three_workers(sample_processed, shared_stores):
    env, redis, prefix = shared_stores
    async with TelegramDouble(token=TOKEN, bot_username=BOT_USERNAME) as tg:
        async with Deployment(tg, sample_processed, workers=3, env=env, timeout=HANG):
            user, chat = 4242, -4242
            # the user's bucket in Redis holds 3 tokens and refills only an hour from now, on Redis's clock
            seconds, micros = await redis.time()
            await redis.hset(f"{prefix}flood:{user}", mapping={"tokens": "3", "at": f"{seconds + micros / 1e6 + 3600}",
                                                               "warned": "0"})
            spread = Load(tg, chats=30, per_chat=1)  # connections to every worker first
            await asyncio.wait_for(spread.run(), HANG)
            mark = tg.mark()
            updates = [group_command(tg, chat, user, "/count netflix") for _ in range(9)]
            await asyncio.wait_for(settled(tg), HANG)
            sent = [c for c in tg.calls[mark:] if c.ok and c.method == "sendMessage" and c.params["chat_id"] == chat]
        texts = [c.params["text"] for c in sent]
        assert sum(t.startswith("Netflix has") for t in texts) == 3, texts  # 8 per worker if each had its own
        assert len(texts) == 4, texts  # and one notice, then silence
        handled = {a.update_id: a.worker for a in tg.webhook_attempts if a.update_id in updates and a.status == 200}
        assert len(handled) == 9
