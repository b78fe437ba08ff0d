"""Layout 2's manifest.json: written by the ETL, checked by Catalog.load, and what keeps `make run` from
rebuilding the sample over a full build."""
from __future__ import annotations

import hashlib
import json
import os
import shutil

import pytest

from core import Catalog
from core.errors import DataNotFound
from core.settings import SAMPLE_RAW_DIR
from etl.__main__ import main
from etl.pipeline import run


@pytest.fixture
def raw(tmp_path):
    """A copy of the sample, so its files can be touched."""
    copy = tmp_path / "raw"
    shutil.copytree(SAMPLE_RAW_DIR, copy, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return copy


def manifest_of(folder):
    return json.loads((folder / "manifest.json").read_text())


def test_the_etl_writes_the_manifest_of_layout_2(raw, tmp_path, monkeypatch):
    out = tmp_path / "out"
    run(raw, raw / "ratings", out)
    manifest = manifest_of(out)
    others = sorted(p for p in out.rglob("*") if p.is_file() and p.name != "manifest.json")
    assert manifest["layout"] == 2 and manifest["kind"] == "custom"
    assert manifest["raw_dir"] == str(raw.resolve()) and manifest["ratings_dir"] == str((raw / "ratings").resolve())
    assert manifest["files"] == {p.relative_to(out).as_posix(): p.stat().st_size for p in others}
    assert {"titles.parquet", "scores.parquet", "ratings.parquet", "etl_report.json"} <= set(manifest["files"])
    assert manifest["built_at"].endswith("+00:00")
    digest = hashlib.sha256()
    for path in others:
        digest.update(path.relative_to(out).as_posix().encode() + b"\0" + path.read_bytes())
    assert manifest["version"] == digest.hexdigest()
    # Another input, another version; the sample and the full data are named as such.
    (raw / "ratings" / "sample-1.csv").write_text("userId,rating,timestamp,movieId\n1,4.0,1500000000,ns1\n")
    run(raw, raw / "ratings", out)
    assert manifest_of(out)["version"] != manifest["version"]
    run(SAMPLE_RAW_DIR, SAMPLE_RAW_DIR / "ratings", tmp_path / "sample")
    assert manifest_of(tmp_path / "sample")["kind"] == "sample"
    monkeypatch.setenv("FULL_RAW_DIR", str(raw))
    run(raw, raw / "ratings", out)
    assert manifest_of(out)["kind"] == "full"


def test_catalog_load_refuses_another_layout_in_one_line(sample_processed, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(sample_processed, old)
    (old / "manifest.json").unlink()
    with pytest.raises(DataNotFound, match=r"no manifest.json .*run `python -m etl` again") as missing:
        Catalog.load(old)
    assert "\n" not in str(missing.value)
    (old / "manifest.json").write_text(json.dumps({**manifest_of(sample_processed), "layout": 1}))
    with pytest.raises(DataNotFound, match=r"layout 1, this code reads layout 2: run `python -m etl` again"):
        Catalog.load(old)
    assert Catalog.load(sample_processed).manifest["layout"] == 2


def unless_current(raw, out) -> int:
    return main(["--unless-current", "--raw", str(raw), "--out", str(out)])


def test_make_runs_etl_never_rebuilds_the_sample_over_a_full_build(raw, tmp_path, capsys):
    out, full = tmp_path / "processed", tmp_path / "full"
    shutil.copytree(raw, full)
    assert unless_current(raw, out) == 0 and manifest_of(out)["raw_dir"] == str(raw.resolve())  # none yet: built
    built = manifest_of(out)["built_at"], (out / "manifest.json").stat().st_mtime_ns
    assert unless_current(raw, out) == 0 and "is current" in capsys.readouterr().err
    assert ((out / "manifest.json").stat().st_mtime_ns) == built[1]  # current: not rebuilt
    later = (out / "manifest.json").stat().st_mtime + 10
    os.utime(raw / "netflix.csv", (later, later))
    assert unless_current(raw, out) == 0 and "changed since" in capsys.readouterr().err
    assert (out / "manifest.json").stat().st_mtime_ns != built[1]  # a newer input: rebuilt

    run(full, full / "ratings", out)  # now a build from other files (as the full data is)
    version = manifest_of(out)["version"]
    later = (out / "manifest.json").stat().st_mtime + 10
    os.utime(raw / "netflix.csv", (later, later))  # a sample file newer than the full build
    assert unless_current(raw, out) == 0
    said = capsys.readouterr().err
    assert "kept" in said and "make sample" in said
    assert manifest_of(out)["raw_dir"] == str(full.resolve()) and manifest_of(out)["version"] == version
