"""Run the bot: `python -m bot` (Telegram: long polling, or a webhook when WEBHOOK_URL is set) or
`python -m bot console` (a terminal, no Telegram). Settings come from the environment or `.env`;
see `.env.example`.
"""
from __future__ import annotations

import logging
import sys
import time
from urllib.parse import urlparse

from telegram import Update
from telegram.error import InvalidToken

from bot.app import build_application
from bot.settings import CONSOLE_HINT, Settings, SettingsError, configure_logging
from core import Catalog
from core.errors import DataNotFound

log = logging.getLogger("bot")


def main(argv: list[str]) -> int:
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
    started = time.perf_counter()
    try:
        catalog = Catalog.load(settings.data_dir).warm()  # fit search and recommender before any user waits
    except DataNotFound as error:
        print(f"bot: {error}", file=sys.stderr)
        return 2
    log.info("Loaded %d titles from %s in %.1f s", len(catalog), settings.data_dir, time.perf_counter() - started)
    application = build_application(catalog, settings)
    try:
        if settings.webhook_url:
            log.info("Webhook mode on %s:%d", settings.webhook_listen, settings.webhook_port)
            application.run_webhook(
                listen=settings.webhook_listen,
                port=settings.webhook_port,
                url_path=urlparse(settings.webhook_url).path.lstrip("/"),
                webhook_url=settings.webhook_url,
                secret_token=settings.webhook_secret,
                allowed_updates=Update.ALL_TYPES,
            )
        else:
            log.info("Long polling")
            application.run_polling(allowed_updates=Update.ALL_TYPES)
    except InvalidToken:
        # Well formed but refused by Telegram (revoked, or another bot's). Uncaught, python-telegram-bot's
        # message would print the whole token to stderr with the traceback.
        print(f"bot: Telegram rejected TELEGRAM_BOT_TOKEN (revoked or mistyped?); check it with @BotFather. "
              f"{CONSOLE_HINT}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
