"""The ETL's failure modes on tiny inputs written here: bad rows are skipped and counted, a missing
file or column stops the run with one line, and a failed or interrupted run leaves the old output."""
from __future__ import annotations

import csv
import hashlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from core.settings import PROJECT_ROOT
from etl import pipeline
from etl.__main__ import main
from etl.errors import InputError
from etl.pipeline import run

HEADER = ["show_id", "type", "title", "director", "cast", "country", "date_added", "release_year", "rating",
          "duration", "listed_in", "description"]
CATALOGS = {
    "amazon_prime_titles.csv": [
        ["s1", "Movie", "Paddington", "Paul King", "Ben Whishaw, Hugh Bonneville", "United Kingdom", "", "2014", "",
         "95 min", "Comedy, Kids", "A polite bear from Peru looks for a home in London."],
        ["s2", "TV Show", "The Boys", "", "Karl Urban", "United States", "", "2019", "AGES_18_", "3 Seasons",
         "Action", "Vigilantes take on superheroes who abuse their powers."],
    ],
    "disney_plus_titles.csv": [
        ["s1", "Movie", "Up", "Pete Docter", "Ed Asner", "United States", "November 12, 2019", "2009", "PG", "96 min",
         "Animation, Family", "An old man ties balloons to his house and flies away."],
    ],
    "hulu_titles.csv": [
        ["s1", "Movie", "Shrill", "", "", "", "October 9, 2021", "2019", "3 Seasons", "", "Comedy",
         "\u200bA writer wants to change her life, not her body."],
    ],
    "netflix_titles.csv": [
        ["s1", "Movie", "Roma", "Alfonso Cuarón", "Yalitza Aparicio", ", Mexico", " December 14, 2018", "2018", "R",
         "135 min", "Dramas", "A year in the life of a housekeeper in Mexico City."],
    ],
}
RATINGS = [
    ["userId", "rating", "timestamp", "movieId"],
    ["1", "4.5", "1500000000", "as1"],
    ["1", "3.0", "1500000100", "ds1"],
    ["2", "5.0", "1500000200", "as1"],
    ["2", "2.5", "1500000300", "ns1"],
    ["3", "1.0", "1500000400", "hs1"],
    ["3", "4.0", "1500000500", "zs999"],  # unknown movieId
    ["4", "7.0", "1500000600", "as2"],  # off the scale
    ["4", "2.3", "1500000700", "as2"],  # not a half step
    ["abc", "3.0", "1500000800", "as2"],  # not an integer user
    ["5", "3.5", "1500000900", "as2"],
]


def write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


@pytest.fixture
def raw(tmp_path) -> Path:
    folder = tmp_path / "raw"
    (folder / "ratings").mkdir(parents=True)
    for name, rows in CATALOGS.items():
        write_csv(folder / name, [HEADER, *rows])
    write_csv(folder / "ratings" / "1.csv", RATINGS)
    return folder


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_bad_rating_rows_are_counted_and_skipped(raw, tmp_path):
    summary = run(raw, raw / "ratings", tmp_path / "out")
    assert summary.ratings_in == 10 and summary.ratings_out == 6
    drops = summary.log.drops
    assert drops["rating row with an unknown movieId"] == 1
    assert drops["rating row outside 0.5-5.0 in half steps"] == 2
    assert drops["rating row with a non-integer userId"] == 1
    scores = pq.read_table(tmp_path / "out" / "scores.parquet").to_pandas().set_index("id")
    assert scores.loc["as1", "score"] == 4.75 and scores.loc["as1", "rating_count"] == 2
    assert scores.loc["as2", "score"] == 3.5  # only the valid row counts
    report = "\n".join(summary.log.lines())
    assert "unknown movieId" in report and "zs999" in report


def test_a_non_numeric_rating_is_skipped_without_failing_the_file(raw, tmp_path):
    # Every user id here is an integer, so the file takes the fast typed path; "four" is dropped there.
    write_csv(raw / "ratings" / "1.csv", [RATINGS[0], ["1", "4.0", "1500000000", "as1"],
                                          ["2", "four", "1500000100", "as1"], ["3", "2.5", "1500000200", "ds1"]])
    summary = run(raw, raw / "ratings", tmp_path / "out")
    assert (summary.ratings_in, summary.ratings_out) == (3, 2)
    assert summary.log.drops == {"rating row with a non-numeric rating": 1}
    assert "four" in "\n".join(summary.log.lines())
    scores = pq.read_table(tmp_path / "out" / "scores.parquet").to_pandas().set_index("id")
    assert scores.loc["as1", "score"] == 4.0 and scores.loc["as1", "rating_count"] == 1


def test_tiny_catalog_quirks_are_repaired(raw, tmp_path):
    run(raw, raw / "ratings", tmp_path / "out")
    titles = pq.read_table(tmp_path / "out" / "titles.parquet").to_pandas().set_index("id")
    assert titles.loc["hs1", "duration_int"] == 3 and titles.loc["hs1", "type"] == "tv show"
    assert titles.loc["hs1", "rating"] == "g"
    assert titles.loc["hs1", "description"].startswith("a writer")
    assert titles.loc["as1", "rating"] == "g" and titles.loc["as2", "rating"] == "18+"
    assert titles.loc["ns1", "country"].tolist() == ["mexico"]
    assert str(titles.loc["ns1", "date_added"]) == "2018-12-14"
    assert titles.loc["ns1", "display_title"] == "Roma" and titles.loc["ns1", "title"] == "roma"


def test_missing_catalog_file_stops_with_one_line(raw, tmp_path, capsys):
    (raw / "hulu_titles.csv").unlink()
    code = main(["--raw", str(raw), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2
    assert err[-1].startswith("etl: missing catalog file") and "hulu_titles.csv" in err[-1]
    assert not (tmp_path / "out").exists()


def test_short_file_names_are_accepted_but_not_beside_the_kaggle_ones(raw, tmp_path):
    (raw / "hulu_titles.csv").rename(raw / "hulu.csv")
    (raw / "ratings" / "1.csv").rename(raw / "ratings" / "sample-1.csv")
    summary = run(raw, raw / "ratings", tmp_path / "out")
    assert (summary.titles_out, summary.ratings_in) == (5, 10)
    write_csv(raw / "hulu_titles.csv", [HEADER, *CATALOGS["hulu_titles.csv"]])
    with pytest.raises(InputError, match="two catalog files for hulu"):
        run(raw, raw / "ratings", tmp_path / "out")


def test_missing_column_stops_with_one_line(raw, tmp_path):
    without_duration = [c for c in HEADER if c != "duration"]
    write_csv(raw / "netflix_titles.csv", [without_duration, CATALOGS["netflix_titles.csv"][0][:11]])
    with pytest.raises(InputError, match=r"netflix_titles.csv: missing column\(s\) duration"):
        run(raw, raw / "ratings", tmp_path / "out")


def test_missing_ratings_column_or_folder(raw, tmp_path):
    write_csv(raw / "ratings" / "2.csv", [["userId", "rating", "movieId"], ["1", "3.0", "as1"]])
    with pytest.raises(InputError, match=r"2.csv: missing column\(s\) timestamp"):
        run(raw, raw / "ratings", tmp_path / "out")
    write_csv(raw / "ratings" / "2.csv", [["userId", "movieId"], ["1", "as1"]])
    with pytest.raises(InputError, match=r"2.csv: missing column\(s\) rating, timestamp$"):
        run(raw, raw / "ratings", tmp_path / "out")
    with pytest.raises(InputError, match="missing ratings folder"):
        run(raw, tmp_path / "nowhere", tmp_path / "out")


def test_a_failed_run_leaves_the_previous_output_untouched(raw, tmp_path):
    out = tmp_path / "out"
    run(raw, raw / "ratings", out)
    before = digest(out)
    write_csv(raw / "ratings" / "2.csv", [["userId", "rating"], ["1", "3.0"]])
    with pytest.raises(InputError):
        run(raw, raw / "ratings", out)
    assert digest(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []  # no staging left behind


def test_an_interrupted_run_leaves_the_previous_output_untouched(raw, tmp_path, monkeypatch, capsys):
    out = tmp_path / "out"
    run(raw, raw / "ratings", out)
    before = digest(out)
    written = pipeline.write_table

    def write_then_interrupt(table, path):
        # A real SIGINT, raised at a fixed point (mid-write, some files already staged): no race with the run.
        written(table, path)
        signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(pipeline, "write_table", write_then_interrupt)
    assert main(["--raw", str(raw), "--out", str(out)]) == 130
    assert "previous output is untouched" in capsys.readouterr().err
    assert digest(out) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []  # no staging left behind


def test_every_missing_input_is_named_at_once(raw, tmp_path, capsys):
    (raw / "hulu_titles.csv").unlink()
    (raw / "netflix_titles.csv").unlink()
    code = main(["--raw", str(raw), "--ratings", str(tmp_path / "no-ratings"), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1, err
    assert "hulu_titles.csv" in err[0] and "netflix_titles.csv" in err[0] and "no-ratings" in err[0]
    assert "amazon" not in err[0]
    code = main(["--raw", str(tmp_path / "no-raw"), "--out", str(tmp_path / "out")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "no-raw" in err[0] and "ratings" in err[0], err


def test_the_cli_prints_progress_repairs_and_a_summary(raw, tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "etl", "--raw", str(raw), "--out", str(tmp_path / "out")],
        cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "ratings 1/1" in done.stderr
    assert "repaired" in done.stdout and "dropped" in done.stdout
    last = done.stdout.strip().splitlines()[-1]
    assert last.startswith("done: titles 5 in, 5 out; ratings 10 in, 6 out;") and " s -> " in last


def test_environment_variables_set_the_paths(raw, tmp_path):
    out = tmp_path / "from-env"
    env = {**os.environ, "CATALOG_RAW_DIR": str(raw), "CATALOG_DATA_DIR": str(out)}
    done = subprocess.run([sys.executable, "-m", "etl"], cwd=PROJECT_ROOT, capture_output=True, text=True, env=env)
    assert done.returncode == 0, done.stderr
    assert (out / "titles.parquet").is_file()
