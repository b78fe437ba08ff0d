"""The users' saved settings file (python-telegram-bot's PicklePersistence), loaded safely, saved atomically.

A damaged file (random bytes, truncated, empty, not our layout) must not keep the bot from starting:
it is renamed aside (`bot.pickle.damaged-<UTC time>`, kept for whoever wants to look) with one log line,
and the bot starts with empty settings. Saving writes a sibling temporary file and renames it over the
old one, so a kill during a save leaves the previous file whole instead of a 0-byte one.

`read_state_file` is the safe loading on its own, for code that reads the file without a running bot
(e.g. a one-time migration of the settings into a database).
"""
from __future__ import annotations

import asyncio
import logging
import os
import pickle
import tempfile
import time
from pathlib import Path
from typing import Any

from telegram.ext import PicklePersistence

log = logging.getLogger(__name__)
SECTIONS = ("user_data", "chat_data", "conversations")  # what every PicklePersistence single file holds


class DamagedState(Exception):
    """The file exists but cannot be read as a settings file; the message says why in a few words."""


def _check_layout(data: object) -> dict:
    if not isinstance(data, dict) or not all(isinstance(data.get(key), dict) for key in SECTIONS):
        raise DamagedState(f"not a settings file (holds {type(data).__name__})")
    return data


def _unpickle(path: Path, unpickler: type[pickle.Unpickler], *args: Any) -> dict:
    try:
        with path.open("rb") as handle:
            return _check_layout(unpickler(*args, handle).load() if args else unpickler(handle).load())
    except DamagedState:
        raise
    except OSError:
        raise
    except Exception as error:  # unpickling garbage raises nearly anything: EOFError, UnpicklingError, ...
        reason = "empty file" if path.stat().st_size == 0 else f"{type(error).__name__}: {str(error)[:80]}"
        raise DamagedState(reason) from None


def set_aside(path: Path, reason: str) -> Path:
    """Rename a damaged file out of the way (never delete it) and say so in one log line."""
    aside = path.with_name(f"{path.name}.damaged-{time.strftime('%Y%m%dT%H%M%SZ', time.gmtime())}")
    os.replace(path, aside)
    log.warning("Settings file %s is damaged (%s): moved to %s; starting with no saved settings",
                path, reason, aside.name)
    return aside


class _WithoutBot(pickle.Unpickler):
    """python-telegram-bot pickles references to its Bot as persistent ids; without a bot they read as None."""

    def persistent_load(self, pid: object) -> None:
        return None


def read_state_file(path: Path) -> dict | None:
    """The file's data ({"user_data": {user_id: {...}}, ...}); None when there is no file, or when it was
    damaged (then it is set aside, see `set_aside`). Plain pickle: the bot only stores plain values."""
    if not path.exists():
        return None
    try:
        return _unpickle(path, _WithoutBot)
    except DamagedState as damage:
        set_aside(path, str(damage))
        return None


class SafePicklePersistence(PicklePersistence):
    """PicklePersistence that sets a damaged file aside instead of failing, saves atomically, and saves
    once per batch of changed users instead of once per user."""

    _save_pending = False

    async def update_user_data(self, user_id: int, data: dict) -> None:
        # python-telegram-bot rewrites the whole file for each changed user; with 50,000 users and a busy
        # minute, those rewrites held every reply for seconds. Note the change; write once, when the
        # batch python-telegram-bot is saving has been noted.
        if self.user_data is None:
            self.user_data = {}
        if self.user_data.get(user_id) == data:
            return
        self.user_data[user_id] = data
        if not self._save_pending:
            self._save_pending = True
            asyncio.get_running_loop().call_soon(self._save_batch)

    def _save_batch(self) -> None:
        self._save_pending = False
        self._dump_singlefile()

    def _load_singlefile(self) -> None:
        path = Path(self.filepath)
        if path.exists():
            try:
                from telegram.ext._picklepersistence import _BotUnpickler  # objects that reference the bot

                _unpickle(path, _BotUnpickler, self.bot)
            except DamagedState as damage:
                set_aside(path, str(damage))
        super()._load_singlefile()  # a missing file (now also a set-aside one) means empty settings

    def _dump_singlefile(self) -> None:
        path = Path(self.filepath)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(handle)
        real, self.filepath = self.filepath, Path(temporary)
        try:
            super()._dump_singlefile()
            os.replace(temporary, path)
        finally:
            self.filepath = real
            if os.path.exists(temporary):
                os.unlink(temporary)
