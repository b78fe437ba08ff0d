"""Small catalogs written by a test: the authored sample plus a few rows the test spells out.

The sample gives the recommender and the resolver a realistic background (the description TF-IDF needs
more than a handful of titles); the rows a test adds are the ones its assertions are about, so the
expected answers are written by hand, never computed by the code under test.

    catalog = sample_plus(tmp_path, {"netflix": [row("s9001", "Movie", "Vardo", ...)]}, [[90001, 5.0, "ns9001"]])
"""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

from core import Catalog
from core.settings import SAMPLE_RAW_DIR
from etl.pipeline import run

HEADER = ["show_id", "type", "title", "director", "cast", "country", "date_added", "release_year", "rating",
          "duration", "listed_in", "description"]
RATINGS_HEADER = ["userId", "rating", "timestamp", "movieId"]


def row(show_id: str, kind: str, title: str, *, director: str = "", cast: str = "", country: str = "",
        year: int | str = 2000, genres: str = "", description: str = "", duration: str = "",
        date_added: str = "", rating: str = "PG") -> list[str]:
    """One raw catalog row, as the Kaggle files spell it (`kind` is "Movie" or "TV Show")."""
    duration = duration or ("100 min" if kind == "Movie" else "1 Season")
    return [show_id, kind, title, director, cast, country, date_added, str(year), rating, duration, genres,
            description]


def write_csv(path: Path, rows: list[list]) -> None:
    with path.open("a" if path.exists() else "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def sample_raw_plus(folder: Path, titles: dict[str, list[list[str]]], ratings: list[list] = ()) -> Path:
    """A raw folder: the sample's files with `titles` ({"netflix": rows}) and `ratings`
    ([user, stars, movieId] rows) appended. Returns the folder."""
    shutil.copytree(SAMPLE_RAW_DIR, folder, ignore=shutil.ignore_patterns("*.py", "*.md"))
    for platform, rows in titles.items():
        write_csv(folder / f"{platform}.csv", rows)
    write_csv(folder / "ratings" / "added-9.csv",
              [RATINGS_HEADER, *([user, stars, 1_600_000_000 + k, movie] for k, (user, stars, movie) in
                                 enumerate(ratings))])
    return folder


def sample_plus(tmp_path: Path, titles: dict[str, list[list[str]]], ratings: list[list] = ()) -> Catalog:
    """The catalog the bot would load from the sample plus these rows (through the real ETL)."""
    raw = sample_raw_plus(tmp_path / "raw", titles, ratings)
    run(raw, raw / "ratings", tmp_path / "processed")
    return Catalog.load(tmp_path / "processed")
