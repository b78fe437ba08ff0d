"""The ETL and the queries on the authored sample, whose rows hold one example of every quirk
(data/sample/README.md lists them by platform and show_id)."""
from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
from fixture_scope import shared


@pytest.fixture(scope=shared("module"))
def titles(sample_processed):
    return pq.read_table(sample_processed / "titles.parquet").to_pandas().set_index("id", drop=False)


def test_counts_and_ids(titles):
    assert len(titles) == 131
    assert titles["id"].str[0].value_counts().to_dict() == {"a": 32, "d": 33, "h": 31, "n": 35}
    assert titles["id"].is_unique


def test_duration_in_the_rating_column_is_moved_back(titles):
    assert (titles.loc["hs10", ["duration_int", "duration_type", "rating"]].tolist()) == [90, "min", "g"]
    assert (titles.loc["hs11", ["duration_int", "duration_type", "rating"]].tolist()) == [2, "season", "g"]
    assert titles.loc["ns31", "duration_int"] == 65


def test_missing_and_zero_durations_are_missing(titles):
    assert titles.loc[["hs13", "hs14", "hs15", "as8"], "duration_int"].isna().all()
    assert titles.loc["hs14", "duration_type"] == "season"  # a show without a number is still counted in seasons


def test_missing_and_misspelled_maturity_ratings(titles):
    assert (titles.loc[["as9", "ds33", "hs16", "ns32"], "rating"] == "g").all()
    expected = {"as1": "18+", "as2": "16+", "as7": "16+", "as25": "all", "as26": "nr", "hs17": "nr"}
    assert titles.loc[list(expected), "rating"].to_dict() == expected


def test_whitespace_is_tidied(titles):
    assert titles.loc["hs7", "display_title"] == "Good Will Hunting"
    assert titles.loc["hs2", "display_title"] == "The Matrix Reloaded"
    assert not titles.loc["hs18", "description"].startswith("\u200b")
    assert "carrie-anne moss" in titles.loc["hs3", "cast"]
    assert titles.loc["ns10", "director"].tolist() == ["noah baumbach"]
    assert str(titles.loc["ns16", "date_added"]) == "2020-11-15"


def test_name_lists_are_repaired(titles):
    assert "" not in titles.loc["as1", "cast"] and "" not in titles.loc["ns14", "cast"]
    assert "robert downey, jr." in titles.loc["ds12", "cast"]
    assert "neil degrasse tyson, ph.d." in titles.loc["ds26", "cast"]
    assert titles.loc["ns26", "country"].tolist() == ["united states"]
    assert titles.loc["ns11", "country"].tolist() == ["france", "germany"]


def test_bad_ratings_rows_are_reported(sample_processed):
    report = json.loads((sample_processed / "etl_report.json").read_text())
    assert report["ratings_in"] - report["ratings_out"] == 4
    assert report["dropped"] == {
        "rating row with a non-integer userId": 1,
        "rating row with an unknown movieId": 1,
        "rating row outside 0.5-5.0 in half steps": 2,
    }


def test_queries_on_the_sample(sample_catalog):
    top = sample_catalog.top_actors("hulu", 2003)
    assert top[0].name == "keanu reeves" and top[0].count == 3
    tie = sample_catalog.top_actors("disney", 2019, n=2)
    assert [(a.name, a.count) for a in tie] == [("brie larson", 2), ("samuel l. jackson", 2)]
    assert sample_catalog.get_actor("amazon", 2021) == "j.k. simmons"
    counts = sample_catalog.count_platform("Disney+")
    assert (counts.movies, counts.tv_shows, counts.total) == (28, 5, 33)
    assert sample_catalog.get_count_platform("prime") == 32
    longest = sample_catalog.max_duration(None, "netflix", "min")
    netflix_movies = [t for t in sample_catalog.titles if t.platform.key == "netflix" and t.type == "movie"]
    assert longest.duration_int == max(t.duration_int for t in netflix_movies if t.duration_int)


def test_sample_user_ratings(sample_catalog):
    rows, stars = sample_catalog.ratings.of(42)
    assert len(rows) > 10 and stars.min() >= 0.5 and stars.max() <= 5.0
    assert 42 in sample_catalog.ratings
