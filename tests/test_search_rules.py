"""The search's small rules alone, on hand-made values: when the bot answers without asking, which hints
it takes off a text, which titles are shorts or extras, the forms a title is typed in, and how copies on
several services make one work (its years, pooled score and services, the user's service first)."""
from __future__ import annotations

import math

import pytest

from core.models import Title
from core.search import Candidate, Works, _same_word, _split_hints, clear_choice, is_minor, search_forms
from core.vocabulary import Platform


def candidate(confidence: float, match: str = "fuzzy", against_hint: bool = False, name: str = "x") -> Candidate:
    return Candidate(f"n{name}", name, 2000, "movie", (Platform.NETFLIX,), (f"n{name}",), confidence, match,
                     against_hint)


@pytest.mark.parametrize("candidates, answered", [
    ([], False),
    ([candidate(1.0, "exact")], True),
    ([candidate(1.0, "id")], True),
    ([candidate(1.0, "exact"), candidate(0.99)], True),  # the only exact match
    ([candidate(1.0, "exact"), candidate(1.0, "exact")], False),  # a remake: ask
    ([candidate(1.0, "id"), candidate(1.0, "exact")], False),
    ([candidate(1.0, "exact", against_hint=True)], False),  # contradicts the year or service typed: ask
    ([candidate(0.99, against_hint=True)], False),
    ([candidate(0.75)], True),  # confident enough, alone
    ([candidate(0.74)], False),
    ([candidate(0.9), candidate(0.8)], True),  # ahead by 0.1
    ([candidate(0.9), candidate(0.85)], False),  # a near tie: ask
    ([candidate(0.74), candidate(0.1)], False),  # far ahead but not confident
])
def test_when_the_bot_answers_without_asking(candidates, answered):
    assert clear_choice(candidates) is (candidates[0] if answered else None)


@pytest.mark.parametrize("text, key, literal, year, platform", [
    ("The Office 2005", "office", "the office", 2005, None),
    ("netflix the office", "office", "the office", None, Platform.NETFLIX),
    ("the office disney plus", "office", "the office", None, Platform.DISNEY),
    ("amazon prime video the boys 2019", "boys", "the boys", 2019, Platform.AMAZON),
    ("2019 the boys hulu", "boys", "the boys", 2019, Platform.HULU),
    ("1999 2019", "1999", "1999", 2019, None),  # one year taken, from the end first
    ("2019", "2019", "2019", None, None),  # nothing would be left: no hint
    ("hulu", "hulu", "hulu", None, None),
    ("hulu netflix", "hulu", "hulu", None, Platform.NETFLIX),  # one platform at most
    ("amazon prime", "amazon", "amazon", None, Platform.AMAZON),  # "prime" is a platform name, "amazon" is left
    ("the office 19999", "office 19999", "the office 19999", None, None),  # not a year
])
def test_hints_come_off_either_end(text, key, literal, year, platform):
    query = _split_hints(text)
    assert (query.key, query.literal, query.year, query.platform) == (key, literal, year, platform)


@pytest.mark.parametrize("typed, found, same", [
    ("road", "road", True), ("caribean", "caribbean", True), ("knight", "night", False),
    ("cat", "car", False), ("rosd", "road", False), ("pyaar", "pyar", True), ("wall", "walls", True),
])
def test_a_word_as_typed(typed, found, same):
    assert _same_word(typed, found) is same


def test_the_forms_a_title_is_typed_in():
    assert search_forms("Marvel Studios' Thor: Ragnarok (4K UHD)") == {
        "Marvel Studios' Thor: Ragnarok (4K UHD)", "Marvel Studios' Thor: Ragnarok",
        "thor ragnarok 4k uhd", "thor ragnarok"}
    assert search_forms("Disney's Frozen") == {"Disney's Frozen", "frozen"}
    assert search_forms("Disney") == {"Disney"}  # the prefix is the whole title
    assert search_forms("(Untitled)") == {"(Untitled)"}
    assert search_forms("Pixar Popcorn") == {"Pixar Popcorn", "popcorn"}


def title(index: int, id: str, name: str = "Up", kind: str = "movie", year: int = 2000, minutes: int | None = 100,
          score: float | None = None, count: int = 0) -> Title:
    return Title(index, id, Platform.from_code(id[0]), kind, name.lower(), name, year, minutes,
                 "min" if kind == "movie" else "season", "pg", (), (), (), (), "", None, score, count)


@pytest.mark.parametrize("name, kind, minutes, minor", [
    ("Up", "movie", 39, True), ("Up", "movie", 40, False), ("Up", "movie", None, False),
    ("Up", "tv show", 1, False),  # a show of one season is not a short
    ("Cars Toons", "movie", 90, True), ("Cars (Shorts)", "movie", 90, True),
    ("The Making of Frozen", "movie", 90, True),
    ("Frozen: Behind the Scenes", "movie", 90, True), ("Coco (En Español)", "movie", 90, True),
    ("Star Wars (Series)", "tv show", 3, True), ("Cartoon Saloon", "movie", 90, False),
])
def test_shorts_extras_and_spin_offs(name, kind, minutes, minor):
    assert is_minor(title(0, "ns1", name, kind, minutes=minutes)) is minor


@pytest.fixture
def works():
    titles = [
        title(0, "as1", "Up", year=2009, score=4.0, count=1),
        title(1, "ds1", "Up", year=2010, score=2.0, count=3),
        title(2, "ns1", "Up", year=2009),
        title(3, "hs1", "Solo", year=2018),
        title(4, "ns2", "Coco", year=2017, score=5.0, count=2),
    ]
    return Works(titles, [0, 0, 0, 1, 2], ["Up!", "Solo", "Coco"])


def test_copies_make_one_work(works):
    assert len(works) == 3 and works.rows == ((0, 1, 2), (3,), (4,))
    assert [t.id for t in works.copies(0)] == ["as1", "ds1", "ns1"]
    assert works.years[0] == {2009, 2010} and works.year.tolist() == [2009, 2018, 2017]
    assert works.rating_count.tolist() == [4, 0, 2]
    assert works.score[0] == pytest.approx(2.5) and math.isnan(works.score[1]) and works.score[2] == 5.0
    assert works.display_title == ("Up!", "Solo", "Coco") and works.keys == ("up", "solo", "coco")
    assert works.platform_mask.tolist() == [[True, True, False, True], [False, False, True, False],
                                            [False, False, False, True]]


def test_a_work_is_described_on_the_users_services_first(works):
    assert works.describe(0) == ("as1", "Up!", 2009, "movie", (Platform.AMAZON, Platform.DISNEY, Platform.NETFLIX),
                                 ("as1", "ds1", "ns1"))
    assert works.describe(0, [Platform.NETFLIX, Platform.DISNEY])[0] == "ns1"
    assert works.describe(0, [Platform.NETFLIX, Platform.DISNEY])[5] == ("ns1", "ds1", "as1")
    assert works.describe(0, [Platform.HULU, Platform.DISNEY])[5] == ("ds1", "as1", "ns1")
    assert works.preferred(None) is None and works.preferred([]) is None
    assert works.preferred([Platform.HULU]).tolist() == [False, True, False]
    assert works.preferred([Platform.NETFLIX, Platform.HULU]).tolist() == [True, True, True]
    found = works.candidate(2, 0.8, "fuzzy", against_hint=True)
    assert (found.id, found.confidence, found.match, found.against_hint) == ("ns2", 0.8, "fuzzy", True)


def test_without_linkage_every_row_is_its_own_work():
    alone = Works([title(0, "ns1", "Up"), title(1, "ns2", "Up")])
    assert alone.rows == ((0,), (1,)) and alone.display_title == ("Up", "Up")
    with pytest.raises(ValueError):
        Works([title(0, "ns1")], [0, 0])
