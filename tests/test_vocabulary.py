"""The words users type, parsed alone: hand-written spellings and the answers a user expects, at every bound.

The bot's own tests go through these parsers, but only with the common spellings; here each bound and each
kind of refusal, so that a year of 1899 is refused and 1900 accepted, a score of 5 is fine and 5.1 is not."""
from __future__ import annotations

import pytest

from core.countries import typed_names
from core.errors import InvalidScore, InvalidYear, UnknownDurationType, UnknownPlatform, UnknownTitleType
from core.normalise import normalise_title, title_words
from core.vocabulary import (
    MINUTES,
    MOVIE,
    SEASONS,
    TV_SHOW,
    Platform,
    duration_type_of,
    is_duration_type,
    is_platform,
    is_title_type,
    is_year,
    normalise_country,
    normalise_maturity_rating,
    parse_duration_type,
    parse_platform,
    parse_score,
    parse_title_type,
    parse_year,
)


@pytest.mark.parametrize("typed, year", [("1900", 1900), (" 2100 ", 2100), (2019, 2019), ("1999", 1999)])
def test_years_in_range_are_accepted(typed, year):
    assert parse_year(typed) == year
    assert is_year(str(typed))


@pytest.mark.parametrize("typed", ["1899", "2101", "0", "20l9", "²⁰¹⁹", "", "-2019", "2019.0"])
def test_years_out_of_range_or_not_numbers_are_refused(typed):
    with pytest.raises(InvalidYear) as refused:
        parse_year(typed)
    assert refused.value.value == typed
    assert not is_year(typed)


def test_is_year_wants_four_digits():
    # "is this word a year?" decides whether "/search 300" looks for a year or a title.
    assert not is_year("01999") and not is_year("999") and is_year("2000")


@pytest.mark.parametrize("typed, score", [("0", 0.0), ("5", 5.0), ("3,5", 3.5), (" 4.25 ", 4.25), (2, 2.0)])
def test_scores_on_the_star_scale_are_accepted(typed, score):
    assert parse_score(typed) == score


@pytest.mark.parametrize("typed", ["5.1", "-0.1", "six", "", "3,5,1", "nan"])
def test_scores_off_the_scale_or_not_numbers_are_refused(typed):
    with pytest.raises(InvalidScore) as refused:
        parse_score(typed)
    assert refused.value.value == typed


@pytest.mark.parametrize("typed, platform", [
    ("Netflix", Platform.NETFLIX), ("  PRIME   video ", Platform.AMAZON), ("amazon prime video", Platform.AMAZON),
    ("Disney+", Platform.DISNEY), ("disney plus", Platform.DISNEY), ("hulu", Platform.HULU),
    (Platform.HULU, Platform.HULU),
])
def test_platform_spellings(typed, platform):
    assert parse_platform(typed) is platform
    if isinstance(typed, str):
        assert is_platform(typed)


def test_an_unknown_platform_is_refused_with_the_four_choices():
    with pytest.raises(UnknownPlatform) as refused:
        parse_platform("hbo")
    assert refused.value.value == "hbo"
    assert refused.value.choices == ("amazon", "disney", "hulu", "netflix")
    assert "unknown platform 'hbo'; expected one of: amazon, disney, hulu, netflix" in str(refused.value)
    assert not is_platform("hbo")


def test_platform_codes_and_labels():
    # the id prefixes the ETL gives each catalog's titles, and the names the bot shows
    assert {p.code: p.label for p in Platform} == {
        "a": "Amazon Prime Video", "d": "Disney+", "h": "Hulu", "n": "Netflix"}
    assert Platform.from_code("n") is Platform.NETFLIX and Platform.from_code("a") is Platform.AMAZON
    assert Platform.NETFLIX.raw_file == "netflix_titles.csv" and Platform.DISNEY.key == "disney"


@pytest.mark.parametrize("typed, unit", [
    ("min", MINUTES), ("Minutes", MINUTES), ("m", MINUTES), ("minutos", MINUTES),
    ("season", SEASONS), ("SEASONS", SEASONS), ("s", SEASONS), ("temporadas", SEASONS),
])
def test_duration_units(typed, unit):
    assert parse_duration_type(typed) == unit and is_duration_type(typed)


@pytest.mark.parametrize("typed, kind", [
    ("movie", MOVIE), ("Films", MOVIE), ("película", MOVIE), ("peliculas", MOVIE),
    ("tv show", TV_SHOW), ("TV", TV_SHOW), ("series", TV_SHOW), ("tv-show", TV_SHOW),
])
def test_title_types(typed, kind):
    assert parse_title_type(typed) == kind and is_title_type(typed)


def test_unknown_units_and_types_are_refused_with_their_choices():
    with pytest.raises(UnknownDurationType) as unit:
        parse_duration_type("hours")
    assert unit.value.choices == ("min", "season")
    with pytest.raises(UnknownTitleType) as kind:
        parse_title_type("podcast")
    assert kind.value.choices == ("movie", "tv")
    assert not is_duration_type("hours") and not is_title_type("podcast")


def test_movies_are_measured_in_minutes_and_shows_in_seasons():
    assert duration_type_of("movie") == "min" and duration_type_of("tv show") == "season"


@pytest.mark.parametrize("typed, rating", [
    ("TV-MA", "tv-ma"), ("ages_16_", "16+"), ("18", "18+"), ("ALL_AGES", "all"), (" not rated ", "nr"),
    ("unrated", "nr"), ("UR", "nr"), ("PG-13", "pg-13"),
])
def test_maturity_spellings(typed, rating):
    assert normalise_maturity_rating(typed) == rating


@pytest.mark.parametrize("typed, country", [
    ("USA", "united states"), ("EE.UU.", "united states"), ("España", "spain"), ("espana", "spain"),
    ("“Japón”", "japan"), ("Korea", "south korea"), ("  United   Kingdom ", "united kingdom"),
    ("Deutschland", "germany"), ("Atlantis", "atlantis"), ("Côte Nowhere", "cote nowhere"), ("'' ", ""),
])
def test_country_spellings(typed, country):
    assert normalise_country(typed) == country


@pytest.mark.parametrize("typed, key", [
    ("The Irishman", "irishman"), ("Grey's Anatomy", "greys anatomy"), ("Rick & Morty", "rick and morty"),
    ("WALL-E", "wall e"), ("Frozen II", "frozen 2"), ("Star Wars: Episode V", "star wars episode 5"),
    ("Malcolm X", "malcolm x"), ("The Lion King 1 1/2", "lion king 1 1of2"), ("Amélie", "amelie"),
    ("The", "the"), ("A", "a"), ("Part I", "part 1"), ("I Am Mother", "i am mother"),
])
def test_title_search_keys(typed, key):
    assert normalise_title(typed) == key


def test_title_words_keep_the_articles():
    assert title_words("The Empire: Part IV") == ["the", "empire", "part", "4"]


def test_country_names_typed_with_accents_are_read_without_them():
    names = typed_names()  # keys: any of six languages' names, lowercase without accents
    assert names["japon"] == "japan" and names["etats-unis"] == "united states" and names["turquia"] == "turkey"
    assert "japón" not in names
