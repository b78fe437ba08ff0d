"""The ETL names every missing input in one message before doing any work (a person fixes them all at once),
checked in this process on hand-made folders."""
from __future__ import annotations

import shutil

import pytest

from core.settings import SAMPLE_RAW_DIR
from etl.errors import InputError
from etl.pipeline import check_inputs


def test_a_missing_catalog_folder_and_ratings_folder_are_both_named(tmp_path):
    with pytest.raises(InputError) as error:
        check_inputs(tmp_path / "raw", tmp_path / "ratings")
    assert str(error.value) == (f"missing catalog folder: {tmp_path / 'raw'}; "
                                f"missing ratings folder: {tmp_path / 'ratings'}")


def test_each_missing_catalog_and_an_empty_ratings_folder_are_named(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(SAMPLE_RAW_DIR, raw, ignore=shutil.ignore_patterns("*.py", "*.md"))
    (raw / "hulu.csv").unlink()
    (raw / "netflix.csv").unlink()
    (raw / "empty").mkdir()
    (raw / "empty" / "notes.txt").write_text("not a ratings file")
    with pytest.raises(InputError) as error:
        check_inputs(raw, raw / "empty")
    assert str(error.value).split("; ") == [
        f"missing catalog file: {raw / 'hulu_titles.csv'} (or hulu.csv)",
        f"missing catalog file: {raw / 'netflix_titles.csv'} (or netflix.csv)",
        f"no ratings files (1.csv, 2.csv, ...) in {raw / 'empty'}",
    ]


def test_the_sample_is_complete():
    check_inputs(SAMPLE_RAW_DIR, SAMPLE_RAW_DIR / "ratings")
