"""Where the data lives, and the one settings path every entry point reads.

`python -m etl`, `python -m bot`, `python -m bot console` and `python -m bench` all read their settings
here: a command-line flag wins over the environment, which wins over `.env` (the project's, or the file
`BOT_ENV_FILE` names in the environment), which wins over the defaults. `.env.example` lists every setting.
"""
from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from dotenv import dotenv_values

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SAMPLE_RAW_DIR = PROJECT_ROOT / "data" / "sample"
DEFAULT_DATA_DIR = PROJECT_ROOT / "data" / "processed"
ENV_FILE = PROJECT_ROOT / ".env"  # unless the environment's BOT_ENV_FILE names another
SHARED = PROJECT_ROOT.parent / "shared"


def env_file_path(environ: Mapping[str, str]) -> Path:
    override = environ.get("BOT_ENV_FILE", "").strip()
    return Path(override).expanduser() if override else ENV_FILE


def setting_values(environ: Mapping[str, str] | None = None, env_file: Path | None = None) -> dict[str, str]:
    """Every non-empty setting: `env_file` (default: BOT_ENV_FILE's file, else the project's .env), then the
    environment over it. A missing file is no settings."""
    environ = os.environ if environ is None else environ
    env_file = env_file or env_file_path(environ)
    values = {k: v for k, v in (dotenv_values(env_file) if env_file.is_file() else {}).items() if v}
    values.update({k: v for k, v in environ.items() if v})
    return values


def setting(name: str, values: Mapping[str, str] | None = None) -> str:
    values = setting_values() if values is None else values
    return values.get(name, "").strip()


def _path(name: str, values: Mapping[str, str] | None) -> Path | None:
    value = setting(name, values)
    return Path(value).expanduser() if value else None


def raw_dir(values: Mapping[str, str] | None = None) -> Path:
    """The raw catalogs (CATALOG_RAW_DIR); the authored sample by default."""
    return _path("CATALOG_RAW_DIR", values) or SAMPLE_RAW_DIR


def ratings_dir(raw: Path, values: Mapping[str, str] | None = None) -> Path:
    """The per-user ratings files (CATALOG_RATINGS_DIR); RAW/ratings by default."""
    return _path("CATALOG_RATINGS_DIR", values) or raw / "ratings"


def data_dir(values: Mapping[str, str] | None = None) -> Path:
    """The ETL's output, which the bot loads (CATALOG_DATA_DIR)."""
    return _path("CATALOG_DATA_DIR", values) or DEFAULT_DATA_DIR


def full_raw_dir(values: Mapping[str, str] | None = None) -> Path:
    """The published catalogs for the full-data tests and benchmarks (FULL_RAW_DIR)."""
    return _path("FULL_RAW_DIR", values) or SHARED / "data" / "raw"


def full_ratings_dir(values: Mapping[str, str] | None = None) -> Path:
    """The 11M ratings rebuilt from ../shared (FULL_RATINGS_DIR)."""
    return _path("FULL_RATINGS_DIR", values) or PROJECT_ROOT / "data" / "ratings_full"


def full_data_dir(values: Mapping[str, str] | None = None) -> Path:
    """The full ETL output the benchmarks build once and load (FULL_DATA_DIR)."""
    return _path("FULL_DATA_DIR", values) or PROJECT_ROOT / "data" / "processed_full"
