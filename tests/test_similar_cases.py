"""The hand-written similar-title cases of bench/cases.py as a regression test: the share of the titles a
person expects among the ten most similar must not fall below a floor (set a little under the figure
measured when set; raise it when the recommender improves). `python -m bench evaluate --similar-only
--cases` prints the same figures per case.

Both rounds: the 24 first-round RECOMMENDER_CASES (issue 14's floor, raised by issue 8, and issue 8's
rule that no case finds fewer of its titles than before it) and issue 8's 72 SIMILAR_CASES (recall@10
overall and for the expected works on another platform than the seed)."""
from __future__ import annotations

import pytest

from bench.cases import RECOMMENDER_CASES, SIMILAR_CASES

pytestmark = pytest.mark.full

# Measured when written (issue 14): 0.801 mean recall@10, 22 of the 24 cases finding at least one;
# after issue 8's similarity: 0.931, all 24; after its shelves, seasons and prior: 0.941.
RECALL_FLOOR = 0.92
HIT_FLOOR = 23
# First-round expected titles each case found before issue 8 (main 5249224, bench evaluate --cases).
FOUND_BEFORE_ISSUE_8 = {
    "ns8415": 2, "ds1380": 3, "ns7198": 1, "ds890": 1, "ds904": 2, "hs1080": 1, "ns8406": 1, "ds1134": 4,
    "ds1092": 1, "ns5306": 1, "ns5941": 0, "ns3118": 0, "ds1291": 1, "ds778": 1, "ds1218": 1, "ns7073": 3,
    "ns3228": 5, "ns7803": 6, "ns7958": 3, "ds314": 2, "hs175": 4, "hs2613": 2, "ns2768": 1, "hs1259": 1,
}
# Round two when set (issue 8, linked works): 0.428 overall, 0.362 on another platform
# (before issue 8: 0.378 and 0.202); raised with the shelves left out, seasons, the seasons prior and
# brands in the title keys: 0.534 and 0.467.
ROUND_TWO_FLOOR = 0.50
OTHER_PLATFORM_FLOOR = 0.44


def found_in_top10(catalog, seed: str, expected: tuple[str, ...]) -> list[bool]:
    """Whether each expected entry is among the ten ("a|b": copies of one work, any one counts)."""
    answer = catalog.similar(seed, n=10)
    assert answer.title is not None and seed in answer.title.title_ids, seed
    listed = {i for s in answer.suggestions for i in s.title_ids}
    return [any(i in listed for i in entry.split("|")) for entry in expected]


def test_the_expected_similar_titles_stay_above_the_floor(full_catalog):
    found = {seed: sum(found_in_top10(full_catalog, seed, expected)) for _, seed, expected in RECOMMENDER_CASES}
    recall = sum(found[seed] / len(expected) for _, seed, expected in RECOMMENDER_CASES) / len(found)
    hits = sum(f > 0 for f in found.values())
    assert recall >= RECALL_FLOOR and hits >= HIT_FLOOR, (recall, hits)
    assert [(seed, f) for seed, f in found.items() if f < FOUND_BEFORE_ISSUE_8[seed]] == []


def test_round_two_similar_titles_stay_above_the_floors(full_catalog):
    recalls, other_platform = [], []
    for _, seed, expected in SIMILAR_CASES:
        found = found_in_top10(full_catalog, seed, expected)
        recalls.append(sum(found) / min(len(expected), 10))
        # on another platform: none of the entry's ids has the seed id's platform letter
        elsewhere = [hit for entry, hit in zip(expected, found) if all(i[0] != seed[0] for i in entry.split("|"))]
        if elsewhere:
            other_platform.append(sum(elsewhere) / len(elsewhere))
    recall, across = sum(recalls) / len(recalls), sum(other_platform) / len(other_platform)
    assert recall >= ROUND_TWO_FLOOR and across >= OTHER_PLATFORM_FLOOR, (recall, across)
