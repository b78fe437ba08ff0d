"""The values core hands out: immutable records, never Telegram objects or formatted text."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from core.vocabulary import Platform


@dataclass(frozen=True, slots=True)
class Title:
    """One catalog row. Text is lowercase as the ETL stores it, except `display_title`."""

    index: int  # row of the titles table
    id: str  # platform letter + show_id, e.g. "ns1234"
    platform: Platform
    type: str  # "movie" or "tv show"
    title: str  # lowercase
    display_title: str  # original casing, for people
    release_year: int
    duration_int: int | None
    duration_type: str  # "min" or "season"
    rating: str  # maturity rating, e.g. "pg-13"
    genres: tuple[str, ...]  # listed_in on the one vocabulary of core/genres.py
    cast: tuple[str, ...]
    directors: tuple[str, ...]
    countries: tuple[str, ...]
    description: str
    date_added: dt.date | None
    score: float | None  # mean user rating, unrounded
    rating_count: int
    # Layout 2, for display only: the raw text (same items, same order as the lowercase tuples above).
    display_cast: tuple[str, ...] = ()
    display_directors: tuple[str, ...] = ()
    display_countries: tuple[str, ...] = ()
    display_description: str = ""
    rating_unknown: bool = False  # no maturity rating in the raw data; `rating` is "g" by the assignment's rule


@dataclass(frozen=True, slots=True)
class WorkSummary:
    """What names a work to a person: shared by search candidates and suggestions.

    `id` is the catalog id to use (on the user's preferred platform when given); `title_ids` are all
    the work's ids, one per platform copy, `id` first; `platforms` are where it streams.
    """

    id: str
    display_title: str
    year: int
    type: str
    platforms: tuple[Platform, ...]
    title_ids: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MaxDuration:
    """The longest titles matching the filters; several when tied, ordered by title."""

    titles: tuple[Title, ...]
    duration_int: int | None
    duration_type: str
    year: int | None
    platform: Platform | None


@dataclass(frozen=True, slots=True)
class ScoreCount:
    platform: Platform
    threshold: float
    year: int
    movies: int
    tv_shows: int


@dataclass(frozen=True, slots=True)
class PlatformCount:
    platform: Platform
    movies: int
    tv_shows: int

    @property
    def total(self) -> int:
        return self.movies + self.tv_shows


@dataclass(frozen=True, slots=True)
class ActorCount:
    name: str  # lowercase, as stored
    count: int
