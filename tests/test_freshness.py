"""`python -m etl --unless-current` (what `make run` runs): for each way a build can be stale or current,
whether it is rebuilt and the exact line the terminal shows, on a copy of the sample's build."""
from __future__ import annotations

import json
import os
import shutil

import pytest

from core.settings import SAMPLE_RAW_DIR
from etl.freshness import Freshness, freshness

RATINGS = SAMPLE_RAW_DIR / "ratings"


@pytest.fixture
def data(sample_processed, tmp_path):
    out = tmp_path / "processed"
    shutil.copytree(sample_processed, out)
    return out


def rewrite_manifest(out, **changes) -> None:
    path = out / "manifest.json"
    stamp = path.stat().st_mtime
    path.write_text(json.dumps({**json.loads(path.read_text()), **changes}))
    os.utime(path, (stamp, stamp))  # the same age: only the fields changed


def test_a_current_build_is_kept(data):
    raw = SAMPLE_RAW_DIR.resolve()
    assert freshness(data, SAMPLE_RAW_DIR, RATINGS) == Freshness(False, f"{data} is current (sample build from {raw})")


def test_no_build_yet_is_built(tmp_path):
    missing = tmp_path / "nothing"
    found = freshness(missing, SAMPLE_RAW_DIR, RATINGS)
    assert found.rebuild and found.why.startswith(f"{missing} has no manifest.json")


def test_the_sample_is_replaced_by_a_build_from_other_files(data, tmp_path):
    other = tmp_path / "raw"
    other.mkdir()
    assert freshness(data, other, other) == Freshness(True, f"{data} holds the sample; building from {other}")


def test_a_full_or_custom_build_from_other_files_is_kept(data, tmp_path):
    elsewhere = tmp_path / "full"
    rewrite_manifest(data, raw_dir=str(elsewhere), kind="full", built_at="2026-01-02T03:04:05+00:00")
    assert freshness(data, SAMPLE_RAW_DIR, RATINGS) == Freshness(
        False, f"{data} holds the full build from {elsewhere} (2026-01-02T03:04:05+00:00): kept. "
               "Back to the sample: make sample")
    manifest = json.loads((data / "manifest.json").read_text())
    del manifest["kind"], manifest["built_at"]  # an older manifest: a custom build of unknown date
    (data / "manifest.json").write_text(json.dumps(manifest))
    assert freshness(data, SAMPLE_RAW_DIR, RATINGS).why == (
        f"{data} holds the custom build from {elsewhere} (?): kept. Back to the sample: make sample")


def test_a_newer_input_is_rebuilt(data, tmp_path):
    raw, ratings = tmp_path / "raw", tmp_path / "raw" / "ratings"
    shutil.copytree(SAMPLE_RAW_DIR, raw)
    rewrite_manifest(data, raw_dir=str(raw.resolve()))
    assert not freshness(data, raw, ratings).rebuild
    later = (data / "manifest.json").stat().st_mtime + 10
    os.utime(next(ratings.glob("*.csv")), (later, later))  # a ratings file counts as an input too
    assert freshness(data, raw, ratings) == Freshness(True, f"{raw} changed since {data} was built")


def test_a_build_without_a_mapped_file_is_rebuilt(data):
    (data / "works.arrow").unlink()
    assert freshness(data, SAMPLE_RAW_DIR, RATINGS) == Freshness(
        True, f"{data} has no works.arrow (built before the bot mapped its files)")


def test_a_fit_by_other_weights_is_rebuilt(data):
    state = json.loads((data / "similarity" / "state.json").read_text())
    state["meta"]["weights"]["genres"] += 0.05
    (data / "similarity" / "state.json").write_text(json.dumps(state))
    assert freshness(data, SAMPLE_RAW_DIR, RATINGS) == Freshness(
        True, f"the recommender saved in {data} was fitted by other code or weights")
