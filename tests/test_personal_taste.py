"""A person's taste as the recommender holds it, on the sample catalog with hand-picked ids: a work rated
through two copies counts once at their mean, "not for me" counts as one star unless they rated the work,
the baseline is their mean pulled towards three stars by five pseudo-ratings, and what they rated, saw,
hid or listed is left out of picks (any copy). The sample's copies of one work are listed in
data/sample/README.md (as5 = hs7, as6 = hs8, as7 = ns11, hs9 = ns15, ds13 = ns35)."""
from __future__ import annotations

import pytest
from fixture_scope import shared

from core.personal import Person
from core.vocabulary import Platform

PERSON = Person(
    rated=(("as5", 4.0), ("hs7", 2.0), ("ds13", 5.0), ("xs1", 1.0)),  # as5 and hs7 are one work; xs1 is no id
    hidden=("as6", "ns35"),  # ns35 is ds13's copy, which they rated: the rating wins
    seen=("ns15",), listed=("ns11",), platforms=("netflix",),
)


@pytest.fixture(scope=shared("module"))
def taste(sample_catalog):
    return sample_catalog.personal.taste(PERSON)


def work(catalog, title_id: str) -> int:
    return int(catalog.works.of_row[catalog.by_id(title_id).index])


def test_each_work_counts_once_and_not_for_me_is_one_star(sample_catalog, taste):
    w = {i: work(sample_catalog, i) for i in ("as5", "ds13", "as6", "hs9", "as7")}
    assert dict(zip(taste.works.tolist(), taste.stars.tolist())) == {w["as5"]: 3.0, w["ds13"]: 5.0, w["as6"]: 1.0}
    assert dict(zip(taste.works.tolist(), taste.named_by)) == {w["as5"]: "as5", w["ds13"]: "ds13", w["as6"]: "as6"}
    assert taste.rated == {w["as5"], w["ds13"]}
    assert set(taste.excluded.tolist()) == {w["as5"], w["ds13"], w["as6"], w["hs9"], w["as7"]}
    assert taste.platforms == (Platform.NETFLIX,)


def test_the_baseline_is_pulled_towards_three_stars(sample_catalog, taste):
    assert taste.own_mean == 4.0  # (3 + 5) / 2: hidden titles are not their ratings
    assert taste.mean == pytest.approx((3.0 + 5.0 + 5 * 3.0) / (2 + 5))
    assert taste.deviations.tolist() == pytest.approx([s - (23 / 7) for s in taste.stars.tolist()])
    assert taste.own_rating(work(sample_catalog, "hs7")) == 3.0
    assert taste.own_rating(work(sample_catalog, "as6")) is None  # only hidden


def test_the_verdict_on_a_rated_work_is_their_own_rating_and_mean(sample_catalog):
    verdict = sample_catalog.verdict_for(PERSON, "ns35")
    assert verdict.own_rating == 5.0 and verdict.mean == 4.0
    assert sample_catalog.verdict_for(PERSON, "xs1") is None
    nobody = sample_catalog.verdict_for(Person(), "ns35")
    assert nobody.own_rating is None and nobody.mean is None and nobody.based_on == 0


def test_picks_leave_out_every_copy_of_what_they_acted_on(sample_catalog):
    acted = {"as5", "hs7", "ds13", "ns35", "as6", "hs8", "hs9", "ns15", "as7", "ns11"}
    picks = sample_catalog.for_you(PERSON, n=50)
    assert picks and not acted & {i for p in picks for i in p.title_ids}
    assert all(Platform.NETFLIX in p.platforms for p in picks)
    assert all(0.5 <= p.score <= 5.0 for p in picks)
