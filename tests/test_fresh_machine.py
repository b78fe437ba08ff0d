"""A fresh clone without ../shared: the full-data tests skip in one line saying how to get the data,
unless CI is set, where they fail; `-m "not full"` leaves them out; CI's script fails before installing."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

from core.settings import PROJECT_ROOT

A_FULL_TEST = "tests/test_etl_full.py::test_schema_is_typed"
A_PARAMETRIZED_ONE = "tests/test_recommend.py::test_similar_excludes_the_title_and_its_copies"


def pytest_without_data(tmp_path, *args: str, ci: bool) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in ("CI", "FULL_RAW_DIR", "FULL_RATINGS_DIR")}
    environment |= {"FULL_RAW_DIR": str(tmp_path / "no-shared" / "raw"),
                    "FULL_RATINGS_DIR": str(tmp_path / "no-ratings"), **({"CI": "true"} if ci else {})}
    return subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *args],
                          cwd=PROJECT_ROOT, env=environment, capture_output=True, text=True, timeout=300)


def test_without_the_data_full_tests_skip_in_one_line(tmp_path):
    done = pytest_without_data(tmp_path, A_FULL_TEST, A_PARAMETRIZED_ONE, ci=False)
    assert done.returncode == 0, done.stdout
    skipped = [line for line in done.stdout.splitlines() if line.startswith("SKIPPED")]
    assert len(skipped) == 1 and "full data missing" in skipped[0] and "../shared" in skipped[0], done.stdout
    assert "1 passed, 2 skipped" in done.stdout  # the sample case of the parametrized test still runs


def test_without_the_data_ci_fails(tmp_path):
    done = pytest_without_data(tmp_path, A_FULL_TEST, ci=True)
    assert done.returncode != 0 and "full data missing" in done.stdout and "CI is set" in done.stdout


def test_not_full_leaves_them_out(tmp_path):
    done = pytest_without_data(tmp_path, A_FULL_TEST, A_PARAMETRIZED_ONE, "-m", "not full", ci=True)
    assert done.returncode == 0 and "1 passed, 2 deselected" in done.stdout, done.stdout


def test_ci_script_fails_at_once_without_the_data(tmp_path):
    project = tmp_path / "project"  # nothing beside it: no ../shared
    (project / ".ci").mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / ".ci" / "run", project / ".ci" / "run")
    environment = {k: v for k, v in os.environ.items() if k not in ("FULL_RAW_DIR", "FULL_RATINGS_DIR")}
    done = subprocess.run(["bash", ".ci/run"], cwd=project, env=environment | {"CI": "true"},
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1 and "the full data is missing" in done.stderr
    assert not (project / ".venv").exists()  # failed before installing anything
