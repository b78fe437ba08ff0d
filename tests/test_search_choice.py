"""When the resolver answers and when it asks, on titles written here: a near-tie asks, the user's platform
breaks a tie the release year would otherwise settle, and a hint no title fits costs nothing."""
from __future__ import annotations

import pytest
from fixture_scope import shared
from tiny_catalog import row, sample_plus

from core.search import Candidate, clear_choice
from core.vocabulary import Platform

TITLES = {
    "netflix": [
        # one deletion from "grundar ay" each: a tie that only the user can settle
        row("s9101", "Movie", "Grundar Bay", year=1990),
        row("s9102", "Movie", "Grundar Day", year=1990),
        # the same title in two years: the newer work first, unless the user's platform holds the older
        row("s9103", "Movie", "The Lighthouse Keeper", year=1991),
        row("s9104", "Movie", "Skagi Harbour", year=1999),
    ],
    "disney": [row("s9103", "Movie", "The Lighthouse Keeper", year=2017)],
}


@pytest.fixture(scope=shared("module"))
def catalog(tmp_path_factory):
    return sample_plus(tmp_path_factory.mktemp("choice"), TITLES)


def candidate(confidence: float, match: str = "fuzzy", against_hint: bool = False) -> Candidate:
    return Candidate("ns1", "A Title", 2000, "movie", (Platform.NETFLIX,), ("ns1",), confidence=confidence,
                     match=match, against_hint=against_hint)


@pytest.mark.parametrize(
    ("confidences", "answered"),
    [((0.95,), True), ((0.95, 0.60), True), ((0.95, 0.93), False), ((0.90, 0.89, 0.5), False),
     ((0.60,), False), ((0.60, 0.10), False)],
    ids=["alone", "far-ahead", "near-tie", "near-tie-of-three", "unsure-alone", "unsure-ahead"],
)
def test_a_fuzzy_best_is_answered_only_when_sure_and_clearly_ahead(confidences, answered):
    candidates = tuple(candidate(c) for c in confidences)
    assert (clear_choice(candidates) is candidates[0]) is answered


def test_one_exact_match_is_answered_two_are_asked():
    assert clear_choice((candidate(1.0, "exact"), candidate(0.99))) is not None
    assert clear_choice((candidate(1.0, "exact"), candidate(1.0, "exact"))) is None
    assert clear_choice((candidate(1.0, "exact", against_hint=True),)) is None
    assert clear_choice(()) is None


def test_a_typo_as_close_to_two_titles_asks(catalog):
    found = catalog.resolve("grundar ay")
    assert {found[0].id, found[1].id} == {"ns9101", "ns9102"}
    assert clear_choice(found) is None
    assert catalog.similar("grundar ay").title is None  # the bot offers both instead of guessing


def test_the_users_platform_beats_the_newer_year(catalog):
    assert [c.year for c in catalog.resolve("the lighthouse keeper")[:2]] == [2017, 1991]
    assert catalog.resolve("the lighthouse keeper", platforms=["netflix"])[0].id == "ns9103"
    assert catalog.resolve("the lighthouse keeper", platforms=[Platform.DISNEY])[0].id == "ds9103"


def test_a_year_no_title_has_costs_nothing_but_is_still_asked(catalog):
    (best, *_) = catalog.resolve("skagi harbour 2001")
    assert best.id == "ns9104" and best.confidence == 1.0 and best.against_hint
    assert clear_choice(catalog.resolve("skagi harbour 2001")) is None
    assert clear_choice(catalog.resolve("skagi harbour 1999")).id == "ns9104"
