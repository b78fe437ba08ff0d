"""Where the data lives. Flags win over these environment variables, which win over the defaults."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_RAW_DIR = PROJECT_ROOT / "data" / "sample"
DEFAULT_DATA_DIR = PROJECT_ROOT / "data" / "processed"


def _env_path(name: str) -> Path | None:
    value = os.environ.get(name, "").strip()
    return Path(value).expanduser() if value else None


def raw_dir() -> Path:
    """The raw catalogs (CATALOG_RAW_DIR); the authored sample by default."""
    return _env_path("CATALOG_RAW_DIR") or SAMPLE_RAW_DIR


def ratings_dir(raw: Path) -> Path:
    """The per-user ratings files (CATALOG_RATINGS_DIR); RAW/ratings by default."""
    return _env_path("CATALOG_RATINGS_DIR") or raw / "ratings"


def data_dir() -> Path:
    """The ETL's output, which the bot loads (CATALOG_DATA_DIR)."""
    return _env_path("CATALOG_DATA_DIR") or DEFAULT_DATA_DIR
