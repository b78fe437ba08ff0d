"""The limits of a verdict, on a small catalog written here: at most NEIGHBOURS (30) rated titles count,
for a person (core/personal.py) and for a user of the ratings data (core/recommend.py), and a predicted
rating stays within 0.5..5 stars however far a person's mean and a title's standing push it.

Thirty-six 1962 Icelandic thrillers, each sharing a different number of its description's words with the
asked-about one (so no two are equally similar to it, and a cut at 30 has no ties); two Peruvian
documentaries the crowd loves and loathes (60 ratings of 5 and of 0.5 stars each), like nothing else here.
"""
from __future__ import annotations

import pytest
from fixture_scope import shared
from tiny_catalog import row, sample_plus

from core.personal import Person

WORDS = [f"qorv{chr(97 + k // 26)}{chr(97 + k % 26)}" for k in range(40)]
THRILLERS = [f"ns{9100 + k}" for k in range(36)]
ASKED, ADORED, LOATHED = "ns9200", "ns9300", "ns9301"
TITLES = [
    *(row(i[1:], "Movie", f"Saga {WORDS[k]}", country="Iceland", year=1962, genres="Thrillers",
          description=" ".join(WORDS[: k + 2])) for k, i in enumerate(THRILLERS)),
    row(ASKED[1:], "Movie", "Fjord", country="Iceland", year=1962, genres="Thrillers", description=" ".join(WORDS)),
    row(ADORED[1:], "TV Show", "Andes Rivers", country="Peru", year=2015, genres="Docuseries", description="andes"),
    row(LOATHED[1:], "TV Show", "Lima Nights", country="Peru", year=2016, genres="Docuseries", description="lima"),
]
FAN, FEW = 95000, 95001  # dataset users: every thriller at 4 stars; twenty of them
RATINGS = [
    *([91000 + k, 5.0, ADORED] for k in range(60)), *([92000 + k, 0.5, LOATHED] for k in range(60)),
    *([FAN, 4.0, i] for i in THRILLERS), *([FEW, 4.0, i] for i in THRILLERS[:20]),
]


@pytest.fixture(scope=shared("module"))
def catalog(tmp_path_factory):
    return sample_plus(tmp_path_factory.mktemp("bounds"), {"netflix": TITLES}, RATINGS)


def test_a_verdict_rests_on_the_thirty_most_similar_rated_titles(catalog):
    rated_all = Person(rated=tuple((i, 4.0) for i in THRILLERS))
    rated_twenty = Person(rated=tuple((i, 4.0) for i in THRILLERS[:20]))
    assert catalog.verdict_for(rated_twenty, ASKED).based_on == 20  # every one is similar enough to count
    assert catalog.verdict_for(rated_all, ASKED).based_on == 30
    assert catalog.recommend(FEW, ASKED).based_on == 20
    assert catalog.recommend(FAN, ASKED).based_on == 30


def test_a_predicted_rating_stays_within_half_a_star_and_five(catalog):
    # A person who gave every thriller 5 stars has a mean near 4.8; the crowd's favourite adds about a star
    # more (its 60 five-star ratings), so only the bound keeps it at 5. The mirror image gives 0.5.
    high = Person(rated=tuple((i, 5.0) for i in THRILLERS))
    low = Person(rated=tuple((i, 0.5) for i in THRILLERS))
    assert catalog.verdict_for(high, ADORED).predicted_rating == 5.0
    assert catalog.verdict_for(low, LOATHED).predicted_rating == 0.5
    picks = {p.id: p.score for p in catalog.for_you(high, n=40)}
    assert picks[ADORED] == 5.0 and all(0.5 <= score <= 5.0 for score in picks.values())


def test_a_title_nobody_rated_is_neither_pushed_up_nor_down(catalog):
    # no one in the data rated the asked-about thriller: for someone with no ratings it is the neutral 3 stars
    assert catalog.verdict_for(Person(), ASKED).predicted_rating == 3.0
