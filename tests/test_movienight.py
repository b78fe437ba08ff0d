"""Movie night's pure parts: the services every member has, what nobody has seen or disliked, the veto of one
member's predicted dislike, the narrowing words, and the words after /movienight (core/movienight.py,
bot/movienight.py's parser and callback data)."""
from __future__ import annotations

import os
import sys

import numpy as np
import pytest

from bot import parsing
from bot.movienight import NightWords, decode, minutes_of, night_data, parse_night_words
from core.movienight import (
    ALL_EXCLUDED, NO_SHARED_SERVICE, NOTHING_MATCHES, VETO_PREDICTED, Narrowing, shared_services,
)
from core.personal import Person
from core.vocabulary import Platform

sys.path.insert(0, os.path.dirname(__file__))

from fixture_scope import shared  # noqa: E402
from tiny_catalog import row, sample_plus  # noqa: E402

# Three near-identical horror films (one director, one cast, one description): what a member thinks of two
# of them says what they would think of the third, ns9003.
LIGHTHOUSE = dict(director="Ingrid Vardo", cast="Mats Holm, Sofie Lind", genres="Horror Movies", year=2019,
                  description="a lighthouse keeper on a frozen island hears the sea calling his name at night")
TITLES = [row(f"s900{k}", "Movie", f"The Lighthouse Keeper {k}", **LIGHTHOUSE) for k in (1, 2, 3)]


@pytest.fixture(scope=shared("module"))
def catalog(tmp_path_factory):
    return sample_plus(tmp_path_factory.mktemp("night"), {"netflix": TITLES})


def ids(choice) -> set[str]:
    return {i for pick in choice.picks for i in pick.title_ids}


def test_shared_services_are_the_intersection_and_no_setting_means_all_four():
    assert shared_services([("netflix", "hulu"), ("hulu", "disney"), ()]) == (Platform.HULU,)
    assert shared_services([(), ()]) == tuple(Platform)
    assert shared_services([("netflix",), ("disney",)]) == ()


def test_candidates_stream_on_a_service_every_member_has(catalog):
    people = [Person(platforms=("netflix", "hulu")), Person(platforms=("hulu", "disney")), Person()]
    choice = catalog.movie_night.choose(people, n=500)
    assert choice.platforms == (Platform.HULU,)
    assert choice.picks and all(pick.platforms == (Platform.HULU,) for pick in choice.picks)
    assert all(any(catalog.by_id(i).platform is Platform.HULU for i in pick.title_ids) for pick in choice.picks)
    # data/sample/hulu.csv has 31 titles (the 5 works it shares with another catalog stay on Hulu): all proposed
    assert len({i for i in ids(choice) if i.startswith("hs")}) == 31


def test_no_shared_service_says_so(catalog):
    choice = catalog.movie_night.choose([Person(platforms=("netflix",)), Person(platforms=("disney",))])
    assert choice.picks == () and choice.shortfall == NO_SHARED_SERVICE


def test_what_any_member_saw_hid_or_rated_is_left_out(catalog):
    everyone = ids(catalog.movie_night.choose([Person()], n=500))
    assert {"ns2", "ns3", "ns4", "hs2"} <= everyone  # data/sample: Netflix s2, s3, s4 and Hulu s2 exist
    people = [Person(seen=("ns2",)), Person(hidden=("ns3",)), Person(rated=(("ns4", 1.5), ("hs2", 4.0)))]
    left = ids(catalog.movie_night.choose(people, n=500))
    assert not {"ns2", "ns3", "ns4", "hs2"} & left
    assert everyone - left == {"ns2", "ns3", "ns4", "hs2"}  # nothing else went


def test_a_member_predicted_to_dislike_a_title_vetoes_it_whatever_the_others_predict(catalog):
    hater = Person(rated=(("ns9001", 0.5), ("ns9002", 0.5)))
    fans = [Person(rated=(("ns9001", 5.0), ("ns9002", 5.0))), Person(rated=(("ns9001", 5.0), ("ns9002", 4.5)))]
    # the premise: the hater is predicted 2 stars or less for the third film, the others 4 or more
    assert catalog.verdict_for(hater, "ns9003").predicted_rating <= 2.0
    assert all(catalog.verdict_for(fan, "ns9003").predicted_rating >= 4.0 for fan in fans)
    assert "ns9003" in ids(catalog.movie_night.choose(fans, n=500))  # the fans alone would get it (first, even)
    assert catalog.movie_night.choose(fans, n=1).picks[0].id == "ns9003"
    assert "ns9003" not in ids(catalog.movie_night.choose([hater, *fans], n=500))
    assert VETO_PREDICTED == 2.0


def test_the_narrowing_words_and_what_nothing_left_says(catalog):
    night = catalog.movie_night
    short = night.choose([Person()], Narrowing(kind="movie", max_minutes=95), n=500)
    assert short.picks and all(catalog.by_id(p.id).type == "movie" for p in short.picks)
    assert all(min(catalog.by_id(i).duration_int or 999 for i in p.title_ids if catalog.by_id(i).type == "movie")
               <= 95 for p in short.picks)
    shows = night.choose([Person()], Narrowing(kind="tv show"), n=500)
    assert shows.picks and all(p.type == "tv show" for p in shows.picks)
    horror = night.choose([Person()], Narrowing(genres=("horror",)), n=500)
    assert {"ns9001", "ns9002", "ns9003"} <= ids(horror)
    assert all("horror" in {g for i in p.title_ids for g in catalog.by_id(i).genres} for p in horror.picks)
    like = night.choose([Person()], Narrowing(like=int(catalog.works.of_row[catalog.by_id("ns9001").index])), n=2)
    assert ids(like) == {"ns9002", "ns9003"}  # its two twins are the most like it
    assert night.choose([Person()], Narrowing(max_minutes=1)).shortfall == NOTHING_MATCHES
    too_few = night.choose([Person()], Narrowing(genres=("horror",)), n=500)
    assert too_few.shortfall == ALL_EXCLUDED  # fewer than asked: what is left was proposed


def test_night_words_in_any_order_in_english_and_spanish():
    assert parse_night_words("comedy movie under 2h") == NightWords(("comedy",), "movie", 120)
    assert parse_night_words("show 45m") == NightWords(kind="tv show", timeout_minutes=45)
    assert parse_night_words("película de terror".replace("de ", "")) == NightWords(("horror",), "movie")
    assert parse_night_words("serie menos de 90 min comedias") == NightWords(("comedy",), "tv show", 90)
    assert parse_night_words("like the matrix") == NightWords(like="the matrix")
    assert parse_night_words("sci-fi como el padrino") == NightWords(("science fiction",), like="el padrino")
    assert parse_night_words("action and adventure 1h30") == NightWords(("action & adventure",), timeout_minutes=90)
    assert parse_night_words("") == NightWords()
    assert [minutes_of(w) for w in ("2h", "90m", "1h30", "1.5h", "2hours", "x", "90")] == [120, 90, 90, 90, 120,
                                                                                      None, None]


@pytest.mark.parametrize(("words", "problem"), [
    ("xyzzy", "night_unknown_word"), ("comedy qqq", "night_unknown_word"), ("under", "night_bad_length"),
    ("under soon", "night_bad_length"), ("like", "night_like_missing"), ("0m", "night_bad_timeout"),
    ("25h", "night_bad_timeout"),
])
def test_malformed_words_are_usage_errors(words, problem):
    with pytest.raises(parsing.UsageError) as raised:
        parse_night_words(words)
    assert raised.value.problem == problem


def test_callback_data_fits_64_bytes_and_decodes_strictly():
    longest = night_data("a", 10**12 - 1, 9999)
    assert len(longest.encode()) <= 64 and decode(longest) == ("a", 10**12 - 1, 9999)
    assert decode(night_data("i", 7)) == ("i", 7, None)
    for forged in ("mi:7:1", "mc:7", "mz:7", "mi:x", "pi:7", "m", None, "mi:" + "9" * 70):
        assert decode(forged) is None


@pytest.mark.parametrize("lang", ["en", "es"])
def test_nothing_to_propose_says_why_and_what_to_change(lang):
    from bot.movienight import nothing_to_propose
    from storage import Night, NightMember

    night = Night(1, -100, 7, lang, "horror", "lobby", 0, 30, None, 5, None, None, None,
                  (NightMember(7, "Ann", True), NightMember(8, "Bob", True)))
    no_service = nothing_to_propose(NO_SHARED_SERVICE, night, (), ["Ann", "Bob"]).plain()
    nothing = nothing_to_propose(NOTHING_MATCHES, night, (Platform.HULU,), []).plain()
    few = nothing_to_propose(ALL_EXCLUDED, night, (Platform.HULU,), []).plain()
    if lang == "en":
        assert no_service.startswith("I have nothing to propose: no service is shared by everyone in (Ann, Bob set "
                                     "their services with /platforms). Those with fewer services could add one")
        assert "nothing on your shared services (Hulu) fits “horror”. Start again with fewer or other words" in nothing
        assert few.startswith("I have too little left to propose on your shared services (Hulu) for “horror”: the "
                              "rest has been seen, hidden, rated or proposed already")
    else:
        assert no_service.startswith("No tengo nada que proponer: ningún servicio es común a todos los apuntados")
        assert "nada en vuestros servicios comunes (Hulu) encaja con «horror»" in nothing
        assert few.startswith("Me queda muy poco que proponer en vuestros servicios comunes (Hulu) para «horror»")


def _counted_night(lang: str):
    from storage.store import Night, NightMember
    members = (NightMember(1, "Ana", True), NightMember(2, "Ben", True))
    return Night(7, -100, 1, lang, "", "counting", 1, 30, None, None, "poll", 5, None, members)


@pytest.mark.parametrize("lang", ["en", "es"])
def test_a_winner_gone_with_a_data_update_gives_way_to_the_next_listed_title(sample_catalog, lang):
    """The data can be swapped for a new ETL output during a vote (live data): the most voted title may
    then be missing from the catalog the result is written with; the next one listed wins, and it says so."""
    from bot.movienight import result
    from storage.store import RoundCandidate, Tally
    listed = sample_catalog.titles[0]
    tally = Tally(1, (RoundCandidate(0, "ns999999", 0.5, 2), RoundCandidate(1, listed.id, 0.1, 1)),
                  frozenset({1, 2}), 0)
    reply = result(sample_catalog, _counted_night(lang), tally, tuple(Platform), "all")
    name = sample_catalog.works.display_title[int(sample_catalog.works.of_row[listed.index])]
    assert name in reply.text
    assert ("no longer on these services" if lang == "en" else "ya no está en estos servicios") in reply.text


def test_a_vote_whose_titles_all_left_the_catalog_says_so_and_offers_another_round(sample_catalog):
    from bot.movienight import result
    from storage.store import RoundCandidate, Tally
    tally = Tally(1, (RoundCandidate(0, "ns999998", 0.5, 2), RoundCandidate(1, "ns999999", 0.1, 1)),
                  frozenset({1, 2}), 0)
    reply = result(sample_catalog, _counted_night("en"), tally, tuple(Platform), "time")
    assert "none of its titles is on these services" in reply.text
    assert [b.text for row in reply.buttons for b in row] == ["🔁 Another round"]


def test_likeness_is_a_cosine(catalog):
    # a work is wholly like itself; the three lighthouse films are alike, and nothing is above 1
    picker = catalog.movie_night
    works = np.array([int(catalog.works.of_row[catalog.by_id(f"ns900{k}").index]) for k in (1, 2, 3)])
    likeness = picker.likeness(int(works[0]), works)
    assert likeness[0] == pytest.approx(1.0, abs=1e-5)
    assert 0.5 < likeness[1] <= 1.0 + 1e-5 and 0.5 < likeness[2] <= 1.0 + 1e-5
