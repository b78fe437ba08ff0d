"""The flood budget and the inline lane kept in Redis (`bot.shared`): three clients stand for three workers.
Time is passed in (seconds), never read, so the budget's refill is checked without a clock."""
from __future__ import annotations

import asyncio
import os
import uuid

import pytest
import redis.asyncio as aioredis
from test_bot_workers import redis_test_url

from bot.shared import SharedInlineLanes, SharedThrottle, connect
from bot.throttle import Verdict


@pytest.fixture
async def workers():
    """Three Redis clients (one per 'worker') on one fresh key prefix."""
    clients = [connect(redis_test_url()) for _ in range(3)]
    try:
        await clients[0].ping()
    except (aioredis.RedisError, OSError) as error:
        for client in clients:
            await client.aclose()
        message = f"Redis not reachable at {redis_test_url()} ({type(error).__name__}); set TEST_REDIS_URL"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    prefix = f"test-{uuid.uuid4().hex[:12]}:"
    yield clients, prefix
    async for key in clients[0].scan_iter(f"{prefix}*"):
        await clients[0].delete(key)
    for client in clients:
        await client.aclose()


async def test_three_workers_take_from_one_bucket_per_user(workers):
    clients, prefix = workers
    throttles = [SharedThrottle(c, prefix, burst=8, rate=1.0) for c in clients]
    now = 1_000.0
    verdicts = [await throttles[i % 3].take(7, now) for i in range(12)]  # 12 at once, spread over the workers
    assert verdicts == [Verdict.ALLOW] * 8 + [Verdict.WARN] + [Verdict.DROP] * 3
    assert await throttles[0].take(8, now) is Verdict.ALLOW  # another user has a bucket of their own
    # 2.5 s later two tokens are back (1 a second), whichever worker asks
    later = [await throttles[(i + 1) % 3].take(7, now + 2.5) for i in range(3)]
    assert later == [Verdict.ALLOW, Verdict.ALLOW, Verdict.WARN]  # warned again: the notice is per empty spell
    # a worker whose clock is behind refills nothing twice
    assert await throttles[2].take(7, now + 2.0) is Verdict.DROP


async def test_redis_own_clock_is_used_when_no_time_is_given(workers):
    clients, prefix = workers
    throttle = SharedThrottle(clients[0], prefix, burst=2, rate=0.001)
    assert [await throttle.take(9) for _ in range(3)] == [Verdict.ALLOW, Verdict.ALLOW, Verdict.WARN]
    assert await clients[0].pttl(f"{prefix}flood:9") > 0  # forgotten once it would be full again


async def test_an_inline_lane_runs_one_search_per_user_across_workers_and_the_newest_wins(workers):
    clients, prefix = workers
    lanes = [SharedInlineLanes(c, prefix) for c in clients]
    ran: list[str] = []
    first_started, release = asyncio.Event(), asyncio.Event()

    async def search(name: str) -> None:
        ran.append(name)
        if name == "m":
            first_started.set()
            await release.wait()

    first = asyncio.ensure_future(lanes[0].run(5, lambda: search("m")))
    await first_started.wait()
    # while "m" runs on worker 0, "ma", "mat", "matr" arrive at workers 1, 2, 1, in that order
    queued = []
    for ticket, (i, q) in enumerate(((1, "ma"), (2, "mat"), (1, "matr")), start=2):
        queued.append(asyncio.ensure_future(lanes[i].run(5, lambda q=q: search(q))))
        await asyncio.wait_for(counter_reaches(clients[0], f"{prefix}inline:5:newest", ticket), 30)
    other = await lanes[2].run(6, lambda: search("other user"))  # someone else is never held up
    stale = await asyncio.gather(*queued[:2])  # the older ones give up as soon as they see a newer query
    release.set()
    assert await first is True and await queued[2] is True
    assert stale == [False, False] and other is True
    assert ran == ["m", "other user", "matr"]


async def counter_reaches(client, key: str, value: int) -> None:
    while int(await client.get(key) or 0) < value:  # polls a condition; the caller bounds it
        await asyncio.sleep(0.005)


async def test_without_redis_the_update_goes_on(workers):
    _, prefix = workers
    down = connect("redis://127.0.0.1:9/0")  # nothing listens there
    try:
        assert await SharedThrottle(down, prefix).take(1) is Verdict.ALLOW
        ran = []

        async def search() -> None:
            ran.append(True)

        assert await SharedInlineLanes(down, prefix).run(1, search) is True and ran == [True]
    finally:
        await down.aclose()


async def test_paging_someone_elses_list_reads_the_owners_choices_from_the_database_not_this_workers_memory():
    """In a group, "More ›" on a list keeps its owner's language and services; with several workers the owner's
    last update may have gone to another worker, so this worker's memory of them is empty."""
    from datetime import datetime
    from types import SimpleNamespace

    from telegram import Chat, Message, User

    from bot.callbacks import list_owner_choices
    from storage import MEMORY_URL, Storage

    storage = Storage(MEMORY_URL)
    await storage.start()
    try:
        await storage.set_language(11, "es")
        await storage.set_platforms(11, ["netflix"])
        owner, presser, chat = User(11, "Owner", False), User(12, "Presser", False, language_code="en"), Chat(-5, "group")
        question = Message(1, datetime(2026, 1, 1), chat, from_user=owner, text="/similar@bot toy story")
        listed = Message(2, datetime(2026, 1, 1), chat, text="…", reply_to_message=question)
        context = SimpleNamespace(lang="en", platforms=None, storage=storage,
                                  application=SimpleNamespace(user_data={}))  # nothing of the owner in memory
        lang, platforms = await list_owner_choices(listed, presser, context)
        assert lang == "es" and [p.name for p in platforms] == ["NETFLIX"]
    finally:
        await storage.close()
