"""The linkage's rules one field at a time, on hand-made rows: which pairs are compared, what each field
adds, which pairs merge, which are kept apart, and each work's name and score.

test_linkage.py checks the result on the sample and (with the full data) on labelled pairs; a weight
applied to the wrong case there moves a few pairs across the threshold, which a floor may not notice.
Here every expected number is read off the rules in etl/linkage.py's docstring and `Weights` by hand."""
from __future__ import annotations

import math

import numpy as np
import pytest

from etl.linkage import DescriptionWords, Rows, candidate_pairs, compare, link, linkage_report, works_table

# Descriptions that set the share of rare words two rows have in common (the background rows make
# "alpha" occur in 2 of 4 descriptions, every other word in 1).
SAME_BLURB = ("alpha kilo lima", "alpha kilo lima")  # all shared: >= 0.35
SOME_WORDS = ("alpha kilo lima", "alpha november oscar")  # log 2 / (log 2 + 2 log 4) = 0.2: 0.15-0.35
FEW_WORDS = ("alpha kilo lima mike", "alpha november oscar papa")  # log 2 / (log 2 + 3 log 4) = 0.14: no weight
UNRELATED = ("kilo lima", "november oscar")  # nothing shared: < 0.05


def movie(title="How I Met", year=2000, minutes=100, directors=(), cast=(), description="", kind="movie"):
    return dict(kind=kind, title=title, year=year, minutes=minutes, directors=frozenset(directors),
                cast=frozenset(cast), description=description)


def show(title="The Office", year=2000, seasons=3, **fields):
    return movie(title, year, seasons, kind="tv show", **fields)


def rows_of(*items: dict) -> Rows:
    return Rows(ids=[f"t{i}" for i in range(len(items))], types=[r["kind"] for r in items],
                titles=[r["title"] for r in items], years=[r["year"] for r in items],
                minutes=[r["minutes"] for r in items], directors=[r["directors"] for r in items],
                cast=[r["cast"] for r in items], descriptions=[r["description"] for r in items])


def evidence(a: dict, b: dict, blurbs: tuple[str, str] = ("", "")) -> dict:
    background = [movie("Quebec", description="quebec"), movie("Romeo", description="romeo")]
    rows = rows_of({**a, "description": blurbs[0]}, {**b, "description": blurbs[1]}, *background)
    score, found = compare(rows, 0, 1, DescriptionWords(rows, {0, 1, 2, 3}))
    assert score == pytest.approx(sum(found.values()))
    return found


def test_the_same_movie_listed_twice_scores_every_field():
    a = movie(directors={"ann lee"}, cast={"bo day", "cy fox", "dee gray"})
    b = movie(minutes=103, directors={"ann lee"}, cast={"bo day", "cy fox"})
    assert evidence(a, b, SAME_BLURB) == {"title": 4.0, "year": 1.5, "directors": 3.0, "cast": 3.0,
                                          "duration": 1.5, "description": 2.0}


def test_a_short_common_title_counts_less_and_each_field_has_its_steps():
    a = movie("Mother", 2000, 100, directors={"ann lee"}, cast={"bo day", "cy fox"})
    b = movie("Mother", 2001, 108, directors={"zed ray"}, cast={"bo day", "eve hart"})
    assert evidence(a, b, SOME_WORDS) == {"title": 2.5, "year": 0.5, "directors": -4.0, "cast": 1.5,
                                          "duration": 0.5, "description": 1.0}


@pytest.mark.parametrize("gap, weight", [(0, 1.5), (1, 0.5), (2, -4.0), (3, -4.0), (4, -8.0), (30, -8.0)])
def test_movie_years(gap, weight):
    assert evidence(movie(year=2000), movie(year=2000 + gap))["year"] == weight
    assert evidence(movie(year=2000 + gap), movie(year=2000))["year"] == weight


@pytest.mark.parametrize("other, weight", [
    (100, 1.5), (97, 1.5), (96, 0.5), (92, 0.5), (91, -1.0), (84, -1.0), (116, -1.0), (83, -5.0), (117, -5.0),
    (60, -5.0),  # 60% of 100 is not under 60%: a cut, not an extra
    (59, -10.0), (200, -10.0),  # one under 60% of the other: an extra or a short
])
def test_movie_minutes(other, weight):
    assert evidence(movie(minutes=100), movie(minutes=other))["duration"] == weight


def test_no_duration_or_no_director_or_cast_on_one_side_is_no_evidence():
    found = evidence(movie(minutes=None, cast={"bo day"}), movie(directors={"ann lee"}, cast=()))
    assert found == {"title": 4.0, "year": 1.5}
    assert "duration" not in evidence(movie(minutes=100), movie(minutes=None))


@pytest.mark.parametrize("a, b, weight", [
    ({"bo day", "cy fox"}, {"eve hart", "fay lin"}, -2.0),  # a movie's casts of two, none shared
    ({"bo day", "cy fox", "dee gray"}, {"eve hart", "fay lin", "guy ohm"}, -3.0),  # three or more each
    ({"bo day", "cy fox", "dee gray"}, {"eve hart", "fay lin"}, -2.0),  # only one side has three
    # romanised names differ but two surnames are shared: counted as one shared name
    ({"jung hwa yang", "min ho kim"}, {"jeong hwa yang", "minho kim"}, 1.5),
    ({"jung hwa yang", "bo day"}, {"jeong hwa yang", "cy fox"}, -2.0),  # one shared surname is not enough
])
def test_movie_casts(a, b, weight):
    assert evidence(movie(cast=a), movie(cast=b))["cast"] == weight


def test_directors_match_on_a_surname_too():
    assert evidence(movie(directors={"bj novak"}), movie(directors={"b j novak"}))["directors"] == 3.0
    assert evidence(movie(directors={"bj novak", "ann lee"}), movie(directors={"zed ray"}))["directors"] == -4.0


def test_shows():
    # an equal key of one or two words counts fully for a show; seasons only count when equal
    assert evidence(show(), show(year=2001)) == {"title": 4.0, "year": 0.5, "duration": 0.5}
    assert evidence(show(), show(year=2005, seasons=4)) == {"title": 4.0}  # a few years apart: no evidence
    assert evidence(show(), show(year=2012))["title"] == 4.0 and "year" not in evidence(show(), show(year=2012))
    assert evidence(show(), show(year=2013))["year"] == -4.0
    assert evidence(show(cast={"bo day"}), show(cast={"cy fox"}))["cast"] == -1.0  # dubbed voices
    assert evidence(show(cast={"bo day", "cy fox", "dee gray"}), show(cast={"eve hart", "fay lin", "guy ohm"}))[
        "cast"] == -3.0


@pytest.mark.parametrize("blurbs, weight", [(SAME_BLURB, 2.0), (SOME_WORDS, 1.0), (FEW_WORDS, 0.0),
                                            (UNRELATED, -1.5)])
def test_descriptions(blurbs, weight):
    assert evidence(movie(), movie(), blurbs)["description"] == weight


def test_a_missing_description_is_no_evidence():
    assert "description" not in evidence(movie(), movie(), ("alpha kilo", ""))
    rows = rows_of(movie(description="alpha"), movie(description=""))
    assert math.isnan(DescriptionWords(rows, {0, 1}).similarity(0, 1))


def test_titles_only_close_score_less_than_equal_ones():
    assert evidence(movie("Ralph Breaks the Internet"), movie("Ralph Breaks the Internet: Wreck-It Ralph 2"))[
        "title"] == 2.0


def test_blocking_compares_equal_titles_of_one_type_and_close_titles_of_one_director():
    rows = rows_of(
        movie("Ralph Breaks the Internet", 2018, directors={"rich moore"}),  # 0
        movie("Ralph Breaks the Internet: Wreck-It Ralph 2", 2018, directors={"rich moore"}),  # 1: contained
        movie("Ralph Breaks the Internet", 2019),  # 2: equal key, no director
        show("Ralph Breaks the Internet", 2018),  # 3: a show: never with the movies
        movie("Sardaar Ji", 2015, directors={"rohit jugraj"}),  # 4
        movie("Sardaar Ji 2", 2015, directors={"rohit jugraj"}),  # 5: only a number apart: a sequel
        movie("Ralph Breaks the Internet 3D", 2019, directors={"rich moore"}),  # 6: a year later: not blocked
        show("Pyar Ka Safar", 2010, directors={"ann lee"}),  # 7
        show("Pyaar Ka Safar", 2011, directors={"ann lee"}),  # 8: a near spelling, a year apart: a show may be
        show("Forky Asks a Question: What is Love?", 2019, directors={"bob roe"}),  # 9
        show("Forky Asks a Question: What is a Pet?", 2019, directors={"bob roe"}),  # 10: another entry
        movie("", 2000), movie("", 2000),  # 11, 12: no Latin letters, no key: nothing to block on
    )
    assert candidate_pairs(rows) == {(0, 1), (0, 2), (7, 8)}


def test_a_prolific_director_blocks_nothing():
    near = [movie(f"Episode Story {i}", 2000, directors={"house director"}) for i in range(61)]
    near[1] = movie("Episode Story 0 Extended", 2000, directors={"house director"})
    assert candidate_pairs(rows_of(*near)) == set()
    assert candidate_pairs(rows_of(*near[:60])) == {(0, 1)}


def test_merges_join_best_first_unless_a_pair_across_disagrees():
    rows = rows_of(
        movie(year=1990, cast={"ann", "bob", "cy"}),  # 0
        movie(year=1991, cast={"ann", "bob", "cy", "dee", "eve", "fay"}),  # 1: 4 + 0.5 + 3 + 1.5 = 9 with each
        movie(year=1992, cast={"dee", "eve", "fay"}),  # 2: with 0, 4 - 4 - 3 + 1.5 = -1.5: against
        movie("Some Other Film", 2000, minutes=100), movie("Some Other Film", 2001, minutes=91),  # 3, 4: 3.5
        movie("Third Film Here", 2005), movie("Third Film Here", 2005),  # 5, 6: 4 + 1.5 + 1.5 = 7
    )
    linkage = link(rows)
    assert linkage.work_of_row.tolist() == [0, 0, 1, 2, 3, 4, 4]
    assert linkage.members == [[0, 1], [2], [3], [4], [5, 6]]
    assert [(m["pair"], m["score"]) for m in linkage.merges] == [(["t0", "t1"], 9.0), (["t5", "t6"], 7.0)]
    assert [(k["pair"], k["against"]) for k in linkage.kept_apart] == [(["t1", "t2"], [["t0", "t2"]])]
    assert [(b["pair"], b["score"]) for b in linkage.borderline] == [(["t3", "t4"], 3.5)]
    assert linkage.pairs_compared == 5  # (0,1) (0,2) (1,2) (3,4) (5,6)
    report = linkage_report(rows, linkage)
    assert (report["titles"], report["works"], report["works_with_several_copies"]) == (7, 5, 2)
    assert report["copies_per_work"] == {"1": 3, "2": 2}


def test_a_film_and_a_show_of_one_title_and_year_are_never_one_work():
    # Disney's "A Christmas Carol" (the 2009 film) and Hulu's show of that name: were the type not part of
    # the blocking, the equal key and year alone (2.5 + 1.5) would reach MERGE_AT (no seasons listed here).
    rows = rows_of(movie("Disney's A Christmas Carol", 2019, minutes=97), show("A Christmas Carol (2019)", 2019, None),
                   movie("A Christmas Carol", 2019, minutes=97))
    assert link(rows).members == [[0, 2], [1]]


def test_a_lower_threshold_merges_the_borderline_pair():
    rows = rows_of(movie("Some Other Film", 2000, minutes=100), movie("Some Other Film", 2001, minutes=91))
    assert link(rows).members == [[0], [1]]
    assert link(rows, merge_at=3.5).members == [[0, 1]]


def test_a_work_is_named_by_its_bare_copy_and_scored_over_every_rating():
    rows = rows_of(movie("Marvel Studios' Avengers"), movie("Avengers"), movie("Solo (4K UHD)"), movie("Up"))
    linkage = link(rows)
    assert linkage.members == [[0, 1], [2], [3]]
    means, counts = np.array([4.0, 2.0, np.nan, 5.0]), np.array([1, 3, 0, 2])
    table = works_table(rows, linkage, means, counts)
    assert table == {"work_id": [0, 1, 2], "ids": [["t0", "t1"], ["t2"], ["t3"]],
                     "display_title": ["Avengers", "Solo", "Up"], "score": [2.5, None, 5.0],
                     "rating_count": [4, 0, 2]}
