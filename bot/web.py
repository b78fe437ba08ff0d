"""The webhook's ASGI app: what each worker process of the server (`bot.workers`) runs.

python-telegram-bot's custom-webhook pattern (its `customwebhookbot` examples): an `Application` without an
`Updater`, started inside the web server's lifespan, fed the updates Telegram posts. Two differences:

- the update is handled *inside* the request, and the 200 goes back only once its replies were sent (the
  example queues it and answers at once). So Telegram holds an update until a worker has answered it: a
  worker killed mid-load loses no queued updates, only those whose request was open at the kill, which
  Telegram sends again (answered twice when the reply had left before the kill);
- the app is plain ASGI, so every request is checked before its body is read: the secret header (403),
  then the declared size (413), and the body is read with a running limit (413 past 1 MB, whatever the
  headers said); what is not a JSON object gets 400.

    POST <path of WEBHOOK_URL>    an update from Telegram (X-Telegram-Bot-Api-Secret-Token must match)
    GET  /healthz                 200 when this worker can answer (catalog loaded, database answering), else 503

Every response names the worker that gave it (`X-Bot-Worker: <pid>`), for logs and tests.
"""
from __future__ import annotations

import hmac
import json
import logging
import os
from collections.abc import Awaitable, Callable
from typing import Any

from telegram import Update

from bot.app import REDIS, build_application
from bot.context import CATALOGS, STORAGE
from bot.settings import Settings
from core import Catalog

log = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024  # bytes: Telegram's updates are a few KB; anything near this is not Telegram
HEALTH_PATH = "/healthz"
SECRET_HEADER = b"x-telegram-bot-api-secret-token"
WORKER_HEADER = b"x-bot-worker"

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


class BodyTooLarge(Exception):
    pass


class WebhookApp:
    """One worker's ASGI app. Built before the server forks (it holds only the catalog and the settings);
    each worker builds its own `Application` (HTTP clients, database engine, Redis client) at lifespan
    start-up, in its own event loop."""

    def __init__(self, catalog: Catalog, settings: Settings, path: str,
                 build: Callable[[], Any] | None = None) -> None:
        self.catalog, self.settings, self.path = catalog, settings, path
        self.secret = settings.webhook_secret.encode()
        self.build = build or (lambda: build_application(catalog, settings, updater=False))
        self.application = None
        self.worker = str(os.getpid()).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            await self.lifespan(receive, send)
        elif scope["type"] == "http":
            await self.http(scope, receive, send)

    # ---- lifespan: one Application per worker ----------------------------------------------------------
    async def lifespan(self, receive: Receive, send: Send) -> None:
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                try:
                    await self.start()
                except Exception as error:  # noqa: BLE001 - the server reports it and stops the worker
                    log.exception("worker %s could not start", os.getpid())
                    await send({"type": "lifespan.startup.failed", "message": f"{type(error).__name__}: {error}"})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await self.stop()
                await send({"type": "lifespan.shutdown.complete"})
                return

    async def start(self) -> None:
        self.worker = str(os.getpid()).encode()  # after the fork: this worker's own pid
        application = self.build()
        await application.initialize()
        await application.start()
        self.application = application
        log.info("worker %s ready", os.getpid())

    async def stop(self) -> None:
        application, self.application = self.application, None
        if application is not None:
            await application.stop()
            await application.shutdown()

    # ---- requests --------------------------------------------------------------------------------------
    async def http(self, scope: Scope, receive: Receive, send: Send) -> None:
        method, path = scope["method"], scope["path"]
        if path == HEALTH_PATH and method in ("GET", "HEAD"):
            await self.health(send, head=method == "HEAD")
            return
        if path != self.path:
            await self.respond(send, 404, b"not found")
            return
        if method != "POST":
            await self.respond(send, 405, b"POST only", [(b"allow", b"POST")])
            return
        headers = dict(scope["headers"])  # ASGI gives lowercase names; a repeated header: the last wins
        if not hmac.compare_digest(headers.get(SECRET_HEADER, b""), self.secret):
            await self.respond(send, 403, b"wrong or missing secret token")  # the body is never read
            return
        try:
            declared = int(headers.get(b"content-length", b"0"))
        except ValueError:
            await self.respond(send, 400, b"bad content-length")
            return
        if declared > MAX_BODY:
            await self.respond(send, 413, b"an update is at most 1 MB")
            return
        try:
            body = await read_body(receive, MAX_BODY)
        except BodyTooLarge:
            await self.respond(send, 413, b"an update is at most 1 MB")
            return
        application = self.application
        if application is None:
            await self.respond(send, 503, b"starting")
            return
        try:
            data = json.loads(body)
            if not isinstance(data, dict):
                raise ValueError("not a JSON object")
            update = Update.de_json(data, application.bot)
        except Exception as error:  # noqa: BLE001 - bad JSON, or fields python-telegram-bot can't read
            await self.respond(send, 400, f"not an update: {type(error).__name__}".encode())
            return
        try:
            # through the application's update processor: the same concurrency limit as polling
            await application.update_processor.process_update(update, application.process_update(update))
        except Exception:  # noqa: BLE001 - handlers' errors went to the error handler; this is a bug around them
            log.exception("update %s could not be processed", update.update_id)
        # 200 even then: another delivery of an update the bot cannot handle would fail the same way
        await self.respond(send, 200, b"")

    async def health(self, send: Send, *, head: bool = False) -> None:
        """200 when this worker can answer: its catalog is loaded, its application running and the database
        answering; 503 otherwise. Redis is reported, not required (without it the bot answers all the same)."""
        application = self.application
        # the catalog this worker answers from now (`bot.live` may have swapped in a newer ETL output)
        catalog = application.bot_data[CATALOGS].current if application is not None else self.catalog
        report: dict[str, Any] = {"worker": os.getpid(), "catalog": len(catalog.titles),
                                  "version": catalog.manifest.get("version"),
                                  "running": bool(application and application.running)}
        problems = [] if report["running"] else ["not started"]
        if application is not None:
            database = await application.bot_data[STORAGE].unreachable()
            report["database"] = database or "ok"
            if database:
                problems.append(f"database: {database}")
            if REDIS in application.bot_data:
                try:
                    await application.bot_data[REDIS].ping()
                    report["redis"] = "ok"
                except Exception as error:  # noqa: BLE001 - reported, and the bot goes on without it
                    report["redis"] = f"{type(error).__name__}: {error}"
        report["ok"] = not problems
        body = json.dumps(report).encode()
        await self.respond(send, 503 if problems else 200, b"" if head else body,
                           [(b"content-type", b"application/json")])

    async def respond(self, send: Send, status: int, body: bytes,
                      headers: list[tuple[bytes, bytes]] | None = None) -> None:
        headers = [(WORKER_HEADER, self.worker), (b"content-length", str(len(body)).encode()),
                   *(headers or [(b"content-type", b"text/plain; charset=utf-8")])]
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})


async def read_body(receive: Receive, limit: int) -> bytes:
    """The request body, chunk by chunk; raises BodyTooLarge as soon as it passes `limit` bytes (a sender
    may lie about Content-Length, or send none and stream)."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            break
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise BodyTooLarge
        chunks.append(chunk)
        if not message.get("more_body"):
            break
    return b"".join(chunks)
