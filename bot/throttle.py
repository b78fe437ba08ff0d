"""Per-user flood control: a token bucket per user, checked before any handler runs.

A user who sends faster than the bucket refills gets one polite notice, then silence until the bucket
has a token again; other users are unaffected (updates are processed concurrently).
"""
from __future__ import annotations

import enum
import time
from dataclasses import dataclass, field

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from bot.texts import text

THROTTLE = "throttle"  # bot_data key


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

    def _forget_idle(self, now: float) -> None:
        """Users whose bucket would be full again need no entry."""
        full = self.burst / self.rate if self.rate > 0 else float("inf")
        self._buckets = {u: b for u, b in self._buckets.items() if now - b[1] < full}


def _counts(update: Update) -> bool:
    """Only what the bot answers counts: commands, buttons, inline queries and private messages."""
    if update.callback_query or update.inline_query:
        return True
    message = update.message
    return bool(message and (message.chat.type == ChatType.PRIVATE or (message.text or "").startswith("/")))


async def throttle(update: Update, context: BotContext) -> None:
    user = update.effective_user
    if user is None or not _counts(update):
        return
    verdict = context.bot_data[THROTTLE].check(user.id, time.monotonic())
    if verdict is Verdict.ALLOW:
        return
    notice = text(context.lang, "throttled")
    if update.callback_query:
        await update.callback_query.answer(notice if verdict is Verdict.WARN else None)
    elif update.inline_query:
        await update.inline_query.answer([], cache_time=0, is_personal=True)
    elif verdict is Verdict.WARN and update.message:
        await update.message.reply_text(notice)
    raise ApplicationHandlerStop
