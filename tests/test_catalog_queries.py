"""Each catalog query against an independent pandas computation over the processed files."""
from __future__ import annotations

import random

import pandas as pd
import pyarrow.parquet as pq
import pytest

from core.errors import (
    InvalidScore,
    InvalidYear,
    UnknownCountry,
    UnknownDurationType,
    UnknownMaturityRating,
    UnknownPlatform,
    UnknownTitleType,
)
from core.vocabulary import COUNTRY_ALIASES, Platform, parse_platform

PLATFORMS = ["amazon", "disney", "hulu", "netflix"]


@pytest.fixture(scope="module")
def frame(full_processed) -> pd.DataFrame:
    titles = pq.read_table(full_processed / "titles.parquet").to_pandas()
    scores = pq.read_table(full_processed / "scores.parquet").to_pandas()
    titles = titles.merge(scores, on="id")
    titles["code"] = titles["id"].str[0]
    return titles


@pytest.fixture(scope="module")
def rng() -> random.Random:
    return random.Random(2026)


def expected_max_duration(frame, year, platform, unit):
    rows = frame[(frame["duration_type"] == unit) & frame["duration_int"].notna()]
    if year is not None:
        rows = rows[rows["release_year"] == year]
    if platform is not None:
        rows = rows[rows["code"] == platform[0]]
    if rows.empty:
        return []
    longest = rows[rows["duration_int"] == rows["duration_int"].max()]
    return longest.sort_values(["title", "id"])["id"].tolist()


def test_max_duration_matches_pandas(full_catalog, frame, rng):
    years = sorted(frame["release_year"].unique())
    for _ in range(300):
        year = rng.choice(years + [None])
        platform = rng.choice(PLATFORMS + [None])
        unit = rng.choice(["min", "season"])
        got = full_catalog.max_duration(year, platform, unit)
        assert [t.id for t in got.titles] == expected_max_duration(frame, year, platform, unit)
        assert all(t.duration_type == unit for t in got.titles)


def test_max_duration_known_answers(full_catalog):
    assert full_catalog.get_max_duration(2018, "netflix", "min") == "Black Mirror: Bandersnatch"
    assert full_catalog.max_duration(2018, "netflix", "min").duration_int == 312
    shows = full_catalog.max_duration(None, None, "seasons")
    assert shows.duration_type == "season" and shows.duration_int == 34
    # Units are never mixed: the longest show in seasons is not compared with minutes.
    assert full_catalog.max_duration(None, "hulu", "min").duration_int < 1_000


def test_max_duration_returns_every_tied_title_ordered_by_title(full_catalog, frame):
    ties = 0
    for year in range(2000, 2022):
        for platform in PLATFORMS:
            got = full_catalog.max_duration(year, platform, "season")
            titles = [t.title for t in got.titles]
            assert titles == sorted(titles)
            ties += len(titles) > 1
    assert ties > 0


def test_score_count_matches_pandas(full_catalog, frame, rng):
    years = sorted(frame["release_year"].unique())
    for _ in range(300):
        platform, year = rng.choice(PLATFORMS), rng.choice(years)
        threshold = rng.choice([3.0, 3.4, 3.5, 3.53, 3.6, 3.7, round(rng.uniform(3.3, 3.8), 3)])
        rows = frame[(frame["code"] == platform[0]) & (frame["release_year"] == year) & (frame["score"] > threshold)]
        got = full_catalog.score_count(platform, threshold, year)
        assert (got.movies, got.tv_shows) == ((rows["type"] == "movie").sum(), (rows["type"] == "tv show").sum())
        assert full_catalog.get_score_count(platform, threshold, year) == got.movies


def test_score_count_is_strictly_above_an_unrounded_mean(full_catalog, frame):
    title = frame[(frame["code"] == "n") & (frame["type"] == "movie")].iloc[0]
    exact = full_catalog.score_count("netflix", title["score"], title["release_year"])
    below = full_catalog.score_count("netflix", title["score"] - 1e-9, title["release_year"])
    assert below.movies == exact.movies + 1


def test_count_platform_splits_movies_and_shows(full_catalog, frame):
    for platform in PLATFORMS:
        rows = frame[frame["code"] == platform[0]]
        got = full_catalog.count_platform(platform)
        assert got.movies == (rows["type"] == "movie").sum()
        assert got.tv_shows == (rows["type"] == "tv show").sum()
        assert full_catalog.get_count_platform(platform) == len(rows)
    assert sum(full_catalog.get_count_platform(p) for p in PLATFORMS) == 22_998


def test_top_actors_match_pandas(full_catalog, frame, rng):
    years = sorted(frame["release_year"].unique())
    for _ in range(200):
        platform, year = rng.choice(PLATFORMS), rng.choice(years)
        rows = frame[(frame["code"] == platform[0]) & (frame["release_year"] == year)]
        cast = rows["cast"].map(lambda names: sorted(set(names))).explode().dropna()
        counts = cast.value_counts()
        expected = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:3]
        got = full_catalog.top_actors(platform, year)
        assert [(a.name, a.count) for a in got] == expected
        assert full_catalog.get_actor(platform, year) == (expected[0][0] if expected else "")


def test_count_by_country_and_rating_match_pandas(full_catalog, frame, rng):
    countries = sorted(set(frame["country"].explode().dropna()))
    years = sorted(frame["release_year"].unique())
    for _ in range(200):
        kind, country, year = rng.choice(["movie", "tv show"]), rng.choice(countries), rng.choice(years)
        rows = frame[(frame["type"] == kind) & (frame["release_year"] == year)]
        listing = rows["country"].map(lambda names, country=country: country in names).sum()
        assert full_catalog.count_by_country(kind, country, year) == listing
    assert full_catalog.count_by_country("movie", "India") == frame[
        (frame["type"] == "movie") & frame["country"].map(lambda c: "india" in c)].shape[0]
    for rating, count in frame["rating"].value_counts().items():
        assert full_catalog.count_by_rating(rating) == count
    assert full_catalog.count_by_rating("PG-13") == full_catalog.count_by_rating("pg-13")
    assert full_catalog.count_by_rating("AGES_16_") == full_catalog.count_by_rating("16+")


@pytest.mark.parametrize("name", ["amazon", "Prime", "AMAZON PRIME", " amazon  prime "])
def test_amazon_aliases(name):
    assert parse_platform(name) is Platform.AMAZON


@pytest.mark.parametrize("name,platform", [("disney", Platform.DISNEY), ("Disney+", Platform.DISNEY),
                                           ("HULU", Platform.HULU), ("netflix", Platform.NETFLIX)])
def test_platform_aliases(name, platform):
    assert parse_platform(name) is platform


def test_duration_units_are_accepted_in_any_spelling(full_catalog):
    for unit in ("min", "minutes", "MIN"):
        assert full_catalog.max_duration(2019, "netflix", unit).duration_type == "min"
    for unit in ("season", "seasons", "Seasons"):
        assert full_catalog.max_duration(2019, "netflix", unit).duration_type == "season"


@pytest.mark.parametrize("call,error", [
    (lambda c: c.max_duration(2018, "hbo", "min"), UnknownPlatform),
    (lambda c: c.max_duration(2018, "netflix", "hours"), UnknownDurationType),
    (lambda c: c.max_duration("20x8", "netflix", "min"), InvalidYear),
    (lambda c: c.score_count("netflix", "high", 2018), InvalidScore),
    (lambda c: c.score_count("netflix", 7, 2018), InvalidScore),
    (lambda c: c.top_actors("netflix", "last year"), InvalidYear),
    (lambda c: c.top_actors("netflix", "²⁰¹⁹"), InvalidYear),  # digits to str.isdigit(), not to int()
    (lambda c: c.count_by_country("cartoon", "india", 2018), UnknownTitleType),
    (lambda c: c.count_by_rating("xx-99"), UnknownMaturityRating),
    (lambda c: c.count_platform("apple tv"), UnknownPlatform),
])
def test_bad_arguments_raise_specific_errors(full_catalog, call, error):
    with pytest.raises(error) as raised:
        call(full_catalog)
    assert raised.value.value is not None
    assert str(raised.value)


@pytest.mark.parametrize(("typed", "name"), [
    ("usa", "united states"), ("U.S.", "united states"), ("Estados Unidos", "united states"),
    ("EEUU", "united states"), ("united states of america", "united states"), ("UK", "united kingdom"),
    ("england", "united kingdom"), ("Reino Unido", "united kingdom"), ("España", "spain"), ("espana", "spain"),
    ("Japón", "japan"), ("japon", "japan"), ("México", "mexico"), ("Canadá", "canada"), ("brasil", "brazil"),
    ("corea del sur", "south korea"), ("Alemania", "germany"), ('"France"', "france"), ("India", "india"),
])
def test_countries_are_found_by_their_common_names(full_catalog, frame, typed, name):
    assert full_catalog.country(typed) == name
    assert full_catalog.count_by_country("movie", typed) == full_catalog.count_by_country("movie", name) == frame[
        (frame["type"] == "movie") & frame["country"].map(lambda c: name in c)].shape[0] > 0


def test_every_alias_names_a_country_the_catalog_lists(full_catalog):
    assert set(COUNTRY_ALIASES.values()) <= set(full_catalog.countries)
    assert set(full_catalog.countries) == {c for t in full_catalog.titles for c in t.countries}


@pytest.mark.parametrize(("typed", "closest"), [
    ("atlantis", None), ("germny", "germany"), ("unted states", "united states"), ("south kore", "south korea"),
])
def test_a_country_no_title_lists_is_an_error_with_the_closest_names(full_catalog, typed, closest):
    with pytest.raises(UnknownCountry) as raised:
        full_catalog.count_by_country("movie", typed)
    assert raised.value.value == typed
    assert 1 <= len(raised.value.choices) <= 3 and set(raised.value.choices) <= set(full_catalog.countries)
    assert closest is None or raised.value.choices[0] == closest


@pytest.mark.parametrize("typed", ["", '""', "  ", "«»"])
def test_an_empty_country_is_an_error_not_a_count(full_catalog, typed):
    with pytest.raises(UnknownCountry) as raised:
        full_catalog.count_by_country("movie", typed)
    assert raised.value.choices == ()


def test_unknown_platform_error_lists_the_choices(full_catalog):
    with pytest.raises(UnknownPlatform) as raised:
        full_catalog.count_platform("hbo")
    assert raised.value.choices == ("amazon", "disney", "hulu", "netflix")


def test_empty_results_are_values_not_errors(full_catalog):
    assert full_catalog.max_duration(1900, "disney", "season").titles == ()
    assert full_catalog.get_max_duration(1900, "disney", "season") == ""
    assert full_catalog.top_actors("disney", 1901) == ()
    assert full_catalog.get_actor("disney", 1901) == ""
    assert full_catalog.score_count("hulu", 3.5, 1901).movies == 0


def test_queries_read_no_files_after_load(full_catalog, monkeypatch):
    import builtins

    import pyarrow.parquet

    def forbidden(*args, **kwargs):
        raise AssertionError("a query read a file")

    monkeypatch.setattr(builtins, "open", forbidden)
    monkeypatch.setattr(pyarrow.parquet, "read_table", forbidden)
    monkeypatch.setattr(pd, "read_parquet", forbidden)
    full_catalog.max_duration(2018, "netflix", "min")
    full_catalog.score_count("netflix", 3.5, 2018)
    full_catalog.count_platform("hulu")
    full_catalog.top_actors("amazon", 2019)
    full_catalog.count_by_country("movie", "india", 2018)
    full_catalog.count_by_rating("pg")


def test_user_ratings_slices_match_the_file(full_catalog, full_processed):
    ratings = pq.read_table(full_processed / "ratings.parquet").to_pandas()
    user = full_catalog.ratings.most_active_user()
    mine = ratings[ratings["user_id"] == user]
    rows, stars = full_catalog.ratings.of(user)
    assert [full_catalog.titles[r].id for r in rows] == mine["id"].astype(str).tolist()
    assert stars.tolist() == mine["rating"].tolist()
    assert len(full_catalog.ratings) == 115_077
    assert 0 not in full_catalog.ratings and full_catalog.ratings.of(0)[0].size == 0
