"""The callback context every handler gets: python-telegram-bot's, plus the catalog and the user's choices."""
from __future__ import annotations

from typing import Any

from telegram import Update, User
from telegram.ext import Application, CallbackContext, ExtBot

from bot.texts import language_of
from core import Catalog
from core.vocabulary import Platform, parse_platform
from storage import Storage

CATALOG, STORAGE = "catalog", "storage"  # bot_data keys
# user_data keys, filled from the database for each update (`bot.personal.load_user`)
LANG, PLATFORMS, ONBOARDED = "lang", "platforms", "onboarded"


def language_for(user_data: dict | None, user: User | None) -> str:
    """The language a user chose (/lang), else their Telegram app's."""
    return (user_data or {}).get(LANG) or language_of(user.language_code if user else None)


def platforms_in(user_data: dict | None) -> tuple[Platform, ...] | None:
    """A user's own services (stored as names, so a pickled state survives code changes)."""
    keys = (user_data or {}).get(PLATFORMS)
    return tuple(parse_platform(k) for k in keys) if keys else None


class BotContext(CallbackContext[ExtBot, dict, dict, dict]):
    lang: str = "en"

    @classmethod
    def from_update(cls, update: object, application: Application[Any, Any, Any, Any, Any, Any]) -> BotContext:
        context = super().from_update(update, application)
        user = update.effective_user if isinstance(update, Update) else None
        context.lang = language_for(context.user_data, user)
        return context

    @property
    def catalog(self) -> Catalog:
        return self.bot_data[CATALOG]

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
