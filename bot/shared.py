"""What one process kept in memory per user, shared through Redis so several workers behave as one.

    throttle = SharedThrottle(redis, "streamcatalog:", burst=8, rate=1.0)
    verdict = await throttle.take(user_id)           # the same bucket whichever worker asks
    lanes = SharedInlineLanes(redis, "streamcatalog:")
    ran = await lanes.run(user_id, search)           # one search per user across workers, newest wins

The same rules as `bot.throttle.Throttle` and `bot.throttle.InlineLanes` (one process, in memory), kept in
Redis: a token bucket per user updated by one Lua script (atomic, on Redis's own clock, so workers on
several machines agree), and per user a ticket counter plus a lock for the inline lane. Keys expire
once a bucket would be full again, so Redis holds only the users active lately.

Redis being down must not stop the bot (flood control is a guard, not a feature): a failed call is
logged once per outage and the update goes on as if allowed.
"""
from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.throttle import Verdict

log = logging.getLogger(__name__)

# KEYS[1]: the user's bucket (hash: tokens, at, warned). ARGV: burst, rate per second, now (seconds; empty:
# Redis's TIME), expiry in ms. Time never goes back for a bucket (`at` only grows), so a clock that another
# caller passed ahead of this one refills nothing twice.
TAKE = """
local burst, rate = tonumber(ARGV[1]), tonumber(ARGV[2])
local now = tonumber(ARGV[3])
if not now then
  local t = redis.call('TIME')
  now = tonumber(t[1]) + tonumber(t[2]) / 1000000
end
local b = redis.call('HMGET', KEYS[1], 'tokens', 'at', 'warned')
local tokens, at = tonumber(b[1]) or burst, tonumber(b[2]) or now
if now < at then now = at end
tokens = math.min(burst, tokens + (now - at) * rate)
local verdict, warned = 'allow', '0'
if tokens >= 1 then
  tokens = tokens - 1
elseif b[3] == '1' then
  verdict, warned = 'drop', '1'
else
  verdict, warned = 'warn', '1'
end
redis.call('HSET', KEYS[1], 'tokens', string.format('%.6f', tokens), 'at', string.format('%.6f', now),
           'warned', warned)
redis.call('PEXPIRE', KEYS[1], ARGV[4])
return verdict
"""

# KEYS[1]: the user's newest inline ticket, KEYS[2]: the user's lane lock. ARGV: this query's ticket, the lock's
# owner token, the lock's expiry in ms. 'stale': a newer query came (this one is dropped); 'run': the lock is
# ours and this is the newest; 'wait': another search of this user runs.
ENTER_LANE = """
if redis.call('GET', KEYS[1]) ~= ARGV[1] then return 'stale' end
if redis.call('SET', KEYS[2], ARGV[2], 'NX', 'PX', ARGV[3]) then return 'run' end
return 'wait'
"""
LEAVE_LANE = """
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
"""
LANE_LOCK_MS = 30_000  # a worker killed mid-search frees its user's lane after this
LANE_POLL = 0.02  # seconds between looks at a busy lane (an inline search takes a few ms to tens of ms)
TICKET_TTL = 120  # seconds a user's ticket counter outlives their last query


class RedisGuard:
    """Logs the first failure of an outage and the recovery, not every update in between."""

    def __init__(self) -> None:
        self.down = False

    def failed(self, what: str, error: Exception) -> None:
        if not self.down:
            log.warning("redis: %s failed (%s: %s); going on without it until it answers", what,
                        type(error).__name__, error)
        self.down = True

    def worked(self) -> None:
        if self.down:
            log.warning("redis: answering again")
        self.down = False


class SharedThrottle:
    """`bot.throttle.Throttle` with the buckets in Redis: every worker takes from the same bucket."""

    def __init__(self, redis: Redis, prefix: str, burst: int = 8, rate: float = 1.0, *, lane: str = "flood") -> None:
        self.redis, self.burst, self.rate = redis, burst, rate
        self.key = f"{prefix}{lane}:"
        self._take = redis.register_script(TAKE)
        full = burst / rate if rate > 0 else 86_400.0
        self.expiry_ms = int((full + 1) * 1000)  # a bucket that would be full again needs no key
        self.guard = RedisGuard()

    async def take(self, user_id: int, now: float | None = None) -> Verdict:
        """One token for `user_id` (on Redis's clock, or `now` in seconds for tests)."""
        try:
            verdict = await self._take(keys=[f"{self.key}{user_id}"],
                                       args=[self.burst, self.rate, "" if now is None else repr(now), self.expiry_ms])
        except (RedisError, OSError) as error:
            self.guard.failed("the flood budget", error)
            return Verdict.ALLOW
        self.guard.worked()
        return Verdict(verdict.decode() if isinstance(verdict, bytes) else verdict)


class SharedInlineLanes:
    """`bot.throttle.InlineLanes` across workers: one inline search at a time per user, and of the queries
    that arrived meanwhile (at any worker) only the newest runs."""

    def __init__(self, redis: Redis, prefix: str) -> None:
        self.redis = redis
        self.key = f"{prefix}inline:"
        self._enter = redis.register_script(ENTER_LANE)
        self._leave = redis.register_script(LEAVE_LANE)
        self.guard = RedisGuard()

    async def run(self, user_id: int, search: Callable[[], Awaitable[None]]) -> bool:
        newest, lock = f"{self.key}{user_id}:newest", f"{self.key}{user_id}:lock"
        try:
            async with self.redis.pipeline(transaction=True) as pipe:
                ticket, _ = await pipe.incr(newest).expire(newest, TICKET_TTL).execute()
            owner = f"{os.getpid()}:{ticket}"
            while True:
                state = await self._enter(keys=[newest, lock], args=[ticket, owner, LANE_LOCK_MS])
                state = state.decode() if isinstance(state, bytes) else state
                if state == "stale":
                    self.guard.worked()
                    return False
                if state == "run":
                    break
                await asyncio.sleep(LANE_POLL)
        except (RedisError, OSError) as error:  # no lane without Redis: search, as if alone
            self.guard.failed("the inline lane", error)
            await search()
            return True
        self.guard.worked()
        try:
            await search()
            return True
        finally:
            try:
                await self._leave(keys=[lock], args=[owner])
            except (RedisError, OSError) as error:  # the lock expires by itself
                self.guard.failed("freeing the inline lane", error)


def connect(url: str) -> Redis:
    """A client for this process's event loop (connects on first use; short timeouts, so an outage costs an
    update a second at most, not a hang)."""
    return Redis.from_url(url, socket_connect_timeout=1.0, socket_timeout=1.0, health_check_interval=30)
