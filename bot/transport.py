"""HTTP to the Bot API that does not drop replies when Telegram is slow or briefly failing.

python-telegram-bot's own transport gives up on a request that waits more than a second for a free
connection ("Pool timeout ... Request was *not* sent") and never resends one that got a 5xx, so a slow
or flaky Bot API silently cost replies. `PatientRequest` wraps it:

- a request waits for a pooled connection (up to `POOL_WAIT` seconds) instead of one second;
- a request is sent again only when it certainly never reached Telegram (no connection: pool timeout,
  connect error or connect timeout) or Telegram answered 5xx, at most `attempts` times in all, with
  exponential backoff. A timeout *after* sending is not resent: Telegram may have the message, and
  a resend could post it twice;
- a 401 (the token was revoked) calls `on_rejected` once and holds that request until it is cancelled,
  so the process can stop cleanly and exit instead of idling.

`sleep` is injectable so tests check the backoff without waiting.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from http import HTTPStatus

import httpx
from telegram.error import NetworkError
from telegram.request import BaseRequest, HTTPXRequest, RequestData

log = logging.getLogger(__name__)
ATTEMPTS = 4  # one send and up to three resends
BACKOFF = 0.5  # seconds before the first resend; doubled each time (0.5, 1, 2)
POOL_WAIT = 60.0  # seconds a request may wait for a free connection before it counts as never sent
# httpx failures that happen before any byte of the request left: resending cannot duplicate anything.
NEVER_SENT = (httpx.PoolTimeout, httpx.ConnectError, httpx.ConnectTimeout)


def never_sent(error: BaseException) -> bool:
    return isinstance(error.__cause__, NEVER_SENT)


class PatientRequest(BaseRequest):
    def __init__(
        self,
        inner: BaseRequest,
        *,
        attempts: int = ATTEMPTS,
        backoff: float = BACKOFF,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        on_rejected: Callable[[], None] | None = None,
    ) -> None:
        self.inner = inner
        self.attempts = attempts
        self.backoff = backoff
        self.sleep = sleep
        self.on_rejected = on_rejected
        self.resent = 0  # requests sent again, for the logs and the benchmark

    @classmethod
    def over_http(cls, connections: int, **options) -> PatientRequest:
        return cls(HTTPXRequest(connection_pool_size=connections, pool_timeout=POOL_WAIT), **options)

    @property
    def read_timeout(self) -> float | None:
        return self.inner.read_timeout

    async def initialize(self) -> None:
        await self.inner.initialize()

    async def shutdown(self) -> None:
        await self.inner.shutdown()

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         *args, **kwargs) -> tuple[int, bytes]:
        for attempt in range(1, self.attempts + 1):
            last = attempt == self.attempts
            try:
                code, payload = await self.inner.do_request(url, method, request_data, *args, **kwargs)
            except NetworkError as error:  # TimedOut included
                if last or not never_sent(error):
                    raise
                why = str(error.__cause__.__class__.__name__)
            else:
                if code == HTTPStatus.UNAUTHORIZED and self.on_rejected is not None:
                    rejected, self.on_rejected = self.on_rejected, None
                    rejected()
                    # Hold this request until the stopping application cancels it: answered, the 401
                    # would kill the polling task with a traceback and stop the shutdown halfway.
                    await asyncio.Event().wait()
                if code < HTTPStatus.INTERNAL_SERVER_ERROR or last:
                    return code, payload
                why = f"HTTP {code}"
            delay = self.backoff * 2 ** (attempt - 1)
            log.info("Bot API %s failed (%s); sending again in %.1f s", _method(url), why, delay)
            self.resent += 1
            await self.sleep(delay)
        raise AssertionError("unreachable: the last attempt returns or raises")


def _method(url: str) -> str:
    """`https://api.telegram.org/bot<token>/sendMessage` -> `sendMessage` (never log the token)."""
    return url.rsplit("/", 1)[-1]
