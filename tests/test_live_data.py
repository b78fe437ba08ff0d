"""Live data (issue 13): `python -m etl` writes a new output while the bot runs, and the bot moves to it.

Two authored variants of the sample: A is the sample, B the sample without Netflix's "The Dark Knight" (s7).
Their answers differ where we know: /count netflix, the card of ns7, Christopher Nolan's titles, and the
people after "Aaron Eckhart" (credited on s7 only) sit one place earlier in B's sorted names. The watcher
is checked explicitly and its load held by the test, so every step is deterministic: no sleeps, no clocks.
"""
from __future__ import annotations

import asyncio
import csv
import gc
import logging
import os
import shutil
import threading
import weakref
from pathlib import Path

import pytest

from bot.app import WATCHER, build_application
from bot.context import CATALOGS
from bot.live import CatalogWatcher, ready_catalog
from bot.local import CONSOLE_TOKEN, LocalBotAPI, LocalSession
from bot.settings import Settings, SettingsError
from core.settings import SAMPLE_RAW_DIR
from etl.pipeline import run

DROPPED = "s7"  # Netflix's The Dark Knight
STALE = "This button has expired."


def netflix_count(raw: Path) -> str:
    """/count netflix's reply, counted from the raw file."""
    with (raw / "netflix.csv").open(encoding="utf-8", newline="") as handle:
        kinds = [row["type"] for row in csv.DictReader(handle)]
    movies, shows = kinds.count("Movie"), kinds.count("TV Show")
    return f"Netflix has {len(kinds)} titles: {movies} movies and {shows} TV shows."


@pytest.fixture(scope="module")
def raws(tmp_path_factory) -> tuple[Path, Path]:
    """The raw folders of A (the sample) and B (the sample without s7 on Netflix)."""
    root = tmp_path_factory.mktemp("raw")
    a, b = root / "a", root / "b"
    shutil.copytree(SAMPLE_RAW_DIR, a)
    shutil.copytree(SAMPLE_RAW_DIR, b)
    with (a / "netflix.csv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if row["show_id"] != DROPPED]
        fields = reader.fieldnames
    with (b / "netflix.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fields)
        writer.writeheader()
        writer.writerows(rows)
    return a, b


def build(raw: Path, out: Path) -> None:
    """`python -m etl --raw RAW --out OUT`: the new output replaces the old one with two renames."""
    run(raw, raw / "ratings", out)


class HeldAnswers(LocalBotAPI):
    """The in-process Bot API, holding every answerCallbackQuery while `hold` is set: a button press is then
    in flight after it checked its button against the catalog and before it replies."""

    def __init__(self) -> None:
        super().__init__()
        self.hold = False
        self.held = 0
        self.gate = asyncio.Event()
        self.all_held = asyncio.Event()
        self.expected = 0

    async def do_request(self, url, method, request_data=None, *args, **kwargs):
        if self.hold and url.endswith("/answerCallbackQuery"):
            self.held += 1
            if self.held == self.expected:
                self.all_held.set()
            await self.gate.wait()
        return await super().do_request(url, method, request_data, *args, **kwargs)


class HeldLoad:
    """A catalog loader the test lets go of: the watcher's load starts, waits for `release`, then loads."""

    def __init__(self) -> None:
        self.started, self.release = threading.Event(), threading.Event()

    def __call__(self, path: Path):
        self.started.set()
        self.release.wait()
        return ready_catalog(path)


async def bot_on(out: Path, api: LocalBotAPI | None = None):
    api = api or LocalBotAPI()
    settings = Settings(token=CONSOLE_TOKEN, state_file=None, throttle_burst=10**6)
    application = build_application(ready_catalog(out), settings, request=api, rate_limiter=False)
    await application.initialize()
    return LocalSession(application, api), application


def texts(calls) -> list[str]:
    return [c.text for c in calls if c.method in ("sendMessage", "editMessageText")]


def replies_in(api: LocalBotAPI, chat_id: int) -> list[str]:
    """What the bot sent to one chat (updates run at once, so their calls interleave in `api.calls`)."""
    return texts(c for c in api.calls if str(c.params.get("chat_id")) == str(chat_id))


def answered(calls) -> str | None:
    return next((c.params.get("text") for c in calls if c.method == "answerCallbackQuery"), None)


async def test_a_swap_during_load_answers_every_update_from_one_whole_catalog(raws, tmp_path):
    raw_a, raw_b = raws
    count_a, count_b = netflix_count(raw_a), netflix_count(raw_b)
    assert count_a != count_b
    out = tmp_path / "processed"
    build(raw_a, out)
    api = HeldAnswers()
    session, application = await bot_on(out, api)
    catalogs, watcher = application.bot_data[CATALOGS], application.bot_data[WATCHER]
    old = weakref.ref(catalogs.current)
    [choices] = [c for c in await session.message("/person christopher nolen") if c.method == "sendMessage"]
    nolan_a = next(b["callback_data"] for b in choices.buttons if b["text"].startswith("Christopher Nolan"))
    [listed] = texts(await session.press(nolan_a, choices))
    assert "The Dark Knight" in listed  # A credits him with it

    build(raw_b, out)  # python -m etl while the bot runs
    watcher.load = held = HeldLoad()
    try:
        check = asyncio.create_task(watcher.check())
        await asyncio.to_thread(held.started.wait)  # B is loading in the background...
        await asyncio.gather(*(session.message("/count netflix", user_id=u) for u in range(10, 40)))
        assert [replies_in(api, u) for u in range(10, 40)] == [[count_a]] * 30  # ...while A answers, undisturbed

        # Presses that checked their button against A and are still running when B is swapped in.
        api.hold, api.expected = True, 8
        in_flight = [asyncio.create_task(session.press(f"c:n{DROPPED}", user_id=u)) for u in range(50, 54)]
        in_flight += [asyncio.create_task(session.press(nolan_a, user_id=u)) for u in range(60, 64)]
        await api.all_held.wait()
        held.release.set()
        assert await check is True
        assert catalogs.alive == 2  # A stays while its presses run

        api.hold = False  # new updates, answered from B
        await asyncio.gather(*(session.message("/count netflix", user_id=u) for u in range(70, 100)))
        assert [replies_in(api, u) for u in range(70, 100)] == [[count_b]] * 30
        assert answered(await session.press(f"c:n{DROPPED}", choices)) == STALE  # gone from B
        # A's button to Christopher Nolan, pressed on B (where the names after Aaron Eckhart moved up one)
        [listed] = texts(await session.press(nolan_a, choices))
        assert "Christopher Nolan" in listed and "Memento" in listed and "The Dark Knight" not in listed

        api.gate.set()
        await asyncio.gather(*in_flight)
        finished = [replies_in(api, u) for u in (*range(50, 54), *range(60, 64))]
        assert all(len(replies) == 1 for replies in finished)
        cards, nolans = [r[0] for r in finished[:4]], [r[0] for r in finished[4:]]
        assert all("The Dark Knight" in card and "2008" in card for card in cards)  # A's card, whole
        assert all("Christopher Nolan" in text and "The Dark Knight" in text for text in nolans)
        assert catalogs.alive == 1
        del in_flight, finished
        assert old() is None  # A is gone once its last update finished (no collector run needed)
    finally:  # a failed assert must not leave the load's thread or the presses waiting forever
        held.release.set()
        api.gate.set()
    await application.shutdown()


@pytest.mark.parametrize("breakage", ["layout", "missing file", "damaged file"])
async def test_a_broken_new_output_keeps_the_old_catalog_with_one_log_line(raws, tmp_path, caplog, breakage):
    raw_a, raw_b = raws
    out = tmp_path / "processed"
    build(raw_a, out)
    session, application = await bot_on(out)
    watcher: CatalogWatcher = application.bot_data[WATCHER]
    staged = tmp_path / "next"
    build(raw_b, staged)
    if breakage == "layout":
        manifest = (staged / "manifest.json").read_text()
        (staged / "manifest.json").write_text(manifest.replace('"layout": 2', '"layout": 1'))
    elif breakage == "missing file":
        (staged / "works.parquet").unlink()
    else:
        (staged / "titles.parquet").write_bytes(b"PAR1 not really")
    os.rename(out, tmp_path / "retired")
    os.rename(staged, out)
    caplog.set_level(logging.INFO, logger="bot.live")
    assert await watcher.check() is False
    assert await watcher.check() is False  # the same broken output: not loaded again, not logged again
    errors = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(errors) == 1 and "not loaded, still answering from" in errors[0].getMessage()
    assert "\n" not in errors[0].getMessage() and errors[0].exc_info is None
    assert texts(await session.message("/count netflix")) == [netflix_count(raw_a)]

    build(raw_b, out)  # fixed: the next good output is taken
    assert await watcher.check() is True
    assert texts(await session.message("/count netflix")) == [netflix_count(raw_b)]
    await application.shutdown()


async def test_a_folder_caught_mid_rename_is_tried_again_never_a_crash(raws, tmp_path, caplog):
    raw_a, raw_b = raws
    out = tmp_path / "processed"
    build(raw_a, out)
    session, application = await bot_on(out)
    watcher: CatalogWatcher = application.bot_data[WATCHER]
    build(raw_b, tmp_path / "next")
    caplog.set_level(logging.INFO, logger="bot.live")

    os.rename(out, tmp_path / "retired")  # between the ETL's two renames: no folder at all
    assert await watcher.check() is False
    os.rename(tmp_path / "next", out)

    def vanishing(path: Path):  # the folder is renamed away while the load reads it
        os.rename(path, tmp_path / "away")
        return ready_catalog(path)

    watcher.load = vanishing
    assert await watcher.check() is False
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]  # a race, not a broken output
    assert texts(await session.message("/count netflix")) == [netflix_count(raw_a)]
    os.rename(tmp_path / "away", out)
    watcher.load = ready_catalog
    assert await watcher.check() is True  # tried again: B
    assert texts(await session.message("/count netflix")) == [netflix_count(raw_b)]
    assert await watcher.check() is False  # nothing new
    await application.shutdown()


async def test_the_catalog_is_watched_while_the_application_runs(raws, tmp_path):
    out = tmp_path / "processed"
    build(raws[0], out)
    settings = Settings(token=CONSOLE_TOKEN, state_file=None, catalog_check_seconds=3600)
    application = build_application(ready_catalog(out), settings, request=LocalBotAPI(), rate_limiter=False)
    async with application:
        await application.start()
        watching = application._watching
        assert watching is not None and not watching.done()
        await application.stop()
        await asyncio.gather(watching, return_exceptions=True)
        assert watching.cancelled()


def test_the_check_interval_setting(tmp_path):
    environ = {"TELEGRAM_BOT_TOKEN": "123456:" + "a" * 35}
    empty = tmp_path / "empty.env"
    empty.write_text("")
    assert Settings.from_env(environ, empty).catalog_check_seconds == 10
    assert Settings.from_env(environ | {"CATALOG_CHECK_SECONDS": "0"}, empty).catalog_check_seconds == 0
    with pytest.raises(SettingsError, match="CATALOG_CHECK_SECONDS"):
        Settings.from_env(environ | {"CATALOG_CHECK_SECONDS": "soon"}, empty)


def test_no_collector_is_needed_to_free_a_catalog(tmp_path, raws):
    """The old catalog goes by reference counting alone, the moment its last update ends (a catalog with
    reference cycles would wait for the collector's next full pass, holding twice the memory meanwhile)."""
    out = tmp_path / "processed"
    build(raws[0], out)
    gc.disable()
    try:
        catalog = ready_catalog(out)
        gone = weakref.ref(catalog)
        del catalog
        assert gone() is None
    finally:
        gc.enable()
