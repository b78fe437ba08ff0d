"""The one-time move of users' language and services out of the old PicklePersistence file into the database.

Before the database, python-telegram-bot's PicklePersistence kept `user_data` ({user id: {"lang": "es",
"platforms": ("netflix", ...)}}) in data/state/bot.pickle. At start-up, if that file exists and the
database has not taken it yet, its settings are copied (settings already in the database win), the
database records that it did, and the file is renamed `*.migrated` (kept as a backup, never read again).
A damaged file is set aside by `bot.state.read_state_file` (one log line) and the bot starts anyway.
"""
from __future__ import annotations

import logging
from pathlib import Path

from bot.state import read_state_file
from storage import Storage, StorageUnavailable

log = logging.getLogger(__name__)
MIGRATED = "pickle_migrated"  # meta key: the path of the pickle already taken


def old_settings(data: dict) -> dict[int, tuple[str | None, tuple[str, ...] | None]]:
    """{user id: (lang, platform keys)} from the file's data; anything else in it is ignored."""
    settings = {}
    for user_id, values in data["user_data"].items():
        if not isinstance(user_id, int) or not isinstance(values, dict):
            continue
        lang = values.get("lang") if values.get("lang") in ("en", "es") else None
        platforms = values.get("platforms")
        keys = tuple(str(k) for k in platforms) if isinstance(platforms, (tuple, list)) and platforms else None
        if lang or keys:
            settings[user_id] = (lang, keys)
    return settings


async def migrate_pickle(storage: Storage, path: Path | None) -> int | None:
    """Copy the pickle's settings into the database once; how many users were added (None: nothing to do)."""
    if path is None or not path.is_file():
        return None
    try:
        if await storage.meta_value(MIGRATED) == str(path.resolve()):
            return None
    except StorageUnavailable:
        return None
    data = read_state_file(path)
    if data is None:  # damaged: set aside and logged by read_state_file
        return None
    added = await storage.import_settings(old_settings(data))
    await storage.set_meta(MIGRATED, str(path.resolve()))
    path.rename(path.with_name(path.name + ".migrated"))
    log.info("Moved %d users' language and services from %s into the database", added, path)
    return added
