"""UserRatings, the per-user slices every recommendation reads: hand-written rows, hand-written answers.

A wrong slice gives a user somebody else's ratings (their verdicts and "rated already" exclusions), an
unknown user must get nothing rather than a neighbour's ratings, and /recommend's demo user is the one
with the most ratings."""
from __future__ import annotations

import numpy as np

from core.ratings import UserRatings


def ratings(rows: list[tuple[int, int, float]]) -> UserRatings:
    users, titles, stars = zip(*rows)
    return UserRatings.from_sorted(np.array(users, np.int64), np.array(titles, np.int64), np.array(stars, np.float64))


# (user, title row, stars), sorted by user as the ETL writes them: user 7 rates three titles, 3 two, 12 one.
SORTED = [(3, 10, 4.0), (3, 11, 2.5), (7, 20, 5.0), (7, 21, 1.0), (7, 22, 3.5), (12, 30, 0.5)]


def slices(r: UserRatings) -> dict[int, list[tuple[int, float]]]:
    return {int(u): [(int(t), float(s)) for t, s in zip(*r.of(int(u)))] for u in r.users}


def test_each_user_gets_exactly_their_own_ratings():
    r = ratings(SORTED)
    assert slices(r) == {3: [(10, 4.0), (11, 2.5)], 7: [(20, 5.0), (21, 1.0), (22, 3.5)], 12: [(30, 0.5)]}
    assert len(r) == 3 and r.row_count == 6
    assert r.users.dtype == np.int32 and r.title_index.dtype == np.int32 and r.rating.dtype == np.float32


def test_rows_out_of_user_order_are_grouped_keeping_each_users_order():
    shuffled = [(7, 20, 5.0), (3, 10, 4.0), (12, 30, 0.5), (7, 21, 1.0), (3, 11, 2.5), (7, 22, 3.5)]
    assert slices(ratings(shuffled)) == slices(ratings(SORTED))


def test_a_single_descent_is_enough_to_regroup():
    # Only the last change of user goes down (9 -> 2): the rows must still be regrouped.
    r = ratings([(1, 1, 1.0), (5, 2, 2.0), (9, 3, 3.0), (2, 4, 4.0)])
    assert [int(u) for u in r.users] == [1, 2, 5, 9]
    assert slices(r) == {1: [(1, 1.0)], 2: [(4, 4.0)], 5: [(2, 2.0)], 9: [(3, 3.0)]}


def test_unknown_users_get_nothing_not_a_neighbours_ratings():
    r = ratings(SORTED)
    for user in (0, 4, 8, 13, 100):  # before the first, between users, after the last
        titles, stars = r.of(user)
        assert len(titles) == 0 and len(stars) == 0
        assert user not in r
    assert all(user in r for user in (3, 7, 12))


def test_the_most_active_user_is_the_one_with_most_ratings():
    assert ratings(SORTED).most_active_user() == 7
    # the busiest user first or last in id order
    assert ratings([(1, 1, 1.0), (1, 2, 1.0), (2, 3, 1.0)]).most_active_user() == 1
    assert ratings([(1, 1, 1.0), (2, 2, 1.0), (2, 3, 1.0)]).most_active_user() == 2


def test_no_ratings_at_all():
    r = UserRatings.from_sorted(np.empty(0, np.int32), np.empty(0, np.int32), np.empty(0, np.float32))
    assert len(r) == 0 and r.row_count == 0 and 1 not in r
    assert [len(a) for a in r.of(1)] == [0, 0]
