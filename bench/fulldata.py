"""Where the full data lives: the raw catalogs in ../shared and ratings rebuilt beside the project.

The ratings are never committed; ../shared/tools/make_ratings.py rebuilds them (about 20 s) into
the ignored folder data/ratings_full/ (or $FULL_RATINGS_DIR) the first time they are needed.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from core.settings import PROJECT_ROOT

SHARED = PROJECT_ROOT.parent / "shared"
FULL_RAW_DIR = Path(os.environ.get("FULL_RAW_DIR", SHARED / "data" / "raw"))
FULL_RATINGS_DIR = Path(os.environ.get("FULL_RATINGS_DIR", PROJECT_ROOT / "data" / "ratings_full"))
FULL_DATA_DIR = Path(os.environ.get("FULL_DATA_DIR", PROJECT_ROOT / "data" / "processed_full"))
MAKE_RATINGS = SHARED / "tools" / "make_ratings.py"


class FullDataMissing(RuntimeError):
    pass


def ensure_full_ratings() -> Path:
    if not (FULL_RATINGS_DIR / "8.csv").is_file():
        if not MAKE_RATINGS.is_file():
            raise FullDataMissing(f"the full data is missing: {MAKE_RATINGS} (put ../shared beside the project)")
        FULL_RATINGS_DIR.mkdir(parents=True, exist_ok=True)
        print(f"rebuilding the full ratings into {FULL_RATINGS_DIR} (about 20 s)", file=sys.stderr)
        subprocess.run([sys.executable, str(MAKE_RATINGS), "--out", str(FULL_RATINGS_DIR)], check=True)
    return FULL_RATINGS_DIR


def ensure_full_processed() -> Path:
    """The full ETL output in data/processed_full/, built once."""
    if not (FULL_DATA_DIR / "ratings.parquet").is_file():
        from etl.pipeline import run

        run(FULL_RAW_DIR, ensure_full_ratings(), FULL_DATA_DIR)
    return FULL_DATA_DIR
