"""Every ETL drop rule on a tiny input written here: what is kept is listed by hand, and every dropped row is
counted in the report and named by its id (or value), so a rule that stops dropping fails here."""
from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from fixture_scope import shared
from tiny_catalog import HEADER, RATINGS_HEADER, row, write_csv

from etl.pipeline import run

GOOD = dict(year=2001, genres="Dramas", description="a story")
CATALOGS = {
    "amazon": [
        row("s1", "Movie", "Kept First", **GOOD),
        row("s1", "Movie", "Duplicate Id", **GOOD),  # same platform and show_id: the second row goes
        row("S1", "Movie", "Duplicate In Capitals", **GOOD),  # ids are compared lowercase
        row("s2", "Movie", "", **GOOD),  # no title
        row("s3", "Podcast", "Unknown Type", **GOOD),
        row("s4", "Movie", "Year Too Old", year=1799),
        row("s5", "Movie", "Year Too New", year=2101),
        row("s6", "Movie", "Year Unreadable", year="soon"),
        row("s7", "Movie", "Year Missing", year=""),
        row("s8", "Movie", "Oldest Year Kept", year=1800),
        row("s9", "Movie", "Newest Year Kept", year=2100),
        row("s10", "Movie", "Odd Date Kept", date_added="the other day", **GOOD),
        row("s11", "TV Show", "Show Kept", **GOOD),
    ],
    # the same show_id on another platform is another title, not a duplicate
    "disney": [row("s1", "Movie", "Other Platform Kept", **GOOD)],
    "hulu": [row("s1", "movie", "Lowercase Type Kept", duration="90 min", **GOOD)],
    "netflix": [row("s1", "Movie", "Netflix Kept", **GOOD)],
}
KEPT = {"as1", "as8", "as9", "as10", "as11", "ds1", "hs1", "ns1"}
# rows dropped per rule: duplicate id, no title, unknown type, release year, and the unreadable date (row kept)
TITLE_DROPS = [2, 1, 1, 4, 1]
NAMED = ["as1", "as2", "as3", "as4", "the other day"]  # the report names (up to 3) examples of each rule
# Ratings: the first file parses typed (integers throughout), the second needs the text path.
TYPED = [
    [1, 4.0, 1_500_000_000, "as1"],
    [1, 3.0, 1_500_000_001, "zs404"],  # unknown movieId
    [2, 5.5, 1_500_000_002, "as1"],  # above the scale
    [2, 0.0, 1_500_000_003, "as1"],  # below it
    [2, 2.25, 1_500_000_004, "as1"],  # not a half step
    [0, 3.0, 1_500_000_005, "as1"],  # userId below 1
    [-3, 3.0, 1_500_000_006, "as1"],
    [3, 0.5, 1_500_000_007, "ns1"],
]
TEXT = [
    [4, "5.0", "1500000100", "AS1 "],  # ids are matched trimmed and lowercase
    ["abc", "3.0", "1500000101", "as1"],  # userId not an integer
    ["4.5", "3.0", "1500000102", "as1"],
    [5, "four", "1500000103", "as1"],  # rating not a number
    [5, "3.0", "yesterday", "as1"],  # timestamp unreadable
    [5, "2.0", "1500000105", "ds1"],
]
RATINGS_KEPT = {"as1": [4.0, 5.0], "ns1": [0.5], "ds1": [2.0]}
# unknown movieId 1, off the scale 3, userId below 1 2, non-integer userId 2, non-numeric rating 1, timestamp 1
RATING_DROPS = [1, 3, 2, 2, 1, 1]
RATINGS_NAMED = ["zs404", "5.5", "2.25", "-3", "abc", "4.5", "four", "yesterday"]


@pytest.fixture(scope=shared("module"))
def built(tmp_path_factory):
    raw = tmp_path_factory.mktemp("drops") / "raw"
    (raw / "ratings").mkdir(parents=True)
    for platform, rows in CATALOGS.items():
        write_csv(raw / f"{platform}.csv", [HEADER, *rows])
    write_csv(raw / "ratings" / "1.csv", [RATINGS_HEADER, *TYPED])
    write_csv(raw / "ratings" / "2.csv", [RATINGS_HEADER, *TEXT])
    out = raw.parent / "processed"
    return run(raw, raw / "ratings", out), out


def test_exactly_the_good_title_rows_are_kept(built):
    summary, out = built
    titles = pq.read_table(out / "titles.parquet").to_pandas().set_index("id")
    assert set(titles.index) == KEPT
    assert titles.loc["as1", "display_title"] == "Kept First"  # the first of the duplicates stays
    assert titles.loc[["as8", "as9"], "release_year"].tolist() == [1800, 2100]
    assert titles.loc["hs1", "type"] == "movie"
    assert titles.loc["as10", "date_added"] is None or str(titles.loc["as10", "date_added"]) in ("NaT", "None")
    assert (summary.titles_in, summary.titles_out) == (sum(map(len, CATALOGS.values())), len(KEPT))


def test_every_dropped_title_row_is_counted_and_named(built):
    summary, _ = built
    title_drops = [n for why, n in summary.log.drops.items() if "rating row" not in why]
    assert sorted(title_drops) == sorted(TITLE_DROPS)
    report = "\n".join(summary.log.lines())
    for example in NAMED:
        assert example in report, example


def test_exactly_the_good_rating_rows_are_kept(built):
    summary, out = built
    ratings = pq.read_table(out / "ratings.parquet").to_pandas()
    kept = ratings.groupby(ratings["id"].astype(str))["rating"].apply(sorted).to_dict()
    assert kept == RATINGS_KEPT
    assert (summary.ratings_in, summary.ratings_out) == (len(TYPED) + len(TEXT), 4)
    scores = pq.read_table(out / "scores.parquet").to_pandas().set_index("id")
    assert scores.loc["as1", "score"] == 4.5 and scores.loc["as1", "rating_count"] == 2


def test_every_dropped_rating_row_is_counted_and_named(built):
    summary, _ = built
    rating_drops = [n for why, n in summary.log.drops.items() if "rating row" in why]
    assert sorted(rating_drops) == sorted(RATING_DROPS)
    report = "\n".join(summary.log.lines())
    for value in RATINGS_NAMED:
        assert value in report, value


def test_each_drop_is_counted_under_its_own_reason(built):
    summary, _ = built
    drops = dict(summary.log.drops)
    assert {why: n for why, n in drops.items() if why.startswith("rating ")} == {
        "rating row with an unknown movieId": 1,
        "rating row outside 0.5-5.0 in half steps": 3,
        "rating row with a userId below 1": 2,
        "rating row with a non-integer userId": 2,
        "rating row with a non-numeric rating": 1,
        "rating row with an unreadable timestamp": 1,
    }
    assert {why: n for why, n in drops.items() if not why.startswith("rating ")} == {
        "duplicate id (second row dropped)": 2,
        "row without a title": 1,
        "row with an unknown type": 1,
        "row without a readable release_year": 4,
        "unreadable date_added set to missing (row kept)": 1,
    }
    examples = summary.log.examples
    assert examples["row without a readable release_year"] == ["as4", "as5", "as6"]  # the first three of four
    assert examples["rating row outside 0.5-5.0 in half steps"] == ["0", "2.25", "5.5"]
    assert examples["rating row with a userId below 1"] == ["-3", "0"]
    assert examples["rating row with a non-integer userId"] == ["abc", "4.5"]


def test_bytes_that_are_not_utf8_in_a_ratings_file_cost_their_row_alone(tmp_path):
    raw = tmp_path / "raw"
    (raw / "ratings").mkdir(parents=True)
    for platform, rows in CATALOGS.items():
        write_csv(raw / f"{platform}.csv", [HEADER, *rows])
    # "abc" sends the file down the text path; the Latin-1 movieId there is an unknown id, the rest is kept
    (raw / "ratings" / "1.csv").write_bytes(b"userId,rating,timestamp,movieId\n1,4.0,1500000000,as1\n"
                                            b"abc,3.0,1500000001,as1\n2,3.0,1500000002,caf\xe9\n")
    summary = run(raw, raw / "ratings", tmp_path / "out")
    assert (summary.ratings_in, summary.ratings_out) == (3, 1)
    drops = {why: n for why, n in summary.log.drops.items() if why.startswith("rating ")}
    assert drops == {"rating row with a non-integer userId": 1, "rating row with an unknown movieId": 1}
