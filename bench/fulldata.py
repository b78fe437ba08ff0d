"""Where the full data lives: the raw catalogs in ../shared and ratings rebuilt beside the project.

The ratings are never committed; ../shared/tools/make_ratings.py rebuilds them (about 20 s) into
the ignored folder data/ratings_full/ (or $FULL_RATINGS_DIR) the first time they are needed.
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from core.settings import SHARED, full_data_dir, full_ratings_dir, full_raw_dir

# Read once through the settings path (flags > environment > .env > defaults) of every entry point.
FULL_RAW_DIR = full_raw_dir()
FULL_RATINGS_DIR = full_ratings_dir()
FULL_DATA_DIR = full_data_dir()
MAKE_RATINGS = SHARED / "tools" / "make_ratings.py"
RAW_FILES = ("amazon_prime_titles.csv", "disney_plus_titles.csv", "hulu_titles.csv", "netflix_titles.csv")
HOW_TO_GET_IT = ("put the shared folder beside the project (../shared), or set FULL_RAW_DIR and FULL_RATINGS_DIR; "
                 "skip these tests with -m 'not full'")


class FullDataMissing(RuntimeError):
    pass


def missing_full_data() -> str | None:
    """One line naming what the full data lacks and how to get it, or None when it is all there."""
    absent = [str(FULL_RAW_DIR / name) for name in RAW_FILES if not (FULL_RAW_DIR / name).is_file()]
    if not (FULL_RATINGS_DIR / "8.csv").is_file() and not MAKE_RATINGS.is_file():
        absent.append(f"{FULL_RATINGS_DIR} (or {MAKE_RATINGS} to rebuild it)")
    if not absent:
        return None
    shown = absent if len(absent) < 4 else [str(FULL_RAW_DIR), *absent[4:]]
    return f"full data missing: {', '.join(shown)}; {HOW_TO_GET_IT}"


def ensure_full_ratings() -> Path:
    if not (FULL_RATINGS_DIR / "8.csv").is_file():
        if not MAKE_RATINGS.is_file():
            raise FullDataMissing(f"the full data is missing: {MAKE_RATINGS} (put ../shared beside the project)")
        FULL_RATINGS_DIR.mkdir(parents=True, exist_ok=True)
        print(f"rebuilding the full ratings into {FULL_RATINGS_DIR} (about 20 s)", file=sys.stderr)
        subprocess.run([sys.executable, str(MAKE_RATINGS), "--out", str(FULL_RATINGS_DIR)], check=True)
    return FULL_RATINGS_DIR


def ensure_full_processed() -> Path:
    """The full ETL output in data/processed_full/, built once, and again when `make run` would rebuild it
    (`etl.freshness`: another layout, changed inputs, or a recommender fit saved by other code: the bot
    would fit in process, and the benchmarks would measure that instead)."""
    from etl.freshness import freshness

    ratings = ensure_full_ratings()
    if freshness(FULL_DATA_DIR, FULL_RAW_DIR, ratings).rebuild or not (FULL_DATA_DIR / "ratings.parquet").is_file():
        from etl.pipeline import run

        run(FULL_RAW_DIR, ratings, FULL_DATA_DIR)
    return FULL_DATA_DIR
