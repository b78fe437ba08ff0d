"""Webhook mode: gunicorn with `WORKERS` uvicorn worker processes, all serving `bot.web.WebhookApp` on one port.

    WEBHOOK_URL=https://bot.example.org/telegram WORKERS=3 DATABASE_URL=postgresql://… REDIS_URL=redis://… \\
        python -m bot

Why gunicorn (with the uvicorn worker) rather than uvicorn's own `--workers`: gunicorn forks its workers from
a master that has already loaded (`preload_app`), and uvicorn spawns fresh interpreters. Here the master
loads the catalog and fits the search and recommender once, then forks: every worker shares those pages
(copy-on-write; `gc.freeze()` keeps the collector from writing to them) and the memory-mapped catalog files,
so an extra worker costs its own heap, not another catalog. gunicorn also restarts a worker that dies and
replaces workers one at a time on a signal.

The master does what must happen once per deployment, before the fork: migrations, the old settings file,
the command menus and `setWebhook` (so N workers never race to set it). Each worker then binds the port
with SO_REUSEPORT, so the kernel spreads Telegram's long-lived connections over all of them. Each worker then builds its own
`Application` in its own event loop (`bot.web`).
"""
from __future__ import annotations

import asyncio
import gc
import logging
import threading
from urllib.parse import urlparse

from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter
from telegram import Update
from telegram.error import BadRequest, NetworkError, RetryAfter

from bot.app import build_application, start_up
from bot.settings import Settings
from bot.web import WebhookApp
from core import Catalog

log = logging.getLogger(__name__)
MAX_CONNECTIONS = 40  # Telegram's default: updates it posts at once (spread over the workers)
GRACEFUL = 30  # seconds a stopping worker gets to finish the updates it holds


def webhook_path(url: str) -> str:
    return "/" + urlparse(url).path.lstrip("/")


async def prepare(catalog: Catalog, settings: Settings) -> None:
    """Once, in the master: database migrations and the old pickle, command menus, then `setWebhook`
    (tried `start_retries` more times while Telegram does not answer). Raises InvalidToken or NetworkError
    as `run_webhook` did."""
    application = build_application(catalog, settings, updater=False)
    async with application:  # getMe: a refused token stops here
        await start_up(application)
        for attempt in range(settings.start_retries + 1):
            try:
                await application.bot.set_webhook(
                    settings.webhook_url, secret_token=settings.webhook_secret, allowed_updates=Update.ALL_TYPES,
                    max_connections=MAX_CONNECTIONS)
                break
            except (NetworkError, RetryAfter) as error:
                if isinstance(error, BadRequest) or attempt == settings.start_retries:
                    raise
                log.warning("setWebhook failed (%s); trying again", error)
                await asyncio.sleep(1 + attempt)


class Server(BaseApplication):
    """gunicorn, configured here rather than from a file or the command line (the settings are the bot's)."""

    def __init__(self, app: WebhookApp, settings: Settings, warming: threading.Thread | None = None) -> None:
        self.app, self.settings, self.warming = app, settings, warming
        super().__init__()

    def load_config(self) -> None:
        s = self.settings
        options = {
            "bind": [f"[{s.webhook_listen}]:{s.webhook_port}" if ":" in s.webhook_listen
                     else f"{s.webhook_listen}:{s.webhook_port}"],
            "workers": s.workers,
            "worker_class": "uvicorn_worker.UvicornWorker",
            "preload_app": True,  # the app (catalog included) is built before the fork, shared by every worker
            # Each worker listens on its own SO_REUSEPORT socket and the kernel spreads new connections over them
            # by address hash. Telegram (or a load balancer) keeps its connections open, so with one shared
            # socket the workers that woke first could take every connection and leave another one idle.
            "reuse_port": True,
            "graceful_timeout": GRACEFUL,
            "timeout": 60,  # a worker that stops telling the master it is alive for this long is replaced
            "keepalive": 75,  # Telegram keeps its connections open between updates
            "loglevel": s.log_level.lower(),
            "accesslog": None,
            "errorlog": "-",
            "proc_name": "streamcatalog-bot",
            "control_socket_disable": True,  # no control socket file in the working directory
            "when_ready": self.when_ready,
        }
        for key, value in options.items():
            self.cfg.set(key, value)

    def load(self) -> WebhookApp:
        return self.app

    def when_ready(self, _arbiter: Arbiter) -> None:
        """No worker is forked yet (each binds its own socket as it starts; an update Telegram sends before
        that is refused, and Telegram sends it again): the once-per-deployment work, then freeze what is
        loaded so its pages stay shared after the fork."""
        asyncio.run(prepare(self.app.catalog, self.settings))
        if self.warming is not None:
            # the indexes are built in the master, once, and shared; never fork while that thread runs (a
            # child would inherit its half-built index and, maybe, its lock held by a thread it does not have)
            self.warming.join()
        gc.collect()
        gc.freeze()  # the collector never writes to what was loaded: the pages stay shared with every worker

    def run(self) -> None:
        GracefulArbiter(self).run()


class GracefulArbiter(Arbiter):
    """Ctrl-C (SIGINT) stops the way SIGTERM does: the workers finish the updates they hold. gunicorn's own
    quick stop sends the workers SIGQUIT, which the uvicorn worker does not act on, so they were killed
    after the graceful timeout instead."""

    def handle_int(self) -> None:
        self.handle_term()


def serve(catalog: Catalog, settings: Settings, warming: threading.Thread | None = None) -> None:
    """Bind, prepare once, then run the workers until SIGINT/SIGTERM (gunicorn's master handles the signals)."""
    if settings.workers > 1 and not settings.redis_url:
        log.warning("WORKERS=%d without REDIS_URL: each worker keeps its own flood budget and inline lane, "
                    "so a user gets up to %d times the budget", settings.workers, settings.workers)
    log.info("Webhook mode on %s:%d, %d worker(s)", settings.webhook_listen, settings.webhook_port, settings.workers)
    Server(WebhookApp(catalog, settings, webhook_path(settings.webhook_url)), settings, warming).run()
