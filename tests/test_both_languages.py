"""Both languages and forgiving words: country names and the /stats chart in Spanish; clear words that
were refused (`/maxduration tv 2019`, `/rating PG13`, `/rating tv ma`, `/country movie Deutschland`,
`/pais pelicula corea`). Expected values are hand-written or counted from the raw CSV files here."""
from __future__ import annotations

import csv

import pytest

import charts
from bench import fulldata
from bot import render
from core.vocabulary import normalise_country
from tests.test_bot_handlers import one_reply
from tests.test_honest_cards import RAW_FILES, full_session, session  # noqa: F401 (the bot on each catalog)


def raw_type(row: dict) -> str:
    """The assignment's type, with the repair the README names: a "movie" lasting seasons is a show
    (the duration sits in the rating column on some Hulu rows)."""
    return "TV Show" if "Season" in row["duration"] + row["rating"] else row["type"]


def raw_count(kind: str, country: str) -> int:
    found = 0
    for name in RAW_FILES.values():
        with open(fulldata.FULL_RAW_DIR / name, newline="", encoding="utf-8") as handle:
            found += sum(raw_type(row) == kind and country in [c.strip() for c in row["country"].split(",")]
                         for row in csv.DictReader(handle))
    return found


@pytest.mark.parametrize("typed, name", [
    ("Deutschland", "germany"), ("Allemagne", "germany"), ("corea", "south korea"), ("Korea", "south korea"),
    ("Corea del Sur", "south korea"),
    ("Japón", "japan"), ("turquía", "turkey"), ("Chequia", "czech republic"), ("Reino Unido", "united kingdom"),
    ("Suiza", "switzerland"), ("germany", "germany"), ("soviet union", "soviet union"),
])
def test_country_names_in_other_languages(typed, name):
    assert normalise_country(typed) == name


@pytest.mark.parametrize("name, spanish", [
    ("germany", "Alemania"), ("south korea", "Corea del Sur"), ("japan", "Japón"), ("united states", "Estados Unidos"),
    ("spain", "España"), ("hong kong", "Hong Kong"), ("soviet union", "Unión Soviética"), ("turkey", "Turquía"),
])
def test_country_names_read_in_spanish(name, spanish):
    assert render.country_label(name, "es") == spanish


@pytest.mark.full
async def test_country_answers_name_the_country_in_the_readers_language(full_session):
    germany = raw_count("Movie", "Germany")
    assert one_reply(await full_session.message("/country movie Deutschland")) == f"Movies from Germany: {germany}."
    assert one_reply(await full_session.message("/pais pelicula Deutschland", lang="es")) == (
        f"Películas de Alemania: {germany}.")
    korea = raw_count("Movie", "South Korea")
    assert one_reply(await full_session.message("/pais pelicula corea", lang="es")) == (
        f"Películas de Corea del Sur: {korea}.")
    assert one_reply(await full_session.message("/pais serie japon", lang="es")).startswith("Series de Japón:")
    refused = one_reply(await full_session.message("/pais pelicula narnia", lang="es"))
    assert "Armenia" in refused and "Lituania" in refused  # the closest names, in Spanish too


async def test_clear_words_are_understood(session, sample_catalog):
    shows = sample_catalog.max_duration(2019, None, "season")
    answer = one_reply(await session.message("/maxduration tv 2019"))
    assert answer.startswith("The longest TV show (any platform, 2019):") and shows.titles[0].display_title in answer
    movies = one_reply(await session.message("/maxduration 2019 movie"))
    assert movies.startswith("The longest movie (any platform, 2019):")
    pg13 = sample_catalog.count_by_rating("pg-13")
    assert one_reply(await session.message("/rating PG13")) == f"Titles rated PG-13: {pg13}."
    tv_ma = sample_catalog.count_by_rating("tv-ma")
    for typed in ("tv ma", "TV_MA", "tvma"):
        assert one_reply(await session.message(f"/rating {typed}")) == f"Titles rated TV-MA: {tv_ma}."
    assert one_reply(await session.message("/rating xyz")).startswith("I don't know the rating")


def test_the_stats_chart_is_drawn_in_the_readers_language(sample_catalog):
    chart = charts.titles_per_year(sample_catalog, None, render.chart_words("es"))
    axes = chart.figure.axes[0]
    assert axes.get_xlabel() == "año de estreno" and axes.get_ylabel() == "títulos"
    assert axes.get_title() == "Títulos por año de estreno: todas las plataformas"
    assert [t.get_text() for t in axes.get_legend().get_texts()] == ["películas", "series"]
    english = charts.titles_per_year(sample_catalog, None).figure.axes[0]
    assert english.get_xlabel() == "release year" and english.get_title() == "Titles per release year: all platforms"


async def test_stats_in_spanish_and_english_are_two_charts(session):
    [es] = [c for c in await session.message("/stats", lang="es") if c.method == "sendPhoto"]
    [en] = [c for c in await session.message("/stats", lang="en") if c.method == "sendPhoto"]
    assert es.files and en.files and next(iter(es.files.values())) != next(iter(en.files.values()))
    assert render.plain(es.text).startswith("Títulos por año de estreno y tipo")
