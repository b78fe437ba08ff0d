"""The storage package against a real SQLite file and the real PostgreSQL server (see storage_backends)."""
from __future__ import annotations

import asyncio
import os
import pickle
import signal
import subprocess
import sys

import asyncpg
import pytest
from sqlalchemy import text
from telegram.ext import PicklePersistence

from bot.pickled_settings import migrate_pickle
from storage import ImportItem, ItemStatus, Storage, StorageBroken, StorageUnavailable, migrations
from storage.store import engine_url

sys.path.insert(0, os.path.dirname(__file__))

from storage_backends import drop_postgresql_schema, fresh_postgresql_schema, postgresql_test_url  # noqa: E402

PROJECT_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(params=["sqlite", "postgresql"])
async def backend(request, tmp_path):
    """(url, search_path) of an empty database of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'bot.db'}", None
        return
    schema = await fresh_postgresql_schema()
    yield postgresql_test_url(), schema
    await drop_postgresql_schema(schema)


@pytest.fixture
async def store(backend):
    url, schema = backend
    opened = Storage(url, search_path=schema)
    await opened.start()
    yield opened
    await opened.close()


async def test_a_rating_can_be_changed_and_removed(store):
    await store.rate(7, "ns1", 4.5)
    await store.rate(7, "ns1", 2.0)  # a change replaces, never duplicates
    await store.rate(7, "as3", 0.5)
    assert dict(await store.ratings(7)) == {"ns1": 2.0, "as3": 0.5}
    assert await store.status(7, "ns1") == ItemStatus(stars=2.0)
    assert await store.unrate(7, "ns1") is True
    assert await store.unrate(7, "ns1") is False  # already gone
    assert dict(await store.ratings(7)) == {"as3": 0.5}
    assert await store.ratings(8) == ()  # another user sees none of it


@pytest.mark.parametrize("stars", [0.0, 4.3, 5.5, -1.0])
async def test_stars_outside_half_steps_are_refused_and_nothing_is_stored(store, stars):
    with pytest.raises(ValueError):
        await store.rate(7, "ns1", stars)
    assert await store.ratings(7) == ()


async def test_seen_watchlist_and_hidden_marks_toggle(store):
    for add in (store.mark_seen, store.add_to_watchlist, store.hide):
        await add(3, "ds2")
        await add(3, "ds2")  # twice is once
    await store.add_to_watchlist(3, "hs9")
    assert await store.status(3, "ds2") == ItemStatus(None, seen=True, listed=True, hidden=True)
    assert set(await store.watchlist(3)) == {"ds2", "hs9"}
    assert await store.unmark_seen(3, "ds2") and await store.unhide(3, "ds2")
    assert await store.remove_from_watchlist(3, "ds2")
    assert await store.status(3, "ds2") == ItemStatus()
    assert await store.watchlist(3) == ("hs9",)


async def test_taste_hands_core_plain_values(store):
    await store.rate(1, "ns1", 4.0)
    await store.mark_seen(1, "as2")
    await store.hide(1, "ds3")
    await store.add_to_watchlist(1, "hs4")
    await store.set_platforms(1, ("netflix", "hulu"))
    taste = await store.taste(1)
    assert (taste.rated, taste.seen, taste.hidden, taste.listed, taste.platforms) == (
        (("ns1", 4.0),), ("as2",), ("ds3",), ("hs4",), ("netflix", "hulu"))


async def test_taste_lists_ratings_and_marks_newest_first(store):
    for title in ("ns1", "ns9", "as5"):
        await store.rate(2, title, 3.0)
    await store.rate(2, "ns1", 5.0)  # changed last: newest again
    for title in ("hs2", "hs1"):
        await store.add_to_watchlist(2, title)
    await store.mark_seen(3, "ns9")  # somebody else's
    taste = await store.taste(2)
    assert taste.rated == (("ns1", 5.0), ("as5", 3.0), ("ns9", 3.0))
    assert (taste.listed, taste.seen, taste.hidden, taste.platforms) == (("hs1", "hs2"), (), (), ())
    assert taste.rated == await store.ratings(2) and taste.listed == await store.watchlist(2)


async def test_a_first_mark_makes_the_person_known_with_the_time_they_came(store):
    """/mydata says since when the bot knows someone, whichever action came first."""
    await store.rate(7, "ns1", 4.0)
    await store.hide(8, "ns2")
    for user in (7, 8):
        assert (await store.everything(user))["user"]["created_at"]
    assert (await store.everything(9))["user"] is None


async def test_a_connection_the_server_closed_costs_a_retry_not_a_failed_save():
    """A PostgreSQL restart (or an idle timeout) closes the pooled connections; the next action must still save.
    (PostgreSQL only: an SQLite file has no server to lose.)"""
    url, schema = postgresql_test_url(), await fresh_postgresql_schema()
    store = Storage(url, search_path=schema)
    await store.start()
    try:
        await store.rate(1, "ns1", 4.0)
        async with store.engine.connect() as connection:  # the pooled connection the next action will get
            pid = await connection.scalar(text("SELECT pg_backend_pid()"))
        admin = await asyncpg.connect(url, timeout=3)
        try:
            assert await admin.fetchval("SELECT pg_terminate_backend($1)", pid)
        finally:
            await admin.close()
        await store.rate(1, "ns2", 2.5)
        assert await store.settings(1) is not None
        assert dict(await store.ratings(1)) == {"ns1": 4.0, "ns2": 2.5}
    finally:
        await store.close()
        await drop_postgresql_schema(schema)


async def test_settings_moved_out_of_the_pickle_live_here(store):
    assert (await store.settings(5)).lang is None
    await store.set_language(5, "es")
    await store.set_platforms(5, ("disney",))
    settings = await store.settings(5)
    assert (settings.lang, settings.platforms, settings.onboarded) == ("es", ("disney",), False)
    await store.set_platforms(5, None)  # "all" again
    await store.mark_onboarded(5)
    settings = await store.settings(5)
    assert (settings.lang, settings.platforms, settings.onboarded) == ("es", None, True)


async def test_an_import_is_one_transaction(store):
    good = [ImportItem("ns1", 4.5, seen=True), ImportItem("as2", seen=True), ImportItem("hs3", watchlist=True)]
    assert await store.import_items(2, good) == {"ratings": 1, "seen": 1, "watchlist": 1}
    broken = [ImportItem("ds9", 3.0), ImportItem("ds10", seen=True), ImportItem(object(), watchlist=True)]
    with pytest.raises(StorageUnavailable):  # the third row cannot be written: the first two go too
        await store.import_items(4, broken)
    assert await store.counts(4) == {"ratings": 0, "seen": 0, "watchlist": 0, "hidden": 0}
    assert await store.counts(2) == {"ratings": 1, "seen": 1, "watchlist": 1, "hidden": 0}


async def test_forget_deletes_everything_of_one_person_and_says_what(store):
    await store.rate(1, "ns1", 3.0)
    await store.rate(1, "ns2", 3.5)
    await store.mark_seen(1, "as2")
    await store.set_language(1, "es")
    await store.rate(2, "ns1", 5.0)
    everything = await store.everything(1)
    assert {r["title_id"]: r["stars"] for r in everything["ratings"]} == {"ns1": 3.0, "ns2": 3.5}
    assert everything["user"]["lang"] == "es" and [r["title_id"] for r in everything["seen"]] == ["as2"]
    assert await store.forget(1) == {"ratings": 2, "seen": 1, "watchlist": 0, "hidden": 0, "settings": 1,
                                     "night_votes": 0, "nights": 0}
    assert await store.everything(1) == {"user": None, "ratings": [], "seen": [], "watchlist": [], "hidden": [],
                                         "nights": [], "night_votes": []}
    assert await store.ratings(2) == (("ns1", 5.0),)


async def test_a_hundred_people_pressing_at_once_lose_nothing(store):
    await asyncio.gather(*(store.rate(user, f"ns{title}", 0.5 + (user + title) % 10 / 2)
                           for user in range(100) for title in range(1, 4)))
    for user in (0, 41, 99):
        assert dict(await store.ratings(user)) == {f"ns{t}": 0.5 + (user + t) % 10 / 2 for t in range(1, 4)}
    assert sum([(await store.counts(u))["ratings"] for u in range(100)]) == 300


async def test_two_processes_see_each_others_writes_at_once(backend):
    url, schema = backend
    first, second = Storage(url, search_path=schema), Storage(url, search_path=schema)
    await first.start()
    await second.start()
    try:
        await first.rate(9, "ns1", 4.0)
        assert await second.ratings(9) == (("ns1", 4.0),)
        assert (await second.statuses(9, ["ns1"]))["ns1"].stars == 4.0
        await second.add_to_watchlist(9, "as5")
        assert await first.watchlist(9) == ("as5",)
        assert (await first.taste(9)).listed == ("as5",)
        await second.set_language(9, "es")
        assert (await first.settings(9)).lang == "es"
    finally:
        await first.close()
        await second.close()


async def test_migrations_run_once_and_reach_the_latest_version(backend):
    url, schema = backend
    for _ in range(2):
        store = Storage(url, search_path=schema)
        await store.start()
        async with store.engine.connect() as connection:
            versions = (await connection.exec_driver_sql("SELECT version FROM schema_version")).scalars().all()
        await store.close()
        assert versions == list(range(1, migrations.LATEST + 1))


CHILD = """
import asyncio, sys
from storage import Storage
async def main():
    store = Storage(sys.argv[1], search_path=sys.argv[2] or None)
    await store.start()
    await store.rate(11, "ns1", 4.5)
    print("acknowledged", flush=True)
    sys.stdin.read()  # wait to be killed
asyncio.run(main())
"""


async def test_an_acknowledged_rating_survives_kill_9(backend):
    url, schema = backend
    child = subprocess.Popen([sys.executable, "-c", CHILD, url, schema or ""], cwd=PROJECT_ROOT,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "acknowledged"
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait()
    store = Storage(url, search_path=schema)
    try:
        assert await store.ratings(11) == (("ns1", 4.5),)
    finally:
        await store.close()


async def test_an_unreachable_server_is_storage_unavailable_not_a_traceback():
    store = Storage("postgresql://postgres@127.0.0.1:9/nothing")  # port 9: nothing listens
    try:
        with pytest.raises(StorageUnavailable):
            await store.rate(1, "ns1", 4.0)
        with pytest.raises(StorageBroken, match="^database postgresql"):
            await store.start()
    finally:
        await store.close()


async def opened_then_closed(url: str) -> None:
    store = Storage(url)
    try:
        await store.start()
    finally:
        await store.close()


async def test_a_corrupt_or_unwritable_file_stops_with_one_line(tmp_path):
    corrupt = tmp_path / "corrupt.db"
    corrupt.write_bytes(b"this is not a database, just text " * 200)
    with pytest.raises(StorageBroken) as broken:
        await opened_then_closed(f"sqlite:///{corrupt}")
    assert str(broken.value) == f"database {corrupt}: file is not a database"
    blocker = tmp_path / "a-file"
    blocker.write_text("x")  # a database "inside" a file can never be created, even by root
    with pytest.raises(StorageBroken) as unwritable:
        await opened_then_closed(f"sqlite:///{blocker / 'bot.db'}")
    assert "\n" not in str(unwritable.value) and str(unwritable.value).startswith(f"database {blocker}/bot.db: ")
    with pytest.raises(StorageBroken, match="unable to open database file$"):
        await opened_then_closed(f"sqlite:///{tmp_path}")  # a directory, not a file


async def test_a_database_file_gone_while_serving_is_storage_unavailable_not_a_traceback(tmp_path):
    """The reads every update makes (settings, marks, taste) open their own connection to the file on first use:
    a file gone by then says "can't save that right now" (StorageUnavailable), as a failed write does."""
    path = tmp_path / "bot.db"
    store = Storage(f"sqlite:///{path}")
    await store.start()
    try:
        path.rename(tmp_path / "moved.db")
        path.mkdir()  # what stands there now is no database
        for read in (store.settings(1), store.statuses(1, ["ns1"]), store.taste(1)):
            with pytest.raises(StorageUnavailable):
                await read
        path.rmdir()
        (tmp_path / "moved.db").rename(path)  # back: the next read answers again
        assert (await store.settings(1)).lang is None
    finally:
        await store.close()


@pytest.mark.parametrize(("url", "expected"), [
    ("sqlite:///data/x.db", "sqlite+aiosqlite:///data/x.db"),
    ("sqlite:////abs/x.db", "sqlite+aiosqlite:////abs/x.db"),
    ("postgresql://u@h:5432/db", "postgresql+asyncpg://u@h:5432/db"),
    ("postgres://u@h/db", "postgresql+asyncpg://u@h/db"),
])
def test_database_urls_name_their_async_driver(url, expected):
    assert engine_url(url) == expected


@pytest.mark.parametrize("url", ["mysql://h/db", "bot.db", ""])
def test_other_database_urls_are_refused(url):
    with pytest.raises(ValueError, match="DATABASE_URL"):
        engine_url(url)


async def test_the_old_pickle_is_migrated_once(tmp_path):
    path = tmp_path / "bot.pickle"
    persistence = PicklePersistence(path)  # written by python-telegram-bot itself, as the old bot did
    await persistence.get_user_data()  # what Application.initialize does first
    await persistence.get_chat_data()
    await persistence.update_user_data(5, {"lang": "es", "platforms": ("netflix", "hulu")})
    await persistence.update_user_data(6, {"lang": "en"})
    await persistence.update_user_data(7, {})
    await persistence.flush()
    store = Storage(f"sqlite:///{tmp_path / 'bot.db'}")
    await store.start()
    try:
        await store.set_language(6, "es")  # already in the database: the database wins
        assert await migrate_pickle(store, path) == 1
        assert (await store.settings(5)).lang == "es" and (await store.settings(5)).platforms == ("netflix", "hulu")
        assert (await store.settings(6)).lang == "es"
        assert not path.exists() and (tmp_path / "bot.pickle.migrated").is_file()
        path.write_bytes((tmp_path / "bot.pickle.migrated").read_bytes())  # the same file back: not again
        assert await migrate_pickle(store, path) is None
    finally:
        await store.close()


async def test_a_damaged_pickle_is_set_aside_and_nothing_is_migrated(tmp_path):
    store = Storage(f"sqlite:///{tmp_path / 'bot.db'}")
    await store.start()
    try:
        damaged = tmp_path / "bot.pickle"
        damaged.write_bytes(pickle.dumps({"user_data": {5: {"lang": "es"}}})[:-9])
        assert await migrate_pickle(store, damaged) is None
        assert not damaged.exists() and len(list(tmp_path.glob("bot.pickle.damaged-*"))) == 1
        assert (await store.settings(5)).lang is None
    finally:
        await store.close()


async def test_processes_opening_one_new_sqlite_file_at_once_all_start(tmp_path):
    # Two bot workers started together on a fresh file both created the tables ("table seen already
    # exists") and one stopped; each Storage here is its own engine, as each process has.
    url = f"sqlite:///{tmp_path / 'bot.db'}"
    stores = [Storage(url) for _ in range(8)]
    try:
        await asyncio.gather(*(s.start() for s in stores))
        assert all(s.ready for s in stores)
        await stores[0].rate(1, "ns1", 4.0)
        assert (await stores[-1].taste(1)).rated == (("ns1", 4.0),)  # one database, whichever engine reads
    finally:
        await asyncio.gather(*(s.close() for s in stores))


def test_the_pool_size_setting_reaches_the_postgresql_pool(tmp_path, sample_catalog):
    from bot.app import build_application
    from bot.context import STORAGE
    from bot.local import LocalBotAPI
    from bot.settings import Settings, SettingsError

    environ = {"TELEGRAM_BOT_TOKEN": "123456:" + "a" * 35, "DATABASE_URL": postgresql_test_url()}
    empty = tmp_path / "empty.env"
    empty.write_text("")
    assert Settings.from_env(environ, empty).database_pool_size == 10
    settings = Settings.from_env(environ | {"DATABASE_POOL_SIZE": "3"}, empty)
    application = build_application(sample_catalog, settings, request=LocalBotAPI(), rate_limiter=False)
    assert application.bot_data[STORAGE].engine.pool.size() == 3
    for wrong in ("0", "-2", "many", "2.5"):
        with pytest.raises(SettingsError, match="DATABASE_POOL_SIZE"):
            Settings.from_env(environ | {"DATABASE_POOL_SIZE": wrong}, empty)
