"""Live data: a running bot moves to a new ETL output without a restart and without dropping an update.

    catalogs = Catalogs(catalog)                  # the current catalog: one reference, swapped whole
    with catalogs.lease() as catalog: ...         # an update keeps the catalog it started with to its end
    watcher = CatalogWatcher(catalogs, path)
    await watcher.check()                         # new manifest version on disk? load it off the loop, swap

`python -m etl` replaces its output folder with two renames (etl/output.py), and manifest.json's `version`
digests every other file, so a new version means new data. The watcher reads that version now and then
(`CATALOG_CHECK_SECONDS`; each worker process runs its own), loads the new catalog in a thread while the
event loop keeps answering from the old one, and swaps only a loaded, warmed catalog. An update in flight
finishes on the catalog it started with; the old catalog is dropped when the last of those finishes, so two
catalogs live side by side only for the length of the slowest such update.

A folder caught between the ETL's two renames, or replaced again during a load, is tried again at the next
check; a broken output (another layout, a missing or damaged file) is logged once, in one line, and the bot
stays on the catalog it has until the next output appears.
"""
from __future__ import annotations

import asyncio
import contextvars
import json
import logging
import os
import time
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from bot import render
from core import Catalog
from core.catalog import MANIFEST_FILE

log = logging.getLogger(__name__)

# The catalog the update being handled started with (set around `Application.process_update`).
PINNED: contextvars.ContextVar[Catalog | None] = contextvars.ContextVar("pinned_catalog", default=None)


def ready_catalog(path: Path) -> Catalog:
    """The catalog in `path`, with everything a first answer would otherwise build on demand (search,
    recommender, people, display names), so no user waits for it after a start or a swap."""
    catalog = Catalog.load(path).warm()
    render.learn_display_names(catalog)  # the spellings: the same for every catalog naming them
    render.learn_now()  # here, off the event loop
    return catalog


def version_of(catalog: Catalog) -> str | None:
    return catalog.manifest.get("version") if catalog.manifest else None


def short(version: str | None) -> str:
    return (version or "none")[:12]


def manifest_on_disk(path: Path) -> tuple[str | None, tuple]:
    """manifest.json's version in `path`, and what tells this output from another of the same version (its
    manifest's text, file and time: a rebuilt output, even of the same bytes, is a new file); (None, ())
    while the folder is missing (between the ETL's two renames) or its manifest unreadable (a load then says
    why, if it still is)."""
    try:
        with (path / MANIFEST_FILE).open(encoding="utf-8") as handle:
            stat = os.fstat(handle.fileno())
            text = handle.read()
        manifest = json.loads(text)
    except (OSError, ValueError):
        return None, ()
    version = manifest.get("version") if isinstance(manifest, dict) else None
    return (version if isinstance(version, str) and version else None), (text, stat.st_ino, stat.st_mtime_ns)


class Catalogs:
    """The catalog updates are answered from, and the ones swapped out that updates still use."""

    def __init__(self, catalog: Catalog) -> None:
        self.current = catalog
        self.swaps = 0
        self._leases: Counter[int] = Counter()  # id(catalog) -> updates in flight on it
        self._retired: dict[int, Catalog] = {}  # swapped out, kept until their updates finish

    @contextmanager
    def lease(self) -> Iterator[Catalog]:
        """The current catalog, for one update from its start to its end, whatever is swapped meanwhile."""
        catalog = self.current
        key = id(catalog)
        self._leases[key] += 1
        token = PINNED.set(catalog)
        try:
            yield catalog
        finally:
            PINNED.reset(token)
            self._leases[key] -= 1
            if not self._leases[key]:
                del self._leases[key]
                retired = self._retired.pop(key, None)
                if retired is not None:
                    log.info("Catalog %s released: its last update finished", short(version_of(retired)))

    def swap(self, catalog: Catalog) -> None:
        """Answer every update that starts from now on from `catalog` (one assignment, on the event loop)."""
        old, self.current = self.current, catalog
        self.swaps += 1
        in_flight = self._leases[id(old)]
        if in_flight:
            self._retired[id(old)] = old
        log.info("Catalog %s -> %s (%d titles); the old one goes when its %d update(s) in flight finish",
                 short(version_of(old)), short(version_of(catalog)), len(catalog), in_flight)

    @property
    def alive(self) -> int:
        """Catalogs held: the current one and those swapped out whose updates are still running."""
        return 1 + len(self._retired)


class CatalogWatcher:
    """Notices a new ETL output in `path` and moves `catalogs` to it (see the module's docstring).

    `load` reads a catalog from a folder (tests hold it to swap mid-load); `check()` is one look, the
    periodic `watch()` calls it every `interval` seconds."""

    def __init__(self, catalogs: Catalogs, path: Path, load: Callable[[Path], Catalog] = ready_catalog,
                 interval: float = 0.0) -> None:
        self.catalogs = catalogs
        self.path = Path(path)
        self.load = load
        self.interval = interval
        self.refused: tuple = ()  # the output that failed to load (its manifest): not tried again nor logged again
        self._loading = False

    async def check(self) -> bool:
        """Look at the output's version once; when it is new, load it in a thread and swap. True if swapped."""
        version, manifest = manifest_on_disk(self.path)
        if self._loading or version is None or version == version_of(self.catalogs.current) \
                or manifest == self.refused:
            return False
        self._loading = True
        started = time.perf_counter()
        try:
            catalog = await asyncio.to_thread(self.load, self.path)
        except Exception as error:  # whatever a broken output raises, the bot keeps the catalog it has
            if manifest_on_disk(self.path)[1] != manifest:  # replaced or mid-rename during the load: look again
                log.info("Catalog in %s changed during its load; trying again at the next check", self.path)
                return False
            self.refused = manifest
            log.error("Catalog %s in %s not loaded, still answering from %s: %s", short(version), self.path,
                      short(version_of(self.catalogs.current)), one_line(error))
            return False
        finally:
            self._loading = False
        loaded = version_of(catalog)
        if loaded is None or manifest_on_disk(self.path)[0] != loaded:  # its files may come from two builds
            log.info("Catalog in %s changed during its load; trying again at the next check", self.path)
            return False
        self.catalogs.swap(catalog)
        log.info("Catalog %s loaded from %s in %.1f s", short(loaded), self.path, time.perf_counter() - started)
        return True

    async def watch(self) -> None:
        """Check every `interval` seconds until cancelled; a failing check is logged, never the end of it."""
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.check()
            except Exception:
                log.exception("Checking %s for a new catalog failed", self.path)


def one_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0][:200]}" if text else type(error).__name__
