"""The four catalog queries on a tiny catalog whose answers are counted by hand: the sample plus a few
titles released in 1950 (no sample title is), with ratings written out below.

test_catalog_queries.py checks the same queries against pandas on the full data; these run on the sample
(in the fast suite too) and pin the rules a user sees: ties listed by title, "above" meaning strictly
above, an actor listed twice in one title counted once, movies and shows never mixed."""
from __future__ import annotations

import csv
import re

import pytest

from core.errors import UnknownCountry, UnknownMaturityRating
from core.settings import SAMPLE_RAW_DIR
from core.vocabulary import Platform
from fixture_scope import shared
from tiny_catalog import row, sample_plus

YEAR = 1950
NETFLIX = [
    row("s9001", "Movie", "Bravo", year=YEAR, duration="120 min", cast="Ann Lee, Bo Day, Ann Lee",
        country="Freedonia, Sylvania", rating="TV-Y7-FV"),
    row("s9002", "Movie", "Alpha", year=YEAR, duration="120 min", cast="Bo Day, Cy Fox", country="Freedonia"),
    row("s9003", "Movie", "Charlie", year=YEAR, duration="90 min", cast="Cy Fox, Ann Lee", country="Sylvania"),
    row("s9004", "TV Show", "Delta", year=YEAR, duration="4 Seasons", cast="Ann Lee", country="Sylvania"),
    row("s9005", "TV Show", "Echo", year=YEAR, duration="3 Seasons", cast="Dee Gray", rating=""),
]
AMAZON = [row("s9001", "Movie", "Foxtrot", year=YEAR, duration="150 min", cast="Zed Ray", country="Freedonia")]
RATINGS = [
    [90001, 4.0, "ns9001"], [90002, 5.0, "ns9001"],  # Bravo: 4.5
    [90001, 3.0, "ns9002"],  # Alpha: 3.0
    [90001, 3.5, "ns9003"], [90002, 4.0, "ns9003"],  # Charlie: 3.75
    [90003, 5.0, "ns9004"],  # Delta (a show): 5.0
    # dropped by the ETL, so the means above stay: off the scale, not a half step, no such title, user 0
    [90003, 5.5, "ns9002"], [90003, 0.25, "ns9002"], [90003, 1.0, "ns9999"], [0, 1.0, "ns9002"],
]


@pytest.fixture(scope=shared("module"))
def catalog(tmp_path_factory):
    return sample_plus(tmp_path_factory.mktemp("tiny"), {"netflix": NETFLIX, "amazon": AMAZON}, RATINGS)


def names(titles) -> list[str]:
    return [t.display_title for t in titles]


def test_the_longest_movie_lists_every_tie_by_title(catalog):
    found = catalog.max_duration(YEAR, "netflix", "min")
    assert names(found.titles) == ["Alpha", "Bravo"] and found.duration_int == 120 and found.duration_type == "min"
    assert catalog.get_max_duration(YEAR, "netflix", "min") == "Alpha"


def test_the_longest_on_any_platform_and_shows_in_seasons(catalog):
    assert names(catalog.max_duration(YEAR).titles) == ["Foxtrot"]  # minutes by default, any platform
    assert catalog.max_duration(YEAR).duration_int == 150
    shows = catalog.max_duration(str(YEAR), "Netflix", "seasons")
    assert names(shows.titles) == ["Delta"] and shows.duration_int == 4 and shows.duration_type == "season"
    assert names(catalog.max_duration(YEAR, "amazon", "season").titles) == []  # no amazon show in 1950
    assert catalog.get_max_duration(YEAR, "amazon", "season") == ""
    assert catalog.max_duration(YEAR, "", "min").duration_int == 150  # an empty platform is any platform


def test_score_count_is_strictly_above(catalog):
    above_3 = catalog.score_count("netflix", 3, YEAR)
    assert (above_3.movies, above_3.tv_shows) == (2, 1)  # Bravo 4.5 and Charlie 3.75; not Alpha at 3.0
    assert catalog.score_count("netflix", 2.5, YEAR).movies == 3
    assert catalog.score_count("netflix", 3.75, YEAR).movies == 1
    above_top = catalog.score_count("netflix", 4.5, YEAR)
    assert (above_top.movies, above_top.tv_shows) == (0, 1)
    assert catalog.score_count("netflix", 5, YEAR).tv_shows == 0
    assert catalog.score_count("amazon", 0, YEAR).movies == 0  # Foxtrot has no rating: no score to be above
    assert catalog.get_score_count("netflix", "3,0", YEAR) == 2


def test_dropped_ratings_leave_the_means_and_counts(catalog):
    alpha, bravo, charlie = (catalog.by_id(i) for i in ("ns9002", "ns9001", "NS9003 "))
    assert (alpha.score, alpha.rating_count) == (3.0, 1)
    assert (bravo.score, bravo.rating_count) == (4.5, 2)
    assert (charlie.score, charlie.rating_count) == (3.75, 2)
    assert catalog.by_id("as9001").rating_count == 0 and catalog.by_id("ns9999") is None


def test_top_actors_count_titles_once_each_and_break_ties_by_name(catalog):
    ranked = [(a.name, a.count) for a in catalog.top_actors("netflix", YEAR, None)]
    assert ranked == [("ann lee", 3), ("bo day", 2), ("cy fox", 2), ("dee gray", 1)]
    assert [a.name for a in catalog.top_actors("netflix", YEAR)] == ["ann lee", "bo day", "cy fox"]
    assert [a.name for a in catalog.top_actors("netflix", YEAR, 2)] == ["ann lee", "bo day"]
    assert catalog.top_actors("netflix", YEAR, 0) == () and catalog.top_actors("netflix", YEAR, -1) == ()
    assert catalog.get_actor("amazon", YEAR) == "zed ray"
    assert catalog.get_actor("hulu", YEAR) == ""


def test_countries_count_by_type_and_year(catalog):
    assert catalog.count_by_country("movie", "Freedonia", YEAR) == 3  # Bravo, Alpha, Foxtrot
    assert catalog.count_by_country("movie", "freedonia") == 3  # any year
    assert catalog.count_by_country("movie", "Sylvania", YEAR) == 2
    assert catalog.count_by_country("tv show", "Sylvania", YEAR) == 1
    assert catalog.count_by_country("tv show", "Freedonia", YEAR) == 0
    assert catalog.count_by_country("movie", "Freedonia", 1951) == 0
    assert catalog.country(" FREEDONIA ") == "freedonia"
    with pytest.raises(UnknownCountry) as unknown:
        catalog.country("Freedonya")
    assert unknown.value.choices[0] == "freedonia" and len(unknown.value.choices) == 3


def test_maturity_ratings_in_any_spelling(catalog):
    for typed in ("TV-Y7-FV", "tv y7 fv", "TVY7FV", "tv_y7_fv"):
        assert catalog.maturity_rating(typed) == "tv-y7-fv" and catalog.count_by_rating(typed) == 1
    with pytest.raises(UnknownMaturityRating) as unknown:
        catalog.maturity_rating("TV-Y9")
    assert "tv-y7-fv" in unknown.value.choices and unknown.value.choices == tuple(sorted(unknown.value.choices))


def unrated_in_raw_files() -> int:
    """Rows of the sample's files (read with the csv module) with no maturity rating: an empty one, or a
    duration typed in its place ("90 min", "2 Seasons"); plus Echo above."""
    duration = re.compile(r"^\d+ (min|seasons?)$", re.IGNORECASE)
    blank = 0
    for path in SAMPLE_RAW_DIR.glob("*.csv"):
        with path.open(newline="", encoding="utf-8") as handle:
            blank += sum(1 for r in csv.DictReader(handle) if not r["rating"].strip() or duration.match(r["rating"]))
    return blank + 1


def test_titles_without_a_rating_are_counted_as_g_and_said_so(catalog):
    assert unrated_in_raw_files() >= 2
    assert catalog.unrated_counted_as("G") == catalog.unrated_counted_as(" g ") == unrated_in_raw_files()
    assert catalog.unrated_counted_as("PG") == 0
    assert catalog.count_by_rating("g") >= unrated_in_raw_files()


def test_platform_counts_split_movies_and_shows(catalog):
    def raw_count(platform: str, kind: str) -> int:
        with (SAMPLE_RAW_DIR / f"{platform}.csv").open(newline="", encoding="utf-8") as handle:
            return sum(1 for r in csv.DictReader(handle) if r["type"] == kind)

    netflix = catalog.count_platform("netflix")
    assert netflix.platform is Platform.NETFLIX
    assert netflix.movies == raw_count("netflix", "Movie") + 3
    assert netflix.tv_shows == raw_count("netflix", "TV Show") + 2
    assert catalog.get_count_platform("netflix") == netflix.movies + netflix.tv_shows
