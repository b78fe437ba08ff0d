"""Builds the python-telegram-bot `Application`: settings, defaults, persistence and every handler.

    application = build_application(Catalog.load(settings.data_dir), settings)
    application.run_polling()

The console and the tests build the same application (with their own `request` transport), so the
handlers behave the same everywhere.
"""
from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable

from telegram import LinkPreviewOptions, Update
from telegram.constants import ParseMode
from telegram.ext import (
    AIORateLimiter,
    Application,
    BaseHandler,
    BaseRateLimiter,
    CallbackQueryHandler,
    ChatMemberHandler,
    ContextTypes,
    Defaults,
    InlineQueryHandler,
    MessageHandler,
    PollAnswerHandler,
    TypeHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import callbacks, commands, handlers, inline, movienight, personal, render
from bot.context import CATALOGS, STORAGE, BotContext
from bot.live import CatalogWatcher, Catalogs
from bot.pickled_settings import migrate_pickle
from bot.errors import error_handler
from bot.settings import Settings
from bot.throttle import (
    INLINE_BUDGET,
    INLINE_LANES,
    INLINE_THROTTLE,
    THROTTLE,
    InlineLanes,
    Throttle,
    inline_lane,
    throttle,
)
from bot.transport import PatientRequest
from core import Catalog
from storage import MEMORY_URL, Storage

log = logging.getLogger(__name__)
CONCURRENT_UPDATES = 256  # updates handled at once, so one slow chat never holds up the others
API_RETRIES = 3  # a 429 from Telegram is waited out and retried this many times
# HTTP connections to the Bot API. httpcore scans its whole pool for every request, so a pool as large
# as the handler concurrency (python-telegram-bot's default of 256) costs more CPU than it saves waiting.
CONNECTION_POOL = 16
REJECTED = "token_rejected"  # bot_data key: set when getUpdates answered 401 (the token was revoked)
REDIS = "redis"  # bot_data key: the Redis client the workers share state through (absent: in memory)


def handler_groups() -> dict[int, list[BaseHandler]]:
    """Every handler, in one visible list per group. Within a group the first handler that matches wins."""
    private = filters.ChatType.PRIVATE
    message = filters.UpdateType.MESSAGE  # edited messages are not answered again
    return {
        # -2: the person's language and services, from the database (read per update, so processes agree)
        -2: [TypeHandler(Update, personal.load_user)],
        # -1 runs first for every update: the per-user flood control may stop the update here.
        -1: [TypeHandler(Update, throttle)],
        0: [
            *commands.handlers_for_commands(),  # /command and /command@this_bot; other bots' commands don't match
            CallbackQueryHandler(callbacks.button),
            InlineQueryHandler(inline_lane(inline.inline_query)),  # one search at a time per user, newest wins
            # movie night: votes in its polls, and members leaving a group (service message or chat_member)
            PollAnswerHandler(movienight.poll_answer),
            MessageHandler(filters.StatusUpdate.LEFT_CHAT_MEMBER, movienight.member_left),
            ChatMemberHandler(movienight.member_left, ChatMemberHandler.CHAT_MEMBER),
            # Below, private chats only: in groups the bot answers its commands and nothing else.
            MessageHandler(private & message & filters.COMMAND, handlers.unknown_command),
            MessageHandler(private & message & filters.TEXT, commands.guarded(handlers.title_text)),
            MessageHandler(private & message & filters.PHOTO, commands.guarded(handlers.photo)),
            MessageHandler(private & message & filters.Document.ALL, personal.import_export),  # an export
        ],
    }


def build_application(
    catalog: Catalog,
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    rate_limiter: BaseRateLimiter | None | bool = True,
    concurrent_updates: int = CONCURRENT_UPDATES,
    connection_pool: int = CONNECTION_POOL,
    updater: bool = True,
) -> Application:
    """The application, ready to run. `request` replaces HTTP (console, tests); `rate_limiter=False` drops
    Telegram's flood limits (only for transports that are not Telegram); `concurrent_updates=1` handles
    updates one at a time (python-telegram-bot's default, the benchmark's baseline); `updater=False`: no
    Updater, as in python-telegram-bot's custom-webhook pattern (`bot.web` feeds it the updates)."""
    builder = (
        Application.builder()
        .token(settings.token)
        .defaults(Defaults(parse_mode=ParseMode.HTML, link_preview_options=LinkPreviewOptions(is_disabled=True)))
        .context_types(ContextTypes(context=BotContext))
        .concurrent_updates(concurrent_updates)
        .post_init(start_up)
        .application_class(BotApplication)
    )
    if settings.base_url:
        builder.base_url(settings.base_url).base_file_url(settings.base_file_url)
    updates_request = None
    if not updater:
        builder.updater(None).request(request or PatientRequest.over_http(connection_pool))
    elif request is not None:
        builder.request(request).get_updates_request(request)
    else:
        # Replies wait for a connection and are resent only when they never left or got a 5xx; getUpdates
        # is retried by python-telegram-bot's polling loop, so it only watches for a revoked token.
        updates_request = PatientRequest.over_http(1, attempts=1)
        builder.request(PatientRequest.over_http(connection_pool)).get_updates_request(updates_request)
    if rate_limiter is True:
        rate_limiter = AIORateLimiter(max_retries=API_RETRIES)
    if rate_limiter:
        builder.rate_limiter(rate_limiter)
    application = builder.build()
    application.bot_data[CATALOGS] = Catalogs(catalog)
    render.learn_display_names(catalog)
    if catalog.path is not None:  # a catalog from a folder: follow `python -m etl`'s new output there
        application.bot_data[WATCHER] = CatalogWatcher(application.bot_data[CATALOGS], catalog.path,
                                                       interval=settings.catalog_check_seconds)
    # One engine per process; it connects on first use, inside the application's event loop.
    application.bot_data[STORAGE] = Storage(settings.database_url or MEMORY_URL, pool_size=settings.database_pool_size)
    application.bot_data[PICKLE] = settings.state_file
    if settings.redis_url:  # several workers: one bucket and one inline lane per user for all of them
        from bot.shared import SharedInlineLanes, SharedThrottle, connect  # the redis client: only then

        redis = application.bot_data[REDIS] = connect(settings.redis_url)
        prefix = settings.redis_prefix
        application.bot_data[THROTTLE] = SharedThrottle(redis, prefix, settings.throttle_burst, settings.throttle_rate)
        application.bot_data[INLINE_THROTTLE] = SharedThrottle(redis, prefix, *INLINE_BUDGET, lane="inline-budget")
        application.bot_data[INLINE_LANES] = SharedInlineLanes(redis, prefix)
    else:
        application.bot_data[THROTTLE] = Throttle(settings.throttle_burst, settings.throttle_rate)
        application.bot_data[INLINE_THROTTLE] = Throttle(*INLINE_BUDGET)
        application.bot_data[INLINE_LANES] = InlineLanes()
    if updates_request is not None:
        updates_request.on_rejected = lambda: token_rejected(application)
    for group, group_handlers in handler_groups().items():
        application.add_handlers(group_handlers, group=group)
    application.add_error_handler(error_handler)
    return application


def token_rejected(application: Application) -> None:
    """Telegram refused the token while polling (revoked): stop, so `python -m bot` exits non-zero and a
    supervisor restarts or alerts, instead of a live process that no longer polls."""
    if not application.bot_data.get(REJECTED):
        application.bot_data[REJECTED] = True
        application.stop_running()


PICKLE = "pickle"  # bot_data key: the old settings pickle to migrate once
WATCHER = "catalog_watcher"  # bot_data key: the `bot.live.CatalogWatcher` of the catalog's folder


async def start_up(application: Application) -> None:
    """Migrations, the old pickle's settings (once), then the command menus. PostgreSQL being down is no
    reason not to start (the catalog still answers; saving says "can't save" until it is back)."""
    storage: Storage = application.bot_data[STORAGE]
    if await storage.start_serving():
        await migrate_pickle(storage, application.bot_data[PICKLE])
    await commands.set_menus(application)


class BotApplication(Application):
    """python-telegram-bot's Application, closing the database's connections when it shuts down (however it
    was run: polling, webhook, the console, a test), so no connection outlives its event loop; each update
    is answered from the catalog it started with (`bot.live`), and a started application (polling, webhook,
    a worker of an ASGI server) watches the catalog's folder for `python -m etl`'s new output."""

    _watching: asyncio.Task | None = None
    # Called once the application has started (polling or serving): `python -m bot` builds the catalog's
    # indexes from here, so that work does not slow the start itself.
    on_started: Callable[[], None] | None = None

    async def process_update(self, update: object) -> None:
        with self.bot_data[CATALOGS].lease():
            await super().process_update(update)

    async def start(self) -> None:
        await super().start()
        movienight.start_sweeper(self)  # movie nights whose vote time is up end, whichever worker sees it
        watcher: CatalogWatcher | None = self.bot_data.get(WATCHER)
        if watcher is not None and watcher.interval > 0:
            self._watching = asyncio.create_task(watcher.watch(), name="catalog watcher")
        if self.on_started is not None:
            self.on_started()

    async def stop(self) -> None:
        if self._watching is not None:
            self._watching.cancel()
            self._watching = None
        await movienight.stop_sweeper(self)
        await super().stop()

    async def shutdown(self) -> None:
        await super().shutdown()
        await self.bot_data[STORAGE].close()
        if REDIS in self.bot_data:
            await self.bot_data[REDIS].aclose()
