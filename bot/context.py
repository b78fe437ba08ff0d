"""The callback context every handler gets: python-telegram-bot's, plus the catalog and the user's choices."""
from __future__ import annotations

from typing import Any

from telegram import Update, User
from telegram.ext import Application, CallbackContext, ExtBot

from bot.live import PINNED, Catalogs
from bot.texts import language_of
from core import Catalog
from core.vocabulary import Platform, parse_platform
from storage import Storage

CATALOGS, STORAGE = "catalogs", "storage"  # bot_data keys (CATALOGS: `bot.live.Catalogs`)
# user_data keys, filled from the database for each update (`bot.personal.load_user`)
LANG, PLATFORMS, ONBOARDED = "lang", "platforms", "onboarded"


def language_for(user_data: dict | None, user: User | None) -> str:
    """The language a user chose (/lang), else their Telegram app's."""
    return (user_data or {}).get(LANG) or language_of(user.language_code if user else None)


def platforms_in(user_data: dict | None) -> tuple[Platform, ...] | None:
    """A user's own services (stored as names, so a pickled state survives code changes)."""
    keys = (user_data or {}).get(PLATFORMS)
    return tuple(parse_platform(k) for k in keys) if keys else None


def catalog_of(application: Application) -> Catalog:
    """The catalog to answer from outside a handler's context: the update's own when called while one runs
    (`bot.live`), else the current one (a timer, a sweeper)."""
    pinned = PINNED.get()
    return pinned if pinned is not None else application.bot_data[CATALOGS].current


class BotContext(CallbackContext[ExtBot, dict, dict, dict]):
    lang: str = "en"

    @classmethod
    def from_update(cls, update: object, application: Application[Any, Any, Any, Any, Any, Any]) -> BotContext:
        context = super().from_update(update, application)
        user = update.effective_user if isinstance(update, Update) else None
        context.lang = language_for(context.user_data, user)
        context.pinned = PINNED.get()  # the catalog this update started with (`bot.live`), kept to its end
        return context

    pinned: Catalog | None = None

    @property
    def catalog(self) -> Catalog:
        """The catalog to answer from: the update's own, even when a newer one was swapped in meanwhile."""
        return self.pinned if self.pinned is not None else self.catalogs.current

    @property
    def catalogs(self) -> Catalogs:
        return self.bot_data[CATALOGS]

    @property
    def storage(self) -> Storage:
        return self.bot_data[STORAGE]

    @property
    def platforms(self) -> tuple[Platform, ...] | None:
        return platforms_in(self.user_data)

    def remember(self, key: str, value: object) -> None:
        if self.user_data is not None:
            if value is None:
                self.user_data.pop(key, None)
            else:
                self.user_data[key] = value
