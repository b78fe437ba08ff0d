"""Run the bot: `python -m bot` (Telegram: long polling, or a webhook when WEBHOOK_URL is set) or
`python -m bot console` (a terminal, no Telegram). Settings come from the environment or `.env`;
see `.env.example`.
"""
from __future__ import annotations

import asyncio
import ctypes
import gc
import logging
import sys
import threading
import time

import pyarrow as pa
from telegram import Update
from telegram.error import InvalidToken, NetworkError

from bot import render
from bot.app import REJECTED, build_application
from bot.settings import CONSOLE_HINT, Settings, SettingsError, configure_logging, redact
from core import Catalog
from core.errors import DataNotFound
from storage import Storage, StorageBroken

log = logging.getLogger("bot")
REJECTED_LINE = ("bot: Telegram rejected TELEGRAM_BOT_TOKEN (revoked or mistyped?); check it with @BotFather. "
                 + CONSOLE_HINT)


class OneLineNetworkErrors(logging.Filter):
    """python-telegram-bot logs an unreachable Bot API or a refused token with a full traceback, on every
    retry; the message says it all (and `main` prints the one line that ends the run)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, (NetworkError, InvalidToken)):
            record.msg, record.args = redact(f"{record.getMessage()} ({type(error).__name__}: {error})"), None
            record.exc_info = record.exc_text = None
        return True


M_ARENA_MAX = -8  # glibc's mallopt parameter: how many heaps (arenas) threads may allocate from


def one_heap() -> None:
    """Every thread allocates from the one main heap. By default glibc gives each thread that allocates an
    arena of its own and keeps what was freed there for that arena (the warm-up thread's, /stats' and the
    executor's threads': some 13 MB of the bot's size on the full data). The threads take turns anyway
    (one GIL), so sharing the heap costs no waiting."""
    try:
        ctypes.CDLL(None).mallopt(M_ARENA_MAX, 1)
    except (OSError, AttributeError):  # not glibc
        pass


def main(argv: list[str]) -> int:
    one_heap()
    if argv[:1] == ["console"]:
        from bot import console

        return console.main(argv[1:])
    if argv:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    try:
        settings = Settings.from_env()
    except SettingsError as error:
        print(f"bot: {error}", file=sys.stderr)
        return 2
    configure_logging(settings.log_level, settings.secrets)
    for handler in logging.getLogger().handlers:
        handler.addFilter(OneLineNetworkErrors())
    started = time.perf_counter()
    try:
        catalog = Catalog.load(settings.data_dir)
    except DataNotFound as error:
        print(f"bot: {error}", file=sys.stderr)
        return 2
    except (pa.ArrowException, OSError) as error:  # a truncated or foreign file where Parquet should be
        reason = str(error).strip().splitlines()[0][:200] if str(error).strip() else type(error).__name__
        print(f"bot: the processed data in {settings.data_dir} is damaged ({reason}); "
              f"rebuild it with: python -m etl", file=sys.stderr)
        return 2
    log.info("Loaded %d titles from %s in %.1f s", len(catalog), settings.data_dir, time.perf_counter() - started)
    # The search and people indexes are built while the bot answers: the catalog's queries need none of
    # them, and a search asked for meanwhile waits for its index (cached_property's lock). Polling, they
    # are built once it has started (built before, they slowed the start by their second of CPU: one GIL).
    warming = threading.Thread(target=warm, args=(catalog,), name="warm-catalog", daemon=True)
    try:  # a corrupt or unwritable database file stops here, in one line (a PostgreSQL outage does not)
        asyncio.run(check_database(settings.database_url))
    except StorageBroken as error:
        print(f"bot: {error}", file=sys.stderr)
        return 2
    try:
        if settings.webhook_url:
            from bot import workers  # gunicorn and uvicorn: only webhook mode needs them

            warming.start()  # the master builds them once, before it forks the workers
            workers.serve(catalog, settings, warming)
            return 0
        application = build_application(catalog, settings)
        application.on_started = warming.start
        log.info("Long polling")
        application.run_polling(allowed_updates=Update.ALL_TYPES, bootstrap_retries=settings.start_retries)
    except InvalidToken:
        # Well formed but refused by Telegram (revoked, or another bot's). Uncaught, python-telegram-bot's
        # message would print the whole token to stderr with the traceback.
        print(REJECTED_LINE, file=sys.stderr)
        return 2
    except NetworkError as error:
        where = settings.base_url or "https://api.telegram.org"
        print(f"bot: cannot reach the Telegram Bot API at {where} after {settings.start_retries + 1} tries "
              f"({error}); is the network up, or TELEGRAM_BASE_URL right?", file=sys.stderr)
        return 1
    if application.bot_data.get(REJECTED):  # revoked while polling: exit so a supervisor notices
        print(REJECTED_LINE, file=sys.stderr)
        return 2
    return 0


def warm(catalog: Catalog) -> None:
    """Learn the catalog's spellings of names and build its indexes, then hand the memory their building
    freed back to the system (glibc keeps freed heap for reuse otherwise: some 10 MB of the process's size)."""
    catalog.resolver  # noqa: B018 (built on first use) first: a title is the commonest first message
    render.learn_display_names(catalog)
    render.learn_now()
    catalog.warm()
    gc.collect()
    pa.default_memory_pool().release_unused()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except (OSError, AttributeError):  # not glibc
        pass


async def check_database(url: str) -> None:
    """Open the database once before serving: migrations applied, a write tried. Raises StorageBroken for a
    file that can't be used; a PostgreSQL server that does not answer only gets a warning."""
    storage = Storage(url)
    try:
        await storage.start_serving()
    finally:
        await storage.close()
    log.info("Personal data in %s", storage.where())


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
