"""`Storage`: every personal fact the bot keeps, behind functions named after what the product does.

    store = Storage("sqlite:///data/state/bot.db")     # or "postgresql://user@host/db"
    await store.start()                                 # migrations; once per process
    await store.rate(user_id, "ns1234", 4.5)            # committed when it returns
    taste = await store.taste(user_id)                  # plain values for core's recommender

One `AsyncEngine` per process, the same SQLAlchemy Core statements on SQLite (aiosqlite, WAL) and PostgreSQL
(asyncpg). A user action of several statements is one transaction (`engine.begin()`); one of a single
statement runs on PostgreSQL in autocommit, one round trip; on an SQLite file the reads every update makes
(settings, marks, taste) run in the event loop on a query-only connection, without the driver's thread (see
`_rows`). Every failure to reach or write the database is raised as `StorageUnavailable`, which the bot
answers with "can't save that right now".
"""
from __future__ import annotations

import asyncio
import fcntl
import functools
import logging
import sqlite3
from collections.abc import Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import (
    Float, and_, cast, event, func, literal, literal_column, make_url, null, or_, select, text, union_all,
)
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DBAPIError, IntegrityError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine
from sqlalchemy.pool import StaticPool

from storage import migrations
from storage.schema import (
    hidden, meta, night_candidates, night_members, night_votes, nights, ratings, seen, users, watchlist,
)

log = logging.getLogger(__name__)

CONNECT_TIMEOUT = 5.0  # seconds to reach PostgreSQL before a personal action answers "can't save"
# Waiting for a free pooled connection is queueing behind other people's saves, not an outage: a burst of a
# hundred presses on a busy machine must wait its turn, not fail.
POOL_TIMEOUT = 60.0
BUSY_TIMEOUT = 15.0  # seconds an SQLite writer waits for another one (writes take well under 1 ms)
# A WAL reader waits only while another process recovers or resets the log; the event loop waits with it
READ_BUSY_TIMEOUT = 0.5
MEMORY_URL = "sqlite://"  # a private in-memory database (tests, the console's --memory)
MIGRATION_LOCK = 7_110_011  # PostgreSQL advisory lock: two processes starting at once migrate one at a time
VALID_STARS = frozenset(x / 2 for x in range(1, 11))
ITEM_TABLES = {"ratings": ratings, "seen": seen, "watchlist": watchlist, "hidden": hidden}


class StorageUnavailable(Exception):
    """The database could not be reached or written; nothing was saved."""


class StorageBroken(Exception):
    """The database cannot be used at all (corrupt, unwritable, newer schema): the message is one line."""


@dataclass(frozen=True, slots=True)
class UserSettings:
    lang: str | None  # None: follow Telegram's language
    platforms: tuple[str, ...] | None  # platform keys; None: every platform
    onboarded: bool


@dataclass(frozen=True, slots=True)
class ItemStatus:
    """What a person has said about one title (for the buttons on its card)."""

    stars: float | None = None
    seen: bool = False
    listed: bool = False
    hidden: bool = False


@dataclass(frozen=True, slots=True)
class Taste:
    """Everything core's recommender needs about a person, as plain values (title ids and stars)."""

    rated: tuple[tuple[str, float], ...]  # newest first
    seen: tuple[str, ...]
    hidden: tuple[str, ...]
    listed: tuple[str, ...]  # the watchlist, newest first
    platforms: tuple[str, ...]  # () = every platform


@dataclass(frozen=True, slots=True)
class NightMember:
    user_id: int
    name: str
    joined: bool  # False: pressed "I'm out" or left the group


@dataclass(frozen=True, slots=True)
class Night:
    """A group's movie night as stored. `state`: lobby (joining), picking (one worker is choosing the
    candidates), voting (a poll is open until `deadline`), counting (one worker is ending the round),
    counted (the winner was announced; "Another round" may follow), over."""

    night_id: int
    chat_id: int
    starter_id: int
    lang: str
    words: str
    state: str
    round: int
    timeout_minutes: int
    deadline: datetime | None
    lobby_message_id: int | None
    poll_id: str | None
    poll_message_id: int | None
    winner_id: str | None
    members: tuple[NightMember, ...]

    @property
    def joined(self) -> tuple[NightMember, ...]:
        return tuple(m for m in self.members if m.joined)

    def has_joined(self, user_id: int) -> bool:
        return any(m.user_id == user_id for m in self.joined)


@dataclass(frozen=True, slots=True)
class RoundCandidate:
    position: int  # the poll option's index
    title_id: str
    score: float  # the combined taste it was chosen with
    votes: int  # votes of members who joined (and are still in)


@dataclass(frozen=True, slots=True)
class Tally:
    """A round's result: its candidates with the counted votes, who voted, and the votes not counted."""

    round: int
    candidates: tuple[RoundCandidate, ...]
    voters: frozenset[int]  # joined members with a vote
    ignored: int  # people who voted without having joined


@dataclass(frozen=True, slots=True)
class Vote:
    """What a poll answer did: the night it belongs to (None: not a night's open poll), whether it counts
    (the voter joined), and whether every joined member has now voted."""

    night: Night | None
    counted: bool
    everyone_voted: bool


@dataclass(frozen=True, slots=True)
class ImportItem:
    title_id: str
    stars: float | None = None
    seen: bool = False
    watchlist: bool = False


def engine_url(url: str) -> str:
    """The user's `DATABASE_URL` with the async driver named: sqlite:///x -> sqlite+aiosqlite:///x."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ValueError(f"DATABASE_URL must look like sqlite:///path/to/file.db or postgresql://host/db (got {url!r})")
    base = scheme.split("+")[0].lower()
    if base == "sqlite":
        return f"sqlite+aiosqlite://{rest}"
    if base in ("postgresql", "postgres"):
        return f"postgresql+asyncpg://{rest}"
    raise ValueError(f"DATABASE_URL must start with sqlite:/// or postgresql:// (got {scheme}://)")


def sqlite_path(url: str) -> Path | None:
    """The file an sqlite:/// URL names (None for memory or another database)."""
    scheme, _, rest = url.partition("://")
    if not scheme.startswith("sqlite") or rest in ("", "/", "/:memory:"):
        return None
    return Path(rest[1:]).expanduser()


def _unavailable(method):
    """Database failures leave as StorageUnavailable (logged once, one line, no traceback)."""
    @functools.wraps(method)
    async def wrapper(self: Storage, *args, **kwargs):
        for attempt in (1, 2):
            try:
                return await method(self, *args, **kwargs)
            except DBAPIError as error:
                # A pooled connection the server closed (a restart, an idle timeout) fails its first statement;
                # SQLAlchemy then drops every connection of that age from the pool, so a second try runs on a
                # fresh one. Checking each connection before use (pre-ping) would cost a round trip per action.
                # A retried write is safe: each is an upsert, a delete or a conditional update.
                if attempt == 1 and error.connection_invalidated:
                    log.info("storage: %s found its connection closed; trying once more", method.__name__)
                    continue
                failed = error
            except (SQLAlchemyError, OSError, asyncio.TimeoutError, StorageBroken) as error:
                failed = error
            log.warning("storage: %s failed: %s", method.__name__, _reason(failed))
            raise StorageUnavailable(method.__name__) from failed
    return wrapper


def _now() -> datetime:
    return datetime.now(UTC)


class Storage:
    def __init__(self, url: str = MEMORY_URL, *, search_path: str | None = None, pool_size: int = 10) -> None:
        """`search_path` (PostgreSQL): the schema to keep the tables in (tests use a fresh one per run).
        `pool_size` (PostgreSQL): connections kept open; a burst may open twice as many more."""
        self.url = url
        self.path = sqlite_path(url)
        async_url = engine_url(url)
        self.dialect = "postgresql" if async_url.startswith("postgresql") else "sqlite"
        if self.dialect == "postgresql":
            # `?search_path=schema` in DATABASE_URL keeps the tables in that schema (asyncpg takes it as a
            # server setting, not as a URL parameter)
            parsed = make_url(async_url)
            search_path = search_path or parsed.query.get("search_path")
            async_url = parsed.difference_update_query(["search_path"])
            # no pre-ping: a connection the server closed is retried once (see `_unavailable`), which costs
            # nothing while the server is up, where a ping costs a round trip on every action
            self.engine: AsyncEngine = create_async_engine(
                async_url, pool_size=pool_size, max_overflow=2 * pool_size, pool_timeout=POOL_TIMEOUT,
                connect_args={"timeout": CONNECT_TIMEOUT, "command_timeout": 10,
                              **({"server_settings": {"search_path": search_path}} if search_path else {})})
        elif self.path is None:  # memory: one connection, or each would see its own empty database
            self.engine = create_async_engine(async_url, poolclass=StaticPool)
        else:
            self.engine = create_async_engine(async_url, connect_args={"timeout": BUSY_TIMEOUT})
        if self.dialect == "sqlite":
            event.listen(self.engine.sync_engine, "connect", _sqlite_pragmas)
        self._insert = postgresql_insert if self.dialect == "postgresql" else sqlite_insert
        self.ready = False
        self._reader: sqlite3.Connection | None = None  # SQLite file: the event loop's read-only connection

    def __repr__(self) -> str:
        return f"Storage({self.engine.url.render_as_string(hide_password=True)!r})"

    # ---- life cycle ------------------------------------------------------------------------------
    async def start(self) -> None:
        """Apply missing migrations. Raises StorageBroken (one line) when the database can't be used."""
        try:
            if self.path is not None:
                self.path.parent.mkdir(parents=True, exist_ok=True)
            async with self._sqlite_migration_lock(), self.engine.begin() as connection:
                if self.dialect == "postgresql":
                    await connection.execute(text(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})"))
                await connection.run_sync(migrations.migrate)
                # a write, so an unwritable file or a read-only server fails here, not on the first rating
                await self._put_meta(connection, "opened_at", _now().isoformat())
        except (SQLAlchemyError, OSError, asyncio.TimeoutError, RuntimeError) as error:
            raise StorageBroken(f"{self.where()}: {_reason(error)}") from error
        self.ready = True

    @asynccontextmanager
    async def _sqlite_migration_lock(self):
        """Two processes opening one new SQLite file at once both created the tables ("table seen already
        exists": the driver runs DDL outside the transaction), so a lock file beside the database lets one
        migrate at a time, as PostgreSQL's advisory lock does."""
        if self.path is None:
            yield
            return
        with open(self.path.with_name(self.path.name + ".lock"), "a") as handle:
            await asyncio.to_thread(fcntl.flock, handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)

    async def start_serving(self) -> bool:
        """`start` for the bot: a broken SQLite file raises (start-up stops); PostgreSQL not answering only
        logs a warning and returns False (the catalog still answers; saving says "can't save" until it is back)."""
        try:
            await self.start()
        except StorageBroken as error:
            if self.dialect == "sqlite":
                raise
            log.warning("%s; personal actions will answer \"can't save\" until it answers", error)
            return False
        return True

    async def unreachable(self, timeout: float = 3.0) -> str | None:
        """Why the database does not answer a query now (one line), or None when it does: the health check."""
        async def ask() -> None:
            async with self.engine.connect() as connection:
                await connection.execute(text("SELECT 1"))
        try:
            await asyncio.wait_for(ask(), timeout)
        except (SQLAlchemyError, OSError, asyncio.TimeoutError, RuntimeError) as error:
            return _reason(error) or type(error).__name__
        return None

    def where(self) -> str:
        return f"database {self.path}" if self.path else f"database {self.engine.url.render_as_string(True)}"

    async def close(self) -> None:
        if self._reader is not None:
            self._reader.close()
            self._reader = None
        await self.engine.dispose()

    @asynccontextmanager
    async def _transaction(self):
        """One user action: committed when the block ends (before the bot replies), rolled back on error."""
        if not self.ready:  # PostgreSQL was down at start-up: migrate now that it answers
            await self.start()
        async with self.engine.begin() as connection:
            yield connection

    @asynccontextmanager
    async def _one_statement(self):
        """For an action that is one statement. On PostgreSQL it runs in autocommit: the statement is its own
        transaction (atomic, one snapshot, committed when it returns), in one round trip instead of three
        (BEGIN, the statement, COMMIT). Every update reads the person's settings and marks, so under load
        these round trips, each a wake-up of a server process, were most of a reply's wait. SQLite has no
        server to wait for, so it keeps the plain transaction."""
        if self.dialect != "postgresql":
            async with self._transaction() as connection:
                yield connection
            return
        if not self.ready:
            await self.start()
        async with self.engine.connect() as connection:
            yield await connection.execution_options(isolation_level="AUTOCOMMIT")

    async def _rows(self, statement) -> Sequence[tuple]:
        """The rows of a read every update makes (the person's settings, their marks on the titles a reply
        shows), as plain tuples of strings and numbers.

        On an SQLite file they are read here, in the event loop, on a read-only connection of this process's
        own: in WAL mode a reader never waits for a writer, and a read by key takes a tenth of a millisecond.
        Through the async driver a read was about six hops to its thread and back (cursor, execute, fetch,
        close, commit, reset), each waiting for the busy event loop: 8 ms a read, twice per update, under
        `bench taste`'s paced load. Writes stay on the async driver (they wait for the disk)."""
        if self.dialect == "postgresql" or self.path is None:
            async with self._one_statement() as connection:
                return (await connection.execute(statement)).all()
        if not self.ready:
            await self.start()
        compiled = statement.compile(dialect=self.engine.dialect, compile_kwargs={"render_postcompile": True})
        values = [compiled.params[name] for name in compiled.positiontup]
        try:
            if self._reader is None:
                self._reader = sqlite3.connect(self.path, timeout=READ_BUSY_TIMEOUT, check_same_thread=False)
                self._reader.execute("PRAGMA query_only = ON")  # this connection only ever reads
            return self._reader.execute(str(compiled), values).fetchall()
        except sqlite3.Error as error:
            if self._reader is not None:  # opened again on the next read: the file may be back by then
                self._reader.close()
                self._reader = None
            raise OSError(f"{self.path}: {error}") from error  # "can't save that right now", via _unavailable

    async def _put_meta(self, connection: AsyncConnection, key: str, value: str) -> None:
        statement = self._insert(meta).values(key=key, value=value)
        await connection.execute(statement.on_conflict_do_update(index_elements=["key"], set_={"value": value}))

    @_unavailable
    async def meta_value(self, key: str) -> str | None:
        async with self._transaction() as connection:
            return (await connection.execute(select(meta.c.value).where(meta.c.key == key))).scalar()

    @_unavailable
    async def set_meta(self, key: str, value: str) -> None:
        async with self._transaction() as connection:
            await self._put_meta(connection, key, value)

    # ---- settings (once in the pickle) ---------------------------------------------------------------
    async def _upsert_user(self, connection: AsyncConnection, user_id: int, **values) -> None:
        statement = self._insert(users).values(user_id=user_id, created_at=_now(), **values)
        if values:
            statement = statement.on_conflict_do_update(index_elements=["user_id"], set_=values)
        else:
            statement = statement.on_conflict_do_nothing(index_elements=["user_id"])
        await connection.execute(statement)

    @_unavailable
    async def settings(self, user_id: int) -> UserSettings:
        rows = await self._rows(select(users.c.lang, users.c.platforms, users.c.onboarded_at.is_not(None))
                                .where(users.c.user_id == user_id))
        if not rows:
            return UserSettings(None, None, False)
        lang, platforms, onboarded = rows[0]
        return UserSettings(lang, tuple(platforms.split(",")) if platforms else None, bool(onboarded))

    @_unavailable
    async def set_language(self, user_id: int, lang: str | None) -> None:
        async with self._transaction() as connection:
            await self._upsert_user(connection, user_id, lang=lang)

    @_unavailable
    async def set_platforms(self, user_id: int, platforms: Iterable[str] | None) -> None:
        keys = ",".join(platforms) if platforms else None
        async with self._transaction() as connection:
            await self._upsert_user(connection, user_id, platforms=keys)

    @_unavailable
    async def mark_onboarded(self, user_id: int) -> None:
        async with self._transaction() as connection:
            await self._upsert_user(connection, user_id, onboarded_at=_now())

    @_unavailable
    async def import_settings(self, settings: dict[int, tuple[str | None, tuple[str, ...] | None]]) -> int:
        """The old pickle's users (id -> (lang, platform keys)), in one transaction; settings already in the
        database win. Returns how many users were added."""
        added = 0
        async with self._transaction() as connection:
            for user_id, (lang, platforms) in settings.items():
                statement = self._insert(users).values(
                    user_id=user_id, lang=lang, platforms=",".join(platforms) if platforms else None,
                    created_at=_now()).on_conflict_do_nothing(index_elements=["user_id"])
                added += (await connection.execute(statement)).rowcount or 0
        return added

    # ---- ratings, seen, watchlist, not for me -------------------------------------------------------
    @_unavailable
    async def rate(self, user_id: int, title_id: str, stars: float) -> None:
        if stars not in VALID_STARS:
            raise ValueError(f"stars must be 0.5..5 in half steps, not {stars!r}")
        statement = self._insert(ratings).values(user_id=user_id, title_id=title_id, stars=stars, at=_now())
        await self._save_item(user_id, statement.on_conflict_do_update(
            index_elements=["user_id", "title_id"], set_={"stars": stars, "at": statement.excluded.at}))

    async def _add(self, table, user_id: int, title_id: str) -> None:
        statement = self._insert(table).values(user_id=user_id, title_id=title_id, at=_now())
        await self._save_item(user_id, statement.on_conflict_do_nothing(index_elements=["user_id", "title_id"]))

    async def _save_item(self, user_id: int, statement) -> None:
        """An item's upsert, with the person's row made if new, atomically: on PostgreSQL one statement (the
        person's row in a data-modifying WITH), on SQLite one transaction of two."""
        if self.dialect == "postgresql":
            new_user = self._insert(users).values(user_id=user_id, created_at=_now()).on_conflict_do_nothing(
                index_elements=["user_id"]).cte("new_user")
            async with self._one_statement() as connection:
                await connection.execute(statement.add_cte(new_user))
            return
        async with self._transaction() as connection:
            await self._upsert_user(connection, user_id)
            await connection.execute(statement)

    async def _remove(self, table, user_id: int, title_id: str) -> bool:
        async with self._one_statement() as connection:
            result = await connection.execute(
                table.delete().where(table.c.user_id == user_id, table.c.title_id == title_id))
        return bool(result.rowcount)

    @_unavailable
    async def unrate(self, user_id: int, title_id: str) -> bool:
        return await self._remove(ratings, user_id, title_id)

    @_unavailable
    async def mark_seen(self, user_id: int, title_id: str) -> None:
        await self._add(seen, user_id, title_id)

    @_unavailable
    async def unmark_seen(self, user_id: int, title_id: str) -> bool:
        return await self._remove(seen, user_id, title_id)

    @_unavailable
    async def add_to_watchlist(self, user_id: int, title_id: str) -> None:
        await self._add(watchlist, user_id, title_id)

    @_unavailable
    async def remove_from_watchlist(self, user_id: int, title_id: str) -> bool:
        return await self._remove(watchlist, user_id, title_id)

    @_unavailable
    async def hide(self, user_id: int, title_id: str) -> None:
        await self._add(hidden, user_id, title_id)

    @_unavailable
    async def unhide(self, user_id: int, title_id: str) -> bool:
        return await self._remove(hidden, user_id, title_id)

    # ---- reading back -------------------------------------------------------------------------------
    @_unavailable
    async def status(self, user_id: int, title_id: str) -> ItemStatus:
        return (await self._statuses(user_id, (title_id,)))[title_id]

    @_unavailable
    async def statuses(self, user_id: int, title_ids: Iterable[str]) -> dict[str, ItemStatus]:
        """What the person said about each of these titles (the buttons of a card or a list show it),
        in one transaction: a query per kind of mark, however many titles."""
        return await self._statuses(user_id, tuple(dict.fromkeys(title_ids)))

    async def _statuses(self, user_id: int, title_ids: tuple[str, ...]) -> dict[str, ItemStatus]:
        found: dict[str, dict[str, float | None]] = {name: {} for name in ITEM_TABLES}
        if title_ids:  # one round trip: the four kinds of mark in one UNION ALL
            parts = [select(table.c.title_id, (table.c.stars if table is ratings else cast(null(), Float)),
                            literal(name)).where(table.c.user_id == user_id, table.c.title_id.in_(title_ids))
                     for name, table in ITEM_TABLES.items()]
            for title_id, stars, kind in await self._rows(union_all(*parts)):
                found[kind][title_id] = stars
        return {i: ItemStatus(found["ratings"].get(i), i in found["seen"], i in found["watchlist"],
                              i in found["hidden"]) for i in title_ids}

    @staticmethod
    async def _ids(connection: AsyncConnection, table, user_id: int) -> tuple[str, ...]:
        rows = await connection.execute(
            select(table.c.title_id).where(table.c.user_id == user_id).order_by(table.c.at.desc(), table.c.title_id))
        return tuple(rows.scalars())

    @_unavailable
    async def watchlist(self, user_id: int) -> tuple[str, ...]:
        """The watchlist's title ids, newest first."""
        async with self._one_statement() as connection:
            return await self._ids(connection, watchlist, user_id)

    @staticmethod
    async def _rated(connection: AsyncConnection, user_id: int) -> tuple[tuple[str, float], ...]:
        rows = await connection.execute(select(ratings.c.title_id, ratings.c.stars).where(
            ratings.c.user_id == user_id).order_by(ratings.c.at.desc(), ratings.c.title_id))
        return tuple((r.title_id, r.stars) for r in rows)

    @_unavailable
    async def ratings(self, user_id: int) -> tuple[tuple[str, float], ...]:
        """(title id, stars), newest first."""
        async with self._one_statement() as connection:
            return await self._rated(connection, user_id)

    @_unavailable
    async def taste(self, user_id: int) -> Taste:
        """The person's ratings, marks and services in one statement (one snapshot, one round trip)."""
        parts = [select(literal(name).label("kind"), table.c.title_id.label("item"),
                        (table.c.stars if table is ratings else cast(null(), Float)).label("stars"),
                        table.c.at.label("at")).where(table.c.user_id == user_id)
                 for name, table in ITEM_TABLES.items()]
        parts.append(select(literal("platforms"), users.c.platforms, cast(null(), Float), users.c.created_at)
                     .where(users.c.user_id == user_id))
        found: dict[str, list] = {name: [] for name in (*ITEM_TABLES, "platforms")}
        query = union_all(*parts).order_by(literal_column("kind"), literal_column("at").desc(),
                                           literal_column("item"))
        for kind, item, stars, _at in await self._rows(query):
            found[kind].append((item, stars))
        keys = found["platforms"][0][0] if found["platforms"] else None
        return Taste(tuple(found["ratings"]), *(tuple(i for i, _ in found[k]) for k in ("seen", "hidden", "watchlist")),
                     tuple(keys.split(",")) if keys else ())

    @_unavailable
    async def counts(self, user_id: int) -> dict[str, int]:
        """How many ratings, seen marks, watchlist and hidden titles the person has."""
        async with self._transaction() as connection:
            return {name: (await connection.execute(
                select(func.count()).select_from(table).where(table.c.user_id == user_id))).scalar_one()
                for name, table in ITEM_TABLES.items()}

    @_unavailable
    async def everything(self, user_id: int) -> dict:
        """Every row stored about the person (for /mydata), as plain JSON-ready values."""
        async with self._transaction() as connection:
            user = (await connection.execute(select(users).where(users.c.user_id == user_id))).mappings().first()
            data: dict = {"user": {k: _plain(v) for k, v in user.items()} if user else None}
            for name, table in ITEM_TABLES.items():
                rows = await connection.execute(
                    select(table).where(table.c.user_id == user_id).order_by(table.c.at, table.c.title_id))
                data[name] = [{k: _plain(v) for k, v in row.items() if k != "user_id"} for row in rows.mappings()]
            for name, table in (("nights", night_members), ("night_votes", night_votes)):
                rows = await connection.execute(
                    select(table).where(table.c.user_id == user_id).order_by(table.c.at, table.c.night_id))
                data[name] = [{k: _plain(v) for k, v in row.items() if k != "user_id"} for row in rows.mappings()]
        return data

    # ---- many at once ----------------------------------------------------------------------------------
    @_unavailable
    async def import_items(self, user_id: int, items: Iterable[ImportItem]) -> dict[str, int]:
        """A whole export in ONE transaction (all stored or none). Ratings replace older ratings of the same
        title; returns how many ratings, seen marks and watchlist entries were written."""
        items = list(items)
        if any(i.stars is not None and i.stars not in VALID_STARS for i in items):
            raise ValueError("stars must be 0.5..5 in half steps")
        now = _now()
        rated = {i.title_id: i.stars for i in items if i.stars is not None}
        watched = sorted({i.title_id for i in items if i.seen and i.stars is None})
        listed = sorted({i.title_id for i in items if i.watchlist})
        async with self._transaction() as connection:
            await self._upsert_user(connection, user_id)
            if rated:
                statement = self._insert(ratings)
                await connection.execute(statement.on_conflict_do_update(
                    index_elements=["user_id", "title_id"],
                    set_={"stars": statement.excluded.stars, "at": statement.excluded.at},
                ), [{"user_id": user_id, "title_id": t, "stars": s, "at": now} for t, s in rated.items()])
            for table, ids in ((seen, watched), (watchlist, listed)):
                if ids:
                    await connection.execute(
                        self._insert(table).on_conflict_do_nothing(index_elements=["user_id", "title_id"]),
                        [{"user_id": user_id, "title_id": t, "at": now} for t in ids])
        return {"ratings": len(rated), "seen": len(watched), "watchlist": len(listed)}

    @_unavailable
    async def forget(self, user_id: int) -> dict[str, int]:
        """Delete everything stored about the person, in one transaction; how many rows of each kind went."""
        deleted = {}
        async with self._transaction() as connection:
            for name, table in ITEM_TABLES.items():
                deleted[name] = (await connection.execute(table.delete().where(table.c.user_id == user_id))).rowcount
            deleted["settings"] = (await connection.execute(users.delete().where(users.c.user_id == user_id))).rowcount
            # movie nights: their votes and their place in the lobbies (the night itself is the group's)
            deleted["night_votes"] = (await connection.execute(
                night_votes.delete().where(night_votes.c.user_id == user_id))).rowcount
            deleted["nights"] = (await connection.execute(
                night_members.delete().where(night_members.c.user_id == user_id))).rowcount
        return deleted


    # ---- movie nights (issue 12) ----------------------------------------------------------------------
    # Every step that must happen once, whichever worker gets the update or the timer, is a conditional
    # UPDATE of the night's state ("claim"): the worker whose UPDATE changed the row does the step.
    # a worker that claimed a step (the pick, the end of a round) and died before finishing it: after this
    # long another may claim the step again
    STALE_STEP = timedelta(minutes=2)
    ABANDONED_LOBBY = timedelta(hours=6)  # a lobby nobody joined, left or picked in for this long blocks no new night

    @staticmethod
    async def _night(connection: AsyncConnection, night_id: int) -> Night | None:
        row = (await connection.execute(select(nights).where(nights.c.night_id == night_id))).mappings().first()
        if row is None:
            return None
        members = await connection.execute(
            select(night_members.c.user_id, night_members.c.name, night_members.c.joined)
            .where(night_members.c.night_id == night_id).order_by(night_members.c.at, night_members.c.user_id))
        values = {k: row[k] for k in Night.__slots__ if k != "members"}
        values["deadline"] = _aware(values["deadline"])
        return Night(**values, members=tuple(NightMember(m.user_id, m.name, bool(m.joined)) for m in members))

    async def _open_night_id(self, connection: AsyncConnection, chat_id: int) -> int | None:
        return (await connection.execute(select(nights.c.night_id).where(
            nights.c.chat_id == chat_id, nights.c.state != "over"))).scalar()

    async def _put_member(self, connection: AsyncConnection, night_id: int, user_id: int, name: str,
                          joined: bool) -> None:
        statement = self._insert(night_members).values(night_id=night_id, user_id=user_id, name=name[:64],
                                                       joined=joined, at=_now())
        await connection.execute(statement.on_conflict_do_update(
            index_elements=["night_id", "user_id"], set_={"joined": joined, "name": name[:64]}))

    @_unavailable
    async def start_night(self, chat_id: int, starter_id: int, name: str, lang: str, words: str,
                          timeout_minutes: int) -> tuple[Night, bool]:
        """A new night in the chat with its starter in, or the chat's open one: (night, created). A night
        whose round was counted, or whose lobby nobody touched for ABANDONED_LOBBY, is over when another starts."""
        for _ in range(3):  # two starts at once: the unique index lets one in, the other reads it
            try:
                async with self._transaction() as connection:
                    await connection.execute(nights.update().where(
                        nights.c.chat_id == chat_id,
                        or_(nights.c.state == "counted",
                            and_(nights.c.state == "lobby", nights.c.updated_at < _now() - self.ABANDONED_LOBBY)),
                    ).values(state="over", updated_at=_now()))
                    existing = await self._open_night_id(connection, chat_id)
                    if existing is not None:
                        return await self._night(connection, existing), False
                    now = _now()
                    night_id = (await connection.execute(nights.insert().values(
                        chat_id=chat_id, starter_id=starter_id, lang=lang, words=words, state="lobby", round=0,
                        timeout_minutes=timeout_minutes, updated_at=now, created_at=now,
                    ).returning(nights.c.night_id))).scalar_one()
                    await self._put_member(connection, night_id, starter_id, name, True)
                    return await self._night(connection, night_id), True
            except IntegrityError:
                continue
        raise StorageBroken("could not start a night")

    @_unavailable
    async def night(self, night_id: int) -> Night | None:
        async with self._transaction() as connection:
            return await self._night(connection, night_id)

    @_unavailable
    async def open_night(self, chat_id: int) -> Night | None:
        async with self._transaction() as connection:
            night_id = await self._open_night_id(connection, chat_id)
            return None if night_id is None else await self._night(connection, night_id)

    @_unavailable
    async def set_lobby_message(self, night_id: int, message_id: int) -> None:
        async with self._transaction() as connection:
            await connection.execute(nights.update().where(nights.c.night_id == night_id).values(
                lobby_message_id=message_id))

    @_unavailable
    async def set_member(self, night_id: int, user_id: int, name: str, joined: bool) -> Night | None:
        """I'm in / I'm out, while the lobby is open: the night after it (None when the lobby is closed)."""
        async with self._transaction() as connection:
            # a write first: it locks the night (PostgreSQL) or takes SQLite's write lock before any read
            touched = await connection.execute(nights.update().where(
                nights.c.night_id == night_id, nights.c.state == "lobby").values(updated_at=_now()))
            if not touched.rowcount:
                return None
            await self._put_member(connection, night_id, user_id, name, joined)
            return await self._night(connection, night_id)

    @_unavailable
    async def leave_chat(self, chat_id: int, user_id: int) -> tuple[Night, ...]:
        """A member left the group: out of the chat's open night. The nights they were in, after it."""
        async with self._transaction() as connection:
            night_id = await self._open_night_id(connection, chat_id)
            if night_id is None:
                return ()
            result = await connection.execute(night_members.update().where(
                night_members.c.night_id == night_id, night_members.c.user_id == user_id,
                night_members.c.joined.is_(True)).values(joined=False))
            if not result.rowcount:
                return ()
            return (await self._night(connection, night_id),)

    @_unavailable
    async def claim_pick(self, night_id: int, round_: int) -> Night | None:
        """The right to choose round `round_`'s candidates: the lobby (round 1) or a counted round (the next);
        one worker gets the night back, the others None."""
        now = _now()
        ready = "lobby" if round_ == 1 else "counted"
        async with self._transaction() as connection:
            result = await connection.execute(nights.update().where(
                nights.c.night_id == night_id, nights.c.round == round_ - 1,
                or_(nights.c.state == ready,
                    and_(nights.c.state == "picking", nights.c.updated_at < now - self.STALE_STEP)),
            ).values(state="picking", updated_at=now))
            return await self._night(connection, night_id) if result.rowcount else None

    @_unavailable
    async def release_pick(self, night_id: int, back_to: str) -> None:
        """Nothing was proposed (no candidates, or the poll could not be sent): back to where it was."""
        async with self._transaction() as connection:
            await connection.execute(nights.update().where(
                nights.c.night_id == night_id, nights.c.state == "picking").values(state=back_to, updated_at=_now()))

    @_unavailable
    async def open_round(self, night_id: int, candidates: Sequence[tuple[str, float]], poll_id: str,
                         poll_message_id: int, deadline: datetime) -> None:
        async with self._transaction() as connection:
            round_ = (await connection.execute(nights.update().where(nights.c.night_id == night_id).values(
                state="voting", round=nights.c.round + 1, poll_id=poll_id, poll_message_id=poll_message_id,
                deadline=deadline, updated_at=_now()).returning(nights.c.round))).scalar_one()
            await connection.execute(night_candidates.insert(), [
                {"night_id": night_id, "round": round_, "position": k, "title_id": t, "score": float(s)}
                for k, (t, s) in enumerate(candidates)])

    @_unavailable
    async def record_vote(self, poll_id: str, user_id: int, options: Sequence[int]) -> Vote:
        """A poll answer (no options: the vote was retracted), stored for the night's open round."""
        async with self._transaction() as connection:
            # a write first: votes of one night take turns (a row lock on PostgreSQL, the write lock on
            # SQLite), so the last of two votes at once sees both and ends the round
            row = (await connection.execute(nights.update().where(
                nights.c.poll_id == poll_id, nights.c.state == "voting").values(updated_at=_now()).returning(
                nights.c.night_id, nights.c.round))).first()
            if row is None:
                return Vote(None, False, False)
            key = {"night_id": row.night_id, "round": row.round, "user_id": user_id}
            await connection.execute(night_votes.delete().where(*(night_votes.c[k] == v for k, v in key.items())))
            if options:
                await connection.execute(night_votes.insert().values(
                    **key, options=",".join(str(int(o)) for o in options), at=_now()))
            night = await self._night(connection, row.night_id)
            voters = await self._voters(connection, row.night_id, row.round)
        everyone = bool(night.joined) and all(m.user_id in voters for m in night.joined)
        return Vote(night, night.has_joined(user_id), everyone)

    @staticmethod
    async def _voters(connection: AsyncConnection, night_id: int, round_: int) -> dict[int, tuple[int, ...]]:
        rows = await connection.execute(select(night_votes.c.user_id, night_votes.c.options).where(
            night_votes.c.night_id == night_id, night_votes.c.round == round_))
        return {r.user_id: tuple(int(o) for o in r.options.split(",") if o) for r in rows}

    @_unavailable
    async def everyone_voted(self, night_id: int) -> bool:
        async with self._transaction() as connection:
            night = await self._night(connection, night_id)
            if night is None or night.state != "voting":
                return False
            voters = await self._voters(connection, night_id, night.round)
        return bool(night.joined) and all(m.user_id in voters for m in night.joined)

    @_unavailable
    async def due_nights(self, now: datetime) -> tuple[tuple[int, int], ...]:
        """(night, round) of the open polls whose time is up (their ending still to be claimed), and of rounds
        whose ending a worker claimed but never finished."""
        async with self._transaction() as connection:
            rows = await connection.execute(select(nights.c.night_id, nights.c.round).where(
                self._due(now)).order_by(nights.c.night_id))
            return tuple((r.night_id, r.round) for r in rows)

    def _due(self, now: datetime):
        return or_(and_(nights.c.state == "voting", nights.c.deadline <= now),
                   and_(nights.c.state == "counting", nights.c.updated_at < _now() - self.STALE_STEP))

    @_unavailable
    async def claim_end(self, night_id: int, round_: int, due_by: datetime | None = None) -> Night | None:
        """The right to end round `round_` (all voted, Close, or the timeout when `due_by` is given: only if
        the deadline has passed by then, or an ending claimed long ago was never finished). Exactly one
        caller gets the night; the others None."""
        conditions = [nights.c.night_id == night_id, nights.c.round == round_,
                      nights.c.state == "voting" if due_by is None else self._due(due_by)]
        async with self._transaction() as connection:
            result = await connection.execute(nights.update().where(*conditions).values(
                state="counting", updated_at=_now()))
            return await self._night(connection, night_id) if result.rowcount else None

    async def _tally(self, connection: AsyncConnection, night: Night, round_: int) -> Tally:
        rows = (await connection.execute(select(night_candidates).where(
            night_candidates.c.night_id == night.night_id, night_candidates.c.round == round_
        ).order_by(night_candidates.c.position))).mappings().all()
        votes = await self._voters(connection, night.night_id, round_)
        counted = {u: o for u, o in votes.items() if night.has_joined(u) and o}
        per_option = {r["position"]: 0 for r in rows}
        for options in counted.values():
            for o in set(options):
                if o in per_option:
                    per_option[o] += 1
        return Tally(round_, tuple(RoundCandidate(r["position"], r["title_id"], r["score"], per_option[r["position"]])
                                   for r in rows),
                     frozenset(counted), sum(1 for u, o in votes.items() if o and not night.has_joined(u)))

    @_unavailable
    async def tallies(self, night_id: int) -> tuple[Tally, ...]:
        """Every round's result so far, first round first."""
        async with self._transaction() as connection:
            night = await self._night(connection, night_id)
            if night is None:
                return ()
            return tuple([await self._tally(connection, night, r) for r in range(1, night.round + 1)])

    @_unavailable
    async def finish_round(self, night_id: int, winner_id: str | None) -> None:
        async with self._transaction() as connection:
            await connection.execute(nights.update().where(
                nights.c.night_id == night_id, nights.c.state == "counting").values(
                state="counted", winner_id=winner_id, deadline=None, updated_at=_now()))

    @_unavailable
    async def end_night(self, night_id: int) -> bool:
        async with self._transaction() as connection:
            result = await connection.execute(nights.update().where(
                nights.c.night_id == night_id, nights.c.state != "over").values(state="over", updated_at=_now()))
            return bool(result.rowcount)

    @_unavailable
    async def ping(self) -> None:
        async with self._transaction() as connection:
            await connection.execute(select(1))


def _aware(value: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes (stored as UTC): the same aware value PostgreSQL gives."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _plain(value):
    return value.isoformat() if isinstance(value, datetime) else value


def _reason(error: BaseException) -> str:
    """The first line of the driver's own message ("file is not a database", "attempt to write a
    readonly database", "connection refused"), without SQLAlchemy's wrapping."""
    inner = getattr(error, "orig", None) or error
    return (str(inner).strip().splitlines() or [type(inner).__name__])[0][:200]


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    """WAL: readers never wait for the writer. synchronous=FULL: a commit is on disk (fsync of the WAL)
    before `rate` returns, so an acknowledged rating survives kill -9 and power loss alike."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()
