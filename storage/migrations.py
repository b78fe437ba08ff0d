"""Versioned migrations: `MIGRATIONS[i]` takes the schema from version i to i + 1, once, in one transaction.

The applied versions are rows of `schema_version`; start-up applies the missing ones in order. A new
schema change is a new function appended here (never an edit of an applied one), so every database,
SQLite or PostgreSQL, goes through the same steps.
"""
from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import Connection, inspect, select

from storage import schema


def _v1_tables(connection: Connection) -> None:
    """Users' settings (moved out of the pickle) and their ratings, seen marks, watchlist and hidden titles."""
    tables = [schema.meta, schema.users, *schema.ITEM_TABLES]
    schema.metadata.create_all(connection, tables=tables)


def _v2_movie_nights(connection: Connection) -> None:
    """Movie nights (issue 12): a group's night, its members, each round's candidates and votes."""
    schema.metadata.create_all(connection, tables=list(schema.NIGHT_TABLES))


MIGRATIONS: tuple[Callable[[Connection], None], ...] = (
    _v1_tables,
    _v2_movie_nights,
)
LATEST = len(MIGRATIONS)


def applied_version(connection: Connection) -> int:
    if not inspect(connection).has_table(schema.schema_version.name):
        return 0
    versions = connection.execute(select(schema.schema_version.c.version)).scalars().all()
    return max(versions, default=0)


def migrate(connection: Connection) -> int:
    """Apply every missing migration (the caller's transaction makes it all or nothing); the version reached."""
    schema.schema_version.create(connection, checkfirst=True)
    version = applied_version(connection)
    if version > LATEST:
        raise RuntimeError(f"the database is at schema version {version}, newer than this code ({LATEST})")
    for step in range(version, LATEST):
        MIGRATIONS[step](connection)
        connection.execute(schema.schema_version.insert().values(version=step + 1, applied_at=datetime.now(UTC)))
    return LATEST
