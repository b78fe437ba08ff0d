"""Storage: the database behind everything a person tells the bot (shell, like bot/; core never imports it).

See `storage.store.Storage`; the tables are in `storage.schema`, their versions in `storage.migrations`.
"""
from storage.store import (
    MEMORY_URL,
    ImportItem,
    ItemStatus,
    Night,
    NightMember,
    RoundCandidate,
    Storage,
    StorageBroken,
    StorageUnavailable,
    Taste,
    Tally,
    UserSettings,
    Vote,
    engine_url,
    sqlite_path,
)

__all__ = [
    "MEMORY_URL", "ImportItem", "ItemStatus", "Night", "NightMember", "RoundCandidate", "Storage", "StorageBroken",
    "StorageUnavailable", "Taste", "Tally", "UserSettings", "Vote", "engine_url", "sqlite_path",
]
