"""Shared fixtures: the sample catalog (fast) and the full catalog from ../shared (slower, in CI too).

The full data is never committed: bench/fulldata.py rebuilds its ratings into an ignored folder
the first time a test needs them.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from bench import fulldata
from core import Catalog
from core.settings import SAMPLE_RAW_DIR
from etl.pipeline import run


def ensure_full_ratings() -> Path:
    try:
        return fulldata.ensure_full_ratings()
    except fulldata.FullDataMissing as missing:
        pytest.fail(str(missing))


@pytest.fixture(scope="session")
def sample_processed(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "processed"
    run(SAMPLE_RAW_DIR, SAMPLE_RAW_DIR / "ratings", out)
    return out


@pytest.fixture(scope="session")
def sample_catalog(sample_processed) -> Catalog:
    return Catalog.load(sample_processed)


@pytest.fixture(scope="session")
def full_processed(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("full") / "processed"
    run(fulldata.FULL_RAW_DIR, ensure_full_ratings(), out)
    return out


@pytest.fixture(scope="session")
def full_catalog(full_processed) -> Catalog:
    return Catalog.load(full_processed)
