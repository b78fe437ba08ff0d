"""Typed argument parsing: any order, multi-word platforms, and the right error for each mistake."""
from __future__ import annotations

import pytest

from bot import parsing
from bot.callback_data import CARD, RECOMMEND, SIMILAR, WHERE, Action, decode
from bot.parsing import UsageError
from core.errors import InvalidScore, InvalidYear, UnknownMaturityRating, UnknownPlatform
from core.vocabulary import Platform


@pytest.mark.parametrize("words, expected", [
    ("", (None, None, "min")),
    ("2019 netflix", (2019, Platform.NETFLIX, "min")),
    ("netflix 2019", (2019, Platform.NETFLIX, "min")),
    ("season hulu", (None, Platform.HULU, "season")),
    ("temporadas 2018", (2018, None, "season")),
    ("amazon prime video minutes 2001", (2001, Platform.AMAZON, "min")),
    ("DISNEY PLUS", (None, Platform.DISNEY, "min")),
])
def test_max_duration_takes_its_arguments_in_any_order(words, expected):
    args = parsing.max_duration(words.split())
    assert (args.year, args.platform, args.unit) == expected


@pytest.mark.parametrize("words, error", [
    ("netflx", UnknownPlatform),
    ("99", InvalidYear),
    ("2019 2020", UsageError),
    ("netflix hulu", UsageError),
])
def test_max_duration_rejects_what_it_cannot_place(words, error):
    with pytest.raises(error):
        parsing.max_duration(words.split())


@pytest.mark.parametrize("words", ["netflix 3.5 2019", "2019 netflix 3,5", "3.5 2019 netflix"])
def test_score_count_in_any_order_with_either_decimal_mark(words):
    assert parsing.score_count(words.split()) == parsing.ScoreCountArgs(Platform.NETFLIX, 3.5, 2019)


@pytest.mark.parametrize("words, error, problem", [
    ("netflix 3.5", UsageError, "missing_year"),
    ("netflix 2019", UsageError, "missing_score"),
    ("3.5 2019", UsageError, "missing_platform"),
    ("netflix x 2019", InvalidScore, None),
    ("netflx 3.5 2019", UnknownPlatform, None),
])
def test_score_count_names_the_missing_or_wrong_argument(words, error, problem):
    with pytest.raises(error) as raised:
        parsing.score_count(words.split())
    if problem:
        assert raised.value.problem == problem


def test_count_actor_country_rating_and_stats():
    assert parsing.count(["prime", "video"]) is Platform.AMAZON
    assert parsing.actor(["2020", "hulu"]) == parsing.ActorArgs(Platform.HULU, 2020)
    assert parsing.country("tv united states 2019".split()) == parsing.CountryArgs("tv show", "united states", 2019)
    assert parsing.country("india película".split()) == parsing.CountryArgs("movie", "india", None)
    assert parsing.maturity_rating(["PG-13"]) == "PG-13"
    assert parsing.stats([]) is None and parsing.stats(["disney+"]) is Platform.DISNEY
    with pytest.raises(UsageError):
        parsing.country(["united", "states"])
    with pytest.raises(UsageError):
        parsing.count([])
    with pytest.raises(UsageError):
        parsing.country(["documentary"])


def test_recommend_takes_the_first_whole_number_as_the_user():
    assert parsing.recommend("42 the matrix".split()) == parsing.RecommendArgs(42, "the matrix")
    assert parsing.recommend("the matrix 42".split()) == parsing.RecommendArgs(42, "the matrix")
    assert parsing.recommend("7 1917".split()) == parsing.RecommendArgs(7, "1917")
    assert parsing.recommend("42 catch-22".split()) == parsing.RecommendArgs(42, "catch-22")
    for words, problem, value in (("the matrix", "missing_user", ""), ("42", "missing_title", ""),
                                  ("99999999999 x", "user_too_large", "99999999999"), ("-5 x", "bad_user", "-5"),
                                  ("the matrix -5", "bad_user", "-5"), ("4.5 x", "bad_user", "4.5")):
        with pytest.raises(UsageError) as raised:
            parsing.recommend(words.split())
        assert (raised.value.problem, raised.value.value) == (problem, value)


def test_language_and_platform_preferences():
    assert parsing.language(["ES"]) == "es" and parsing.language(["english"]) == "en"
    with pytest.raises(parsing.UnknownLanguage):
        parsing.language(["fr"])
    assert parsing.platforms("netflix, hulu netflix".split()) == (Platform.NETFLIX, Platform.HULU)
    assert parsing.platforms(["amazon", "prime", "video"]) == (Platform.AMAZON,)
    assert parsing.platforms(["all"]) is None and parsing.platforms(["todas"]) is None
    with pytest.raises(UnknownPlatform):
        parsing.platforms(["netflix", "hbo"])


def test_over_long_arguments_are_refused_before_any_work():
    with pytest.raises(UsageError) as raised:
        parsing.title(["x" * (parsing.MAX_ARGUMENT_CHARS + 1)])
    assert raised.value.problem == "too_long"


def test_unknown_maturity_rating_comes_from_core(sample_catalog):
    with pytest.raises(UnknownMaturityRating):
        sample_catalog.count_by_rating(parsing.maturity_rating(["xx"]))


# ---- callback data -------------------------------------------------------------------------------
@pytest.mark.parametrize("action", [
    Action(CARD, "ns1234"), Action(WHERE, "as1", replace=True), Action(SIMILAR, "hs99", 9),
    Action(RECOMMEND, "ds1", 3, 2**31 - 1, replace=True),
])
def test_callback_data_round_trips_within_64_bytes(action):
    data = action.encode()
    assert len(data.encode()) <= 64
    assert decode(data) == action


@pytest.mark.parametrize("data", [
    None, "", "c", "c:", "c:xs1", "c:ns", "c:ns1:0", "s:ns1", "s:ns1:10", "r:1:ns1", "r:99999999999:ns1:0",
    "r:-1:ns1:0", "x:ns1", "c:ns1\n", "c:ns1 ", "ć:ns1", "c:ns12345678", "s:ns1:٣", "c" * 65,
])
def test_forged_callback_data_decodes_to_none(data):
    assert decode(data) is None
