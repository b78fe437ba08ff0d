"""The recommenders' parts alone, on hand-made values: the feature blocks a similarity is made of, the
series a title belongs to, which suggestions are extras, the "why" line under a suggestion, and how a
group's tastes combine. Expected values are worked out by hand (or by the formula in the docstring,
computed here with math, not with the code under test)."""
from __future__ import annotations

import math

import numpy as np
import pytest

from core.models import Title
from core.personal import combine_deviations, genre_key
from core.recommend import Shared, _audience_block, _names_block, _year_block, is_extra, reason_for, series_name
from core.vocabulary import Platform


@pytest.mark.parametrize("title, series", [
    ("Rocky II", "rocky"), ("Kung Fu Panda: Holiday", "kung fu panda"),
    ("The Hunger Games: Catching Fire", "hunger games"), ("Marvel Studios' Thor: Ragnarok", "thor"),
    ("Toy Story 2 - Behind the Scenes", "toy story"), ("1917", "1917"), ("Ocean's 8", "oceans"),
    ("(500) Days of Summer", "500 days of summer"), ("Disney", "disney"), ("Pixar Popcorn", "popcorn"),
    ("Frozen II (Sing-Along)", "frozen"), ("Apollo 13", "apollo"),
])
def test_the_series_a_title_belongs_to(title, series):
    assert series_name(title) == series


def title(name: str, kind: str = "movie", minutes: int | None = 100) -> Title:
    return Title(0, "ns1", Platform.NETFLIX, kind, name.lower(), name, 2000, minutes, "min", "pg", (), (), (), (), "",
                 None, None, 0)


@pytest.mark.parametrize("name, extra", [
    ("Pixar Short Films Collection", True), ("Frozen: A Look Inside", True), ("Avengers Featurette", True),
    ("Loki Sneak Peek", True), ("The Oscars Afterparty", True), ("After Party Live", True),
    ("Cars Toons", True), ("Up", False), ("Shorts and Sweaters", False), ("A Look Back", False),
])
def test_extras_are_not_features(name, extra):
    assert is_extra(title(name)) is extra
    assert is_extra(title("Up", minutes=20))  # a short by its length


def test_the_why_line_under_a_suggestion():
    shared = Shared(directors=("ann lee", "bo day", "cy fox"), cast=("dee gray", "eve o'hara", "fay lin", "guy ohm"),
                    genres=("drama", "comedy", "crime", "war"))
    assert reason_for(shared) == ("same director: Ann Lee, Bo Day; cast: Dee Gray, Eve O'hara, Fay Lin; "
                                  "genres: drama, comedy, crime")
    assert reason_for(Shared(genres=("drama",))) == "genres: drama"
    assert reason_for(Shared(cast=("dee gray",))) == "cast: Dee Gray"
    assert reason_for(Shared()) == "similar story"


def test_years_are_split_between_their_two_nearest_decades():
    block = _year_block(np.array([2000, 2005, 2010, 2020, 2003])).toarray()
    np.testing.assert_allclose(block, [
        [1.0, 0.0, 0.0, 0.0], [0.5, 0.5, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0], [0.0, 0.0, 1.0, 0.0], [0.7, 0.3, 0.0, 0.0],
    ], atol=1e-6)


def test_audiences_place_a_rating_with_half_weight_on_its_neighbours():
    block = _audience_block(["tv-y", "pg", "r", "g", "nr", "tv-14", "7+"]).toarray()
    assert block.tolist() == [
        [1.0, 0.5, 0.0, 0.0],  # the youngest: no younger neighbour
        [0.5, 1.0, 0.5, 0.0],
        [0.0, 0.0, 0.5, 1.0],  # the oldest
        [0.0, 0.0, 0.0, 0.0],  # g is also "missing": it places nothing
        [0.0, 0.0, 0.0, 0.0],
        [0.0, 0.5, 1.0, 0.5],
        [1.0, 0.5, 0.0, 0.0],
    ]


def test_names_weigh_by_rarity_and_billing():
    # Smooth IDF over 3 rows: ln((1 + 3) / (1 + df)) + 1; "a" is in 2 rows, "b" in 1.
    idf_a, idf_b = math.log(4 / 3) + 1, math.log(4 / 2) + 1
    plain = _names_block([["a", "b"], ["a"], []]).toarray()
    norm = math.hypot(idf_a, idf_b)
    np.testing.assert_allclose(plain, [[idf_a / norm, idf_b / norm], [1.0, 0.0], [0.0, 0.0]], rtol=1e-5)
    # billed: the k-th name counts 1 / sqrt(1 + k / 3), so "b" (second) counts less than unbilled
    billed = _names_block([["a", "b"], ["a"], []], billed=True).toarray()
    b = idf_b / math.sqrt(1 + 1 / 3)
    norm = math.hypot(idf_a, b)
    np.testing.assert_allclose(billed, [[idf_a / norm, b / norm], [1.0, 0.0], [0.0, 0.0]], rtol=1e-5)
    # a name listed twice in one credit list is billed at its first place
    again = _names_block([["a", "b", "a"], ["a"], []], billed=True).toarray()
    np.testing.assert_allclose(again[0], billed[0], rtol=1e-5)
    assert _names_block([[], []]).shape == (2, 0)


def test_a_strong_dislike_is_not_outvoted():
    deviations = np.array([[0.5, 1.0, -1.5, -1.0], [1.5, 1.0, 2.0, 0.0]])
    # means 1.0, 1.0, 0.25, -0.5; the third has a member below -1: their -1.5 decides; -1.0 is not below
    assert combine_deviations(deviations).tolist() == [1.0, 1.0, -1.5, -0.5]


@pytest.mark.parametrize("listed_in, genre", [
    (("International TV Shows", "TV Dramas"), "drama"), (("Dramas",), "drama"), (("drama",), "drama"),
    (("Independent Movies", "Comedies"), "comedie"), (("Kids", "Action & Adventure"), "action"),
    (("tv shows", "crime tv shows"), "crime"), (("Docuseries",), "docuserie"), (("Arts",), "arts"),
    (("international", "series"), ""), ((), ""), (("Science&Nature",), "science"),
])
def test_a_titles_first_real_genre(listed_in, genre):
    assert genre_key(tuple(label.lower() for label in listed_in)) == genre
