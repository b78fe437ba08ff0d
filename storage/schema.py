"""The tables, defined once (SQLAlchemy Core). `migrations.py` creates and changes them, version by version.

Items are keyed by user and `title_id`: the catalog id of the work's representative copy (its first
member in catalog order, e.g. "as123"), so one work rated on its Netflix card and again on its Amazon
card is one row. Title ids stay stable across ETL rebuilds; when the ETL's `work_id` lands, the
representative id is still a member id, so nothing stored changes.
"""
from __future__ import annotations

from sqlalchemy import (
    BigInteger, Boolean, Column, DateTime, Float, ForeignKey, Index, Integer, MetaData, String, Table, Text,
)

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

# ---- movie nights (issue 12): a group's night, its members, each round's candidates and the votes ------
# A night is open until its state is "over"; one open night per chat (a partial unique index), so two
# workers pressing at once cannot start two. Every step that must happen once (the pick, ending a round)
# is a conditional UPDATE of `state`: the worker whose UPDATE changed the row does it, the others do nothing.
nights = Table(
    "nights", metadata,
    Column("night_id", Integer, primary_key=True, autoincrement=True),
    Column("chat_id", BigInteger, nullable=False),
    Column("starter_id", BigInteger, nullable=False),
    Column("lang", String(8), nullable=False),  # the starter's language: the group's messages use it
    Column("words", Text, nullable=False),  # the narrowing words as typed ("comedy under 2h")
    Column("state", String(16), nullable=False),  # lobby | picking | voting | counting | counted | over
    Column("round", Integer, nullable=False),  # 0 in the lobby, then 1, 2… per poll
    Column("timeout_minutes", Integer, nullable=False),
    Column("deadline", DateTime(timezone=True)),  # when the open poll ends by itself (NULL: no poll open)
    Column("lobby_message_id", BigInteger),
    Column("poll_id", String(64)),
    Column("poll_message_id", BigInteger),
    Column("winner_id", String(TITLE_ID)),
    Column("updated_at", DateTime(timezone=True), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
Index("nights_one_open_per_chat", nights.c.chat_id, unique=True,
      sqlite_where=nights.c.state != "over", postgresql_where=nights.c.state != "over")
Index("nights_by_poll", nights.c.poll_id)
Index("nights_by_deadline", nights.c.state, nights.c.deadline)

night_members = Table(
    "night_members", metadata,
    Column("night_id", Integer, ForeignKey("nights.night_id", ondelete="CASCADE"), primary_key=True),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("name", String(64), nullable=False),  # the first name shown in the lobby
    Column("joined", Boolean, nullable=False),  # False: pressed "I'm out" or left the group
    Column("at", DateTime(timezone=True), nullable=False),
)

night_candidates = Table(
    "night_candidates", metadata,
    Column("night_id", Integer, ForeignKey("nights.night_id", ondelete="CASCADE"), primary_key=True),
    Column("round", Integer, primary_key=True, autoincrement=False),
    Column("position", Integer, primary_key=True, autoincrement=False),  # the poll option's index
    Column("title_id", String(TITLE_ID), nullable=False),
    Column("score", Float, nullable=False),  # the combined taste (breaks ties); never one member's rating
)

night_votes = Table(
    "night_votes", metadata,
    Column("night_id", Integer, ForeignKey("nights.night_id", ondelete="CASCADE"), primary_key=True),
    Column("round", Integer, primary_key=True, autoincrement=False),
    Column("user_id", BigInteger, primary_key=True, autoincrement=False),
    Column("options", String(64), nullable=False),  # the chosen option indexes, comma-separated
    Column("at", DateTime(timezone=True), nullable=False),
)

NIGHT_TABLES = (nights, night_members, night_candidates, night_votes)
