"""Shared fixtures: the sample catalog (fast) and the full catalog from ../shared (slower, in CI too).

The full data is never committed: bench/fulldata.py rebuilds its ratings into an ignored folder
the first time a test needs them. Every test that uses it is marked `full` (here, from the fixtures
it uses), so `-m "not full"` leaves it out; without the data it skips with one line saying how to get
it, unless `CI` is set, where a missing data folder fails.
"""
from __future__ import annotations

import os

# The tests never read a developer's .env (nor the file BOT_ENV_FILE names): a test that needs a setting
# sets it. This runs before any project module reads its settings, and child processes inherit it.
os.environ["BOT_ENV_FILE"] = os.devnull
# Nor a developer's saved state (a developer's `/lang es` in data/state/bot.db once turned a console test
# Spanish): the `own_state` fixture below gives every test a database and state file of its own.

from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from hypothesis import settings  # noqa: E402

from bench import fulldata  # noqa: E402
from core import Catalog  # noqa: E402
from core.settings import SAMPLE_RAW_DIR  # noqa: E402
from etl.pipeline import run  # noqa: E402
from fixture_scope import shared  # noqa: E402

FULL_FIXTURES = {"full_processed", "full_catalog"}


def uses_full_data(item: pytest.Item) -> bool:
    """A test needs the full data when it (or a fixture it uses) asks for a full fixture, directly or
    through a parameter naming one (`params=["sample_catalog", "full_catalog"]` + getfixturevalue)."""
    if FULL_FIXTURES & set(getattr(item, "fixturenames", ())):
        return True
    params = getattr(getattr(item, "callspec", None), "params", {})
    return any(value in ("full", *FULL_FIXTURES) for value in params.values() if isinstance(value, str))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if uses_full_data(item) and not item.get_closest_marker("full"):
            item.add_marker(pytest.mark.full)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("full"):
        missing = fulldata.missing_full_data()
        if missing and os.environ.get("CI"):
            pytest.fail(f"{missing} (CI is set, so the full-data tests must run)", pytrace=False)
        if missing:
            pytest.skip(missing)  # one place, so pytest's summary folds every such skip into one line


@pytest.fixture(autouse=True)
def own_state(tmp_path_factory, monkeypatch) -> None:
    """Whatever the bot or console saves during a test goes to a folder of that test's own, never to the
    developer's data/state/ nor to another test's (a test that needs another setting sets it)."""
    state = tmp_path_factory.mktemp("state")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{state}/bot.db")
    monkeypatch.setenv("BOT_STATE_FILE", str(state / "bot.pickle"))


def ensure_full_ratings() -> Path:
    try:
        return fulldata.ensure_full_ratings()
    except fulldata.FullDataMissing as missing:
        pytest.fail(str(missing))


@pytest.fixture(scope=shared("session"))
def sample_processed(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("sample") / "processed"
    run(SAMPLE_RAW_DIR, SAMPLE_RAW_DIR / "ratings", out)
    return out


@pytest.fixture(scope=shared("session"))
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


# Hypothesis: in CI (CI is set) the same examples every run, so a red build is the code's fault, not the draw's,
# and no example database is written; on a developer's machine it draws new inputs each run.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev")
settings.load_profile("ci" if os.environ.get("CI") else "dev")
