"""Faults the ETL must survive (issue 10), on small inputs written here and run as the real `python -m etl`:
a stray quote or a truncated line in a ratings file, damaged catalog rows, and the debris of killed runs.

Expected counts come from the lines this file writes, never from the ETL."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from core.settings import PROJECT_ROOT, SAMPLE_RAW_DIR

CATALOGS = ("amazon.csv", "disney.csv", "hulu.csv", "netflix.csv")
GOOD_TITLE = "Faultline Test Movie"  # a good row written after the damaged ones: it must survive them


def etl(raw: Path, ratings: Path, out: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "etl", "--raw", str(raw), "--ratings", str(ratings),
                           "--out", str(out)], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=300)


def report(out: Path) -> dict:
    return json.loads((out / "etl_report.json").read_text())


@pytest.fixture
def raw(tmp_path) -> Path:
    """The sample catalogs, and one ratings file of the sample's good lines (counted here)."""
    folder = tmp_path / "raw"
    folder.mkdir()
    for name in CATALOGS:
        shutil.copy(SAMPLE_RAW_DIR / name, folder / name)
    (folder / "ratings").mkdir()
    return folder


def sample_rating_lines() -> list[str]:
    lines = (SAMPLE_RAW_DIR / "ratings" / "sample-1.csv").read_text().splitlines()
    assert lines[0] == "userId,rating,timestamp,movieId"
    return lines[1:]


def write_ratings(raw: Path, body: str) -> Path:
    path = raw / "ratings" / "1.csv"
    path.write_text("userId,rating,timestamp,movieId\n" + body)
    return path


# ---- ratings ------------------------------------------------------------------------------------------------
def test_a_stray_quote_costs_its_own_line_and_nothing_else(raw, tmp_path):
    lines = sample_rating_lines()
    stray = '1,"4.0,1451280587,ns1'  # the line: it swallowed every row up to the next quote
    middle = len(lines) // 2
    write_ratings(raw, "\n".join(lines[:middle] + [stray] + lines[middle:]) + "\n")
    done = etl(raw, raw / "ratings", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    facts = report(tmp_path / "out")
    assert facts["ratings_in"] == len(lines) + 1  # rows in = the lines in the file
    assert facts["ratings_out"] == len(lines)  # every good line kept
    assert facts["dropped"] == {"rating row with a non-numeric rating": 1}
    assert '"4.0' in " ".join(facts["examples"]["rating row with a non-numeric rating"])
    assert pq.read_table(tmp_path / "out" / "ratings.parquet").num_rows == len(lines)


def test_a_quote_in_a_user_id_and_a_truncated_last_line_are_dropped_alone(raw, tmp_path):
    lines = sample_rating_lines()
    write_ratings(raw, "\n".join(lines[:10] + ['"1,4.0,1451280587,ns1'] + lines[10:] + ["22,3."]))  # no final \n
    done = etl(raw, raw / "ratings", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    facts = report(tmp_path / "out")
    assert facts["ratings_in"] == len(lines) + 2 and facts["ratings_out"] == len(lines)
    assert facts["dropped"] == {"rating row with a non-integer userId": 1,
                                "rating line with the wrong number of fields (e.g. truncated)": 1}
    assert "22,3." in " ".join(facts["examples"]["rating line with the wrong number of fields (e.g. truncated)"])
    assert "wrong number of fields" in done.stdout  # shown in the run's repairs too


def test_a_ratings_file_unreadable_as_a_whole_stops_the_run_naming_it(raw, tmp_path):
    (raw / "ratings" / "1.csv").write_bytes(b"\x00\xff\xfe" * 1000)
    done = etl(raw, raw / "ratings", tmp_path / "out")
    assert done.returncode == 2
    assert done.stderr.strip().splitlines()[-1].startswith("etl: 1.csv: ")
    assert "Traceback" not in done.stderr


# ---- catalogs ------------------------------------------------------------------------------------------------
def damaged_rows(columns: int) -> dict[str, bytes]:
    good = ',Movie,{title},,,,,2020,PG,90 min,Dramas,"A description, with a comma."\n'
    return {
        "16 columns": b"s9001,Movie,Sixteen,a,b,c,d,2020,PG,90 min,Dramas,desc,x,y,z,w\n",
        "unterminated quote": b's9002,Movie,"Unterminated,,,,,2020,PG,90 min,Dramas,no closing quote\n',
        "not UTF-8": b"s9003,Movie,Bad \xff\xfe bytes,,,,,2020,PG,90 min,Dramas,latin-1 caf\xe9\n",
        "10 MB description": b"s9004,Movie,Huge,,,,,2020,PG,90 min,Dramas," + b"x" * 10_000_000 + b"\n",
        "good": ("s9005" + good.format(title=GOOD_TITLE)).encode(),
    }


def test_bad_catalog_rows_are_dropped_with_their_lines_and_the_rest_kept(raw, tmp_path):
    clean = etl(raw, SAMPLE_RAW_DIR / "ratings", tmp_path / "clean")
    assert clean.returncode == 0, clean.stderr
    netflix = raw / "netflix.csv"
    before = netflix.read_bytes()
    assert before.endswith(b"\n")
    first_bad_line = before.count(b"\n") + 1
    netflix.write_bytes(before + b"".join(damaged_rows(12).values()))
    done = etl(raw, SAMPLE_RAW_DIR / "ratings", tmp_path / "out")
    assert done.returncode == 0, done.stderr  # before: a 27-line pyarrow traceback
    facts = report(tmp_path / "out")
    dropped = facts["dropped"]
    assert dropped["catalog row with bytes that are not UTF-8"] == 1
    assert dropped["catalog row over 64 KB"] == 1
    assert dropped["catalog row that does not parse into 12 columns (stray or unterminated quote, extra commas)"] == 2
    examples = " ".join(facts["examples"]["catalog row that does not parse into 12 columns "
                                          "(stray or unterminated quote, extra commas)"])
    assert f"netflix.csv:{first_bad_line}:" in examples and f"netflix.csv:{first_bad_line + 1}:" in examples
    titles = pq.read_table(tmp_path / "out" / "titles.parquet").to_pandas()
    kept = pq.read_table(tmp_path / "clean" / "titles.parquet").to_pandas()
    assert len(titles) == len(kept) + 1  # every sample title, plus the good row written after the bad ones
    assert GOOD_TITLE in set(titles["display_title"])
    assert set(kept["id"]) < set(titles["id"])
    assert "Traceback" not in done.stderr


def test_a_catalog_unreadable_as_a_whole_stops_the_run_naming_it(raw, tmp_path):
    (raw / "hulu.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40)
    done = etl(raw, SAMPLE_RAW_DIR / "ratings", tmp_path / "out")
    assert done.returncode == 2, done.stderr
    assert done.stderr.strip().splitlines()[-1].startswith("etl: hulu.csv: ")
    assert "Traceback" not in done.stderr


# ---- killed runs ----------------------------------------------------------------------------------------------
def test_the_next_run_restores_an_output_moved_aside_and_removes_staging_debris(tmp_path):
    out = tmp_path / "processed"
    assert etl(SAMPLE_RAW_DIR, SAMPLE_RAW_DIR / "ratings", out).returncode == 0
    titles = (out / "titles.parquet").read_bytes()
    # What a kill between the two renames leaves: the output inside `.processed.old-*`, no `processed`.
    retired = tmp_path / ".processed.old-k1ll3d"
    retired.mkdir()
    os.replace(out, retired / "processed")
    for stage in (".processed.tmp-abc123", ".processed.tmp-def456"):  # unfinished outputs of killed runs
        (tmp_path / stage).mkdir()
        (tmp_path / stage / "ratings.parquet").write_bytes(b"PAR1 half written")
    failing = etl(SAMPLE_RAW_DIR, tmp_path / "no-ratings-here", out)  # even a run that then fails tidies up
    assert failing.returncode == 2
    assert (out / "titles.parquet").read_bytes() == titles  # the previous output is back
    assert sorted(p.name for p in tmp_path.iterdir()) == ["processed"]
    assert "restored" in failing.stderr and "removed 2 unfinished output folder(s)" in failing.stderr


def test_a_run_killed_at_any_moment_leaves_nothing_the_next_run_does_not_clean(tmp_path):
    out = tmp_path / "processed"
    assert etl(SAMPLE_RAW_DIR, SAMPLE_RAW_DIR / "ratings", out).returncode == 0
    process = subprocess.Popen([sys.executable, "-m", "etl", "--raw", str(SAMPLE_RAW_DIR), "--out", str(out)],
                               cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    for line in process.stderr:  # kill it as it starts writing (wherever the kill lands, the next run copes)
        if line.startswith("writing "):
            process.send_signal(signal.SIGKILL)
            break
    process.wait(timeout=120)
    process.stderr.close()
    process.stdout.close()
    assert etl(SAMPLE_RAW_DIR, SAMPLE_RAW_DIR / "ratings", out).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["processed"]
    assert pq.read_table(out / "titles.parquet").num_rows > 0


def test_a_capitalised_show_id_is_a_row_like_any_other(raw, tmp_path):
    netflix = raw / "netflix.csv"
    netflix.write_bytes(netflix.read_bytes() + b"S9100,Movie,Capital Id Movie,,,,,2020,PG,90 min,Dramas,fine\n"
                        + b's9101,Movie,"Broken,,,,,2020,PG,90 min,Dramas,no closing quote\n')
    done = etl(raw, SAMPLE_RAW_DIR / "ratings", tmp_path / "out")
    assert done.returncode == 0, done.stderr
    titles = pq.read_table(tmp_path / "out" / "titles.parquet").to_pandas()
    assert "Capital Id Movie" in set(titles["display_title"])  # kept, though the file needed recovering
    dropped = report(tmp_path / "out")["dropped"]
    assert sum(n for why, n in dropped.items() if why.startswith("catalog")) == 1  # only the broken row
