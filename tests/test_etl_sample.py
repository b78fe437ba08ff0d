"""The ETL and the queries on the authored sample, whose rows hold one example of every quirk
(data/sample/README.md lists them by platform and show_id)."""
from __future__ import annotations

import csv
import json
from collections import Counter

import pyarrow.parquet as pq
import pytest
from fixture_scope import shared

from core.settings import SAMPLE_RAW_DIR


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


def test_the_etl_report_counts_what_came_in_and_went_out(sample_processed):
    # data/sample/README.md: 32 + 33 + 31 + 35 titles, 1,889 valid ratings + 4 bad rows (sample-2.csv lines
    # 398-401: movie zs999, stars 7.0, stars 2.3, user "abc")
    report = json.loads((sample_processed / "etl_report.json").read_text())
    assert set(report) == {"titles_in", "titles_out", "ratings_in", "ratings_out", "missing_values", "repaired",
                           "dropped", "examples"}
    assert (report["titles_in"], report["titles_out"]) == (131, 131)
    assert (report["ratings_in"], report["ratings_out"]) == (1_893, 1_889)
    examples = report["examples"]
    assert examples["rating row with an unknown movieId"] == ["zs999"]
    assert examples["rating row with a non-integer userId"] == ["abc"]
    assert sorted(map(float, examples["rating row outside 0.5-5.0 in half steps"])) == [2.3, 7.0]
    # the README's table of planted faults: 4 empty maturity ratings and the 3 rows whose duration sat in
    # the rating column get "g"; hs10, hs11, ns31 moved back; hs13-hs15 without any; as8's "0 min"; ns35 unrated
    assert {k: report["repaired"][k] for k in (
        "missing maturity rating set to 'g'", "duration found in the rating column, moved back",
        "no duration at all (kept, duration_int missing)", "zero duration (placeholder upload) set to missing",
        "title with no ratings (score left missing)", "maturity rating spelling unified (ages_16_ -> 16+, "
        "not_rate -> nr, ...)")} == {
        "missing maturity rating set to 'g'": 7, "duration found in the rating column, moved back": 3,
        "no duration at all (kept, duration_int missing)": 3, "zero duration (placeholder upload) set to missing": 1,
        "title with no ratings (score left missing)": 1,
        "maturity rating spelling unified (ages_16_ -> 16+, not_rate -> nr, ...)": 6}


def test_the_etl_report_counts_empty_raw_fields_and_whitespace_repairs(sample_processed):
    report = json.loads((sample_processed / "etl_report.json").read_text())
    empty = Counter()
    for name in ("amazon", "disney", "hulu", "netflix"):
        with (SAMPLE_RAW_DIR / f"{name}.csv").open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                empty.update(column for column, value in row.items() if value == "")
    before = report["missing_values"]["before"]
    assert {c: before[c] for c in ("director", "cast", "country", "date_added", "rating", "duration")} == {
        c: empty[c] for c in ("director", "cast", "country", "date_added", "rating", "duration")}
    # the README's table: title hs7 (double space) and hs2 (U+00A0); description ns12 (U+00A0) and hs18
    # (U+200B); director ns10; date_added ns16 and ns17
    repaired = report["repaired"]
    assert {c: repaired[f"stray whitespace in {c}"] for c in ("title", "description", "director", "date_added")} == {
        "title": 2, "description": 2, "director": 1, "date_added": 2}
    assert len(report["examples"]["stray whitespace in title"]) == 2
    assert "stray whitespace in country" not in repaired and "stray whitespace in type" not in repaired


def test_the_linkage_report_names_the_samples_copies(sample_processed):
    # data/sample/README.md lists the copies of one work: as5 = hs7, as6 = hs8, as7 = ns11, hs9 = ns15, ds13 = ns35
    report = json.loads((sample_processed / "linkage_report.json").read_text())
    assert set(report) == {"titles", "works", "works_with_several_copies", "copies_per_work", "pairs_compared",
                           "merge_at", "borderline_from", "merges", "borderline", "kept_apart"}
    assert (report["titles"], report["works"], report["works_with_several_copies"]) == (131, 126, 5)
    assert report["copies_per_work"] == {"1": 121, "2": 5}
    assert {frozenset(m["pair"]) for m in report["merges"]} == {
        frozenset(p) for p in (("as5", "hs7"), ("as6", "hs8"), ("as7", "ns11"), ("hs9", "ns15"), ("ds13", "ns35"))}
    # Good Will Hunting's copies (as5, hs7) are both directed by Gus Van Sant (data/sample/amazon.csv, hulu.csv)
    good_will = next(m for m in report["merges"] if set(m["pair"]) == {"as5", "hs7"})
    assert good_will["evidence"].get("directors", 0) > 0
    assert report["pairs_compared"] >= len(report["merges"]) + len(report["borderline"])
    for merge in report["merges"]:
        assert set(merge) == {"pair", "titles", "score", "evidence"}
        assert merge["score"] >= report["merge_at"] and merge["score"] == pytest.approx(sum(merge["evidence"].values()))
    for pair in report["borderline"]:
        assert report["borderline_from"] <= pair["score"] < report["merge_at"]
    assert report["borderline_from"] < report["merge_at"]


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
