"""The tables, defined once (SQLAlchemy Core). `migrations.py` creates and changes them, version by version.

Items are keyed by user and `title_id`: the catalog id of the work's representative copy (its first
member in catalog order, e.g. "as123"), so one work rated on its Netflix card and again on its Amazon
card is one row. Title ids stay stable across ETL rebuilds; when the ETL's `work_id` lands, the
representative id is still a member id, so nothing stored changes.
"""
from __future__ import annotations

from sqlalchemy import BigInteger, Column, DateTime, Float, Integer, MetaData, String, Table, Text

metadata = MetaData()

TITLE_ID = 16  # "ns8807": platform letter, "s", up to 7 digits, with room to spare

schema_version = Table(
    "schema_version", metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", DateTime(timezone=True), nullable=False),
)

# Key/value facts about this database itself (e.g. which pickle was migrated into it).
meta = Table(
    "meta", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

users = Table(
    "users", metadata,
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),  # the Telegram user id
    Column("lang", String(8)),  # "en" | "es"; NULL: follow Telegram's language
    Column("platforms", String(64)),  # platform keys, comma-separated; NULL: every platform
    Column("onboarded_at", DateTime(timezone=True)),  # the first /start's questions answered or skipped
    Column("created_at", DateTime(timezone=True), nullable=False),
)


def _item_table(name: str, *extra: Column) -> Table:
    """A per-user set of titles: (user, title) is the key, with when it was added."""
    return Table(
        name, metadata,
        Column("user_id", BigInteger, primary_key=True, autoincrement=False),
        Column("title_id", String(TITLE_ID), primary_key=True),
        *extra,
        Column("at", DateTime(timezone=True), nullable=False),
    )


ratings = _item_table("ratings", Column("stars", Float, nullable=False))  # 0.5..5.0 in half steps
seen = _item_table("seen")
watchlist = _item_table("watchlist")
hidden = _item_table("hidden")  # "not for me"

ITEM_TABLES = (ratings, seen, watchlist, hidden)
