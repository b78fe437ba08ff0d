"""Per-user flood control, checked before any handler runs, and a separate lane for inline queries.

Messages, commands and buttons share one token bucket per user: a user who sends faster than the
bucket refills gets one polite notice, then silence until the bucket has a token again; other users
are unaffected (updates are processed concurrently). Edited messages are never answered (an edit
answered 300 times was a way round the bucket), so they cost nothing and are dropped here.

Inline queries arrive as the user types, one per letter, so they do not touch that bucket: each user
gets one search at a time (`InlineLanes`); queries that arrive meanwhile wait, and when the search
ends only the newest of them runs, the stale ones are dropped. Their own bucket (`INLINE_BUDGET`) only
stops a client that sends far faster than anyone types. Time is passed in (`now`), never read inside
the bucket, so tests drive it with a fake clock.

These live in one process's memory. Several worker processes share them through Redis instead
(`bot.shared`: the same bucket and lane, one per user for all workers), when REDIS_URL is set.
"""
from __future__ import annotations

import asyncio
import enum
import itertools
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.texts import text

THROTTLE = "throttle"  # bot_data key: the messages' Throttle
INLINE_THROTTLE = "inline_throttle"  # bot_data key: the inline queries' own Throttle
INLINE_LANES = "inline_lanes"  # bot_data key: InlineLanes
# Letter-by-letter typing is ~3 queries a second and one lane answers only the newest, so this budget
# is only reached by a client that sends queries far faster than anyone types.
INLINE_BUDGET = (30, 5.0)  # (burst, refill per second)


class Verdict(enum.Enum):
    ALLOW = "allow"
    WARN = "warn"  # the first update over the limit: tell the user once
    DROP = "drop"


@dataclass
class Throttle:
    burst: int = 8
    rate: float = 1.0  # tokens per second
    _buckets: dict[int, tuple[float, float]] = field(default_factory=dict)  # user -> (tokens, when)
    _warned: set[int] = field(default_factory=set)

    def check(self, user_id: int, now: float) -> Verdict:
        tokens, when = self._buckets.get(user_id, (float(self.burst), now))
        tokens = min(float(self.burst), tokens + (now - when) * self.rate)
        if tokens >= 1:
            self._buckets[user_id] = (tokens - 1, now)
            self._warned.discard(user_id)
            return Verdict.ALLOW
        self._buckets[user_id] = (tokens, now)
        if len(self._buckets) > 10_000:
            self._forget_idle(now)
        if user_id in self._warned:
            return Verdict.DROP
        self._warned.add(user_id)
        return Verdict.WARN

    async def take(self, user_id: int) -> Verdict:
        """`check` on this process's clock (the shared `bot.shared.SharedThrottle` has the same method)."""
        return self.check(user_id, time.monotonic())

    def _forget_idle(self, now: float) -> None:
        """Users whose bucket would be full again need no entry."""
        full = self.burst / self.rate if self.rate > 0 else float("inf")
        self._buckets = {u: b for u, b in self._buckets.items() if now - b[1] < full}


@dataclass
class _Lane:
    lock: asyncio.Lock = field(default_factory=asyncio.Lock)
    newest: int = 0
    waiting: int = 0


class InlineLanes:
    """One inline search at a time per user; of the queries that queued meanwhile only the newest runs.

        lanes.run(user, search)  # -> True when `search` ran, False when a newer query replaced it
    """

    def __init__(self) -> None:
        self._lanes: dict[int, _Lane] = {}
        self._tickets = itertools.count(1)

    async def run(self, user_id: int, search: Callable[[], Awaitable[None]]) -> bool:
        lane = self._lanes.setdefault(user_id, _Lane())
        ticket = lane.newest = next(self._tickets)
        lane.waiting += 1
        try:
            async with lane.lock:  # FIFO: every waiter gets its turn, the stale ones return at once
                if lane.newest != ticket:
                    return False
                await search()
                return True
        finally:
            lane.waiting -= 1
            if not lane.waiting:  # nobody queued: forget the user, so memory follows the active users
                self._lanes.pop(user_id, None)

    def __len__(self) -> int:
        return len(self._lanes)


def _counts(update: Update) -> bool:
    """Only what the bot answers counts: commands, buttons and private messages (inline has its own lane)."""
    if update.callback_query:
        return True
    message = update.message
    return bool(message and (message.chat.type == ChatType.PRIVATE or (message.text or "").startswith("/")))


async def throttle(update: Update, context: BotContext) -> None:
    if update.edited_message or update.edited_channel_post:
        raise ApplicationHandlerStop  # edits are never answered, so they never make the bot work
    user = update.effective_user
    if user is None or update.inline_query or not _counts(update):
        return
    verdict = await context.bot_data[THROTTLE].take(user.id)
    if verdict is Verdict.ALLOW:
        return
    notice = text(context.lang, "throttled")
    if update.callback_query:
        await update.callback_query.answer(notice if verdict is Verdict.WARN else None)
    elif verdict is Verdict.WARN and update.message:
        await update.message.reply_text(notice)
    raise ApplicationHandlerStop


Handler = Callable[[Update, BotContext], Awaitable[None]]


def inline_lane(handler: Handler) -> Handler:
    """The inline handler, run in its user's lane and within the inline budget."""
    async def callback(update: Update, context: BotContext) -> None:
        user = update.effective_user
        if user is None:
            return

        async def search() -> None:
            if await context.bot_data[INLINE_THROTTLE].take(user.id) is Verdict.ALLOW:
                await handler(update, context)
            else:  # far beyond typing speed: an empty answer, not cached, costs no search
                await update.inline_query.answer([], cache_time=0, is_personal=True)

        await context.bot_data[INLINE_LANES].run(user.id, search)

    callback.__name__ = handler.__name__
    return callback
