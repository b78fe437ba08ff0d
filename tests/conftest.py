"""Shared fixtures: the sample catalog (fast) and the full catalog from ../shared (slower, in CI too).

The full data is never committed: its ratings are rebuilt by ../shared/tools/make_ratings.py into
the ignored folder data/ratings_full/ (or $FULL_RATINGS_DIR) the first time a test needs them.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from core import Catalog
from core.settings import PROJECT_ROOT, SAMPLE_RAW_DIR
from etl.pipeline import run

SHARED = PROJECT_ROOT.parent / "shared"
FULL_RAW_DIR = Path(os.environ.get("FULL_RAW_DIR", SHARED / "data" / "raw"))
FULL_RATINGS_DIR = Path(os.environ.get("FULL_RATINGS_DIR", PROJECT_ROOT / "data" / "ratings_full"))
MAKE_RATINGS = SHARED / "tools" / "make_ratings.py"


def ensure_full_ratings() -> Path:
    """Rebuild the full ratings once (about 20 s); later runs reuse them."""
    if not (FULL_RATINGS_DIR / "8.csv").is_file():
        if not MAKE_RATINGS.is_file():
            pytest.fail(f"the full data is missing: {MAKE_RATINGS} (tests need ../shared beside the project)")
        FULL_RATINGS_DIR.mkdir(parents=True, exist_ok=True)
        subprocess.run([sys.executable, str(MAKE_RATINGS), "--out", str(FULL_RATINGS_DIR)], check=True)
    return FULL_RATINGS_DIR


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
    run(FULL_RAW_DIR, ensure_full_ratings(), out)
    return out


@pytest.fixture(scope="session")
def full_catalog(full_processed) -> Catalog:
    return Catalog.load(full_processed)
