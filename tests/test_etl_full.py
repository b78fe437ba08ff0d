"""The ETL on the real catalogs and the 11M rebuilt ratings: every rule of the assignment, checked
against the raw files read independently here (csv module, no project code)."""
from __future__ import annotations

import csv
import datetime as dt
import json
import re

import numpy as np
import pandas as pd
import pyarrow.parquet as pq
import pytest

from bench import fulldata

pytestmark = pytest.mark.full

PLATFORM_FILES = {
    "a": "amazon_prime_titles.csv", "d": "disney_plus_titles.csv", "h": "hulu_titles.csv", "n": "netflix_titles.csv",
}
DURATION = re.compile(r"^\s*(\d+)\s+(min|Seasons?)\s*$")


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    rows = []
    for code, name in PLATFORM_FILES.items():
        with open(fulldata.FULL_RAW_DIR / name, newline="", encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                rows.append({"code": code, **row})
    return pd.DataFrame(rows).set_index(pd.Index([r["code"] + r["show_id"] for r in rows], name="id"))


@pytest.fixture(scope="module")
def titles(full_processed) -> pd.DataFrame:
    return pq.read_table(full_processed / "titles.parquet").to_pandas().set_index("id", drop=False)


def test_every_title_is_kept_with_a_unique_prefixed_id(raw, titles):
    assert len(titles) == 22_998
    assert titles["id"].is_unique
    counts = titles["id"].str[0].value_counts().to_dict()
    assert counts == {"a": 9_668, "d": 1_450, "h": 3_073, "n": 8_807}
    assert set(titles.index) == set(raw.index)
    assert titles.loc["as123", "show_id"] == "s123"


def test_schema_is_typed(full_processed):
    schema = pq.read_schema(full_processed / "titles.parquet")
    assert str(schema.field("date_added").type) == "date32[day]"
    assert str(schema.field("release_year").type) == "int16"
    assert str(schema.field("duration_int").type) == "int16"
    assert str(schema.field("cast").type) == "list<element: string>"
    ratings = pq.read_schema(full_processed / "ratings.parquet")
    assert str(ratings.field("user_id").type) == "int32"
    assert str(ratings.field("date").type) == "date32[day]"


def test_missing_maturity_rating_becomes_g(raw, titles):
    empty = raw[(raw["rating"].str.strip() == "")].index
    assert len(empty) == 864
    assert (titles.loc[empty, "rating"] == "g").all()


def test_dates_are_parsed_from_the_raw_text(raw, titles):
    given = raw[raw["date_added"].str.strip() != ""]
    expected = given["date_added"].map(lambda s: dt.datetime.strptime(s.strip(), "%B %d, %Y").date())
    assert (titles.loc[given.index, "date_added"] == expected).all()
    missing = raw.index[raw["date_added"].str.strip() == ""]
    assert titles.loc[missing, "date_added"].isna().all()


def test_every_text_field_is_lowercase_except_display_title(titles):
    for column in ("id", "show_id", "type", "title", "rating", "duration_type", "description"):
        values = titles[column].dropna()
        assert (values == values.str.lower()).all(), column
    for column in ("director", "cast", "country", "listed_in"):
        names = titles[column].explode().dropna()
        assert (names == names.str.lower()).all(), column
    assert (titles["display_title"].str.lower() == titles["title"]).all()
    assert (titles["display_title"] != titles["title"]).sum() > 20_000  # the original casing is kept


def test_display_title_is_the_raw_title_with_whitespace_tidied(raw, titles):
    tidy = raw["title"].map(lambda s: " ".join(s.replace("\u200b", "").split()))
    assert (titles.loc[raw.index, "display_title"] == tidy).all()


def test_durations_split_into_number_and_unit(raw, titles):
    for title_id, text in raw["duration"].items():
        match = DURATION.match(text)
        if match and int(match[1]) > 0:
            row = titles.loc[title_id]
            assert row["duration_int"] == int(match[1]), title_id
            assert row["duration_type"] == ("min" if match[2] == "min" else "season"), title_id
    assert set(titles["duration_type"]) == {"min", "season"}
    movies = titles[titles["type"] == "movie"]
    assert (movies["duration_type"] == "min").all()
    assert (titles.loc[titles["type"] == "tv show", "duration_type"] == "season").all()


def test_durations_found_in_the_rating_column_are_moved_back(raw, titles):
    shifted = raw[raw["rating"].str.match(DURATION) & (raw["duration"].str.strip() == "")]
    assert len(shifted) == 295  # 292 on Hulu, 3 on Netflix
    for title_id, row in shifted.iterrows():
        number, unit = DURATION.match(row["rating"]).groups()
        assert titles.loc[title_id, "duration_int"] == int(number)
        assert titles.loc[title_id, "duration_type"] == ("min" if unit == "min" else "season")
        assert titles.loc[title_id, "rating"] == "g"
    seasons = shifted[shifted["rating"].str.contains("Season")].index
    assert (titles.loc[seasons, "type"] == "tv show").all()  # Hulu listed these series as movies


def test_titles_without_a_duration_are_kept_with_a_missing_number(raw, titles):
    none = raw[(raw["duration"].str.strip() == "") & ~raw["rating"].str.match(DURATION)].index
    zero = raw[raw["duration"].str.strip() == "0 min"].index
    assert len(none) == 187 and len(zero) == 10
    assert titles.loc[none.append(zero), "duration_int"].isna().all()


def test_stray_whitespace_and_split_names_are_repaired(titles):
    text = pd.concat([titles[c] for c in ("title", "display_title", "description")])
    assert not text.str.contains("\u200b|\u00a0|  |\t").any()
    assert not text.str.match(r"^\s|.*\s$").any()
    for column in ("cast", "director", "country", "listed_in"):
        names = titles[column].explode().dropna()
        assert (names != "").all() and (names == names.str.strip()).all(), column
        assert not names.isin(["jr.", "jr", "ph.d.", "md"]).any(), column
    cast = titles["cast"].explode()
    assert "clifton collins, jr." in set(cast)


def test_maturity_rating_spellings_are_unified(titles):
    ratings = set(titles["rating"])
    assert not ratings & {"ages_16_", "ages_18_", "all_ages", "not_rate", "16", "unrated", "ur", "not rated"}
    assert {"16+", "18+", "all", "nr", "g", "pg-13", "tv-ma"} <= ratings


def test_each_title_mean_equals_recsys(full_processed):
    scores = pq.read_table(full_processed / "scores.parquet").to_pandas().set_index("id")
    recsys = pd.read_csv(fulldata.FULL_RAW_DIR / "ratings" / "recsys.csv", index_col=0).set_index("movieId")
    assert len(scores) == len(recsys) == 22_998
    joined = scores.join(recsys, how="inner")
    np.testing.assert_allclose(joined["score"], joined["rating"], rtol=1e-12)
    assert scores["rating_count"].sum() == 11_024_289
    assert scores["rating_count"].between(396, 576).all()


def test_ratings_are_kept_compact_and_sorted_by_user(full_processed):
    ratings = pq.read_table(full_processed / "ratings.parquet")
    assert ratings.num_rows == 11_024_289
    users = ratings.column("user_id").to_numpy()
    assert (np.diff(users) >= 0).all()
    assert len(np.unique(users)) == 115_077
    stars = ratings.column("rating").to_numpy()
    assert set(np.unique(stars * 2).astype(int)) <= set(range(1, 11))
    first = ratings.slice(0, 1).to_pylist()[0]
    assert isinstance(first["date"], dt.date) and 1990 < first["date"].year < 2030


def test_report_counts_every_repair(full_processed):
    report = json.loads((full_processed / "etl_report.json").read_text())
    repaired = report["repaired"]
    assert repaired["duration found in the rating column, moved back"] == 295
    assert repaired["missing maturity rating set to 'g'"] > 1_000
    assert report["titles_in"] == report["titles_out"] == 22_998
    assert report["ratings_in"] == report["ratings_out"] == 11_024_289
    before, after = report["missing_values"]["before"], report["missing_values"]["after"]
    assert before["rating"] > 0 and after["rating"] == 0
    assert before["duration"] == 482 and after["duration_int"] == 197  # 295 moved back, 10 zero-length uploads
    # Nothing fills an empty description or an unknown country: they stay missing, and are counted so.
    assert before["description"] == after["description"] == 4
    assert before["country"] == after["country"] == 11_499
