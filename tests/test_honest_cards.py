"""What a user sees on cards and answers: the raw text's own casing, "not rated", thresholds as typed,
verdicts that say what they rest on, tidy formatting, plurals, the catalogs' scope and ties.

Expected values come from the raw CSV files (read here with the csv module), hand-written cases, or a
second simple computation; never from the code under test."""
from __future__ import annotations

import csv
import re
from collections import Counter

import pytest

from bench import fulldata
from bot import render
from core.models import PlatformCount, ScoreCount
from core.recommend import Recommendation
from core.vocabulary import Platform
from tests.test_bot_handlers import full_session, one_reply, session  # noqa: F401 (the bot on each catalog)

RAW_FILES = {"a": "amazon_prime_titles.csv", "d": "disney_plus_titles.csv", "h": "hulu_titles.csv",
             "n": "netflix_titles.csv"}
DURATION = re.compile(r"^\s*\d+\s+(min|Seasons?)\s*$")


def raw_rows():
    for code, name in RAW_FILES.items():
        with open(fulldata.FULL_RAW_DIR / name, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                yield code, row


@pytest.fixture(scope="module")
def raw_by_id():
    return {code + row["show_id"]: row for code, row in raw_rows()}


# ---- original text -------------------------------------------------------------------------------
@pytest.mark.full
def test_display_columns_keep_the_raw_text_and_match_the_lowercase_ones(full_catalog, raw_by_id):
    for t in full_catalog.titles[::7]:
        raw = raw_by_id[t.id]
        for shown, lowered, column in ((t.display_cast, t.cast, "cast"), (t.display_directors, t.directors, "director"),
                                       (t.display_countries, t.countries, "country")):
            # (Python lowercases "İ" to "i" + a combining dot; the ETL's Arrow lowercasing to plain "i")
            assert [s.lower().replace("\u0307", "") for s in shown] == list(lowered)
            for name in shown:  # each item as the raw file writes it (whitespace tidied)
                assert name in " ".join(raw[column].split()), (t.id, name)
        assert t.display_description == " ".join(raw["description"].replace("\u200b", "").split())
    assert full_catalog.display_names["matt leblanc"] == "Matt LeBlanc"  # 6 titles so; "Matt Leblanc" twice


@pytest.mark.full
async def test_cards_show_names_and_descriptions_as_the_raw_data_writes_them(full_session):
    card = one_reply(await full_session.message("ns341"))  # Inception
    assert "Cast: Leonardo DiCaprio, Joseph Gordon-Levitt, Elliot Page, Tom Hardy" in card
    toy_story = one_reply(await full_session.message("ds1378"))
    assert "Meet Woody, Buzz and the gang" in toy_story
    parasite = one_reply(await full_session.message("hs1739"))
    assert "the destitute Kim clan" in parasite
    reasons = one_reply(await full_session.message("/similar friends"))
    assert "Matt Leblanc" not in reasons and "Leonardo Dicaprio" not in reasons


# ---- maturity ratings ------------------------------------------------------------------------------
@pytest.mark.full
def test_rating_unknown_flags_exactly_the_raw_rows_without_a_rating(full_catalog, raw_by_id):
    unknown = {i for i, row in raw_by_id.items() if not row["rating"].strip() or DURATION.match(row["rating"])}
    assert len(unknown) == 1_159
    assert {t.id for t in full_catalog.titles if t.rating_unknown} == unknown
    assert all(t.rating == "g" for t in full_catalog.titles if t.rating_unknown)


@pytest.mark.full
async def test_rating_g_says_how_many_were_unrated(full_session, raw_by_id):
    rated_g = sum(row["rating"].strip().upper() == "G" for row in raw_by_id.values())
    unrated = sum(not row["rating"].strip() or bool(DURATION.match(row["rating"])) for row in raw_by_id.values())
    text = one_reply(await full_session.message("/rating g"))
    assert text.startswith(f"Titles rated G: {rated_g + unrated:,}.")
    assert f"{rated_g:,} are rated G by their service and {unrated:,} have no rating at all" in text
    assert one_reply(await full_session.message("/rating pg")).count(":") == 1  # other ratings: one number


async def test_a_card_without_a_maturity_rating_says_not_rated(session, sample_catalog):
    unrated = next(t for t in sample_catalog.titles if t.rating_unknown)
    card = one_reply(await session.message(unrated.id))
    assert card.splitlines()[1].endswith("· not rated") and " · G" not in card
    assert one_reply(await session.message(unrated.id, lang="es")).splitlines()[1].endswith("· sin clasificar")


# ---- numbers as typed, plurals ---------------------------------------------------------------------
@pytest.mark.full
async def test_scorecount_shows_the_threshold_as_typed(full_session):
    assert "scored above 3.55:" in one_reply(await full_session.message("/scorecount netflix 3.55 2019"))
    assert "mayor que 3,55:" in one_reply(await full_session.message("/scorecount netflix 3.55 2019", lang="es"))


def test_counts_of_one_are_singular():
    one = PlatformCount(Platform.NETFLIX, 1, 1)
    assert render.count(one, "en").plain() == "Netflix has 2 titles: 1 movie and 1 TV show."
    assert render.count(one, "es").plain() == "Netflix tiene 2 títulos: 1 película y 1 serie."
    scored = render.score_count(ScoreCount(Platform.HULU, 4.0, 2019, 1, 0), "en").plain()
    assert scored.endswith("scored above 4: 1 movie and 0 TV shows.")
    assert render.score_text(4.0, 1, "en") == "★ 4.0 (1 rating)"


# ---- formatting -------------------------------------------------------------------------------------
@pytest.mark.full
async def test_a_year_in_the_title_is_not_repeated(full_session):
    card = one_reply(await full_session.message("ds645"))  # "Aladdin (2019)" in the raw file
    assert card.startswith("Aladdin (2019)\n") and "(2019) (2019)" not in card


async def test_an_unknown_duration_is_said_in_words(session, sample_catalog):
    unknown = next(t for t in sample_catalog.titles if t.duration_int is None)
    for asked in (f"/where {unknown.id}", unknown.id):
        reply = one_reply(await session.message(asked))
        assert "duration unknown" in reply and "?" not in reply


@pytest.mark.full
async def test_the_longest_title_does_not_repeat_the_filters(full_session):
    assert one_reply(await full_session.message("/maxduration 2018 netflix")) == (
        "The longest movie (Netflix, 2018): Black Mirror: Bandersnatch, 312 min.")
    assert "Black Mirror: Bandersnatch (2018)," in one_reply(await full_session.message("/maxduration netflix min"))


def test_reasons_keep_whole_parts():
    class Shared:
        directors = ("christopher nolan",)
        cast = ("a very long name indeed", "another very long name here", "and a third long one too")
        genres = ("science fiction", "action & adventure", "thrillers")

    said = render.reason(Shared, "en", limit=120)
    assert len(said) <= 120 and not said.endswith("…")
    assert said == "same director: Christopher Nolan; cast: A Very Long Name Indeed, Another Very Long Name Here, " \
                   "And A Third Long One Too"


# ---- verdicts -----------------------------------------------------------------------------------------
@pytest.mark.full
async def test_a_title_the_user_rated_is_answered_with_their_rating(full_session):
    text = one_reply(await full_session.message("/recommend 163828 parasite"))
    assert text.startswith("User 163828 rated Parasite ★ 5.0 themselves.")
    assert "would rate" not in text and "recommended" not in text


@pytest.mark.full
async def test_after_a_no_the_suggestions_are_not_more_of_the_same(full_session):
    text = one_reply(await full_session.message("/recommend 45315 frozen"))
    assert "probably not" in text and "Instead, they might like:" in text
    assert "Frozen" not in text.split("Instead")[1]  # not Frozen Fever, Frozen II, …


def test_a_verdict_resting_on_nothing_similar_says_so_without_yes_or_no(sample_catalog):
    title = sample_catalog.titles[0]
    rec = Recommendation(7, True, None, (), 3.2, False, 0, 3.2, None, ())
    for lang, plainly in (("en", "rated nothing similar"), ("es", "no ha valorado nada parecido")):
        text = render.recommendation(rec, [title], 0, lang).plain()
        assert plainly in text and ("★ 3.2" in text or "★ 3,2" in text)
        assert "recommended" not in text and "probably not" not in text and "probablemente" not in text


# ---- the catalogs' scope ---------------------------------------------------------------------------
async def test_cards_and_help_say_these_are_the_2021_us_catalogs(session):
    assert "US catalogs as published in 2021" in one_reply(await session.message("ns1"))
    assert "US catalogs as published in 2021" in one_reply(await session.message("/help"))
    assert "catálogos de EE. UU. publicados en 2021" in one_reply(await session.message("/ayuda", lang="es"))


# ---- ties ----------------------------------------------------------------------------------------------
@pytest.mark.full
async def test_actor_ties_say_how_many_others_tie(full_session):
    counts = Counter(name.strip() for code, row in raw_rows() if code == "d" and row["release_year"] == "2015"
                     for name in row["cast"].split(",") if name.strip())
    ranked = counts.most_common()
    third = ranked[2][1]
    others = sum(1 for _, n in ranked[3:] if n == third)
    assert others > 0
    text = one_reply(await full_session.message("/actor disney 2015"))
    assert text.endswith(f"…and {others} more with {third} titles each.")
